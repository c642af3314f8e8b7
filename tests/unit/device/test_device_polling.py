"""The polling core (device/polling.py) as a pure state machine with a fake clock, and
``wait_for_device_token`` through both shells: pending → slow_down → tokens, final errors,
the deadline, cancelling, the progress callback, misuse, and the async shell's manners
(it never blocks the loop; cancelling its task stops it at once)."""

from __future__ import annotations

import asyncio
import math
import time
from typing import Any

import httpx
import pytest
from device_support import TOKEN_URL, Recorder, oauth_error, tokens

import py_identity_model.drivers.sync as sync_driver
from py_identity_model import DeviceTokenRequest, DeviceTokenResponse, ErrorType, aio
from py_identity_model.device.polling import (
    MAX_POLLING_INTERVAL,
    PollingProgress,
    polling_flow,
)
from py_identity_model.exceptions import ConfigurationException
from py_identity_model.http.flow import Flow
from py_identity_model.http.messages import HttpRequest, Sleep
from py_identity_model.http.results import Failure


def pending() -> DeviceTokenResponse:
    return DeviceTokenResponse.from_failure(Failure("authorization_pending", "pending"))


def slow_down() -> DeviceTokenResponse:
    return DeviceTokenResponse.from_failure(Failure("slow_down", "slow down"))


def denied(code: str = "access_denied") -> DeviceTokenResponse:
    return DeviceTokenResponse.from_failure(Failure(code, code))


def success() -> DeviceTokenResponse:
    return DeviceTokenResponse(True, None, {"access_token": "AT", "token_type": "Bearer"})


class Script:
    """``send`` for the polling core: each poll yields one (fake) HTTP step, then answers
    the next scripted result (the last repeats); the clock advances only on sleeps."""

    def __init__(self, *answers: DeviceTokenResponse) -> None:
        self.answers = list(answers)
        self.polls = 0
        self.now = 1000.0
        self.sleeps: list[float] = []
        self.poll_times: list[float] = []

    def clock(self) -> float:
        return self.now

    def send(self) -> Flow[DeviceTokenResponse]:
        yield HttpRequest.post_form(TOKEN_URL, {"grant_type": "x"})
        self.poll_times.append(self.now - 1000.0)
        self.polls += 1
        return self.answers[min(self.polls, len(self.answers)) - 1]

    def run(self, send: Any = None, **kwargs: Any) -> DeviceTokenResponse:
        kwargs.setdefault("expires_in", None)
        kwargs.setdefault("interval", 5)
        flow = polling_flow(send or self.send, clock=self.clock, **kwargs)
        try:
            step = next(flow)
            while True:
                if isinstance(step, Sleep):
                    self.sleeps.append(step.seconds)
                    self.now += step.seconds
                else:
                    assert isinstance(step, HttpRequest)
                step = flow.send(None)
        except StopIteration as stop:
            result: DeviceTokenResponse = stop.value
            return result


# ------------------------------------------------------------------ the state machine


def test_pending_then_slow_down_then_success() -> None:
    script = Script(pending(), slow_down(), pending(), success())
    progress: list[PollingProgress] = []
    result = script.run(interval=2, expires_in=600, on_progress=progress.append)
    assert result.is_successful is True
    assert result.access_token == "AT"
    assert script.polls == 4
    assert script.sleeps == [2, 7, 7]  # slow_down adds 5 s for every later wait
    assert script.poll_times == [0, 2, 9, 16]
    assert progress == [
        PollingProgress(1, 2, 0, "authorization_pending"),
        PollingProgress(2, 7, 2, "slow_down"),
        PollingProgress(3, 7, 9, "authorization_pending"),
    ]


def test_success_at_once_neither_waits_nor_reports() -> None:
    script = Script(success())
    progress: list[PollingProgress] = []
    result = script.run(on_progress=progress.append)
    assert result.is_successful is True
    assert (script.polls, script.sleeps, progress) == (1, [], [])


