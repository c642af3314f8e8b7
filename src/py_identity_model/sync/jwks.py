"""Sync JWKS retrieval."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..drivers.sync import run_sync
from ..jwks.document import jwks_flow
from ..jwks.models import JwksRequest, JwksResponse

if TYPE_CHECKING:
    from ..drivers.sync import SyncHttpClient

__all__ = ["get_jwks"]


def get_jwks(jwks_request: JwksRequest, http_client: SyncHttpClient | None = None) -> JwksResponse:
    """Fetch a JSON Web Key Set. Invalid keys are skipped; never raises for HTTP failures."""
    return run_sync(jwks_flow(jwks_request), http_client)
