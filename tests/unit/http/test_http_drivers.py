"""The sync and async shells over httpx.MockTransport: every test runs for both (``drive``)."""

from __future__ import annotations

import asyncio
import contextvars
import gzip
import inspect
import ssl
import time
from typing import Any

import httpx
import pytest

from py_identity_model.caching import RefreshingValue
from py_identity_model.drivers.aio import run_async
from py_identity_model.drivers.sync import run_sync
from py_identity_model.errors import ErrorType
from py_identity_model.exceptions import ConfigurationException
from py_identity_model.http.flow import Flow, single_request
from py_identity_model.http.messages import (
    USER_AGENT,
    Fetch,
    Headers,
    HttpRequest,
    HttpResponse,
    Outcome,
    TransportFailure,
)
from py_identity_model.http.readers import JsonBody, read_json_object
from py_identity_model.http.results import Failure
from py_identity_model.options import RetryPolicy
from py_identity_model.transport.async_client import AsyncHTTPClient
from py_identity_model.transport.sync_client import HTTPClient

URL = "https://idp.example/resource"
FAST_RETRY = RetryPolicy(max_retries=2, max_total_wait=10.0, default_delay=0.5)


def ok_handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"ok": True})


class Sequence:
    """A handler answering from a list of responses, recording the requests it saw."""

    def __init__(self, *responses: httpx.Response) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        request.read()
        return self.responses[min(len(self.requests), len(self.responses)) - 1]


def json_flow(request: HttpRequest | None = None) -> Flow[JsonBody | Failure]:
    outcome = yield request or HttpRequest.get(URL)
    return read_json_object(outcome, what="Test document")


# ------------------------------------------------------------------------- success


def test_json_object_success(drive: Any) -> None:
    # Fixed bytes: httpx before 0.28 writes json= bodies with spaces, and raw is verbatim.
    body = b'{"issuer":"https://idp.example"}'
    result = drive.json(
        lambda r: httpx.Response(200, content=body, headers={"Content-Type": "application/json"})
    )
    assert isinstance(result, JsonBody)
    assert result.data == {"issuer": "https://idp.example"}
    assert result.response.status == 200
    assert result.response.url == URL
    assert result.raw == '{"issuer":"https://idp.example"}'


def test_request_is_sent_as_described(drive: Any) -> None:
    seen = Sequence(httpx.Response(200, json={}))
    request = HttpRequest.post_form(
        URL, b"grant_type=client_credentials", headers={"Authorization": "Basic abc"}
    )
    outcome = drive.send(seen, request)
    assert isinstance(outcome, HttpResponse)
    sent = seen.requests[0]
    assert sent.method == "POST"
    assert str(sent.url) == URL
    assert sent.content == b"grant_type=client_credentials"
    assert sent.headers["user-agent"] == USER_AGENT
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert sent.headers["accept"] == "application/json"
    assert sent.headers["authorization"] == "Basic abc"


def test_response_headers_keep_repeats(drive: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=[("Vary", "Accept"), ("Vary", "Origin")], content=b"x")

    outcome = drive.send(handler)
    assert isinstance(outcome, HttpResponse)
    assert outcome.headers["vary"] == "Accept, Origin"
    assert ("vary", "Origin") in [(k.lower(), v) for k, v in outcome.headers.raw_items()]
    assert outcome.body == b"x"


# ------------------------------------------------------------ accepted client kinds


def test_wrapped_client_is_accepted(drive: Any) -> None:
    result = drive.run(json_flow(), drive.client(ok_handler))
    assert isinstance(result, JsonBody)


def test_raw_httpx_client_is_accepted(drive: Any) -> None:
    result = drive.run(json_flow(), drive.raw_client(ok_handler))
    assert isinstance(result, JsonBody)
    assert result.data == {"ok": True}


