"""Introspect several tokens at once with JWT responses, then revoke them (async API).

Usage: python docs/examples/introspection_async.py [AUTHORITY]
"""

import asyncio
import sys

from py_identity_model import JwtResponseValidation
from py_identity_model.aio import (
    ClientCredentialsTokenRequest,
    DiscoveryDocumentRequest,
    TokenIntrospectionRequest,
    TokenRevocationRequest,
    get_discovery_document,
    introspect_token,
    request_client_credentials_token,
    revoke_token,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
CLIENT_ID, CLIENT_SECRET = "client-basic", "client-basic-secret"


async def main() -> None:
    disco = await get_discovery_document(DiscoveryDocumentRequest(authority))
    if not disco.is_successful or not disco.introspection_endpoint or not disco.revocation_endpoint:
        sys.exit(f"discovery failed: {disco.error}")
    print("issuer:", disco.issuer)
    introspection, revocation = disco.introspection_endpoint, disco.revocation_endpoint

    async def opaque_token(scope: str) -> str:
        response = await request_client_credentials_token(
            ClientCredentialsTokenRequest(
                disco.token_endpoint or "",
                CLIENT_ID,
                CLIENT_SECRET,
                scope,
                resource="urn:test:api:opaque",
            )
        )
        if not response.is_successful or not response.access_token:
            sys.exit(f"token request failed: {response.error}")
        return response.access_token

    tokens = await asyncio.gather(
        *(opaque_token(s) for s in ("api:read", "api:write", "api:read api:write"))
    )

    # One validation value for every call: the server's keys are fetched once and cached.
    keys = JwtResponseValidation(disco_doc_address=authority)

    def ask(token: str) -> TokenIntrospectionRequest:
        return TokenIntrospectionRequest(
            introspection, token, CLIENT_ID, client_secret=CLIENT_SECRET, jwt_response=keys
        )

    answers = await asyncio.gather(*(introspect_token(ask(t)) for t in [*tokens, "made-up-token"]))
    for answer in answers:
        print(
            f"verified={answer.is_successful} active={answer.active} scopes={list(answer.scopes)}"
        )

    revoked = await asyncio.gather(
        *(
            revoke_token(
                TokenRevocationRequest(revocation, t, CLIENT_ID, "access_token", CLIENT_SECRET)
            )
            for t in tokens
        )
    )
    print("revoked:", [r.is_successful for r in revoked])
    after = await asyncio.gather(*(introspect_token(ask(t)) for t in tokens))
    print("active after revocation:", [a.active for a in after])


asyncio.run(main())
