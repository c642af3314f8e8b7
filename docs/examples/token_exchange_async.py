"""Exchange one user's access token for several downstream APIs at once (async API).

Usage: python docs/examples/token_exchange_async.py [AUTHORITY] USER_ACCESS_TOKEN

A gateway that fans a user's request out to several APIs exchanges the user's token once
per API, concurrently: by ``resource`` (RFC 8707) or by ``audience`` (RFC 8693 §2.1), each a
string or a list.
"""

import asyncio
import sys

from py_identity_model.aio import (
    DiscoveryDocumentRequest,
    OidcConstants,
    TokenExchangeRequest,
    TokenValidationConfig,
    exchange_token,
    get_discovery_document,
    validate_token,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
if len(sys.argv) < 3:
    sys.exit("usage: token_exchange_async.py AUTHORITY USER_ACCESS_TOKEN")
user_access_token = sys.argv[2]
CLIENT_ID, CLIENT_SECRET = "client-basic", "client-basic-secret"
ACCESS_TOKEN = OidcConstants.TokenTypeIdentifiers.ACCESS_TOKEN.value


async def main() -> None:
    disco = await get_discovery_document(DiscoveryDocumentRequest(authority))
    if not disco.is_successful or not disco.token_endpoint:
        sys.exit(f"discovery failed: {disco.error}")
    print("issuer:", disco.issuer)
    token_endpoint = disco.token_endpoint

    def for_api(api: str, how: str) -> TokenExchangeRequest:
        return TokenExchangeRequest(
            token_endpoint,
            CLIENT_ID,
            user_access_token,
            ACCESS_TOKEN,
            resource=api if how == "resource" else None,
            audience=api if how == "audience" else None,
            scope="api:read",
            client_secret=CLIENT_SECRET,
        )

    targets = [
        ("urn:test:api:rs256", "resource"),
        ("urn:test:api:ps256", "resource"),
        ("urn:test:api:eddsa", "audience"),
    ]
    responses = await asyncio.gather(*(exchange_token(for_api(api, how)) for api, how in targets))
    for (api, how), response in zip(targets, responses, strict=True):
        if not response.is_successful or not response.access_token:
            sys.exit(f"{api}: {response.error_code}: {response.error}")
        claims = await validate_token(
            response.access_token,
            TokenValidationConfig(perform_disco=True, audience=api),
            disco_doc_address=authority,
        )
        print(f"{api} by {how}: sub={claims['sub']} aud={claims['aud']}", end=" ")
        print(f"issued_token_type={response.issued_token_type}")


asyncio.run(main())
