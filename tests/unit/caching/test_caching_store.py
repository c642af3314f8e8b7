"""The storage-and-lock protocol of RefreshingValue: a shared store and a shared lock make
several caches (stand-ins for several processes) fetch once, sync and async.

The token manager plugs Redis and a cross-process lock in here; these tests use a
dictionary and locks shared between instances, which is what those provide.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import Any

from py_identity_model.caching.refreshing import RefreshingValue
from py_identity_model.caching.store import CacheState, FlightLock, StateStore
from py_identity_model.drivers import aio as async_driver, sync as sync_driver


class SharedStore(StateStore[str]):
    """One state for every cache that uses it, as a Redis key would be."""

    def __init__(self) -> None:
        self.state: CacheState[str] | None = None
        self.loads = 0
        self.saves = 0

    def load(self) -> CacheState[str] | None:
        self.loads += 1
        return self.state

    def save(self, state: CacheState[str]) -> None:
        self.saves += 1
        self.state = state

    async def aload(self) -> CacheState[str] | None:
        return self.load()

    async def asave(self, state: CacheState[str]) -> None:
        self.save(state)


class SharedLock(FlightLock):
    """One lock for every cache that uses it, as a cross-process lock would be."""

    def __init__(self) -> None:
        self._thread_lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None

    def hold(self) -> AbstractContextManager[object]:
        return self._thread_lock

    def ahold(self, driver: Any) -> AbstractAsyncContextManager[object]:
        @contextlib.asynccontextmanager
        async def held() -> AsyncIterator[None]:
            if self._async_lock is None:
                self._async_lock = asyncio.Lock()
            async with self._async_lock:
                yield

        return held()


class Origin:
    """The remote value: counts fetches, slow enough for callers to pile up."""

    def __init__(self) -> None:
        self.fetches = 0

    def flow(self) -> Iterator[Any]:
        self.fetches += 1
        time.sleep(0.02)
        return f"value-{self.fetches}"
        yield  # pragma: no cover - a flow that needs no request


def cache(origin: Origin, store: SharedStore, lock: SharedLock) -> RefreshingValue[str]:
    return RefreshingValue(
        origin.flow,  # type: ignore[arg-type]
        is_good=lambda value: value.startswith("value"),
        lifetime=lambda value: 60.0,
        stale_if_error=0.0,
        clock=time.time,  # a wall clock: the state is shared
        store=store,
        lock=lock,
    )


def test_many_caches_sharing_a_store_and_lock_fetch_once() -> None:
    origin, store, lock = Origin(), SharedStore(), SharedLock()
    caches = [cache(origin, store, lock) for _ in range(8)]  # eight "processes"
    results: list[str] = []
    barrier = threading.Barrier(40)

    def worker(index: int) -> None:
        barrier.wait()
        results.append(caches[index % 8].get(sync_driver.runner(None)))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert origin.fetches == 1
    assert results == ["value-1"] * 40
    assert store.saves == 1


def test_a_new_cache_adopts_the_stored_state_instead_of_fetching() -> None:
    origin, store, lock = Origin(), SharedStore(), SharedLock()
    first = cache(origin, store, lock)
    assert first.get(sync_driver.runner(None)) == "value-1"
    later = cache(origin, store, lock)  # a process started afterwards
    assert later.get(sync_driver.runner(None)) == "value-1"
    assert origin.fetches == 1
    assert later.peek() == "value-1"  # and its own view is warm from then on


def test_async_callers_across_caches_fetch_once() -> None:
    origin, store, lock = Origin(), SharedStore(), SharedLock()
    caches = [cache(origin, store, lock) for _ in range(4)]

    async def go() -> list[str]:
        runner = async_driver.runner(None)
        return list(await asyncio.gather(*(caches[i % 4].aget(runner) for i in range(200))))

    assert asyncio.run(go()) == ["value-1"] * 200
    assert origin.fetches == 1


def test_invalidate_reaches_the_shared_store() -> None:
    origin, store, lock = Origin(), SharedStore(), SharedLock()
    one, two = cache(origin, store, lock), cache(origin, store, lock)
    one.get(sync_driver.runner(None))
    one.invalidate()
    assert store.state is not None and store.state.good is None
    assert two.get(sync_driver.runner(None)) == "value-2"
