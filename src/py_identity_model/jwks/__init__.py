"""JWKS retrieval (RFC 7517 §5): types and the core flow.

Key types live in :mod:`py_identity_model.jose`.
"""

from .document import jwks_flow, parse_jwks_response, prepare_jwks_request
from .models import JwksRequest, JwksResponse

__all__ = [
    "JwksRequest",
    "JwksResponse",
    "jwks_flow",
    "parse_jwks_response",
    "prepare_jwks_request",
]
