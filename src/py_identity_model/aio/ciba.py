"""Async CIBA (poll mode): each function drives a flow of :mod:`py_identity_model.ciba.flow`;
none raises for HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..ciba.flow import (
    backchannel_authentication_flow,
    backchannel_token_flow,
    wait_for_backchannel_token_flow,
)
from ..ciba.models import (
    DEFAULT_CIBA_INTERVAL,
    BackchannelAuthenticationRequest,
    BackchannelAuthenticationResponse,
    BackchannelTokenRequest,
    BackchannelTokenResponse,
)
from ..drivers.aio import run_async

if TYPE_CHECKING:
    from ..device.polling import PollingProgress
    from ..drivers.aio import AsyncHttpClient

__all__ = [
    "poll_backchannel_token",
    "request_backchannel_authentication",
    "wait_for_backchannel_token",
]


async def request_backchannel_authentication(
    request: BackchannelAuthenticationRequest, http_client: AsyncHttpClient | None = None
) -> BackchannelAuthenticationResponse:
    """Start a backchannel authentication (CIBA Core 1.0 §7.1): the server asks the user on
    their own device; poll with the ``auth_req_id`` it returns."""
    return await run_async(backchannel_authentication_flow(request), http_client)


async def poll_backchannel_token(
    request: BackchannelTokenRequest, http_client: AsyncHttpClient | None = None
) -> BackchannelTokenResponse:
    """Poll the token endpoint once (CIBA Core 1.0 §10.1); ``authorization_pending`` and
    ``slow_down`` come back as ``error_code``."""
    return await run_async(backchannel_token_flow(request), http_client)


async def wait_for_backchannel_token(
    request: BackchannelTokenRequest,
    *,
    interval: float = DEFAULT_CIBA_INTERVAL,
    expires_in: float | None = None,
    timeout: float | None = None,
    on_progress: Callable[[PollingProgress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    http_client: AsyncHttpClient | None = None,
) -> BackchannelTokenResponse:
    """Poll until the user answers (CIBA Core 1.0 §7.3, §11), sleeping without blocking
    the event loop; cancelling the task stops it.

    ``interval`` and ``expires_in`` are the authentication response's; the polling stops
    at the earlier of ``expires_in`` and ``timeout`` (``polling_timeout``), or when
    ``cancelled()`` turns true (``polling_cancelled``, seen within about a second).
    """
    flow = wait_for_backchannel_token_flow(
        request,
        interval=interval,
        expires_in=expires_in,
        timeout=timeout,
        on_progress=on_progress,
        cancelled=cancelled,
    )
    return await run_async(flow, http_client)
