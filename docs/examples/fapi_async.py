"""Log a user in under FAPI 2.0 Message Signing: a signed request object pushed through PAR
(JAR), a signed authorization response (JARM), signed UserInfo and introspection answers, on
top of the Security Profile (asynchronous API).

Usage: python docs/examples/fapi_async.py [AUTHORITY]

The client is the test provider's ``client-fapi-ms``; ``complete_login`` stands in for the
user's browser.
"""

import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the simulated browser only
from tests.provider.fixture import complete_login

from py_identity_model import (
    Client,
    DiscoveryDocumentRequest,
    DPoPKey,
    FapiPolicy,
    FapiProfile,
    FapiViolationError,
    JwtResponseValidation,
    OidcClient,
    OidcClientOptions,
    PrivateKeyJwt,
    TokenIntrospectionRequest,
)
from py_identity_model.aio import get_discovery_document, introspect_token

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
REDIRECT_URI = "http://127.0.0.1/callback"
REPO_ROOT = Path(__file__).resolve().parents[2]
keys = json.loads((REPO_ROOT / "tests/provider/client-keys.json").read_text())["keys"]
client_key = next(jwk for jwk in keys if jwk["kty"] == "EC")


async def main() -> None:
    fapi = FapiPolicy(FapiProfile.MESSAGE_SIGNING)
    assertion = PrivateKeyJwt(client_key, "ES256", audience=authority)
    options = OidcClientOptions(
        authority,
        "client-fapi-ms",
        REDIRECT_URI,
        "openid profile",
        private_key_jwt=assertion,
        dpop_key=DPoPKey(),
        request_object_key=client_key,  # JAR: the request is signed, then pushed
        request_object_algorithm="ES256",
        response_mode="jwt",  # JARM: the response comes back signed
        authorization_signed_response_alg="PS256",
        fapi=fapi,
    )
    client = OidcClient(options)
    login = await client.aprepare_login()
    result = await client.aprocess_response(complete_login(login.url), login)
    if not result.is_successful or result.access_token is None:
        sys.exit(f"login failed: {result.error_code}: {result.error}")
    print("issuer:", result.claims["iss"] if result.claims else None)
    print("logged in:", result.claims["sub"] if result.claims else None)
    print("signed userinfo:", result.user_info.signed if result.user_info else None)

    # Introspection as the same client: Message Signing wants a signed answer (RFC 9701).
    disco = await get_discovery_document(DiscoveryDocumentRequest(authority))
    endpoint = disco.introspection_endpoint
    assert endpoint is not None
    as_client = Client("client-fapi-ms", assertion, dpop=DPoPKey(), profile=fapi)
    try:
        await introspect_token(
            TokenIntrospectionRequest(
                endpoint, result.access_token, "client-fapi-ms", client=as_client
            )
        )
    except FapiViolationError as exc:
        print(f"unsigned introspection: refused ({exc.clause})")
    signed = await introspect_token(
        TokenIntrospectionRequest(
            endpoint,
            result.access_token,
            "client-fapi-ms",
            client=as_client,
            jwt_response=JwtResponseValidation(
                disco_doc_address=authority, algorithms=list(fapi.algorithms)
            ),
        )
    )
    print(f"signed introspection: active={signed.active} bound={sorted(signed.cnf or {})}")


asyncio.run(main())
