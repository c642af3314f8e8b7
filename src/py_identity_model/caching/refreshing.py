"""A remote value kept fresh: TTL, single-flight refresh, stale-if-error, explicit invalidation.

One :class:`RefreshingValue` serves threads (``get``) and event loops (``aget``) at once and
shares the cached value between them. Single-flight: when the value is missing or stale,
one caller fetches and every concurrent caller waits for that fetch and shares its
result, so a thousand concurrent callers cause one request (per event loop for async
callers; threads share one). Callers that waited for a fetch that *failed* get that
failure too instead of queueing more fetches, so a failing server is not hammered.

The fetch itself is a :data:`~py_identity_model.http.flow.Flow`, so what is fetched and how
it is judged stays in the sans-I/O core. The cache never runs I/O itself and imports no
driver: ``get``/``aget`` are handed the driver's function that runs a flow, so data flows
down only. Where the state lives and which lock gives single flight are pluggable
(:mod:`.store`): the defaults keep both in this process; a shared store and a
cross-process lock make a fleet of processes fetch once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

from .._logging import get_logger
from ..http.flow import Flow
from ..http.messages import ARunFlow, RunFlow
from ..utils.logsafe import printable
from .store import EMPTY, CacheState, FlightLock, LocalLock, StateStore

__all__ = ["RefreshingValue", "state_limit"]

R = TypeVar("R")


class RefreshingValue(Generic[R]):
    """Caches the result of ``flow_factory()`` while ``is_good(result)`` and fresh.

    Args:
        flow_factory: makes the flow that fetches the value.
        is_good: whether a result is worth keeping (a failed fetch is not).
        lifetime: seconds a good result stays fresh.
        stale_if_error: seconds past its lifetime a good result is still served when
            refreshing fails.
        clock: the time source (a wall clock when ``store`` is shared between processes).
        store: where the state lives beyond this process (None: this process only).
        lock: the single-flight lock (a :class:`~.store.LocalLock` by default).
    """

    def __init__(
        self,
        flow_factory: Callable[[], Flow[R]],
        *,
        is_good: Callable[[R], bool],
        lifetime: Callable[[R], float],
        stale_if_error: float,
        clock: Callable[[], float] = time.monotonic,
        store: StateStore[R] | None = None,
        lock: FlightLock | None = None,
    ) -> None:
        self._flow_factory = flow_factory
        self._is_good = is_good
        self._lifetime = lifetime
        self._stale_if_error = stale_if_error
        self._clock = clock
        self._store = store
        self._lock: FlightLock = lock if lock is not None else LocalLock()
        # This process's view; with a shared store it is refreshed from the store under
        # the lock, so the warm path never waits on the store.
        self._state: CacheState[R] = cast(CacheState[R], EMPTY)
        self.fetch_count = 0  # completed fetches in this process; for diagnostics and tests

    # ---------------------------------------------------------------- pure state logic
    def peek(self, *, max_age: float | None = None) -> R | None:
        """The cached good value if fresh (and fetched less than ``max_age`` s ago), else None."""
        if max_age is not None:
            return self._fresh(self._state, max_age)
        state = self._state  # the warm path of every validation: no further call
        if state.good is None or self._clock() >= state.expires_at:
            return None
        return state.good

    def _fresh(
        self, state: CacheState[R], max_age: float | None, refresh: float | None = None
    ) -> R | None:
        now = self._clock()
        if state.good is None or now >= state.expires_at:
            return None
        # ``max_age`` is measured from the latest *attempt*, successful or not, so a server
        # that is failing is not asked again within it.
        if max_age is not None and now - max(state.fetched_at, state.last_at) >= max_age:
            return None
        # A demanded refresh (an unknown ``kid``) happens at most once per ``refresh``
        # seconds, counted from the last demanded refresh only: a normal fetch a moment ago
        # must not hide a key that was published just after it.
        if refresh is not None and now - state.refreshed_at >= refresh:
            return None
        return state.good

    def _after_wait(
        self, generation: int, max_age: float | None, refresh: float | None = None
    ) -> R | None:
        """What a caller that waited on the lock should return, if anything."""
        state = self._state
        fresh = self._fresh(state, max_age, refresh)
        if fresh is not None:
            return fresh
        if state.generation == generation:
            return None  # nothing completed while we waited: fetch ourselves
        return self._serve(state)

    def _serve(self, state: CacheState[R]) -> R | None:
        if state.last is not None and self._is_good(state.last):
            return state.last
        if state.good is not None and self._clock() - state.fetched_at < state_limit(
            state, self._stale_if_error
        ):
            return state.good  # stale, but better than an outage
        return state.last

    def _settle(self, result: R, demanded: bool) -> CacheState[R]:
        now = self._clock()
        old = self._state
        self.fetch_count += 1
        refreshed_at = now if demanded else old.refreshed_at
        if self._is_good(result):
            state = CacheState(
                result,
                now,
                now + self._lifetime(result),
                result,
                now,
                old.generation + 1,
                refreshed_at,
            )
        else:
            state = CacheState(
                old.good,
                old.fetched_at,
                old.expires_at,
                result,
                now,
                old.generation + 1,
                refreshed_at,
            )
            if old.good is not None and now - old.fetched_at < state_limit(
                old, self._stale_if_error
            ):
                get_logger("caching").warning(
                    "Refresh failed; serving the last good value (%s)",
                    printable(getattr(result, "error", result)),
                )
        self._state = state
        return state

    def _result(self, state: CacheState[R], fetched: R) -> R:
        if self._is_good(fetched):
            return fetched
        served = self._serve(state)
        return fetched if served is None else served

    def _adopt(self, stored: CacheState[R] | None) -> None:
        # A shared store may hold a fresher state, written by another process.
        if stored is not None and stored.generation >= self._state.generation:
            self._state = stored

    def invalidate(self) -> None:
        """Forget the cached value; the next call fetches."""
        old = self._state
        self._state = cast(
            CacheState[R], CacheState(None, 0.0, 0.0, None, 0.0, old.generation, old.refreshed_at)
        )
        if self._store is not None:
            self._store.save(self._state)

    # -------------------------------------------------------------------- sync shell
    def get(
        self, run: RunFlow[Any], *, max_age: float | None = None, refresh: float | None = None
    ) -> R:
        """The value, fetching it (once for all waiting threads) when missing or stale.

        ``run`` is the sync driver's function that runs a flow to its result. ``max_age``
        wants a value fetched less than that many seconds ago; ``refresh`` demands a new
        fetch unless one was demanded less than that many seconds ago.
        """
        # One snapshot for both the freshness test and the generation: a fetch completing
        # between two reads must not make this caller fetch again.
        state = self._state
        cached = self._fresh(state, max_age, refresh)
        if cached is not None:
            return cached
        generation = state.generation
        with self._lock.hold():
            if self._store is not None:
                self._adopt(self._store.load())
            shared = self._after_wait(generation, max_age, refresh)
            if shared is not None:
                return shared
            fetched: R = run(self._flow_factory())
            settled = self._settle(fetched, refresh is not None)
            if self._store is not None:
                self._store.save(settled)
            return self._result(settled, fetched)

    # ------------------------------------------------------------------- async shell
    async def aget(
        self, run: ARunFlow[Any], *, max_age: float | None = None, refresh: float | None = None
    ) -> R:
        """The value, fetched (once for all waiting tasks of this loop) when missing or stale.

        ``run`` is the async driver, which runs the fetch and lends the loop's lock.
        """
        state = self._state
        cached = self._fresh(state, max_age, refresh)
        if cached is not None:
            return cached
        generation = state.generation
        async with self._lock.ahold(run):
            if self._store is not None:
                self._adopt(await self._store.aload())
            shared = self._after_wait(generation, max_age, refresh)
            if shared is not None:
                return shared
            fetched: R = await run(self._flow_factory())
            settled = self._settle(fetched, refresh is not None)
            if self._store is not None:
                await self._store.asave(settled)
            return self._result(settled, fetched)


def state_limit(state: CacheState[Any], stale_if_error: float) -> float:
    """How long after its fetch a good value may still be served when refreshes fail."""
    return (state.expires_at - state.fetched_at) + stale_if_error
