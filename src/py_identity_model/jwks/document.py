"""The JWKS operation, written once: build the GET, then parse and vet the key set."""

from __future__ import annotations

from ..discovery.models import DiscoveryPolicy
from ..http.flow import Flow
from ..http.messages import HttpRequest, Outcome
from ..http.results import ErrorType, Failure, read_json_object
from ..http.url_policy import check_url
from ..jose import JsonWebKeySet
from .models import JwksRequest, JwksResponse

__all__ = ["jwks_flow", "parse_jwks_response", "prepare_jwks_request"]

_WHAT = "JWKS"
_ACCEPT = "application/jwk-set+json, application/json"


def prepare_jwks_request(request: JwksRequest) -> HttpRequest | JwksResponse:
    """The GET to send, or a failure before any I/O (bad or insecure address)."""
    policy = request.policy or DiscoveryPolicy()
    if not isinstance(request.address, str) or not request.address.strip():
        return JwksResponse.from_failure(Failure("JWKS address is empty", ErrorType.POLICY))
    problem = check_url(
        request.address.strip(),
        require_https=policy.require_https,
        allow_http_on_loopback=policy.allow_http_on_loopback,
    )
    if problem:
        return JwksResponse.from_failure(Failure(problem, ErrorType.POLICY))
    return HttpRequest.get(request.address.strip(), accept=_ACCEPT)


def parse_jwks_response(outcome: Outcome | None) -> JwksResponse:
    """Turn the HTTP outcome into a key set. Invalid keys are skipped, never fatal."""
    body = read_json_object(
        outcome, what=_WHAT, content_types=("application/json", "application/jwk-set+json")
    )
    if isinstance(body, Failure):
        return JwksResponse.from_failure(body)
    response = body.response
    keys = body.data.get("keys")
    if not isinstance(keys, list):
        return JwksResponse.from_failure(
            Failure(
                "JWKS: 'keys' must be an array",
                ErrorType.INVALID_RESPONSE,
                http_status=response.status,
                raw=body.raw,
                json=body.data,
                headers=response.headers,
            )
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
