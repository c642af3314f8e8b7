"""The FastAPI dependency, helpers and middleware, in process (httpx ``ASGITransport``).

The resource server is the real core, its authority mocked (tests/unit/resource_server/
fake_op.py: discovery + JWKS of ``https://op.example``, ES256 tokens minted per test).

No ``from __future__ import annotations`` here: the routes are defined inside a function and
FastAPI must evaluate their ``Annotated[..., Security(bearer)]`` with the local ``bearer``.
"""

import asyncio
import dataclasses
from typing import Annotated, Any

import httpx
import pytest
from fastapi import Depends, FastAPI, Request, Security
from fastapi.dependencies.models import Dependant
from tests.unit.resource_server.fake_op import AUDIENCE, ISSUER, FakeOp, mint

from py_identity_model import DPoPKey
from py_identity_model.exceptions import ConfigurationException
from py_identity_model.integrations.fastapi import (
    AccessTokenBearer,
    ResourceServerMiddleware,
    get_principal,
    require_claim,
    require_scope,
)
from py_identity_model.resource_server import AccessTokenPrincipal, ResourceServer

LISTS_HTTP_SCOPES = "own_oauth_scopes" in {f.name for f in dataclasses.fields(Dependant)}
BASE = "https://api.example"
METADATA = f"{BASE}/.well-known/oauth-protected-resource/orders"
BEARER_ONLY = f'Bearer realm="{AUDIENCE}", resource_metadata="{METADATA}"'
DPOP_ONLY = f'DPoP algs="ES256 EdDSA PS256 RS256", resource_metadata="{METADATA}"'


def make_server(op: FakeOp, **options: Any) -> ResourceServer:
    return ResourceServer(
        issuer=ISSUER, audience=AUDIENCE, http_client=op.async_client(), **options
    )


def make_app(server: ResourceServer, *, install: bool = True, **middleware: Any) -> FastAPI:
    bearer = AccessTokenBearer(server)
    app = FastAPI()
    if install:
        bearer.install(app)
    if middleware:
        app.add_middleware(ResourceServerMiddleware, server=server, **middleware)

    @app.get("/orders/me")
    async def me(principal: Annotated[AccessTokenPrincipal, Security(bearer)]) -> dict[str, Any]:
        return {"sub": principal.subject, "scopes": sorted(principal.scopes)}

    @app.get("/orders/write")
    async def write(
        principal: Annotated[AccessTokenPrincipal, Security(bearer, scopes=["orders:write"])],
    ) -> dict[str, Any]:
        return {"sub": principal.subject}

    @app.get("/orders/helper", dependencies=[Security(require_scope(bearer, "orders:read"))])
    async def helper() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/orders/alice")
    async def alice(
        principal: Annotated[AccessTokenPrincipal, Depends(require_claim(bearer, "sub", "alice"))],
    ) -> dict[str, Any]:
        return {"sub": principal.subject}

    @app.get("/orders/state")
    async def state(request: Request) -> dict[str, Any]:
        principal = get_principal(request)
        return {"sub": None if principal is None else principal.subject}

    @app.get("/public/ping")
    async def ping() -> dict[str, bool]:
        return {"pong": True}

    return app


def call(app: FastAPI, path: str, token: str | None = None) -> httpx.Response:
    async def go() -> httpx.Response:
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            return await client.get(path, headers=headers)

    return asyncio.run(go())


@pytest.fixture
def op() -> FakeOp:
    return FakeOp()


def test_valid_token(op: FakeOp) -> None:
    response = call(make_app(make_server(op)), "/orders/me", mint())
    assert (response.status_code, response.json()) == (
        200,
        {"sub": "alice", "scopes": ["orders:read"]},
    )


def test_missing_token_is_the_bare_challenge(op: FakeOp) -> None:
    response = call(make_app(make_server(op)), "/orders/me")
    assert response.status_code == 401
    assert response.headers.get_list("www-authenticate") == [BEARER_ONLY, DPOP_ONLY]
    assert response.json() == {"error_description": "An access token is required"}


def test_security_scopes_reach_the_core(op: FakeOp) -> None:
    app = make_app(make_server(op))
    response = call(app, "/orders/write", mint())
    assert response.status_code == 403
    assert response.headers.get_list("www-authenticate")[0] == (
        f'Bearer realm="{AUDIENCE}", error="insufficient_scope", '
        'error_description="The access token lacks a required scope", scope="orders:write", '
        f'resource_metadata="{METADATA}"'
    )
    assert call(app, "/orders/write", mint(scope="orders:read orders:write")).status_code == 200


def test_require_scope_and_require_claim(op: FakeOp) -> None:
    app = make_app(make_server(op))
    assert call(app, "/orders/helper", mint()).json() == {"ok": True}
    assert call(app, "/orders/helper", mint(scope="other")).status_code == 403
    assert call(app, "/orders/alice", mint()).status_code == 200
    refused = call(app, "/orders/alice", mint(sub="bob"))
    assert refused.status_code == 403 and refused.json()["error"] == "access_denied"


