"""The validated-token cache: a repeated JWT access token answered without a signature check.

An API sees the same access token many times while it lives. :class:`ValidatedTokenCache`
keeps, for each token that validated, its claims and the key that verified it, keyed by the
exact token (compared in full: a dictionary look-up, hashed with the interpreter's keyed
SipHash, then the whole string compared). On every hit:

* ``exp`` and ``nbf`` are checked again against the clock (with the validator's leeway): an
  entry never answers for an expired token; such an entry is dropped;
* the verifying key must still be in the provider's current key set: when the cached JWKS
  was refreshed, the new set is compared (by RFC 7638 thumbprint) and every entry whose key
  left it is refused and dropped, so a key the provider withdrew stops working at once;
  when the key set is not cached any more (expired, invalidated) the entry is not used;
* anything else is a miss, and the caller validates the token in full.

The tokens themselves are kept as the keys, as an API gateway's cache does (Envoy's
``jwt_authn``): a SHA-256 digest instead would keep them out of the process's memory, but it
costs more than half of a cached request, and the process holds every token it is sent
anyway, while the request lasts. An entry lives no longer than its token's ``exp``.

Only successful validations are stored (a rejection is always recomputed, so the cache can
never turn a rejection into an acceptance), and DPoP proofs are never cached: only the token
under them. Bounded (least recently used entries go first) and thread-safe.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..exceptions import ConfigurationException

if TYPE_CHECKING:
    from ..caching.refreshing import RefreshingValue
    from ..jose import JsonWebKey
    from ..jwks.models import JwksResponse

__all__ = ["DEFAULT_TOKEN_CACHE_SIZE", "ValidatedTokenCache"]

DEFAULT_TOKEN_CACHE_SIZE = 10_000
"""Entries kept by default (some 20 MB at most: ten thousand tokens and their claims)."""


class _Entry:
    __slots__ = ("claims", "exp", "keys", "nbf", "seen", "thumbprint")

    def __init__(
        self,
        claims: dict[str, Any],
        thumbprint: str,
        keys: RefreshingValue[JwksResponse] | None,
        seen: JwksResponse | None,
    ) -> None:
        self.claims = claims
        self.exp = as_time(claims.get("exp"))
        self.nbf = as_time(claims.get("nbf"))
        self.thumbprint = thumbprint
        self.keys = keys
        self.seen = seen


def as_time(value: object) -> float | None:
    """A claim's number of seconds, None when it is not a number."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


class ValidatedTokenCache:
    """Bounded, thread-safe cache of validated JWT access tokens (see the module).

    Args:
        max_entries: how many tokens are kept (least recently used go first).
        leeway: the clock skew of the validator, in seconds (the same rule as validation:
            expired when ``now >= exp + leeway``, not yet valid when ``now + leeway < nbf``).
        clock: seconds since the epoch.
    """

    def __init__(
        self,
        max_entries: int = DEFAULT_TOKEN_CACHE_SIZE,
        *,
        leeway: float = 0.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise ConfigurationException("validated_token_cache must be a positive size or None")
        self.max_entries = max_entries
        self.leeway = float(leeway)
        self._clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._thumbprints: tuple[JwksResponse | None, frozenset[str]] = (None, frozenset())
        self.hits = 0
        self.misses = 0

    def get(self, token: str) -> dict[str, Any] | None:
        """The claims of ``token`` if it validated before and still may be accepted."""
        key = token
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        now = self._clock()
        if entry.exp is not None and now >= entry.exp + self.leeway:
            self._drop(key)
            self.misses += 1
            return None
        if entry.nbf is not None and now + self.leeway < entry.nbf:
            self.misses += 1
            return None
        keys = entry.keys
        # The key set the entry was last checked against, still the current one: the common
        # case, answered here (no further call).
        if (
            keys is not None
            and keys.peek() is not entry.seen
            and not self._key_still_published(key, entry)
        ):
            self.misses += 1
            return None
        try:
            self._entries.move_to_end(key)  # least recently used go first (atomic)
        except KeyError:  # dropped by another thread meanwhile
            return None
        self.hits += 1
        return entry.claims

    def put(
        self,
        token: str,
        claims: dict[str, Any],
        key: JsonWebKey,
        keys: RefreshingValue[JwksResponse] | None,
    ) -> None:
        """Remember a successful validation of ``token`` by ``key`` (from the key set that
        ``keys`` holds now; None for a configured static key)."""
        seen = keys.peek() if keys is not None else None
        if keys is not None and seen is None:
            return  # no current key set to compare with later: do not cache
        if not isinstance(token, str):
            raise ConfigurationException("the token must be a string")
        entry = _Entry(claims, key.thumbprint(), keys, seen)
        with self._lock:
            self._entries[token] = entry
            self._entries.move_to_end(token)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def _key_still_published(self, token: str, entry: _Entry) -> bool:
        assert entry.keys is not None
        current = entry.keys.peek()
        if current is entry.seen:
            return True
        if current is None:
            return False  # the key set is stale or was invalidated: validate in full
        if entry.thumbprint in self._published(current):
            entry.seen = current
            return True
        self._purge(current)
        return False

    def _published(self, keys: JwksResponse) -> frozenset[str]:
        seen, thumbprints = self._thumbprints
        if seen is not keys:
            thumbprints = frozenset(k.thumbprint() for k in keys.keys or ())
            self._thumbprints = (keys, thumbprints)
        return thumbprints

    def _purge(self, current: JwksResponse) -> None:
        """Drop every entry verified by a key that is not in ``current`` any more."""
        published = self._published(current)
        with self._lock:
            snapshot = list(self._entries.items())  # hits reorder entries without the lock
            for token, entry in snapshot:
                if (
                    entry.keys is not None
                    and entry.keys.peek() is current
                    and entry.thumbprint not in published
                ):
                    self._entries.pop(token, None)

    def _drop(self, token: str) -> None:
        with self._lock:
            self._entries.pop(token, None)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"ValidatedTokenCache(max_entries={self.max_entries}, size={len(self)})"