def test_custom_transport_is_accepted_and_gets_default_retries(drive: Any) -> None:
    answers = [
        HttpResponse(503, Headers({"Retry-After": "1"}), b"", URL),
        HttpResponse(200, Headers({"Content-Type": "application/json"}), b'{"a": 1}', URL),
    ]
    seen: list[HttpRequest] = []

    if drive.is_async:

        class Transport:
            async def send_request(self, request: HttpRequest) -> Outcome:
                seen.append(request)
                return answers[len(seen) - 1]

    else:

        class Transport:  # type: ignore[no-redef]
            def send_request(self, request: HttpRequest) -> Outcome:
                seen.append(request)
                return answers[len(seen) - 1]

    result = drive.run(json_flow(), Transport())
    assert isinstance(result, JsonBody)
    assert result.data == {"a": 1}
    assert len(seen) == 2
    assert drive.sleeps == [1.0]


# -------------------------------------------------------------------- Fetch steps


def test_fetch_step_calls_the_right_shell_of_the_source(drive: Any) -> None:
    # The driver hands the source its own flow runner (the cache imports no driver); the
    # runner sends through the client the caller passed.
    calls: list[tuple[str, float | None]] = []

    def inner() -> Flow[str]:
        outcome = yield HttpRequest.get(URL)
        assert isinstance(outcome, HttpResponse)
        return f"fetched-{outcome.status}"

    class Source:
        def peek(self, *, max_age: float | None = None) -> str | None:
            return None

        def get(
            self, run: Any, *, max_age: float | None = None, refresh: float | None = None
        ) -> str:
            calls.append(("get", max_age, refresh))
            return "sync-" + run(inner())

        async def aget(
            self, run: Any, *, max_age: float | None = None, refresh: float | None = None
        ) -> str:
            calls.append(("aget", max_age, refresh))
            return "async-" + await run(inner())

    source = Source()

    def flow() -> Flow[list[object]]:
        first = yield Fetch(source)
        second = yield Fetch(source, max_age=5.0)
        third = yield Fetch(source, refresh=30.0)
        return [first, second, third]

    handler = Sequence(httpx.Response(200, json={"ok": True}))
    client = drive.client(handler)
    result = drive.run(flow(), client)
    kind = "aget" if drive.is_async else "get"
    assert result == [f"{drive.mode}-fetched-200"] * 3
    assert calls == [(kind, None, None), (kind, 5.0, None), (kind, None, 30.0)]
    assert len(handler.requests) == 3  # every fetch went through the caller's client


def test_fetch_step_with_refreshing_value_shares_one_fetch(drive: Any) -> None:
    handler = Sequence(httpx.Response(200, json={"n": 1}), httpx.Response(200, json={"n": 2}))
    cache: RefreshingValue[JsonBody | Failure] = RefreshingValue(
        json_flow,
        is_good=lambda r: isinstance(r, JsonBody),
        lifetime=lambda r: 60.0,
        stale_if_error=0.0,
    )

    def flow() -> Flow[tuple[object, object, object]]:
        a = yield Fetch(cache)
        b = yield Fetch(cache)  # fresh: served from the cache
        c = yield Fetch(cache, max_age=0.0)  # forces a new fetch
        return a, b, c

    a, b, c = drive.run(flow(), drive.client(handler))
    assert isinstance(a, JsonBody)
    assert isinstance(c, JsonBody)
    assert a is b
    assert a.data == {"n": 1}
    assert c.data == {"n": 2}
    assert len(handler.requests) == 2


# ------------------------------------------------------------------------- misuse


def test_async_clients_rejected_by_run_sync() -> None:
    async_raw = httpx.AsyncClient(transport=httpx.MockTransport(ok_handler))

    class AsyncTransport:
        async def send_request(self, request: HttpRequest) -> Outcome:  # pragma: no cover
            raise AssertionError

    for client in (async_raw, AsyncHTTPClient(async_raw), AsyncTransport()):
        flow = json_flow()
        with pytest.raises(
            ConfigurationException, match="async client was passed to a sync function"
        ):
            run_sync(flow, client)
        assert inspect.getgeneratorstate(flow) == inspect.GEN_CREATED  # refused before any request


