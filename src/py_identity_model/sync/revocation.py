"""Sync token revocation (RFC 7009). Drives ``revocation_flow``; never raises for HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..drivers.sync import run_sync
from ..revocation.flow import revocation_flow
from ..revocation.models import TokenRevocationRequest, TokenRevocationResponse

if TYPE_CHECKING:
    from ..drivers.sync import SyncHttpClient

__all__ = ["revoke_token"]


def revoke_token(
    request: TokenRevocationRequest, http_client: SyncHttpClient | None = None
) -> TokenRevocationResponse:
    """Revoke a refresh or access token (RFC 7009 §2); 200 is success whatever the body."""
    return run_sync(revocation_flow(request), http_client)
