"""Sync device flow (RFC 8628): each function drives a flow of
:mod:`py_identity_model.device.flow`; none raises for HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..device.flow import device_authorization_flow, device_token_flow, wait_for_device_token_flow
from ..device.models import (
    DEFAULT_DEVICE_INTERVAL,
    DeviceAuthorizationRequest,
    DeviceAuthorizationResponse,
    DeviceTokenRequest,
    DeviceTokenResponse,
)
from ..device.polling import PollingProgress
from ..drivers.sync import run_sync

if TYPE_CHECKING:
    from ..drivers.sync import SyncHttpClient

__all__ = ["poll_device_token", "request_device_authorization", "wait_for_device_token"]


def request_device_authorization(
    request: DeviceAuthorizationRequest, http_client: SyncHttpClient | None = None
) -> DeviceAuthorizationResponse:
    """Ask for a device code and a user code (RFC 8628 §3.1): show the user
    ``verification_uri`` and ``user_code``, then poll with ``device_code``."""
    return run_sync(device_authorization_flow(request), http_client)


def poll_device_token(
    request: DeviceTokenRequest, http_client: SyncHttpClient | None = None
) -> DeviceTokenResponse:
    """Poll the token endpoint once (RFC 8628 §3.4); ``authorization_pending`` and
    ``slow_down`` come back as ``error_code``, the next wait as ``interval``."""
    return run_sync(device_token_flow(request), http_client)


def wait_for_device_token(
    request: DeviceTokenRequest,
    *,
    interval: float = DEFAULT_DEVICE_INTERVAL,
    expires_in: float | None = None,
    timeout: float | None = None,
    on_progress: Callable[[PollingProgress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    http_client: SyncHttpClient | None = None,
) -> DeviceTokenResponse:
    """Poll until the user answers (RFC 8628 §3.5), blocking this thread between polls.

    ``interval`` and ``expires_in`` are the device authorization response's; the polling
    stops at the earlier of ``expires_in`` and ``timeout`` (``polling_timeout``), or when
    ``cancelled()`` turns true (``polling_cancelled``, seen within about a second).
    """
    flow = wait_for_device_token_flow(
        request,
        interval=interval,
        expires_in=expires_in,
        timeout=timeout,
        on_progress=on_progress,
        cancelled=cancelled,
    )
    return run_sync(flow, http_client)
