"""Flows and the retry wrapper, driven by hand: pure, no I/O, no real sleeping."""

from __future__ import annotations

import email.utils
from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Any

import pytest

from py_identity_model.errors import TRANSPORT_ERROR_CODES
from py_identity_model.exceptions import ConfigurationException
from py_identity_model.http import flow as flow_module
from py_identity_model.http.flow import Flow, parse_retry_after, single_request, with_retries
from py_identity_model.http.messages import (
    Fetch,
    Headers,
    HttpRequest,
    HttpResponse,
    Outcome,
    Sleep,
    TransportFailure,
)
from py_identity_model.options import NO_RETRY, RetryPolicy

URL = "https://idp.example/doc"
NOW = 1_700_000_000.0


def response(status: int, retry_after: str | None = None, body: bytes = b"") -> HttpResponse:
    headers = Headers({"Retry-After": retry_after} if retry_after is not None else {})
    return HttpResponse(status, headers, body, URL)


def http_date(timestamp: float) -> str:
    return email.utils.format_datetime(
        datetime.fromtimestamp(timestamp, tz=timezone.utc), usegmt=True
    )


class HandDriver:
    """Steps a flow by hand, answering requests from a script; records every step."""

    def __init__(self, flow: Flow[Any]) -> None:
        self.flow = flow
        self.steps: list[HttpRequest | Sleep] = []
        self.result: Any = None
        self.finished = False
        self._pending = next(flow)
        self.steps.append(self._pending)

    @property
    def pending(self) -> HttpRequest | Sleep:
        return self._pending

    def answer(self, value: Outcome | None) -> None:
        assert not self.finished
        try:
            self._pending = self.flow.send(value)
        except StopIteration as stop:
            self.finished = True
            self.result = stop.value
        else:
            self.steps.append(self._pending)

    def sleeps(self) -> list[float]:
        return [s.seconds for s in self.steps if isinstance(s, Sleep)]

    def requests(self) -> list[HttpRequest]:
        return [s for s in self.steps if isinstance(s, HttpRequest)]


def run_script(flow: Flow[Any], outcomes: list[Outcome]) -> HandDriver:
    """Answer each request with the next scripted outcome and each Sleep with None."""
    driver = HandDriver(flow)
    queue = list(outcomes)
    while not driver.finished:
        if isinstance(driver.pending, Sleep):
            driver.answer(None)
        else:
            assert queue, f"flow asked for more requests than scripted: {driver.pending!r}"
            driver.answer(queue.pop(0))
    assert not queue, "flow finished before consuming every scripted outcome"
    return driver


GET = HttpRequest.get(URL)
POST = HttpRequest.post_form(URL, b"grant_type=authorization_code&code=abc")
POLICY = RetryPolicy(max_retries=3, max_total_wait=10.0, default_delay=0.5)


