"""Introspect an opaque access token, revoke it, introspect it again (synchronous API).

Usage: python docs/examples/introspection_sync.py [AUTHORITY]
"""

import sys

from py_identity_model import (
    ClientCredentialsTokenRequest,
    DiscoveryDocumentRequest,
    JwtResponseValidation,
    TokenIntrospectionRequest,
    TokenRevocationRequest,
    get_discovery_document,
    introspect_token,
    request_client_credentials_token,
    revoke_token,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
CLIENT_ID, CLIENT_SECRET = "client-basic", "client-basic-secret"

disco = get_discovery_document(DiscoveryDocumentRequest(authority))
if not disco.is_successful or not disco.introspection_endpoint or not disco.revocation_endpoint:
    sys.exit(f"discovery failed: {disco.error}")
print("issuer:", disco.issuer)

# An opaque access token (this resource is configured for opaque tokens at the provider).
token = request_client_credentials_token(
    ClientCredentialsTokenRequest(
        disco.token_endpoint or "",
        CLIENT_ID,
        CLIENT_SECRET,
        scope="api:read",
        resource="urn:test:api:opaque",
    )
)
if not token.is_successful or not token.access_token:
    sys.exit(f"token request failed: {token.error}")
access_token = token.access_token
print("access token segments:", len(access_token.split(".")))  # 1: opaque

# Ask the authorization server what the token stands for (RFC 7662).
request = TokenIntrospectionRequest(
    disco.introspection_endpoint, access_token, CLIENT_ID, "access_token", CLIENT_SECRET
)
answer = introspect_token(request)
if not answer.is_successful:
    sys.exit(f"introspection failed: {answer.error_code}: {answer.error}")
print(f"active={answer.active} scope={answer.scope} client_id={answer.client_id} sub={answer.sub}")
print("aud:", answer.aud)
print("lifetime:", (answer.exp or 0) - (answer.iat or 0), "s")

# The same question with a signed answer (RFC 9701), verified with the server's keys.
signed = introspect_token(
    TokenIntrospectionRequest(
        disco.introspection_endpoint,
        access_token,
        CLIENT_ID,
        client_secret=CLIENT_SECRET,
        jwt_response=JwtResponseValidation(disco_doc_address=authority),
    )
)
print(f"jwt response: is_successful={signed.is_successful} active={signed.active}")
print(
    "  signed for:",
    (signed.jwt_claims or {}).get("aud"),
    "by",
    (signed.jwt_claims or {}).get("iss"),
)

# Revoke it (RFC 7009): 200 is success whatever the body; then the token is inactive.
revoked = revoke_token(
    TokenRevocationRequest(
        disco.revocation_endpoint, access_token, CLIENT_ID, "access_token", CLIENT_SECRET
    )
)
print(f"revoked: is_successful={revoked.is_successful} http_status={revoked.http_status}")
again = introspect_token(request)
print(f"after revocation: is_successful={again.is_successful} active={again.active}")
print("claims:", again.claims)

# A token the server cannot revoke is a failed result carrying the server's error.
jwt = request_client_credentials_token(
    ClientCredentialsTokenRequest(
        disco.token_endpoint or "", CLIENT_ID, CLIENT_SECRET, resource="urn:test:api:rs256"
    )
)
refused = revoke_token(
    TokenRevocationRequest(
        disco.revocation_endpoint, jwt.access_token or "", CLIENT_ID, client_secret=CLIENT_SECRET
    )
)
print(f"revoke a JWT: error_code={refused.error_code} error_type={refused.error_type}")
print("request:", request)  # the token and the secret are never shown
