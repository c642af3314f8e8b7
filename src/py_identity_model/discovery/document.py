"""The discovery operation, written once: build the request, then judge the response."""

from __future__ import annotations

from typing import Any

from ..errors import ErrorCodes
from ..exceptions import ConfigurationException
from ..http.flow import Flow
from ..http.messages import HttpRequest, Outcome
from ..http.readers import JsonBody, invalid, read_json_object
from ..http.results import Failure
from .metadata import METADATA_FIELDS, MetadataKind
from .models import DiscoveryDocumentRequest, DiscoveryDocumentResponse, DiscoveryPolicy
from .policy import discovery_url_and_authority, endpoint_violation, issuer_matches, issuer_problem

__all__ = ["discovery_flow", "parse_discovery_response", "prepare_discovery_request"]

_WHAT = "Discovery document"


def _failed(failure: Failure, **extra: Any) -> DiscoveryDocumentResponse:
    return DiscoveryDocumentResponse.from_failure(failure, **extra)


def prepare_discovery_request(
    request: DiscoveryDocumentRequest,
) -> tuple[HttpRequest, str, DiscoveryPolicy] | DiscoveryDocumentResponse:
    """The GET to send, the expected authority and the policy; or a failure before any I/O."""
    if not isinstance(request, DiscoveryDocumentRequest):
        raise ConfigurationException("disco_doc_req must be a DiscoveryDocumentRequest")
    policy = request.policy or DiscoveryPolicy()
    if not isinstance(request.address, str) or not request.address.strip():
        return _failed(Failure(ErrorCodes.INVALID_URL, "Discovery address is empty"))
    split = discovery_url_and_authority(
        request.address, request.metadata_format, policy.endpoint_policy
    )
    if isinstance(split, Failure):
        return _failed(split)
    url, authority = split
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

    def fail(code: str, message: str, **extra: Any) -> DiscoveryDocumentResponse:
        return _failed(invalid(body, code, message), **extra)

    values: dict[str, Any] = {}
    for name, kind in METADATA_FIELDS.items():
        value = data.get(name)
        if value is None:
            continue
        problem = _type_error(name, kind, value)
        if problem:
            return fail(ErrorCodes.INVALID_RESPONSE, problem)
        values[name] = value

    missing = [name for name in ("issuer",) if not values.get(name)]
    if policy.require_key_set and not values.get("jwks_uri"):
        missing.append("jwks_uri")
    if missing:
        return fail(
            ErrorCodes.MISSING_FIELDS,
            f"{_WHAT} is missing required field(s): {', '.join(missing)}",
            missing_fields=missing,
        )

    issuer: str = values["issuer"]
    problem_issuer = issuer_problem(issuer, policy.endpoint_policy)
    if problem_issuer is not None:
        return fail(problem_issuer.code, f"Issuer: {problem_issuer.error}")
    if policy.validate_issuer and not issuer_matches(issuer, authority, policy):
        return fail(
            ErrorCodes.ISSUER_MISMATCH,
            f"Issuer name does not match authority: issuer {issuer[:200]!r}, "
            f"authority {authority!r}",
        )
    violation = endpoint_violation(values, authority, policy)
    if violation is not None:
        return fail(violation.code, violation.error)

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
