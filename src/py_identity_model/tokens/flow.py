"""The token request operation, written once (RFC 6749 §3.2, §5; RFC 9449 §8).

Build the form from the grant → :func:`~py_identity_model.endpoints.request.client_post_flow`
(endpoint policy, client authentication, DPoP and its one nonce resend) → parse. Token
POSTs are never retried for any other reason: a redeemed authorization code must not be
sent twice.
"""

from __future__ import annotations

import time
from typing import TypeVar

from ..endpoints.request import client_post_flow
from ..errors import ErrorCodes
from ..exceptions import ConfigurationException
from ..http.flow import Flow
from ..http.messages import Outcome
from ..http.readers import invalid, read_json_object
from ..http.results import Failure
from ..utils.parameters import Parameters
from .models import TokenRequestOptions, TokenResponse, expires_at_from, expires_in_problem

__all__ = ["parse_token_response", "request_parameters", "token_request_flow"]

R = TypeVar("R", bound=TokenResponse)

_WHAT = "Token endpoint"
_REPEATABLE = frozenset({"resource", "audience"})


def request_parameters(request: TokenRequestOptions) -> Parameters:
    """The grant's form fields, resource indicators and the caller's extra parameters."""
    params = request.grant_parameters()
    resource = request.resource
    if isinstance(resource, str):
        params.add_optional("resource", resource)
    elif resource is not None:
        for item in resource:
            params.add_required("resource", item, allow_duplicates=True)
    if request.parameters is not None:
        # RFC 6749 §3.2: the grant's own fields must not be repeated (a second
        # ``grant_type`` or ``scope``); extension parameters may repeat as the caller says.
        own = {name for name, _ in params} - _REPEATABLE
        extra = Parameters(request.parameters)
        clash = sorted(own.intersection(name for name, _ in extra))
        if clash:
            raise ConfigurationException(f"parameters repeat the request's own field(s): {clash}")
        params.merge(extra)
    return params


def parse_token_response(outcome: Outcome | Failure | None, response_type: type[R]) -> R:
    """Turn the HTTP outcome into a typed token response."""
    if isinstance(outcome, Failure):
        return response_type.from_failure(outcome)
    received_at = time.time()
    body = read_json_object(outcome, what=_WHAT)
    if isinstance(body, Failure):
        headers = body.headers or {}
        return response_type.from_failure(body, dpop_nonce=headers.get("dpop-nonce"))
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
    return response_type(
        True,
        None,
        data,
        expires_at=expires_at_from(data, received_at),
        dpop_nonce=response.headers.get("dpop-nonce"),
        http_status=response.status,
        raw=body.raw,
        json=data,
        headers=response.headers,
    )


def token_request_flow(request: TokenRequestOptions, response_type: type[R]) -> Flow[R]:
    """POST a token request and parse the answer (one DPoP nonce resend at most)."""
    # Credentials never go to a refused URL; that is a result even when the credential
    # fields are misconfigured as well.
    refused = request.endpoint_policy.check(request.address, _WHAT)
    if refused is not None:
        return response_type.from_failure(refused)
    client = request.resolved_client()  # misuse of the credential fields raises here, before I/O
    request_parameters(request)  # ...and so does misuse of the parameters
    outcome = yield from client_post_flow(
        client,
        request.address,
        lambda: request_parameters(request),
        policy=request.endpoint_policy,
        what=_WHAT,
        headers=request.headers,
    )
    return parse_token_response(outcome, response_type)
