"""What token management reports: a small hook, and counters built on it.

Every manager, cache and auth object reports :class:`TokenEvent` values to the listeners
added with :func:`add_token_listener` (none by default: reporting then costs one list
check). An event names what happened, the client or cache it concerns and, for failures,
the stable error code; never a token, a secret or a session key. :class:`TokenCounters`
counts events per name and client, for a metrics endpoint or a test.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from .._logging import get_logger

__all__ = [
    "TokenEvent",
    "TokenEventName",
    "TokenCounters",
    "add_token_listener",
    "remove_token_listener",
]


class TokenEventName:
    """The names of :class:`TokenEvent` (plain strings, stable)."""

    TOKEN_RETRIEVED: Final = "token_retrieved"
    """A token request (or refresh) succeeded."""
    RETRIEVAL_FAILED: Final = "retrieval_failed"
    """A token request (or refresh) failed; ``error_code`` says why."""
    CACHE_HIT: Final = "cache_hit"
    """A token was served from the cache."""
    CACHE_MISS: Final = "cache_miss"
    """No usable cached token: the caller waits for a request."""
    RENEWAL_FORCED: Final = "renewal_forced"
    """``force_renewal`` (or a 401 ``invalid_token``) asked for a new token."""
    DPOP_NONCE_RETRY: Final = "dpop_nonce_retry"
    """A resource server's ``use_dpop_nonce`` challenge was answered."""
    REDIS_FALLBACK: Final = "redis_fallback"
    """Redis is unreachable: tokens come from this process's layer and direct requests."""
    REDIS_RECOVERED: Final = "redis_recovered"
    """Redis answers again after an outage."""


@dataclass(frozen=True, slots=True)
class TokenEvent:
    """One thing that happened; ``subject`` is the client name (or ``redis``)."""

    name: str
    subject: str
    error_code: str | None = None


TokenListener = Callable[[TokenEvent], None]

_listeners: list[TokenListener] = []
_guard = threading.Lock()


def add_token_listener(listener: TokenListener) -> TokenListener:
    """Call ``listener(event)`` for every token event; returns it (to remove it later)."""
    if not callable(listener):
        from ..exceptions import ConfigurationException

        raise ConfigurationException("a token listener must be callable")
    with _guard:
        _listeners.append(listener)
    return listener


def remove_token_listener(listener: TokenListener) -> None:
    """Stop calling ``listener`` (nothing happens if it was not added)."""
    with _guard:
        if listener in _listeners:
            _listeners.remove(listener)


def emit(name: str, subject: str, error_code: str | None = None) -> None:
    """Report an event to every listener; a listener that raises is logged, not propagated."""
    if not _listeners:
        return
    event = TokenEvent(name, subject, error_code)
    for listener in tuple(_listeners):
        try:
            listener(event)
        except Exception:
            get_logger("token_management").exception("A token event listener failed")


class TokenCounters:
    """Counts events by ``(name, subject)``; add it with :func:`add_token_listener`."""

    def __init__(self) -> None:
        self._counts: Counter[tuple[str, str]] = Counter()
        self._guard = threading.Lock()

    def __call__(self, event: TokenEvent) -> None:
        with self._guard:
            self._counts[(event.name, event.subject)] += 1

    def count(self, name: str, subject: str | None = None) -> int:
        """How many ``name`` events (for one subject, or all)."""
        with self._guard:
            if subject is not None:
                return self._counts[(name, subject)]
            return sum(n for (event, _), n in self._counts.items() if event == name)

    def snapshot(self) -> dict[tuple[str, str], int]:
        with self._guard:
            return dict(self._counts)

    def __repr__(self) -> str:
        return f"TokenCounters({len(self._counts)} series)"
