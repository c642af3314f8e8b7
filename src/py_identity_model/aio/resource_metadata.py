"""Async protected resource metadata (RFC 9728) and authorization-server discovery."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..drivers.aio import run_async
from ..resource_metadata.flow import (
    authorization_server_discovery_flow,
    protected_resource_metadata_flow,
)
from ..resource_metadata.models import (
    AuthorizationServerDiscoveryRequest,
    AuthorizationServerDiscoveryResponse,
    ProtectedResourceMetadataRequest,
    ProtectedResourceMetadataResponse,
)

if TYPE_CHECKING:
    from ..drivers.aio import AsyncHttpClient

__all__ = ["discover_authorization_server", "get_protected_resource_metadata"]


async def get_protected_resource_metadata(
    request: ProtectedResourceMetadataRequest | str, http_client: AsyncHttpClient | None = None
) -> ProtectedResourceMetadataResponse:
    """Fetch a protected resource's metadata (async twin of the top-level function)."""
    return await run_async(protected_resource_metadata_flow(request), http_client)


async def discover_authorization_server(
    request: AuthorizationServerDiscoveryRequest | str, http_client: AsyncHttpClient | None = None
) -> AuthorizationServerDiscoveryResponse:
    """From a protected URL to its authorization server's discovery (async twin)."""
    return await run_async(authorization_server_discovery_flow(request), http_client)
