"""Validate a JWT access token in an API (synchronous API), and see what rejections look like.

Usage: python docs/examples/validate_token_sync.py [AUTHORITY]
"""

import base64
import json
import sys
import time

import httpx

from py_identity_model import (
    DiscoveryDocumentRequest,
    JsonWebToken,
    NetworkException,
    TokenValidationConfig,
    TokenValidationException,
    get_discovery_document,
    validate_token,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"

# The test provider's confidential client and one of its APIs (tests/provider/README.md).
CLIENT_ID, CLIENT_SECRET = "client-basic", "client-basic-secret"
API = "urn:test:api:es256"  # the resource indicator: the token's audience


def token_from_provider() -> str:
    """Stands in for the token your API received in ``Authorization: Bearer <token>``."""
    disco = get_discovery_document(DiscoveryDocumentRequest(authority))
    if not disco.is_successful or not disco.token_endpoint:
        sys.exit(f"discovery failed: {disco.error}")
    response = httpx.post(
        disco.token_endpoint,
        data={"grant_type": "client_credentials", "scope": "api:read", "resource": API},
        auth=(CLIENT_ID, CLIENT_SECRET),
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


token = token_from_provider()

# Discovery mode: the issuer and the signing keys come from the authority's metadata.
config = TokenValidationConfig(
    perform_disco=True,
    audience=API,  # "aud" must contain it
    token_type="at+jwt",  # RFC 9068 JWT access tokens
    required_scopes=["api:read"],
)
claims = validate_token(token, config, disco_doc_address=authority)
print("valid: True")
print("iss:", claims["iss"])
print("sub:", claims["sub"])
print("aud:", claims["aud"])
print("scope:", claims["scope"])
print("expires in:", round(claims["exp"] - time.time()), "s")

# For logs only: the header of the token, decoded without trusting it.
print("header:", JsonWebToken.decode_unverified(token).header)

# Rejections raise a TokenValidationException subclass with a stable code.
header, _payload, signature = token.split(".")
widened = json.dumps({**claims, "scope": "api:read api:write"}).encode()
forged = base64.urlsafe_b64encode(widened).rstrip(b"=").decode()
cases = {
    "wrong audience": (token, TokenValidationConfig(perform_disco=True, audience="urn:other")),
    "missing scope": (
        token,
        TokenValidationConfig(perform_disco=True, audience=API, required_scopes=["api:write"]),
    ),
    "tampered payload": (f"{header}.{forged}.{signature}", config),
}
for label, (candidate, candidate_config) in cases.items():
    try:
        validate_token(candidate, candidate_config, disco_doc_address=authority)
    except TokenValidationException as exc:
        print(f"{label}: rejected code={exc.code} ({type(exc).__name__}: {exc})")
    else:
        sys.exit(f"{label}: unexpectedly accepted")

# Keys that cannot be obtained are an outage, not a verdict on the token. The exception is
# a NetworkException (DiscoveryException or JwksException) and, for code written against
# 4.x, also a TokenValidationException: catch NetworkException first to tell them apart.
try:
    validate_token(token, config, disco_doc_address=authority + "/no-such-tenant")
except NetworkException as exc:
    rejection = isinstance(exc, TokenValidationException)
    print(
        f"keys unavailable: {type(exc).__name__} code={exc.code} "
        f"error_code={getattr(exc, 'error_code', None)} also a rejection: {rejection}"
    )
