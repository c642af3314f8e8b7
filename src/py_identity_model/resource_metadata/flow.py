"""The protected-resource flows, written once for both shells.

* :func:`protected_resource_metadata_flow`: one anonymous GET of the metadata (RFC 9728
  §3), then every member type-checked, the URLs held to the endpoint policy, and the
  ``resource`` compared with the one asked for (§3.3).
* :func:`authorization_server_discovery_flow`: from a protected URL to the discovery
  document of its authorization server: read (or probe for) the 401's challenge, fetch
  the metadata it names (or the well-known one), choose a listed server, and run the
  existing discovery flow on it. One generator: the sync and async shells only drive it.
"""

from __future__ import annotations

from typing import Any

from ..discovery.document import discovery_flow
from ..discovery.models import DiscoveryDocumentRequest
from ..discovery.policy import issuer_problem
from ..errors import ErrorCodes
from ..exceptions import ConfigurationException
from ..http.challenges import Challenge, parse_www_authenticate
from ..http.flow import Flow
from ..http.messages import HttpRequest, Outcome, TransportFailure
from ..http.readers import JsonBody, invalid, read_json_object
from ..http.results import Failure, failure_from_transport
from ..utils.urls import normalize_url
from .models import (
    AuthorizationServerDiscoveryRequest,
    AuthorizationServerDiscoveryResponse,
    ProtectedResourceMetadataRequest,
    ProtectedResourceMetadataResponse,
    protected_resource_metadata_url,
)

__all__ = [
    "authorization_server_discovery_flow",
    "parse_protected_resource_metadata",
    "prepare_protected_resource_metadata_request",
    "protected_resource_metadata_flow",
    "resource_matches",
]

_WHAT = "Protected resource metadata"
_MAX_ITEMS = 1024  # members of one array: beyond it the document is not metadata

_STRING_MEMBERS = (
    "resource",
    "jwks_uri",
    "resource_name",
    "resource_documentation",
    "resource_policy_uri",
    "resource_tos_uri",
    "signed_metadata",
)
_STRINGS_MEMBERS = (
    "authorization_servers",
    "scopes_supported",
    "bearer_methods_supported",
    "resource_signing_alg_values_supported",
    "authorization_details_types_supported",
    "dpop_signing_alg_values_supported",
)
_BOOL_MEMBERS = ("tls_client_certificate_bound_access_tokens", "dpop_bound_access_tokens_required")

MetadataRequest = ProtectedResourceMetadataRequest | str


def _as_request(request: MetadataRequest) -> ProtectedResourceMetadataRequest:
    if isinstance(request, str):
        return ProtectedResourceMetadataRequest(request)
    if not isinstance(request, ProtectedResourceMetadataRequest):
        raise ConfigurationException(
            "request must be a ProtectedResourceMetadataRequest or a resource URL string"
        )
    return request


def prepare_protected_resource_metadata_request(
    request: MetadataRequest,
) -> tuple[HttpRequest, ProtectedResourceMetadataRequest] | ProtectedResourceMetadataResponse:
    """The GET to send (and the request it answers), or a failure before any I/O."""
    request = _as_request(request)
    policy = request.endpoint_policy
    refused = policy.check(request.resource, "Protected resource")
    if refused is not None:
        return ProtectedResourceMetadataResponse.from_failure(refused)
    url = request.metadata_url
    if url is None:
        url = protected_resource_metadata_url(request.resource)
    refused = policy.check(url, f"{_WHAT} URL")
    if refused is not None:
        return ProtectedResourceMetadataResponse.from_failure(refused)
    return HttpRequest.get(url, headers=request.headers), request


def resource_matches(document_resource: str, expected: str, *, allow_prefix: bool = False) -> bool:
    """Whether a document's ``resource`` fits the resource the client asked about.

    RFC 9728 §3.3: identical strings. With ``allow_prefix`` (draft-mcguinness-oauth-
    rfc9728bis) also: the same origin, and the document's path is ``expected``'s or a
    path-segment prefix of it, compared on RFC 3986 normal forms; a query in the
    document's resource must then be ``expected``'s.
    """
    if document_resource == expected:
        return True
    if not allow_prefix:
        return False
    declared, asked = normalize_url(document_resource), normalize_url(expected)
    if declared is None or asked is None:
        return False
    if declared.query and declared.query != asked.query:
        return False
    return asked.is_under(declared)


def _type_problem(name: str, value: Any) -> str | None:
    if name in _STRING_MEMBERS:
        return None if isinstance(value, str) else f"{_WHAT}: {name!r} must be a string"
    if name in _BOOL_MEMBERS:
        return None if isinstance(value, bool) else f"{_WHAT}: {name!r} must be a boolean"
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return f"{_WHAT}: {name!r} must be an array of strings"
    if len(value) > _MAX_ITEMS:
        return f"{_WHAT}: {name!r} has {len(value)} members (at most {_MAX_ITEMS})"
    return None


def parse_protected_resource_metadata(
    outcome: Outcome | None, request: MetadataRequest, metadata_url: str | None = None
) -> ProtectedResourceMetadataResponse:
    """Turn the HTTP outcome into typed, checked metadata (or a failed response)."""
    request = _as_request(request)
    body = read_json_object(outcome, what=_WHAT)
    if isinstance(body, Failure):
        return ProtectedResourceMetadataResponse.from_failure(body)
    return _validate(body, request, metadata_url)


