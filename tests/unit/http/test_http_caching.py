"""caching: Cache-Control lifetimes and the single-flight, stale-if-error RefreshingValue."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from py_identity_model.caching import RefreshingValue, cache_lifetime, parse_max_age
from py_identity_model.drivers import aio as async_driver, sync as sync_driver
from py_identity_model.errors import ErrorType
from py_identity_model.http.flow import Flow
from py_identity_model.http.messages import Headers, HttpRequest
from py_identity_model.http.readers import JsonBody, read_json_object
from py_identity_model.http.results import Failure
from py_identity_model.options import NO_RETRY
from py_identity_model.transport.async_client import AsyncHTTPClient
from py_identity_model.transport.sync_client import HTTPClient


def sync_run(client: Any) -> Any:
    """The sync driver as a cache's fetch runner, over ``client``."""
    return sync_driver.runner(client)


def async_run(client: Any) -> Any:
    """The async driver as a cache's fetch runner, over ``client``."""
    return async_driver.runner(client)


URL = "https://idp.example/jwks"

# -------------------------------------------------------------------- cache_control


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("max-age=60", 60),
        ("public, max-age=3600", 3600),
        ("MAX-AGE=5", 5),
        (" max-age = 7 ", 7),
        ('max-age="90"', 90),
        ("max-age=0", 0),
        ("max-age=10, max-age=20", 20),
        ("max-age=abc", None),
        ("max-age=-5", None),
        ("max-age=1.5", None),
        ("max-age=", None),
        ("max-age", None),
        ("s-maxage=100", None),
        ("public, must-revalidate", None),
        ("no-store", 0),
        ("no-cache", 0),
        ("No-Cache", 0),
        ("max-age=600, no-cache", 0),
        ('no-cache="Set-Cookie", max-age=600', 0),
        ("private, max-age=30, stale-while-revalidate=60", 30),
    ],
)
def test_parse_max_age(header: str | None, expected: int | None) -> None:
    assert parse_max_age(header) == expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (None, 3600.0),  # no headers: default
        (Headers(), 3600.0),
        (Headers({"Cache-Control": "max-age=120"}), 120.0),
        (Headers({"Cache-Control": "max-age=5"}), 60.0),  # clamped up to the minimum
        (Headers({"Cache-Control": "max-age=99999999"}), 86400.0),  # clamped down to the maximum
        (Headers({"Cache-Control": "no-store"}), 60.0),  # no-store still caches for the minimum
        (Headers({"Cache-Control": "max-age=junk"}), 3600.0),
        (Headers({"cache-control": "max-age=600"}), 600.0),
    ],
)
def test_cache_lifetime_clamps(headers: Headers | None, expected: float) -> None:
    assert cache_lifetime(headers, default=3600, minimum=60, maximum=86400) == expected


def test_cache_lifetime_default_is_clamped_too() -> None:
    assert cache_lifetime(None, default=10, minimum=60, maximum=100) == 60.0
    assert cache_lifetime(None, default=1000, minimum=60, maximum=100) == 100.0


@pytest.mark.parametrize(
    "value", ["²", "9" * 5000, "9" * 400], ids=["superscript", "5000-digits", "400-digits"]
)
def test_hostile_max_age_never_raises(value: str) -> None:
    # Regression: int("²"), int(5000 digits) and float(400-digit int) all raised.
    headers = Headers({"Cache-Control": f"max-age={value}"})
    lifetime = cache_lifetime(headers, default=3600, minimum=60, maximum=86400)
    assert 60 <= lifetime <= 86400


def test_absurd_max_age_is_clamped_not_converted() -> None:
    assert parse_max_age("max-age=" + "9" * 5000) == 10**10
    assert parse_max_age("max-age=9999999999") == 9_999_999_999


def test_zero_padded_max_age_is_its_value() -> None:
    assert parse_max_age("max-age=00000000060") == 60
    assert parse_max_age("max-age=" + "0" * 20 + "120") == 120


# ----------------------------------------------------------------- RefreshingValue


