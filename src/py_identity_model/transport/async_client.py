"""The asynchronous transport: ``AsyncHTTPClient`` over ``httpx.AsyncClient`` (or httpx2's)."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import threading
from collections import OrderedDict
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Any

from ..errors import ErrorCodes
from ..exceptions import ConfigurationException
from ..http.messages import ClientCertificate, Headers, HttpRequest, Outcome, TransportFailure
from ..http.transport import AsyncTransport
from ..options import RetryPolicy, get_options, on_options_changed
from .common import (
    BodyReader,
    ClientCore,
    deadline_failure,
    failure_from_exception,
    stream_kwargs,
)
from .stacks import client_of_other_kind, stack_of_client

if TYPE_CHECKING:
    import httpx

__all__ = ["AsyncHTTPClient", "resolve_async"]

_MAX_CERTIFICATE_CLIENTS = 8


class AsyncHTTPClient(ClientCore):
    """An async HTTP client for ``py_identity_model.aio`` calls, wrapping ``httpx.AsyncClient``.

    Same contract as :class:`~py_identity_model.HTTPClient` (an ``httpx2.AsyncClient`` is
    accepted too; ``timeout``, ``verify`` and ``transport`` configure a client this object
    creates, and are refused together with a client of yours). The whole exchange, body
    included, is bounded by ``timeout`` (a hard deadline, enforced with cancellation). An
    async client belongs to one event loop; so does this object. Close it with
    ``await client.aclose()`` (or ``close()``, 4.x's name).
    """

    _asynchronous = True
    _kind = "httpx.AsyncClient"

    def __init__(
        self,
        client: httpx.AsyncClient | None = None,
        timeout: float | None = None,
        verify: Any = None,
        *,
        max_response_bytes: int | None = None,
        retry: RetryPolicy | None = None,
        transport: Any = None,
    ) -> None:
        create = self._setup(
            client,
            timeout,
            verify,
            max_response_bytes=max_response_bytes,
            retry=retry,
            transport=transport,
        )
        self._client: httpx.AsyncClient | None = (
            client if create is None else self._stack.async_client_class(**create)
        )
        self._certificate_clients: OrderedDict[ClientCertificate, httpx.AsyncClient] = OrderedDict()

    @property
    def client(self) -> httpx.AsyncClient:
        """The underlying client (``ConfigurationException`` once this object is closed)."""
        if self._client is None:
            raise ConfigurationException("this AsyncHTTPClient is closed")
        return self._client

    async def send_request(self, request: HttpRequest) -> Outcome:
        """Send ``request``; return the response or a failure value, never raise."""
        timeout = self.settings.timeout
        client = await self._client_for(request)
        if isinstance(client, TransportFailure):
            return client
        try:
            return await asyncio.wait_for(self._exchange(client, request, timeout), timeout)
        except asyncio.TimeoutError:
            return deadline_failure(request.url, timeout)

    async def _client_for(self, request: HttpRequest) -> httpx.AsyncClient | TransportFailure:
        if self._client is None:
            return TransportFailure(ErrorCodes.NETWORK_ERROR, "the client is closed", request.url)
        certificate = request.options.client_certificate
        if certificate is None:
            return self._client
        if not self._owns_client:
            self._warn_certificate_not_presented(request.url)
            return self._client
        client = self._certificate_clients.get(certificate)
        if client is not None:
            self._certificate_clients.move_to_end(certificate)
            return client
        kwargs = self._certificate_kwargs(certificate, request.url)
        if isinstance(kwargs, TransportFailure):
            return kwargs
        client = self._stack.async_client_class(**kwargs)
        self._certificate_clients[certificate] = client
        while len(self._certificate_clients) > _MAX_CERTIFICATE_CLIENTS:
            _, oldest = self._certificate_clients.popitem(last=False)
            await oldest.aclose()
        return client

    async def _exchange(
        self, client: httpx.AsyncClient, request: HttpRequest, timeout: float
    ) -> Outcome:
        body = BodyReader(self.settings.max_response_bytes, request.url)
        try:
            async with client.stream(
                **stream_kwargs(self._stack, request, self._request_timeout())
            ) as response:
                # A response built in memory (a mock transport) was read and decoded by the
                # client already; a network response is read raw here, decoded by us.
                decoded = response.is_stream_consumed
                if not body.start(response.status_code, response.headers, decoded=decoded):
                    assert body.failure is not None
                    return body.failure
                chunks = response.aiter_bytes() if decoded else response.aiter_raw()
                async for chunk in chunks:
                    if not body.add(chunk):
                        assert body.failure is not None
                        return body.failure
                if not body.finish():
                    assert body.failure is not None
                    return body.failure
                return body.response(response.status_code, Headers(response.headers.multi_items()))
        except Exception as exc:  # a custom transport may raise anything: never escapes
            return failure_from_exception(self._stack, exc, request.url, timeout)

    async def aclose(self) -> None:
        """Close the underlying client if this object created it (and its mTLS clients)."""
        clients = list(self._certificate_clients.values())
        self._certificate_clients.clear()
        for extra in clients:
            await extra.aclose()
        if self._client is not None and self._owns_client:
            await self._client.aclose()
        self._client = None

    async def close(self) -> None:
        """py-identity-model 4.x's name for :meth:`aclose`."""
        await self.aclose()

    async def __aenter__(self) -> AsyncHTTPClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


# An async client's pooled connections belong to the loop that opened them, so the managed
# default is one client per running loop. Each is closed when its loop shuts down: a small
# async generator registered with the loop runs the close in its ``finally`` when
# ``asyncio.run()`` (or ``loop.shutdown_asyncgens()``) finalises the loop's generators.
# Entries of closed loops are dropped, so a second ``asyncio.run()`` gets a fresh client.
_defaults_lock = threading.Lock()
_defaults: dict[int, tuple[asyncio.AbstractEventLoop, AsyncHTTPClient, object]] = {}


async def _close_with_loop(client: AsyncHTTPClient) -> AsyncGenerator[None, None]:
    try:
        yield
    finally:
        await client.aclose()


def _register_closer(client: AsyncHTTPClient) -> object:
    closer = _close_with_loop(client)
    step = closer.__anext__()  # the loop's first-iteration hook registers the generator
    with contextlib.suppress(StopIteration):
        step.send(None)  # run it to its ``yield``: nothing is awaited before it
    return closer


def default_async_client() -> AsyncHTTPClient:
    """The managed client of the running event loop, created once per loop."""
    loop = asyncio.get_running_loop()
    key = id(loop)
    with _defaults_lock:
        entry = _defaults.get(key)
        if entry is not None and entry[0] is loop:
            return entry[1]
        for stale_key in [k for k, (lp, _, _) in _defaults.items() if lp.is_closed()]:
            del _defaults[stale_key]
        client = AsyncHTTPClient()
        _defaults[key] = (loop, client, _register_closer(client))
        return client


def reset_default_async_clients() -> None:
    """Forget the managed async clients (options changed); each is closed with its loop."""
    with _defaults_lock:
        _defaults.clear()


on_options_changed(reset_default_async_clients)


def resolve_async(http_client: object) -> tuple[AsyncTransport, RetryPolicy]:
    """Accept ``None``, :class:`AsyncHTTPClient`, an httpx/httpx2 ``AsyncClient`` or any
    AsyncTransport."""
    if http_client is None:
        client = default_async_client()
        return client, client.settings.retry
    if isinstance(http_client, AsyncHTTPClient):
        return http_client, http_client.settings.retry
    if stack_of_client(http_client, asynchronous=True) is not None:
        wrapped = AsyncHTTPClient(http_client)  # type: ignore[arg-type]
        return wrapped, wrapped.settings.retry
    if client_of_other_kind(http_client, asynchronous=True):
        raise ConfigurationException(
            "A sync client was passed to an async function; use the top-level API"
        )
    send = getattr(http_client, "send_request", None)
    if send is not None and inspect.iscoroutinefunction(send):
        assert isinstance(http_client, AsyncTransport)
        return http_client, get_options().retry
    raise ConfigurationException(
        f"Unsupported http_client for async use: {type(http_client).__name__}"
    )
