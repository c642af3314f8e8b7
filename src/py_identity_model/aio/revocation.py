"""Async token revocation (RFC 7009). Drives ``revocation_flow``; never raises for HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..drivers.aio import run_async
from ..revocation.flow import revocation_flow
from ..revocation.models import TokenRevocationRequest, TokenRevocationResponse

if TYPE_CHECKING:
    from ..drivers.aio import AsyncHttpClient

__all__ = ["revoke_token"]


async def revoke_token(
    request: TokenRevocationRequest, http_client: AsyncHttpClient | None = None
) -> TokenRevocationResponse:
    """Revoke a refresh or access token (RFC 7009 §2); 200 is success whatever the body."""
    return await run_async(revocation_flow(request), http_client)
