"""OAuth 2.0 Protected Resource Metadata (RFC 9728): requests, responses, the well-known URL.

A resource server publishes which authorization servers protect it, which scopes and
bearer methods it takes and whether it wants DPoP-bound tokens, at
``/.well-known/oauth-protected-resource`` (path-inserted, §3.1), and points to it from a
401 challenge (``WWW-Authenticate: Bearer resource_metadata="..."``, §5.1). The requests
here carry no credentials: the metadata and the probe of the resource are anonymous GETs.

The ``resource`` a document names must be *identical* to the resource the client asked
about (§3.3), a string comparison: RFC 9728 allows no normalisation. ``allow_resource_prefix``
opts in to the relaxation of draft-mcguinness-oauth-rfc9728bis (same origin, the
document's resource a path-segment prefix of the URL), for APIs whose 401 comes from a
sub-path such as ``/api/items/42`` while the metadata names ``/api``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from ..discovery.models import DiscoveryDocumentResponse, DiscoveryPolicy
from ..endpoints.policy import EndpointPolicy, HasEndpointPolicy, endpoint_policy_of
from ..exceptions import ConfigurationException
from ..http.challenges import Challenge
from ..http.results import ProtocolResponse
from ..utils.redaction import SECRET_FIELDS, redacted_repr

__all__ = [
    "WELL_KNOWN_PATH",
    "AuthorizationServerDiscoveryRequest",
    "AuthorizationServerDiscoveryResponse",
    "ProtectedResourceMetadataRequest",
    "ProtectedResourceMetadataResponse",
    "protected_resource_metadata_url",
]

WELL_KNOWN_PATH = "/.well-known/oauth-protected-resource"
"""The well-known path of RFC 9728 §3 (registered in §8.3)."""

MetadataFormat = Literal["openid", "oauth"]


def protected_resource_metadata_url(resource: str) -> str:
    """The metadata URL of a resource identifier, per RFC 9728 §3.1.

    The well-known path is *inserted* between the host and the resource's path and query;
    a lone ``/`` after the host is dropped first::

        https://rs.example            -> https://rs.example/.well-known/oauth-protected-resource
        https://rs.example/           -> https://rs.example/.well-known/oauth-protected-resource
        https://rs.example/api/v1     -> https://rs.example/.well-known/oauth-protected-resource/api/v1
        https://rs.example/api?t=1    -> https://rs.example/.well-known/oauth-protected-resource/api?t=1

    A fragment is dropped (a resource identifier has none, §1.2; the endpoint policy
    refuses one in the resource itself). Raises ``ConfigurationException`` for something
    that is not an absolute URL with a host.
    """
    if not isinstance(resource, str):
        raise ConfigurationException("resource must be a URL string")
    try:
        parts = urlsplit(resource)
    except ValueError:
        raise ConfigurationException(f"resource {resource[:100]!r} is not a URL") from None
    if not parts.scheme or not parts.netloc:
        raise ConfigurationException(f"resource {resource[:100]!r} is not an absolute URL")
    path = "" if parts.path == "/" else parts.path
    return urlunsplit((parts.scheme, parts.netloc, WELL_KNOWN_PATH + path, parts.query, ""))


_HIDDEN = SECRET_FIELDS | {"headers", "response_headers"}


def _check_policy(policy: object) -> None:
    endpoint_policy_of(policy)  # type: ignore[arg-type]  # raises ConfigurationException


@dataclass(repr=False)
class ProtectedResourceMetadataRequest:
    """Which resource to describe, and where its metadata is.

    Attributes:
        resource: the resource identifier (RFC 9728 §1.2), e.g. ``https://rs.example/api``.
            The document's ``resource`` must be identical to it (§3.3).
        metadata_url: the metadata URL when a challenge gave one (its ``resource_metadata``
            parameter); by default the well-known URL path-inserted into ``resource``.
        policy: the URL rules (an :class:`~py_identity_model.EndpointPolicy` or a
            :class:`~py_identity_model.DiscoveryPolicy`): HTTPS except on loopback by
            default. They apply to the metadata URL, ``jwks_uri`` and every authorization
            server listed.
        allow_resource_prefix: accept a document whose ``resource`` is ``resource`` itself
            or, on the same origin, a path-segment prefix of it (opt-in; see the module).
        headers: extra request headers (never credentials: the metadata is public).
    """

    resource: str
    _: KW_ONLY
    metadata_url: str | None = None
    policy: EndpointPolicy | HasEndpointPolicy | None = None
    allow_resource_prefix: bool = False
    headers: Mapping[str, str] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.resource, str):
            raise ConfigurationException("ProtectedResourceMetadataRequest.resource must be a URL")
        if self.metadata_url is not None and not isinstance(self.metadata_url, str):
            raise ConfigurationException("metadata_url must be a URL string or None")
        if not isinstance(self.allow_resource_prefix, bool):
            raise ConfigurationException("allow_resource_prefix must be True or False")
        _check_policy(self.policy)

    @property
    def endpoint_policy(self) -> EndpointPolicy:
        return endpoint_policy_of(self.policy)

    def __repr__(self) -> str:
        return redacted_repr(self, _HIDDEN)  # headers may carry cookies or credentials


@dataclass(repr=False)
class ProtectedResourceMetadataResponse(ProtocolResponse):
    """The resource's metadata (RFC 9728 §2), every registered member typed.

    ``signed_metadata`` (§2.2) is exposed as received and **not verified**: the plain
    members are what the library checked and what it uses. ``metadata`` is the whole
    document (members the RFC does not register included); ``metadata_url`` is the URL it
    came from.
    """

    resource: str | None = None
    authorization_servers: list[str] | None = None
    jwks_uri: str | None = None
    scopes_supported: list[str] | None = None
    bearer_methods_supported: list[str] | None = None
    resource_signing_alg_values_supported: list[str] | None = None
    resource_name: str | None = None
    resource_documentation: str | None = None
    resource_policy_uri: str | None = None
    resource_tos_uri: str | None = None
    tls_client_certificate_bound_access_tokens: bool | None = None
    authorization_details_types_supported: list[str] | None = None
    dpop_signing_alg_values_supported: list[str] | None = None
    dpop_bound_access_tokens_required: bool | None = None
    signed_metadata: str | None = None
    metadata: dict[str, Any] | None = None
    metadata_url: str | None = None
    _: KW_ONLY
    missing_fields: list[str] | None = None


@dataclass(repr=False)
class AuthorizationServerDiscoveryRequest:
    """From a protected URL to the discovery document of the server that protects it.

    Where the challenge comes from:

    * ``response_headers`` given (the headers of the 401 you already received): they are
      read, nothing is probed;
    * otherwise, with ``probe`` (the default), ``resource_url`` is fetched once with a GET
      **without credentials**; redirects are never followed. Any answer is read for a
      ``resource_metadata`` challenge parameter; a network failure is the result;
    * ``probe=False`` and no headers: no challenge; the well-known URL is used.

    Without a ``resource_metadata`` parameter, the metadata is fetched from the well-known
    URL of ``resource_url`` (RFC 9728 §3.1). Its ``resource`` must equal ``resource_url``
    (§3.3, see ``allow_resource_prefix``).

    Attributes:
        resource_url: the protected URL the client called (or will call).
        response_headers: the headers of a response from it (mapping, ``httpx.Headers``).
        probe: GET ``resource_url`` when no headers are given.
        authorization_server: the issuer to use, which must be listed; the first listed
            otherwise.
        discovery_policy: the policy of the authorization server's discovery document
            (the default :class:`~py_identity_model.DiscoveryPolicy` otherwise).
        metadata_format: ``"openid"`` (``/.well-known/openid-configuration``, the default)
            or ``"oauth"`` (RFC 8414 ``/.well-known/oauth-authorization-server``).
        policy: the URL rules of the probe and the resource metadata.
        allow_resource_prefix: see :class:`ProtectedResourceMetadataRequest`.
    """

    resource_url: str
    _: KW_ONLY
    response_headers: Mapping[str, str] | None = None
    probe: bool = True
    authorization_server: str | None = None
    discovery_policy: DiscoveryPolicy | None = None
    metadata_format: MetadataFormat = "openid"
    policy: EndpointPolicy | HasEndpointPolicy | None = None
    allow_resource_prefix: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.resource_url, str):
            raise ConfigurationException("resource_url must be a URL string")
        for name in ("probe", "allow_resource_prefix"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigurationException(f"{name} must be True or False")
        if self.authorization_server is not None and not isinstance(self.authorization_server, str):
            raise ConfigurationException("authorization_server must be an issuer URL or None")
        if self.discovery_policy is not None and not isinstance(
            self.discovery_policy, DiscoveryPolicy
        ):
            raise ConfigurationException("discovery_policy must be a DiscoveryPolicy or None")
        if self.metadata_format not in ("openid", "oauth"):
            raise ConfigurationException("metadata_format must be 'openid' or 'oauth'")
        _check_policy(self.policy)

    @property
    def endpoint_policy(self) -> EndpointPolicy:
        return endpoint_policy_of(self.policy)

    def __repr__(self) -> str:
        return redacted_repr(self, _HIDDEN)  # headers may carry cookies or credentials


@dataclass(repr=False)
class AuthorizationServerDiscoveryResponse(ProtocolResponse):
    """What the walk from a protected URL found, step by step.

    On success every field is set. On failure the error fields say which step failed,
    and the steps that succeeded are still there (``challenges`` read, the
    ``resource_metadata`` fetched, the ``authorization_server`` chosen), so a caller can
    tell "the resource named no server" from "the server's discovery failed".
    """

    authorization_server: str | None = None
    resource_metadata: ProtectedResourceMetadataResponse | None = None
    discovery_document: DiscoveryDocumentResponse | None = None
    challenges: tuple[Challenge, ...] = field(default_factory=tuple)

    @property
    def challenge(self) -> Challenge | None:
        """The challenge that named the metadata URL, else the first one received."""
        for challenge in self.challenges:
            if challenge.resource_metadata:
                return challenge
        return self.challenges[0] if self.challenges else None
