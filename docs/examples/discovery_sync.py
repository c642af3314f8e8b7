"""Fetch an OpenID Provider's discovery document with the synchronous API.

Usage: python docs/examples/discovery_sync.py [AUTHORITY]
"""

import sys

from py_identity_model import DiscoveryDocumentRequest, get_discovery_document

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"

# The authority (issuer) or the full .well-known/openid-configuration URL both work.
disco = get_discovery_document(DiscoveryDocumentRequest(authority))

# Failures are results, not exceptions: check is_successful first.
if not disco.is_successful:
    sys.exit(f"discovery failed: {disco.error} (error_code={disco.error_code})")

print("issuer:", disco.issuer)
print("jwks_uri:", disco.jwks_uri)
print("token_endpoint:", disco.token_endpoint)
print("grant_types_supported:", ", ".join(disco.grant_types_supported or []))
# Any member, registered or not, by its JSON name:
print("end_session_endpoint:", disco.endpoint("end_session_endpoint"))
print("claims_parameter_supported:", disco.get("claims_parameter_supported"))
