"""A hard deadline for blocking httpx calls, enforced on every socket operation.

httpx's timeouts apply per network operation: a server that trickles its status line or
headers one byte at a time never trips them. For the clients the library creates, the
connection pool's network backend is wrapped so that each connect, read and write waits at
most until the call's deadline (carried in a context variable). A call then ends at its
deadline *and* gives its connection back to the pool, so one slow host cannot starve the
pool. (The async shell gets the same bound from ``asyncio.wait_for``.)
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterable
from typing import Any

from .stacks import HttpStack

__all__ = ["DEADLINE", "install_deadline_backend"]

# Monotonic time by which the current call must be over; None outside library calls.
DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "py_identity_model_deadline", default=None
)


def _bounded(timeout: float | None, expired: type[BaseException]) -> float | None:
    deadline = DEADLINE.get()
    if deadline is None:
        return timeout
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise expired("the call's deadline has passed")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream:
    """A network stream whose every operation waits at most until the call's deadline.

    It has the methods of httpcore's (and httpcore2's) ``NetworkStream``; the pools call
    them and never check the type.
    """

    def __init__(self, inner: Any, expired: type[BaseException]) -> None:
        self._inner = inner
        self._expired = expired

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data: bytes = self._inner.read(max_bytes, _bounded(timeout, self._expired))
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, self._expired))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> _DeadlineStream:
        inner = self._inner.start_tls(
            ssl_context, server_hostname, _bounded(timeout, self._expired)
        )
        return _DeadlineStream(inner, self._expired)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend:
    """A network backend whose streams are deadline-bound."""

    def __init__(self, inner: Any, expired: type[BaseException]) -> None:
        self._inner = inner
        self._expired = expired

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> _DeadlineStream:
        stream = self._inner.connect_tcp(
            host, port, _bounded(timeout, self._expired), local_address, socket_options
        )
        return _DeadlineStream(stream, self._expired)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> _DeadlineStream:
        stream = self._inner.connect_unix_socket(
            path, _bounded(timeout, self._expired), socket_options
        )
        return _DeadlineStream(stream, self._expired)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def install_deadline_backend(client: Any, stack: HttpStack) -> bool:
    """Wrap the network backend of every pool of ``client``; False if its layout is unknown.

    Relies on httpx/httpcore internals (``HTTPTransport._pool._network_backend``; httpx2
    and httpcore2 have the same layout), so the layout is checked rather than assumed: when
    it differs, the caller falls back to a watchdog thread.
    """
    transports = [getattr(client, "_transport", None), *getattr(client, "_mounts", {}).values()]
    pools = []
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if (
            transport is None
            or pool is None
            or not isinstance(backend, (stack.network_backend, _DeadlineBackend))
        ):
            return False
        pools.append(pool)
    for pool in pools:
        if not isinstance(pool._network_backend, _DeadlineBackend):
            pool._network_backend = _DeadlineBackend(pool._network_backend, stack.read_timeout)
    return True
