"""Response readers: one place that turns an outcome into a body an endpoint can use.

Every endpoint parser starts here. A reader returns the body (a JSON object, or a JWT the
caller verifies) or a :class:`~py_identity_model.http.results.Failure`; every failure path
is handled once: a transport failure, a redirect, an OAuth error body, another
unexpected status, the wrong content type, invalid UTF-8, invalid or non-strict JSON, a
non-object body, a malformed JWT.

:func:`read_body` dispatches on the content type: ``application/json`` (and
``application/*+json``) is parsed as strict JSON; ``application/jwt`` and
``application/*+jwt`` (``token-introspection+jwt``, ...) are returned as a compact JWT
string for the caller to verify with the issuer's keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import ErrorCodes, ErrorType
from ..utils.strict_json import loads_object
from .messages import HttpResponse, Outcome, TransportFailure
from .results import Failure, failure_from_transport

__all__ = [
    "JSON",
    "JWT",
    "JsonBody",
    "JwtBody",
    "http_failure",
    "loads_json_object",
    "read_body",
    "read_json_object",
]

JSON = "json"
JWT = "jwt"

_MAX_ERROR_TEXT = 200
_MAX_JWT_LENGTH = 256 * 1024
# A compact JWS (3 segments) or JWE (5): base64url segments, nothing else.
_COMPACT_JWT = re.compile(
    r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2}(?:\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+)?"
)


@dataclass(frozen=True, slots=True)
class JsonBody:
    """A successful response whose body is a JSON object."""

    data: dict[str, Any]
    response: HttpResponse
    raw: str

    @property
    def details(self) -> dict[str, Any]:
        """The response facts every successful result carries: ``http_status``, ``raw``,
        ``json`` and ``headers`` (spread them into the result: ``Result(..., **body.details)``).
        """
        return {
            "http_status": self.response.status,
            "raw": self.raw,
            "json": self.data,
            "headers": self.response.headers,
        }


@dataclass(frozen=True, slots=True)
class JwtBody:
    """A successful response whose body is a compact JWT, not yet verified."""

    token: str
    response: HttpResponse
    content_type: str


def loads_json_object(text: str | bytes) -> dict[str, Any]:
    """Parse strict JSON that must be one object (see :mod:`py_identity_model.utils.strict_json`).

    UTF-8 only, no duplicate members, no NaN/Infinity or overflowing numbers, no lone
    surrogates. Raises ``ValueError`` with a short reason otherwise.
    """
    return loads_object(text)


def is_json_media_type(content_type: str) -> bool:
    return content_type == "application/json" or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


def is_jwt_media_type(content_type: str) -> bool:
    return content_type == "application/jwt" or (
        content_type.startswith("application/") and content_type.endswith("+jwt")
    )


def _details(response: HttpResponse, raw: str) -> dict[str, Any]:
    return {"http_status": response.status, "raw": raw, "headers": response.headers}


def http_failure(response: HttpResponse, *, what: str) -> Failure:
    """A non-success answer: an OAuth error body makes a protocol error, anything else HTTP."""
    raw = response.body.decode("utf-8", errors="replace")
    if 300 <= response.status < 400:
        location = response.headers.get("location", "")
        return Failure(
            ErrorCodes.REDIRECT_NOT_FOLLOWED,
            f"{what}: redirect ({response.status}) to {location[:200]!r} not followed",
            **_details(response, raw),
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
            data["error"],
            error_description=description if isinstance(description, str) else None,
            json=data,
            error_type=ErrorType.PROTOCOL,
            **_details(response, raw),
        )
    return Failure(
        ErrorCodes.HTTP_ERROR,
        f"{what}: HTTP {response.status}",
        error_description=raw[:_MAX_ERROR_TEXT] or None,
        json=data,
        **_details(response, raw),
    )


def _answer(
    outcome: Outcome | None, what: str, success_statuses: frozenset[int]
) -> HttpResponse | Failure:
    if outcome is None:  # pragma: no cover - drivers always answer a request
        return Failure(ErrorCodes.NETWORK_ERROR, f"{what}: no response")
    if isinstance(outcome, TransportFailure):
        return failure_from_transport(outcome)
    if outcome.status not in success_statuses:
        return http_failure(outcome, what=what)
    return outcome


def _json(response: HttpResponse, what: str) -> JsonBody | Failure:
    raw = response.body.decode("utf-8", errors="replace")
    try:
        data = loads_json_object(response.body)
    except ValueError as exc:
        return Failure(
            ErrorCodes.INVALID_JSON, f"{what}: invalid JSON ({exc})", **_details(response, raw)
        )
    return JsonBody(data, response, raw)


def _jwt(response: HttpResponse, what: str) -> JwtBody | Failure:
    raw = response.body.decode("ascii", errors="replace")
    token = raw.strip(" \t\r\n")  # a trailing newline is common and harmless
    if len(token) > _MAX_JWT_LENGTH or not _COMPACT_JWT.fullmatch(token):
        return Failure(
            ErrorCodes.INVALID_JWT,
            f"{what}: the {response.content_type} body is not a compact JWT",
            **_details(response, raw),
        )
    return JwtBody(token, response, response.content_type)


def _wrong_type(response: HttpResponse, what: str, expected: str) -> Failure:
    content_type = response.content_type
    return Failure(
        ErrorCodes.WRONG_CONTENT_TYPE,
        f"{what}: expected {expected}, got content type {content_type or 'none'!r}",
        **_details(response, response.body.decode("utf-8", errors="replace")),
    )


def read_json_object(
    outcome: Outcome | None,
    *,
    what: str,
    content_types: tuple[str, ...] = ("application/json",),
    success_statuses: frozenset[int] = frozenset({200}),
) -> JsonBody | Failure:
    """Interpret an outcome whose success is a JSON object in the body.

    ``content_types`` are accepted besides any ``application/*+json`` type.
    """
    answer = _answer(outcome, what, success_statuses)
    if isinstance(answer, Failure):
        return answer
    content_type = answer.content_type
    if content_type not in content_types and not is_json_media_type(content_type):
        return _wrong_type(answer, what, "a JSON response")
    return _json(answer, what)


def read_body(
    outcome: Outcome | None,
    *,
    what: str,
    accept: frozenset[str] = frozenset({JSON, JWT}),
    success_statuses: frozenset[int] = frozenset({200}),
) -> JsonBody | JwtBody | Failure:
    """Interpret an outcome whose success is a JSON object or a JWT, by its content type."""
    answer = _answer(outcome, what, success_statuses)
    if isinstance(answer, Failure):
        return answer
    content_type = answer.content_type
    if JSON in accept and is_json_media_type(content_type):
        return _json(answer, what)
    if JWT in accept and is_jwt_media_type(content_type):
        return _jwt(answer, what)
    expected = " or ".join(sorted({JSON: "a JSON object", JWT: "a JWT"}[kind] for kind in accept))
    return _wrong_type(answer, what, expected)


def invalid(body: JsonBody, code: str, message: str) -> Failure:
    """A failure about a received JSON body (keeps its status, text and headers)."""
    return Failure(code, message, json=body.data, **_details(body.response, body.raw))