class Clock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Server:
    """A mock identity server: counts fetches, answers ``{"n": count}`` or an error status."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.status = 200
        self.fetches = 0
        self._lock = threading.Lock()

    def _answer(self) -> httpx.Response:
        with self._lock:
            self.fetches += 1
            n = self.fetches
        if self.status != 200:
            return httpx.Response(self.status, text="down")
        return httpx.Response(200, json={"n": n})

    def handler(self, request: httpx.Request) -> httpx.Response:
        if self.delay:
            time.sleep(self.delay)
        return self._answer()

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        if self.delay:
            await asyncio.sleep(self.delay)
        return self._answer()


Result = JsonBody | Failure


def fetch_flow() -> Flow[Result]:
    outcome = yield HttpRequest.get(URL)
    return read_json_object(outcome, what="JWKS")


def make_value(
    clock: Clock, *, lifetime: float = 10.0, stale_if_error: float = 5.0
) -> RefreshingValue[Result]:
    return RefreshingValue(
        fetch_flow,
        is_good=lambda r: isinstance(r, JsonBody),
        lifetime=lambda r: lifetime,
        stale_if_error=stale_if_error,
        clock=clock,
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def server() -> Server:
    return Server()


@pytest.fixture
def client(server: Server) -> Iterator[HTTPClient]:
    with httpx.Client(transport=httpx.MockTransport(server.handler)) as raw:
        yield HTTPClient(raw, retry=NO_RETRY)


def n_of(result: Result) -> int:
    assert isinstance(result, JsonBody), result
    value: int = result.data["n"]
    return value


def test_first_get_fetches_then_serves_cache(
    clock: Clock, server: Server, client: HTTPClient
) -> None:
    value = make_value(clock)
    assert value.peek() is None
    first = value.get(sync_run(client))
    assert n_of(first) == 1
    clock.advance(9.999)
    assert value.get(sync_run(client)) is first
    assert value.peek() is first
    assert server.fetches == 1
    assert value.fetch_count == 1


def test_expiry_triggers_refetch(clock: Clock, server: Server, client: HTTPClient) -> None:
    value = make_value(clock)
    value.get(sync_run(client))
    clock.advance(10.0)  # exactly at expiry: stale
    assert value.peek() is None
    assert n_of(value.get(sync_run(client))) == 2
    clock.advance(5)
    assert n_of(value.get(sync_run(client))) == 2
    assert server.fetches == 2


def test_failure_serves_stale_within_window_then_stops(
    clock: Clock, server: Server, client: HTTPClient, caplog: pytest.LogCaptureFixture
) -> None:
    value = make_value(clock, lifetime=10.0, stale_if_error=5.0)
    good = value.get(sync_run(client))
    server.status = 500
    clock.advance(12)  # expired 2 s ago; 12 < 10 + 5
    with caplog.at_level(logging.WARNING, logger="py_identity_model.caching"):
        assert value.get(sync_run(client)) is good
    assert "Refresh failed; serving the last good value" in caplog.text
    assert value.peek() is None  # stale is served on failure only, it is not fresh again
    clock.advance(2.9)  # 14.9 < 15
    assert value.get(sync_run(client)) is good
    clock.advance(0.1)  # 15: the window is over
    failure = value.get(sync_run(client))
    assert isinstance(failure, Failure)
    assert failure.error_type is ErrorType.HTTP
    assert failure.http_status == 500
    assert server.fetches == 4  # every call after expiry tried the server


def test_recovery_after_failure(clock: Clock, server: Server, client: HTTPClient) -> None:
    value = make_value(clock)
    value.get(sync_run(client))
    server.status = 503
    clock.advance(11)
    assert n_of(value.get(sync_run(client))) == 1  # stale
    server.status = 200
    assert n_of(value.get(sync_run(client))) == 3  # fresh value from the recovered server
    clock.advance(9)
    assert n_of(value.get(sync_run(client))) == 3
    assert server.fetches == 3


def test_failure_without_good_value_is_returned_and_not_cached(
    clock: Clock, server: Server, client: HTTPClient
) -> None:
    value = make_value(clock)
    server.status = 500
    first = value.get(sync_run(client))
    assert isinstance(first, Failure)
    assert value.peek() is None
    second = value.get(sync_run(client))
    assert isinstance(second, Failure)
    assert second is not first
    assert server.fetches == 2


def test_invalidate_forces_fetch_and_forgets_stale(
    clock: Clock, server: Server, client: HTTPClient
) -> None:
    value = make_value(clock)
    value.get(sync_run(client))
    value.invalidate()
    assert value.peek() is None
    assert n_of(value.get(sync_run(client))) == 2
    value.invalidate()
    server.status = 500
    # The forgotten value is not served as stale.
    assert isinstance(value.get(sync_run(client)), Failure)
    assert server.fetches == 3


def test_max_age_forces_refresh_only_when_older(
    clock: Clock, server: Server, client: HTTPClient
) -> None:
    value = make_value(clock, lifetime=100.0)
    first = value.get(sync_run(client))
    clock.advance(3)
    assert value.get(sync_run(client), max_age=5) is first
    assert value.peek(max_age=5) is first
    clock.advance(2)  # 5 s old: not younger than max_age
    assert value.peek(max_age=5) is None
    assert value.peek() is first
    second = value.get(sync_run(client), max_age=5)
    assert n_of(second) == 2
    assert value.get(sync_run(client), max_age=5) is second
    assert server.fetches == 2


def test_lifetime_can_come_from_cache_control(clock: Clock) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"keys": []}, headers={"Cache-Control": "max-age=120"})

    value: RefreshingValue[Result] = RefreshingValue(
        fetch_flow,
        is_good=lambda r: isinstance(r, JsonBody),
        lifetime=lambda r: cache_lifetime(
            r.response.headers, default=3600, minimum=60, maximum=86400
        ),  # type: ignore[union-attr]
        stale_if_error=0,
        clock=clock,
    )
    with httpx.Client(transport=httpx.MockTransport(handler)) as raw:
        first = value.get(sync_run(HTTPClient(raw)))
        clock.advance(119)
        assert value.peek() is first
        clock.advance(1)
        assert value.peek() is None


# --------------------------------------------------------------- single flight


def run_threads(count: int, target: Any) -> list[Any]:
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            barrier.wait(5)
            results[index] = target()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert not errors, errors
    return results


def test_fifty_threads_cause_one_fetch(clock: Clock) -> None:
    server = Server(delay=0.05)
    value = make_value(clock)
    with httpx.Client(transport=httpx.MockTransport(server.handler)) as raw:
        client = HTTPClient(raw, retry=NO_RETRY)
        results = run_threads(50, lambda: value.get(sync_run(client)))
    assert server.fetches == 1
    assert value.fetch_count == 1
    assert all(r is results[0] for r in results)
    assert n_of(results[0]) == 1


def test_threads_waiting_on_failed_fetch_share_the_failure(clock: Clock) -> None:
    server = Server(delay=0.05)
    server.status = 500
    value = make_value(clock)
    with httpx.Client(transport=httpx.MockTransport(server.handler)) as raw:
        client = HTTPClient(raw, retry=NO_RETRY)
        results = run_threads(30, lambda: value.get(sync_run(client)))
    assert server.fetches == 1
    assert isinstance(results[0], Failure)
    assert all(r is results[0] for r in results)


def test_threads_waiting_on_failed_refresh_share_the_stale_value(clock: Clock) -> None:
    server = Server(delay=0.05)
    value = make_value(clock)
    with httpx.Client(transport=httpx.MockTransport(server.handler)) as raw:
        client = HTTPClient(raw, retry=NO_RETRY)
        good = value.get(sync_run(client))
        clock.advance(11)
        server.status = 500
        results = run_threads(30, lambda: value.get(sync_run(client)))
    assert server.fetches == 2
    assert all(r is good for r in results)


async def test_thousand_tasks_cause_one_fetch(clock: Clock) -> None:
    server = Server(delay=0.05)
    value = make_value(clock)
    async with httpx.AsyncClient(transport=httpx.MockTransport(server.async_handler)) as raw:
        client = AsyncHTTPClient(raw, retry=NO_RETRY)
        results = await asyncio.gather(*(value.aget(async_run(client)) for _ in range(1000)))
    assert server.fetches == 1
    assert value.fetch_count == 1
    assert all(r is results[0] for r in results)
    assert n_of(results[0]) == 1


async def test_tasks_waiting_on_failed_fetch_share_the_failure(clock: Clock) -> None:
    server = Server(delay=0.05)
    server.status = 500
    value = make_value(clock)
    async with httpx.AsyncClient(transport=httpx.MockTransport(server.async_handler)) as raw:
        client = AsyncHTTPClient(raw, retry=NO_RETRY)
        results = await asyncio.gather(*(value.aget(async_run(client)) for _ in range(200)))
    assert server.fetches == 1
    assert isinstance(results[0], Failure)
    assert all(r is results[0] for r in results)


async def test_async_expiry_stale_and_max_age(clock: Clock) -> None:
    server = Server()
    value = make_value(clock, lifetime=10.0, stale_if_error=5.0)
    async with httpx.AsyncClient(transport=httpx.MockTransport(server.async_handler)) as raw:
        client = AsyncHTTPClient(raw, retry=NO_RETRY)
        first = await value.aget(async_run(client))
        assert await value.aget(async_run(client)) is first
        clock.advance(2)
        second = await value.aget(async_run(client), max_age=1)
        assert n_of(second) == 2
        clock.advance(11)
        server.status = 500
        assert await value.aget(async_run(client)) is second  # stale within the window
        clock.advance(5)
        assert isinstance(await value.aget(async_run(client)), Failure)
    assert server.fetches == 4


def test_sync_and_async_callers_share_the_cache(
    clock: Clock, server: Server, client: HTTPClient
) -> None:
    value = make_value(clock)
    first = value.get(sync_run(client))

    async def from_loop() -> Result:
        # No client needed: the fresh value is served without I/O.
        return await value.aget(async_run(object()))

    assert asyncio.run(from_loop()) is first
    assert server.fetches == 1


def test_each_loop_has_its_own_lock(clock: Clock) -> None:
    server = Server()
    value = make_value(clock, lifetime=0.0)  # never fresh: every call fetches

    async def one_call() -> Result:
        async with httpx.AsyncClient(transport=httpx.MockTransport(server.async_handler)) as raw:
            return await value.aget(async_run(AsyncHTTPClient(raw, retry=NO_RETRY)))

    assert n_of(asyncio.run(one_call())) == 1
    assert n_of(asyncio.run(one_call())) == 2  # a new loop does not trip over the old loop's lock


def test_caller_racing_a_completing_fetch_does_not_refetch() -> None:
    # Regression: get() read freshness and generation from two snapshots of the state.
    server = Server()
    paused = threading.Event()
    release = threading.Event()
    now = 1000.0

    def gated_clock() -> float:
        # Thread "late" is preempted inside peek(), after it has read the (empty) state.
        if threading.current_thread().name == "late" and not paused.is_set():
            paused.set()
            release.wait(5)
        return now

    value: RefreshingValue[Result] = RefreshingValue(
        fetch_flow,
        is_good=lambda r: isinstance(r, JsonBody),
        lifetime=lambda r: 10.0,
        stale_if_error=5.0,
        clock=gated_clock,
    )
    results: list[Result] = []
    with httpx.Client(transport=httpx.MockTransport(server.handler)) as raw:
        client = HTTPClient(raw, retry=NO_RETRY)
        late = threading.Thread(
            target=lambda: results.append(value.get(sync_run(client))), name="late"
        )
        late.start()
        assert paused.wait(5)
        early = value.get(sync_run(client))  # completes a whole fetch while "late" is inside peek()
        release.set()
        late.join(5)
    assert results == [early]
    assert server.fetches == 1
