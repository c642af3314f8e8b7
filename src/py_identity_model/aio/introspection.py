"""Async token introspection (RFC 7662, RFC 9701). Drives ``introspection_flow``; never
raises for HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..drivers.aio import run_async
from ..introspection.flow import introspection_flow
from ..introspection.models import TokenIntrospectionRequest, TokenIntrospectionResponse

if TYPE_CHECKING:
    from ..drivers.aio import AsyncHttpClient

__all__ = ["introspect_token"]


async def introspect_token(
    request: TokenIntrospectionRequest, http_client: AsyncHttpClient | None = None
) -> TokenIntrospectionResponse:
    """Ask the authorization server whether a token is active, and what it stands for
    (RFC 7662 §2; a verified JWT answer with ``jwt_response``, RFC 9701)."""
    return await run_async(introspection_flow(request), http_client)
