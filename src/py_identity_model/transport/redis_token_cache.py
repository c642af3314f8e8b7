"""A token cache shared by every process that can reach one Redis (the ``[redis]`` extra).

* Entries are stored under ``<prefix>token:<cache key>`` with a TTL equal to the
  remaining lifetime (``PX``), as JSON with absolute times, optionally AES-GCM encrypted
  (:class:`~py_identity_model.token_management.encryption.TokenEncryption`).
* A short in-process layer in front of Redis serves the warm path (``peek``) without a
  round trip; ``get`` always asks Redis, so a token renewed by another process is seen.
* Single flight across processes: the lock is ``SET <prefix>lock:<key> <owner> NX PX``
  with a random owner token, released by a compare-and-delete Lua script (never another
  owner's lock). In front of it, an in-process lock, so one task or thread per process
  competes. Waiters poll with exponential back-off until the entry changes or the lock
  expires; the manager then re-reads the cache before requesting.
* Redis down: reads fall back to the in-process layer, writes keep it, locks fall back to
  the in-process lock: tokens keep coming (one request per process), and the outage is
  logged once (and reported as a ``redis_fallback`` event) until Redis answers again.
  While it is down, Redis is asked again at most every two seconds, so callers do not
  each wait for a connection timeout.

redis-py's sync client serves the sync managers; one asyncio client per event loop
(closed with its loop) serves the async ones.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import Any
from urllib.parse import urlsplit

from .._logging import get_logger
from ..exceptions import ConfigurationException
from ..http.messages import ARunFlow
from ..token_management.cache import DEFAULT_MAX_ENTRIES, KeyedLocks, check_max_entries
from ..token_management.encryption import TokenEncryption, encryption_from
from ..token_management.events import TokenEventName, emit
from ..token_management.models import CachedToken
from ..utils.logsafe import printable
from ..utils.urls import is_loopback_host

__all__ = ["RedisTokenCache"]

# KEYS[1] = the lock, ARGV[1] = our owner token: delete only if it is still ours.
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""
_MIN_POLL, _MAX_POLL = 0.005, 0.2
_RETRY_AFTER = 2.0  # while Redis is down, it is asked again at most this often


def _redis_module() -> Any:
    try:
        import redis
    except ImportError:
        raise ConfigurationException(
            "RedisTokenCache needs redis-py: pip install 'py-identity-model[redis]'"
        ) from None
    return redis


def _check_url(url: object, allow_plaintext: bool) -> str:
    if not isinstance(url, str) or not url:
        raise ConfigurationException("url must be a Redis URL (redis://, rediss://, unix://)")
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss", "unix"):
        raise ConfigurationException("url must be a Redis URL (redis://, rediss://, unix://)")
    if parts.scheme == "redis" and not allow_plaintext and not is_loopback_host(parts.hostname):
        raise ConfigurationException(
            "Tokens would cross the network in plain text: use rediss:// (TLS), a loopback "
            "or unix:// address, or pass allow_plaintext=True"
        )
    return url


class RedisTokenCache:
    """Tokens in Redis, shared by a fleet of processes.

    Args:
        url: ``redis://host:port/db``, ``rediss://`` (TLS) or ``unix://``; a plain
            ``redis://`` to a non-loopback host needs ``allow_plaintext=True``.
        prefix: the prefix of every key this cache writes.
        encryption_key: encrypt entries at rest (AES-GCM): 16/24/32 bytes, or a
            :class:`~py_identity_model.token_management.encryption.TokenEncryption` for
            several keys (rotation).
        local_ttl: seconds a token read from Redis is served from this process without a
            round trip (the warm path).
        lock_timeout: how long a lock holder may take (the lock's ``PX``) and how long a
            waiter polls at most.
        socket_timeout: seconds a Redis command may take before counting as an outage.
        max_local_entries: bound of the in-process layer.
        allow_plaintext: allow ``redis://`` to a non-loopback host.
    """

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "py_identity_model:",
        encryption_key: bytes | TokenEncryption | None = None,
        local_ttl: float = 30.0,
        lock_timeout: float = 30.0,
        socket_timeout: float = 2.0,
        max_local_entries: int = DEFAULT_MAX_ENTRIES,
        allow_plaintext: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._url = _check_url(url, allow_plaintext)
        if not isinstance(prefix, str):
            raise ConfigurationException("prefix must be a string")
        for name, value in (
            ("local_ttl", local_ttl),
            ("lock_timeout", lock_timeout),
            ("socket_timeout", socket_timeout),
        ):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ConfigurationException(f"{name} must be a positive number of seconds")
        self._prefix = prefix
        self._encryption = encryption_from(encryption_key)
        self._local_ttl = float(local_ttl)
        self._lock_timeout = float(lock_timeout)
        self._socket_timeout = float(socket_timeout)
        self._max_local = check_max_entries(max_local_entries)
        self._clock = clock
        redis = _redis_module()
        self._errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError)
        self._sync = redis.Redis.from_url(
            url, socket_timeout=socket_timeout, socket_connect_timeout=socket_timeout
        )
        self._release_sync = self._sync.register_script(_RELEASE)
        self._local: OrderedDict[str, tuple[CachedToken, float]] = OrderedDict()
        self._guard = threading.Lock()
        self._locks = KeyedLocks()
        self._down = False
        self._retry_at = 0.0
        self._async_lock = threading.Lock()
        self._async: dict[int, tuple[Any, Any, Any, object]] = {}

    def __repr__(self) -> str:
        parts = urlsplit(self._url)
        where = f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"
        return (
            f"RedisTokenCache({where!r}, prefix={self._prefix!r}, "
            f"encrypted={self._encryption is not None})"
        )

    # ------------------------------------------------------------------ keys and values
    def _token_key(self, key: str) -> str:
        return f"{self._prefix}token:{key}"

    def _lock_key(self, key: str) -> str:
        return f"{self._prefix}lock:{key}"

    def _encode(self, key: str, value: CachedToken) -> str:
        text = value.to_json()
        return text if self._encryption is None else self._encryption.encrypt(text, key)

    def _decode(self, key: str, raw: bytes | str | None) -> CachedToken | None:
        if raw is None:
            return None
        text = raw.decode() if isinstance(raw, bytes) else raw
        try:
            if self._encryption is not None:
                text = self._encryption.decrypt(text, key)
            entry = CachedToken.from_json(text)
        except (ValueError, UnicodeDecodeError) as exc:
            get_logger("token_management").warning(
                "Ignoring an unreadable cached token entry (%s)", printable(exc)
            )
            return None
        if self._clock() >= entry.stored_until:
            return None
        return entry

    # ---------------------------------------------------------------- in-process layer
    def _remember(self, key: str, entry: CachedToken) -> None:
        with self._guard:
            self._local[key] = (entry, self._clock() + self._local_ttl)
            self._local.move_to_end(key)
            while len(self._local) > self._max_local:
                self._local.popitem(last=False)

    def _forget(self, key: str) -> None:
        with self._guard:
            self._local.pop(key, None)

    def _local_entry(self, key: str, *, any_age: bool) -> CachedToken | None:
        found = self._local.get(key)
        if found is None:
            return None
        entry, local_until = found
        now = self._clock()
        if now >= entry.stored_until or (not any_age and now >= local_until):
            return None
        return entry

    # ------------------------------------------------------------------------ outages
    def _skip(self) -> bool:
        """Redis failed a moment ago: do not wait on it again before ``_RETRY_AFTER``."""
        return self._down and time.monotonic() < self._retry_at

    def _failed(self, exc: BaseException) -> None:
        self._retry_at = time.monotonic() + _RETRY_AFTER
        if not self._down:
            self._down = True
            get_logger("token_management").warning(
                "Redis is unreachable (%s): serving tokens from this process until it answers",
                printable(type(exc).__name__),
            )
            emit(TokenEventName.REDIS_FALLBACK, "redis")

    def _answered(self) -> None:
        if self._down:
            self._down = False
            get_logger("token_management").warning("Redis answers again")
            emit(TokenEventName.REDIS_RECOVERED, "redis")

    # ----------------------------------------------------------------------- sync API
    def peek(self, key: str) -> CachedToken | None:
        return self._local_entry(key, any_age=False)

    def get(self, key: str) -> CachedToken | None:
        if self._skip():
            return self._local_entry(key, any_age=True)
        try:
            raw = self._sync.get(self._token_key(key))
        except self._errors as exc:
            self._failed(exc)
            return self._local_entry(key, any_age=True)
        self._answered()
        return self._adopt(key, raw)

    def _adopt(self, key: str, raw: bytes | None) -> CachedToken | None:
        entry = self._decode(key, raw)
        if entry is None:
            self._forget(key)
        else:
            self._remember(key, entry)
        return entry

    def _ttl_ms(self, value: CachedToken) -> int:
        return int((value.stored_until - self._clock()) * 1000)

    def set(self, key: str, value: CachedToken) -> None:
        if not isinstance(value, CachedToken):
            raise ConfigurationException("a token cache stores CachedToken values")
        self._remember(key, value)
        if self._skip():
            return
        ttl = self._ttl_ms(value)
        try:
            if ttl > 0:
                self._sync.set(self._token_key(key), self._encode(key, value), px=ttl)
            else:
                self._sync.delete(self._token_key(key))
        except self._errors as exc:
            self._failed(exc)
            return
        self._answered()

    def delete(self, key: str) -> None:
        self._forget(key)
        if self._skip():
            return
        try:
            self._sync.delete(self._token_key(key))
        except self._errors as exc:
            self._failed(exc)
            return
        self._answered()

    # ---------------------------------------------------------------------- async API
    def _async_client(self) -> tuple[Any, Any]:
        loop = asyncio.get_running_loop()
        with self._async_lock:
            found = self._async.get(id(loop))
            if found is not None and found[0] is loop:
                return found[1], found[2]
            for stale in [k for k, (lp, *_rest) in self._async.items() if lp.is_closed()]:
                del self._async[stale]
            import redis.asyncio

            client = redis.asyncio.Redis.from_url(
                self._url,
                socket_timeout=self._socket_timeout,
                socket_connect_timeout=self._socket_timeout,
            )
            release = client.register_script(_RELEASE)
            self._async[id(loop)] = (loop, client, release, _register(_close_with_loop(client)))
            return client, release

    async def aget(self, key: str) -> CachedToken | None:
        if self._skip():
            return self._local_entry(key, any_age=True)
        client, _ = self._async_client()
        try:
            raw = await client.get(self._token_key(key))
        except self._errors as exc:
            self._failed(exc)
            return self._local_entry(key, any_age=True)
        self._answered()
        return self._adopt(key, raw)

    async def aset(self, key: str, value: CachedToken) -> None:
        if not isinstance(value, CachedToken):
            raise ConfigurationException("a token cache stores CachedToken values")
        self._remember(key, value)
        if self._skip():
            return
        client, _ = self._async_client()
        ttl = self._ttl_ms(value)
        try:
            if ttl > 0:
                await client.set(self._token_key(key), self._encode(key, value), px=ttl)
            else:
                await client.delete(self._token_key(key))
        except self._errors as exc:
            self._failed(exc)
            return
        self._answered()

    async def adelete(self, key: str) -> None:
        self._forget(key)
        if self._skip():
            return
        client, _ = self._async_client()
        try:
            await client.delete(self._token_key(key))
        except self._errors as exc:
            self._failed(exc)
            return
        self._answered()

    # -------------------------------------------------------------------------- locks
    def lock(self, key: str) -> _RedisFlightLock:
        return _RedisFlightLock(self, key)

    def _poll_delay(self, delay: float) -> float:
        return min(delay * 2, _MAX_POLL) * (0.5 + random.random() / 2)  # noqa: S311 - jitter

    @contextlib.contextmanager
    def _hold(self, key: str) -> Iterator[None]:
        owner = secrets.token_hex(16)
        held = self._acquire(key, owner)
        try:
            yield
        finally:
            if held:
                try:
                    self._release_sync(keys=[self._lock_key(key)], args=[owner])
                except self._errors as exc:
                    self._failed(exc)  # the lock expires by itself (PX)

    def _acquire(self, key: str, owner: str) -> bool:
        if self._skip():
            return False  # Redis is down: the in-process lock gives single flight
        lock_key, token_key = self._lock_key(key), self._token_key(key)
        ttl = int(self._lock_timeout * 1000)
        deadline = time.monotonic() + self._lock_timeout
        delay = _MIN_POLL
        first: bytes | None = None
        try:
            first = self._sync.get(token_key)
            while True:
                if self._sync.set(lock_key, owner, nx=True, px=ttl):
                    self._answered()
                    return True
                current = self._sync.get(token_key)
                if current is not None and current != first:
                    return False  # the holder stored a new entry: read it
                if time.monotonic() >= deadline:
                    return False  # the holder is gone; its lock expires by itself
                time.sleep(delay)
                delay = self._poll_delay(delay)
        except self._errors as exc:
            self._failed(exc)
            return False  # Redis is down: the in-process lock still gives single flight

    @contextlib.asynccontextmanager
    async def _ahold(self, key: str) -> AsyncIterator[None]:
        owner = secrets.token_hex(16)
        held = await self._aacquire(key, owner)
        try:
            yield
        finally:
            if held:
                _, release = self._async_client()
                try:
                    await release(keys=[self._lock_key(key)], args=[owner])
                except self._errors as exc:
                    self._failed(exc)

    async def _aacquire(self, key: str, owner: str) -> bool:
        if self._skip():
            return False
        client, _ = self._async_client()
        lock_key, token_key = self._lock_key(key), self._token_key(key)
        ttl = int(self._lock_timeout * 1000)
        deadline = time.monotonic() + self._lock_timeout
        delay = _MIN_POLL
        try:
            first = await client.get(token_key)
            while True:
                if await client.set(lock_key, owner, nx=True, px=ttl):
                    self._answered()
                    return True
                current = await client.get(token_key)
                if current is not None and current != first:
                    return False
                if time.monotonic() >= deadline:
                    return False
                await asyncio.sleep(delay)
                delay = self._poll_delay(delay)
        except self._errors as exc:
            self._failed(exc)
            return False

    def close(self) -> None:
        """Close the sync connection pool (async clients close with their loops)."""
        self._sync.close()


class _RedisFlightLock:
    """The in-process lock of the key, then the Redis lock."""

    __slots__ = ("_cache", "_key", "_local")

    def __init__(self, cache: RedisTokenCache, key: str) -> None:
        self._cache, self._key = cache, key
        self._local = cache._locks.get(key)

    def hold(self) -> AbstractContextManager[object]:
        return self._both()

    @contextlib.contextmanager
    def _both(self) -> Iterator[None]:
        with self._local.hold(), self._cache._hold(self._key):
            yield

    def ahold(self, driver: ARunFlow[Any]) -> AbstractAsyncContextManager[object]:
        return _async_both(self._local.ahold(driver), self._cache._ahold(self._key))


@contextlib.asynccontextmanager
async def _async_both(
    first: AbstractAsyncContextManager[object], second: AbstractAsyncContextManager[object]
) -> AsyncIterator[None]:
    async with first, second:
        yield


async def _close_with_loop(client: Any) -> AsyncGenerator[None, None]:
    try:
        yield
    finally:
        await client.aclose()


def _register(closer: AsyncGenerator[None, None]) -> AsyncGenerator[None, None]:
    step = closer.__anext__()  # the loop's first-iteration hook registers the generator
    with contextlib.suppress(StopIteration):
        step.send(None)
    return closer
