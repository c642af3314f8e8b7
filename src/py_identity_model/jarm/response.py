"""Finding the JARM response JWT in a callback, and turning its claims into a callback.

Pure functions: no keys, no I/O (JARM §2.3). A JARM authorization response carries one
parameter, ``response``, in the query (``query.jwt``), the fragment (``fragment.jwt``) or a
POSTed form (``form_post.jwt``). Reading it reuses the plain callback parser
(:func:`~py_identity_model.frontchannel.parse_authorize_callback_response`): the same size
bound (:data:`~py_identity_model.frontchannel.MAX_CALLBACK_LENGTH`), the same refusal of
dangerous schemes, the same rule that a repeated ``response`` is an injection.

Once verified, the JWT's claims become the same
:class:`~py_identity_model.frontchannel.AuthorizeCallbackResponse` a plain callback gives,
built by that same parser, so ``validate_authorize_callback`` (``state``, RFC 9207 ``iss``)
applies unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from ..constants.oidc_parameters import AuthorizeResponse
from ..constants.oidc_values import ResponseModes
from ..exceptions import JarmValidationException
from ..frontchannel.callback import (
    MAX_CALLBACK_LENGTH,
    AuthorizeCallbackResponse,
    parse_authorize_callback_response,
)

__all__ = [
    "JARM_RESPONSE_MODES",
    "CallbackInput",
    "callback_from_claims",
    "callback_text",
    "extract_jarm_response_jwt",
    "is_jarm_mode",
    "is_jarm_response",
]

CallbackInput = str | bytes | Mapping[str, Any]
"""A callback URL, a form body (``str``/``bytes``), or POSTed form fields (a mapping such as
``request.form``; a value may be a one-item list, as ``parse_qs`` gives)."""

JARM_RESPONSE_MODES = frozenset(
    {
        ResponseModes.JWT.value,
        ResponseModes.QUERY_JWT.value,
        ResponseModes.FRAGMENT_JWT.value,
        ResponseModes.FORM_POST_JWT.value,
    }
)
"""The ``response_mode`` values of JARM (§2.3)."""

_RESPONSE = AuthorizeResponse.RESPONSE.value
# Authorization response parameters: in a JARM response they live inside the JWT only.
_PROTOCOL = frozenset(member.value for member in AuthorizeResponse) - {_RESPONSE}
# Claims that must be strings when present (expires_in may also be a JSON number).
_NUMERIC_ALLOWED = frozenset({AuthorizeResponse.EXPIRES_IN.value})


def is_jarm_mode(response_mode: str | None) -> bool:
    """Whether ``response_mode`` is one of JARM's (``jwt``, ``query.jwt``, ...)."""
    return response_mode in JARM_RESPONSE_MODES


def _reject(message: str, reason: str = "invalid_callback") -> JarmValidationException:
    return JarmValidationException(message, details={"reason": reason})


def _check_type(response: object) -> None:
    if not isinstance(response, (str, bytes, bytearray, Mapping)):
        raise _reject("The JARM callback must be a URL, a form body (str or bytes) or form fields")


def _mapping_values(fields: Mapping[str, Any], name: str) -> list[object]:
    getlist = getattr(fields, "getlist", None)
    if callable(getlist):  # werkzeug / starlette multi-dicts keep every value
        return list(getlist(name))
    if name not in fields:
        return []
    value = fields[name]
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def is_jarm_response(url: CallbackInput) -> bool:
    """Whether the callback (URL, form body or form fields) carries a ``response`` parameter.

    Never raises for ``str``, ``bytes`` or a mapping; another type raises
    :class:`~py_identity_model.exceptions.JarmValidationException`.
    """
    _check_type(url)
    if isinstance(url, Mapping):
        return bool(_mapping_values(url, _RESPONSE))
    return (
        _RESPONSE
        in parse_authorize_callback_response(
            bytes(url) if isinstance(url, bytearray) else url
        ).values
    )


def _from_mapping(fields: Mapping[str, Any]) -> str:
    values = _mapping_values(fields, _RESPONSE)
    if not values:
        raise _reject("The callback has no response parameter: it is not a JARM response")
    if len(values) > 1:
        raise _reject("duplicate parameter: response")
    (value,) = values
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        raise _reject("The response parameter must be a string")
    if len(value) > MAX_CALLBACK_LENGTH:
        raise _reject("callback is too large")
    others = sorted(name for name in _PROTOCOL if _mapping_values(fields, name))
    if others:
        raise _reject(f"unsigned parameters beside the JARM response: {', '.join(others)}")
    return value


def extract_jarm_response_jwt(url: CallbackInput) -> str:
    """The JWT of the ``response`` parameter (query, fragment, form body or form fields).

    Raises :class:`~py_identity_model.exceptions.JarmValidationException` when there is no
    ``response``, more than one, an empty one, authorization response parameters outside
    the JWT (``code``, ``state``, ``iss``, ``error``, ...: only the signed values count, and
    an unsigned twin beside them is the mark of an injection), or a callback over
    :data:`~py_identity_model.frontchannel.MAX_CALLBACK_LENGTH`.
    """
    _check_type(url)
    if isinstance(url, Mapping):
        token = _from_mapping(url)
    else:
        parsed = parse_authorize_callback_response(
            bytes(url) if isinstance(url, bytearray) else url
        )
        if parsed.malformed and parsed.error_description != "callback contains no parameters":
            raise _reject(f"The JARM callback is malformed: {parsed.error_description}")
        if _RESPONSE not in parsed.values:
            raise _reject("The callback has no response parameter: it is not a JARM response")
        others = sorted(_PROTOCOL & set(parsed.values))
        if others:
            raise _reject(f"unsigned parameters beside the JARM response: {', '.join(others)}")
        token = parsed.values[_RESPONSE]
    token = token.strip()
    if not token:
        raise _reject("The response parameter is empty")
    return token


def callback_text(response: CallbackInput) -> str:
    """The callback as text, for ``AuthorizeCallbackResponse.raw``."""
    if isinstance(response, (bytes, bytearray)):
        return bytes(response).decode("utf-8", "replace")
    if isinstance(response, Mapping):
        pairs: list[tuple[str, str]] = []
        for name in response:
            for value in _mapping_values(response, name):
                pairs.append((str(name), value if isinstance(value, str) else str(value)))
        return urlencode(pairs)
    return response


def _claim_pairs(claims: Mapping[str, Any]) -> Sequence[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for name, value in claims.items():
        if isinstance(value, str):
            pairs.append((name, value))
        elif name in _PROTOCOL and not (
            name in _NUMERIC_ALLOWED and isinstance(value, int) and not isinstance(value, bool)
        ):
            raise _reject(f"The JARM response's {name!r} claim must be a string", "invalid_claims")
        elif isinstance(value, int) and not isinstance(value, bool):
            pairs.append((name, str(value)))
    return pairs


def callback_from_claims(claims: Mapping[str, Any], raw: str) -> AuthorizeCallbackResponse:
    """The callback a plain response with these (verified) claims would have given.

    ``values`` holds the string (and integer) claims; ``issuer`` is the verified ``iss``.
    A response parameter of the wrong type, or a blank ``error``, raises
    :class:`~py_identity_model.exceptions.JarmValidationException`.
    """
    parsed = parse_authorize_callback_response(urlencode(_claim_pairs(claims)))
    if parsed.malformed:
        raise _reject(
            f"The JARM response is malformed: {parsed.error_description}", "invalid_claims"
        )
    return replace(parsed, raw=raw)