@pytest.mark.parametrize("code", ["access_denied", "expired_token", "invalid_grant"])
def test_final_errors_end_the_polling_unchanged(code: str) -> None:
    final = denied(code)
    script = Script(pending(), pending(), final)
    result = script.run(interval=1, expires_in=60)
    assert result is final
    assert result.error_code == code
    assert script.polls == 3


def test_a_network_failure_ends_the_polling() -> None:
    failure = DeviceTokenResponse.from_failure(Failure("network_error", "down"))
    script = Script(pending(), failure)
    assert script.run(interval=1).error_code == "network_error"


def test_repeated_slow_down_grows_linearly_up_to_the_cap() -> None:
    script = Script(*([slow_down()] * 5), success())
    script.run(interval=5)
    assert script.sleeps == [10, 15, 20, 25, 30]
    script = Script(slow_down(), slow_down(), success())
    script.run(interval=MAX_POLLING_INTERVAL - 1)
    assert script.sleeps == [MAX_POLLING_INTERVAL, MAX_POLLING_INTERVAL]


def test_interval_zero_is_honoured() -> None:
    script = Script(pending(), pending(), success())
    script.run(interval=0, expires_in=10)
    assert script.sleeps == [0, 0]


def test_an_interval_above_the_cap_is_capped() -> None:
    script = Script(pending(), success())
    script.run(interval=10**9)
    assert script.sleeps == [MAX_POLLING_INTERVAL]


# ------------------------------------------------------------------ the deadline


def test_expiry_ends_the_polling_when_the_next_poll_would_be_late() -> None:
    script = Script(pending())
    result = script.run(interval=4, expires_in=10)
    assert isinstance(result, DeviceTokenResponse)
    assert result.is_successful is False
    assert result.error_code == "polling_timeout"
    assert result.error_type is ErrorType.POLICY
    assert "3 poll(s)" in result.error
    assert script.poll_times == [0, 4, 8]  # a poll at 12 would come after the expiry
    assert script.sleeps == [4, 4]


def test_the_earlier_of_timeout_and_expiry_wins() -> None:
    script = Script(pending())
    assert script.run(interval=1, expires_in=600, timeout=3).error_code == "polling_timeout"
    assert script.poll_times == [0, 1, 2, 3]
    script = Script(pending())
    assert script.run(interval=1, expires_in=2, timeout=600).error_code == "polling_timeout"
    assert script.poll_times == [0, 1, 2]


def test_slow_down_can_push_the_next_poll_past_the_deadline() -> None:
    script = Script(pending(), slow_down())
    result = script.run(interval=2, expires_in=8)
    assert result.error_code == "polling_timeout"
    assert script.poll_times == [0, 2]  # the next wait would be 7 s: 9 > 8


def test_without_a_deadline_polling_goes_on() -> None:
    script = Script(*([pending()] * 50), success())
    assert script.run(interval=5).is_successful is True
    assert script.polls == 51


def test_the_deadline_counts_time_spent_in_requests() -> None:
    script = Script(pending())

    def slow_send() -> Flow[DeviceTokenResponse]:
        script.now += 3  # each request takes 3 s
        return (yield from script.send())

    result = script.run(slow_send, interval=1, expires_in=10)
    assert result.error_code == "polling_timeout"
    assert script.polls == 3  # polls end at 3, 7 and 11 s


# ------------------------------------------------------------------ cancelling


def test_cancel_before_the_first_poll() -> None:
    script = Script(pending())
    result = script.run(cancelled=lambda: True, response_type=DeviceTokenResponse)
    assert result.error_code == "polling_cancelled"
    assert result.error_type is ErrorType.POLICY
    assert script.polls == 0


def test_cancel_is_seen_within_a_second_of_a_long_wait() -> None:
    script = Script(pending())
    flag = {"cancel": False}

    def cancelled() -> bool:
        if script.now - 1000.0 >= 3:
            flag["cancel"] = True
        return flag["cancel"]

    result = script.run(interval=30, cancelled=cancelled, response_type=DeviceTokenResponse)
    assert result.error_code == "polling_cancelled"
    assert script.polls == 1
    assert script.sleeps == [1, 1, 1]  # waits are cut into one-second sleeps


