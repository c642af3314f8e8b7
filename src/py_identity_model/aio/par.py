"""Async pushed authorization requests (RFC 9126). Drives ``pushed_authorization_flow``;
never raises for HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..drivers.aio import run_async
from ..par.flow import pushed_authorization_flow
from ..par.models import PushedAuthorizationRequest, PushedAuthorizationResponse

if TYPE_CHECKING:
    from ..drivers.aio import AsyncHttpClient

__all__ = ["push_authorization_request"]


async def push_authorization_request(
    request: PushedAuthorizationRequest, http_client: AsyncHttpClient | None = None
) -> PushedAuthorizationResponse:
    """Push an authorization request to the server and get its one-time ``request_uri``
    (RFC 9126 §2); send the browser to ``response.authorization_url(...)``."""
    return await run_async(pushed_authorization_flow(request), http_client)
