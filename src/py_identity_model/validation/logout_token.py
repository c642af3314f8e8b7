"""Logout token claim rules of OpenID Connect Back-Channel Logout 1.0 §2.4 and §2.6.

:func:`validate_logout_token_claims` checks the logout-token-specific claims of a
signature-verified payload; the caller runs
:func:`~py_identity_model.validation.claims.validate_claims` too, for ``iss``, ``aud``
and the generic time rules.

* ``events`` is a JSON object with the member
  ``http://schemas.openid.net/event/backchannel-logout``, whose value is a JSON object
  (other events may sit beside it).
* ``jti`` (a non-empty string), ``iat`` and ``exp`` (NumericDates) are required; an
  ``exp`` in the past raises :class:`~py_identity_model.exceptions.TokenExpiredException`
  and an ``iat`` in the future
  :class:`~py_identity_model.exceptions.TokenNotYetValidException`, exactly as
  ``validate_claims`` does.
* ``sub`` or ``sid`` is required (each a non-empty string when present).
* ``nonce`` is forbidden (§2.4), whatever its value, so an ID token can't pass as a
  logout token.

Every other failure raises :class:`~py_identity_model.exceptions.LogoutTokenValidationException`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..exceptions import LogoutTokenValidationException
from .claims import (
    _check_expiry,
    _check_issued_at,
    _check_now,
    _check_time,
    _fail,
    _require_numeric_date,
)

__all__ = ["BACKCHANNEL_LOGOUT_EVENT", "validate_logout_token_claims"]

BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"

_Error = LogoutTokenValidationException


def validate_logout_token_claims(payload: Mapping[str, Any], *, now: float, leeway: float) -> None:
    """Apply the Back-Channel Logout §2.6 rules to a verified logout token payload.

    Raises:
        LogoutTokenValidationException: ``events``, ``jti``, ``iat``, ``exp``,
            ``sub``/``sid`` is missing or malformed, or ``nonce`` is present.
        TokenExpiredException: ``exp`` has passed (beyond ``leeway``).
        TokenNotYetValidException: ``iat`` is in the future (beyond ``leeway``).
        ConfigurationException: ``now`` or ``leeway`` is not a valid number.
    """
    now = _check_now(now)
    leeway = _check_time(leeway, "leeway")
    if not isinstance(payload, Mapping):
        raise _fail(_Error, "The logout token payload must be a JSON object")

    if "nonce" in payload:
        raise _fail(_Error, "A logout token must not contain a 'nonce' claim", "nonce")

    events = payload.get("events")
    if events is None:
        raise _fail(_Error, "The 'events' claim is required", "events")
    if not isinstance(events, Mapping):
        raise _fail(_Error, "The 'events' claim must be a JSON object", "events")
    if BACKCHANNEL_LOGOUT_EVENT not in events:
        raise _fail(_Error, f"The 'events' claim must contain {BACKCHANNEL_LOGOUT_EVENT}", "events")
    if not isinstance(events[BACKCHANNEL_LOGOUT_EVENT], Mapping):
        raise _fail(_Error, f"The {BACKCHANNEL_LOGOUT_EVENT} event must be a JSON object", "events")

    jti = payload.get("jti")
    if jti is None:
        raise _fail(_Error, "The 'jti' claim is required", "jti")
    if not isinstance(jti, str) or not jti:
        raise _fail(_Error, "The 'jti' claim must be a non-empty string", "jti")

    iat = _require_numeric_date(payload, "iat", _Error, _Error)
    exp = _require_numeric_date(payload, "exp", _Error, _Error)

    has_subject = False
    for name in ("sub", "sid"):
        value = payload.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or not value:
            raise _fail(_Error, f"The '{name}' claim must be a non-empty string", name)
        has_subject = True
    if not has_subject:
        raise _fail(_Error, "A logout token requires a 'sub' or a 'sid' claim", "sub")

    _check_expiry(exp, now, leeway)
    _check_issued_at(iat, now, leeway)
