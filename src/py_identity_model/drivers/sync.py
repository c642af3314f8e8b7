"""The sync driver: run a flow to its result with blocking I/O.

The HTTP stack is imported and a client resolved only when a flow actually sends a
request: a validation answered from warm caches, or with a static key, never loads it. A
client the caller passed is checked up front, so misuse (an async client in sync code) is
reported before the flow starts. A ``Fetch`` step is answered by the cache it names,
which is handed this driver's ``run`` to fetch with: the cache imports no driver.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from ..errors import ErrorCodes
from ..http.flow import Flow, Step, with_retries
from ..http.messages import Fetch, HttpRequest, Outcome, Sleep, TransportFailure
from ..http.transport import SyncTransport
from ..options import RetryPolicy
from ..utils.logsafe import printable

if TYPE_CHECKING:
    import httpx

    from ..transport.sync_client import HTTPClient

    SyncHttpClient: TypeAlias = HTTPClient | httpx.Client | SyncTransport
    """What a sync function accepts as ``http_client``: an ``HTTPClient``, an
    ``httpx.Client`` (or ``httpx2.Client``), or any :class:`SyncTransport`."""

__all__ = ["SyncHttpClient", "run_sync", "runner"]

T = TypeVar("T")

_resolver: list[Callable[[object], tuple[SyncTransport, RetryPolicy]]] = []


def _resolve(http_client: object) -> tuple[SyncTransport, RetryPolicy]:
    if not _resolver:  # first use: import the httpx shell now, once
        from ..transport.sync_client import resolve_sync

        _resolver.append(resolve_sync)
    return _resolver[0](http_client)


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _send(transport: SyncTransport, request: HttpRequest) -> Outcome:
    try:
        return transport.send_request(request)
    except Exception as exc:  # a custom transport broke its contract: still a result
        return TransportFailure(
            ErrorCodes.NETWORK_ERROR,
            f"the transport raised {type(exc).__name__}: {printable(exc)}",
            request.url,
        )


def runner(http_client: SyncHttpClient | None = None) -> Callable[[Flow[Any]], Any]:
    """This driver over ``http_client``, as a cache's fetch runner."""

    def run(inner: Flow[Any]) -> Any:
        return run_sync(inner, http_client)

    return run


# Client types already checked once: a warm call (answered from caches) then costs a set
# look-up, not a resolution it would not use.
_accepted: set[type] = set()


def run_sync(flow: Flow[T], http_client: SyncHttpClient | None = None) -> T:
    """Drive ``flow`` to completion with blocking I/O and return its result.

    A client of the wrong kind (an async client) is refused before the flow starts. A flow
    the driver stops early (an exception, an interrupt) is closed, so its ``finally``
    blocks run, as httpx does with ``auth_flow``.
    """
    if http_client is not None and type(http_client) not in _accepted:
        _resolve(http_client)  # raises ConfigurationException for misuse
        _accepted.add(type(http_client))
    try:
        step: Step = next(flow)
    except StopIteration as stop:  # the warm path: answered without a single step
        result: T = stop.value
        return result
    except BaseException:
        flow.close()
        raise
    return _drive(flow, step, http_client)


def _drive(flow: Flow[T], step: Step, http_client: SyncHttpClient | None) -> T:
    wrapped: Flow[T] | None = None
    try:
        # Cached values are answered by their caches, fetching with this driver.
        while isinstance(step, Fetch):
            step = flow.send(
                step.source.get(runner(http_client), max_age=step.max_age, refresh=step.refresh)
            )
        transport, policy = _resolve(http_client)
        wrapped = with_retries(flow, policy, first=step)
        step = next(wrapped)
        while True:
            if isinstance(step, Sleep):
                _sleep(step.seconds)
                step = wrapped.send(None)
            elif isinstance(step, Fetch):
                value = step.source.get(
                    runner(http_client), max_age=step.max_age, refresh=step.refresh
                )
                step = wrapped.send(value)
            else:
                step = wrapped.send(_send(transport, step))
    except StopIteration as stop:
        result: T = stop.value
        return result
    except BaseException:
        if wrapped is not None:
            wrapped.close()
        flow.close()
        raise
