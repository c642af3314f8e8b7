"""The discovery document as a refreshing value (pure: no driver, no I/O).

One factory shared by :class:`~py_identity_model.discovery.cache.DiscoveryCache` and the
validation key sources, so the lifetime rules (the server's ``Cache-Control: max-age``
clamped to the configured bounds) are written once.
"""

from __future__ import annotations

from ..caching.cache_control import cache_lifetime
from ..caching.refreshing import RefreshingValue
from ..options import get_options
from ..utils.numbers import require_number
from .document import discovery_flow
from .models import DiscoveryDocumentRequest, DiscoveryDocumentResponse

__all__ = ["discovery_value"]


def discovery_value(
    request: DiscoveryDocumentRequest,
    *,
    cache_duration: float | None = None,
    stale_if_error: float | None = None,
) -> RefreshingValue[DiscoveryDocumentResponse]:
    """A refreshing, single-flight cache of ``request``'s discovery document."""
    options = get_options()
    if cache_duration is not None:
        require_number(cache_duration, "cache_duration")
    if stale_if_error is not None:
        require_number(stale_if_error, "stale_if_error")

    def lifetime(response: DiscoveryDocumentResponse) -> float:
        if cache_duration is not None:
            return cache_duration
        return cache_lifetime(
            response.headers,
            default=options.discovery_cache_duration,
            minimum=options.min_cache_duration,
            maximum=options.max_cache_duration,
        )

    return RefreshingValue(
        lambda: discovery_flow(request),
        is_good=lambda response: response.is_successful,
        lifetime=lifetime,
        stale_if_error=options.stale_if_error if stale_if_error is None else stale_if_error,
    )
