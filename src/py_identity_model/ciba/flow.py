"""The CIBA operations, written once (CIBA Core 1.0 §7, §10, §11; poll mode).

* :func:`backchannel_authentication_flow`: POST the authentication request to the
  ``backchannel_authentication_endpoint`` as the client
  (:func:`~py_identity_model.endpoints.options.client_request_flow`: endpoint policy, client
  authentication, DPoP) and check the answer: ``auth_req_id`` and ``expires_in`` are
  required, ``interval`` defaults to 5 seconds, and every number is bounded before anyone
  computes a deadline or a sleep from it.
* :func:`backchannel_token_flow`: one poll of the token endpoint with the CIBA grant; the
  answer is parsed as any token response, so ``authorization_pending``, ``slow_down``,
  ``access_denied`` and ``expired_token`` arrive as the server's ``error_code``.
* :func:`wait_for_backchannel_token_flow`: poll until there is an answer, on the device
  flow's polling core (the same rules for ``slow_down``, deadlines and cancelling).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ..device.polling import PollingProgress, polling_flow
from ..endpoints.options import client_request_flow
from ..errors import ErrorCodes
from ..http.flow import Flow
from ..http.messages import Outcome
from ..http.readers import invalid, read_json_object
from ..http.results import Failure
from ..tokens.flow import token_request_flow
from ..tokens.models import MAX_EXPIRES_IN
from ..utils.numbers import whole_seconds
from .models import (
    DEFAULT_CIBA_INTERVAL,
    MAX_CIBA_INTERVAL,
    BackchannelAuthenticationRequest,
    BackchannelAuthenticationResponse,
    BackchannelTokenRequest,
    BackchannelTokenResponse,
)

__all__ = [
    "MAX_AUTH_REQ_ID_LENGTH",
    "backchannel_authentication_flow",
    "backchannel_token_flow",
    "parse_backchannel_authentication_response",
    "wait_for_backchannel_token_flow",
]

_WHAT = "Backchannel authentication endpoint"

MAX_AUTH_REQ_ID_LENGTH = 4096
"""The longest ``auth_req_id`` accepted: it is sent back on every poll, so a server's
megabyte-long value would be a bug, not an identifier."""


def parse_backchannel_authentication_response(
    outcome: Outcome | Failure | None,
) -> BackchannelAuthenticationResponse:
    """Turn the HTTP outcome into a :class:`BackchannelAuthenticationResponse`."""
    if isinstance(outcome, Failure):
        return BackchannelAuthenticationResponse.from_failure(outcome)
    received_at = time.time()
    body = read_json_object(outcome, what=_WHAT)
    if isinstance(body, Failure):
        return BackchannelAuthenticationResponse.from_failure(body)
    data = body.data
    auth_req_id = data.get("auth_req_id")
    missing = [
        name
        for name, present in (
            ("auth_req_id", isinstance(auth_req_id, str) and auth_req_id.strip() != ""),
            ("expires_in", data.get("expires_in") is not None),
        )
        if not present
    ]
    if missing:
        message = f"{_WHAT}: response lacks {' and '.join(missing)} (CIBA Core 1.0 §7.3)"
        return BackchannelAuthenticationResponse.from_failure(
            invalid(body, ErrorCodes.MISSING_FIELDS, message)
        )
    assert isinstance(auth_req_id, str)
    if len(auth_req_id) > MAX_AUTH_REQ_ID_LENGTH:
        message = f"{_WHAT}: auth_req_id is longer than {MAX_AUTH_REQ_ID_LENGTH} characters"
        return BackchannelAuthenticationResponse.from_failure(
            invalid(body, ErrorCodes.INVALID_RESPONSE, message)
        )
    expires_in = whole_seconds(data["expires_in"], low=1, high=MAX_EXPIRES_IN)
    if expires_in is None:
        message = (
            f"{_WHAT}: expires_in must be a whole number of seconds from 1 to "
            f"{MAX_EXPIRES_IN} (CIBA Core 1.0 §7.3)"
        )
        return BackchannelAuthenticationResponse.from_failure(
            invalid(body, ErrorCodes.INVALID_NUMBER, message)
        )
    interval: int | None = DEFAULT_CIBA_INTERVAL
    if data.get("interval") is not None:
        interval = whole_seconds(data["interval"], low=1, high=MAX_CIBA_INTERVAL)
        if interval is None:
            message = (
                f"{_WHAT}: interval must be a whole number of seconds from 1 to "
                f"{MAX_CIBA_INTERVAL} (CIBA Core 1.0 §7.3)"
            )
            return BackchannelAuthenticationResponse.from_failure(
                invalid(body, ErrorCodes.INVALID_NUMBER, message)
            )
    return BackchannelAuthenticationResponse(
        True,
        None,
        auth_req_id,
        expires_in,
        interval,
        expires_at=received_at + expires_in,
        **body.details,
    )


def backchannel_authentication_flow(
    request: BackchannelAuthenticationRequest,
) -> Flow[BackchannelAuthenticationResponse]:
    """POST a backchannel authentication request and check the answer (§7.1, §7.3)."""
    outcome = yield from client_request_flow(request, what=_WHAT)
    return parse_backchannel_authentication_response(outcome)


def backchannel_token_flow(request: BackchannelTokenRequest) -> Flow[BackchannelTokenResponse]:
    """Poll the token endpoint once with the CIBA grant (§10.1, §11)."""
    return (yield from token_request_flow(request, BackchannelTokenResponse))


def wait_for_backchannel_token_flow(
    request: BackchannelTokenRequest,
    *,
    interval: float = DEFAULT_CIBA_INTERVAL,
    expires_in: float | None = None,
    timeout: float | None = None,
    on_progress: Callable[[PollingProgress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Flow[BackchannelTokenResponse]:
    """Poll until the user approves or denies on their device, the request expires or the
    caller gives up (§7.3: the interval; §11: ``slow_down`` adds 5 seconds).

    The device flow's polling core decides: the result is the final poll's answer, or a
    failure with ``polling_timeout`` (the earlier of ``expires_in`` and ``timeout``) or
    ``polling_cancelled``.
    """

    def send() -> Flow[BackchannelTokenResponse]:
        return backchannel_token_flow(request)

    return polling_flow(
        send,
        interval=interval,
        expires_in=expires_in,
        timeout=timeout,
        on_progress=on_progress,
        cancelled=cancelled,
        clock=clock,
        response_type=BackchannelTokenResponse,
    )
