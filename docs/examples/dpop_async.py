"""DPoP keys of several algorithms at once, sharing one nonce store (async API).

Usage: python docs/examples/dpop_async.py [AUTHORITY]
"""

import asyncio
import sys

from py_identity_model.aio import (
    Client,
    ClientCredentialsTokenRequest,
    ClientSecretBasic,
    DiscoveryDocumentRequest,
    DPoPKey,
    DPoPNonceStore,
    TokenIntrospectionRequest,
    get_discovery_document,
    introspect_token,
    request_client_credentials_token,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
CLIENT_ID, CLIENT_SECRET = "client-dpop", "client-dpop-secret"


async def main() -> None:
    disco = await get_discovery_document(DiscoveryDocumentRequest(authority))
    if not disco.is_successful or not disco.token_endpoint or not disco.introspection_endpoint:
        sys.exit(f"discovery failed: {disco.error}")
    print("issuer:", disco.issuer)
    token_endpoint, introspection_endpoint = disco.token_endpoint, disco.introspection_endpoint

    def client(key: DPoPKey) -> Client:
        return Client(CLIENT_ID, ClientSecretBasic(CLIENT_SECRET), dpop=key)

    def token_request(key: DPoPKey) -> ClientCredentialsTokenRequest:
        return ClientCredentialsTokenRequest(
            token_endpoint, CLIENT_ID, scope="api:read", resource="urn:test:api:opaque",
            client=client(key),
        )  # fmt: skip

    # Keys that share a store share the nonces they learn (one per origin).
    shared = DPoPNonceStore()
    keys = [DPoPKey(alg, nonce_store=shared) for alg in ("ES256", "PS256", "EdDSA")]
    tokens = await asyncio.gather(
        *(request_client_credentials_token(token_request(k)) for k in keys)
    )
    answers = await asyncio.gather(
        *(
            introspect_token(
                TokenIntrospectionRequest(
                    introspection_endpoint, t.access_token or "", CLIENT_ID, client=client(k)
                )
            )
            for k, t in zip(keys, tokens, strict=True)
        )
    )
    for key, token, answer in zip(keys, tokens, answers, strict=True):
        bound = (answer.cnf or {}).get("jkt") == key.jwk_thumbprint
        print(f"{key.algorithm}: token_type={token.token_type} bound to the key: {bound}")
    print("origins remembered:", len(shared))

    # A key saved as a JWK and loaded again is the same key.
    restored = DPoPKey.from_jwk(keys[0].to_jwk(), nonce_store=shared)
    again = await request_client_credentials_token(token_request(restored))
    print("restored key:", again.token_type, restored.jwk_thumbprint == keys[0].jwk_thumbprint)


asyncio.run(main())
