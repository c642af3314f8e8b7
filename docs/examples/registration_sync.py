"""Register a client, read it, update it, delete it (RFC 7591 and RFC 7592, synchronous API).

Usage: python docs/examples/registration_sync.py [AUTHORITY]

The test provider's registration is open (no initial access token). Against a server that
requires one, pass it as ``initial_access_token=``.
"""

import sys

from py_identity_model import (
    ClientDeleteRequest,
    ClientReadRequest,
    ClientRegistrationRequest,
    ClientUpdateRequest,
    DiscoveryDocumentRequest,
    delete_client,
    get_discovery_document,
    read_client,
    register_client,
    update_client,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
REDIRECT_URI = "http://127.0.0.1:8400/callback"  # a native app's loopback redirect

disco = get_discovery_document(DiscoveryDocumentRequest(authority))
if not disco.is_successful or not disco.registration_endpoint:
    sys.exit(f"no registration endpoint: {disco.error}")
print("issuer:", disco.issuer)

# Register (RFC 7591 §3.1): metadata in, client_id and credentials out.
registered = register_client(
    ClientRegistrationRequest(
        disco.registration_endpoint,
        redirect_uris=[REDIRECT_URI],
        response_types=["code"],
        grant_types=["authorization_code", "refresh_token"],
        application_type="native",
        client_name="Docs example",
        token_endpoint_auth_method="client_secret_basic",
        extra_metadata={"id_token_signed_response_alg": "ES256"},
    )
)
if not registered.is_successful or not registered.client_id:
    sys.exit(f"registration failed: {registered.error_code}: {registered.error}")
print(
    f"registered: http_status={registered.http_status} has client_id: {bool(registered.client_id)}"
)
print("client_secret issued:", registered.client_secret is not None)
print("client_secret_expires_at:", registered.client_secret_expires_at)  # 0: never
print("metadata id_token_signed_response_alg:", (registered.metadata or {}).get(
    "id_token_signed_response_alg"))  # fmt: skip
print("response:", registered)  # the secret and the tokens are never shown

# Keep these two: they are how the client manages its registration (RFC 7592).
client_uri = registered.registration_client_uri or ""
token = registered.registration_access_token or ""

read = read_client(ClientReadRequest(client_uri, token))
print(
    f"read: is_successful={read.is_successful}",
    "client_name:",
    (read.metadata or {})["client_name"],
)

# Update (RFC 7592 §2.2) replaces the whole registration: send every member to keep.
updated = update_client(
    ClientUpdateRequest(
        client_uri,
        token,
        registered.client_id,
        redirect_uris=[REDIRECT_URI, "http://127.0.0.1:8400/second"],
        response_types=["code"],
        grant_types=["authorization_code", "refresh_token"],
        application_type="native",
        client_name="Docs example, renamed",
        token_endpoint_auth_method="client_secret_basic",
        client_secret=registered.client_secret,
    )
)
if not updated.is_successful:
    sys.exit(f"update failed: {updated.error_code}: {updated.error}")
print("updated redirect_uris:", (updated.metadata or {}).get("redirect_uris"))
# This server rotates the registration access token on update: use the new one from now on.
rotated = updated.registration_access_token not in (None, token)
print("registration access token rotated:", rotated)
new_token = updated.registration_access_token or token
stale = read_client(ClientReadRequest(client_uri, token))
print(f"read with the old token: http_status={stale.http_status} error_code={stale.error_code}")

deleted = delete_client(ClientDeleteRequest(client_uri, new_token))
print(f"deleted: is_successful={deleted.is_successful} http_status={deleted.http_status}")
gone = read_client(ClientReadRequest(client_uri, new_token))
print(f"read after delete: is_successful={gone.is_successful} http_status={gone.http_status}")

# Metadata the server refuses is its RFC 7591 §3.2.2 error, as error_code.
refused = register_client(
    ClientRegistrationRequest(
        disco.registration_endpoint, redirect_uris=["https://app.example/cb#fragment"]
    )
)
print(f"bad redirect URI: error_code={refused.error_code} http_status={refused.http_status}")
