"""The registration operations, written once (RFC 7591 §3, RFC 7592 §2).

Each flow checks its address against the endpoint policy before any token is attached
(no bearer token ever goes to a refused URL), sends one request built with
:class:`~py_identity_model.http.messages.HttpRequest` and judges the answer:

* register: POST JSON, 201 Created (200 accepted too); read: GET; update: PUT JSON;
  all three answer a client information response (:func:`parse_client_information`);
* delete: DELETE, 204 No Content (200 accepted too).

A client information response must carry a ``client_id``; a ``client_secret`` needs its
``client_secret_expires_at`` (RFC 7591 §3.2.1 REQUIRED); the timestamps must be whole,
non-negative numbers of seconds before year 10000; a ``registration_client_uri`` must pass
the endpoint policy, because the registration access token is sent there later. A 401/403
without an OAuth error body takes its code from the ``WWW-Authenticate: Bearer`` challenge
(``invalid_token``, RFC 6750 §3.1), when there is one.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..errors import ErrorCodes, ErrorType
from ..exceptions import ConfigurationException
from ..http.challenges import find_challenge
from ..http.flow import Flow
from ..http.messages import HttpRequest, Outcome, TransportFailure
from ..http.readers import JsonBody, http_failure, invalid, read_json_object
from ..http.results import Failure, failure_from_transport
from .models import (
    ClientDeleteRequest,
    ClientDeleteResponse,
    ClientReadRequest,
    ClientRegistrationRequest,
    ClientRegistrationResponse,
    ClientUpdateRequest,
)

__all__ = [
    "delete_client_flow",
    "parse_client_information",
    "parse_delete_response",
    "read_client_flow",
    "register_client_flow",
    "update_client_flow",
]

_REGISTER = "Registration endpoint"
_MANAGE = "Client configuration endpoint"
_MAX_TIMESTAMP = 253_402_300_799  # 9999-12-31T23:59:59Z
_REGISTER_STATUSES = frozenset({200, 201})
_READ_STATUSES = frozenset({200})
_DELETE_STATUSES = frozenset({200, 204})


def _bearer(token: object, caller: Any, name: str) -> dict[str, str]:
    if not isinstance(token, str) or not token:
        raise ConfigurationException(f"{name} must be a non-empty string")
    headers = {k: v for k, v in (caller or {}).items() if k.lower() != "authorization"}
    headers["Authorization"] = f"Bearer {token}"
    return headers


def _status_failure(failure: Failure) -> Failure:
    """A 401/403 without an OAuth body: the Bearer challenge's error, if it names one."""
    if failure.code != ErrorCodes.HTTP_ERROR or failure.http_status not in (401, 403):
        return failure
    challenge = find_challenge(failure.headers, "Bearer")
    if challenge is None or not challenge.error:
        return failure
    description = challenge.params.get("error_description") or failure.error_description
    return replace(
        failure,
        code=challenge.error,
        error=challenge.error,
        error_description=description,
        error_type=ErrorType.PROTOCOL,
    )


def _timestamp(body: JsonBody, name: str, what: str) -> int | Failure | None:
    value = body.data.get(name)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_TIMESTAMP:
        return invalid(
            body,
            ErrorCodes.INVALID_NUMBER,
            f"{what}: {name} is not a whole number of seconds since the epoch",
        )
    return value


def _text(body: JsonBody, name: str, what: str) -> str | Failure | None:
    value = body.data.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        return invalid(body, ErrorCodes.INVALID_RESPONSE, f"{what}: {name} is not a string")
    return value


def parse_client_information(
    outcome: Outcome | Failure | None,
    request: ClientRegistrationRequest | ClientReadRequest | ClientUpdateRequest,
    *,
    what: str,
    success_statuses: frozenset[int] = _READ_STATUSES,
    expected_client_id: str | None = None,
) -> ClientRegistrationResponse:
    """Turn a client information answer into a response (never raises)."""
    if isinstance(outcome, Failure):
        return ClientRegistrationResponse.from_failure(outcome)
    body = read_json_object(outcome, what=what, success_statuses=success_statuses)
    if isinstance(body, Failure):
        return ClientRegistrationResponse.from_failure(_status_failure(body))
    checked = _check(body, request, what, expected_client_id)
    if isinstance(checked, Failure):
        return ClientRegistrationResponse.from_failure(checked)
    return checked


