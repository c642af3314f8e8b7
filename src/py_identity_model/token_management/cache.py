"""The token cache protocol and the default, in-process :class:`InMemoryTokenCache`.

A :class:`TokenCache` stores :class:`~.models.CachedToken` entries under the keys of
:mod:`.keys`, each with its absolute expiry, and hands out the lock that keeps refreshes
single-flight: a :class:`~py_identity_model.caching.store.FlightLock` (``hold()`` for
threads, ``ahold(driver)`` for tasks), the storage-and-lock protocol every refreshing
value of the library builds on. A shared cache (Redis, a file) gives a lock that other
processes respect too; the manager re-reads the cache once it holds it.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from ..caching.store import FlightLock, LocalLock
from ..exceptions import ConfigurationException
from .models import CachedToken

__all__ = ["DEFAULT_MAX_ENTRIES", "InMemoryTokenCache", "KeyedLocks", "TokenCache"]

DEFAULT_MAX_ENTRIES = 10_000


@runtime_checkable
class TokenCache(Protocol):
    """Where token managers keep tokens; sync and async methods, and a lock per key.

    ``peek`` answers from this process's memory only (never I/O): the warm path. ``get``
    may ask a shared store; entries whose ``stored_until`` has passed are never returned.
    """

    def peek(self, key: str) -> CachedToken | None: ...

    def get(self, key: str) -> CachedToken | None: ...

    def set(self, key: str, value: CachedToken) -> None: ...

    def delete(self, key: str) -> None: ...

    async def aget(self, key: str) -> CachedToken | None: ...

    async def aset(self, key: str, value: CachedToken) -> None: ...

    async def adelete(self, key: str) -> None: ...

    def lock(self, key: str) -> FlightLock: ...


class KeyedLocks:
    """One :class:`~py_identity_model.caching.store.LocalLock` per key, kept while in use.

    Held weakly: a lock nobody holds or waits on is dropped, so the map stays bounded by
    the callers in flight.
    """

    __slots__ = ("_guard", "_locks")

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, LocalLock] = weakref.WeakValueDictionary()
        self._guard = threading.Lock()

    def get(self, key: str) -> LocalLock:
        lock = self._locks.get(key)
        if lock is not None:
            return lock
        with self._guard:
            lock = self._locks.get(key)
            if lock is None:
                lock = self._locks[key] = LocalLock()
            return lock


def check_max_entries(max_entries: object) -> int:
    if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
        raise ConfigurationException("max_entries must be a positive integer")
    return max_entries


class InMemoryTokenCache:
    """Tokens in this process's memory: bounded (least recently used out), thread-safe.

    Args:
        max_entries: at most this many entries; the least recently used goes first.
        clock: the wall clock (epoch seconds) that expiry is compared with.
    """

    def __init__(
        self, max_entries: int = DEFAULT_MAX_ENTRIES, *, clock: Callable[[], float] = time.time
    ) -> None:
        self._max = check_max_entries(max_entries)
        self._clock = clock
        self._entries: OrderedDict[str, CachedToken] = OrderedDict()
        self._guard = threading.Lock()
        self._locks = KeyedLocks()

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"InMemoryTokenCache(entries={len(self._entries)}, max_entries={self._max})"

    def peek(self, key: str) -> CachedToken | None:
        entry = self._entries.get(key)
        if entry is None or self._clock() >= entry.stored_until:
            return None
        return entry

    def get(self, key: str) -> CachedToken | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if self._clock() >= entry.stored_until:
            with self._guard:
                if self._entries.get(key) is entry:
                    del self._entries[key]
            return None
        with self._guard:
            if key in self._entries:
                self._entries.move_to_end(key)
        return entry

    def set(self, key: str, value: CachedToken) -> None:
        if not isinstance(value, CachedToken):
            raise ConfigurationException("a token cache stores CachedToken values")
        with self._guard:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def delete(self, key: str) -> None:
        with self._guard:
            self._entries.pop(key, None)

    async def aget(self, key: str) -> CachedToken | None:
        return self.get(key)

    async def aset(self, key: str, value: CachedToken) -> None:
        self.set(key, value)

    async def adelete(self, key: str) -> None:
        self.delete(key)

    def lock(self, key: str) -> FlightLock:
        return self._locks.get(key)