async def test_sync_clients_rejected_by_run_async() -> None:
    with httpx.Client(transport=httpx.MockTransport(ok_handler)) as sync_raw:
        with pytest.raises(
            ConfigurationException, match="sync client was passed to an async function"
        ):
            await run_async(json_flow(), sync_raw)
        with pytest.raises(
            ConfigurationException, match="Unsupported http_client for async use: HTTPClient"
        ):
            await run_async(json_flow(), HTTPClient(sync_raw))

    class SyncTransport:
        def send_request(self, request: HttpRequest) -> Outcome:  # pragma: no cover
            raise AssertionError

    with pytest.raises(
        ConfigurationException, match="Unsupported http_client for async use: SyncTransport"
    ):
        await run_async(json_flow(), SyncTransport())


@pytest.mark.parametrize("bogus", [object(), "https://idp.example", 42, {"send_request": None}])
def test_unsupported_objects_rejected(bogus: object) -> None:
    with pytest.raises(ConfigurationException, match="Unsupported http_client"):
        run_sync(json_flow(), bogus)
    with pytest.raises(ConfigurationException, match="Unsupported http_client for async use"):
        asyncio.run(run_async(json_flow(), bogus))


def test_wrappers_reject_wrong_httpx_client_kind() -> None:
    async_raw = httpx.AsyncClient()
    with httpx.Client() as sync_raw:
        with pytest.raises(ConfigurationException, match=r"HTTPClient needs an httpx\.Client"):
            HTTPClient(async_raw)  # type: ignore[arg-type]
        with pytest.raises(
            ConfigurationException, match=r"AsyncHTTPClient needs an httpx\.AsyncClient"
        ):
            AsyncHTTPClient(sync_raw)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationException):
        HTTPClient("not a client")  # type: ignore[arg-type]


# ------------------------------------------------------------------------ retries


@pytest.mark.parametrize("status", [429, 503])
def test_retries_really_sleep(drive: Any, status: int) -> None:
    handler = Sequence(
        httpx.Response(status, headers={"Retry-After": "2"}),
        httpx.Response(status),
        httpx.Response(200, json={"ok": True}),
    )
    result = drive.json(handler, retry=FAST_RETRY)
    assert isinstance(result, JsonBody)
    assert len(handler.requests) == 3
    assert drive.sleeps == [2.0, 1.0]  # Retry-After, then default 0.5 * 2**1


def test_retry_budget_exhausted_returns_http_failure(drive: Any) -> None:
    handler = Sequence(httpx.Response(429, headers={"Retry-After": "3600"}, text="slow down"))
    result = drive.json(handler, retry=FAST_RETRY)
    assert isinstance(result, Failure)
    assert result.error_type is ErrorType.HTTP
    assert result.code == "http_error"
    assert result.http_status == 429
    assert result.headers is not None and result.headers["retry-after"] == "3600"
    assert len(handler.requests) == 1
    assert drive.sleeps == []


def test_post_is_not_retried_by_driver(drive: Any) -> None:
    handler = Sequence(
        httpx.Response(503, headers={"Retry-After": "0"}), httpx.Response(200, json={})
    )
    outcome = drive.outcome(handler, HttpRequest.post_form(URL, b"code=abc"), retry=FAST_RETRY)
    assert isinstance(outcome, HttpResponse)
    assert outcome.status == 503
    assert len(handler.requests) == 1
    assert drive.sleeps == []


def test_client_retry_policy_is_used(drive: Any) -> None:
    handler = Sequence(httpx.Response(503), httpx.Response(200))
    outcome = drive.outcome(handler, retry=RetryPolicy(max_retries=0))
    assert isinstance(outcome, HttpResponse)
    assert outcome.status == 503
    assert len(handler.requests) == 1


