"""The two drivers: run a flow with blocking I/O (:mod:`.sync`) or with asyncio (:mod:`.aio`).

They are the only places where sync and async differ in how a step is carried out; the
flows themselves are shared. Neither imports the other.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .aio import AsyncHttpClient
    from .sync import SyncHttpClient

__all__ = ["split_http_client"]


def split_http_client(
    client: SyncHttpClient | AsyncHttpClient | None,
) -> tuple[SyncHttpClient | None, AsyncHttpClient | None]:
    """For objects that serve both shells: which driver the one ``http_client`` is for.

    An async client (``httpx.AsyncClient``, ``AsyncHTTPClient``, an object whose
    ``send_request`` is a coroutine function) goes to the async driver; anything else to
    the sync driver, which checks it. The other driver uses the managed default client.
    """
    if client is None:
        return None, None
    send = getattr(client, "send_request", None)
    if inspect.iscoroutinefunction(send) or inspect.iscoroutinefunction(
        getattr(client, "aclose", None)
    ):
        return None, client  # type: ignore[return-value]
    return client, None  # type: ignore[return-value]
