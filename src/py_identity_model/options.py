"""Library-wide defaults, set in code.

Nothing here is read from environment variables: a library must not change behaviour
behind its caller's back. Change defaults once at start-up with :func:`configure`, or pass
an explicit :class:`~py_identity_model.HTTPClient` / policy to a single call.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from typing import Any

from .exceptions import ConfigurationException

__all__ = ["LibraryOptions", "RetryPolicy", "configure", "get_options"]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Automatic retries for *idempotent GETs* answered with 429 or 503.

    Never applied to POSTs (a redeemed authorization code must not be sent twice) and never
    after a timeout or network error. ``Retry-After`` is honoured; the summed wait of one
    call never exceeds ``max_total_wait`` seconds: a longer ``Retry-After`` ends the call
    with the 429/503 result instead of sleeping.
    """

    max_retries: int = 2
    max_total_wait: float = 3.0
    default_delay: float = 0.5
    statuses: frozenset[int] = frozenset({429, 503})

    def __post_init__(self) -> None:
        if self.max_retries < 0 or self.max_total_wait < 0 or self.default_delay < 0:
            raise ConfigurationException("RetryPolicy values must not be negative")


NO_RETRY = RetryPolicy(max_retries=0)


@dataclass(frozen=True, slots=True)
class LibraryOptions:
    """Defaults used wherever a call does not say otherwise.

    Attributes:
        timeout: seconds that bound a whole HTTP exchange, body included (a server that
            trickles bytes cannot hold a caller past it).
        max_response_bytes: responses larger than this fail while being read.
        retry: the retry policy for idempotent GETs.
        max_connections / max_keepalive_connections: connection-pool limits of the
            managed default clients.
        clock_skew: seconds of leeway for time-based claim checks (``exp``, ``nbf``,
            ``iat``) when a validation call sets none. 0 by default, as in PyJWT and
            py-identity-model 4.x; 30-120 s is common where clocks drift.
        discovery_cache_duration / jwks_cache_duration: default cache lifetimes (seconds)
            when the server sends no usable ``Cache-Control: max-age``.
        jwks_refresh_cooldown: a token with an unknown ``kid`` refetches the JWKS at most
            once per this many seconds, so a flood of random kids cannot cause a flood of
            fetches.
        min_cache_duration / max_cache_duration: bounds applied to a server's ``max-age``.
        stale_if_error: seconds a cached document is still served when a refresh fails.
    """

    timeout: float = 30.0
    max_response_bytes: int = 1024 * 1024
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_connections: int = 100
    max_keepalive_connections: int = 20
    clock_skew: float = 0.0
    discovery_cache_duration: float = 24 * 3600.0
    jwks_cache_duration: float = 3600.0
    jwks_refresh_cooldown: float = 30.0
    min_cache_duration: float = 60.0
    max_cache_duration: float = 7 * 24 * 3600.0
    stale_if_error: float = 24 * 3600.0

    def __post_init__(self) -> None:
        if self.timeout <= 0:
            raise ConfigurationException("timeout must be positive")
        if self.max_response_bytes <= 0:
            raise ConfigurationException("max_response_bytes must be positive")
        if self.min_cache_duration > self.max_cache_duration:
            raise ConfigurationException("min_cache_duration exceeds max_cache_duration")
        if self.clock_skew < 0:
            raise ConfigurationException("clock_skew must not be negative")


_lock = threading.Lock()
_options = LibraryOptions()


def get_options() -> LibraryOptions:
    """The library-wide defaults now in force."""
    return _options


def configure(**changes: Any) -> LibraryOptions:
    """Replace some defaults, e.g. ``configure(timeout=10, max_response_bytes=2**21)``.

    Affects clients created afterwards (the managed default clients are re-created).
    Returns the new options.
    """
    global _options  # noqa: PLW0603 - the one process-wide settings object
    with _lock:
        try:
            _options = replace(_options, **changes)
        except TypeError as exc:
            raise ConfigurationException(f"Unknown option: {exc}") from None
    from .http import defaults  # local import: http depends on options

    defaults.reset_default_clients()
    return _options
