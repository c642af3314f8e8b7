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

import httpcore
import httpx

__all__ = ["DEADLINE", "install_deadline_backend"]

# Monotonic time by which the current call must be over; None outside library calls.
DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "py_identity_model_deadline", default=None
)


def _bounded(timeout: float | None) -> float | None:
    deadline = DEADLINE.get()
    if deadline is None:
        return timeout
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise httpcore.ReadTimeout("the call's deadline has passed")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout))
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(
            host, port, _bounded(timeout), local_address, socket_options
        )
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._inner.connect_unix_socket(path, _bounded(timeout), socket_options)
        )

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def install_deadline_backend(client: httpx.Client) -> bool:
    """Wrap the network backend of every pool of ``client``; False if its layout is unknown.

    Relies on httpx/httpcore internals (``HTTPTransport._pool._network_backend``), so it is
    applied only to clients the library created and checked rather than assumed: when the
    layout differs, the caller falls back to a watchdog thread.
    """
    transports = [client._transport, *client._mounts.values()]
    pools = []
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        if transport is None or pool is None or not hasattr(pool, "_network_backend"):
            return False
        pools.append(pool)
    for pool in pools:
        if not isinstance(pool._network_backend, _DeadlineBackend):
            pool._network_backend = _DeadlineBackend(pool._network_backend)
    return True
