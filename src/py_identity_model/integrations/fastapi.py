"""FastAPI: a security dependency that yields the validated access token's principal.

```python
from fastapi import FastAPI, Security
from py_identity_model.integrations.fastapi import AccessTokenBearer, require_scope
from py_identity_model.resource_server import AccessTokenPrincipal, ResourceServer

server = ResourceServer(issuer="https://op.example.com", audience="https://api.example.com")
bearer = AccessTokenBearer(server)
app = FastAPI()
bearer.install(app)  # exact rejection responses + /.well-known/oauth-protected-resource...

@app.get("/me")
async def me(principal: AccessTokenPrincipal = Security(bearer)) -> dict[str, object]:
    return dict(principal.claims)

@app.get("/orders", dependencies=[Security(bearer, scopes=["orders:read"])])
async def orders() -> list[str]: ...
```

Scopes come from FastAPI's ``SecurityScopes`` (``Security(bearer, scopes=[...])``, also
those of enclosing dependencies) and are checked by the core, which answers 403
``insufficient_scope`` with the ``scope`` challenge attribute. The scheme appears in the
OpenAPI document as an HTTP ``bearer`` scheme (its description names DPoP when the server
accepts DPoP). All protocol decisions are the core's
(:class:`~py_identity_model.resource_server.ResourceServer`); this module only reads the
request and copies the answer.
"""

# No ``from __future__ import annotations``: FastAPI before 0.116 reads the parameters of a
# callable instance's ``__call__`` (``Request``, ``SecurityScopes``) as evaluated objects.
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.models import HTTPBearer as HTTPBearerModel
from fastapi.security import SecurityScopes
from fastapi.security.base import SecurityBase

from py_identity_model.exceptions import ConfigurationException
from py_identity_model.integrations.starlette import (
    PRINCIPAL_STATE_KEY,
    ResourceServerMiddleware,
    TokenRejectedHTTPException,
    TrustedProxy,
    get_principal,
    handle_rejection,
    incoming_request,
    metadata_route,
    principal_of,
    rejection_response,
    remember_principal,
)
from py_identity_model.resource_server import (
    AccessTokenPrincipal,
    ResourceRejection,
    ResourceServer,
)
from py_identity_model.resource_server.requirements import (
    claim_requirements,
    scope_names,
)

__all__ = [
    "PRINCIPAL_STATE_KEY",
    "AccessTokenBearer",
    "ResourceServerMiddleware",
    "TokenRejectedHTTPException",
    "TrustedProxy",
    "get_principal",
    "handle_rejection",
    "metadata_route",
    "rejection_response",
    "require_claim",
    "require_scope",
]


def _scheme_description(server: ResourceServer) -> str:
    dpop = getattr(server, "dpop", "allowed")
    if dpop == "required":
        text = (
            "OAuth 2.0 access token bound to a DPoP key (RFC 9449): send "
            "`Authorization: DPoP <token>` and a `DPoP` proof header with each request."
        )
    elif dpop == "disabled":
        text = "OAuth 2.0 access token (RFC 6750): send `Authorization: Bearer <token>`."
    else:
        text = (
            "OAuth 2.0 access token (RFC 6750): `Authorization: Bearer <token>`; "
            "DPoP-bound tokens (RFC 9449) are accepted as `Authorization: DPoP <token>` "
            "with a `DPoP` proof header."
        )
    return f"{text} Protected resource metadata: `{server.metadata_path}` (RFC 9728)."


