"""Authorization callbacks: parse the response, then check ``state`` and ``iss``.

Parsing (RFC 6749 §4.1.2 / §4.2.2, OIDC Core §3.1.2.5 / §3.3.2.5, OAuth 2.0 Form Post
Response Mode) never raises on text: whatever arrives at the redirect URI becomes an
:class:`AuthorizeCallbackResponse`, unsuccessful when it is an error or malformed.

* A URL (absolute, relative, or with a private-use scheme such as ``com.example.app:``)
  contributes its query and its fragment, query first; a URL whose scheme could run code
  or read local data (``javascript:``, ``data:``, ``ftp:``, ...) is refused; anything
  else is taken as a bare form body (``response_mode=form_post``), as ``str`` or ``bytes``.
* Values are form-decoded (``+`` and ``%20`` are spaces); empty segments and segments
  without a name are ignored; ``name`` without ``=`` has an empty value.
* A protocol parameter (``code``, ``state``, ``iss``, ``error``, ...) that appears more
  than once - twice in the query, or in both query and fragment - makes the response
  unsuccessful with ``error="invalid_request"`` and ``error_description="duplicate
  parameter: <name>"``: RFC 6749 §3.1 forbids repeats, and a second ``code`` or ``state``
  is the mark of an injected value. ``values`` keeps the first value of every name.
* Other local failures (no parameters, input over :data:`MAX_CALLBACK_LENGTH`, a blank
  ``error``) also use ``error="invalid_request"``; ``values`` then has no ``error`` entry.
  Every such refusal sets ``malformed=True``, which tells it from an ``invalid_request``
  the provider sent.
"""

from __future__ import annotations

import re
from dataclasses import KW_ONLY, dataclass, field, replace
from enum import Enum
from typing import Any, NoReturn

from ..constants.oidc_parameters import AuthorizeResponse as _R
from ..exceptions import AuthorizeCallbackException, FrontChannelConfigurationError
from ..utils.security import constant_time_equals
from ._params import check_redirect_uri, redacted_repr
from ._query import parse_pairs

__all__ = [
    "MAX_CALLBACK_LENGTH",
    "AuthorizeCallbackResponse",
    "AuthorizeCallbackValidationResult",
    "StateValidationResult",
    "parse_authorize_callback_response",
    "validate_authorize_callback",
    "validate_authorize_callback_issuer",
    "validate_authorize_callback_state",
]

MAX_CALLBACK_LENGTH = 1024 * 1024
"""Longer callbacks (characters, or bytes for a form body) are refused unparsed."""

