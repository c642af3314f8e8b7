"""Async JWKS retrieval."""

from __future__ import annotations

from ..http.drivers import run_async
from ..jwks.document import jwks_flow
from ..jwks.models import JwksRequest, JwksResponse

__all__ = ["get_jwks"]


async def get_jwks(jwks_request: JwksRequest, http_client: object = None) -> JwksResponse:
    """Fetch a JSON Web Key Set (async twin of the top-level function)."""
    return await run_async(jwks_flow(jwks_request), http_client)
