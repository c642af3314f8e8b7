"""Sync protected resource metadata (RFC 9728) and authorization-server discovery."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..drivers.sync import run_sync
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
    from ..drivers.sync import SyncHttpClient

__all__ = ["discover_authorization_server", "get_protected_resource_metadata"]


def get_protected_resource_metadata(
    request: ProtectedResourceMetadataRequest | str, http_client: SyncHttpClient | None = None
) -> ProtectedResourceMetadataResponse:
    """Fetch a protected resource's metadata (RFC 9728). Never raises for HTTP or policy.

    Args:
        request: a :class:`ProtectedResourceMetadataRequest`, or the resource identifier
            itself (``"https://rs.example/api"``): its well-known URL is then fetched.
        http_client: an :class:`~py_identity_model.HTTPClient`, an ``httpx.Client`` or any
            :class:`~py_identity_model.http.SyncTransport`; the managed default otherwise.
    """
    return run_sync(protected_resource_metadata_flow(request), http_client)


def discover_authorization_server(
    request: AuthorizationServerDiscoveryRequest | str, http_client: SyncHttpClient | None = None
) -> AuthorizationServerDiscoveryResponse:
    """From a protected URL (or its 401 headers) to its authorization server's discovery.

    Args:
        request: an :class:`AuthorizationServerDiscoveryRequest`, or the protected URL
            itself (it is then probed with one GET without credentials).
        http_client: as for :func:`get_protected_resource_metadata`.
    """
    return run_sync(authorization_server_discovery_flow(request), http_client)
