"""Replay stores: remember a one-time value (a DPoP proof's ``jti``, a logout token's ``jti``)
until it can no longer be accepted anyway.

:class:`ReplayStore` is one atomic operation, "add this key unless it is already there, and
forget it after ``ttl`` seconds", answered ``True`` (first use: go on) or ``False`` (seen
before: a replay). It is the shape of Redis ``SET key 1 NX PX <ttl>``, so a shared store for
a fleet of processes fits the same protocol; ``aadd`` is its twin for event loops, where a
networked store must not block the loop.

The TTL is *relative* (seconds from now, on the store's own clock), never an absolute time:
a store shared by several hosts then needs no agreement between their clocks.

:class:`MemoryReplayStore` is the bounded, thread-safe in-process default:

* expired keys are evicted first (in expiry order, amortised over the calls);
* when every slot holds a key that has not expired yet, the store **refuses** the new key
  with :class:`~py_identity_model.exceptions.ReplayStoreFullError` rather than forget a live
  one. Forgetting an unexpired key would let exactly that value be replayed, and an attacker
  who can fill the store chooses which; refusing fails closed (the request is rejected and
  the caller sees why, ``error_code="replay_store_full"``), and the store drains by itself as
  keys expire. Size ``max_entries`` for the peak rate times the window
  (e.g. 1,000 proofs/s x 305 s needs ~305,000 entries, ~60 MB);
* ``aadd`` runs ``add`` directly: it holds a thread lock for a dictionary update, which does
  not block an event loop noticeably.

Keys are opaque strings; the validators hash what they scope a key by (a key thumbprint and
a ``jti``, an issuer and a ``jti``) into a fixed-size key, so the bound on entries is a bound
on memory.
"""

from __future__ import annotations

import heapq
import math
import threading
import time
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from ..exceptions import ConfigurationException, ReplayStoreFullError

__all__ = ["DEFAULT_MAX_REPLAY_ENTRIES", "MemoryReplayStore", "ReplayStore"]

DEFAULT_MAX_REPLAY_ENTRIES = 100_000
"""Default capacity of a :class:`MemoryReplayStore` (about 20 MB when full)."""

_MAX_KEY_LENGTH = 512


@runtime_checkable
class ReplayStore(Protocol):
    """Remembers one-time values; ``add`` is atomic "set if absent, with expiry"."""

    def add(self, key: str, ttl: float) -> bool:
        """Record ``key`` for ``ttl`` seconds. ``True``: it was not there (first use);
        ``False``: it was recorded before and has not expired (a replay).

        May raise :class:`~py_identity_model.exceptions.ReplayStoreFullError` when it can
        record nothing more without forgetting a live key.
        """
        ...

    async def aadd(self, key: str, ttl: float) -> bool:
        """Async twin of :meth:`add` (for a store that does network I/O)."""
        ...


class MemoryReplayStore:
    """A bounded, thread-safe in-process :class:`ReplayStore`.

    ``max_entries`` bounds the live keys; when it is reached and nothing has expired,
    ``add`` raises :class:`~py_identity_model.exceptions.ReplayStoreFullError` (fail closed,
    see the module documentation). ``clock`` is a monotonic clock in seconds (tests pass
    their own).
    """

    __slots__ = ("_clock", "_expiry", "_heap", "_lock", "max_entries")

    def __init__(
        self,
        max_entries: int = DEFAULT_MAX_REPLAY_ENTRIES,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise ConfigurationException("max_entries must be a positive integer")
        if not callable(clock):
            raise ConfigurationException("clock must be a callable returning seconds")
        self.max_entries = max_entries
        self._clock = clock
        self._expiry: dict[str, float] = {}
        # (expires_at, key) in expiry order; an entry whose key was re-added later is stale
        # and skipped when it surfaces.
        self._heap: list[tuple[float, str]] = []
        self._lock = threading.Lock()

    def add(self, key: str, ttl: float) -> bool:
        """See :meth:`ReplayStore.add`."""
        if not isinstance(key, str) or not key or len(key) > _MAX_KEY_LENGTH:
            raise ConfigurationException(
                f"a replay key must be a non-empty string of at most {_MAX_KEY_LENGTH} characters"
            )
        if isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or not math.isfinite(ttl):
            raise ConfigurationException("ttl must be a finite number of seconds")
        if ttl <= 0:
            raise ConfigurationException("ttl must be positive")
        with self._lock:
            now = self._clock()
            expires = self._expiry.get(key)
            if expires is not None and expires > now:
                return False
            self._evict(now)
            if key not in self._expiry and len(self._expiry) >= self.max_entries:
                raise ReplayStoreFullError(
                    f"the replay store holds {self.max_entries} unexpired entries; refusing "
                    "rather than forgetting one (that would re-open its replay)"
                )
            expires_at = now + ttl
            self._expiry[key] = expires_at
            heapq.heappush(self._heap, (expires_at, key))
            return True

    async def aadd(self, key: str, ttl: float) -> bool:
        """See :meth:`ReplayStore.aadd`: the in-memory update, run directly."""
        return self.add(key, ttl)

    def _evict(self, now: float) -> None:
        heap, expiry = self._heap, self._expiry
        while heap and heap[0][0] <= now:
            expires_at, key = heapq.heappop(heap)
            if expiry.get(key) == expires_at:
                del expiry[key]

    def __contains__(self, key: object) -> bool:
        with self._lock:
            expires = self._expiry.get(key) if isinstance(key, str) else None
            return expires is not None and expires > self._clock()

    def __len__(self) -> int:
        """The keys held now, expired ones not yet evicted excluded."""
        with self._lock:
            self._evict(self._clock())
            return len(self._expiry)

    def clear(self) -> None:
        """Forget every key."""
        with self._lock:
            self._expiry.clear()
            self._heap.clear()

    def __repr__(self) -> str:
        return f"MemoryReplayStore(max_entries={self.max_entries})"
