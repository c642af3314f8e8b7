"""Library-wide defaults, set in code.

Nothing here is read from environment variables: a library must not change behaviour
behind its caller's back. Change defaults once at start-up with :func:`configure`, or pass
an explicit :class:`~py_identity_model.HTTPClient` / policy to a single call.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

from .exceptions import ConfigurationException
from .utils.numbers import require_number

__all__ = ["LibraryOptions", "RetryPolicy", "configure", "get_options", "on_options_changed"]


def _number(value: object, name: str, *, positive: bool = False, integer: bool = False) -> None:
    require_number(value, name, positive=positive, integer=integer)


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
        _number(self.max_retries, "RetryPolicy.max_retries", integer=True)
        _number(self.max_total_wait, "RetryPolicy.max_total_wait")
        _number(self.default_delay, "RetryPolicy.default_delay")
        statuses = self.statuses
        if not isinstance(statuses, (set, frozenset, list, tuple)) or not all(
            isinstance(s, int) and not isinstance(s, bool) and 100 <= s <= 599 for s in statuses
        ):
            raise ConfigurationException("RetryPolicy.statuses must be a set of HTTP statuses")
        object.__setattr__(self, "statuses", frozenset(statuses))


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
        http_stack: the HTTP library of the managed default clients: ``"httpx"`` or
            ``"httpx2"`` (the ``[httpx2]`` extra, Python >= 3.11). A client passed as
            ``http_client=`` always keeps its own stack.
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
    http_stack: Literal["httpx", "httpx2"] = "httpx"

    def __post_init__(self) -> None:
        _number(self.timeout, "timeout", positive=True)
        _number(self.max_response_bytes, "max_response_bytes", positive=True, integer=True)
        _number(self.max_connections, "max_connections", positive=True, integer=True)
        _number(self.max_keepalive_connections, "max_keepalive_connections", integer=True)
        for name in (
            "clock_skew",
            "discovery_cache_duration",
            "jwks_cache_duration",
            "jwks_refresh_cooldown",
            "min_cache_duration",
            "max_cache_duration",
            "stale_if_error",
        ):
            _number(getattr(self, name), name)
        if not isinstance(self.retry, RetryPolicy):
            raise ConfigurationException("retry must be a RetryPolicy")
        if self.min_cache_duration > self.max_cache_duration:
            raise ConfigurationException("min_cache_duration exceeds max_cache_duration")
        if self.http_stack not in ("httpx", "httpx2"):
            raise ConfigurationException("http_stack must be 'httpx' or 'httpx2'")
        if self.http_stack == "httpx2":
            import importlib.util  # finds the package without importing it

            if importlib.util.find_spec("httpx2") is None:
                raise ConfigurationException(
                    "http_stack='httpx2' needs httpx2: pip install 'py-identity-model[httpx2]'"
                )


_lock = threading.Lock()
_options = LibraryOptions()
_listeners: list[Callable[[], None]] = []
_OPTION_NAMES = frozenset(f.name for f in fields(LibraryOptions))


def on_options_changed(listener: Callable[[], None]) -> None:
    """Call ``listener`` after every :func:`configure` (the transports drop their default
    clients). Options import nothing of the layers above them: those layers register."""
    _listeners.append(listener)


def get_options() -> LibraryOptions:
    """The library-wide defaults now in force."""
    return _options


def configure(**changes: Any) -> LibraryOptions:
    """Replace some defaults, e.g. ``configure(timeout=10, max_response_bytes=2**21)``.

    Affects clients created afterwards (the managed default clients are re-created).
    Returns the new options.
    """
    global _options  # noqa: PLW0603 - the one process-wide settings object
    unknown = sorted(set(changes) - _OPTION_NAMES)
    if unknown:
        raise ConfigurationException(f"Unknown option(s): {', '.join(unknown)}")
    with _lock:
        _options = replace(_options, **changes)
    for listener in list(_listeners):
        listener()
    return _options