def test_no_retry_after_transport_failure(drive: Any) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ConnectError("refused", request=request)

    outcome = drive.outcome(handler, retry=FAST_RETRY)
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "network_error"
    assert calls == [1]
    assert drive.sleeps == []


def test_hostile_retry_after_does_not_raise_from_driver(drive: Any) -> None:
    # Regression: "²".isdigit() is True but float("²") raises.
    # Header bytes are UTF-8 on the wire (h11 allows obs-text); httpx decodes them to "²".
    handler = Sequence(
        httpx.Response(503, headers=[(b"Retry-After", "\u00b2".encode())]),
        httpx.Response(200, json={}),
    )
    result = drive.json(handler, retry=FAST_RETRY)
    assert isinstance(result, JsonBody)
    assert drive.sleeps == [0.5]


# ---------------------------------------------------------------------- redirects


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirects_are_not_followed(drive: Any, status: int) -> None:
    handler = Sequence(
        httpx.Response(status, headers={"Location": "https://evil.example/steal"}),
        httpx.Response(200, json={"followed": True}),
    )
    outcome = drive.outcome(handler)
    assert isinstance(outcome, HttpResponse)
    assert outcome.status == status
    assert len(handler.requests) == 1
    failure = read_json_object(outcome, what="Discovery document")
    assert isinstance(failure, Failure)
    assert failure.error_type is ErrorType.HTTP
    assert failure.code == "redirect_not_followed"
    assert failure.http_status == status
    assert "redirect" in failure.error
    assert "https://evil.example/steal" in failure.error
    assert "not followed" in failure.error


def test_redirects_not_followed_even_if_caller_client_follows(drive: Any) -> None:
    handler = Sequence(
        httpx.Response(302, headers={"Location": "/elsewhere"}), httpx.Response(200, json={})
    )
    raw = drive.raw_client(handler, follow_redirects=True)
    outcome = drive.run(single_request(HttpRequest.get(URL)), raw)
    assert isinstance(outcome, HttpResponse)
    assert outcome.status == 302
    assert len(handler.requests) == 1


# ------------------------------------------------------------------- size limits


def test_declared_content_length_too_large_fails_before_reading(
    drive: Any, dual_stream: Any
) -> None:
    stream = dual_stream([b"x" * 10] * 100)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": "1001"}, stream=stream)

    outcome = drive.send(handler, max_response_bytes=1000)
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "response_too_large"
    assert outcome.message == "Response body exceeds the limit of 1000 bytes"
    assert outcome.url == URL
    assert stream.pulled == 0
    failure = read_json_object(outcome, what="x")
    assert isinstance(failure, Failure)
    assert failure.error_type is ErrorType.POLICY


def test_body_exactly_at_limit_is_accepted(drive: Any) -> None:
    body = b"y" * 1000
    outcome = drive.send(lambda r: httpx.Response(200, content=body), max_response_bytes=1000)
    assert isinstance(outcome, HttpResponse)
    assert outcome.body == body


def test_body_one_byte_over_limit_is_rejected(drive: Any) -> None:
    outcome = drive.send(
        lambda r: httpx.Response(200, content=b"y" * 1001), max_response_bytes=1000
    )
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "response_too_large"


def test_streamed_body_without_length_stops_at_limit(drive: Any, dual_stream: Any) -> None:
    stream = dual_stream(lambda i: b"z" * 1024 if i < 10_000 else None)  # 10 MB on offer

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=stream)

    outcome = drive.send(handler, max_response_bytes=64 * 1024)
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "response_too_large"
    assert stream.pulled == 65  # stopped at the first chunk past the limit, not at the end
    assert stream.closed