def test_invalid_token(op: FakeOp) -> None:
    response = call(make_app(make_server(op)), "/orders/me", mint(aud="https://elsewhere"))
    assert response.status_code == 401
    assert response.json() == {
        "error": "invalid_token",
        "error_description": "The access token is not meant for this resource",
    }


def test_an_unreachable_authority_is_503_without_blame(op: FakeOp) -> None:
    op.fail_jwks = True
    response = call(make_app(make_server(op)), "/orders/me", mint())
    assert response.status_code == 503
    assert "www-authenticate" not in response.headers
    assert response.json()["error"] == "temporarily_unavailable"


def test_without_install_starlettes_handler_keeps_status_and_challenges(op: FakeOp) -> None:
    response = call(make_app(make_server(op), install=False), "/orders/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == f"{BEARER_ONLY}, {DPOP_ONLY}"
    assert response.json() == {"detail": "An access token is required"}
    assert call(make_app(make_server(op), install=False), METADATA[len(BASE) :]).status_code == 404


def test_metadata_route(op: FakeOp) -> None:
    server = make_server(op, scopes_supported=["orders:read"])
    response = call(make_app(server), "/.well-known/oauth-protected-resource/orders")
    assert response.status_code == 200
    assert response.json() == server.metadata_document()
    assert response.json()["resource"] == AUDIENCE


def test_middleware_protects_all_but_the_excluded_paths(op: FakeOp) -> None:
    app = make_app(make_server(op), exclude_paths=["/public/", "/docs*", "/openapi.json"])
    assert call(app, "/public/ping").json() == {"pong": True}
    assert call(app, "/openapi.json").status_code == 200
    assert call(app, "/docs").status_code == 200
    assert call(app, "/.well-known/oauth-protected-resource/orders").status_code == 200
    refused = call(app, "/orders/state")
    assert refused.status_code == 401
    assert refused.headers.get_list("www-authenticate") == [BEARER_ONLY, DPOP_ONLY]
    assert call(app, "/orders/state", mint()).json() == {"sub": "alice"}
    assert call(app, "/public").status_code == 401  # "/public/" is a prefix only


def test_middleware_scopes_and_the_dependency_after_it(op: FakeOp) -> None:
    app = make_app(make_server(op), scopes=["orders:read"])
    assert call(app, "/orders/state", mint(scope="other")).status_code == 403
    # the route's own requirements are judged on the middleware's principal
    assert call(app, "/orders/me", mint()).status_code == 200
    assert call(app, "/orders/write", mint()).status_code == 403
    assert call(app, "/orders/alice", mint(sub="bob")).status_code == 403
    assert call(app, "/orders/alice", mint()).status_code == 200


def test_get_principal_without_the_middleware(op: FakeOp) -> None:
    assert call(make_app(make_server(op)), "/orders/state").json() == {"sub": None}


def test_openapi_scheme_and_scopes(op: FakeOp) -> None:
    document = call(make_app(make_server(op)), "/openapi.json").json()
    scheme = document["components"]["securitySchemes"]["AccessTokenBearer"]
    assert scheme["description"].startswith("OAuth 2.0 access token (RFC 6750)")
    assert "DPoP" in scheme["description"]
    paths = document["paths"]
    # FastAPI lists a route's scopes for non-OAuth2 schemes only since its dependency
    # rewrite (Dependant.own_oauth_scopes); before, it followed OpenAPI 3.0 (empty list).
    listed = ["orders:write"] if LISTS_HTTP_SCOPES else []
    assert paths["/orders/write"]["get"]["security"] == [{"AccessTokenBearer": listed}]
    assert paths["/orders/helper"]["get"]["security"] == [{"AccessTokenBearer": []}]
    assert "security" not in paths["/public/ping"]["get"]


@pytest.mark.parametrize(
    ("dpop", "expected"),
    [("required", "bound to a DPoP key"), ("disabled", "send `Authorization: Bearer")],
)
def test_scheme_description_follows_the_dpop_mode(op: FakeOp, dpop: str, expected: str) -> None:
    bearer = AccessTokenBearer(make_server(op, dpop=dpop))
    assert expected in str(bearer.model.description)
    if dpop == "disabled":
        assert "DPoP" not in str(bearer.model.description)
    custom = AccessTokenBearer(make_server(op), scheme_name="Api", description="Mine")
    assert (custom.scheme_name, custom.model.description) == ("Api", "Mine")
    derived = require_scope(custom, "a")
    assert (derived.scheme_name, derived.model.description, derived.scopes) == (
        "Api",
        "Mine",
        ("a",),
    )


def test_misuse_is_refused_at_configuration(op: FakeOp) -> None:
    server = make_server(op)
    bearer = AccessTokenBearer(server)
    with pytest.raises(ConfigurationException):
        AccessTokenBearer("server")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationException):
        AccessTokenBearer(server, trusted_proxy="127.0.0.1")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationException):
        AccessTokenBearer(server, scopes="a b")
    with pytest.raises(ConfigurationException):
        AccessTokenBearer(server, claims={"roles": object()})
    with pytest.raises(ConfigurationException):
        require_scope(bearer)
    with pytest.raises(ConfigurationException):
        require_scope(bearer, "")
    with pytest.raises(ConfigurationException):
        require_claim(bearer, " sub")
    with pytest.raises(ConfigurationException):
        ResourceServerMiddleware(FastAPI(), server="server")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationException):
        ResourceServerMiddleware(FastAPI(), server=server, exclude_paths="/public")
    with pytest.raises(ConfigurationException):
        ResourceServerMiddleware(FastAPI(), server=server, exclude_paths=["public/"])


