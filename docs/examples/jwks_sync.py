"""Discover an OpenID Provider's key set and list its keys (synchronous API).

Usage: python docs/examples/jwks_sync.py [AUTHORITY]
"""

import sys

from py_identity_model import (
    DiscoveryDocumentRequest,
    HTTPClient,
    JwksRequest,
    get_discovery_document,
    get_jwks,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"

# Reuse one client (one connection pool) for both calls; close it when done.
with HTTPClient(timeout=10) as http:
    disco = get_discovery_document(DiscoveryDocumentRequest(authority), http_client=http)
    if not disco.is_successful:
        sys.exit(f"discovery failed: {disco.error}")
    print("issuer:", disco.issuer)

    jwks = get_jwks(JwksRequest(disco.jwks_uri or ""), http_client=http)
    if not jwks.is_successful:
        sys.exit(f"JWKS failed: {jwks.error}")

print("keys:", len(jwks.keys or []))
for key in jwks.keys or []:
    # thumbprint() is the RFC 7638 SHA-256 JWK thumbprint, base64url-encoded.
    print(
        f"key kid={key.kid} kty={key.kty} crv={key.crv} alg={key.alg} use={key.use} "
        f"bits={key.key_size} thumbprint={key.thumbprint()}"
    )
# Keys that failed validation are skipped (never fatal) and reported here:
print("skipped:", jwks.skipped_keys or [])
print("max_age:", jwks.max_age)
