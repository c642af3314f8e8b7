"""A key set as a refreshing value (pure: no driver, no I/O)."""

from __future__ import annotations

from ..caching.cache_control import cache_lifetime
from ..caching.refreshing import RefreshingValue
from ..options import get_options
from .document import jwks_flow
from .models import JwksRequest, JwksResponse

__all__ = ["jwks_value"]


def jwks_value(request: JwksRequest) -> RefreshingValue[JwksResponse]:
    """A refreshing, single-flight cache of the key set at ``request.address``."""
    options = get_options()
    return RefreshingValue(
        lambda: jwks_flow(request),
        is_good=lambda response: response.is_successful,
        lifetime=lambda response: cache_lifetime(
            response.headers,
            default=options.jwks_cache_duration,
            minimum=options.min_cache_duration,
            maximum=options.max_cache_duration,
        ),
        stale_if_error=options.stale_if_error,
    )
