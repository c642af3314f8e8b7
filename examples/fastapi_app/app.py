"""A FastAPI API protected by py-identity-model (the ``[fastapi]`` extra).

Configured only by the environment:

* ``OIDC_AUTHORITY``: the issuer of the access tokens (its discovery document and keys);
* ``OIDC_AUDIENCE``: this API's identifier, the ``aud`` the tokens must carry;
* ``OIDC_REQUIRED_SCOPE``: the scope ``GET /admin`` requires.

Routes: ``GET /health`` (public), ``GET /me`` (the token's claims), ``GET /admin`` (needs the
scope) and the protected-resource metadata (RFC 9728) at its well-known path. Bearer and
DPoP-bound tokens are accepted; validation is asynchronous and cached.

Run it: ``uvicorn --app-dir examples/fastapi_app app:app --no-proxy-headers``
(``--no-proxy-headers``: uvicorn otherwise believes ``X-Forwarded-Proto`` from loopback).

No ``from __future__ import annotations``: the routes are defined in :func:`create_app` and
FastAPI evaluates their ``Annotated[..., Security(bearer)]`` with its local ``bearer``.
"""

import os
from typing import Annotated, Any

from fastapi import FastAPI, Security

from py_identity_model.integrations.fastapi import AccessTokenBearer
from py_identity_model.resource_server import AccessTokenPrincipal, ResourceServer


def create_app(server: ResourceServer, required_scope: str) -> FastAPI:
    """The example's routes over ``server`` (the benchmark builds it with a mocked authority)."""
    bearer = AccessTokenBearer(server)
    app = FastAPI(title="py-identity-model FastAPI example")
    bearer.install(app)  # exact rejection responses + the metadata document

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/me")
    async def me(principal: Annotated[AccessTokenPrincipal, Security(bearer)]) -> dict[str, Any]:
        return dict(principal.claims)

    @app.get("/admin")
    async def admin(
        principal: Annotated[AccessTokenPrincipal, Security(bearer, scopes=[required_scope])],
    ) -> dict[str, Any]:
        return {"subject": principal.subject, "scopes": sorted(principal.scopes)}

    return app


def server_from_environment() -> ResourceServer:
    authority = os.environ["OIDC_AUTHORITY"]
    return ResourceServer(
        issuer=authority,
        audience=os.environ["OIDC_AUDIENCE"],
        authorization_servers=[authority],
        scopes_supported=[os.environ["OIDC_REQUIRED_SCOPE"]],
    )


app = create_app(server_from_environment(), os.environ["OIDC_REQUIRED_SCOPE"])
