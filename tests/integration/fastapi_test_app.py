"""A FastAPI app for tests/integration/test_fastapi_integration.py, served by uvicorn.

Unlike the example it uses the middleware (``/health`` and ``/public/`` excluded, the
metadata path always), requires DPoP (the nonce provider's tokens, with this server's own
nonces), introspects opaque tokens, trusts 127.0.0.1 as its reverse proxy and has routes
with claim requirements. Configured by one JSON environment variable,
``FASTAPI_TEST_APP_CONFIG``: ``issuer``, ``audience`` (a list), and optionally
``introspection_endpoint`` + ``client_id`` + ``client_secret``, ``dpop`` (``"required"`` by
default), ``ca_file`` (the CA an HTTPS issuer's certificate is checked against) and
``certificate_header`` (the trusted proxy's client-certificate header),
``additional_endpoint_base_addresses`` (the provider's mTLS alias listener).
"""

from __future__ import annotations

import json
import os
from typing import Annotated, Any

import httpx
from fastapi import FastAPI, Request, Security

from py_identity_model import DiscoveryPolicy
from py_identity_model.aio import AsyncHTTPClient
from py_identity_model.dpop.server_nonces import DPoPServerNonces
from py_identity_model.integrations.fastapi import (
    AccessTokenBearer,
    ResourceServerMiddleware,
    TrustedProxy,
    get_principal,
    require_claim,
)
from py_identity_model.resource_server import (
    AccessTokenPrincipal,
    IntrospectionSettings,
    ResourceServer,
)

CONFIG = json.loads(os.environ["FASTAPI_TEST_APP_CONFIG"])

introspection = (
    IntrospectionSettings(
        CONFIG["introspection_endpoint"],
        client_id=CONFIG["client_id"],
        client_secret=CONFIG["client_secret"],
    )
    if "introspection_endpoint" in CONFIG
    else None
)
http_client = (
    AsyncHTTPClient(httpx.AsyncClient(verify=CONFIG["ca_file"])) if "ca_file" in CONFIG else None
)
server = ResourceServer(
    issuer=CONFIG["issuer"],
    audience=CONFIG["audience"],
    introspection=introspection,
    dpop=CONFIG.get("dpop", "required"),
    dpop_nonces=DPoPServerNonces(),
    authorization_servers=[CONFIG["issuer"]],
    http_client=http_client,
    discovery_policy=DiscoveryPolicy(
        additional_endpoint_base_addresses=CONFIG.get("additional_endpoint_base_addresses", [])
    ),
)
proxy = TrustedProxy(["127.0.0.1"], client_certificate_header=CONFIG.get("certificate_header"))
bearer = AccessTokenBearer(server, trusted_proxy=proxy)
DPOP_CLIENT_ONLY = require_claim(bearer, "client_id", "client-dpop")
BASIC_CLIENT_ONLY = require_claim(bearer, "client_id", "client-basic")

app = FastAPI()
bearer.install(app)
app.add_middleware(
    ResourceServerMiddleware,
    server=server,
    exclude_paths=["/health", "/public/"],
    trusted_proxy=proxy,
)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/public/info")
async def public_info() -> dict[str, bool]:
    return {"public": True}


@app.get("/me")
async def me(request: Request) -> dict[str, Any]:
    principal = get_principal(request)
    assert principal is not None  # the middleware authenticated the request
    return {
        "client_id": principal.client_id,
        "token_type": principal.token_type,
        "dpop_jkt": principal.dpop_jkt,
        "is_opaque": principal.is_opaque,
        "certificate_thumbprint": principal.certificate_thumbprint,
    }


@app.get("/client-dpop-only")
async def client_dpop_only(
    principal: Annotated[AccessTokenPrincipal, Security(DPOP_CLIENT_ONLY)],
) -> dict[str, Any]:
    return {"client_id": principal.client_id}


@app.get("/client-basic-only")
async def client_basic_only(
    principal: Annotated[AccessTokenPrincipal, Security(BASIC_CLIENT_ONLY)],
) -> dict[str, Any]:
    return {"client_id": principal.client_id}


@app.get("/read")
async def read(
    principal: Annotated[AccessTokenPrincipal, Security(bearer, scopes=["api:read"])],
) -> dict[str, Any]:
    return {"scopes": sorted(principal.scopes)}


@app.get("/write")
async def write(
    principal: Annotated[AccessTokenPrincipal, Security(bearer, scopes=["api:write"])],
) -> dict[str, Any]:
    return {"scopes": sorted(principal.scopes)}
