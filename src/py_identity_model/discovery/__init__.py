"""Discovery (OpenID Connect Discovery 1.0, RFC 8414): types, policy and the core flow.

``DiscoveryCache`` (:mod:`.cache`), which fetches through the sync and async drivers, is
exported at the package top level; this package's own namespace holds only the
sans-I/O parts, so importing them never loads a driver.
"""

from .document import discovery_flow, parse_discovery_response, prepare_discovery_request
from .models import (
    DiscoveryDocumentRequest,
    DiscoveryDocumentResponse,
    DiscoveryErrorKind,
    DiscoveryPolicy,
)

__all__ = [
    "DiscoveryDocumentRequest",
    "DiscoveryDocumentResponse",
    "DiscoveryErrorKind",
    "DiscoveryPolicy",
    "discovery_flow",
    "parse_discovery_response",
    "prepare_discovery_request",
]
