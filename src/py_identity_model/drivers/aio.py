"""The async driver: run a flow to its result with asyncio.

The twin of :mod:`.sync`: the same loop, with ``await`` where the sync driver blocks. The
HTTP stack is imported only when a flow sends a request.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from ..errors import ErrorCodes
from ..http.flow import Flow, Step, with_retries
from ..http.messages import ARunFlow, Fetch, HttpRequest, Outcome, Sleep, TransportFailure
from ..http.transport import AsyncTransport
from ..options import RetryPolicy
from ..utils.logsafe import printable

if TYPE_CHECKING:
    import httpx

    from ..transport.async_client import AsyncHTTPClient

    AsyncHttpClient: TypeAlias = AsyncHTTPClient | httpx.AsyncClient | AsyncTransport
    """What an async function accepts as ``http_client``: an ``AsyncHTTPClient``, an
    ``httpx.AsyncClient`` (or ``httpx2.AsyncClient``), or any :class:`AsyncTransport`."""

__all__ = ["AsyncHttpClient", "run_async", "runner"]

T = TypeVar("T")

_resolver: list[Callable[[object], tuple[AsyncTransport, RetryPolicy]]] = []


def _resolve(http_client: object) -> tuple[AsyncTransport, RetryPolicy]:
    if not _resolver:  # first use: import the httpx shell (and asyncio) now, once
        from ..transport.async_client import resolve_async

        _resolver.append(resolve_async)
    return _resolver[0](http_client)


async def _asleep(seconds: float) -> None:
    import asyncio  # on demand: sync-only processes never load asyncio

    await asyncio.sleep(seconds)


async def _send(transport: AsyncTransport, request: HttpRequest) -> Outcome:
    try:
        return await transport.send_request(request)
    except Exception as exc:  # a custom transport broke its contract: still a result
        return TransportFailure(
            ErrorCodes.NETWORK_ERROR,
            f"the transport raised {type(exc).__name__}: {printable(exc)}",
            request.url,
        )


class _Runner:
    """This driver as a cache sees it: runs its fetch, lends its loop-bound lock."""

    __slots__ = ("_http_client",)

    def __init__(self, http_client: AsyncHttpClient | None) -> None:
        self._http_client = http_client

    async def __call__(self, flow: Flow[Any]) -> Any:
        return await run_async(flow, self._http_client)

    def lock_for(self, owner: object) -> AbstractAsyncContextManager[object]:
        import asyncio

        loop = asyncio.get_running_loop()
        with _locks_guard:
            per_loop = _locks.get(owner)
            if per_loop is None:
                per_loop = _locks[owner] = weakref.WeakKeyDictionary()
            lock = per_loop.get(loop)
            if lock is None:
                lock = per_loop[loop] = asyncio.Lock()
            return lock


# One asyncio lock per (owner, event loop); both are weak keys, so a dropped cache or a
# closed loop takes its locks with it.
_locks: weakref.WeakKeyDictionary[object, weakref.WeakKeyDictionary[Any, Any]] = (
    weakref.WeakKeyDictionary()
)
_locks_guard = threading.Lock()


def runner(http_client: AsyncHttpClient | None = None) -> ARunFlow[Any]:
    """This driver over ``http_client``, as a cache's fetch runner."""
    return _Runner(http_client)


# Client types already checked once (see the sync driver).
_accepted: set[type] = set()


async def run_async(flow: Flow[T], http_client: AsyncHttpClient | None = None) -> T:
    """Drive ``flow`` to completion with non-blocking I/O and return its result.

    A client of the wrong kind is refused before the flow starts. A flow the driver stops
    early (an exception, a cancellation) is closed, so its ``finally`` blocks run.
    """
    if http_client is not None and type(http_client) not in _accepted:
        _resolve(http_client)
        _accepted.add(type(http_client))
    try:
        step: Step = next(flow)
    except StopIteration as stop:  # the warm path: answered without a single step
        result: T = stop.value
        return result
    except BaseException:
        flow.close()
        raise
    return await _drive(flow, step, http_client)


async def _drive(flow: Flow[T], step: Step, http_client: AsyncHttpClient | None) -> T:
    wrapped: Flow[T] | None = None
    try:
        while isinstance(step, Fetch):
            value = await step.source.aget(
                runner(http_client), max_age=step.max_age, refresh=step.refresh
            )
            step = flow.send(value)
        transport, policy = _resolve(http_client)
        wrapped = with_retries(flow, policy, first=step)
        step = next(wrapped)
        while True:
            if isinstance(step, Sleep):
                await _asleep(step.seconds)
                step = wrapped.send(None)
            elif isinstance(step, Fetch):
                value = await step.source.aget(
                    runner(http_client), max_age=step.max_age, refresh=step.refresh
                )
                step = wrapped.send(value)
            else:
                step = wrapped.send(await _send(transport, step))
    except StopIteration as stop:
        result: T = stop.value
        return result
    except BaseException:
        if wrapped is not None:
            wrapped.close()
        flow.close()
        raise
