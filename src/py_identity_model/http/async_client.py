"""The asynchronous shell: an httpx-based transport and the flow driver."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx

from ..exceptions import ConfigurationException
from ..options import RetryPolicy, get_options
from .drivers import run_async  # re-exported: the driver of this shell
from .httpx_common import (
    TRANSPORT_EXCEPTIONS,
    BodyLimiter,
    TransportSettings,
    deadline_failure,
    failure_from_exception,
    httpx_client_kwargs,
    stream_kwargs,
)
from .messages import HttpRequest, Outcome
from .transport import AsyncTransport

__all__ = ["AsyncHTTPClient", "run_async"]


class AsyncHTTPClient:
    """An async HTTP client for ``py_identity_model.aio`` calls, wrapping ``httpx.AsyncClient``.

    Same contract as :class:`~py_identity_model.HTTPClient`. The whole exchange, body
    included, is bounded by ``timeout`` (a hard deadline, enforced with cancellation).
    An ``httpx.AsyncClient`` belongs to one event loop; so does this object.
    """

    def __init__(
        self,
        client: httpx.AsyncClient | None = None,
        timeout: float | None = None,
        verify: Any = None,
        *,
        max_response_bytes: int | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        if client is not None and not isinstance(client, httpx.AsyncClient):
            raise ConfigurationException(
                "AsyncHTTPClient needs an httpx.AsyncClient (use HTTPClient for sync)"
            )
        self.settings = TransportSettings(timeout, max_response_bytes, retry)
        self._owns_client = client is None
        self._client = (
            client
            if client is not None
            else httpx.AsyncClient(**httpx_client_kwargs(self.settings, verify))
        )

    @property
    def client(self) -> httpx.AsyncClient:
        """The underlying ``httpx.AsyncClient``."""
        return self._client

    async def send_request(self, request: HttpRequest) -> Outcome:
        timeout = self.settings.timeout
        try:
            return await asyncio.wait_for(self._exchange(request, timeout), timeout)
        except asyncio.TimeoutError:
            return deadline_failure(request.url, timeout)

    async def _exchange(self, request: HttpRequest, timeout: float) -> Outcome:
        body = BodyLimiter(self.settings.max_response_bytes)
        try:
            async with self._client.stream(**stream_kwargs(request, timeout)) as response:
                if body.declared_too_large(response):
                    return body.too_large(request.url)
                async for chunk in response.aiter_bytes():
                    if not body.add(chunk):
                        return body.too_large(request.url)
                return body.response(response, request.url)
        except TRANSPORT_EXCEPTIONS as exc:
            return failure_from_exception(exc, request.url, timeout)

    async def aclose(self) -> None:
        """Close the underlying client if this object created it."""
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> AsyncHTTPClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return (
            f"AsyncHTTPClient(timeout={self.settings.timeout:g}, "
            f"max_response_bytes={self.settings.max_response_bytes})"
        )


# An httpx.AsyncClient's pooled connections belong to the loop that opened them, so the
# managed default is one client per running loop. Entries of closed loops are dropped, so
# a second ``asyncio.run()`` in the same process gets a fresh client.
_defaults_lock = threading.Lock()
_defaults: dict[int, tuple[asyncio.AbstractEventLoop, AsyncHTTPClient]] = {}


def default_async_client() -> AsyncHTTPClient:
    """The managed client of the running event loop, created once per loop."""
    loop = asyncio.get_running_loop()
    key = id(loop)
    with _defaults_lock:
        entry = _defaults.get(key)
        if entry is not None and entry[0] is loop:
            return entry[1]
        for stale_key in [k for k, (lp, _) in _defaults.items() if lp.is_closed()]:
            del _defaults[stale_key]
        client = AsyncHTTPClient()
        _defaults[key] = (loop, client)
        return client


def reset_default_async_clients() -> None:
    """Forget the managed async clients (they are closed with their loops)."""
    with _defaults_lock:
        _defaults.clear()


def resolve_async(http_client: object) -> tuple[AsyncTransport, RetryPolicy]:
    """Accept ``None``, :class:`AsyncHTTPClient`, ``httpx.AsyncClient`` or an AsyncTransport."""
    if http_client is None:
        client = default_async_client()
        return client, client.settings.retry
    if isinstance(http_client, AsyncHTTPClient):
        return http_client, http_client.settings.retry
    if isinstance(http_client, httpx.AsyncClient):
        wrapped = AsyncHTTPClient(http_client)
        return wrapped, wrapped.settings.retry
    if isinstance(http_client, httpx.Client):
        raise ConfigurationException(
            "A sync client was passed to an async function; use the top-level API"
        )
    send = getattr(http_client, "send_request", None)
    if send is not None and asyncio.iscoroutinefunction(send):
        return http_client, get_options().retry  # type: ignore[return-value]
    raise ConfigurationException(
        f"Unsupported http_client for async use: {type(http_client).__name__}"
    )
