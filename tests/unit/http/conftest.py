"""Shared fixtures for the HTTP, utils and caching unit tests.

* ``restore_options`` (autouse): every test leaves the library options and the managed
  default clients as it found them.
* ``drive``: runs each test once with the sync shell and once with the async shell, over
  one ``httpx.MockTransport`` handler; sleeps are recorded instead of slept.
* ``serve``: a real, bounded, threaded TCP server on 127.0.0.1 for what mocks cannot show
  (trickling bodies, hung servers, early close of oversized bodies).
* ``DualStream`` (via the ``dual_stream`` fixture): a response body usable by both the sync
  and the async httpx client, counting how many chunks the client actually pulled.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from py_identity_model import options as options_module
from py_identity_model.drivers import aio as async_driver, sync as sync_driver
from py_identity_model.drivers.aio import run_async
from py_identity_model.drivers.sync import run_sync
from py_identity_model.http.flow import Flow, single_request
from py_identity_model.http.messages import HttpRequest, Outcome
from py_identity_model.http.readers import JsonBody, read_json_object
from py_identity_model.http.results import Failure
from py_identity_model.transport import async_client, sync_client
from py_identity_model.transport.async_client import AsyncHTTPClient
from py_identity_model.transport.sync_client import HTTPClient

URL = "https://idp.example/resource"


def reset_default_clients() -> None:
    """Forget the managed default clients of both transports."""
    sync_client.reset_default_sync_client()
    async_client.reset_default_async_clients()


# --------------------------------------------------------------------------- options


@pytest.fixture(autouse=True)
def restore_options() -> Iterator[None]:
    """Undo any ``configure()`` a test made, and drop default clients it created."""
    saved = options_module.get_options()
    yield
    if options_module.get_options() is not saved:
        options_module._options = saved
    reset_default_clients()


# ------------------------------------------------------------------- dual-mode body


class DualStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body both httpx clients can read; counts the chunks handed out."""

    def __init__(self, chunks: list[bytes] | Callable[[int], bytes | None]) -> None:
        self._chunks = chunks
        self.pulled = 0
        self.closed = False

    def _chunk(self, index: int) -> bytes | None:
        if callable(self._chunks):
            return self._chunks(index)
        return self._chunks[index] if index < len(self._chunks) else None

    def __iter__(self) -> Iterator[bytes]:
        index = 0
        while (chunk := self._chunk(index)) is not None:
            self.pulled += 1
            index += 1
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


@pytest.fixture
def dual_stream() -> type[DualStream]:
    return DualStream


# ---------------------------------------------------------------------------- drive


