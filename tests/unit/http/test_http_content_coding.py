"""Content codings on real sockets: the size limit bounds *decoded* bytes while decoding.

A small response with ``Content-Encoding: gzip, gzip`` (or one layer of a gzip bomb) used
to expand to hundreds of MiB before the 1 MiB limit was checked. The transports now ask
for ``identity``, decode at most one gzip/deflate layer themselves within the limit, and
refuse everything else (RFC 9110 §8.4).
"""

from __future__ import annotations

import asyncio
import gzip
import socket
import time
import tracemalloc
import zlib
from collections.abc import Callable
from typing import Any

import pytest

from py_identity_model.http.messages import HttpRequest, HttpResponse, Outcome, TransportFailure
from py_identity_model.transport.async_client import AsyncHTTPClient
from py_identity_model.transport.sync_client import HTTPClient

LIMIT = 1024 * 1024
BOMB = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)  # ~64 KiB -> 64 MiB


def answer(
    body: bytes, coding: str | None, seen: list[bytes]
) -> Callable[[socket.socket, Any], None]:
    def handler(conn: socket.socket, server: Any) -> None:
        seen.append(server.read_request(conn))
        coding_header = f"Content-Encoding: {coding}\r\n" if coding else ""
        server.respond(conn, body=body, extra=coding_header)

    return handler


@pytest.fixture(params=["sync", "async"])
def send(request: pytest.FixtureRequest) -> Callable[[str], Outcome]:
    def sync_send(url: str) -> Outcome:
        with HTTPClient(timeout=10) as client:
            return client.send_request(HttpRequest.get(url))

    def async_send(url: str) -> Outcome:
        async def go() -> Outcome:
            async with AsyncHTTPClient(timeout=10) as client:
                return await client.send_request(HttpRequest.get(url))

        return asyncio.run(go())

    return sync_send if request.param == "sync" else async_send


def test_identity_is_asked_for(serve: Any, send: Any) -> None:
    seen: list[bytes] = []
    outcome = send(serve(answer(b"{}", None, seen)).url)
    assert isinstance(outcome, HttpResponse)
    assert b"accept-encoding: identity\r\n" in seen[0].lower()


@pytest.mark.parametrize(
    ("coding", "encode"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, seen in the wild
        ("identity", lambda data: data),
        ("GZIP", gzip.compress),
    ],
)
def test_one_layer_of_gzip_or_deflate_is_decoded(
    serve: Any, send: Any, coding: str, encode: Any
) -> None:
    body = b'{"keys": []}' * 100
    outcome = send(serve(answer(encode(body), coding, [])).url)
    assert isinstance(outcome, HttpResponse), outcome
    assert outcome.body == body


def test_a_gzip_bomb_stops_at_the_limit_without_expanding(serve: Any, send: Any) -> None:
    tracemalloc.start()
    try:
        started = time.monotonic()
        outcome = send(serve(answer(BOMB, "gzip", [])).url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "response_too_large"
    assert peak < 16 * 1024 * 1024  # far below the 64 MiB the bomb expands to
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("coding", "body"),
    [
        ("gzip, gzip", gzip.compress(gzip.compress(b"{}"))),
        ("gzip,gzip", gzip.compress(gzip.compress(b"{}"))),
        ("deflate, gzip", gzip.compress(zlib.compress(b"{}"))),
        ("br", b"\x0b\x00\x80{}\x03"),
        ("zstd", b"(\xb5/\xfd\x00X\x11\x00\x00{}"),
        ("compress", b"\x1f\x9d"),
        ("chunked", b"{}"),
    ],
)
def test_other_and_stacked_codings_are_refused(
    serve: Any, send: Any, coding: str, body: bytes
) -> None:
    outcome = send(serve(answer(body, coding, [])).url)
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "unsupported_content_encoding"


@pytest.mark.parametrize(
    "body",
    [gzip.compress(b'{"a": 1}')[:-6], b"definitely not gzip", gzip.compress(b"{}")[:5]],
    ids=["truncated", "garbage", "header-only"],
)
def test_corrupt_compressed_bodies_are_network_failures(serve: Any, send: Any, body: bytes) -> None:
    outcome = send(serve(answer(body, "gzip", [])).url)
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "network_error"


def test_declared_length_counts_only_for_identity_bodies(serve: Any, send: Any) -> None:
    # A compressed body's Content-Length is its compressed size: not compared to the limit.
    body = gzip.compress(b"x" * (LIMIT // 2))
    outcome = send(serve(answer(body, "gzip", [])).url)
    assert isinstance(outcome, HttpResponse)
    assert len(outcome.body) == LIMIT // 2
