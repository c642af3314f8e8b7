"""Sync JWKS retrieval."""

from __future__ import annotations

from ..http.drivers import run_sync
from ..jwks.document import jwks_flow
from ..jwks.models import JwksRequest, JwksResponse

__all__ = ["get_jwks"]


def get_jwks(jwks_request: JwksRequest, http_client: object = None) -> JwksResponse:
    """Fetch a JSON Web Key Set. Invalid keys are skipped; never raises for HTTP failures."""
    return run_sync(jwks_flow(jwks_request), http_client)
