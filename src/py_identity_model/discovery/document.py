"""The discovery operation, written once: build the request, then judge the response."""

from __future__ import annotations

from typing import Any

from ..http.flow import Flow
from ..http.messages import HttpRequest, Outcome
from ..http.results import ErrorType, Failure, JsonBody, read_json_object
from ..http.url_policy import check_url
from .metadata import METADATA_FIELDS, MetadataKind
from .models import (
    DiscoveryDocumentRequest,
    DiscoveryDocumentResponse,
    DiscoveryErrorKind,
    DiscoveryPolicy,
)
from .policy import discovery_url_and_authority, endpoint_violation, issuer_matches

__all__ = ["discovery_flow", "parse_discovery_response", "prepare_discovery_request"]

_WHAT = "Discovery document"

_ERROR_KINDS = {
    ErrorType.NETWORK: DiscoveryErrorKind.NETWORK,
    ErrorType.HTTP: DiscoveryErrorKind.HTTP,
    ErrorType.PROTOCOL: DiscoveryErrorKind.PROTOCOL,
    ErrorType.INVALID_RESPONSE: DiscoveryErrorKind.INVALID_RESPONSE,
    ErrorType.POLICY: DiscoveryErrorKind.POLICY,
}


def _failed(
    failure: Failure, kind: DiscoveryErrorKind | None = None, **extra: Any
) -> DiscoveryDocumentResponse:
    return DiscoveryDocumentResponse.from_failure(
        failure,
        error_kind=kind or _ERROR_KINDS[failure.error_type],
        status_code=failure.http_status,
        **extra,
    )


def prepare_discovery_request(
    request: DiscoveryDocumentRequest,
) -> tuple[HttpRequest, str, DiscoveryPolicy] | DiscoveryDocumentResponse:
    """The GET to send, the expected authority and the policy; or a failure before any I/O."""
    policy = request.policy or DiscoveryPolicy()
    if not isinstance(request.address, str) or not request.address.strip():
        return _failed(Failure("Discovery address is empty", ErrorType.POLICY))
    url, authority = discovery_url_and_authority(request.address, request.metadata_format)
    problem = check_url(
        url,
        require_https=policy.require_https,
        allow_http_on_loopback=policy.allow_http_on_loopback,
    )
    if problem:
        return _failed(Failure(problem, ErrorType.POLICY))
    return HttpRequest.get(url), policy.authority or authority, policy


def _type_error(name: str, kind: MetadataKind, value: Any) -> str | None:
    if kind in ("url", "str"):
        ok = isinstance(value, str)
    elif kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "strings":
        ok = isinstance(value, list) and all(isinstance(item, str) for item in value)
    else:  # aliases
        ok = isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    if ok:
        return None
    expected = {
        "url": "a string",
        "str": "a string",
        "bool": "a boolean",
        "strings": "an array of strings",
        "aliases": "an object of strings",
    }[kind]
    return f"{_WHAT}: {name!r} must be {expected}"


def parse_discovery_response(
    outcome: Outcome | None, authority: str, policy: DiscoveryPolicy
) -> DiscoveryDocumentResponse:
    """Turn the HTTP outcome into a typed, policy-checked discovery response."""
    body = read_json_object(outcome, what=_WHAT)
    if isinstance(body, Failure):
        return _failed(body)
    return _validate_document(body, authority, policy)


def _validate_document(
    body: JsonBody, authority: str, policy: DiscoveryPolicy
) -> DiscoveryDocumentResponse:
    data = body.data

    def fail(
        message: str, error_type: ErrorType, kind: DiscoveryErrorKind, **extra: Any
    ) -> DiscoveryDocumentResponse:
        failure = Failure(
            message,
            error_type,
            http_status=body.response.status,
            raw=body.raw,
            json=data,
            headers=body.response.headers,
        )
        return _failed(failure, kind, **extra)

    values: dict[str, Any] = {}
    for name, kind in METADATA_FIELDS.items():
        value = data.get(name)
        if value is None:
            continue
        problem = _type_error(name, kind, value)
        if problem:
            return fail(problem, ErrorType.INVALID_RESPONSE, DiscoveryErrorKind.INVALID_RESPONSE)
        values[name] = value

    missing = [name for name in ("issuer",) if not values.get(name)]
    if policy.require_key_set and not values.get("jwks_uri"):
        missing.append("jwks_uri")
    if missing:
        return fail(
            f"{_WHAT} is missing required field(s): {', '.join(missing)}",
            ErrorType.INVALID_RESPONSE,
            DiscoveryErrorKind.MISSING_FIELDS,
            missing_fields=missing,
        )

    issuer: str = values["issuer"]
    problem = check_url(
        issuer,
        require_https=policy.require_https,
        allow_http_on_loopback=policy.allow_http_on_loopback,
    )
    if problem:
        return fail(f"Issuer: {problem}", ErrorType.POLICY, DiscoveryErrorKind.POLICY)
    if policy.validate_issuer and not issuer_matches(issuer, authority, policy):
        return fail(
            f"Issuer name does not match authority: issuer {issuer!r}, authority {authority!r}",
            ErrorType.POLICY,
            DiscoveryErrorKind.ISSUER_MISMATCH,
        )
    violation = endpoint_violation(values, authority, policy)
    if violation:
        return fail(violation, ErrorType.POLICY, DiscoveryErrorKind.ENDPOINT_POLICY)

    return DiscoveryDocumentResponse(
        True,
        None,
        **values,
        http_status=body.response.status,
        raw=body.raw,
        json=data,
        headers=body.response.headers,
    )


def discovery_flow(request: DiscoveryDocumentRequest) -> Flow[DiscoveryDocumentResponse]:
    """Fetch and validate a discovery document (one GET)."""
    prepared = prepare_discovery_request(request)
    if isinstance(prepared, DiscoveryDocumentResponse):
        return prepared
    http_request, authority, policy = prepared
    outcome = yield http_request
    return parse_discovery_response(outcome, authority, policy)
