"""The synchronous transport: ``HTTPClient`` over ``httpx.Client`` (or ``httpx2.Client``)."""

from __future__ import annotations

import atexit
import contextvars
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from ..errors import ErrorCodes
from ..exceptions import ConfigurationException
from ..http.messages import ClientCertificate, Headers, HttpRequest, Outcome, TransportFailure
from ..http.transport import SyncTransport
from ..options import RetryPolicy, get_options, on_options_changed
from .common import (
    BodyReader,
    ClientCore,
    deadline_failure,
    failure_from_exception,
    stream_kwargs,
)
from .deadline import DEADLINE, install_deadline_backend
from .stacks import client_of_other_kind, stack_of_client

if TYPE_CHECKING:
    import httpx

__all__ = ["HTTPClient", "resolve_sync"]

_MAX_CERTIFICATE_CLIENTS = 8


class HTTPClient(ClientCore):
    """A synchronous HTTP client for py-identity-model calls, wrapping ``httpx.Client``.

    Pass it as ``http_client=`` to route every request of a call through it. Without a
    client it creates (and owns) one with safe settings: no redirects, pooled connections,
    the given TLS ``verify`` (a path, an ``ssl.SSLContext`` or a bool), on the stack that
    ``configure(http_stack=...)`` names (httpx by default). A client passed in (an
    ``httpx.Client`` or an ``httpx2.Client``) stays yours to configure and close;
    redirects are still not followed and the size and time limits still apply.
    ``timeout``, ``verify`` and ``transport`` (an httpx transport such as
    ``httpx.MockTransport``) configure a client this object creates: with your own client
    they would be ignored, so passing both is refused; the whole exchange is then bounded by
    ``configure(timeout=...)`` and your client keeps its own per-operation timeouts.

    Requests that present a TLS client certificate (mTLS) use one extra pooled client per
    certificate, created with the same ``verify``; with a client of yours, configure the
    certificate on it.

    Thread-safe: one instance can serve many threads.
    """

    _asynchronous = False
    _kind = "httpx.Client"

    def __init__(
        self,
        client: httpx.Client | None = None,
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
        self._client: httpx.Client | None = (
            client if create is None else self._stack.client_class(**create)
        )
        self._certificate_clients: OrderedDict[ClientCertificate, httpx.Client] = OrderedDict()
        self._lock = threading.Lock()
        # Standard pools get per-socket-operation deadlines (inert outside this library's
        # calls, so a caller's own client keeps behaving as before); a custom transport
        # gets a watchdog thread instead.
        self._deadline_enforced = install_deadline_backend(self._client, self._stack)

    @property
    def client(self) -> httpx.Client:
        """The underlying client (``ConfigurationException`` once this object is closed)."""
        if self._client is None:
            raise ConfigurationException("this HTTPClient is closed")
        return self._client

    def send_request(self, request: HttpRequest) -> Outcome:
        """Send ``request``; return the response or a failure value, never raise.

        The whole exchange is bounded by ``timeout``. With the standard transport the bound
        is enforced on every socket operation (see :mod:`.deadline`). With a custom
        transport, which may be anything, the exchange runs on a short-lived worker thread
        (in the caller's context) and the caller waits at most ``timeout``.
        """
        timeout = self.settings.timeout
        deadline = time.monotonic() + timeout
        client = self._client_for(request)
        if isinstance(client, TransportFailure):
            return client
        if self._deadline_enforced:
            token = DEADLINE.set(deadline)
            try:
                return self._exchange(client, request, timeout, deadline)
            finally:
                DEADLINE.reset(token)
        return self._exchange_with_watchdog(client, request, timeout, deadline)

    def _client_for(self, request: HttpRequest) -> httpx.Client | TransportFailure:
        if self._client is None:
            return TransportFailure(
                ErrorCodes.NETWORK_ERROR, "the HTTPClient is closed", request.url
            )
        certificate = request.options.client_certificate
        if certificate is None:
            return self._client
        if not self._owns_client:
            self._warn_certificate_not_presented(request.url)
            return self._client
        with self._lock:
            client = self._certificate_clients.get(certificate)
            if client is not None:
                self._certificate_clients.move_to_end(certificate)
                return client
            kwargs = self._certificate_kwargs(certificate, request.url)
            if isinstance(kwargs, TransportFailure):
                return kwargs
            client = self._stack.client_class(**kwargs)
            install_deadline_backend(client, self._stack)
            self._certificate_clients[certificate] = client
            while len(self._certificate_clients) > _MAX_CERTIFICATE_CLIENTS:
                _, oldest = self._certificate_clients.popitem(last=False)
                oldest.close()
            return client

    def _exchange_with_watchdog(
        self, client: httpx.Client, request: HttpRequest, timeout: float, deadline: float
    ) -> Outcome:
        result: list[Outcome | BaseException] = []

        def work() -> None:
            try:
                result.append(self._exchange(client, request, timeout, deadline))
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
            return failure_from_exception(self._stack, outcome, request.url, timeout)
        return outcome

    def _exchange(
        self, client: httpx.Client, request: HttpRequest, timeout: float, deadline: float
    ) -> Outcome:
        body = BodyReader(self.settings.max_response_bytes, request.url)
        try:
            with client.stream(
                **stream_kwargs(self._stack, request, self._request_timeout())
            ) as response:
                # A response built in memory (a mock transport) was read and decoded by the
                # client already; a network response is read raw here, decoded by us.
                decoded = response.is_stream_consumed
                if not body.start(response.status_code, response.headers, decoded=decoded):
                    assert body.failure is not None
                    return body.failure
                for chunk in response.iter_bytes() if decoded else response.iter_raw():
                    if not body.add(chunk):
                        assert body.failure is not None
                        return body.failure
                    # A server trickling bytes would reset the per-read timeout forever.
                    if time.monotonic() > deadline:
                        return deadline_failure(request.url, timeout)
                if not body.finish():
                    assert body.failure is not None
                    return body.failure
                return body.response(response.status_code, Headers(response.headers.multi_items()))
        except Exception as exc:  # a custom transport may raise anything: never escapes
            return failure_from_exception(self._stack, exc, request.url, timeout)

    def close(self) -> None:
        """Close the underlying client if this object created it (and its mTLS clients)."""
        with self._lock:
            clients = list(self._certificate_clients.values())
            self._certificate_clients.clear()
        for extra in clients:
            extra.close()
        if self._client is not None and self._owns_client:
            self._client.close()
        self._client = None

    def __enter__(self) -> HTTPClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


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


def _close_default_at_exit() -> None:
    # The managed client's pooled sockets would otherwise be reported as unclosed
    # (ResourceWarning) when the interpreter shuts down.
    global _default
    with _default_lock:
        client, _default = _default, None
    if client is not None:
        client.close()


atexit.register(_close_default_at_exit)


def reset_default_sync_client() -> None:
    """Forget the managed client (options changed).

    It is not closed: a call in flight may still use it; its connections are released
    when it is garbage-collected.
    """
    global _default  # noqa: PLW0603 - the one managed client
    with _default_lock:
        _default = None


on_options_changed(reset_default_sync_client)


def resolve_sync(http_client: object) -> tuple[SyncTransport, RetryPolicy]:
    """Accept ``None``, an :class:`HTTPClient`, an httpx/httpx2 ``Client`` or any SyncTransport."""
    if http_client is None:
        client = default_sync_client()
        return client, client.settings.retry
    if isinstance(http_client, HTTPClient):
        return http_client, http_client.settings.retry
    if stack_of_client(http_client, asynchronous=False) is not None:
        wrapped = HTTPClient(http_client)  # type: ignore[arg-type]
        return wrapped, wrapped.settings.retry
    if client_of_other_kind(http_client, asynchronous=False) or _is_async_transport(http_client):
        raise ConfigurationException(
            "An async client was passed to a sync function; use py_identity_model.aio"
        )
    if isinstance(http_client, SyncTransport):
        return http_client, get_options().retry
    raise ConfigurationException(f"Unsupported http_client: {type(http_client).__name__}")


def _is_async_transport(obj: object) -> bool:
    import inspect

    return inspect.iscoroutinefunction(getattr(obj, "send_request", None))
