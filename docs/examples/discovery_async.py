"""Fetch a discovery document with the asynchronous API (py_identity_model.aio).

Usage: python docs/examples/discovery_async.py [AUTHORITY]
"""

import asyncio
import sys

from py_identity_model import aio


async def main(authority: str) -> int:
    # One AsyncHTTPClient per event loop; it closes its httpx.AsyncClient on exit.
    async with aio.AsyncHTTPClient(timeout=10) as http:
        disco = await aio.get_discovery_document(
            aio.DiscoveryDocumentRequest(authority), http_client=http
        )
    if not disco.is_successful:
        print(f"discovery failed: {disco.error}", file=sys.stderr)
        return 1
    print("issuer:", disco.issuer)
    print("jwks_uri:", disco.jwks_uri)
    print("authorization_endpoint:", disco.authorization_endpoint)
    print("id_token algorithms:", ", ".join(disco.id_token_signing_alg_values_supported or []))
    return 0


authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
sys.exit(asyncio.run(main(authority)))
