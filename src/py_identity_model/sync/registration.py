"""Sync client registration (RFC 7591) and management (RFC 7592); never raises for HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..drivers.sync import run_sync
from ..registration.flow import (
    delete_client_flow,
    read_client_flow,
    register_client_flow,
    update_client_flow,
)
from ..registration.models import (
    ClientDeleteRequest,
    ClientDeleteResponse,
    ClientReadRequest,
    ClientRegistrationRequest,
    ClientRegistrationResponse,
    ClientUpdateRequest,
)

if TYPE_CHECKING:
    from ..drivers.sync import SyncHttpClient

__all__ = ["delete_client", "read_client", "register_client", "update_client"]


def register_client(
    request: ClientRegistrationRequest, http_client: SyncHttpClient | None = None
) -> ClientRegistrationResponse:
    """Register a client (RFC 7591 §3.1): POST its metadata, get its credentials back."""
    return run_sync(register_client_flow(request), http_client)


def read_client(
    request: ClientReadRequest, http_client: SyncHttpClient | None = None
) -> ClientRegistrationResponse:
    """Read a registered client's configuration (RFC 7592 §2.1)."""
    return run_sync(read_client_flow(request), http_client)


def update_client(
    request: ClientUpdateRequest, http_client: SyncHttpClient | None = None
) -> ClientRegistrationResponse:
    """Replace a client's metadata (RFC 7592 §2.2); may rotate the registration token."""
    return run_sync(update_client_flow(request), http_client)


def delete_client(
    request: ClientDeleteRequest, http_client: SyncHttpClient | None = None
) -> ClientDeleteResponse:
    """Deregister a client (RFC 7592 §2.3); 204 No Content is success."""
    return run_sync(delete_client_flow(request), http_client)
