"""Results of I/O operations: the ProtocolResponse idea, and the JSON reader every endpoint uses.

I/O functions never raise for HTTP, network or body problems. They return a response
object whose ``is_successful`` is ``False`` and whose ``error`` says what went wrong, with
``error_type`` telling the broad class of failure:

* ``protocol``: the server answered with an OAuth/OIDC error (``{"error": "invalid_grant"}``);
* ``http``: an unexpected status (404, 500, a redirect) without an OAuth error body;
* ``network``: no response (DNS, connection, TLS, timeout);
* ``invalid_response``: a response arrived but is unusable (not JSON, wrong content type,
  not an object, missing members);
* ``policy``: the library refused (plain HTTP to a remote host, oversized body, an issuer
  or endpoint that breaks the discovery policy).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass
from typing import Any, TypeVar

from ..utils.redaction import redacted_repr
from ..utils.strict_json import loads_object
from .messages import FailureKind, HttpResponse, Outcome, TransportFailure

__all__ = [
    "ErrorType",
    "Failure",
    "JsonBody",
    "ProtocolResponse",
    "loads_json_object",
    "read_json_object",
]

R = TypeVar("R", bound="ProtocolResponse")


class ErrorType(str, enum.Enum):
    """The broad class of a failed result."""

    PROTOCOL = "protocol"
    HTTP = "http"
    NETWORK = "network"
    INVALID_RESPONSE = "invalid_response"
    POLICY = "policy"


@dataclass(frozen=True, slots=True)
class Failure:
    """Why an operation failed, before it becomes a typed response."""

    error: str
    error_type: ErrorType
    error_description: str | None = None
    http_status: int | None = None
    raw: str | None = None
    json: dict[str, Any] | None = None
    headers: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class JsonBody:
    """A successful response whose body is a JSON object."""

    data: dict[str, Any]
    response: HttpResponse
    raw: str


@dataclass(repr=False)
class ProtocolResponse:
    """Base of every I/O result.

    ``is_successful`` and ``error`` come first and positionally (drop-in with
    py-identity-model 4.x); the rest are keyword-only.
    """

    is_successful: bool
    error: str | None = None
    _: KW_ONLY
    error_description: str | None = None
    error_type: ErrorType | None = None
    http_status: int | None = None
    raw: str | None = None
    json: dict[str, Any] | None = None
    headers: Mapping[str, str] | None = None

    @classmethod
    def from_failure(cls: type[R], failure: Failure, **extra: Any) -> R:
        """A failed response of this type carrying ``failure``'s details."""
        return cls(
            False,
            failure.error,
            error_description=failure.error_description,
            error_type=failure.error_type,
            http_status=failure.http_status,
            raw=failure.raw,
            json=failure.json,
            headers=failure.headers,
            **extra,
        )

    def __repr__(self) -> str:
        return redacted_repr(self)


_TRANSPORT_ERROR_TYPES = {
    FailureKind.TIMEOUT: ErrorType.NETWORK,
    FailureKind.NETWORK: ErrorType.NETWORK,
    FailureKind.TOO_LARGE: ErrorType.POLICY,
    FailureKind.INVALID_URL: ErrorType.POLICY,
}

_MAX_ERROR_TEXT = 200


def failure_from_transport(failure: TransportFailure) -> Failure:
    return Failure(failure.message, _TRANSPORT_ERROR_TYPES[failure.kind])


def loads_json_object(text: str | bytes) -> dict[str, Any]:
    """Parse strict JSON that must be one object (see :mod:`py_identity_model.utils.strict_json`).

    UTF-8 only, no duplicate members, no NaN/Infinity or overflowing numbers, no lone
    surrogates. Raises ``ValueError`` with a short reason otherwise.
    """
    return loads_object(text)


def _is_json_media_type(content_type: str, accepted: tuple[str, ...]) -> bool:
    return content_type in accepted or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


def http_failure(response: HttpResponse, *, what: str) -> Failure:
    """A non-2xx answer: an OAuth error body makes a protocol error, anything else an HTTP error."""
    raw = response.body.decode("utf-8", errors="replace")
    if 300 <= response.status < 400:
        location = response.headers.get("location", "")
        return Failure(
            f"{what}: redirect ({response.status}) to {location!r} not followed",
            ErrorType.HTTP,
            http_status=response.status,
            raw=raw,
            headers=response.headers,
        )
    data: dict[str, Any] | None = None
    try:
        data = loads_json_object(response.body)
    except ValueError:
        data = None
    if data is not None and isinstance(data.get("error"), str) and data["error"]:
        description = data.get("error_description")
        return Failure(
            data["error"],
            ErrorType.PROTOCOL,
            error_description=description if isinstance(description, str) else None,
            http_status=response.status,
            raw=raw,
            json=data,
            headers=response.headers,
        )
    return Failure(
        f"{what}: HTTP {response.status}",
        ErrorType.HTTP,
        error_description=raw[:_MAX_ERROR_TEXT] or None,
        http_status=response.status,
        raw=raw,
        json=data,
        headers=response.headers,
    )


def read_json_object(
    outcome: Outcome | None,
    *,
    what: str,
    content_types: tuple[str, ...] = ("application/json",),
    success_statuses: frozenset[int] = frozenset({200}),
) -> JsonBody | Failure:
    """Interpret an outcome whose success is a JSON object in the body.

    Every failure path (transport failure, redirect, error status, wrong content type,
    invalid UTF-8 or JSON, a non-object) becomes a :class:`Failure` with a clear message.
    """
    if outcome is None:  # pragma: no cover - drivers always answer a request
        return Failure(f"{what}: no response", ErrorType.NETWORK)
    if isinstance(outcome, TransportFailure):
        return failure_from_transport(outcome)
    if outcome.status not in success_statuses:
        return http_failure(outcome, what=what)
    raw = outcome.body.decode("utf-8", errors="replace")
    content_type = outcome.content_type
    if not _is_json_media_type(content_type, content_types):
        return Failure(
            f"{what}: expected a JSON response, got content type {content_type or 'none'!r}",
            ErrorType.INVALID_RESPONSE,
            http_status=outcome.status,
            raw=raw,
            headers=outcome.headers,
        )
    try:
        data = loads_json_object(outcome.body)
    except ValueError as exc:
        return Failure(
            f"{what}: invalid JSON ({exc})",
            ErrorType.INVALID_RESPONSE,
            http_status=outcome.status,
            raw=raw,
            headers=outcome.headers,
        )
    return JsonBody(data, outcome, raw)