@pytest.fixture
def frozen_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Freeze the wall clock the flow module uses for HTTP-date Retry-After values."""
    monkeypatch.setattr(flow_module, "time", SimpleNamespace(time=lambda: NOW))


# -------------------------------------------------------------------- single_request


def test_single_request_yields_request_and_returns_outcome() -> None:
    final = response(200)
    driver = run_script(single_request(GET), [final])
    assert driver.requests() == [GET]
    assert driver.result is final


# -------------------------------------------------------------------- with_retries


@pytest.mark.parametrize("status", [429, 503])
def test_retries_get_on_throttling_status(status: int) -> None:
    final = response(200, body=b"{}")
    driver = run_script(with_retries(single_request(GET), POLICY), [response(status, "1"), final])
    assert driver.requests() == [GET, GET]
    assert driver.sleeps() == [1.0]
    assert driver.result is final


@pytest.mark.parametrize("status", [200, 400, 401, 404, 500, 502, 504])
def test_other_statuses_are_not_retried(status: int) -> None:
    only = response(status, "1")
    driver = run_script(with_retries(single_request(GET), POLICY), [only])
    assert driver.requests() == [GET]
    assert driver.sleeps() == []
    assert driver.result is only


def test_retry_after_seconds_are_honoured() -> None:
    driver = run_script(
        with_retries(single_request(GET), POLICY),
        [response(503, "2"), response(429, " 3 "), response(200)],
    )
    assert driver.sleeps() == [2.0, 3.0]
    assert len(driver.requests()) == 3


def test_retry_after_http_date_is_honoured(frozen_time: None) -> None:
    driver = run_script(
        with_retries(single_request(GET), POLICY),
        [response(503, http_date(NOW + 4)), response(200)],
    )
    assert driver.sleeps() == [4.0]


def test_retry_after_date_in_the_past_retries_immediately(frozen_time: None) -> None:
    driver = run_script(
        with_retries(single_request(GET), POLICY),
        [response(503, http_date(NOW - 3600)), response(200)],
    )
    assert driver.sleeps() == [0.0]


def test_exponential_default_delay_without_retry_after() -> None:
    final = response(200)
    driver = run_script(
        with_retries(single_request(GET), POLICY),
        [response(503), response(503), response(429), final],
    )
    assert driver.sleeps() == [0.5, 1.0, 2.0]
    assert driver.result is final


def test_garbage_retry_after_falls_back_to_default_delay() -> None:
    driver = run_script(
        with_retries(single_request(GET), POLICY),
        [response(503, "soon"), response(503, "-5"), response(200)],
    )
    assert driver.sleeps() == [0.5, 1.0]


def test_max_retries_respected_and_last_answer_returned() -> None:
    policy = RetryPolicy(max_retries=2, max_total_wait=100.0, default_delay=0.1)
    last = response(503, "0")
    driver = run_script(
        with_retries(single_request(GET), policy), [response(503, "0"), response(503, "0"), last]
    )
    assert len(driver.requests()) == 3  # one try plus two retries
    assert driver.sleeps() == [0.0, 0.0]
    assert driver.result is last


def test_zero_retries_policy_never_retries() -> None:
    first = response(429, "0")
    driver = run_script(with_retries(single_request(GET), NO_RETRY), [first])
    assert driver.requests() == [GET]
    assert driver.result is first


def test_retry_after_longer_than_budget_returns_the_429_unchanged() -> None:
    policy = RetryPolicy(max_retries=5, max_total_wait=3.0, default_delay=0.5)
    throttled = response(429, "60")
    driver = run_script(with_retries(single_request(GET), policy), [throttled])
    assert driver.sleeps() == []
    assert driver.requests() == [GET]
    assert driver.result is throttled  # the very object, status and headers intact
    assert driver.result.headers["retry-after"] == "60"


def test_cumulative_wait_is_capped() -> None:
    policy = RetryPolicy(max_retries=5, max_total_wait=3.0, default_delay=0.5)
    last = response(503, "2")
    # 2 s are slept, the next 2 s would make 4 s > 3 s: stop and return the second 503.
    driver = run_script(with_retries(single_request(GET), policy), [response(503, "2"), last])
    assert driver.sleeps() == [2.0]
    assert driver.result is last


def test_budget_boundary_is_inclusive() -> None:
    policy = RetryPolicy(max_retries=5, max_total_wait=1.0, default_delay=0.5)
    final = response(200)
    driver = run_script(
        with_retries(single_request(GET), policy),
        [response(429, "1"), response(429, "0"), final],
    )
    assert driver.sleeps() == [1.0, 0.0]  # 1 + 0 == 1 is still within the budget
    assert driver.result is final


def test_budget_is_shared_by_all_requests_of_a_flow() -> None:
    def two_gets() -> Flow[list[int]]:
        first = yield HttpRequest.get(URL + "/1")
        second = yield HttpRequest.get(URL + "/2")
        assert isinstance(first, HttpResponse)
        assert isinstance(second, HttpResponse)
        return [first.status, second.status]

    policy = RetryPolicy(max_retries=5, max_total_wait=3.0, default_delay=0.5)
    driver = run_script(
        with_retries(two_gets(), policy),
        [response(503, "2"), response(200), response(503, "2")],
    )
    # First request used 2 s of the 3 s budget; the second request's 2 s wait does not fit.
    assert driver.sleeps() == [2.0]
    assert driver.result == [200, 503]
    assert [r.url for r in driver.requests()] == [URL + "/1", URL + "/1", URL + "/2"]


def test_attempt_counter_resets_per_request() -> None:
    def two_gets() -> Flow[tuple[int, int]]:
        first = yield HttpRequest.get(URL + "/1")
        second = yield HttpRequest.get(URL + "/2")
        assert isinstance(first, HttpResponse)
        assert isinstance(second, HttpResponse)
        return first.status, second.status

    policy = RetryPolicy(max_retries=1, max_total_wait=100.0, default_delay=0.5)
    driver = run_script(
        with_retries(two_gets(), policy),
        [response(503), response(200), response(503), response(200)],
    )
    assert driver.sleeps() == [0.5, 0.5]
    assert driver.result == (200, 200)


@pytest.mark.parametrize("status", [429, 503])
def test_post_is_never_retried(status: int) -> None:
    throttled = response(status, "0")
    driver = run_script(with_retries(single_request(POST), POLICY), [throttled])
    assert driver.requests() == [POST]
    assert driver.sleeps() == []
    assert driver.result is throttled


def test_explicitly_idempotent_request_is_retried() -> None:
    put = HttpRequest("PUT", URL, idempotent=True)
    driver = run_script(
        with_retries(single_request(put), POLICY), [response(503, "0"), response(204)]
    )
    assert driver.requests() == [put, put]


@pytest.mark.parametrize("kind", TRANSPORT_ERROR_CODES)
def test_never_retries_after_transport_failure(kind: str) -> None:
    failure = TransportFailure(kind, "nope", URL)
    driver = run_script(with_retries(single_request(GET), POLICY), [failure])
    assert driver.requests() == [GET]
    assert driver.sleeps() == []
    assert driver.result is failure


def test_failure_after_a_retry_is_passed_on() -> None:
    failure = TransportFailure("timeout", "slow", URL)
    driver = run_script(with_retries(single_request(GET), POLICY), [response(503, "0"), failure])
    assert driver.result is failure
    assert len(driver.requests()) == 2


def test_custom_statuses() -> None:
    policy = RetryPolicy(
        max_retries=1, max_total_wait=5.0, default_delay=0.25, statuses=frozenset({500})
    )
    driver = run_script(with_retries(single_request(GET), policy), [response(500), response(200)])
    assert driver.sleeps() == [0.25]
    driver = run_script(with_retries(single_request(GET), policy), [response(503, "0")])
    assert driver.sleeps() == []


def test_sleep_steps_from_inner_flow_pass_through() -> None:
    received: list[object] = []

    def sleepy() -> Flow[str]:
        received.append((yield Sleep(7.0)))
        outcome = yield GET
        received.append(outcome)
        received.append((yield Sleep(0.25)))
        return "done"

    ok = response(200)
    # Inner sleeps are not retry waits: they do not consume the retry budget.
    policy = RetryPolicy(max_retries=1, max_total_wait=1.0, default_delay=1.0)
    driver = run_script(with_retries(sleepy(), policy), [response(503), ok])
    assert driver.steps == [Sleep(7.0), GET, Sleep(1.0), GET, Sleep(0.25)]
    assert received == [None, ok, None]
    assert driver.result == "done"


def test_fetch_steps_pass_through_with_their_answer() -> None:
    source = object()
    received: list[object] = []

    def needs_cache() -> Flow[str]:
        received.append((yield Fetch(source)))  # type: ignore[arg-type]
        outcome = yield GET
        received.append(outcome)
        received.append((yield Fetch(source, max_age=30.0)))  # type: ignore[arg-type]
        return "done"

    wrapped = with_retries(needs_cache(), POLICY)
    assert next(wrapped) == Fetch(source)  # type: ignore[arg-type]
    assert wrapped.send({"doc": 1}) is GET
    assert wrapped.send(response(503, "0")) == Sleep(0.0)  # fetches do not stop retries
    assert wrapped.send(None) is GET
    ok = response(200)
    assert wrapped.send(ok) == Fetch(source, max_age=30.0)  # type: ignore[arg-type]
    with pytest.raises(StopIteration) as stop:
        wrapped.send({"doc": 2})
    assert stop.value.value == "done"
    assert received == [{"doc": 1}, ok, {"doc": 2}]


def test_flow_without_requests_returns_immediately() -> None:
    def empty() -> Flow[int]:
        return 42
        yield  # pragma: no cover - makes this a generator

    wrapped = with_retries(empty(), POLICY)
    with pytest.raises(StopIteration) as stop:
        next(wrapped)
    assert stop.value.value == 42


def test_inner_flow_exception_propagates() -> None:
    def broken() -> Flow[None]:
        yield GET
        raise RuntimeError("flow bug")

    driver = HandDriver(with_retries(broken(), POLICY))
    with pytest.raises(RuntimeError, match="flow bug"):
        driver.answer(response(200))


def test_retry_policy_rejects_negative_values() -> None:
    for kwargs in ({"max_retries": -1}, {"max_total_wait": -0.1}, {"default_delay": -1}):
        with pytest.raises(ConfigurationException):
            RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_default_policy_values() -> None:
    policy = RetryPolicy()
    assert policy.max_retries == 2
    assert policy.max_total_wait == 3.0
    assert policy.default_delay == 0.5
    assert policy.statuses == frozenset({429, 503})


# ----------------------------------------------------------------- parse_retry_after


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("0", 0.0),
        ("120", 120.0),
        ("  7\t", 7.0),
        ("", None),
        ("   ", None),
        ("soon", None),
        ("-5", None),
        ("+5", None),
        ("1.5", None),
        ("1e3", None),
        ("0x10", None),
        ("Wed, 32 Foo 2015 99:99:99 GMT", None),
        ("Wed, 21 Oct 99999 07:28:00 GMT", None),
        ("Wed, 21 Oct 2015 07:28:00 +9999", None),
    ],
)
def test_parse_retry_after_values(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == expected


def test_parse_retry_after_http_date_future_and_past() -> None:
    assert parse_retry_after(http_date(NOW + 90), now=NOW) == 90.0
    assert parse_retry_after(http_date(NOW - 90), now=NOW) == 0.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=NOW) == 0.0


def test_parse_retry_after_date_with_offset() -> None:
    # 10:00 +0100 is 09:00 UTC
    now = datetime(2024, 1, 1, 8, 59, 0, tzinfo=timezone.utc).timestamp()
    assert parse_retry_after("Mon, 01 Jan 2024 10:00:00 +0100", now=now) == 60.0


def test_parse_retry_after_date_without_zone_is_rejected() -> None:
    # "-0000" means "no zone information" (RFC 5322): ambiguous, so ignored.
    assert parse_retry_after("Mon, 01 Jan 2024 10:00:00 -0000", now=NOW) is None


def test_parse_retry_after_uses_wall_clock_by_default(frozen_time: None) -> None:
    assert parse_retry_after(http_date(NOW + 30)) == 30.0


def test_parse_retry_after_huge_number_is_infinite_and_never_fits_budget() -> None:
    huge = "9" * 400
    assert parse_retry_after(huge) == float("inf")
    throttled = response(429, huge)
    driver = run_script(with_retries(single_request(GET), POLICY), [throttled])
    assert driver.result is throttled
    assert driver.sleeps() == []


@pytest.mark.parametrize("value", ["²", "3²", "①"])
def test_parse_retry_after_never_raises_on_unicode_digits(value: str) -> None:
    # Regression: "²".isdigit() is True, float("²") raises ValueError.
    assert parse_retry_after(value, now=NOW) is None
    throttled = response(503, value)
    driver = run_script(with_retries(single_request(GET), POLICY), [throttled, response(200)])
    assert driver.sleeps() == [0.5]
