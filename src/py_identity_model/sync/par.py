"""Sync pushed authorization requests (RFC 9126). Drives ``pushed_authorization_flow``;
never raises for HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..drivers.sync import run_sync
from ..par.flow import pushed_authorization_flow
from ..par.models import PushedAuthorizationRequest, PushedAuthorizationResponse

if TYPE_CHECKING:
    from ..drivers.sync import SyncHttpClient

__all__ = ["push_authorization_request"]


def push_authorization_request(
    request: PushedAuthorizationRequest, http_client: SyncHttpClient | None = None
) -> PushedAuthorizationResponse:
    """Push an authorization request to the server and get its one-time ``request_uri``
    (RFC 9126 §2); send the browser to ``response.authorization_url(...)``."""
    return run_sync(pushed_authorization_flow(request), http_client)
