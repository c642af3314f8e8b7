"""A small bounded memo: for every map the library keys by caller or server input.

Multi-tenant applications derive discovery addresses (and so issuers) from tokens; a
plain ``dict`` would grow without bound under attack. Look-ups stay a plain dictionary
read, so the warm path pays nothing for the bound.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["BoundedMemo"]

K = TypeVar("K")
V = TypeVar("V")

DEFAULT_MAX_ENTRIES = 256


class BoundedMemo(Generic[K, V]):
    """A memo of at most ``max_entries`` values; the least recently added go first."""

    __slots__ = ("_entries", "_lock", "get", "max_entries")

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        # The look-up is the dictionary's own (a C call): the bound costs the warm path
        # nothing.
        self.get: Callable[[K], V | None] = self._entries.get

    def put(self, key: K, value: V) -> V:
        """Store ``value`` (or keep the one another thread stored first) and return it."""
        with self._lock:
            existing = self._entries.get(key)
            if existing is not None:
                return existing
            self._entries[key] = value
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
            return value

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries
