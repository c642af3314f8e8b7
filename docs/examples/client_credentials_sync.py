"""Request access tokens with the client credentials grant (synchronous API).

Usage: python docs/examples/client_credentials_sync.py [AUTHORITY]
"""

import sys
import time

from py_identity_model import (
    ClientCredentialsTokenRequest,
    DiscoveryDocumentRequest,
    get_discovery_document,
    request_client_credentials_token,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"

disco = get_discovery_document(DiscoveryDocumentRequest(authority))
if not disco.is_successful or not disco.token_endpoint:
    sys.exit(f"discovery failed: {disco.error}")
print("issuer:", disco.issuer)
token_endpoint = disco.token_endpoint

# client_secret_basic, the default: the id and secret go in an HTTP Basic header.
# resource= (RFC 8707) names the API the token is for; this provider then issues a JWT.
response = request_client_credentials_token(
    ClientCredentialsTokenRequest(
        token_endpoint,
        "client-basic",
        "client-basic-secret",
        scope="api:read",
        resource="urn:test:api:es256",
    )
)
if not response.is_successful:
    sys.exit(f"token request failed: {response.error} ({response.error_type})")
print(
    f"client_secret_basic: token_type={response.token_type} "
    f"expires_in={response.expires_in} scope={response.scope}"
)
print("access token segments:", len((response.access_token or "").split(".")))
print("expires_at - now:", round((response.expires_at or 0) - time.time()), "s")
print("token members:", sorted(response.token or {}))  # the whole JSON answer

# The same client with its credentials in the form body, and an assertion MACed with the
# secret (client_secret_jwt): only client_auth_method changes. The credential fields become
# one Client value before anything is sent (request.resolved_client() shows it, secrets redacted).
for client_id, secret, method in (
    ("client-post", "client-post-secret", "client_secret_post"),
    ("client-jwt", "client-jwt-secret-0123456789abcdef0123456789abcdef", "client_secret_jwt"),
):
    request = ClientCredentialsTokenRequest(
        token_endpoint, client_id, secret, client_auth_method=method
    )
    answer = request_client_credentials_token(request)
    print(f"{method}: is_successful={answer.is_successful} token_type={answer.token_type}")
    print("  client:", request.resolved_client())

# Failures are results, not exceptions. The server's OAuth error is a "protocol" error, and
# its own code is both the error_code and (as in 4.x) the error ...
wrong = request_client_credentials_token(
    ClientCredentialsTokenRequest(token_endpoint, "client-basic", "not-the-secret")
)
print(
    f"wrong secret: error={wrong.error} error_code={wrong.error_code} "
    f"error_type={wrong.error_type} http_status={wrong.http_status}"
)

# ... and a secret is never sent over plain HTTP to a remote host: refused before any I/O,
# with one of the library's own codes and a readable message.
refused = request_client_credentials_token(
    ClientCredentialsTokenRequest("http://login.example.com/token", "client-basic", "secret")
)
print(
    f"plain http: error_code={refused.error_code} error_type={refused.error_type} "
    f"http_status={refused.http_status}"
)
print("  error:", refused.error)
