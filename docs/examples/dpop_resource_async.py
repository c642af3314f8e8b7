"""A DPoP resource server that requires server-issued nonces (RFC 9449 §9), async API.

Usage: python docs/examples/dpop_resource_async.py [AUTHORITY]

The first request carries no nonce and is answered 401 ``use_dpop_nonce`` with a
``DPoP-Nonce``; the client signs a new proof with it and is let in. Ten requests, each with
its own proof, then run at once.
"""

import asyncio
import sys

from py_identity_model.aio import (
    Client,
    ClientCredentialsTokenRequest,
    ClientSecretBasic,
    DiscoveryDocumentRequest,
    DPoPProofException,
    DPoPProofValidator,
    DPoPServerNonces,
    TokenValidationConfig,
    check_dpop_binding,
    create_dpop_proof,
    generate_dpop_key,
    get_discovery_document,
    request_client_credentials_token,
    validate_token,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
RESOURCE = "urn:test:api:es256"
ORDERS = "https://orders.example.com/api/orders"

config = TokenValidationConfig(perform_disco=True, audience=RESOURCE)
# Nonces valid for 5 minutes; processes that share the secret accept each other's nonces.
validator = DPoPProofValidator(nonces=DPoPServerNonces(b"32 bytes shared by the whole fleet"))


async def handle(method: str, url: str, authorization: str, dpop: str | None) -> tuple[int, dict]:
    scheme, _, access_token = authorization.partition(" ")
    claims = await validate_token(access_token, config, authority)
    jkt = check_dpop_binding(claims, scheme=scheme)
    if jkt is None:  # a plain Bearer token: no proof to check
        return 200, {}
    try:
        await validator.avalidate(
            [dpop] if dpop else [], method=method, url=url, access_token=access_token,
            expected_jkt=jkt,
        )  # fmt: skip
    except DPoPProofException as exc:
        return 401, validator.challenge(exc)
    return 200, {}


async def main() -> None:
    disco = await get_discovery_document(DiscoveryDocumentRequest(authority))
    if not disco.is_successful or not disco.token_endpoint:
        sys.exit(f"discovery failed: {disco.error}")
    print("issuer:", disco.issuer)
    key = generate_dpop_key("EdDSA")
    response = await request_client_credentials_token(
        ClientCredentialsTokenRequest(
            disco.token_endpoint,
            "client-dpop",
            scope="api:read",
            resource=RESOURCE,
            client=Client("client-dpop", ClientSecretBasic("client-dpop-secret"), dpop=key),
        )
    )
    if not response.is_successful or not response.access_token:
        sys.exit(f"token request failed: {response.error}")
    token = response.access_token
    authorization = f"DPoP {token}"

    first = create_dpop_proof(key, "GET", ORDERS, access_token=token)
    status, headers = await handle("GET", ORDERS, authorization, first)
    print("without a nonce:", status, headers["WWW-Authenticate"].split(",")[0])
    nonce = headers["DPoP-Nonce"]
    print("DPoP-Nonce received:", bool(nonce))

    retry = create_dpop_proof(key, "GET", ORDERS, access_token=token, nonce=nonce)
    status, _ = await handle("GET", ORDERS, authorization, retry)
    print("with the nonce:", status)

    urls = [f"{ORDERS}/{n}" for n in range(10)]
    answers = await asyncio.gather(
        *(
            handle("GET", url, authorization, create_dpop_proof(key, "GET", url, token, nonce))
            for url in urls
        )
    )
    print("concurrent requests:", [status for status, _ in answers])
    status, _ = await handle("GET", ORDERS, authorization, None)
    print("no DPoP header:", status)


asyncio.run(main())