def _check(
    body: JsonBody,
    request: ClientRegistrationRequest | ClientReadRequest | ClientUpdateRequest,
    what: str,
    expected_client_id: str | None,
) -> ClientRegistrationResponse | Failure:
    if "client_id" not in body.data:
        return invalid(body, ErrorCodes.MISSING_FIELDS, f"{what}: the answer has no client_id")
    values: dict[str, Any] = {}
    for name in ("client_id", "client_secret", "registration_access_token"):
        text = _text(body, name, what)
        if isinstance(text, Failure):
            return text
        values[name] = text
    for name in ("client_id_issued_at", "client_secret_expires_at"):
        number = _timestamp(body, name, what)
        if isinstance(number, Failure):
            return number
        values[name] = number
    if values["client_secret"] is not None and values["client_secret_expires_at"] is None:
        return invalid(
            body,
            ErrorCodes.MISSING_FIELDS,
            f"{what}: client_secret without client_secret_expires_at (RFC 7591 §3.2.1)",
        )
    if expected_client_id is not None and values["client_id"] != expected_client_id:
        return invalid(
            body, ErrorCodes.INVALID_RESPONSE, f"{what}: the answer is for another client_id"
        )
    uri = _text(body, "registration_client_uri", what)
    if isinstance(uri, Failure):
        return uri
    if uri is not None:
        refused = request.endpoint_policy.check(uri, "registration_client_uri")
        if refused is not None:
            return invalid(
                body,
                ErrorCodes.INVALID_REGISTRATION_CLIENT_URI,
                f"{what}: {refused.error} (the registration access token would go there)",
            )
    return ClientRegistrationResponse(
        True,
        **values,
        registration_client_uri=uri,
        metadata=dict(body.data),
        **body.details,
    )


def register_client_flow(request: ClientRegistrationRequest) -> Flow[ClientRegistrationResponse]:
    """POST the metadata to the registration endpoint (RFC 7591 §3.1)."""
    document = request.metadata_document()
    policy = request.endpoint_policy
    refused = policy.check(request.address, _REGISTER)
    if refused is not None:
        return ClientRegistrationResponse.from_failure(refused)
    headers = dict(request.headers or {})
    if request.initial_access_token is not None:
        headers = _bearer(request.initial_access_token, headers, "initial_access_token")
    outcome: Outcome = yield HttpRequest.post_json(request.address, document, headers=headers)
    return parse_client_information(
        outcome, request, what=_REGISTER, success_statuses=_REGISTER_STATUSES
    )


def read_client_flow(request: ClientReadRequest) -> Flow[ClientRegistrationResponse]:
    """GET the client's configuration with its registration access token (RFC 7592 §2.1)."""
    headers = _bearer(
        request.registration_access_token, request.headers, "registration_access_token"
    )
    refused = request.endpoint_policy.check(request.address, _MANAGE)
    if refused is not None:
        return ClientRegistrationResponse.from_failure(refused)
    outcome: Outcome = yield HttpRequest.get(request.address, headers=headers)
    return parse_client_information(outcome, request, what=_MANAGE)


def update_client_flow(request: ClientUpdateRequest) -> Flow[ClientRegistrationResponse]:
    """PUT the client's full metadata (RFC 7592 §2.2); the answer may rotate the token."""
    document = request.metadata_document()
    headers = _bearer(
        request.registration_access_token, request.headers, "registration_access_token"
    )
    refused = request.endpoint_policy.check(request.address, _MANAGE)
    if refused is not None:
        return ClientRegistrationResponse.from_failure(refused)
    outcome: Outcome = yield HttpRequest.put_json(request.address, document, headers=headers)
    return parse_client_information(
        outcome, request, what=_MANAGE, expected_client_id=request.client_id
    )


def parse_delete_response(outcome: Outcome | Failure | None) -> ClientDeleteResponse:
    """Turn the answer to a DELETE into a response (never raises)."""
    if isinstance(outcome, Failure):
        return ClientDeleteResponse.from_failure(outcome)
    if outcome is None:  # pragma: no cover - drivers always answer a request
        return ClientDeleteResponse.from_failure(
            Failure(ErrorCodes.NETWORK_ERROR, f"{_MANAGE}: no response")
        )
    if isinstance(outcome, TransportFailure):
        return ClientDeleteResponse.from_failure(failure_from_transport(outcome))
    if outcome.status in _DELETE_STATUSES:
        return ClientDeleteResponse(
            True,
            http_status=outcome.status,
            raw=outcome.body.decode("utf-8", errors="replace"),
            headers=outcome.headers,
        )
    return ClientDeleteResponse.from_failure(_status_failure(http_failure(outcome, what=_MANAGE)))


def delete_client_flow(request: ClientDeleteRequest) -> Flow[ClientDeleteResponse]:
    """DELETE the client with its registration access token (RFC 7592 §2.3)."""
    headers = _bearer(
        request.registration_access_token, request.headers, "registration_access_token"
    )
    refused = request.endpoint_policy.check(request.address, _MANAGE)
    if refused is not None:
        return ClientDeleteResponse.from_failure(refused)
    outcome: Outcome = yield HttpRequest.delete(request.address, headers=headers)
    return parse_delete_response(outcome)
