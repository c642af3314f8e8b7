"""MemoryReplayStore: atomic add-if-absent with expiry, bounded, fail-closed when full, thread-safe."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from py_identity_model import (
    ConfigurationException,
    MemoryReplayStore,
    ReplayStore,
    ReplayStoreFullError,
)


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_first_use_then_replay() -> None:
    store = MemoryReplayStore(clock=Clock())
    assert store.add("k1", 10) is True
    assert store.add("k1", 10) is False
    assert store.add("k2", 10) is True
    assert "k1" in store and "k3" not in store
    assert len(store) == 2


def test_key_is_forgotten_after_its_ttl() -> None:
    clock = Clock()
    store = MemoryReplayStore(clock=clock)
    assert store.add("k", 5)
    clock.now += 4.9
    assert store.add("k", 5) is False
    clock.now += 0.2
    assert "k" not in store
    assert store.add("k", 5) is True  # expired: a new first use
    assert store.add("k", 5) is False


def test_full_store_refuses_instead_of_forgetting_a_live_key() -> None:
    clock = Clock()
    store = MemoryReplayStore(2, clock=clock)
    assert store.add("a", 10) and store.add("b", 10)
    with pytest.raises(ReplayStoreFullError) as info:
        store.add("c", 10)
    assert info.value.code == "replay_store_full"
    # the live keys are still remembered: no replay re-opened
    assert store.add("a", 10) is False
    assert store.add("b", 10) is False
    # once one expires, its slot is reused
    clock.now += 11
    assert store.add("c", 10) is True
    assert len(store) == 1


def test_expired_keys_are_evicted_in_expiry_order() -> None:
    clock = Clock()
    store = MemoryReplayStore(3, clock=clock)
    store.add("short", 1)
    store.add("long", 100)
    store.add("middle", 50)
    clock.now += 2
    assert store.add("new", 10) is True  # "short" expired and was evicted
    assert "long" in store and "middle" in store and "short" not in store
    with pytest.raises(ReplayStoreFullError):
        store.add("another", 10)


def test_readding_an_expired_key_leaves_no_stale_entry_that_evicts_it() -> None:
    clock = Clock()
    store = MemoryReplayStore(clock=clock)
    store.add("k", 1)
    clock.now += 2
    store.add("k", 100)  # re-added: the old heap entry is stale
    clock.now += 1
    store.add("other", 1)  # evicting the stale entry must not drop the live key
    assert store.add("k", 100) is False


def test_clear() -> None:
    store = MemoryReplayStore()
    store.add("k", 10)
    store.clear()
    assert len(store) == 0 and store.add("k", 10)


@pytest.mark.parametrize(
    ("key", "ttl"),
    [("", 1), (None, 1), (b"k", 1), ("x" * 513, 1), ("k", 0), ("k", -1), ("k", float("nan")),
     ("k", float("inf")), ("k", True), ("k", "10")],
)  # fmt: skip
def test_bad_arguments_are_misuse(key: Any, ttl: Any) -> None:
    with pytest.raises(ConfigurationException):
        MemoryReplayStore().add(key, ttl)


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "10"])
def test_capacity_must_be_a_positive_integer(bad: Any) -> None:
    with pytest.raises(ConfigurationException):
        MemoryReplayStore(bad)


def test_clock_must_be_callable() -> None:
    with pytest.raises(ConfigurationException):
        MemoryReplayStore(clock=1.0)  # type: ignore[arg-type]


def test_async_twin_shares_the_state() -> None:
    store = MemoryReplayStore()

    async def main() -> list[bool]:
        return [await store.aadd("k", 10), await store.aadd("k", 10)]

    assert asyncio.run(main()) == [True, False]
    assert store.add("k", 10) is False


def test_it_is_a_replay_store() -> None:
    assert isinstance(MemoryReplayStore(), ReplayStore)
    assert repr(MemoryReplayStore(7)) == "MemoryReplayStore(max_entries=7)"


def test_concurrent_adds_of_one_key_succeed_exactly_once() -> None:
    store = MemoryReplayStore()
    threads, rounds = 16, 200
    wins = [0] * threads
    barrier = threading.Barrier(threads)

    def worker(index: int) -> None:
        barrier.wait()
        for n in range(rounds):
            if store.add(f"key-{n}", 60):
                wins[index] += 1

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert sum(wins) == rounds  # each key was "first" for exactly one thread
    assert len(store) == rounds


def test_concurrent_adds_never_exceed_the_capacity() -> None:
    store = MemoryReplayStore(100)
    accepted: list[str] = []
    refused = 0
    lock = threading.Lock()

    def worker(index: int) -> None:
        nonlocal refused
        for n in range(50):
            key = f"{index}-{n}"
            try:
                ok = store.add(key, 60)
            except ReplayStoreFullError:
                with lock:
                    refused += 1
                continue
            if ok:
                with lock:
                    accepted.append(key)

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert len(accepted) == 100 and refused == 300
    assert len(store) == 100
