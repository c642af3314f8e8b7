"""``DiscoveryCache``: one authority's discovery document, kept fresh (as in Duende)."""

from __future__ import annotations

from ..caching.cache_control import cache_lifetime
from ..caching.refreshing import RefreshingValue
from ..options import get_options
from .document import discovery_flow
from .models import DiscoveryDocumentRequest, DiscoveryDocumentResponse, DiscoveryPolicy

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
        options = get_options()
        self.request = (
            address
            if isinstance(address, DiscoveryDocumentRequest)
            else DiscoveryDocumentRequest(address, policy)
        )

        def lifetime(response: DiscoveryDocumentResponse) -> float:
            if cache_duration is not None:
                return cache_duration
            return cache_lifetime(
                response.headers,
                default=options.discovery_cache_duration,
                minimum=options.min_cache_duration,
                maximum=options.max_cache_duration,
            )

        self._value: RefreshingValue[DiscoveryDocumentResponse] = RefreshingValue(
            lambda: discovery_flow(self.request),
            is_good=lambda response: response.is_successful,
            lifetime=lifetime,
            stale_if_error=options.stale_if_error if stale_if_error is None else stale_if_error,
        )

    def get(
        self, http_client: object = None, *, max_age: float | None = None
    ) -> DiscoveryDocumentResponse:
        """The document, fetched when missing or stale (or older than ``max_age`` seconds)."""
        return self._value.get(http_client, max_age=max_age)

    async def aget(
        self, http_client: object = None, *, max_age: float | None = None
    ) -> DiscoveryDocumentResponse:
        """The document, fetched when missing or stale (async)."""
        return await self._value.aget(http_client, max_age=max_age)

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
