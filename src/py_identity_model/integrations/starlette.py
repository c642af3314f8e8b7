"""Starlette (and so FastAPI) glue over the resource-server core: nothing protocol-shaped here.

* :func:`incoming_request`: the core's :class:`~py_identity_model.resource_server.IncomingRequest`
  from an ASGI scope: the method, every header line as received (two ``Authorization`` or
  two ``DPoP`` lines reach the core, which refuses them), the URL the client used (for the
  DPoP ``htu``) and the client certificate of the TLS connection (ASGI ``tls`` extension).
  ``X-Forwarded-*`` and certificate headers are honoured only from a :class:`TrustedProxy`
  that the application configures, and only when the connection comes from it.
* :func:`rejection_response`: the core's rejection copied exactly into a response (status,
  every ``WWW-Authenticate`` line, ``DPoP-Nonce``, the JSON body).
* :class:`ResourceServerMiddleware`: authenticates every HTTP request but the excluded paths
  and puts the principal in ``request.state`` (:func:`get_principal`).
* :func:`metadata_route`: the RFC 9728 document at the server's well-known path.

Validation is asynchronous (``aauthenticate``): the event loop is never blocked.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from starlette.datastructures import URL
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from py_identity_model.exceptions import ConfigurationException
from py_identity_model.mtls.certificates import CertificateInput
from py_identity_model.resource_server import (
    AccessTokenPrincipal,
    IncomingRequest,
    ResourceRejection,
    ResourceServer,
)

__all__ = [
    "PRINCIPAL_STATE_KEY",
    "ResourceServerMiddleware",
    "TokenRejectedHTTPException",
    "TrustedProxy",
    "get_principal",
    "handle_rejection",
    "incoming_request",
    "metadata_route",
    "principal_of",
    "rejection_response",
    "remember_principal",
]

#: The ``request.state`` attribute that holds the principal authenticated for the request.
PRINCIPAL_STATE_KEY = "access_token_principal"
_OWNER_STATE_KEY = "access_token_principal_server"

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class TrustedProxy:
    """A reverse proxy whose forwarding headers are believed, and only from its addresses.

    Args:
        addresses: the proxy's IP addresses or networks (``"10.0.0.7"``, ``"10.0.0.0/24"``);
            a request whose TCP peer is not one of them is read as if no proxy existed.
        forwarded_proto: believe ``X-Forwarded-Proto`` (the scheme the client used).
        forwarded_host: believe ``X-Forwarded-Host`` (the host and port the client used).
        client_certificate_header: the header in which the proxy forwards the client's TLS
            certificate (PEM, URL-encoded PEM or base64 DER), e.g. ``"X-Client-Cert"``;
            ``None`` reads no certificate header.

    The proxy must *set* these headers (drop what the client sent); a header repeated or
    with several comma-separated values is ignored, so the URL falls back to what the
    connection says and a DPoP proof for another URL fails.
    """

    addresses: Sequence[str]
    forwarded_proto: bool = True
    forwarded_host: bool = True
    client_certificate_header: str | None = None
    _networks: tuple[_Network, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.addresses, str):
            raise ConfigurationException("TrustedProxy.addresses must be a list of addresses")
        networks: list[_Network] = []
        for address in self.addresses:
            try:
                networks.append(ipaddress.ip_network(address, strict=False))
            except ValueError as error:
                raise ConfigurationException(
                    f"TrustedProxy: {address!r} is not an IP address or network"
                ) from error
        if not networks:
            raise ConfigurationException("TrustedProxy needs at least one address")
        object.__setattr__(self, "_networks", tuple(networks))

    def trusts(self, peer: str | None) -> bool:
        """Whether the TCP peer ``peer`` is this proxy."""
        if peer is None:
            return False
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self._networks)


def _header_lines(scope: Scope) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, value in scope["headers"]]


def _single(lines: Iterable[tuple[str, str]], name: str) -> str | None:
    values = [value.strip() for key, value in lines if key.lower() == name]
    if len(values) != 1 or "," in values[0] or not values[0]:
        return None
    return values[0]


def _tls_certificate(scope: Scope) -> bytes | None:
    tls = (scope.get("extensions") or {}).get("tls") or {}
    chain = tls.get("client_cert_chain") or []
    return str(chain[0]).encode("ascii") if chain else None


def _public_url(scope: Scope, lines: list[tuple[str, str]], proxy: TrustedProxy | None) -> str:
    url = URL(scope=scope)
    peer = scope["client"][0] if scope.get("client") else None
    if proxy is not None and proxy.trusts(peer):
        proto = _single(lines, "x-forwarded-proto") if proxy.forwarded_proto else None
        host = _single(lines, "x-forwarded-host") if proxy.forwarded_host else None
        if proto is not None and proto.lower() in ("http", "https"):
            url = url.replace(scheme=proto.lower())
        if host is not None:
            url = url.replace(netloc=host)
    return str(url)


def incoming_request(scope: Scope, *, trusted_proxy: TrustedProxy | None = None) -> IncomingRequest:
    """The core's request value for the HTTP request of ``scope`` (see the module)."""
    lines = _header_lines(scope)
    certificate: CertificateInput | None = _tls_certificate(scope)
    peer = scope["client"][0] if scope.get("client") else None
    if (
        certificate is None
        and trusted_proxy is not None
        and trusted_proxy.client_certificate_header is not None
        and trusted_proxy.trusts(peer)
    ):
        value = _single(lines, trusted_proxy.client_certificate_header.lower())
        if value is not None:
            certificate = IncomingRequest.certificate_from_header(value)
    return IncomingRequest(
        scope["method"],
        _public_url(scope, lines, trusted_proxy),
        lines,
        client_certificate=certificate,
    )


