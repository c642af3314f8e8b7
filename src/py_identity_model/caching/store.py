"""Where a :class:`~py_identity_model.caching.refreshing.RefreshingValue` keeps its state, and
the lock its single-flight holds: two small protocols with in-process defaults.

* :class:`StateStore` keeps a :class:`CacheState` somewhere other processes can see it too
  (Redis, a file). ``None`` (the default) means the value lives in this process only.
* :class:`FlightLock` is held by the one caller that fetches; the others wait on it. The
  default :class:`LocalLock` serves threads (``threading.Lock``) and event loops (one
  ``asyncio.Lock`` per loop); a cross-process lock (Redis, a file lock) makes a fleet of
  workers fetch once.

Stored times are whatever clock the value was built with: a store shared between
processes needs a wall clock (``time.time``), never ``time.monotonic``.
"""

from __future__ import annotations

import threading
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from ..http.messages import ARunFlow

__all__ = ["CacheState", "FlightLock", "LocalLock", "StateStore"]

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class CacheState(Generic[R]):
    """What a refreshing value knows: the last good result and the latest attempt."""

    good: R | None
    """The last successful result."""
    fetched_at: float
    """When ``good`` was fetched."""
    expires_at: float
    """``good`` is fresh until then."""
    last: R | None
    """The result of the latest fetch, successful or not."""
    last_at: float
    """When the latest fetch finished."""
    generation: int
    """Bumped by every completed fetch: a waiter that sees it change shares that result."""
    refreshed_at: float = float("-inf")
    """When the latest *demanded* refresh (``refresh=``) finished, successful or not
    (never: minus infinity, since a monotonic clock may start near zero)."""


EMPTY: CacheState[object] = CacheState(None, 0.0, 0.0, None, 0.0, 0)


class StateStore(Protocol[R]):
    """Shared storage for a refreshing value's state (sync and async)."""

    def load(self) -> CacheState[R] | None: ...

    def save(self, state: CacheState[R]) -> None: ...

    async def aload(self) -> CacheState[R] | None: ...

    async def asave(self, state: CacheState[R]) -> None: ...


class FlightLock(Protocol):
    """The lock the one fetching caller holds; ``hold`` for threads, ``ahold`` for tasks.

    ``ahold`` is given the async driver, which lends loop-bound locks: a lock that lives
    elsewhere (Redis, a file) ignores it.
    """

    def hold(self) -> AbstractContextManager[object]: ...

    def ahold(self, driver: ARunFlow[Any]) -> AbstractAsyncContextManager[object]: ...


class LocalLock:
    """Single flight within one process: a thread lock, and one lock per event loop.

    The loop's lock is lent by the async driver (this module never imports asyncio).
    Threads and tasks do not exclude each other (a thread blocking an event loop would
    deadlock it); each side fetches at most once at a time.
    """

    __slots__ = ("__weakref__", "_thread_lock")

    def __init__(self) -> None:
        self._thread_lock = threading.Lock()

    def hold(self) -> AbstractContextManager[object]:
        return self._thread_lock

    def ahold(self, driver: ARunFlow[Any]) -> AbstractAsyncContextManager[object]:
        return driver.lock_for(self)