def test_a_request_is_validated_once_across_dependencies(op: FakeOp) -> None:
    # Two dependencies of the same server on one route (different scopes, so FastAPI calls
    # both): the DPoP proof is checked once; a second check would refuse it as a replay.
    server = make_server(op)
    bearer = AccessTokenBearer(server)
    app = FastAPI()
    bearer.install(app)

    @app.get("/orders/dual", dependencies=[Security(require_scope(bearer, "orders:read"))])
    async def dual(
        principal: Annotated[AccessTokenPrincipal, Security(bearer, scopes=["orders:read"])],
        again: Annotated[AccessTokenPrincipal, Security(bearer)],
    ) -> dict[str, Any]:
        return {"same": principal is again, "type": principal.token_type}

    key = DPoPKey()
    token = mint(cnf={"jkt": key.jwk_thumbprint})

    async def go() -> httpx.Response:
        headers = {
            "Authorization": f"DPoP {token}",
            "DPoP": key.create_proof("GET", f"{BASE}/orders/dual", access_token=token),
        }
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            return await client.get("/orders/dual", headers=headers)

    response = asyncio.run(go())
    assert response.status_code == 200, response.text
    assert response.json() == {"same": True, "type": "DPoP"}


def test_another_servers_principal_is_not_reused(op: FakeOp) -> None:
    # the middleware of server A authenticated; a dependency of server B validates again
    first, second = make_server(op), make_server(op, required_scopes=["orders:write"])
    bearer = AccessTokenBearer(second)
    app = FastAPI()
    bearer.install(app)
    app.add_middleware(ResourceServerMiddleware, server=first)

    @app.get("/orders/b")
    async def b(principal: Annotated[AccessTokenPrincipal, Security(bearer)]) -> dict[str, Any]:
        return {"sub": principal.subject}

    assert call(app, "/orders/b", mint()).status_code == 403
    assert call(app, "/orders/b", mint(scope="orders:write")).status_code == 200


def test_a_claim_required_twice_is_refused(op: FakeOp) -> None:
    bearer = require_claim(AccessTokenBearer(make_server(op)), "roles", "a")
    with pytest.raises(ConfigurationException):
        require_claim(bearer, "roles", "b")
    assert require_claim(bearer, "tid").claims == {"roles": "a", "tid": None}
    assert require_claim(bearer, "groups", "x", "y").claims == {"roles": "a", "groups": ["x", "y"]}


def test_validation_never_blocks_the_event_loop() -> None:
    # The authority answers after 0.3 s (discovery, then JWKS): meanwhile the loop runs.
    op = FakeOp(delay=0.3)
    app = make_app(make_server(op))
    ticks = 0

    async def go() -> int:
        nonlocal ticks
        done = False

        async def ticker() -> None:
            nonlocal ticks
            while not done:
                await asyncio.sleep(0.01)
                ticks += 1

        task = asyncio.create_task(ticker())
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            response = await client.get("/orders/me", headers={"Authorization": f"Bearer {mint()}"})
        done = True
        await task
        return response.status_code

    assert asyncio.run(go()) == 200
    assert ticks >= 20  # about 60 in 0.6 s; a blocking fetch would leave ~0


def test_middleware_passes_other_traffic_through(op: FakeOp) -> None:
    seen: list[str] = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["type"])

    middleware = ResourceServerMiddleware(inner, server=make_server(op))

    async def noop() -> Any:
        return {}

    for kind in ("lifespan", "websocket"):
        asyncio.run(middleware({"type": kind, "path": "/orders/me"}, noop, noop))
    assert seen == ["lifespan", "websocket"]


def test_the_package_never_imports_the_frameworks() -> None:
    code = (
        "import sys, py_identity_model, py_identity_model.aio, py_identity_model.resource_server;"
        "py_identity_model.ResourceServer;"
        "assert not {'fastapi', 'starlette'} & set(sys.modules), sorted(sys.modules)"
    )
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
