"""Discover an OpenID Provider's key set and look keys up by kid (asynchronous API).

Usage: python docs/examples/jwks_async.py [AUTHORITY]
"""

import asyncio
import sys

from py_identity_model import aio


async def main(authority: str) -> int:
    # Without http_client, calls share a managed client per event loop.
    disco = await aio.get_discovery_document(aio.DiscoveryDocumentRequest(authority))
    if not disco.is_successful:
        print(f"discovery failed: {disco.error}", file=sys.stderr)
        return 1
    print("issuer:", disco.issuer)

    jwks = await aio.get_jwks(aio.JwksRequest(disco.jwks_uri or ""))
    if not jwks.is_successful:
        print(f"JWKS failed: {jwks.error}", file=sys.stderr)
        return 1

    key_set = jwks.key_set  # a JsonWebKeySet
    print("keys:", len(jwks.keys or []))
    for key in key_set:
        found = key_set.find_by_kid(key.kid) if key.kid else None
        print(f"key kid={key.kid} kty={key.kty} found_by_kid={found is key}")
    return 0


authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
sys.exit(asyncio.run(main(authority)))
