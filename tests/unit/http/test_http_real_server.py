"""Real sockets on 127.0.0.1, for what a MockTransport cannot show.

Trickling bodies (per-read timeouts never fire), hung servers, early close of oversized
bodies, refused connections. Every server loop is bounded in count and time.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from py_identity_model.http.messages import (
    HttpRequest,
    HttpResponse,
    Outcome,
    TransportFailure,
)
from py_identity_model.http.readers import JsonBody, read_json_object
from py_identity_model.options import configure
from py_identity_model.transport.async_client import AsyncHTTPClient
from py_identity_model.transport.sync_client import HTTPClient

Fetch = Callable[..., tuple[Outcome, float]]


@pytest.fixture(params=["sync", "async"])
def fetch(request: pytest.FixtureRequest) -> Fetch:
    """``fetch(url, **client_kwargs) -> (outcome, seconds)`` with a real library-owned client."""

    def sync_fetch(url: str, **kwargs: Any) -> tuple[Outcome, float]:
        with HTTPClient(**kwargs) as client:
            started = time.monotonic()
            outcome = client.send_request(HttpRequest.get(url))
            return outcome, time.monotonic() - started

    def async_fetch(url: str, **kwargs: Any) -> tuple[Outcome, float]:
        async def go() -> tuple[Outcome, float]:
            async with AsyncHTTPClient(**kwargs) as client:
                started = time.monotonic()
                outcome = await client.send_request(HttpRequest.get(url))
                return outcome, time.monotonic() - started

        return asyncio.run(go())

    return sync_fetch if request.param == "sync" else async_fetch


# ------------------------------------------------------------------------ handlers


def trickle_body(conn: socket.socket, server: Any) -> None:
    """Headers at once, then one body byte every 0.2 s for as long as the test runs."""
    server.read_request(conn)
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
    )
    while server.pause(0.2):
        conn.sendall(b" ")
        server.count("bytes")


def trickle_headers(conn: socket.socket, server: Any) -> None:
    """The status line at once, then a header value one byte every 0.1 s for 1.5 s."""
    server.read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    for _ in range(15):
        if not server.pause(0.1):
            return
        conn.sendall(b"a")
    conn.sendall(
        b"\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
    )
    server.count("completed")


HUGE_TOTAL = 64 * 1024 * 1024
CHUNK = 64 * 1024


def huge_chunked_body(conn: socket.socket, server: Any) -> None:
    """A 64 MiB chunked body with no Content-Length; records how much was really sent."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, CHUNK)
    server.read_request(conn)
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    frame = b"%x\r\n" % CHUNK + b"x" * CHUNK + b"\r\n"
    sent = 0
    while sent < HUGE_TOTAL and server.running():
        conn.sendall(frame)
        sent += CHUNK
        server.count("body_bytes", CHUNK)
    conn.sendall(b"0\r\n\r\n")
    server.count("completed")


def never_answer(conn: socket.socket, server: Any) -> None:
    server.read_request(conn)
    server.count("requests")
    while server.pause(0.05):
        pass


# --------------------------------------------------------------------------- tests


def test_real_server_happy_path(fetch: Fetch, json_server: Any) -> None:
    outcome, elapsed = fetch(json_server.url, timeout=5.0)
    assert isinstance(outcome, HttpResponse)
    assert outcome.status == 200
    result = read_json_object(outcome, what="x")
    assert isinstance(result, JsonBody)
    assert result.data == {"ok": True}
    assert elapsed < 2.0


def test_trickling_body_hits_whole_call_deadline(fetch: Fetch, serve: Any) -> None:
    server = serve(trickle_body)
    outcome, elapsed = fetch(server.url, timeout=1.0)
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "timeout"
    assert outcome.message == "Request timed out after 1 s"
    assert 0.9 <= elapsed < 2.5
    # The server really was trickling: each read succeeded well within httpx's per-read timeout.
    assert server.counters.get("bytes", 0) >= 3


def test_hung_server_times_out(fetch: Fetch, serve: Any) -> None:
    server = serve(never_answer)
    outcome, elapsed = fetch(server.url, timeout=0.5)
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "timeout"
    assert 0.4 <= elapsed < 1.5
    assert server.counters.get("requests") == 1


def test_connection_refused_is_network_failure(fetch: Fetch, closed_port: int) -> None:
    outcome, elapsed = fetch(f"http://127.0.0.1:{closed_port}/", timeout=2.0)
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "network_error"
    assert "ConnectError" in outcome.message
    assert elapsed < 1.5


def test_huge_body_stops_reading_early(fetch: Fetch, serve: Any) -> None:
    server = serve(huge_chunked_body)
    outcome, elapsed = fetch(server.url, timeout=10.0, max_response_bytes=64 * 1024)
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "response_too_large"
    assert outcome.message == "Response body exceeds the limit of 65536 bytes"
    # The client hung up: the server's writes fail long before the 64 MiB are out.
    assert server.done.wait(5.0)
    assert "completed" not in server.counters
    assert server.errors
    assert set(server.errors) <= {"BrokenPipeError", "ConnectionResetError"}
    assert server.counters.get("body_bytes", 0) < HUGE_TOTAL // 2
    assert elapsed < 3.0


def test_async_trickling_headers_hit_deadline(serve: Any) -> None:
    server = serve(trickle_headers)

    async def go() -> tuple[Outcome, float]:
        async with AsyncHTTPClient(timeout=0.5) as client:
            started = time.monotonic()
            outcome = await client.send_request(HttpRequest.get(server.url))
            return outcome, time.monotonic() - started

    outcome, elapsed = asyncio.run(go())
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "timeout"
    assert elapsed < 1.0


def test_sync_trickling_headers_hit_deadline(serve: Any) -> None:
    # Regression: the sync deadline was only checked between body chunks.
    server = serve(trickle_headers)
    with HTTPClient(timeout=0.5) as client:
        started = time.monotonic()
        outcome = client.send_request(HttpRequest.get(server.url))
        elapsed = time.monotonic() - started
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "timeout"
    assert elapsed < 1.0


def test_sync_deadline_releases_the_connection(serve: Any, json_server: Any) -> None:
    slow = serve(trickle_headers)
    # With a caller's own client, the whole exchange is bounded by the library timeout.
    configure(timeout=0.3)
    with httpx.Client(limits=httpx.Limits(max_connections=1), follow_redirects=False) as raw:
        client = HTTPClient(raw)
        first = client.send_request(HttpRequest.get(slow.url))
        assert isinstance(first, TransportFailure)
        assert first.code == "timeout"
        # A healthy server, same client, right after the deadline.
        second = client.send_request(HttpRequest.get(json_server.url))
        assert isinstance(second, HttpResponse), second
        assert second.status == 200


def test_async_deadline_releases_the_connection(serve: Any, json_server: Any) -> None:
    slow = serve(trickle_headers)
    configure(timeout=0.3)

    async def go() -> tuple[Outcome, Outcome]:
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=1)) as raw:
            client = AsyncHTTPClient(raw)
            first = await client.send_request(HttpRequest.get(slow.url))
            second = await client.send_request(HttpRequest.get(json_server.url))
            return first, second

    first, second = asyncio.run(go())
    assert isinstance(first, TransportFailure)
    assert first.code == "timeout"
    assert isinstance(second, HttpResponse)
    assert second.status == 200
