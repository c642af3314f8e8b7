"""The token revocation operation, written once (RFC 7009 §2).

:func:`~py_identity_model.endpoints.options.client_request_flow` (endpoint policy, client
authentication, DPoP) POSTs the form; :func:`parse_revocation_response` judges the answer.
RFC 7009 §2.2 makes the status the whole answer: 200 is success "whatever the body" (an
empty body, ``text/plain``, even invalid JSON), because the server answers 200 for a token
it does not know as well. Anything else is a failure: an OAuth error
(``unsupported_token_type``, ``invalid_client``, ...) keeps the server's code; a 503 keeps
its ``Retry-After``. A revocation is a POST and is never resent automatically.
"""

from __future__ import annotations

from dataclasses import replace

from ..endpoints.options import client_request_flow
from ..errors import ErrorCodes
from ..http.flow import Flow, parse_retry_after
from ..http.messages import Outcome, TransportFailure
from ..http.readers import http_failure
from ..http.results import Failure, failure_from_transport
from .models import TokenRevocationRequest, TokenRevocationResponse

__all__ = ["parse_revocation_response", "revocation_flow"]

_WHAT = "Revocation endpoint"
_SUCCESS = frozenset({200, 204})  # 204: a body-less 200 some servers send
_MAX_RETRY_AFTER = 24 * 3600.0


def parse_revocation_response(outcome: Outcome | Failure | None) -> TokenRevocationResponse:
    """Turn the HTTP outcome of a revocation into a response (never raises)."""
    if isinstance(outcome, Failure):
        return TokenRevocationResponse.from_failure(outcome)
    if outcome is None:  # pragma: no cover - drivers always answer a request
        return TokenRevocationResponse.from_failure(
            Failure(ErrorCodes.NETWORK_ERROR, f"{_WHAT}: no response")
        )
    if isinstance(outcome, TransportFailure):
        return TokenRevocationResponse.from_failure(failure_from_transport(outcome))
    if outcome.status in _SUCCESS:
        return TokenRevocationResponse(
            True,
            http_status=outcome.status,
            raw=outcome.body.decode("utf-8", errors="replace"),
            headers=outcome.headers,
        )
    failure = http_failure(outcome, what=_WHAT)
    retry_after = None
    if outcome.status in (429, 503):
        retry_after = parse_retry_after(outcome.headers.get("retry-after"))
        if retry_after is not None:
            retry_after = min(retry_after, _MAX_RETRY_AFTER)
            if failure.code == ErrorCodes.HTTP_ERROR:  # a server's own error stays as sent
                failure = replace(failure, error=f"{failure.error} (retry after {retry_after:g} s)")
    return TokenRevocationResponse.from_failure(failure, retry_after=retry_after)


def revocation_flow(request: TokenRevocationRequest) -> Flow[TokenRevocationResponse]:
    """POST a revocation request and judge the answer (one DPoP nonce resend at most)."""
    outcome = yield from client_request_flow(request, what=_WHAT)
    return parse_revocation_response(outcome)
