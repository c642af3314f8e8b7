"""Sync CIBA (poll mode): each function drives a flow of :mod:`py_identity_model.ciba.flow`;
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
from ..drivers.sync import run_sync

if TYPE_CHECKING:
    from ..device.polling import PollingProgress
    from ..drivers.sync import SyncHttpClient

__all__ = [
    "poll_backchannel_token",
    "request_backchannel_authentication",
    "wait_for_backchannel_token",
]


def request_backchannel_authentication(
    request: BackchannelAuthenticationRequest, http_client: SyncHttpClient | None = None
) -> BackchannelAuthenticationResponse:
    """Start a backchannel authentication (CIBA Core 1.0 §7.1): the server asks the user on
    their own device; poll with the ``auth_req_id`` it returns."""
    return run_sync(backchannel_authentication_flow(request), http_client)


def poll_backchannel_token(
    request: BackchannelTokenRequest, http_client: SyncHttpClient | None = None
) -> BackchannelTokenResponse:
    """Poll the token endpoint once (CIBA Core 1.0 §10.1); ``authorization_pending`` and
    ``slow_down`` come back as ``error_code``."""
    return run_sync(backchannel_token_flow(request), http_client)


def wait_for_backchannel_token(
    request: BackchannelTokenRequest,
    *,
    interval: float = DEFAULT_CIBA_INTERVAL,
    expires_in: float | None = None,
    timeout: float | None = None,
    on_progress: Callable[[PollingProgress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    http_client: SyncHttpClient | None = None,
) -> BackchannelTokenResponse:
    """Poll until the user answers (CIBA Core 1.0 §7.3, §11), blocking this thread between polls.

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
    return run_sync(flow, http_client)
