"""Sync discovery."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..discovery.document import discovery_flow
from ..discovery.models import DiscoveryDocumentRequest, DiscoveryDocumentResponse
from ..drivers.sync import run_sync

if TYPE_CHECKING:
    from ..drivers.sync import SyncHttpClient

__all__ = ["get_discovery_document"]


def get_discovery_document(
    disco_doc_req: DiscoveryDocumentRequest, http_client: SyncHttpClient | None = None
) -> DiscoveryDocumentResponse:
    """Fetch and validate a discovery document. Never raises for HTTP or policy failures.

    Args:
        disco_doc_req: the address (well-known URL or authority) and policy.
        http_client: an :class:`~py_identity_model.HTTPClient`, an ``httpx.Client`` or any
            :class:`~py_identity_model.http.SyncTransport`; the managed default otherwise.
    """
    return run_sync(discovery_flow(disco_doc_req), http_client)