def test_waits_without_cancel_callback_are_one_sleep() -> None:
    script = Script(pending(), success())
    script.run(interval=2.5)
    assert script.sleeps == [2.5]


def test_chunked_waits_add_up_to_the_interval() -> None:
    script = Script(pending(), success())
    script.run(interval=2.5, cancelled=lambda: False)
    assert script.sleeps == [1, 1, 0.5]
    assert script.poll_times == [0, 2.5]


def test_cancel_right_after_a_wait_stops_before_the_poll() -> None:
    script = Script(pending())
    result = script.run(interval=1, cancelled=lambda: script.now > 1000.0)
    assert result.error_code == "polling_cancelled"
    assert script.polls == 1


# ------------------------------------------------------------------ misuse and callbacks


@pytest.mark.parametrize(
    "kwargs",
    [
        {"interval": -1},
        {"interval": math.nan},
        {"interval": math.inf},
        {"interval": "5"},
        {"interval": True},
        {"interval": 5, "expires_in": -1},
        {"interval": 5, "timeout": math.nan},
        {"interval": 5, "timeout": "3"},
    ],
)
def test_misuse_raises_before_the_first_poll(kwargs: dict[str, Any]) -> None:
    script = Script(pending())
    kwargs.setdefault("expires_in", None)
    with pytest.raises(ConfigurationException):
        polling_flow(script.send, **kwargs)
    assert script.polls == 0


def test_send_must_be_callable() -> None:
    with pytest.raises(ConfigurationException):
        polling_flow(None, interval=1, expires_in=None)  # type: ignore[arg-type]


def test_a_failing_progress_callback_stops_the_polling() -> None:
    script = Script(pending())

    def explode(progress: PollingProgress) -> None:
        raise RuntimeError("callback broke")

    with pytest.raises(RuntimeError, match="callback broke"):
        script.run(on_progress=explode)
    assert script.polls == 1


def test_progress_is_frozen() -> None:
    progress = PollingProgress(1, 5.0, 0.0, "authorization_pending")
    with pytest.raises(AttributeError):
        progress.attempt = 2  # type: ignore[misc]


# ------------------------------------------------------------------ the shells


@pytest.fixture
def no_real_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the sync driver's sleeps instead of sleeping."""
    slept: list[float] = []
    monkeypatch.setattr(sync_driver, "_sleep", slept.append)
    return slept


def _request(**kwargs: Any) -> DeviceTokenRequest:
    return DeviceTokenRequest(TOKEN_URL, "cid", "DEVICE-CODE-1", "secret", **kwargs)