_INVALID_REQUEST = "invalid_request"
_HIDDEN = frozenset(
    {"raw", "values", "code", "access_token", "identity_token", "refresh_token", "state"}
)
# Response parameter -> field of AuthorizeCallbackResponse.
_FIELDS = {
    _R.CODE.value: "code",
    _R.ACCESS_TOKEN.value: "access_token",
    _R.IDENTITY_TOKEN.value: "identity_token",
    _R.TOKEN_TYPE.value: "token_type",
    _R.EXPIRES_IN.value: "expires_in",
    _R.SCOPE.value: "scope",
    _R.REFRESH_TOKEN.value: "refresh_token",
    _R.STATE.value: "state",
    _R.SESSION_STATE.value: "session_state",
    _R.ISSUER.value: "issuer",
    _R.ERROR.value: "error",
    _R.ERROR_DESCRIPTION.value: "error_description",
    _R.ERROR_URI.value: "error_uri",
}
_SINGLE_VALUED = frozenset(member.value for member in _R)
_URL_START = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:|[/?#]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_EXPIRES_IN = re.compile(r"[0-9]{1,10}\Z")


@dataclass(repr=False)
class AuthorizeCallbackResponse:
    """The parameters of an authorization response.

    ``is_successful`` is ``False`` when ``error`` is set; ``state`` (and ``issuer``) stay
    readable then, so the error can be tied to its request. ``values`` holds every
    parameter (first value per name). ``repr`` hides ``raw``, ``values``, ``code``, the
    tokens and ``state``; do not log ``raw`` or ``values`` either.
    """

    is_successful: bool
    raw: str = ""
    values: dict[str, str] = field(default_factory=dict)
    code: str | None = None
    access_token: str | None = None
    identity_token: str | None = None
    token_type: str | None = None
    expires_in: int | None = None
    scope: str | None = None
    refresh_token: str | None = None
    state: str | None = None
    session_state: str | None = None
    issuer: str | None = None
    error: str | None = None
    error_description: str | None = None
    _: KW_ONLY
    error_uri: str | None = None
    malformed: bool = False
    """``True`` when the library refused the callback itself (too large, no parameters, a
    repeated parameter, a dangerous scheme): ``error`` is then ``invalid_request`` of the
    library's making, not an error the provider sent."""

    def __repr__(self) -> str:
        return redacted_repr(self, _HIDDEN)


def _split(text: str) -> tuple[str, str]:
    """``(query, fragment)`` of a URL, or ``(text, "")`` for a bare form body."""
    if not _URL_START.match(text):
        return text, ""
    before, _, fragment = text.partition("#")
    return before.partition("?")[2], fragment


def _expires_in(value: str | None) -> int | None:
    return int(value) if value is not None and _EXPIRES_IN.match(value) else None


def _invalid(response: AuthorizeCallbackResponse, description: str) -> AuthorizeCallbackResponse:
    return replace(
        response,
        is_successful=False,
        error=_INVALID_REQUEST,
        error_description=description,
        malformed=True,
    )


def parse_authorize_callback_response(redirect_uri: str | bytes) -> AuthorizeCallbackResponse:
    """Parse the URL (or form body) that reached the redirect URI.

    Never raises for ``str`` or ``bytes`` input; anything else raises
    :class:`~py_identity_model.exceptions.AuthorizeCallbackException`.
    """
    if isinstance(redirect_uri, (bytes, bytearray)):
        if len(redirect_uri) > MAX_CALLBACK_LENGTH:
            return _invalid(AuthorizeCallbackResponse(False), "callback is too large")
        text = bytes(redirect_uri).decode("utf-8", "replace")
    elif isinstance(redirect_uri, str):
        text = redirect_uri
    else:
        raise AuthorizeCallbackException("The callback must be a URL or form body (str or bytes)")
    if len(text) > MAX_CALLBACK_LENGTH:
        return _invalid(AuthorizeCallbackResponse(False, text), "callback is too large")

    stripped = text.strip()
    if _SCHEME.match(stripped):
        try:
            check_redirect_uri(stripped, "callback URL")
        except FrontChannelConfigurationError as exc:
            return _invalid(AuthorizeCallbackResponse(False, text), str(exc))
    query, fragment = _split(stripped)
    values: dict[str, str] = {}
    duplicate: str | None = None
    for name, value in parse_pairs(query) + parse_pairs(fragment):
        if name not in values:
            values[name] = value
        elif duplicate is None and name in _SINGLE_VALUED:
            duplicate = name

    known: dict[str, Any] = {_FIELDS[p]: values[p] for p in _FIELDS if p in values}
    known["expires_in"] = _expires_in(known.get("expires_in"))
    response = AuthorizeCallbackResponse(
        is_successful=_R.ERROR.value not in values, raw=text, values=values, **known
    )
    if not values:
        return _invalid(response, "callback contains no parameters")
    if duplicate is not None:
        return _invalid(response, f"duplicate parameter: {duplicate}")
    if response.error is not None and not response.error.strip():
        return _invalid(response, response.error_description or "error parameter is empty")
    return response


# ------------------------------------------------------------------------- validation


class AuthorizeCallbackValidationResult(str, Enum):
    """Outcome of a callback check."""

    SUCCESS = "success"
    STATE_MISMATCH = "state_mismatch"
    MISSING_STATE = "missing_state"
    ERROR_RESPONSE = "error_response"
    ISSUER_MISMATCH = "issuer_mismatch"
    MISSING_ISSUER = "missing_issuer"


_Result = AuthorizeCallbackValidationResult


@dataclass(frozen=True)
class StateValidationResult:
    """Result of :func:`validate_authorize_callback_state` or ``..._issuer``.

    ``error`` is the result's code (``"state_mismatch"``, ...) or, for an error response,
    the server's ``error``.
    """

    is_valid: bool
    result: AuthorizeCallbackValidationResult
    error: str | None = None
    error_description: str | None = None


_SUCCESS = StateValidationResult(True, _Result.SUCCESS)


def _failed(result: AuthorizeCallbackValidationResult, description: str) -> StateValidationResult:
    return StateValidationResult(False, result, result.value, description)


def _error_response(response: AuthorizeCallbackResponse) -> StateValidationResult:
    return StateValidationResult(
        False, _Result.ERROR_RESPONSE, response.error, response.error_description
    )


def validate_authorize_callback_state(
    response: AuthorizeCallbackResponse, expected_state: str | None
) -> StateValidationResult:
    """Check ``state`` against the value sent (RFC 6749 §10.12), in constant time.

    In order: an error response gives ``ERROR_RESPONSE``; a missing or empty expected or
    received state gives ``MISSING_STATE``; a different one ``STATE_MISMATCH``.
    """
    if not response.is_successful:
        return _error_response(response)
    if not isinstance(expected_state, str) or not expected_state:
        return _failed(
            _Result.MISSING_STATE, "Expected state is missing or empty (session may have expired)"
        )
    if not response.state:
        return _failed(_Result.MISSING_STATE, "State parameter not present in callback")
    if not constant_time_equals(response.state, expected_state):
        return _failed(_Result.STATE_MISMATCH, "State parameter does not match expected value")
    return _SUCCESS


def validate_authorize_callback_issuer(
    response: AuthorizeCallbackResponse,
    expected_issuer: str | None,
    *,
    iss_parameter_supported: bool = False,
    require: bool = False,
) -> StateValidationResult:
    """Check the ``iss`` response parameter against the expected issuer (RFC 9207 §2.4).

    The issuer is checked first, for error responses too (RFC 9207 §2.4: an error must not
    be assumed to come from the intended server):

    * ``iss`` present (even empty): it must equal ``expected_issuer`` by simple string
      comparison, else ``ISSUER_MISMATCH`` (also when no issuer is expected: fail closed);
    * ``iss`` absent: ``MISSING_ISSUER`` when the server advertises
      ``authorization_response_iss_parameter_supported`` (``iss_parameter_supported``) or
      the caller insists (``require``); otherwise there is nothing to check.

    Then an error response gives ``ERROR_RESPONSE``; otherwise ``SUCCESS``. The issuer is
    public, so no constant-time comparison is needed.
    """
    if response.issuer is not None:
        if not expected_issuer or response.issuer != expected_issuer:
            return _failed(
                _Result.ISSUER_MISMATCH,
                "Authorization response issuer does not match the expected issuer "
                "(possible mix-up attack)",
            )
    elif iss_parameter_supported or require:
        return _failed(
            _Result.MISSING_ISSUER,
            "Issuer (iss) parameter not present in callback but is required",
        )
    if not response.is_successful:
        return _error_response(response)
    return _SUCCESS


_MESSAGES = {
    _Result.STATE_MISMATCH: "Authorization callback state does not match the request",
    _Result.MISSING_STATE: "Authorization callback state is missing",
    _Result.ISSUER_MISMATCH: "Authorization response comes from an unexpected issuer (mix-up)",
    _Result.MISSING_ISSUER: "Authorization response lacks the required iss parameter",
}


def _raise(outcome: StateValidationResult, **details: Any) -> NoReturn:
    message = _MESSAGES.get(outcome.result)
    if message is None:  # ERROR_RESPONSE: the code is server-chosen, keep it short
        message = f"Authorization server returned an error: {str(outcome.error)[:100]!r}"
    raise AuthorizeCallbackException(
        message,
        details={
            "result": outcome.result,
            "error": outcome.error,
            "error_description": outcome.error_description,
            **details,
        },
    )


def validate_authorize_callback(
    response: AuthorizeCallbackResponse,
    *,
    expected_state: str,
    expected_issuer: str | None = None,
    iss_parameter_supported: bool = False,
) -> AuthorizeCallbackResponse:
    """Accept a callback or raise :class:`~py_identity_model.exceptions.AuthorizeCallbackException`.

    Checks the issuer per :func:`validate_authorize_callback_issuer`: an ``iss`` in the
    callback is never ignored, so without ``expected_issuer`` a callback that names an
    issuer fails closed (RFC 9207 §2.4). Then refuses error responses, then checks
    ``state``. The exception's ``details`` carry ``result`` (an
    :class:`AuthorizeCallbackValidationResult`), ``error`` and ``error_description``; for
    an error response also ``state_matches``, so a caller can tell whether the error
    answers its own request before showing it. Returns ``response`` when it is valid.
    """
    if expected_issuer is None and iss_parameter_supported:
        raise FrontChannelConfigurationError(
            "expected_issuer is required when the server sends the iss parameter"
        )
    issuer = validate_authorize_callback_issuer(
        response, expected_issuer, iss_parameter_supported=iss_parameter_supported
    )
    if issuer.result is not _Result.SUCCESS and issuer.result is not _Result.ERROR_RESPONSE:
        _raise(issuer)
    if not response.is_successful:
        state_matches = bool(response.state) and constant_time_equals(
            response.state, expected_state
        )
        _raise(_error_response(response), state_matches=state_matches)
    state = validate_authorize_callback_state(response, expected_state)
    if not state.is_valid:
        _raise(state)
    return response
