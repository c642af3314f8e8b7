"""The synchronous API: thin functions that drive the protocol core with blocking I/O.

Each function is ``run_sync(<core flow>, http_client)``; no protocol logic lives here.
Everything is re-exported at the package top level.
"""

from .discovery import get_discovery_document
from .jwks import get_jwks

__all__ = ["get_discovery_document", "get_jwks"]
