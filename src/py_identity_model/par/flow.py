"""The pushed authorization request operation, written once (RFC 9126 §2).

:func:`~py_identity_model.endpoints.options.client_request_flow` (endpoint policy, client
authentication, DPoP with its one nonce resend) POSTs the authorization parameters;
:func:`parse_pushed_authorization_response` judges the answer:

* ``201 Created`` is the status RFC 9126 §2.2 prescribes; ``200 OK`` is accepted as well
  (some servers answer it, and the body is checked just as strictly); anything else is a
  failure, with the server's OAuth error when it sent one;
* the body must be a JSON object (``application/json``) with ``request_uri`` (a URN of
  printable ASCII, at most :data:`~py_identity_model.par.models.MAX_REQUEST_URI_LENGTH`
  characters) and ``expires_in`` (whole seconds from 1 to
  :data:`~py_identity_model.par.models.MAX_PAR_EXPIRES_IN`).

A push is a POST and is never resent, except for one DPoP nonce challenge.
"""

from __future__ import annotations

import time
from typing import Any

from ..endpoints.options import client_request_flow
from ..errors import ErrorCodes
from ..exceptions import ConfigurationException, PyIdentityModelException
from ..http.flow import Flow
from ..http.messages import Outcome
from ..http.readers import JsonBody, invalid, read_json_object
from ..http.results import Failure
from ..jose.jws import parse_compact
from ..utils.numbers import whole_seconds
from .models import (
    MAX_PAR_EXPIRES_IN,
    PushedAuthorizationRequest,
    PushedAuthorizationResponse,
    request_uri_problem,
)

__all__ = ["parse_pushed_authorization_response", "pushed_authorization_flow"]

_WHAT = "Pushed authorization request endpoint"
_SUCCESS = frozenset({200, 201})


def _fail(body: JsonBody, code: str, message: str) -> PushedAuthorizationResponse:
    return PushedAuthorizationResponse.from_failure(invalid(body, code, f"{_WHAT}: {message}"))


def parse_pushed_authorization_response(
    outcome: Outcome | Failure | None,
) -> PushedAuthorizationResponse:
    """Turn the HTTP outcome into a :class:`PushedAuthorizationResponse` (never raises)."""
    if isinstance(outcome, Failure):
        return PushedAuthorizationResponse.from_failure(outcome)
    received_at = time.time()
    body = read_json_object(outcome, what=_WHAT, success_statuses=_SUCCESS)
    if isinstance(body, Failure):
        return PushedAuthorizationResponse.from_failure(body)
    data = body.data
    missing = [name for name in ("request_uri", "expires_in") if data.get(name) is None]
    if missing:
        return _fail(
            body, ErrorCodes.MISSING_FIELDS, f"response lacks {', '.join(missing)} (RFC 9126 §2.2)"
        )
    problem = request_uri_problem(data["request_uri"])
    if problem is not None:
        return _fail(body, ErrorCodes.MALFORMED_REQUEST_URI, problem)
    expires_in = whole_seconds(data["expires_in"], low=1, high=MAX_PAR_EXPIRES_IN)
    if expires_in is None:
        return _fail(
            body,
            ErrorCodes.INVALID_NUMBER,
            f"expires_in must be a whole number of seconds from 1 to {MAX_PAR_EXPIRES_IN} "
            "(RFC 9126 §2.2)",
        )
    response = body.response
    return PushedAuthorizationResponse(
        True,
        None,
        data["request_uri"],
        expires_in,
        expires_at=received_at + expires_in,
        http_status=response.status,
        raw=body.raw,
        json=data,
        headers=response.headers,
    )


def _pushed_parameters(request: PushedAuthorizationRequest) -> dict[str, Any] | None:
    """The authorization parameters a push carries, for a security profile to check: the
    request's own, or a signed request object's claims (with ``request`` itself). None for
    an encrypted object, which only the server can read: whoever made it checks it first
    (``OidcClient`` checks the parameters before it signs them)."""
    if request.request is None:
        return dict(request.authorize_request().to_parameters().to_dict())
    if not isinstance(request.request, str) or request.request.count(".") != 2:
        return None
    try:
        claims = parse_compact(request.request).claims or {}
    except PyIdentityModelException:
        return None  # not a request object at all: the push refuses it as misuse
    return {**claims, "request": request.request}


def pushed_authorization_flow(
    request: PushedAuthorizationRequest,
) -> Flow[PushedAuthorizationResponse]:
    """POST a pushed authorization request and check the answer (RFC 9126 §2.1, §2.2).

    Misuse (contradictory credentials, parameters, a request object beside parameters it
    must carry alone) raises ConfigurationException before any I/O.
    """
    if not isinstance(request, PushedAuthorizationRequest):
        raise ConfigurationException("request must be a PushedAuthorizationRequest")
    profile = request.resolved_client().profile
    if profile is not None:  # e.g. FAPI 2.0: refused before anything is sent
        pushed = _pushed_parameters(request)
        if pushed is not None:
            profile.check_authorization_request(pushed, pushed=True)
    outcome = yield from client_request_flow(request, what=_WHAT)
    return parse_pushed_authorization_response(outcome)
