"""Exchange a user's access token for other tokens (RFC 8693 token exchange, synchronous API).

Usage: python docs/examples/token_exchange_sync.py [AUTHORITY] USER_ACCESS_TOKEN

An API that received ``Authorization: Bearer <token>`` from a user and must call another API
on that user's behalf trades the token it got (the *subject token*) for one meant for the
downstream API. The tests pass the access token of a user who logged in as ``argv[2]``.
"""

import sys

from py_identity_model import (
    ClientCredentialsTokenRequest,
    ConfigurationException,
    DiscoveryDocumentRequest,
    OidcConstants,
    TokenExchangeRequest,
    TokenValidationConfig,
    exchange_token,
    get_discovery_document,
    request_client_credentials_token,
    validate_token,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
if len(sys.argv) < 3:
    sys.exit("usage: token_exchange_sync.py AUTHORITY USER_ACCESS_TOKEN")
user_access_token = sys.argv[2]

# The middle-tier API's own client at the provider (tests/provider/README.md).
CLIENT_ID, CLIENT_SECRET = "client-basic", "client-basic-secret"
DOWNSTREAM = "urn:test:api:es256"  # the API to call next: a resource indicator (RFC 8707)
ACCESS_TOKEN = OidcConstants.TokenTypeIdentifiers.ACCESS_TOKEN.value

disco = get_discovery_document(DiscoveryDocumentRequest(authority))
if not disco.is_successful or not disco.token_endpoint:
    sys.exit(f"discovery failed: {disco.error}")
print("issuer:", disco.issuer)
token_endpoint = disco.token_endpoint

# 1. Impersonation: a new token for the same user, here with the subject token's scopes.
plain = exchange_token(
    TokenExchangeRequest(
        token_endpoint,
        CLIENT_ID,
        user_access_token,
        ACCESS_TOKEN,
        client_secret=CLIENT_SECRET,
    )
)
if not plain.is_successful or not plain.access_token:
    sys.exit(f"exchange failed: {plain.error_code}: {plain.error}")
print("issued_token_type:", plain.issued_token_type)
print("token_type:", plain.token_type, "expires_in:", plain.expires_in)

# 2. Delegation to the downstream API: the middle tier shows its own token as the actor,
# and the new token (that API's JWT access token) names it in an "act" claim.
actor = request_client_credentials_token(
    ClientCredentialsTokenRequest(
        token_endpoint, "client-post", "client-post-secret", client_auth_method="client_secret_post"
    )
)
if not actor.is_successful or not actor.access_token:
    sys.exit(f"actor token failed: {actor.error}")
request = TokenExchangeRequest(
    token_endpoint,
    CLIENT_ID,
    user_access_token,
    ACCESS_TOKEN,
    actor_token=actor.access_token,
    actor_token_type=ACCESS_TOKEN,
    resource=DOWNSTREAM,
    scope="api:read",
    client_secret=CLIENT_SECRET,
)
delegated = exchange_token(request)
if not delegated.is_successful or not delegated.access_token:
    sys.exit(f"exchange failed: {delegated.error_code}: {delegated.error}")

# What the downstream API does with it: validate it as any JWT access token.
claims = validate_token(
    delegated.access_token,
    TokenValidationConfig(perform_disco=True, audience=DOWNSTREAM, token_type="at+jwt"),
    disco_doc_address=authority,
)
print(f"delegated: sub={claims['sub']} aud={claims['aud']} scope={claims['scope']}")
print("act:", claims["act"])

# 3. A subject token the server does not know is the server's error, not an exception.
refused = exchange_token(
    TokenExchangeRequest(
        token_endpoint, CLIENT_ID, "not-a-token", ACCESS_TOKEN, client_secret=CLIENT_SECRET
    )
)
print(
    f"unknown subject token: is_successful={refused.is_successful} "
    f"error_code={refused.error_code} http_status={refused.http_status}"
)

# 4. An actor token needs its type (RFC 8693 §2.1): misuse raises before any request.
try:
    exchange_token(
        TokenExchangeRequest(
            token_endpoint,
            CLIENT_ID,
            user_access_token,
            ACCESS_TOKEN,
            actor_token=actor.access_token,
            client_secret=CLIENT_SECRET,
        )
    )
except ConfigurationException as error:
    print(f"actor_token without actor_token_type: {type(error).__name__}")

print("request:", request)  # tokens and the secret are never shown
