"""Pushed authorization requests with the asynchronous API: an ``OidcClient`` that pushes,
concurrent pushes bound to a DPoP key, and rich authorization requests (RFC 9396).

Usage: python docs/examples/par_async.py [AUTHORITY]
"""

import asyncio
import sys
from urllib.parse import parse_qsl, urlsplit

from py_identity_model.aio import (
    AuthorizationDetail,
    ClientCredentialsTokenRequest,
    ClientRegistrationRequest,
    DiscoveryDocumentRequest,
    DPoPKey,
    OidcClient,
    OidcClientOptions,
    PushedAuthorizationRequest,
    get_discovery_document,
    push_authorization_request,
    register_client,
    request_client_credentials_token,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
REDIRECT_URI = "http://127.0.0.1/callback"


def parameter_names(url: str) -> list[str]:
    return sorted(dict(parse_qsl(urlsplit(url).query)))


async def main() -> None:
    disco = await get_discovery_document(DiscoveryDocumentRequest(authority))
    par_endpoint = disco.pushed_authorization_request_endpoint
    if not disco.is_successful or not par_endpoint:
        sys.exit(f"discovery failed: {disco.error}")
    print("issuer:", disco.issuer)

    # An OidcClient pushes when the provider requires it, or when asked (use_par).
    client = OidcClient(
        OidcClientOptions(
            authority, "client-par", REDIRECT_URI, client_secret="client-par-secret", use_par=True
        )
    )
    login = await client.aprepare_login()
    print("login URL parameters:", parameter_names(login.url))

    # Three concurrent pushes, each bound to the DPoP key (the proof, and dpop_jkt).
    key = DPoPKey()
    pushes = await asyncio.gather(
        *(
            push_authorization_request(
                PushedAuthorizationRequest(
                    par_endpoint,
                    "client-basic",
                    REDIRECT_URI,
                    state=f"state-{n}",
                    client_secret="client-basic-secret",
                    dpop_key=key,
                    dpop_jkt=True,
                )
            )
            for n in range(3)
        )
    )
    print("pushed:", [p.is_successful for p in pushes])
    print("distinct request_uris:", len({p.request_uri for p in pushes}))

    # Rich authorization requests: the client registers the detail types it may ask for.
    registered = await register_client(
        ClientRegistrationRequest(
            disco.registration_endpoint or "",
            [REDIRECT_URI],
            grant_types=["authorization_code", "client_credentials"],
            extra_metadata={"authorization_details_types": ["payment_initiation"]},
        )
    )
    if not registered.is_successful or not registered.client_id:
        sys.exit(f"registration failed: {registered.error}")
    payment = AuthorizationDetail(
        "payment_initiation",
        actions=["initiate"],
        extra={"instructedAmount": {"currency": "EUR", "amount": "123.50"}},
    )
    rar = await push_authorization_request(
        PushedAuthorizationRequest(
            par_endpoint,
            registered.client_id,
            REDIRECT_URI,
            client_secret=registered.client_secret,
            authorization_details=[payment],
            resource="urn:test:api:opaque",
        )
    )
    print(f"details pushed: is_successful={rar.is_successful}")
    tokens = await request_client_credentials_token(
        ClientCredentialsTokenRequest(
            disco.token_endpoint or "",
            registered.client_id,
            registered.client_secret,
            authorization_details=[payment],
            resource="urn:test:api:opaque",
        )
    )
    granted = tokens.authorization_details or []
    print(
        "granted:", [(detail["type"], detail["instructedAmount"]["amount"]) for detail in granted]
    )
    other = await request_client_credentials_token(
        ClientCredentialsTokenRequest(
            disco.token_endpoint or "",
            registered.client_id,
            registered.client_secret,
            authorization_details=[{"type": "account_information"}],
            resource="urn:test:api:opaque",
        )
    )
    print(f"unregistered type: error_code={other.error_code}")


asyncio.run(main())