class AccessTokenBearer(SecurityBase):
    """The security dependency: ``Security(bearer)`` yields an ``AccessTokenPrincipal``.

    Args:
        server: the resource server (owns the key, validated-token and introspection
            caches; one per application, shared with any middleware).
        scopes: scopes every use of this dependency needs, on top of those of
            ``Security(bearer, scopes=[...])`` (see :func:`require_scope`).
        claims: claim requirements passed to the core's ``aauthenticate(claims=...)``
            (see :func:`require_claim`).
        trusted_proxy: believe this reverse proxy's ``X-Forwarded-Proto``/``-Host`` (for
            the DPoP ``htu``) and certificate header; ``None`` (the default) believes none.
        scheme_name: the OpenAPI security scheme's name (``AccessTokenBearer`` by default).
        description: the OpenAPI scheme description (one naming Bearer/DPoP by default).

    A request is validated once: when :class:`ResourceServerMiddleware` or another
    dependency of the same server already authenticated it (a route may use several, with
    different scopes), its principal is reused and only the scopes and claims are judged.
    """

    def __init__(
        self,
        server: ResourceServer,
        *,
        scopes: Iterable[str] = (),
        claims: Mapping[str, Any] | None = None,
        trusted_proxy: TrustedProxy | None = None,
        scheme_name: str | None = None,
        description: str | None = None,
    ) -> None:
        if not isinstance(server, ResourceServer):
            raise ConfigurationException("AccessTokenBearer needs a ResourceServer")
        if trusted_proxy is not None and not isinstance(trusted_proxy, TrustedProxy):
            raise ConfigurationException("trusted_proxy must be a TrustedProxy")
        self.server = server
        self.scopes = scope_names(scopes)
        claim_requirements(claims)  # misuse is refused here, not on the first request
        self.claims = dict(claims) if claims else None
        self.trusted_proxy = trusted_proxy
        self.model = HTTPBearerModel(
            bearerFormat="JWT", description=description or _scheme_description(server)
        )
        self.scheme_name = scheme_name or "AccessTokenBearer"

    async def __call__(
        self, request: Request, security_scopes: SecurityScopes
    ) -> AccessTokenPrincipal:
        return await self.authenticate(request, scopes=security_scopes.scopes)

    async def authenticate(
        self, request: Request, *, scopes: Iterable[str] = ()
    ) -> AccessTokenPrincipal:
        """The request's principal, or :class:`TokenRejectedHTTPException` (the core's answer)."""
        wanted = tuple(dict.fromkeys((*self.scopes, *scopes)))
        incoming = incoming_request(request.scope, trusted_proxy=self.trusted_proxy)
        try:
            principal = principal_of(request.scope, self.server)
            if principal is None:
                principal = await self.server.aauthenticate(
                    incoming, scopes=wanted, claims=self.claims
                )
                remember_principal(request.scope, self.server, principal)
                return principal
            # The middleware or another dependency validated this request (and spent its
            # DPoP proof, which a second validation would see as a replay): only the
            # requirements are judged.
            refused = self.server.check_requirements(
                principal, incoming, scopes=wanted, claims=self.claims
            )
            if refused is not None:
                raise refused
            return principal
        except ResourceRejection as rejection:
            raise TokenRejectedHTTPException(rejection) from None

    def derive(
        self, *, scopes: Iterable[str] = (), claims: Mapping[str, Any] | None = None
    ) -> "AccessTokenBearer":
        """The same dependency (server, proxy, OpenAPI scheme) with more requirements."""
        repeated = set(self.claims or {}) & set(claims or {})
        if repeated:  # merging would drop one requirement: refuse instead
            raise ConfigurationException(f"claim {sorted(repeated)[0]!r} is already required")
        derived = AccessTokenBearer(
            self.server,
            scopes=(*self.scopes, *scopes),
            claims={**(self.claims or {}), **(claims or {})},
            trusted_proxy=self.trusted_proxy,
            scheme_name=self.scheme_name,
        )
        derived.model = self.model
        return derived

    def install(self, app: FastAPI, *, serve_metadata: bool = True) -> None:
        """Answer rejections exactly (:func:`rejection_response`) and serve the metadata.

        Registers the exception handler for :class:`TokenRejectedHTTPException` and, with
        ``serve_metadata``, ``GET`` of ``server.metadata_path`` (RFC 9728 §3.1).
        """
        app.add_exception_handler(TokenRejectedHTTPException, handle_rejection)
        if serve_metadata:
            app.router.routes.append(metadata_route(self.server))


def require_scope(bearer: AccessTokenBearer, *scopes: str) -> AccessTokenBearer:
    """The dependency ``bearer`` that also needs every one of ``scopes``.

    ``Security(require_scope(bearer, "admin"))`` answers like
    ``Security(bearer, scopes=["admin"])``: the core refuses a token without the scope with
    403 ``insufficient_scope`` and the ``scope`` challenge attribute.
    """
    _check_names("require_scope", scopes)
    return bearer.derive(scopes=scopes)


def require_claim(bearer: AccessTokenBearer, name: str, *values: Any) -> AccessTokenBearer:
    """The dependency ``bearer`` that also needs the claim ``name`` (one of ``values`` when
    given); the core judges it (``aauthenticate(claims=...)``) and answers its rejection."""
    _check_names("require_claim", (name,))
    return bearer.derive(claims={name: values[0] if len(values) == 1 else list(values) or None})


def _check_names(helper: str, names: Iterable[str]) -> None:
    names = tuple(names)
    if not names or not all(isinstance(n, str) and n.strip() == n and n for n in names):
        raise ConfigurationException(f"{helper} needs one or more non-empty names")
