"""The two drivers: run a flow with blocking I/O (``run_sync``) or with asyncio (``run_async``).

These are the only places where sync and async differ in how a step is carried out; the
flows themselves are shared. The HTTP stack (httpx) is imported and a client resolved only
when a flow actually sends a request: a validation answered from warm caches, or with a
static key, never loads it. A client the caller passed is checked up front, so misuse
(an async client in sync code) is reported before the flow starts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from ..options import RetryPolicy
from .flow import Flow, Step, with_retries
from .messages import Fetch, Sleep

__all__ = ["run_async", "run_sync"]

T = TypeVar("T")


_resolvers: dict[str, Callable[[object], tuple[Any, RetryPolicy]]] = {}


def _resolve_sync(http_client: object) -> tuple[Any, RetryPolicy]:
    resolve = _resolvers.get("sync")
    if resolve is None:  # first use: import the httpx shell now, once
        from .sync_client import resolve_sync

        resolve = _resolvers["sync"] = resolve_sync
    return resolve(http_client)


def _resolve_async(http_client: object) -> tuple[Any, RetryPolicy]:
    resolve = _resolvers.get("async")
    if resolve is None:
        from .async_client import resolve_async

        resolve = _resolvers["async"] = resolve_async
    return resolve(http_client)


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


async def _asleep(seconds: float) -> None:
    import asyncio  # on demand: sync-only processes never load asyncio

    await asyncio.sleep(seconds)


def run_sync(flow: Flow[T], http_client: object = None) -> T:
    """Drive ``flow`` to completion with blocking I/O and return its result."""
    resolved = None if http_client is None else _resolve_sync(http_client)
    try:
        step: Step = next(flow)
        # Cached values come through their source, which has its own client handling.
        while isinstance(step, Fetch):
            step = flow.send(step.source.get(http_client, max_age=step.max_age))
        transport, policy = resolved or _resolve_sync(None)
        wrapped = with_retries(flow, policy, first=step)
        step = next(wrapped)
        while True:
            if isinstance(step, Sleep):
                _sleep(step.seconds)
                step = wrapped.send(None)
            elif isinstance(step, Fetch):
                step = wrapped.send(step.source.get(http_client, max_age=step.max_age))
            else:
                step = wrapped.send(transport.send_request(step))
    except StopIteration as stop:
        result: T = stop.value
        return result


async def run_async(flow: Flow[T], http_client: object = None) -> T:
    """Drive ``flow`` to completion with non-blocking I/O and return its result."""
    resolved = None if http_client is None else _resolve_async(http_client)
    try:
        step: Step = next(flow)
        while isinstance(step, Fetch):
            step = flow.send(await step.source.aget(http_client, max_age=step.max_age))
        transport, policy = resolved or _resolve_async(None)
        wrapped = with_retries(flow, policy, first=step)
        step = next(wrapped)
        while True:
            if isinstance(step, Sleep):
                await _asleep(step.seconds)
                step = wrapped.send(None)
            elif isinstance(step, Fetch):
                step = wrapped.send(await step.source.aget(http_client, max_age=step.max_age))
            else:
                step = wrapped.send(await transport.send_request(step))
    except StopIteration as stop:
        result: T = stop.value
        return result
