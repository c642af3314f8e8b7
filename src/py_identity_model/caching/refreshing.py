"""A remote value kept fresh: TTL, single-flight refresh, stale-if-error, explicit invalidation.

One :class:`RefreshingValue` serves threads (``get``) and event loops (``aget``) at once and
shares the cached value between them. Single-flight: when the value is missing or stale,
one caller fetches and every concurrent caller waits for that fetch and shares its
result, so a thousand concurrent callers cause one request (per event loop for async
callers; threads share one). Callers that waited for a fetch that *failed* get that
failure too instead of queueing more fetches, so a failing server is not hammered.

The fetch itself is a :data:`~py_identity_model.http.flow.Flow`, so the logic of what is
fetched and how it is judged stays in the sans-I/O core.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from .._logging import get_logger
from ..http.drivers import run_async, run_sync
from ..http.flow import Flow

if TYPE_CHECKING:
    import asyncio

__all__ = ["RefreshingValue"]

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class _State(Generic[R]):
    good: R | None  # last successful result
    fetched_at: float  # when ``good`` was fetched
    expires_at: float  # ``good`` is fresh until then
    last: R | None  # result of the latest fetch (success or failure)
    last_at: float  # when the latest fetch finished
    generation: int  # bumped by every completed fetch


class RefreshingValue(Generic[R]):
    """Caches the result of ``flow_factory()`` while ``is_good(result)`` and fresh."""

    def __init__(
        self,
        flow_factory: Callable[[], Flow[R]],
        *,
        is_good: Callable[[R], bool],
        lifetime: Callable[[R], float],
        stale_if_error: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._flow_factory = flow_factory
        self._is_good = is_good
        self._lifetime = lifetime
        self._stale_if_error = stale_if_error
        self._clock = clock
        self._state: _State[R] = _State(None, 0.0, 0.0, None, 0.0, 0)
        self._thread_lock = threading.Lock()
        self._loop_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self._loop_locks_guard = threading.Lock()
        self.fetch_count = 0  # completed fetches; for diagnostics and tests

    # ---------------------------------------------------------------- pure state logic
    def peek(self, *, max_age: float | None = None) -> R | None:
        """The cached good value if fresh (and fetched less than ``max_age`` s ago), else None."""
        return self._fresh(self._state, max_age)

    def _fresh(self, state: _State[R], max_age: float | None) -> R | None:
        now = self._clock()
        if state.good is None or now >= state.expires_at:
            return None
        # ``max_age`` is measured from the latest *attempt*, successful or not: a refresh
        # forced by ``max_age`` (an unknown ``kid``) happens at most once per ``max_age``
        # even while the server is failing.
        if max_age is not None and now - max(state.fetched_at, state.last_at) >= max_age:
            return None
        return state.good

    def _after_wait(self, generation: int) -> R | None:
        """What a caller that waited on an in-flight fetch should return, if anything."""
        state = self._state
        if state.generation == generation:
            return None  # nothing completed while we waited: fetch ourselves
        return self._serve(state)

    def _serve(self, state: _State[R]) -> R | None:
        if state.last is not None and self._is_good(state.last):
            return state.last
        if state.good is not None and self._clock() - state.fetched_at < state_limit(
            state, self._stale_if_error
        ):
            return state.good  # stale, but better than an outage
        return state.last

    def _settle(self, result: R) -> R:
        now = self._clock()
        old = self._state
        self.fetch_count += 1
        if self._is_good(result):
            self._state = _State(
                result, now, now + self._lifetime(result), result, now, old.generation + 1
            )
            return result
        self._state = _State(
            old.good, old.fetched_at, old.expires_at, result, now, old.generation + 1
        )
        if old.good is not None and now - old.fetched_at < state_limit(old, self._stale_if_error):
            get_logger("caching").warning(
                "Refresh failed; serving the last good value (%s)", getattr(result, "error", result)
            )
            return old.good
        return result

    def invalidate(self) -> None:
        """Forget the cached value; the next call fetches."""
        old = self._state
        self._state = _State(None, 0.0, 0.0, None, 0.0, old.generation)

    # -------------------------------------------------------------------- sync shell
    def get(self, http_client: object = None, *, max_age: float | None = None) -> R:
        """The value, fetching it (once for all waiting threads) when missing or stale."""
        # One snapshot for both the freshness test and the generation: a fetch completing
        # between two reads must not make this caller fetch again.
        state = self._state
        cached = self._fresh(state, max_age)
        if cached is not None:
            return cached
        generation = state.generation
        with self._thread_lock:
            shared = self._after_wait(generation)
            if shared is not None:
                return shared
            return self._settle(run_sync(self._flow_factory(), http_client))

    # ------------------------------------------------------------------- async shell
    async def aget(self, http_client: object = None, *, max_age: float | None = None) -> R:
        """The value, fetched (once for all waiting tasks of this loop) when missing or stale."""
        state = self._state
        cached = self._fresh(state, max_age)
        if cached is not None:
            return cached
        generation = state.generation
        async with self._loop_lock():
            shared = self._after_wait(generation)
            if shared is not None:
                return shared
            return self._settle(await run_async(self._flow_factory(), http_client))

    def _loop_lock(self) -> asyncio.Lock:
        import asyncio  # on demand, as in the drivers

        loop = asyncio.get_running_loop()
        with self._loop_locks_guard:
            lock = self._loop_locks.get(loop)
            if lock is None:
                lock = self._loop_locks[loop] = asyncio.Lock()
            return lock


def state_limit(state: _State[R], stale_if_error: float) -> float:
    """How long after its fetch a good value may still be served when refreshes fail."""
    return (state.expires_at - state.fetched_at) + stale_if_error
