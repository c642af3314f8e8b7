"""Protecting an API with ResourceServer (framework-free), asynchronous API.

Usage: python docs/examples/resource_server_async.py [AUTHORITY]

``aauthenticate`` never blocks the event loop. The client gets a DPoP-bound token
(``client-dpop``, RFC 9449) and signs one proof per request; the API checks the token, its
``cnf.jkt`` binding and the proof, serves many concurrent requests from one cached
validation, and asks for step-up (RFC 9470) on a route that needs a stronger login.
"""

import asyncio
import sys

from py_identity_model import (
    Client,
    ClientCredentialsTokenRequest,
    ClientSecretBasic,
    DiscoveryDocumentRequest,
    IncomingRequest,
    ResourceRejection,
    ResourceServer,
    generate_dpop_key,
)
from py_identity_model.aio import get_discovery_document, request_client_credentials_token

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
API = "urn:test:api"
URL = "https://orders.example.com/api/orders/42"

api = ResourceServer(issuer=authority, audience=API, required_scopes=["api:read"])


async def handle(headers: list[tuple[str, str]], **requirements: object) -> str:
    try:
        principal = await api.aauthenticate(
            IncomingRequest("GET", URL, headers),
            **requirements,  # type: ignore[arg-type]
        )
    except ResourceRejection as rejection:
        return f"{rejection.status} {rejection.error}"
    return f"200 {principal.token_type} jkt={principal.dpop_jkt == key.jwk_thumbprint}"


async def main() -> None:
    disco = await get_discovery_document(DiscoveryDocumentRequest(authority))
    assert disco.is_successful, disco.error
    print("issuer:", disco.issuer)
    response = await request_client_credentials_token(
        ClientCredentialsTokenRequest(
            disco.token_endpoint or "",
            "client-dpop",
            scope="api:read",
            resource=API,
            client=Client("client-dpop", ClientSecretBasic("client-dpop-secret"), dpop=key),
        )
    )
    assert response.is_successful, response.error
    token = str(response.access_token)
    print("token_type:", response.token_type)

    def presented(proof: bool = True) -> list[tuple[str, str]]:
        headers = [("Authorization", f"DPoP {token}")]
        if proof:  # a fresh proof per request, bound to this token (ath)
            headers.append(("DPoP", key.create_proof("GET", URL, access_token=token)))
        return headers

    print("with a proof:", await handle(presented()))
    print("without a proof:", await handle(presented(proof=False)))
    print("as Bearer:", await handle([("Authorization", f"Bearer {token}")]))
    answers = await asyncio.gather(*(handle(presented()) for _ in range(20)))
    print("20 concurrent requests:", sorted(set(answers)))
    print("step-up:", await handle(presented(), acr_values=["urn:example:mfa"]))


key = generate_dpop_key()
asyncio.run(main())
