"""The transport seam: how an HTTP stack plugs into the protocol core.

httpx is the default (:mod:`.sync_client`, :mod:`.async_client`). To drive the core
with another client, implement :class:`SyncTransport` or :class:`AsyncTransport`: take an
:class:`~.messages.HttpRequest`, return an :class:`~.messages.HttpResponse` or a
:class:`~.messages.TransportFailure`, and never raise. The transport must not follow
redirects, must bound the whole exchange by its timeout and must stop reading a body
past its size limit. Then pass it as ``http_client=`` to any I/O function.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from .messages import HttpRequest, Outcome

__all__ = ["AsyncTransport", "SyncTransport"]


@runtime_checkable
class SyncTransport(Protocol):
    """Sends one request synchronously."""

    def send_request(self, request: HttpRequest) -> Outcome: ...


@runtime_checkable
class AsyncTransport(Protocol):
    """Sends one request asynchronously."""

    async def send_request(self, request: HttpRequest) -> Outcome: ...
