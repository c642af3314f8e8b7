"""A TokenValidator for a hot path: create it once, validate every request with it.

Usage: python docs/examples/token_validator.py [AUTHORITY]
"""

import asyncio
import base64
import json
import sys

import httpx

from py_identity_model import (
    DiscoveryDocumentRequest,
    KeyNotFoundException,
    TokenValidator,
    get_discovery_document,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"

# The test provider's confidential client and one of its APIs (tests/provider/README.md).
CLIENT_ID, CLIENT_SECRET = "client-basic", "client-basic-secret"
API = "urn:test:api:es256"


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

# Count the validator's HTTP requests (an httpx event hook) to see its caches at work.
sent: list[str] = []
http = httpx.Client(event_hooks={"request": [lambda request: sent.append(str(request.url))]})

# Once, at start-up: a misconfiguration raises ConfigurationException here, not per request.
validator = TokenValidator.for_authority(
    authority,
    audience=API,
    http_client=http,
    token_type="at+jwt",
    required_scopes=["api:read"],
)
print(validator)

for _ in range(100):  # per request: after the first call, no I/O at all
    claims = validator.validate(token)
print(f"valid: True iss={claims['iss']} sub={claims['sub']}")
print("iss:", claims["iss"])
print("HTTP requests for 100 validations:", len(sent))

# A kid the provider never published (a forged token): the keys may have rotated, so the
# key set is fetched once more; then the token fails. That refetch happens at most once per
# jwks_refresh_cooldown (30 s by default), so a second unknown kid sends no request.
header = {"alg": "ES256", "typ": "at+jwt", "kid": "not-published"}
encoded = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
unknown_kid = encoded + token[token.index(".") :]
try:
    validator.validate(unknown_kid)
except KeyNotFoundException as exc:
    print(f"unknown kid: rejected code={exc.code}")
print("HTTP requests after an unknown kid:", len(sent))
try:
    validator.validate(unknown_kid)
except KeyNotFoundException:
    print("HTTP requests after a second unknown kid:", len(sent))

# After a key rotation you know about: forget the cached discovery document and keys.
validator.invalidate()
validator.validate(token)
print("HTTP requests after invalidate():", len(sent))
http.close()

# Without http_client= a validator uses the managed default clients, so one object serves
# threads (validate) and event loops (avalidate) at once.
shared = TokenValidator.for_authority(authority, audience=API)
print("validate: valid:", shared.validate(token)["aud"] == API)
claims = asyncio.run(shared.avalidate(token))
print("avalidate: valid:", claims["aud"] == API)
