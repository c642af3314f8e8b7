"""The synchronous shell: an httpx-based transport and the flow driver."""

from __future__ import annotations

import contextvars
import threading
import time
from typing import Any

import httpx

from ..exceptions import ConfigurationException
from ..options import RetryPolicy
from .deadline import DEADLINE, install_deadline_backend
from .drivers import run_sync  # re-exported: the driver of this shell
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
from .transport import SyncTransport

__all__ = ["HTTPClient", "run_sync"]


class HTTPClient:
    """A synchronous HTTP client for py-identity-model calls, wrapping ``httpx.Client``.

    Pass it as ``http_client=`` to route every request of a call through it. Without an
    ``httpx.Client`` it creates (and owns) one with safe settings: no redirects, pooled
    connections, the given TLS ``verify`` (a path, an ``ssl.SSLContext`` or a bool).
    A client passed in stays yours to configure and close; redirects are still not
    followed and the size and time limits still apply.

    Thread-safe: one instance can serve many threads.
    """

    def __init__(
        self,
        client: httpx.Client | None = None,
        timeout: float | None = None,
        verify: Any = None,
        *,
        max_response_bytes: int | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        if client is not None and not isinstance(client, httpx.Client):
            raise ConfigurationException(
                "HTTPClient needs an httpx.Client (use aio.AsyncHTTPClient for async)"
            )
        self.settings = TransportSettings(timeout, max_response_bytes, retry)
        self._owns_client = client is None
        self._client = (
            client
            if client is not None
            else httpx.Client(**httpx_client_kwargs(self.settings, verify))
        )
        # Standard httpx pools get per-socket-operation deadlines (inert outside this
        # library's calls, so a caller's own client keeps behaving as before); a custom
        # transport gets a watchdog thread instead.
        self._deadline_enforced = install_deadline_backend(self._client)

    @property
    def client(self) -> httpx.Client:
        """The underlying ``httpx.Client``."""
        return self._client

    def send_request(self, request: HttpRequest) -> Outcome:
        """Send ``request``; return the response or a failure value, never raise.

        The whole exchange is bounded by ``timeout``. With httpx's standard transport the
        bound is enforced on every socket operation (see :mod:`.deadline`). With a custom
        transport, which may be anything, the exchange runs on a short-lived worker thread
        (in the caller's context) and the caller waits at most ``timeout``.
        """
        timeout = self.settings.timeout
        deadline = time.monotonic() + timeout
        if self._deadline_enforced:
            token = DEADLINE.set(deadline)
            try:
                return self._exchange(request, timeout, deadline)
            finally:
                DEADLINE.reset(token)
        return self._exchange_with_watchdog(request, timeout, deadline)

    def _exchange_with_watchdog(
        self, request: HttpRequest, timeout: float, deadline: float
    ) -> Outcome:
        result: list[Outcome | BaseException] = []

        def work() -> None:
            try:
                result.append(self._exchange(request, timeout, deadline))
            except BaseException as exc:  # handed to the caller below
                result.append(exc)

        context = contextvars.copy_context()
        worker = threading.Thread(
            target=context.run, args=(work,), name="py-identity-model-http", daemon=True
        )
        worker.start()
        worker.join(timeout)
        if not result:
            return deadline_failure(request.url, timeout)
        outcome = result[0]
        if isinstance(outcome, BaseException):
            raise outcome  # not a transport problem: a bug in a custom transport or handler
        return outcome

    def _exchange(self, request: HttpRequest, timeout: float, deadline: float) -> Outcome:
        body = BodyLimiter(self.settings.max_response_bytes)
        try:
            with self._client.stream(**stream_kwargs(request, timeout)) as response:
                if body.declared_too_large(response):
                    return body.too_large(request.url)
                for chunk in response.iter_bytes():
                    if not body.add(chunk):
                        return body.too_large(request.url)
                    # A server trickling bytes would reset httpx's per-read timeout forever.
                    if time.monotonic() > deadline:
                        return deadline_failure(request.url, timeout)
                return body.response(response, request.url)
        except TRANSPORT_EXCEPTIONS as exc:
            return failure_from_exception(exc, request.url, timeout)

    def close(self) -> None:
        """Close the underlying client if this object created it."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> HTTPClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        settings = self.settings
        return (
            f"HTTPClient(timeout={settings.timeout:g}, "
            f"max_response_bytes={settings.max_response_bytes})"
        )


_default_lock = threading.Lock()
_default: HTTPClient | None = None


def default_sync_client() -> HTTPClient:
    """The managed process-wide client, created once on first use."""
    global _default  # noqa: PLW0603
    client = _default
    if client is None:
        with _default_lock:
            if _default is None:
                _default = HTTPClient()
            client = _default
    return client


def reset_default_sync_client() -> None:
    """Forget the managed client.

    It is not closed: a call in flight may still use it; its connections are released
    when it is garbage-collected.
    """
    global _default  # noqa: PLW0603 - the one managed client
    with _default_lock:
        _default = None


def resolve_sync(http_client: object) -> tuple[SyncTransport, RetryPolicy]:
    """Accept ``None``, an :class:`HTTPClient`, an ``httpx.Client`` or any SyncTransport."""
    if http_client is None:
        client = default_sync_client()
        return client, client.settings.retry
    if isinstance(http_client, HTTPClient):
        return http_client, http_client.settings.retry
    if isinstance(http_client, httpx.Client):
        wrapped = HTTPClient(http_client)
        return wrapped, wrapped.settings.retry
    if isinstance(http_client, httpx.AsyncClient) or _is_async_transport(http_client):
        raise ConfigurationException(
            "An async client was passed to a sync function; use py_identity_model.aio"
        )
    if isinstance(http_client, SyncTransport):
        from ..options import get_options

        return http_client, get_options().retry
    raise ConfigurationException(f"Unsupported http_client: {type(http_client).__name__}")


def _is_async_transport(obj: object) -> bool:
    import inspect

    return inspect.iscoroutinefunction(getattr(obj, "send_request", None))
