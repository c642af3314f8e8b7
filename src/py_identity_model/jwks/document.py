"""The JWKS operation, written once: build the GET, then parse and vet the key set."""

from __future__ import annotations

from ..endpoints.policy import endpoint_policy_of
from ..errors import ErrorCodes
from ..http.flow import Flow
from ..http.messages import HttpRequest, Outcome
from ..http.readers import invalid, read_json_object
from ..http.results import Failure
from ..jose import JsonWebKeySet
from .models import JwksRequest, JwksResponse

__all__ = ["jwks_flow", "parse_jwks_response", "prepare_jwks_request"]

_WHAT = "JWKS"
_ACCEPT = "application/jwk-set+json, application/json"


def prepare_jwks_request(request: JwksRequest) -> HttpRequest | JwksResponse:
    """The GET to send, or a failure before any I/O (bad or insecure address)."""
    policy = endpoint_policy_of(request.policy)
    address = request.address.strip() if isinstance(request.address, str) else request.address
    refused = policy.check(address, _WHAT)
    if refused is not None:
        return JwksResponse.from_failure(refused)
    assert isinstance(address, str)
    return HttpRequest.get(address, accept=_ACCEPT)


def parse_jwks_response(outcome: Outcome | None) -> JwksResponse:
    """Turn the HTTP outcome into a key set. Invalid keys are skipped, never fatal."""
    body = read_json_object(outcome, what=_WHAT, content_types=("application/json",))
    if isinstance(body, Failure):
        return JwksResponse.from_failure(body)
    response = body.response
    if not isinstance(body.data.get("keys"), list):
        return JwksResponse.from_failure(
            invalid(body, ErrorCodes.INVALID_RESPONSE, "JWKS: 'keys' must be an array")
        )
    key_set = JsonWebKeySet.from_dict(body.data)
    return JwksResponse(
        True,
        None,
        list(key_set),
        response.headers.get("cache-control"),
        skipped_keys=[
            f"keys[{skipped.index}] (kid={skipped.kid!r}): {skipped.reason}"
            for skipped in key_set.skipped
        ],
        http_status=response.status,
        raw=body.raw,
        json=body.data,
        headers=response.headers,
    )


def jwks_flow(request: JwksRequest) -> Flow[JwksResponse]:
    """Fetch a JWKS (one GET)."""
    prepared = prepare_jwks_request(request)
    if isinstance(prepared, JwksResponse):
        return prepared
    outcome = yield prepared
    return parse_jwks_response(outcome)
