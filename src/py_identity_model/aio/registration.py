"""Async client registration (RFC 7591) and management (RFC 7592); never raises for HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..drivers.aio import run_async
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
    from ..drivers.aio import AsyncHttpClient

__all__ = ["delete_client", "read_client", "register_client", "update_client"]


async def register_client(
    request: ClientRegistrationRequest, http_client: AsyncHttpClient | None = None
) -> ClientRegistrationResponse:
    """Register a client (RFC 7591 §3.1): POST its metadata, get its credentials back."""
    return await run_async(register_client_flow(request), http_client)


async def read_client(
    request: ClientReadRequest, http_client: AsyncHttpClient | None = None
) -> ClientRegistrationResponse:
    """Read a registered client's configuration (RFC 7592 §2.1)."""
    return await run_async(read_client_flow(request), http_client)


async def update_client(
    request: ClientUpdateRequest, http_client: AsyncHttpClient | None = None
) -> ClientRegistrationResponse:
    """Replace a client's metadata (RFC 7592 §2.2); may rotate the registration token."""
    return await run_async(update_client_flow(request), http_client)


async def delete_client(
    request: ClientDeleteRequest, http_client: AsyncHttpClient | None = None
) -> ClientDeleteResponse:
    """Deregister a client (RFC 7592 §2.3); 204 No Content is success."""
    return await run_async(delete_client_flow(request), http_client)
