"""What failures look like: every problem is a result with error_code and error_type.

Usage: python docs/examples/discovery_errors.py [AUTHORITY]
"""

import sys

from py_identity_model import (
    DiscoveryDocumentRequest,
    DiscoveryPolicy,
    ErrorCodes,
    ErrorType,
    get_discovery_document,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"

cases = {
    # Refused before any request is sent: plain HTTP to a host that is not loopback.
    "plain http": DiscoveryDocumentRequest("http://login.example.com"),
    # The provider answers, but its issuer is not the authority we expect.
    "wrong issuer": DiscoveryDocumentRequest(
        authority, DiscoveryPolicy(authority="https://someone-else.example")
    ),
}

for label, request in cases.items():
    result = get_discovery_document(request)
    assert not result.is_successful
    # error_code is stable, for programs; error_type its broad class; error is for people.
    print(f"{label}: error_code={result.error_code} error_type={result.error_type}")
    print(f"  error: {result.error}")
    # error_kind and status_code are py-identity-model 4.x's names of the same values.
    print(f"  4.x aliases: error_kind={result.error_kind} status_code={result.status_code}")
    if result.error_type is ErrorType.POLICY and result.error_code == ErrorCodes.ISSUER_MISMATCH:
        print("  -> check the authority you configured")