def test_sync_wait_pending_slow_down_success(no_real_sleep: list[float]) -> None:
    import py_identity_model as pim

    handler = Recorder(oauth_error("authorization_pending"), oauth_error("slow_down"), tokens())
    progress: list[PollingProgress] = []
    result = pim.wait_for_device_token(
        _request(),
        interval=1,
        expires_in=600,
        on_progress=progress.append,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    assert isinstance(result, DeviceTokenResponse)
    assert result.is_successful is True and result.access_token == "AT"
    assert handler.calls == 3
    assert no_real_sleep == [1, 6]
    assert [(p.attempt, p.interval, p.last_error_code) for p in progress] == [
        (1, 1, "authorization_pending"),
        (2, 6, "slow_down"),
    ]


def test_sync_wait_returns_access_denied(no_real_sleep: list[float]) -> None:
    import py_identity_model as pim

    handler = Recorder(oauth_error("authorization_pending"), oauth_error("access_denied"))
    result = pim.wait_for_device_token(
        _request(), interval=1, http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    assert result.error_code == "access_denied"
    assert handler.calls == 2


def test_sync_wait_cancelled(no_real_sleep: list[float]) -> None:
    import py_identity_model as pim

    handler = Recorder(oauth_error("authorization_pending"))
    result = pim.wait_for_device_token(
        _request(),
        interval=5,
        cancelled=lambda: len(no_real_sleep) >= 2,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    assert result.error_code == "polling_cancelled"
    assert isinstance(result, DeviceTokenResponse)
    assert no_real_sleep == [1, 1]
    assert handler.calls == 1


def test_real_deadline_both_shells(api: Any) -> None:
    handler = Recorder(oauth_error("authorization_pending"))
    started = time.monotonic()
    result = api.wait_for_device_token(
        _request(), interval=0.05, timeout=0.3, http_client=api.mock_client(handler)
    )
    elapsed = time.monotonic() - started
    assert result.error_code == "polling_timeout"
    assert isinstance(result, DeviceTokenResponse)
    assert 2 <= handler.calls <= 8
    assert elapsed < 2


def test_misuse_raises_in_both_shells(api: Any) -> None:
    handler = Recorder(tokens())
    with pytest.raises(ConfigurationException):
        api.wait_for_device_token(_request(), interval=-1, http_client=api.mock_client(handler))
    assert handler.calls == 0


def test_same_parameters_in_both_shells() -> None:
    import inspect

    import py_identity_model as pim

    for name in ("request_device_authorization", "poll_device_token", "wait_for_device_token"):
        sync_params = inspect.signature(getattr(pim, name)).parameters
        async_params = inspect.signature(getattr(aio, name)).parameters
        assert list(sync_params) == list(async_params), name
        assert asyncio.iscoroutinefunction(getattr(aio, name))
    params = inspect.signature(pim.wait_for_device_token).parameters
    assert params["interval"].default == 5
    assert all(
        params[n].kind is inspect.Parameter.KEYWORD_ONLY
        for n in ("interval", "expires_in", "timeout", "on_progress", "cancelled", "http_client")
    )


def _async_client(handler: Recorder) -> httpx.AsyncClient:
    async def serve(request: httpx.Request) -> httpx.Response:
        return handler(request)

    return httpx.AsyncClient(transport=httpx.MockTransport(serve))


def test_async_wait_does_not_block_the_loop() -> None:
    handler = Recorder(
        oauth_error("authorization_pending"), oauth_error("authorization_pending"), tokens()
    )

    async def main() -> tuple[DeviceTokenResponse, int]:
        ticks = 0
        done = asyncio.Event()

        async def ticker() -> None:
            nonlocal ticks
            while not done.is_set():
                ticks += 1
                await asyncio.sleep(0.01)

        other = asyncio.create_task(ticker())
        async with _async_client(handler) as client:
            result = await aio.wait_for_device_token(_request(), interval=0.1, http_client=client)
        done.set()
        await other
        return result, ticks

    result, ticks = asyncio.run(main())
    assert result.is_successful is True
    assert handler.calls == 3
    assert ticks >= 10  # the other task ran during the two 0.1 s waits


def test_cancelling_the_async_task_stops_it_promptly() -> None:
    handler = Recorder(oauth_error("authorization_pending"))

    async def main() -> tuple[float, set[asyncio.Task[Any]]]:
        async with _async_client(handler) as client:
            task = asyncio.create_task(
                aio.wait_for_device_token(_request(), interval=30, http_client=client)
            )
            while handler.calls == 0:
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.05)  # now inside the 30 s wait
            started = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            stopped_in = time.monotonic() - started
        others = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
        return stopped_in, others

    stopped_in, others = asyncio.run(main())
    assert stopped_in < 0.5
    assert others == set()
    assert handler.calls == 1


def test_async_cancelled_callback() -> None:
    handler = Recorder(oauth_error("authorization_pending"))
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return handler.calls >= 2

    async def main() -> DeviceTokenResponse:
        async with _async_client(handler) as client:
            return await aio.wait_for_device_token(
                _request(), interval=0.01, cancelled=cancelled, http_client=client
            )

    result = asyncio.run(main())
    assert result.error_code == "polling_cancelled"
    assert handler.calls == 2
