"""Discovery (OpenID Connect Discovery 1.0, RFC 8414): types, policy, the core flow and a cache."""

from .cache import DiscoveryCache
from .document import discovery_flow, parse_discovery_response, prepare_discovery_request
from .models import (
    DiscoveryDocumentRequest,
    DiscoveryDocumentResponse,
    DiscoveryErrorKind,
    DiscoveryPolicy,
)

__all__ = [
    "DiscoveryCache",
    "DiscoveryDocumentRequest",
    "DiscoveryDocumentResponse",
    "DiscoveryErrorKind",
    "DiscoveryPolicy",
    "discovery_flow",
    "parse_discovery_response",
    "prepare_discovery_request",
]
