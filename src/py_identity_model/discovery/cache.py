"""``DiscoveryCache``: one authority's discovery document, kept fresh (as in Duende)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..caching.refreshing import RefreshingValue
from ..drivers import aio as async_driver, sync as sync_driver
from ..exceptions import ConfigurationException
from .cached import discovery_value
from .models import DiscoveryDocumentRequest, DiscoveryDocumentResponse, DiscoveryPolicy

if TYPE_CHECKING:
    from ..drivers.aio import AsyncHttpClient
    from ..drivers.sync import SyncHttpClient

__all__ = ["DiscoveryCache"]


class DiscoveryCache:
    """Caches one authority's discovery document for sync and async callers alike.

    * Lifetime: the server's ``Cache-Control: max-age`` clamped to the configured bounds
      (``cache_duration`` overrides it).
    * Single-flight: concurrent callers (threads or tasks) share one fetch.
    * Resilient: when a refresh fails, the last good document is served for up to
      ``stale_if_error`` seconds past its lifetime.

    Example::

        cache = DiscoveryCache("https://login.example.com")
        disco = cache.get()              # sync
        disco = await cache.aget()       # async
    """

    def __init__(
        self,
        address: str | DiscoveryDocumentRequest,
        *,
        policy: DiscoveryPolicy | None = None,
        cache_duration: float | None = None,
        stale_if_error: float | None = None,
    ) -> None:
        if not isinstance(address, (str, DiscoveryDocumentRequest)):
            raise ConfigurationException("address must be a URL or a DiscoveryDocumentRequest")
        self.request = (
            address
            if isinstance(address, DiscoveryDocumentRequest)
            else DiscoveryDocumentRequest(address, policy)
        )
        self._value: RefreshingValue[DiscoveryDocumentResponse] = discovery_value(
            self.request, cache_duration=cache_duration, stale_if_error=stale_if_error
        )

    @property
    def value(self) -> RefreshingValue[DiscoveryDocumentResponse]:
        """The cache itself, for flows that ``Fetch`` the document."""
        return self._value

    def get(
        self, http_client: SyncHttpClient | None = None, *, max_age: float | None = None
    ) -> DiscoveryDocumentResponse:
        """The document, fetched when missing or stale (or older than ``max_age`` seconds)."""
        return self._value.get(sync_driver.runner(http_client), max_age=max_age)

    async def aget(
        self, http_client: AsyncHttpClient | None = None, *, max_age: float | None = None
    ) -> DiscoveryDocumentResponse:
        """The document, fetched when missing or stale (async)."""
        return await self._value.aget(async_driver.runner(http_client), max_age=max_age)

    def peek(self) -> DiscoveryDocumentResponse | None:
        """The cached document if it is fresh, without any I/O."""
        return self._value.peek()

    def invalidate(self) -> None:
        """Forget the cached document; the next call fetches it again."""
        self._value.invalidate()

    @property
    def fetch_count(self) -> int:
        """How many fetches completed (diagnostics)."""
        return self._value.fetch_count

    def __repr__(self) -> str:
        return f"DiscoveryCache({self.request.address!r})"
