"""Managed service tokens in async code: one token request for many concurrent calls.

Usage: python docs/examples/token_management_async.py [AUTHORITY]

The same manager as the sync example from ``py_identity_model.aio``; a web service (FastAPI,
Starlette, ...) keeps one per process and hands ``ClientCredentialsAuth`` to its
``httpx.AsyncClient`` for the services it calls.
"""

import asyncio
import sys
import time

import httpx

from py_identity_model import ClientCredentialsTokenRequest, DiscoveryDocumentRequest
from py_identity_model.aio import (
    ClientCredentialsAuth,
    ClientCredentialsTokenManager,
    get_discovery_document,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"


async def main() -> None:
    disco = await get_discovery_document(DiscoveryDocumentRequest(authority))
    if not disco.is_successful or not disco.token_endpoint:
        sys.exit(f"discovery failed: {disco.error}")
    print("issuer:", disco.issuer)

    sent: list[str] = []  # the token requests, counted by an httpx event hook

    async def count(request: httpx.Request) -> None:
        sent.append(request.url.path)

    async with httpx.AsyncClient(event_hooks={"request": [count]}) as http:
        manager = ClientCredentialsTokenManager(http_client=http)
        manager.add_client(
            "reports",
            ClientCredentialsTokenRequest(
                disco.token_endpoint, "client-basic", "client-basic-secret",
                scope="api:read", resource="urn:test:api:es256",
            ),
        )  # fmt: skip
        # 100 concurrent callers, no token yet: one request, every caller gets its token.
        tokens = await asyncio.gather(*(manager.get_access_token("reports") for _ in range(100)))
        print("distinct tokens:", len({t.access_token for t in tokens}))
        print("token requests for 100 concurrent calls:", len(sent))
        print("expires in about:", round((tokens[0].expires_at - time.time()) / 60), "min")
        again = await manager.get_access_token("reports")
        print("served from the cache:", again is tokens[0], "requests:", len(sent))
        # The auth for an AsyncClient (see the guide): httpx.AsyncClient(auth=auth).
        auth = ClientCredentialsAuth(manager, "reports")
        print("auth:", auth)


asyncio.run(main())