def _validate(
    body: JsonBody, request: ProtectedResourceMetadataRequest, metadata_url: str | None
) -> ProtectedResourceMetadataResponse:
    data = body.data

    def fail(code: str, message: str, **extra: Any) -> ProtectedResourceMetadataResponse:
        return ProtectedResourceMetadataResponse.from_failure(invalid(body, code, message), **extra)

    values: dict[str, Any] = {}
    for name in (*_STRING_MEMBERS, *_STRINGS_MEMBERS, *_BOOL_MEMBERS):
        value = data.get(name)
        if value is None:
            continue
        problem = _type_problem(name, value)
        if problem is not None:
            return fail(ErrorCodes.INVALID_RESPONSE, problem)
        values[name] = value

    if not values.get("resource"):
        return fail(
            ErrorCodes.MISSING_FIELDS,
            f"{_WHAT} is missing required field(s): resource",
            missing_fields=["resource"],
        )
    resource: str = values["resource"]
    if not resource_matches(resource, request.resource, allow_prefix=request.allow_resource_prefix):
        return fail(
            ErrorCodes.RESOURCE_MISMATCH,
            f"{_WHAT} is for resource {resource[:200]!r}, not {request.resource[:200]!r} "
            "(RFC 9728 §3.3: its data must not be used)",
        )

    policy = request.endpoint_policy
    for issuer in values.get("authorization_servers", []):
        refused_issuer = issuer_problem(issuer, policy)
        if refused_issuer is not None:
            return fail(
                refused_issuer.code, f"{_WHAT}: authorization server: {refused_issuer.error}"
            )
    if "jwks_uri" in values:
        refused = policy.check(values["jwks_uri"], f"{_WHAT}: jwks_uri")
        if refused is not None:
            return fail(refused.code, refused.error)

    return ProtectedResourceMetadataResponse(
        True,
        None,
        **values,
        metadata=data,
        metadata_url=metadata_url or body.response.url or None,
        **body.details,
    )


def protected_resource_metadata_flow(
    request: MetadataRequest,
) -> Flow[ProtectedResourceMetadataResponse]:
    """Fetch and check a resource's metadata (one GET, no credentials)."""
    prepared = prepare_protected_resource_metadata_request(request)
    if isinstance(prepared, ProtectedResourceMetadataResponse):
        return prepared
    http_request, checked = prepared
    outcome = yield http_request
    return parse_protected_resource_metadata(outcome, checked, http_request.url)


# ------------------------------------------------------------- from a 401 to the server


def _as_discovery_request(
    request: AuthorizationServerDiscoveryRequest | str,
) -> AuthorizationServerDiscoveryRequest:
    if isinstance(request, str):
        return AuthorizationServerDiscoveryRequest(request)
    if not isinstance(request, AuthorizationServerDiscoveryRequest):
        raise ConfigurationException(
            "request must be an AuthorizationServerDiscoveryRequest or a resource URL string"
        )
    return request


def _metadata_url(challenges: tuple[Challenge, ...]) -> str | None:
    for challenge in challenges:
        if challenge.resource_metadata:
            return challenge.resource_metadata
    return None


def _choose_server(listed: list[str], wanted: str | None) -> str | Failure:
    if wanted is not None:
        if wanted in listed:
            return wanted
        return Failure(
            ErrorCodes.AUTHORIZATION_SERVER_NOT_LISTED,
            f"Authorization server {wanted[:200]!r} is not listed by the protected resource "
            f"(it lists {', '.join(repr(s[:200]) for s in listed[:5]) or 'none'})",
        )
    if not listed:
        return Failure(
            ErrorCodes.NO_AUTHORIZATION_SERVER,
            f"{_WHAT} lists no authorization server (authorization_servers is absent or empty)",
        )
    return listed[0]


def authorization_server_discovery_flow(
    request: AuthorizationServerDiscoveryRequest | str,
) -> Flow[AuthorizationServerDiscoveryResponse]:
    """Protected URL → challenge → resource metadata → authorization server's discovery."""
    request = _as_discovery_request(request)
    response = AuthorizationServerDiscoveryResponse

    refused = request.endpoint_policy.check(request.resource_url, "Protected resource")
    if refused is not None:
        return response.from_failure(refused)

    challenges: tuple[Challenge, ...] = ()
    if request.response_headers is not None:
        challenges = parse_www_authenticate(request.response_headers)
    elif request.probe:
        # Anonymous: no credentials go to a resource whose protector we do not know yet.
        outcome = yield HttpRequest.get(request.resource_url)
        if outcome is None:  # pragma: no cover - drivers always answer a request
            return response.from_failure(
                Failure(ErrorCodes.NETWORK_ERROR, "Protected resource: no response")
            )
        if isinstance(outcome, TransportFailure):
            return response.from_failure(failure_from_transport(outcome))
        challenges = parse_www_authenticate(outcome.headers)

    metadata = yield from protected_resource_metadata_flow(
        ProtectedResourceMetadataRequest(
            request.resource_url,
            metadata_url=_metadata_url(challenges),
            policy=request.policy,
            allow_resource_prefix=request.allow_resource_prefix,
        )
    )
    if not metadata.is_successful:
        return response.from_failure(
            metadata.to_failure(), challenges=challenges, resource_metadata=metadata
        )

    chosen = _choose_server(metadata.authorization_servers or [], request.authorization_server)
    if isinstance(chosen, Failure):
        return response.from_failure(chosen, challenges=challenges, resource_metadata=metadata)

    discovery = yield from discovery_flow(
        DiscoveryDocumentRequest(
            chosen, request.discovery_policy, metadata_format=request.metadata_format
        )
    )
    found: dict[str, Any] = {
        "authorization_server": chosen,
        "resource_metadata": metadata,
        "discovery_document": discovery,
        "challenges": challenges,
    }
    if not discovery.is_successful:
        return response.from_failure(discovery.to_failure(), **found)
    return response(
        True,
        None,
        **found,
        http_status=discovery.http_status,
        headers=discovery.headers,
    )