def rejection_response(rejection: ResourceRejection) -> Response:
    """``rejection`` as the response to send: its status, headers and JSON body, unchanged."""
    response = JSONResponse(rejection.body, status_code=rejection.status)
    for name, value in rejection.headers:
        response.headers.append(name, value)
    return response


class TokenRejectedHTTPException(HTTPException):
    """A :class:`~py_identity_model.resource_server.ResourceRejection` raised from a route.

    With the handler installed (``install`` of the FastAPI dependency, or
    ``exception_handlers={TokenRejectedHTTPException: handle_rejection}``) the response is
    :func:`rejection_response`; without it Starlette's own HTTP error handler still answers
    with the status, the challenge headers and ``{"detail": <safe description>}``.
    """

    def __init__(self, rejection: ResourceRejection) -> None:
        super().__init__(
            rejection.status,
            detail=rejection.description,
            headers=rejection.header_map,
        )
        self.rejection = rejection


async def handle_rejection(request: Request, error: Exception) -> Response:
    """Starlette exception handler: the rejection of a :class:`TokenRejectedHTTPException`."""
    if not isinstance(error, TokenRejectedHTTPException):  # registered for that class only
        raise error
    return rejection_response(error.rejection)


def get_principal(connection: HTTPConnection) -> AccessTokenPrincipal | None:
    """The principal authenticated for this request (by :class:`ResourceServerMiddleware`
    or a FastAPI dependency), if any."""
    principal = getattr(connection.state, PRINCIPAL_STATE_KEY, None)
    return principal if isinstance(principal, AccessTokenPrincipal) else None


def remember_principal(
    scope: Scope, server: ResourceServer, principal: AccessTokenPrincipal
) -> None:
    """Keep ``principal`` for the rest of this request (its DPoP proof is spent: a second
    validation of the same request would refuse it as a replay)."""
    state = scope.setdefault("state", {})
    state[PRINCIPAL_STATE_KEY] = principal
    state[_OWNER_STATE_KEY] = server


def principal_of(scope: Scope, server: ResourceServer) -> AccessTokenPrincipal | None:
    """The principal ``server`` already authenticated for this request, if any."""
    state = scope.get("state") or {}
    if state.get(_OWNER_STATE_KEY) is not server:
        return None
    principal = state.get(PRINCIPAL_STATE_KEY)
    return principal if isinstance(principal, AccessTokenPrincipal) else None


class ResourceServerMiddleware:
    """ASGI middleware: every HTTP request but ``exclude_paths`` must carry a valid token.

    Args:
        app: the application to protect.
        server: the resource server (owns the caches; share one per application).
        exclude_paths: exact paths, or prefixes ending in ``/`` or ``*``
            (``"/public/"``, ``"/docs*"``), served without a token; the metadata path of
            ``server`` is always excluded.
        scopes: scopes every protected request needs (403 ``insufficient_scope`` otherwise).
        trusted_proxy: see :class:`TrustedProxy`; ``None`` (the default) believes no
            forwarding header.

    WebSocket and lifespan traffic pass through unchanged.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        server: ResourceServer,
        exclude_paths: Iterable[str] = (),
        scopes: Iterable[str] = (),
        trusted_proxy: TrustedProxy | None = None,
    ) -> None:
        if not isinstance(server, ResourceServer):
            raise ConfigurationException("ResourceServerMiddleware needs a ResourceServer")
        if isinstance(exclude_paths, str) or isinstance(scopes, str):
            raise ConfigurationException("exclude_paths and scopes are lists, not strings")
        self.app = app
        self.server = server
        self.trusted_proxy = trusted_proxy
        self.scopes = tuple(scopes)
        paths = [*exclude_paths, server.metadata_path]
        for path in paths:
            if not path.startswith("/"):
                raise ConfigurationException(f"excluded path {path!r} must start with '/'")
        self._exact = frozenset(p for p in paths if not p.endswith(("/", "*")))
        self._prefixes = tuple(p.rstrip("*") for p in paths if p.endswith(("/", "*")))

    def is_excluded(self, path: str) -> bool:
        return path in self._exact or path.startswith(self._prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.is_excluded(scope["path"]):
            await self.app(scope, receive, send)
            return
        try:
            principal = await self.server.aauthenticate(
                incoming_request(scope, trusted_proxy=self.trusted_proxy), scopes=self.scopes
            )
        except ResourceRejection as rejection:
            await rejection_response(rejection)(scope, receive, send)
            return
        remember_principal(scope, self.server, principal)
        await self.app(scope, receive, send)


def metadata_route(server: ResourceServer) -> Route:
    """A route serving ``server.metadata_document()`` at ``server.metadata_path`` (RFC 9728)."""
    document = server.metadata_document()

    async def protected_resource_metadata(request: Request) -> Response:
        return JSONResponse(document, headers={"Cache-Control": "max-age=3600"})

    return Route(
        server.metadata_path,
        protected_resource_metadata,
        methods=["GET"],
        name="oauth_protected_resource_metadata",
    )