def test_non_numeric_content_length_falls_back_to_streaming_limit(
    drive: Any, dual_stream: Any
) -> None:
    stream = dual_stream([b"a" * 600, b"b" * 600])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": "lots"}, stream=stream)

    outcome = drive.send(handler, max_response_bytes=1000)
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "response_too_large"
    assert stream.pulled == 2


def test_gzip_limit_applies_to_decoded_size(drive: Any) -> None:
    compressed = gzip.compress(b"\0" * 200_000)
    assert len(compressed) < 1000

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=compressed)

    outcome = drive.send(handler, max_response_bytes=64 * 1024)
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "response_too_large"


def test_gzip_body_is_decoded(drive: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
            content=gzip.compress(b'{"zipped": true}'),
        )

    result = drive.json(handler)
    assert isinstance(result, JsonBody)
    assert result.data == {"zipped": True}


def test_gzip_decoding_error_is_a_network_failure(drive: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"Content-Encoding": "gzip"}, content=b"definitely not gzip"
        )

    outcome = drive.send(handler)
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "network_error"
    assert "DecodingError" in outcome.message


# ----------------------------------------------------------------- network errors


@pytest.mark.parametrize(
    ("exc_factory", "kind"),
    [
        (lambda r: httpx.ConnectError("connection refused", request=r), "network_error"),
        (lambda r: httpx.ReadError("reset", request=r), "network_error"),
        (lambda r: httpx.RemoteProtocolError("garbage", request=r), "network_error"),
        (lambda r: httpx.ProxyError("proxy", request=r), "network_error"),
        (lambda r: httpx.ReadTimeout("slow", request=r), "timeout"),
        (lambda r: httpx.ConnectTimeout("slow", request=r), "timeout"),
        (lambda r: httpx.WriteTimeout("slow", request=r), "timeout"),
        (lambda r: httpx.PoolTimeout("busy", request=r), "timeout"),
        (lambda r: TimeoutError("socket timeout"), "timeout"),
        (lambda r: ConnectionResetError("reset by peer"), "network_error"),
        (lambda r: ssl.SSLCertVerificationError("certificate verify failed"), "tls_error"),
        (lambda r: httpx.UnsupportedProtocol("gopher", request=r), "invalid_url"),
        (lambda r: httpx.InvalidURL("bad url"), "invalid_url"),
        (lambda r: ValueError("odd"), "network_error"),
        (lambda r: UnicodeDecodeError("utf-8", b"\xff", 0, 1, "bad"), "network_error"),
    ],
)
def test_exceptions_become_failures_never_raise(drive: Any, exc_factory: Any, kind: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc_factory(request)

    outcome = drive.send(handler, timeout=4)
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == kind
    assert outcome.url == URL
    if kind == "timeout":
        assert outcome.message == "Request timed out after 4 s"
    expected_type = {
        "network_error": ErrorType.NETWORK,
        "tls_error": ErrorType.NETWORK,
        "timeout": ErrorType.NETWORK,
        "invalid_url": ErrorType.POLICY,
    }[kind]
    failure = read_json_object(outcome, what="x")
    assert isinstance(failure, Failure)
    assert failure.error_type is expected_type
    assert failure.code == kind
    assert failure.error == outcome.message


@pytest.mark.parametrize("url", ["ftp://idp.example/file", "not a url", "", "http:///path"])
def test_invalid_url_with_real_httpx_stack(drive: Any, url: str) -> None:
    # Rejected before any I/O by httpx's own transport (MockTransport would accept anything).
    client: HTTPClient | AsyncHTTPClient = AsyncHTTPClient() if drive.is_async else HTTPClient()
    request = HttpRequest.get(url)
    if isinstance(client, AsyncHTTPClient):

        async def send() -> Outcome:
            async with client:
                return await client.send_request(request)

        outcome = asyncio.run(send())
    else:
        with client:
            outcome = client.send_request(request)
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "invalid_url"
    assert outcome.message.startswith("Invalid request URL:")


async def test_async_whole_call_deadline_with_slow_handler() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(200)  # pragma: no cover

    async with AsyncHTTPClient(transport=httpx.MockTransport(handler), timeout=0.2) as client:
        started = time.monotonic()
        outcome = await client.send_request(HttpRequest.get(URL))
    assert time.monotonic() - started < 1.5
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "timeout"
    assert outcome.message == "Request timed out after 0.2 s"


# ------------------------------------------------------------------ closed clients


def test_closed_client_does_not_raise(drive: Any) -> None:
    # Regression: httpx's RuntimeError("... client has been closed") used to escape.
    client = drive.client(ok_handler)
    if drive.is_async:
        asyncio.run(client.client.aclose())
        outcome = asyncio.run(client.send_request(HttpRequest.get(URL)))
    else:
        client.client.close()
        outcome = client.send_request(HttpRequest.get(URL))
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "network_error"
    assert "closed" in outcome.message


def test_exception_from_a_custom_transport_never_escapes(drive: Any) -> None:
    # Whatever a custom httpx transport raises becomes a failure (I/O functions never
    # raise), and the failure names the exception, so a bug is not disguised.
    def handler(request: httpx.Request) -> httpx.Response:
        raise KeyError("handler bug")

    outcome = drive.send(handler)
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "network_error"
    assert "KeyError" in outcome.message and "handler bug" in outcome.message


REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="unset")


