"""Validate JWT access tokens with the asynchronous API (py_identity_model.aio).

Usage: python docs/examples/validate_token_async.py [AUTHORITY]
"""

import asyncio
import sys

import httpx

from py_identity_model import aio

# The test provider's confidential client and one of its APIs (tests/provider/README.md).
CLIENT_ID, CLIENT_SECRET = "client-basic", "client-basic-secret"
API = "urn:test:api:es256"


async def token_from_provider(authority: str) -> str:
    """Stands in for the token your API received in ``Authorization: Bearer <token>``."""
    disco = await aio.get_discovery_document(aio.DiscoveryDocumentRequest(authority))
    if not disco.is_successful or not disco.token_endpoint:
        sys.exit(f"discovery failed: {disco.error}")
    async with httpx.AsyncClient() as http:
        response = await http.post(
            disco.token_endpoint,
            data={"grant_type": "client_credentials", "scope": "api:read", "resource": API},
            auth=(CLIENT_ID, CLIENT_SECRET),
        )
    response.raise_for_status()
    return str(response.json()["access_token"])


async def main(authority: str) -> int:
    token = await token_from_provider(authority)
    config = aio.TokenValidationConfig(
        perform_disco=True, audience=API, token_type="at+jwt", required_scopes=["api:read"]
    )
    # Ten concurrent requests: discovery and the key set are fetched once and shared.
    results = await asyncio.gather(
        *(aio.validate_token(token, config, disco_doc_address=authority) for _ in range(10))
    )
    for claims in results[:2]:
        print(f"valid: True sub={claims['sub']} aud={claims['aud']}")
    print("validated:", len(results))
    print("iss:", results[0]["iss"])

    # A token for another API is rejected: the exception says why, with a stable code.
    other_api = aio.TokenValidationConfig(perform_disco=True, audience="urn:other")
    try:
        await aio.validate_token(token, other_api, disco_doc_address=authority)
    except aio.TokenValidationException as exc:
        print(f"wrong audience: rejected code={exc.code}")
    return 0


authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
sys.exit(asyncio.run(main(authority)))
