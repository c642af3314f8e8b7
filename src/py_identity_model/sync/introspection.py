"""Sync token introspection (RFC 7662, RFC 9701). Drives ``introspection_flow``; never
raises for HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..drivers.sync import run_sync
from ..introspection.flow import introspection_flow
from ..introspection.models import TokenIntrospectionRequest, TokenIntrospectionResponse

if TYPE_CHECKING:
    from ..drivers.sync import SyncHttpClient

__all__ = ["introspect_token"]


def introspect_token(
    request: TokenIntrospectionRequest, http_client: SyncHttpClient | None = None
) -> TokenIntrospectionResponse:
    """Ask the authorization server whether a token is active, and what it stands for
    (RFC 7662 §2; a verified JWT answer with ``jwt_response``, RFC 9701)."""
    return run_sync(introspection_flow(request), http_client)