class _TimeProxy:
    """Stands in for the ``time`` module inside ``sync_client``: sleeps are recorded."""

    def __init__(self, sleeps: list[float]) -> None:
        self._sleeps = sleeps

    def sleep(self, seconds: float) -> None:
        self._sleeps.append(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


class _AsyncioProxy:
    """Stands in for the ``asyncio`` module inside ``async_client``: sleeps are recorded."""

    def __init__(self, sleeps: list[float]) -> None:
        self._sleeps = sleeps

    async def sleep(self, seconds: float) -> None:
        self._sleeps.append(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)


Handler = Callable[[httpx.Request], httpx.Response]


class Driver:
    """Runs flows through the sync or the async shell over an ``httpx.MockTransport``."""

    def __init__(self, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
        self.mode = mode
        self.is_async = mode == "async"
        self.sleeps: list[float] = []
        self._to_close: list[httpx.Client] = []
        self._owned: list[HTTPClient] = []
        # The drivers sleep through drivers._sleep / drivers._asleep: record instead.
        if self.is_async:
            monkeypatch.setattr(async_driver, "_asleep", _AsyncioProxy(self.sleeps).sleep)
        else:
            monkeypatch.setattr(sync_driver, "_sleep", _TimeProxy(self.sleeps).sleep)

    def raw_client(self, handler: Handler, **kwargs: Any) -> httpx.Client | httpx.AsyncClient:
        transport = httpx.MockTransport(handler)
        if self.is_async:
            return httpx.AsyncClient(transport=transport, **kwargs)
        client = httpx.Client(transport=transport, **kwargs)
        self._to_close.append(client)
        return client

    def client(self, handler: Handler, **kwargs: Any) -> HTTPClient | AsyncHTTPClient:
        """An HTTPClient / AsyncHTTPClient over the mock (settings from ``kwargs``).

        With ``timeout`` (or ``verify``) the library creates the client around the mock
        transport; otherwise it wraps a caller's httpx client, the common case.
        """
        if "timeout" in kwargs or "verify" in kwargs:
            mock = httpx.MockTransport(handler)
            if self.is_async:
                return AsyncHTTPClient(transport=mock, **kwargs)
            owned = HTTPClient(transport=mock, **kwargs)
            self._owned.append(owned)
            return owned
        raw = self.raw_client(handler)
        if self.is_async:
            assert isinstance(raw, httpx.AsyncClient)
            return AsyncHTTPClient(raw, **kwargs)
        assert isinstance(raw, httpx.Client)
        return HTTPClient(raw, **kwargs)

    def run(self, flow: Flow[Any], http_client: object) -> Any:
        if self.is_async:
            return asyncio.run(run_async(flow, http_client))
        return run_sync(flow, http_client)

    def send(self, handler: Handler, request: HttpRequest | None = None, **kwargs: Any) -> Outcome:
        """One ``send_request`` through a fresh client (no retry wrapper)."""
        request = request or HttpRequest.get(URL)
        client = self.client(handler, **kwargs)
        if isinstance(client, AsyncHTTPClient):
            return asyncio.run(client.send_request(request))
        return client.send_request(request)

    def outcome(
        self, handler: Handler, request: HttpRequest | None = None, **kwargs: Any
    ) -> Outcome:
        """One request through the full driver (retry wrapper included)."""
        return self.run(
            single_request(request or HttpRequest.get(URL)), self.client(handler, **kwargs)
        )

    def json(self, handler: Handler, **kwargs: Any) -> JsonBody | Failure:
        return read_json_object(self.outcome(handler, **kwargs), what="Test document")

    def close(self) -> None:
        for client in self._to_close:
            client.close()
        for owned in self._owned:
            owned.close()


@pytest.fixture(params=["sync", "async"])
def drive(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Driver]:
    driver = Driver(request.param, monkeypatch)
    yield driver
    driver.close()


# ----------------------------------------------------------------------- real server

ConnHandler = Callable[[socket.socket, "LocalServer"], None]


class LocalServer:
    """A bounded threaded TCP server on 127.0.0.1 calling ``handler(conn, server)`` per connection.

    Bounded in connections and lifetime; every handler loop should use :meth:`running`
    so it ends when the test ends. Errors a handler meets while writing (the client went
    away) are recorded in ``errors``; ``counters`` is free for handlers to fill.
    """

    def __init__(self, handler: ConnHandler, *, max_connections: int, lifetime: float) -> None:
        self.handler = handler
        self.max_connections = max_connections
        self.deadline = time.monotonic() + lifetime
        self.stopped = threading.Event()
        self.connections = 0
        self.errors: list[str] = []
        self.counters: dict[str, int] = {}
        self.done = threading.Event()  # set when any handler finishes
        self._lock = threading.Lock()
        self._conns: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.05)
        self.port: int = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._acceptor = threading.Thread(target=self._accept_loop, name="test-server", daemon=True)
        self._acceptor.start()

    def running(self) -> bool:
        return not self.stopped.is_set() and time.monotonic() < self.deadline

    def pause(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; ``False`` once the server is stopping."""
        return not self.stopped.wait(seconds) and time.monotonic() < self.deadline

    def count(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self.counters[name] = self.counters.get(name, 0) + amount

    def _accept_loop(self) -> None:
        while self.running() and self.connections < self.max_connections:
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            conn.settimeout(5.0)
            with self._lock:
                self.connections += 1
                self._conns.append(conn)
            worker = threading.Thread(target=self._serve_one, args=(conn,), daemon=True)
            self._threads.append(worker)
            worker.start()

    def _serve_one(self, conn: socket.socket) -> None:
        try:
            self.handler(conn, self)
        except OSError as exc:
            self.errors.append(type(exc).__name__)
        finally:
            with contextlib.suppress(OSError):
                conn.close()
            self.done.set()

    # ------------------------------------------------------------- handler helpers
    @staticmethod
    def read_request(conn: socket.socket) -> bytes:
        """Read one request head (bounded to 64 KiB)."""
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        return data

    @staticmethod
    def respond(
        conn: socket.socket,
        status: int = 200,
        body: bytes = b'{"ok": true}',
        content_type: str = "application/json",
        extra: str = "",
    ) -> None:
        head = (
            f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n{extra}\r\n"
        )
        conn.sendall(head.encode("ascii") + body)

    def close(self) -> None:
        self.stopped.set()
        with contextlib.suppress(OSError):
            self._sock.close()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._acceptor.join(2.0)
        for worker in self._threads:
            worker.join(2.0)


@pytest.fixture
def serve() -> Iterator[Callable[..., LocalServer]]:
    """``serve(handler, max_connections=20, lifetime=10.0)`` starts a LocalServer."""
    servers: list[LocalServer] = []

    def start(
        handler: ConnHandler, *, max_connections: int = 20, lifetime: float = 10.0
    ) -> LocalServer:
        server = LocalServer(handler, max_connections=max_connections, lifetime=lifetime)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def json_server(serve: Callable[..., LocalServer]) -> LocalServer:
    """A real server answering every request with ``200 {"ok": true}``."""

    def handler(conn: socket.socket, server: LocalServer) -> None:
        server.read_request(conn)
        server.count("requests")
        server.respond(conn)

    return serve(handler, max_connections=50)


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on (bound, then released)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port: int = probe.getsockname()[1]
    probe.close()
    return port
