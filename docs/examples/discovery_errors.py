"""What failures look like: every problem is a result with error_type and error_kind.

Usage: python docs/examples/discovery_errors.py [AUTHORITY]
"""

import sys

from py_identity_model import (
    DiscoveryDocumentRequest,
    DiscoveryErrorKind,
    DiscoveryPolicy,
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
    print(
        f"{label}: error_type={result.error_type.value if result.error_type else None} "
        f"error_kind={result.error_kind.value if result.error_kind else None}"
    )
    print(f"  error: {result.error}")
    if (
        result.error_type is ErrorType.POLICY
        and result.error_kind is DiscoveryErrorKind.ISSUER_MISMATCH
    ):
        print("  -> check the authority you configured")
