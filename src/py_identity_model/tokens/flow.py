"""The token request operation, written once (RFC 6749 §3.2, §5; RFC 9449 §8).

Build the form from the grant → :func:`~py_identity_model.endpoints.request.client_post_flow`
(endpoint policy, client authentication, DPoP and its one nonce resend) → parse. Token
POSTs are never retried for any other reason: a redeemed authorization code must not be
sent twice.
"""

from __future__ import annotations

import time
from typing import TypeVar

from ..dpop.nonces import extract_dpop_nonce
from ..endpoints.options import client_request_flow
from ..errors import ErrorCodes
from ..http.flow import Flow
from ..http.messages import Outcome
from ..http.readers import invalid, read_json_object
from ..http.results import Failure
from ..rar.details import authorization_details_problem
from ..utils.parameters import Parameters
from .models import (
    TokenExchangeRequest,
    TokenExchangeResponse,
    TokenRequestOptions,
    TokenResponse,
    expires_at_from,
    expires_in_problem,
)

__all__ = [
    "parse_token_response",
    "request_parameters",
    "token_exchange_flow",
    "token_request_flow",
]

R = TypeVar("R", bound=TokenResponse)

_WHAT = "Token endpoint"


def request_parameters(request: TokenRequestOptions) -> Parameters:
    """The grant's form fields, resource indicators and the caller's extra parameters."""
    return request.form_parameters()


def parse_token_response(outcome: Outcome | Failure | None, response_type: type[R]) -> R:
    """Turn the HTTP outcome into a typed token response."""
    if isinstance(outcome, Failure):
        return response_type.from_failure(outcome)
    received_at = time.time()
    body = read_json_object(outcome, what=_WHAT)
    if isinstance(body, Failure):
        headers = body.headers or {}
        return response_type.from_failure(body, dpop_nonce=extract_dpop_nonce(headers))
    data, response = body.data, body.response
    problems = [
        name
        for name in ("access_token", "token_type")
        if not isinstance(data.get(name), str) or not data[name]
    ]
    if problems:
        message = f"{_WHAT}: response lacks {' and '.join(problems)} (RFC 6749 §5.1)"
        return response_type.from_failure(invalid(body, ErrorCodes.MISSING_FIELDS, message))
    number = expires_in_problem(data)
    if number is not None:
        return response_type.from_failure(
            invalid(body, ErrorCodes.INVALID_NUMBER, f"{_WHAT}: {number}")
        )
    if "authorization_details" in data:  # RFC 9396 §7: checked here, read as a property
        details = authorization_details_problem(data["authorization_details"])
        if details is not None:
            return response_type.from_failure(
                invalid(body, ErrorCodes.MALFORMED_AUTHORIZATION_DETAILS, f"{_WHAT}: {details}")
            )
    return response_type(
        True,
        None,
        data,
        expires_at=expires_at_from(data, received_at),
        dpop_nonce=extract_dpop_nonce(response.headers),
        **body.details,
    )


def token_request_flow(request: TokenRequestOptions, response_type: type[R]) -> Flow[R]:
    """POST a token request and parse the answer (one DPoP nonce resend at most)."""
    outcome = yield from client_request_flow(request, what=_WHAT)
    return parse_token_response(outcome, response_type)


def token_exchange_flow(request: TokenExchangeRequest) -> Flow[TokenExchangeResponse]:
    """Token exchange (RFC 8693): a token request whose answer must say what it issued."""
    response = yield from token_request_flow(request, TokenExchangeResponse)
    if not response.is_successful:
        return response
    issued = (response.token or {}).get("issued_token_type")
    if not isinstance(issued, str) or not issued:
        failure = Failure(
            ErrorCodes.MISSING_FIELDS,
            f"{_WHAT}: a token exchange response lacks issued_token_type (RFC 8693 §2.2.1)",
            http_status=response.http_status,
            raw=response.raw,
            json=response.json,
            headers=response.headers,
        )
        return TokenExchangeResponse.from_failure(failure)
    response.issued_token_type = issued
    return response
