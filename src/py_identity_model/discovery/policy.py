"""Discovery policy checks: the address, the issuer and where endpoints may be (pure).

* **The address** is the authority (issuer) or a full well-known URL. An address with a
  ``/.well-known/`` segment is fetched as given (also a provider's non-standard name, such
  as ``/.well-known/openid_configuration``); the authority the issuer must equal is the
  part before ``/.well-known/``, plus, for RFC 8414's
  ``/.well-known/oauth-authorization-server/<path>``, the issuer path that follows it. The
  well-known name is recognised only on a path-segment boundary (RFC 8414 §3.1), so
  ``/.well-known/oauth-authorization-server.evil.example/t`` is not split into another host.
* **The issuer** must be an absolute https URL (loopback http allowed by the policy) with no
  query and no fragment (RFC 8414 §2, OpenID Connect Discovery §3), and equal the authority.
* **Endpoints** (the mTLS aliases too) must pass the endpoint policy (HTTPS, no dot
  segments, ...) and lie under the authority or an allowed base address, compared on
  RFC 3986 normal forms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..endpoints.policy import EndpointPolicy
from ..errors import ErrorCodes
from ..exceptions import ConfigurationException
from ..http.results import Failure
from ..utils.urls import normalize_url
from .metadata import ENDPOINT_FIELDS
from .models import DiscoveryPolicy, MetadataFormat

__all__ = [
    "DiscoveryEndpoint",
    "discovery_url_and_authority",
    "endpoint_violation",
    "issuer_matches",
    "issuer_problem",
    "parse_discovery_url",
]

# ProtocolRoutePaths.DiscoveryConfiguration / .OAuthAuthorizationServer, spelled out so that
# discovery does not import every constant enum.
_WELL_KNOWN = "/.well-known/"
_OIDC_PATH = "/.well-known/openid-configuration"
_OAUTH_PATH = "/.well-known/oauth-authorization-server"


def _strip_slash(value: str) -> str:
    return value[:-1] if value.endswith("/") else value


def _on_boundary(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def discovery_url_and_authority(
    address: str, metadata_format: MetadataFormat, policy: EndpointPolicy
) -> tuple[str, str] | Failure:
    """Split what the caller gave into (URL to fetch, authority the issuer must equal)."""
    address = address.strip()
    refused = policy.check(address, "Discovery address")
    if refused is not None:
        return refused
    parts = urlsplit(address)  # safe: the policy parsed it already
    origin = f"{parts.scheme}://{parts.netloc}"
    path = parts.path
    index = path.find(_WELL_KNOWN)
    if index >= 0:
        before, well_known = path[:index], path[index:]
        suffix = ""
        if _on_boundary(well_known, _OAUTH_PATH):
            # RFC 8414 §3.1: the issuer's path follows the well-known segment.
            suffix = _strip_slash(well_known[len(_OAUTH_PATH) :])
        return address, origin + before + suffix
    if parts.query:
        return Failure(
            ErrorCodes.INVALID_URL,
            "Discovery address: an authority (issuer) has no query; "
            "give the full well-known URL instead",
        )
    authority = _strip_slash(address)
    if metadata_format == "oauth":
        return f"{origin}{_OAUTH_PATH}{_strip_slash(path)}", authority
    return authority + _OIDC_PATH, authority


def issuer_problem(issuer: str, policy: EndpointPolicy) -> Failure | None:
    """Why ``issuer`` is not a usable issuer identifier, or None."""
    refused = policy.check(issuer, "Issuer")
    if refused is not None:
        if refused.code == ErrorCodes.INVALID_URL:
            return Failure(ErrorCodes.INVALID_ISSUER, refused.error)
        return refused
    if urlsplit(issuer).query:
        return Failure(
            ErrorCodes.INVALID_ISSUER,
            f"Issuer {issuer[:200]!r} has a query; an issuer identifier has none "
            "(RFC 8414 §2, OpenID Connect Discovery §3)",
        )
    return None


def issuer_matches(issuer: str, authority: str, policy: DiscoveryPolicy) -> bool:
    """Compare the document's issuer with the expected authority per the policy's strategy."""
    if policy.authority_validation == "url":
        # Normal forms (default port, case, percent-encoding), one trailing slash ignored.
        left, right = normalize_url(issuer), normalize_url(authority)
        if left is None or right is None:
            return False
        return left.origin == right.origin and left.path.rstrip("/") == right.path.rstrip("/")
    return _strip_slash(issuer) == _strip_slash(authority)


def _placement(
    name: str, value: str, authority: str, policy: DiscoveryPolicy, endpoints: EndpointPolicy
) -> Failure | None:
    refused = endpoints.check(value, f"Endpoint {name}")
    if refused is not None:
        return refused  # excluded names still have to pass the URL rules
    if not policy.validate_endpoints or name in policy.endpoint_validation_excludes:
        return None
    if endpoints.is_allowed_under(value, authority):
        return None
    return Failure(
        ErrorCodes.ENDPOINT_NOT_ALLOWED,
        f"Endpoint {name} ({value[:200]}) is not under the authority {authority} "
        "or an allowed base address",
    )


def endpoint_violation(
    data: Mapping[str, Any], authority: str, policy: DiscoveryPolicy
) -> Failure | None:
    """The first endpoint (or mTLS alias) that breaks the policy, or ``None``."""
    endpoints = policy.endpoint_policy
    for name in ENDPOINT_FIELDS:
        value = data.get(name)
        if value is not None:
            problem = _placement(name, value, authority, policy, endpoints)
            if problem is not None:
                return problem
    aliases: Mapping[str, str] = data.get("mtls_endpoint_aliases") or {}
    for name, value in aliases.items():
        problem = _placement(name, value, authority, policy, endpoints)
        if problem is not None:
            return Failure(problem.code, f"mTLS endpoint alias: {problem.error}")
    return None


@dataclass(frozen=True, slots=True)
class DiscoveryEndpoint:
    """py-identity-model 4.x's parsed discovery address.

    ``url`` is what is fetched (the well-known path added to an authority, a well-known URL
    as given); ``authority`` is its scheme and host (``https://login.example.com``).
    """

    url: str
    authority: str


def parse_discovery_url(url: str, policy: EndpointPolicy | None = None) -> DiscoveryEndpoint:
    """Split a discovery address as :func:`discovery_url_and_authority` does (4.x's API).

    Raises ``ConfigurationException`` for an address that is not an absolute http(s) URL,
    breaks the endpoint policy (HTTPS except on loopback by default), or has a fragment.
    """
    if not isinstance(url, str) or not url.strip():
        raise ConfigurationException("Discovery URL cannot be empty")
    split = discovery_url_and_authority(url, "openid", policy or EndpointPolicy())
    if isinstance(split, Failure):
        raise ConfigurationException(split.error)
    full, _ = split
    parts = urlsplit(full)
    return DiscoveryEndpoint(full, f"{parts.scheme}://{parts.netloc}")
