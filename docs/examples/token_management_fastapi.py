"""A FastAPI service that calls another service with a managed client-credentials token
(asynchronous API): the token is requested once and shared by every request handler.

Usage: python docs/examples/token_management_fastapi.py [AUTHORITY]

Both services run in this process (httpx's ASGI transport stands in for the network): the
"inventory" API protects itself with ``ResourceServer``; the "orders" API calls it through
``ClientCredentialsAuth``. In production each is its own process behind uvicorn.
"""

import asyncio
import sys
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
from fastapi import FastAPI, Security

from py_identity_model import (
    ClientCredentialsTokenRequest,
    DiscoveryDocumentRequest,
    ResourceServer,
    get_discovery_document,
)
from py_identity_model.aio import ClientCredentialsAuth, ClientCredentialsTokenManager
from py_identity_model.integrations.fastapi import AccessTokenBearer
from py_identity_model.resource_server import AccessTokenPrincipal

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
API = "urn:test:api"  # the inventory API's resource indicator at the provider

# The called service: validates the bearer token (issuer, audience, scope).
inventory = FastAPI()
bearer = AccessTokenBearer(ResourceServer(issuer=authority, audience=API))
bearer.install(inventory)


@inventory.get("/items/{item_id}")
async def item(
    item_id: str, caller: Annotated[AccessTokenPrincipal, Security(bearer, scopes=["api:read"])]
) -> dict[str, Any]:
    return {"item": item_id, "in_stock": 3, "caller": caller.client_id}


# The calling service: one manager and one HTTP client for the process, made at start-up.
disco = get_discovery_document(DiscoveryDocumentRequest(authority))
if not disco.is_successful or not disco.token_endpoint:
    sys.exit(f"discovery failed: {disco.error}")
manager = ClientCredentialsTokenManager()
manager.add_client(
    "inventory",
    ClientCredentialsTokenRequest(
        disco.token_endpoint,
        "client-basic",
        "client-basic-secret",
        scope="api:read",
        resource=API,
    ),
)


@asynccontextmanager
async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
    auth = ClientCredentialsAuth(manager, "inventory")
    transport = httpx.ASGITransport(app=inventory)
    async with httpx.AsyncClient(
        transport=transport, base_url="https://inventory.example.com", auth=auth
    ) as client:
        app.state.inventory = client
        yield


orders = FastAPI(lifespan=lifespan)


@orders.get("/orders/{order_id}/stock")
async def stock(order_id: str) -> Any:
    answer = await orders.state.inventory.get(f"/items/{order_id}")
    answer.raise_for_status()
    return answer.json()


async def main() -> None:
    print("issuer:", authority)
    async with orders.router.lifespan_context(orders):
        transport = httpx.ASGITransport(app=orders)
        async with httpx.AsyncClient(transport=transport, base_url="http://orders") as browser:
            answers = await asyncio.gather(*(browser.get(f"/orders/{n}/stock") for n in range(20)))
    print("statuses:", sorted({answer.status_code for answer in answers}))
    print("caller seen by inventory:", answers[0].json()["caller"])
    token = await manager.get_access_token("inventory")
    print("one token for all 20 calls:", token.token_type, token.scope)


asyncio.run(main())
