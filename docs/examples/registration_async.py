"""Register a machine client, use it, deregister it (RFC 7591 / RFC 7592, async API).

Usage: python docs/examples/registration_async.py [AUTHORITY]

A deployment script can give each worker its own client: register them concurrently, let
them get tokens with their credentials, and delete them when the workers go away (their
credentials stop working at once).
"""

import asyncio
import sys

from py_identity_model.aio import (
    ClientCredentialsTokenRequest,
    ClientDeleteRequest,
    ClientRegistrationRequest,
    ClientRegistrationResponse,
    DiscoveryDocumentRequest,
    delete_client,
    get_discovery_document,
    register_client,
    request_client_credentials_token,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"


async def main() -> None:
    disco = await get_discovery_document(DiscoveryDocumentRequest(authority))
    if not disco.is_successful or not disco.registration_endpoint or not disco.token_endpoint:
        sys.exit(f"discovery failed: {disco.error}")
    print("issuer:", disco.issuer)
    token_endpoint = disco.token_endpoint

    workers = ["worker-1", "worker-2", "worker-3"]
    registrations = await asyncio.gather(
        *(
            register_client(
                ClientRegistrationRequest(
                    disco.registration_endpoint,
                    redirect_uris=[],
                    response_types=[],
                    grant_types=["client_credentials"],
                    client_name=name,
                    token_endpoint_auth_method="client_secret_post",
                )
            )
            for name in workers
        )
    )
    for name, registered in zip(workers, registrations, strict=True):
        if not registered.is_successful:
            sys.exit(f"{name}: {registered.error_code}: {registered.error_description}")
    print("registered:", [r.is_successful for r in registrations])
    print("distinct client_ids:", len({r.client_id for r in registrations}))

    def token_request(registered: ClientRegistrationResponse) -> ClientCredentialsTokenRequest:
        return ClientCredentialsTokenRequest(
            token_endpoint,
            registered.client_id or "",
            registered.client_secret,
            "api:read",
            resource="urn:test:api:rs256",  # the API the workers call (RFC 8707)
            client_auth_method="client_secret_post",
        )

    tokens = await asyncio.gather(
        *(request_client_credentials_token(token_request(r)) for r in registrations)
    )
    print("tokens:", [t.is_successful for t in tokens])

    deleted = await asyncio.gather(
        *(
            delete_client(
                ClientDeleteRequest(
                    r.registration_client_uri or "", r.registration_access_token or ""
                )
            )
            for r in registrations
        )
    )
    print("deleted:", [d.http_status for d in deleted])

    after = await asyncio.gather(
        *(request_client_credentials_token(token_request(r)) for r in registrations)
    )
    print("tokens after delete:", [t.error_code for t in after])


asyncio.run(main())
