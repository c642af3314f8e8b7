"""The endpoint policy: which URLs the library may call, or send a browser to.

One value, used by every request the library makes and every URL it builds: discovery,
JWKS, the token endpoint, the front-channel URL builders, and each endpoint to come.

* The URL must be an absolute ``http(s)`` URL with a host, without user information
  (``user@host``), a fragment, whitespace or control characters, and without dot segments
  (``/./``, ``/../``, also percent-encoded): a legitimate endpoint never has them, and a
  server may resolve them differently from the check.
* ``https`` is required, except on loopback hosts (``localhost``, ``127.0.0.0/8``, ``::1``)
  when ``allow_http_on_loopback`` is set (the default).
* "Under" comparisons (an endpoint below an authority or an allowed base address) are made
  on the RFC 3986 normal form, on path-segment boundaries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ..errors import ErrorCodes
from ..exceptions import ConfigurationException
from ..http.results import Failure
from ..utils.urls import has_dot_segments, is_loopback_host, normalize_url, parse_http_url

__all__ = ["DEFAULT_ENDPOINT_POLICY", "EndpointPolicy", "HasEndpointPolicy", "endpoint_policy_of"]


@dataclass(frozen=True, slots=True)
class EndpointPolicy:
    """Rules every endpoint URL must satisfy before the library calls it or builds it.

    Attributes:
        require_https: refuse ``http://`` URLs (loopback excepted, see below).
        allow_http_on_loopback: accept ``http://`` on loopback hosts (local providers).
        allowed_base_addresses: further bases that :meth:`is_allowed_under` accepts besides
            the authority (Duende's ``AdditionalEndpointBaseAddresses``).
        allow_loopback_endpoints: treat any loopback endpoint as allowed by
            :meth:`is_allowed_under`, wherever the authority is (for local development).
    """

    require_https: bool = True
    allow_http_on_loopback: bool = True
    allowed_base_addresses: tuple[str, ...] = ()
    allow_loopback_endpoints: bool = False

    def __post_init__(self) -> None:
        for name in ("require_https", "allow_http_on_loopback", "allow_loopback_endpoints"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigurationException(f"EndpointPolicy.{name} must be True or False")
        bases = self.allowed_base_addresses
        if isinstance(bases, str) or not isinstance(bases, Iterable):
            raise ConfigurationException("allowed_base_addresses must be a list of URLs")
        bases = tuple(bases)
        for base in bases:
            if not isinstance(base, str) or normalize_url(base) is None:
                raise ConfigurationException(
                    f"allowed base address {str(base)[:100]!r} is not an absolute http(s) URL"
                )
        object.__setattr__(self, "allowed_base_addresses", bases)

    def check(self, url: object, what: str = "Endpoint") -> Failure | None:
        """Why ``url`` may not be used, as a failure (``invalid_url``/``https_required``)."""
        if not isinstance(url, str) or not url:
            return Failure(ErrorCodes.INVALID_URL, f"{what}: the address is missing")
        parts = parse_http_url(url)
        if parts is None:
            return Failure(
                ErrorCodes.INVALID_URL,
                f"{what}: {url[:200]!r} is not an absolute http(s) URL",
            )
        if parts.username is not None or parts.password is not None:
            return Failure(
                ErrorCodes.INVALID_URL,
                f"{what}: addresses with user information (user@host) are not allowed",
            )
        if "#" in url:
            return Failure(ErrorCodes.INVALID_URL, f"{what}: {url[:200]!r} has a fragment")
        if has_dot_segments(parts.path):
            return Failure(
                ErrorCodes.INVALID_URL,
                f"{what}: {url[:200]!r} has dot segments ('.' or '..') in its path",
            )
        if parts.scheme == "https" or not self.require_https:
            return None
        if self.allow_http_on_loopback and is_loopback_host(parts.hostname):
            return None
        return Failure(
            ErrorCodes.HTTPS_REQUIRED,
            f"{what}: HTTPS is required: {url[:200]} uses plain HTTP on a non-loopback host",
        )

    def is_allowed_under(self, url: str, authority: str) -> bool:
        """Whether ``url`` lies at or below ``authority`` or an allowed base address.

        Compared on normal forms (RFC 3986 §6.2.2) on path-segment boundaries; a loopback
        URL is allowed anywhere when ``allow_loopback_endpoints`` is set.
        """
        target = normalize_url(url)
        if target is None:
            return False
        if self.allow_loopback_endpoints and is_loopback_host(target.host):
            return True
        for base in (authority, *self.allowed_base_addresses):
            root = normalize_url(base)
            if root is not None and target.is_under(root):
                return True
        return False


DEFAULT_ENDPOINT_POLICY = EndpointPolicy()
"""HTTPS except on loopback; nothing else allowed besides the authority."""


@runtime_checkable
class HasEndpointPolicy(Protocol):
    """A richer policy that implies URL rules (``DiscoveryPolicy`` does)."""

    @property
    def endpoint_policy(self) -> EndpointPolicy: ...


def endpoint_policy_of(policy: EndpointPolicy | HasEndpointPolicy | None) -> EndpointPolicy:
    """The URL rules of ``policy`` (the default rules when None)."""
    if policy is None:
        return DEFAULT_ENDPOINT_POLICY
    if isinstance(policy, EndpointPolicy):
        return policy
    if isinstance(policy, HasEndpointPolicy):
        return policy.endpoint_policy
    raise ConfigurationException("policy must be an EndpointPolicy or a DiscoveryPolicy")
