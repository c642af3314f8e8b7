"""The device flow operations, written once (RFC 8628 §3.1-§3.5).

* :func:`device_authorization_flow`: POST to the ``device_authorization_endpoint`` as the
  client (:func:`~py_identity_model.endpoints.options.client_request_flow`: endpoint
  policy, client authentication, DPoP) and check the answer: ``device_code``,
  ``user_code``, ``verification_uri`` and ``expires_in`` are required, ``interval``
  defaults to 5 seconds, every number is bounded before anyone computes a deadline or a
  sleep from it, and the URIs the user will be shown must be absolute ``https`` URLs
  (``http`` only on loopback): a ``javascript:`` or ``http://evil.example`` link from a
  compromised or spoofed server must never reach a screen.
* :func:`device_token_flow`: one poll of the token endpoint with the device code grant;
  the answer is parsed as any token response, so ``authorization_pending``,
  ``slow_down``, ``access_denied`` and ``expired_token`` arrive as the server's
  ``error_code``, and the response's ``interval`` says when to poll next.
* :func:`wait_for_device_token_flow`: poll until there is an answer, on the polling core
  (:mod:`.polling`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..endpoints.options import client_request_flow
from ..errors import ErrorCodes
from ..http.flow import Flow
from ..http.messages import Outcome
from ..http.readers import JsonBody, invalid, read_json_object
from ..http.results import Failure
from ..tokens.flow import token_request_flow
from ..tokens.models import MAX_EXPIRES_IN
from ..utils.numbers import whole_seconds
from ..utils.urls import is_loopback_host, parse_http_url
from .models import (
    DEFAULT_DEVICE_INTERVAL,
    MAX_DEVICE_INTERVAL,
    DeviceAuthorizationRequest,
    DeviceAuthorizationResponse,
    DeviceTokenRequest,
    DeviceTokenResponse,
)
from .polling import SLOW_DOWN_INCREMENT, PollingProgress, polling_flow

__all__ = [
    "MAX_DEVICE_CODE_LENGTH",
    "MAX_USER_CODE_LENGTH",
    "device_authorization_flow",
    "device_token_flow",
    "parse_device_authorization_response",
    "wait_for_device_token_flow",
]

_WHAT = "Device authorization endpoint"

MAX_DEVICE_CODE_LENGTH = 4096
"""The longest ``device_code`` accepted: it is sent back on every poll, so a server's
megabyte-long value would be a bug, not an identifier."""

MAX_USER_CODE_LENGTH = 128
"""The longest ``user_code`` accepted: a person types it (RFC 8628 §6.1 suggests about
eight characters)."""


def _present(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _unsafe_uri(value: str) -> bool:
    """True unless ``value`` is an absolute https URL, or http on a loopback host, without
    user information (``https://idp.example@evil.example/`` reads as the wrong host)."""
    parts = parse_http_url(value)
    if parts is None or parts.username is not None or parts.password is not None:
        return True
    return parts.scheme != "https" and not is_loopback_host(parts.hostname)


def _fail(body: JsonBody, code: str, message: str) -> DeviceAuthorizationResponse:
    return DeviceAuthorizationResponse.from_failure(invalid(body, code, f"{_WHAT}: {message}"))


def parse_device_authorization_response(
    outcome: Outcome | Failure | None,
) -> DeviceAuthorizationResponse:
    """Turn the HTTP outcome into a :class:`DeviceAuthorizationResponse` (RFC 8628 §3.2)."""
    if isinstance(outcome, Failure):
        return DeviceAuthorizationResponse.from_failure(outcome)
    received_at = time.time()
    body = read_json_object(outcome, what=_WHAT)
    if isinstance(body, Failure):
        return DeviceAuthorizationResponse.from_failure(body)
    data = body.data
    verification_uri = data.get("verification_uri")
    if verification_uri is None:  # the name of drafts and of some servers (Google)
        verification_uri = data.get("verification_url")
    missing = [
        name
        for name, present in (
            ("device_code", _present(data.get("device_code"))),
            ("user_code", _present(data.get("user_code"))),
            ("verification_uri", _present(verification_uri)),
            ("expires_in", data.get("expires_in") is not None),
        )
        if not present
    ]
    if missing:
        return _fail(
            body,
            ErrorCodes.MISSING_FIELDS,
            f"response lacks {', '.join(missing)} (RFC 8628 §3.2)",
        )
    device_code, user_code = data["device_code"], data["user_code"]
    if len(device_code) > MAX_DEVICE_CODE_LENGTH:
        return _fail(
            body,
            ErrorCodes.INVALID_RESPONSE,
            f"device_code is longer than {MAX_DEVICE_CODE_LENGTH} characters",
        )
    if len(user_code) > MAX_USER_CODE_LENGTH or not user_code.isprintable():
        return _fail(
            body,
            ErrorCodes.INVALID_RESPONSE,
            f"user_code must be printable and at most {MAX_USER_CODE_LENGTH} characters",
        )
    complete = data.get("verification_uri_complete")
    for name, uri in (
        ("verification_uri", verification_uri),
        ("verification_uri_complete", complete),
    ):
        if uri is None:
            continue
        if not isinstance(uri, str) or _unsafe_uri(uri):
            return _fail(
                body,
                ErrorCodes.INSECURE_VERIFICATION_URI,
                f"{name} must be an absolute https URL (http only on a loopback host) "
                "without user information, since the user is sent there (RFC 8628 §3.2, §5.4)",
            )
    expires_in = whole_seconds(data["expires_in"], low=1, high=MAX_EXPIRES_IN)
    if expires_in is None:
        return _fail(
            body,
            ErrorCodes.INVALID_NUMBER,
            f"expires_in must be a whole number of seconds from 1 to {MAX_EXPIRES_IN} "
            "(RFC 8628 §3.2)",
        )
    interval: int | None = DEFAULT_DEVICE_INTERVAL
    if data.get("interval") is not None:
        interval = whole_seconds(data["interval"], low=0, high=MAX_DEVICE_INTERVAL)
        if interval is None:
            return _fail(
                body,
                ErrorCodes.INVALID_NUMBER,
                f"interval must be a whole number of seconds from 0 to {MAX_DEVICE_INTERVAL} "
                "(RFC 8628 §3.2)",
            )
    return DeviceAuthorizationResponse(
        True,
        None,
        device_code,
        user_code,
        verification_uri,
        complete,
        expires_in,
        interval,
        expires_at=received_at + expires_in,
        **body.details,
    )


def device_authorization_flow(
    request: DeviceAuthorizationRequest,
) -> Flow[DeviceAuthorizationResponse]:
    """POST a device authorization request and check the answer (RFC 8628 §3.1, §3.2)."""
    outcome = yield from client_request_flow(request, what=_WHAT)
    return parse_device_authorization_response(outcome)


def device_token_flow(request: DeviceTokenRequest) -> Flow[DeviceTokenResponse]:
    """Poll the token endpoint once with the device code grant (RFC 8628 §3.4, §3.5).

    A pending answer carries the interval in use (``request.interval``, 5 s by default);
    a ``slow_down`` one the interval to use from now on, 5 s more.
    """
    result = yield from token_request_flow(request, DeviceTokenResponse)
    current = DEFAULT_DEVICE_INTERVAL if request.interval is None else request.interval
    if result.error_code == "authorization_pending":
        return replace(result, interval=current)
    if result.error_code == "slow_down":
        return replace(result, interval=current + SLOW_DOWN_INCREMENT)
    return result


def wait_for_device_token_flow(
    request: DeviceTokenRequest,
    *,
    interval: float = DEFAULT_DEVICE_INTERVAL,
    expires_in: float | None = None,
    timeout: float | None = None,
    on_progress: Callable[[PollingProgress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Flow[DeviceTokenResponse]:
    """Poll until the user approves or denies, the code expires or the caller gives up.

    See :func:`~py_identity_model.device.polling.polling_flow` for the rules; the result
    is the final poll's answer, or a failure with ``polling_timeout`` or
    ``polling_cancelled``.
    """

    def send() -> Flow[DeviceTokenResponse]:
        return device_token_flow(request)

    return polling_flow(
        send,
        interval=interval,
        expires_in=expires_in,
        timeout=timeout,
        on_progress=on_progress,
        cancelled=cancelled,
        clock=clock,
        response_type=DeviceTokenResponse,
    )
