"""Request tokens for several APIs at once and validate them (asynchronous API).

Usage: python docs/examples/client_credentials_async.py [AUTHORITY]
"""

import asyncio
import sys

from py_identity_model import aio

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"

# The test provider's APIs (resource indicators) and the algorithm each signs tokens with.
APIS = ["urn:test:api:rs256", "urn:test:api:ps256", "urn:test:api:es256", "urn:test:api:eddsa"]


async def token_for(token_endpoint: str, resource: str) -> aio.ClientCredentialsTokenResponse:
    request = aio.ClientCredentialsTokenRequest(
        token_endpoint,
        "client-basic",
        "client-basic-secret",
        scope="api:read",
        resource=resource,
    )
    return await aio.request_client_credentials_token(request)


async def main() -> None:
    disco = await aio.get_discovery_document(aio.DiscoveryDocumentRequest(authority))
    if not disco.is_successful or not disco.token_endpoint:
        sys.exit(f"discovery failed: {disco.error}")
    print("issuer:", disco.issuer)

    # Token requests are independent POSTs: run them concurrently.
    responses = await asyncio.gather(*(token_for(disco.token_endpoint, api) for api in APIS))
    for api, response in zip(APIS, responses, strict=True):
        if not response.is_successful or not response.access_token:
            sys.exit(f"{api}: {response.error} ({response.error_type})")
        # The token is a JWT for that API: validate it as the API would.
        config = aio.TokenValidationConfig(perform_disco=True, audience=api, token_type="at+jwt")
        claims = await aio.validate_token(response.access_token, config, authority)
        alg = aio.JsonWebToken.decode_unverified(response.access_token).header["alg"]
        print(f"{api}: aud={claims['aud']} alg={alg} expires_in={response.expires_in}")


asyncio.run(main())
