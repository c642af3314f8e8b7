"""Async JWKS retrieval."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..drivers.aio import run_async
from ..jwks.document import jwks_flow
from ..jwks.models import JwksRequest, JwksResponse

if TYPE_CHECKING:
    from ..drivers.aio import AsyncHttpClient

__all__ = ["get_jwks"]


async def get_jwks(
    jwks_request: JwksRequest, http_client: AsyncHttpClient | None = None
) -> JwksResponse:
    """Fetch a JSON Web Key Set (async twin of the top-level function)."""
    return await run_async(jwks_flow(jwks_request), http_client)
