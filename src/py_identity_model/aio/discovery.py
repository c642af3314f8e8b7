"""Async discovery."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..discovery.document import discovery_flow
from ..discovery.models import DiscoveryDocumentRequest, DiscoveryDocumentResponse
from ..drivers.aio import run_async

if TYPE_CHECKING:
    from ..drivers.aio import AsyncHttpClient

__all__ = ["get_discovery_document"]


async def get_discovery_document(
    disco_doc_req: DiscoveryDocumentRequest, http_client: AsyncHttpClient | None = None
) -> DiscoveryDocumentResponse:
    """Fetch and validate a discovery document (async twin of the top-level function)."""
    return await run_async(discovery_flow(disco_doc_req), http_client)
