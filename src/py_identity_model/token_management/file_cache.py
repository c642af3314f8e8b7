"""Tokens in a file, for CLIs, desktop and agent clients: they survive a restart.

* One JSON file (permissions ``0600``, its directory created ``0700``), replaced
  atomically (a temporary file in the same directory, ``fsync``, ``os.replace``), so a
  crash never leaves half a file and readers never see one.
* Writes are serialised by an advisory lock (``<path>.lock``, ``fcntl.flock``), so two
  processes on one host never lose each other's entries; refreshes take a second lock
  (``<path>.flight``), so two processes never refresh at once: the second re-reads the
  file and finds the first one's token.
* Entries carry absolute expiry: after a restart an expired token is never served.
* Optional AES-GCM encryption of every entry (``encryption_key``).

POSIX only (``fcntl``). The async methods do the same small blocking file operations;
the async lock polls the file lock with the driver's non-blocking sleep.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from pathlib import Path
from typing import Any

from .._logging import get_logger
from ..exceptions import ConfigurationException
from ..http.flow import Flow
from ..http.messages import ARunFlow, Sleep
from ..utils.logsafe import printable
from ..utils.strict_json import loads_object
from .cache import DEFAULT_MAX_ENTRIES, KeyedLocks, check_max_entries
from .encryption import TokenEncryption, encryption_from
from .models import CachedToken

__all__ = ["FileTokenCache"]

_MAX_FILE = 16 * 1024 * 1024


def _fcntl() -> Any:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        raise ConfigurationException("FileTokenCache needs a POSIX system (fcntl)") from None
    return fcntl


def _sleep_flow(seconds: float) -> Flow[None]:
    yield Sleep(seconds)


class FileTokenCache:
    """Tokens in ``path`` (created ``0600``), shared by the processes of one host.

    Args:
        path: the cache file.
        encryption_key: encrypt entries (16/24/32 bytes, or a ``TokenEncryption``).
        max_entries: at most this many entries; the ones expiring first go first.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        encryption_key: bytes | TokenEncryption | None = None,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._fcntl = _fcntl()
        if not isinstance(path, (str, os.PathLike)) or not str(path):
            raise ConfigurationException("path must be a file path")
        self._path = Path(path)
        if self._path.is_dir():
            raise ConfigurationException("path is a directory; name a file in it")
        self._encryption = encryption_from(encryption_key)
        self._max = check_max_entries(max_entries)
        self._clock = clock
        self._memory: dict[str, CachedToken] = {}
        self._stamp: tuple[int, int] | None = None
        self._guard = threading.Lock()
        self._locks = KeyedLocks()

    def __repr__(self) -> str:
        return f"FileTokenCache({str(self._path)!r}, encrypted={self._encryption is not None})"

    @property
    def path(self) -> Path:
        return self._path

    # -------------------------------------------------------------------------- file
    def _ensure_dir(self) -> None:
        parent = self._path.parent
        if not parent.exists():
            parent.mkdir(mode=0o700, parents=True, exist_ok=True)

    @contextlib.contextmanager
    def _file_lock(self, suffix: str, *, blocking: bool = True) -> Iterator[bool]:
        self._ensure_dir()
        fd = os.open(f"{self._path}{suffix}", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            flags = self._fcntl.LOCK_EX | (0 if blocking else self._fcntl.LOCK_NB)
            try:
                self._fcntl.flock(fd, flags)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                self._fcntl.flock(fd, self._fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _read_file(self) -> dict[str, str]:
        try:
            stat = self._path.stat()
        except FileNotFoundError:
            self._stamp = None
            return {}
        if stat.st_size > _MAX_FILE:
            get_logger("token_management").warning("Token cache file too large; ignored")
            return {}
        try:
            data = loads_object(self._path.read_bytes())
        except (OSError, ValueError) as exc:
            get_logger("token_management").warning(
                "Token cache file unreadable; starting empty (%s)", printable(exc)
            )
            return {}
        self._stamp = (stat.st_mtime_ns, stat.st_size)
        return {k: v for k, v in data.items() if isinstance(v, str)}

    def _decode(self, key: str, raw: str) -> CachedToken | None:
        try:
            text = raw if self._encryption is None else self._encryption.decrypt(raw, key)
            entry = CachedToken.from_json(text)
        except ValueError:
            return None
        return entry if self._clock() < entry.stored_until else None

    def _encode(self, key: str, value: CachedToken) -> str:
        text = value.to_json()
        return text if self._encryption is None else self._encryption.encrypt(text, key)

    def _write_file(self, raw: dict[str, str]) -> None:
        self._ensure_dir()
        fd, temp = tempfile.mkstemp(prefix=".tokens-", dir=self._path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(raw, handle, separators=(",", ":"))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self._path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        stat = self._path.stat()
        self._stamp = (stat.st_mtime_ns, stat.st_size)

    def _current_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self._path.stat()
        except FileNotFoundError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    # ----------------------------------------------------------------------- sync API
    def peek(self, key: str) -> CachedToken | None:
        entry = self._memory.get(key)
        if entry is None or self._clock() >= entry.stored_until:
            return None
        return entry

    def get(self, key: str) -> CachedToken | None:
        with self._guard:
            if self._current_stamp() != self._stamp or key not in self._memory:
                raw = self._read_file()
                self._memory = {}
                for name, value in raw.items():
                    entry = self._decode(name, value)
                    if entry is not None:
                        self._memory[name] = entry
            entry = self._memory.get(key)
        if entry is None or self._clock() >= entry.stored_until:
            return None
        return entry

    def set(self, key: str, value: CachedToken) -> None:
        if not isinstance(value, CachedToken):
            raise ConfigurationException("a token cache stores CachedToken values")
        self._update(key, value)

    def delete(self, key: str) -> None:
        self._update(key, None)

    def _update(self, key: str, value: CachedToken | None) -> None:
        with self._guard, self._file_lock(".lock"):
            raw = self._read_file()
            now = self._clock()
            kept: dict[str, tuple[str, float]] = {}
            for name, stored in raw.items():
                entry = self._decode(name, stored)
                if entry is not None and name != key:
                    kept[name] = (stored, entry.stored_until)
            if value is not None and now < value.stored_until:
                kept[key] = (self._encode(key, value), value.stored_until)
            if len(kept) > self._max:  # the ones that expire first go first
                ordered = sorted(kept.items(), key=lambda item: item[1][1], reverse=True)
                kept = dict(ordered[: self._max])
            self._write_file({name: stored for name, (stored, _) in kept.items()})
            if value is None:
                self._memory.pop(key, None)
            else:
                self._memory[key] = value

    async def aget(self, key: str) -> CachedToken | None:
        return self.get(key)

    async def aset(self, key: str, value: CachedToken) -> None:
        self.set(key, value)

    async def adelete(self, key: str) -> None:
        self.delete(key)

    # -------------------------------------------------------------------------- locks
    def lock(self, key: str) -> _FileFlightLock:
        return _FileFlightLock(self, key)


class _FileFlightLock:
    """The in-process lock of the key, then the host-wide refresh lock of the file."""

    __slots__ = ("_cache", "_local")

    def __init__(self, cache: FileTokenCache, key: str) -> None:
        self._cache = cache
        self._local = cache._locks.get(key)

    @contextlib.contextmanager
    def _both(self) -> Iterator[None]:
        with self._local.hold(), self._cache._file_lock(".flight"):
            yield

    def hold(self) -> AbstractContextManager[object]:
        return self._both()

    def ahold(self, driver: ARunFlow[Any]) -> AbstractAsyncContextManager[object]:
        return self._aboth(driver)

    @contextlib.asynccontextmanager
    async def _aboth(self, driver: ARunFlow[Any]) -> AsyncIterator[None]:
        async with self._local.ahold(driver):
            delay = 0.005
            while True:
                with self._cache._file_lock(".flight", blocking=False) as held:
                    if held:
                        yield
                        return
                await driver(_sleep_flow(delay))  # never blocks the event loop
                delay = min(delay * 2, 0.2)
