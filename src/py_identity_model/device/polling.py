"""Polling a token endpoint until the user answers (RFC 8628 §3.4-§3.5; CIBA Core 1.0 §7.3).

The device flow and CIBA poll mode end the same way: the client asks the token endpoint
again and again, at an interval the server sets, until it answers with tokens or with a
final error. :func:`polling_flow` is that loop, written once and without any I/O or clock
of its own: it yields :class:`~py_identity_model.http.messages.Sleep` steps between the
polls, so the sync driver waits with ``time.sleep`` and the async driver with
``asyncio.sleep`` (the event loop keeps running, and cancelling the task stops the wait).

The rules (RFC 8628 §3.5):

* ``authorization_pending``: wait ``interval`` seconds and poll again;
* ``slow_down``: add 5 seconds to the interval, for this and every later wait, and poll
  again;
* a success, or any other failure (``access_denied``, ``expired_token``, a network error,
  an invalid response...): polling ends with it, unchanged;
* the deadline (the earlier of ``expires_in`` and ``timeout``, counted from the start):
  when the next poll would come after it, polling ends at once with a failed result whose
  ``error_code`` is ``polling_timeout``. Waiting out the remaining seconds would not help:
  a poll earlier than the interval invites ``slow_down``, and after the expiry the code is
  dead;
* ``cancelled()`` returning true, checked before every poll and at least once a second
  during a wait: polling ends with ``polling_cancelled``.

Intervals: the interval the caller gives is used as is (any finite value ≥ 0, so tests and
servers that ask for less than 5 seconds poll faster); ``slow_down`` grows it by 5 seconds
each time, as the RFC requires, up to :data:`MAX_POLLING_INTERVAL` (an hour: beyond that it
is not polling any more). There is no lower cap of our own: the growth on ``slow_down`` is
what keeps a client from hammering the server, and the deadline is what bounds the total.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ..errors import ErrorCodes
from ..exceptions import ConfigurationException
from ..http.flow import Flow
from ..http.messages import Sleep
from ..http.results import Failure, ProtocolResponse
from ..utils.numbers import require_number

__all__ = [
    "CANCEL_CHECK_SECONDS",
    "MAX_POLLING_INTERVAL",
    "SLOW_DOWN_INCREMENT",
    "PollingProgress",
    "polling_flow",
]

R = TypeVar("R", bound=ProtocolResponse)

SLOW_DOWN_INCREMENT = 5.0
"""Seconds added to the interval on every ``slow_down`` (RFC 8628 §3.5)."""

MAX_POLLING_INTERVAL = 3600.0
"""The longest wait between two polls, however often the server said ``slow_down``."""

CANCEL_CHECK_SECONDS = 1.0
"""With a ``cancelled`` callback, waits are cut into sleeps this long so a cancel is seen
within about a second (without one, each wait is a single sleep)."""

_PENDING = "authorization_pending"
_SLOW_DOWN = "slow_down"


@dataclass(frozen=True)
class PollingProgress:
    """Where the polling stands, given to the progress callback before each wait.

    Attributes:
        attempt: how many polls were made so far (1 before the first wait).
        interval: the seconds about to be waited (grown by ``slow_down``).
        elapsed: seconds since polling started (by the polling clock).
        last_error_code: what the last poll answered: ``authorization_pending`` or
            ``slow_down``.
    """

    attempt: int
    interval: float
    elapsed: float
    last_error_code: str | None


def _deadline_seconds(expires_in: float | None, timeout: float | None) -> float | None:
    limits = [
        require_number(value, name)
        for name, value in (("expires_in", expires_in), ("timeout", timeout))
        if value is not None
    ]
    return min(limits) if limits else None


def polling_flow(
    send: Callable[[], Flow[R]],
    *,
    interval: float,
    expires_in: float | None,
    timeout: float | None = None,
    on_progress: Callable[[PollingProgress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    clock: Callable[[], float] = time.monotonic,
    response_type: type[R] | None = None,
) -> Flow[R]:
    """Poll with ``send()`` until an answer other than pending arrives (see the module).

    Args:
        send: makes one poll: returns a fresh flow (e.g. ``lambda: device_token_flow(req)``)
            whose result has ``is_successful`` and ``error_code``.
        interval: seconds between polls (the server's ``interval``, 5 when it sent none).
        expires_in: the device code's (or ``auth_req_id``'s) lifetime in seconds, or None.
        timeout: the caller's own limit in seconds, or None. The deadline is the earlier.
        on_progress: called with a :class:`PollingProgress` before each wait (it runs
            inside the flow: keep it quick; an exception it raises stops the polling).
        cancelled: asked before every poll and during waits; true stops the polling.
        clock: monotonic seconds; a fake one makes the loop testable without waiting.
        response_type: the result type, used for a cancel before the first poll (without
            it the first poll is always made, and later failures take the last result's type).

    Misuse (a negative, NaN or infinite number) raises ConfigurationException before the
    first poll.
    """
    wait = require_number(interval, "interval")
    deadline_in = _deadline_seconds(expires_in, timeout)
    if not callable(send):
        raise ConfigurationException("send must be a callable returning a flow")
    return _poll(
        send,
        wait=min(wait, MAX_POLLING_INTERVAL),
        deadline_in=deadline_in,
        on_progress=on_progress,
        cancelled=cancelled,
        clock=clock,
        response_type=response_type,
    )


def _poll(
    send: Callable[[], Flow[R]],
    *,
    wait: float,
    deadline_in: float | None,
    on_progress: Callable[[PollingProgress], None] | None,
    cancelled: Callable[[], bool] | None,
    clock: Callable[[], float],
    response_type: type[R] | None,
) -> Flow[R]:
    started = clock()
    deadline = math.inf if deadline_in is None else started + deadline_in
    attempt = 0
    if cancelled is not None and response_type is not None and cancelled():
        return _cancelled(response_type, attempt)
    while True:
        result: R = yield from send()
        attempt += 1
        code = result.error_code
        if result.is_successful or code not in (_PENDING, _SLOW_DOWN):
            return result
        if code == _SLOW_DOWN:
            wait = min(wait + SLOW_DOWN_INCREMENT, MAX_POLLING_INTERVAL)
        now = clock()
        if now + wait > deadline:
            return _timed_out(type(result), attempt, now - started, deadline_in)
        if on_progress is not None:
            on_progress(PollingProgress(attempt, wait, now - started, code))
        if cancelled is None:
            yield Sleep(wait)
        else:
            remaining = wait
            while remaining > 0:
                if cancelled():
                    return _cancelled(type(result), attempt)
                chunk = min(remaining, CANCEL_CHECK_SECONDS)
                yield Sleep(chunk)
                remaining -= chunk
            if cancelled():
                return _cancelled(type(result), attempt)


def _timed_out(
    response_type: type[R], attempts: int, elapsed: float, deadline_in: float | None
) -> R:
    message = (
        f"polling gave up after {attempts} poll(s) and {elapsed:.1f} s: the next poll would "
        f"come after the deadline of {deadline_in:g} s and the user has not answered"
    )
    return response_type.from_failure(Failure(ErrorCodes.POLLING_TIMEOUT, message))


def _cancelled(response_type: type[R], attempts: int) -> R:
    message = f"polling was cancelled by the caller after {attempts} poll(s)"
    return response_type.from_failure(Failure(ErrorCodes.POLLING_CANCELLED, message))
