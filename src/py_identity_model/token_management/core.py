"""The retrieval logic of the token managers, written once for both shells.

A retrieval is a *plan*: a generator that yields what it needs done (:class:`Load`,
:class:`Store`, :class:`Remove` an entry, :class:`Acquire` / :class:`Release` a lock,
:class:`Request` a token with a flow) and receives what happened. The sync manager runs
it with blocking calls, the async one awaits; neither adds logic of its own.

Freshness of a cached token (``lead`` = ``refresh_before_expiry``, at most half the
token's lifetime, so a short-lived token is not refreshed on every call):

* **fresh** until ``expires_at - lead``: served from the cache;
* **early window**, the first half of ``lead``: one caller of this process refreshes
  while the others keep getting the cached token; if the refresh fails, the still-valid
  token is served (botocore's *advisory* refresh);
* **hard window**, the last half of ``lead`` (and an expired or missing token): every
  caller waits for the one refresh (single flight) and a failure raises
  :class:`~py_identity_model.exceptions.TokenRequestException` (the *mandatory* refresh).

Single flight: the cache's lock for the key is held by the one caller that requests; once
a caller holds it, it re-reads the cache (another caller, or another process, may have
stored a newer token meanwhile). Callers that waited for a request that *failed* get that
failure instead of queueing requests of their own, so a failing server is asked once.
Failures are never stored.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Generator
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

from .._logging import get_logger
from ..caching.store import FlightLock
from ..exceptions import ConfigurationException, TokenRequestException
from ..http.flow import Flow
from ..tokens.models import TokenResponse
from ..utils.logsafe import printable
from .cache import TokenCache
from .events import TokenEventName, emit
from .models import CachedToken

__all__ = [
    "Acquire",
    "FlightRecord",
    "Load",
    "Op",
    "Plan",
    "RefreshWindows",
    "Release",
    "Remove",
    "Request",
    "RetrievalCore",
    "Stage",
    "Store",
    "check_seconds",
    "exception_from",
]

T = TypeVar("T")


# ----------------------------------------------------------------------- the operations
@dataclass(frozen=True, slots=True)
class Load:
    """Read the entry of ``key`` (None when absent or expired)."""

    key: str


@dataclass(frozen=True, slots=True)
class Store:
    """Write ``value`` under ``key`` (its TTL: ``value.stored_until``)."""

    key: str
    value: CachedToken


@dataclass(frozen=True, slots=True)
class Remove:
    """Delete the entry of ``key``."""

    key: str


@dataclass(frozen=True, slots=True)
class Acquire:
    """Hold ``lock`` (``hold()`` or ``ahold(driver)``); sent back a handle for Release."""

    lock: FlightLock


@dataclass(frozen=True, slots=True)
class Release:
    """Let go of what :class:`Acquire` returned."""

    handle: object


@dataclass(frozen=True, slots=True)
class Request(Generic[T]):
    """Run ``flow`` with the manager's HTTP client; sent back its result."""

    flow: Flow[T]


Op = Load | Store | Remove | Acquire | Release | Request[Any]
Plan = Generator[Op, Any, T]


# --------------------------------------------------------------------------- freshness
class Stage(Enum):
    FRESH = "fresh"
    EARLY = "early"
    HARD = "hard"
    EXPIRED = "expired"


def check_seconds(value: object, name: str, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigurationException(f"{name} must be a number of seconds")
    number = float(value)
    if not math.isfinite(number):
        raise ConfigurationException(f"{name} must be finite")
    if number < 0 or (positive and number == 0):
        raise ConfigurationException(f"{name} must be {'positive' if positive else '>= 0'}")
    return number


@dataclass(frozen=True, slots=True)
class RefreshWindows:
    """When a cached token is fresh, in its early window, in its hard window, expired."""

    refresh_before_expiry: float

    def lead(self, entry: CachedToken) -> float:
        lifetime = max(entry.expires_at - entry.issued_at, 0.0)
        return min(self.refresh_before_expiry, lifetime / 2)

    def refresh_at(self, entry: CachedToken) -> float:
        """From then on the token is refreshed (it is served from the cache before)."""
        return entry.expires_at - self.lead(entry)

    def stage(self, entry: CachedToken | None, now: float) -> Stage:
        if entry is None or now >= entry.expires_at:
            return Stage.EXPIRED
        lead = self.lead(entry)
        if now < entry.expires_at - lead:
            return Stage.FRESH
        if now < entry.expires_at - lead / 2:
            return Stage.EARLY
        return Stage.HARD


def exception_from(
    response: TokenResponse, *, subject: str, endpoint: str, relogin_codes: frozenset[str]
) -> TokenRequestException:
    """The exception for a failed token response (the server's error, never a token)."""
    code = response.error_code or response.error or "token_request_failed"
    # The server's OAuth error has its code as both; a library failure's ``error`` is prose.
    server_error = response.error if response.error == response.error_code else None
    description = response.error_description
    detail = description if server_error is not None else response.error
    shown = f": {printable(detail)}" if detail else ""
    return TokenRequestException(
        f"Token request for {subject!r} failed ({printable(code)}{shown})",
        error=server_error,
        error_code=response.error_code,
        error_description=description,
        status_code=response.http_status,
        url=endpoint,
        relogin_required=(response.error in relogin_codes),
    )


# ------------------------------------------------------------------------- the engine
class FlightRecord:
    """Per key, in this process: completed requests, and the latest failure."""

    __slots__ = ("failure", "generation", "refreshing")

    def __init__(self) -> None:
        self.generation = 0
        self.failure: TokenRequestException | None = None
        self.refreshing = False


_MAX_FLIGHTS = 10_000


class RetrievalCore:
    """What both managers share: the cache, the windows and the single-flight engine."""

    _log_area = "token_management"

    def __init__(
        self,
        cache: TokenCache | None,
        *,
        refresh_before_expiry: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if cache is None:
            from .cache import InMemoryTokenCache

            cache = InMemoryTokenCache()
        elif not isinstance(cache, TokenCache):
            raise ConfigurationException(
                "cache must be a TokenCache (InMemoryTokenCache, FileTokenCache, "
                "RedisTokenCache or your own)"
            )
        self._cache: TokenCache = cache
        self._windows = RefreshWindows(
            check_seconds(refresh_before_expiry, "refresh_before_expiry")
        )
        self._clock = clock
        self._flights: OrderedDict[str, FlightRecord] = OrderedDict()
        self._flights_guard = threading.Lock()

    @property
    def cache(self) -> TokenCache:
        return self._cache

    def _flight(self, key: str) -> FlightRecord:
        record = self._flights.get(key)
        if record is not None:
            return record
        with self._flights_guard:
            record = self._flights.get(key)
            if record is None:
                record = self._flights[key] = FlightRecord()
                while len(self._flights) > _MAX_FLIGHTS:
                    self._flights.popitem(last=False)
            return record

    def _claim(self, key: str) -> bool:
        """Become this process's one early refresher of ``key`` (False: one is at work)."""
        record = self._flight(key)
        with self._flights_guard:
            if record.refreshing:
                return False
            record.refreshing = True
            return True

    def _unclaim(self, key: str) -> None:
        self._flight(key).refreshing = False

    def _refresh(
        self,
        key: str,
        *,
        subject: str,
        seen: CachedToken | None,
        tolerate: CachedToken | None,
        fetch: Callable[[CachedToken | None], Flow[TokenResponse] | TokenRequestException],
        settle: Callable[[TokenResponse, CachedToken | None], CachedToken | TokenRequestException],
    ) -> Plan[CachedToken]:
        """Request a new entry for ``key``, once for every caller waiting on its lock.

        ``seen`` is what the caller saw before waiting: a newer fresh entry found under the
        lock is shared instead of requesting again. ``tolerate`` is a still-valid entry to
        serve if the request fails (the early window). ``fetch`` builds the request from
        the current entry (a user session needs its latest refresh token); ``settle``
        turns the answer into the new entry or the exception.
        """
        record = self._flight(key)
        generation = record.generation
        handle = yield Acquire(self._cache.lock(key))
        try:
            current: CachedToken | None = yield Load(key)
            now = self._clock()
            if (
                current is not None
                and _newer(current, seen)
                and self._windows.stage(current, now) is Stage.FRESH
            ):
                emit(TokenEventName.CACHE_HIT, subject)
                return current
            if record.generation != generation and record.failure is not None:
                # A request for this key failed while we waited: share its failure.
                if tolerate is not None and now < tolerate.expires_at:
                    return tolerate
                raise record.failure
            made = fetch(current if current is not None else seen)
            if isinstance(made, TokenRequestException):
                raise made
            response: TokenResponse = yield Request(made)
            record.generation += 1
            outcome = settle(response, current if current is not None else seen)
            if isinstance(outcome, CachedToken):
                record.failure = None
                yield Store(key, outcome)
                emit(TokenEventName.TOKEN_RETRIEVED, subject)
                return outcome
            record.failure = outcome
            emit(TokenEventName.RETRIEVAL_FAILED, subject, outcome.error_code or outcome.error)
            if tolerate is not None and self._clock() < tolerate.expires_at:
                get_logger(self._log_area).warning(
                    "Refreshing the token of %r failed (%s); serving the cached token "
                    "until it expires",
                    subject,
                    printable(outcome.error or outcome.error_code),
                )
                return tolerate
            raise outcome
        finally:
            yield Release(handle)


def _newer(current: CachedToken, seen: CachedToken | None) -> bool:
    return seen is None or current.issued_at > seen.issued_at
