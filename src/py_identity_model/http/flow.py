"""Flows: multi-step protocol operations written once for sync and async.

A *flow* is a generator that yields steps and receives their answers: an
:class:`HttpRequest` is answered with an :data:`Outcome`, a :class:`Sleep` with ``None``,
a :class:`Fetch` with the cached value it names. Its return value is the operation's
result. It is the shape of httpx's ``Auth.auth_flow``: the protocol logic
lives here once, and the sync and async shells only move bytes and wait.

Example::

    def discovery_flow(request) -> Flow[DiscoveryDocumentResponse]:
        outcome = yield HttpRequest.get(url)
        return parse_discovery(outcome)
"""

from __future__ import annotations

import time
from collections.abc import Generator
from typing import Any, TypeVar

from ..options import RetryPolicy
from .messages import Fetch, HttpRequest, HttpResponse, Outcome, Sleep, fetch

__all__ = ["Flow", "Step", "fetch", "parse_retry_after", "single_request", "with_retries"]

T = TypeVar("T")
Step = HttpRequest | Sleep | Fetch[Any]
"""What a flow may yield: a request (answered with an Outcome), a wait (answered with None),
or a cached value (answered with the value)."""
# The value sent back depends on the step (Outcome, None, or the fetched value).
Flow = Generator[Step, Any, T]


def single_request(request: HttpRequest) -> Flow[Outcome]:
    """The simplest flow: send one request and return what came back."""
    outcome: Outcome = yield request
    return outcome


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date)."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    import email.utils  # on demand: ~10 ms to import, needed only for an HTTP-date

    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


def with_retries(flow: Flow[T], policy: RetryPolicy, *, first: Step | None = None) -> Flow[T]:
    """Wrap ``flow`` so idempotent requests answered 429/503 are retried per ``policy``.

    Only requests marked ``idempotent`` (GETs) are retried, only on the statuses of the
    policy, never after a transport failure, and the summed wait stays within
    ``policy.max_total_wait``: when the server asks for a longer pause the last answer is
    passed on unchanged and the flow reports it. ``first`` is the flow's first step when
    the caller already advanced it.
    """
    waited = 0.0
    try:
        step = next(flow) if first is None else first
        while True:
            if not isinstance(step, HttpRequest):
                step = flow.send((yield step))
                continue
            outcome = yield step
            attempts = 0
            while (
                step.idempotent
                and isinstance(outcome, HttpResponse)
                and outcome.status in policy.statuses
                and attempts < policy.max_retries
            ):
                delay = parse_retry_after(outcome.headers.get("retry-after"))
                delay = policy.default_delay * (2**attempts) if delay is None else delay
                if waited + delay > policy.max_total_wait:
                    break
                yield Sleep(delay)
                waited += delay
                attempts += 1
                outcome = yield step
            step = flow.send(outcome)
    except StopIteration as stop:
        result: T = stop.value
        return result
