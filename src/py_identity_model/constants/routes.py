"""Well-known and conventional endpoint paths.

* ``/.well-known/openid-configuration``: OpenID Connect Discovery 1.0 section 4 (appended
  to the issuer, after any path component).
* ``/.well-known/oauth-authorization-server``: RFC 8414 section 3.1 (inserted between the
  host and any path component of the issuer).
* ``/.well-known/oauth-protected-resource``: RFC 9728 section 3.
* ``/.well-known/webfinger``: RFC 7033 section 10.1, used by OIDC Discovery 1.0 section 2.
* The ``/connect/...`` paths are the default endpoint routes of Duende IdentityServer
  (its ``ProtocolRoutePaths``); they are conventions, not standards, so always prefer
  the URLs published in the discovery document.

Paths are absolute (leading ``/``) so they can be appended to an authority without a
trailing slash.
"""

from __future__ import annotations

from enum import unique
from urllib.parse import urlsplit, urlunsplit

from ._base import ConstantEnum

__all__ = [
    "ProtocolRoutePaths",
    "oauth_authorization_server_url",
    "openid_configuration_url",
]


@unique
class ProtocolRoutePaths(ConstantEnum):
    """Endpoint paths relative to an authority (Duende IdentityServer naming)."""

    # Well-known metadata locations
    DiscoveryConfiguration = "/.well-known/openid-configuration"
    DiscoveryWebKeys = "/.well-known/openid-configuration/jwks"
    OAuthAuthorizationServer = "/.well-known/oauth-authorization-server"
    OAuthProtectedResource = "/.well-known/oauth-protected-resource"
    WebFinger = "/.well-known/webfinger"

    # Duende IdentityServer default endpoints
    ConnectPathPrefix = "/connect"
    Authorize = "/connect/authorize"
    AuthorizeCallback = "/connect/authorize/callback"
    Token = "/connect/token"
    Revocation = "/connect/revocation"
    UserInfo = "/connect/userinfo"
    Introspection = "/connect/introspect"
    EndSession = "/connect/endsession"
    EndSessionCallback = "/connect/endsession/callback"
    CheckSession = "/connect/checksession"
    DeviceAuthorization = "/connect/deviceauthorization"
    PushedAuthorization = "/connect/par"
    BackchannelAuthentication = "/connect/ciba"
    DynamicClientRegistration = "/connect/dcr"
    MtlsPathPrefix = "/connect/mtls"
    MtlsToken = "/connect/mtls/token"
    MtlsRevocation = "/connect/mtls/revocation"
    MtlsIntrospection = "/connect/mtls/introspect"
    MtlsDeviceAuthorization = "/connect/mtls/deviceauthorization"


def openid_configuration_url(authority: str) -> str:
    """Return the OpenID Connect discovery URL for ``authority`` (OIDC Discovery 4.1).

    The well-known path is appended after any path component and a trailing slash
    is removed first, so ``https://op.example/tenant/`` gives
    ``https://op.example/tenant/.well-known/openid-configuration``.  A URL that
    already ends with the well-known path is returned unchanged (minus a trailing
    slash), as Duende's ``DiscoveryEndpoint.ParseUrl`` does.
    """
    base = authority.strip().rstrip("/")
    suffix = ProtocolRoutePaths.DiscoveryConfiguration.value
    if base.lower().endswith(suffix):
        return base
    return base + suffix


def oauth_authorization_server_url(issuer: str) -> str:
    """Return the RFC 8414 metadata URL for ``issuer`` (RFC 8414 section 3.1).

    The well-known segment goes between the host and the issuer's path:
    ``https://as.example/tenant`` gives
    ``https://as.example/.well-known/oauth-authorization-server/tenant``.

    Raises :class:`ValueError` if ``issuer`` is not an absolute URL or carries a query
    or fragment, which RFC 8414 section 2 forbids for issuer identifiers.
    """
    parts = urlsplit(issuer.strip())
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"issuer is not an absolute URL: {issuer!r}")
    if parts.query or parts.fragment or issuer.rstrip().endswith(("?", "#")):
        raise ValueError(f"issuer must not have a query or fragment: {issuer!r}")
    path = ProtocolRoutePaths.OAuthAuthorizationServer.value + parts.path.rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
