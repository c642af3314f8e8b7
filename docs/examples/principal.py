"""Turn validated token claims into a ClaimsPrincipal (.NET-style claims-based identity).

Usage: python docs/examples/principal.py [AUTHORITY]
"""

import sys

import httpx

from py_identity_model import (
    ClaimValueTypes,
    DiscoveryDocumentRequest,
    TokenValidationConfig,
    get_discovery_document,
    to_principal,
    validate_token,
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


config = TokenValidationConfig(perform_disco=True, audience=API)
claims = validate_token(token_from_provider(), config, disco_doc_address=authority)
print("valid: True")

# Only ever from *validated* claims: the principal is what your authorization code trusts.
principal = to_principal(claims)
identity = principal.identity
assert identity is not None
print("authentication_type:", identity.authentication_type)
print("is_authenticated:", identity.is_authenticated())
print("name:", identity.name)  # the "name" claim; a client-credentials token has none
issuer = principal.find_first("iss")
print("iss:", issuer.value if issuer else None)
for claim in principal.claims:
    kind = claim.value_type.rsplit("#", 1)[-1]
    print(f"claim {claim.claim_type}={claim.value} ({kind}, issuer {claim.issuer})")

print("has scope api:read:", principal.has_claim("scope", "api:read"))
print("is in role admin:", principal.is_in_role("admin"))
exp = principal.find_first("exp")
print("exp is an integer claim:", exp is not None and exp.value_type == ClaimValueTypes.Integer)