def _hooked_request_ids(is_async: bool) -> list[str]:
    """Run one request through a caller-configured client whose event hook reads a ContextVar."""
    seen: list[str] = []
    token = REQUEST_ID.set("caller-42")
    try:
        _send_with_hook(is_async, seen)
    finally:
        REQUEST_ID.reset(token)
    return seen


def _send_with_hook(is_async: bool, seen: list[str]) -> None:
    if is_async:

        async def ahook(request: httpx.Request) -> None:
            seen.append(REQUEST_ID.get())

        async def go() -> None:
            async with httpx.AsyncClient(
                transport=httpx.MockTransport(ok_handler), event_hooks={"request": [ahook]}
            ) as raw:
                await AsyncHTTPClient(raw).send_request(HttpRequest.get(URL))

        asyncio.run(go())
    else:

        def hook(request: httpx.Request) -> None:
            seen.append(REQUEST_ID.get())

        with httpx.Client(
            transport=httpx.MockTransport(ok_handler), event_hooks={"request": [hook]}
        ) as raw:
            HTTPClient(raw).send_request(HttpRequest.get(URL))


def test_async_request_runs_in_callers_context() -> None:
    assert _hooked_request_ids(is_async=True) == ["caller-42"]


def test_sync_request_runs_in_callers_context() -> None:
    assert _hooked_request_ids(is_async=False) == ["caller-42"]


def test_passed_in_client_is_not_closed_by_wrapper(drive: Any) -> None:
    raw = drive.raw_client(ok_handler)
    if drive.is_async:

        async def use() -> None:
            async with AsyncHTTPClient(raw) as wrapper:
                assert wrapper.client is raw

        asyncio.run(use())
    else:
        with HTTPClient(raw) as wrapper:
            assert wrapper.client is raw
    assert raw.is_closed is False


def test_owned_client_is_closed_by_wrapper(drive: Any) -> None:
    if drive.is_async:

        async def use() -> httpx.AsyncClient:
            async with AsyncHTTPClient() as wrapper:
                return wrapper.client

        raw: httpx.Client | httpx.AsyncClient = asyncio.run(use())
    else:
        with HTTPClient() as wrapper:
            raw = wrapper.client
    assert raw.is_closed is True


def test_wrapper_repr(drive: Any) -> None:
    client = drive.client(ok_handler, timeout=2.5, max_response_bytes=4096)
    name = "AsyncHTTPClient" if drive.is_async else "HTTPClient"
    assert repr(client) == f"{name}(stack='httpx', timeout=2.5, max_response_bytes=4096)"
