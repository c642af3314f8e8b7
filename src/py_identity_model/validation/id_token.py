"""ID token claim rules of OpenID Connect Core 1.0 §3.1.3.7 (and §3.2.2.9-10, §3.3.2.11).

:func:`validate_id_token_claims` adds the ID-token-specific checks on top of
:func:`~py_identity_model.validation.claims.validate_claims`, which the caller runs as
well (``iss``, ``exp``, ``nbf``, ``iat`` in the future, audience configuration). It is a
pure function: the signature was verified before it runs.

Decisions where the specification leaves room:

* **nonce** - when the caller passes ``nonce``, the token's ``nonce`` must be present and
  equal (compared in constant time). ``nonce=None`` skips the check, even when the token
  has one: a client that sent a nonce in the authentication request MUST pass it here.
* **at_hash / c_hash / s_hash** - when the caller passes the access token / code / state
  and the token carries the matching hash claim, it must match. An absent hash claim is
  accepted: it is OPTIONAL in the code flow and this layer cannot know the
  ``response_type``. Callers of the implicit/hybrid flows, where §3.2.2.10/§3.3.2.11 make
  a hash REQUIRED, check presence themselves. A hash claim whose input the caller did not
  pass is ignored.
* **azp** - with several distinct audiences ``azp`` is required; whenever ``azp`` is
  present and ``client_id`` is known it must equal ``client_id``.
* **acr** - checked only when ``acr_values`` is given and non-empty; a single string is
  read as the space-separated ``acr_values`` request parameter.

Errors are :class:`~py_identity_model.exceptions.IdTokenValidationException`, except
audience problems (``aud`` without ``client_id``, a wrong or missing ``azp``), which raise
:class:`~py_identity_model.exceptions.InvalidAudienceException` as the generic audience
check does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..exceptions import (
    ConfigurationException,
    IdTokenValidationException,
    InvalidAudienceException,
)
from ..utils.security import constant_time_equals
from .claims import _audiences, _check_now, _check_time, _fail, _require_numeric_date
from .hashes import left_half_hash

__all__ = ["IdTokenExpectations", "validate_id_token_claims"]


AUTH_TIME_ALLOWANCE = 5.0
"""Seconds added to ``max_age`` for auth_time's resolution and the login round trip."""


@dataclass(frozen=True, slots=True)
class IdTokenExpectations:
    """What the client knows about the ID token it expects, from its own request.

    Every field is optional; a ``None`` field is not checked.

    Attributes:
        nonce: the nonce sent in the authentication request; the token's must equal it.
        access_token: checked against ``at_hash`` when the token carries one.
        code: checked against ``c_hash`` when the token carries one.
        state: checked against ``s_hash`` (FAPI) when the token carries one.
        max_age: the ``max_age`` requested; ``auth_time`` is then required and must be no
            older than ``max_age + leeway`` seconds (plus a few seconds for the round trip).
        acr_values: acceptable ``acr`` values (a list, or the space-separated parameter).
    """

    nonce: str | None = None
    access_token: str | None = None
    code: str | None = None
    state: str | None = None
    max_age: float | None = None
    acr_values: Sequence[str] | str | None = None

    def __post_init__(self) -> None:
        if self.nonce is not None and (not isinstance(self.nonce, str) or not self.nonce):
            raise ConfigurationException("nonce must be a non-empty string when given")
        for name in ("access_token", "code", "state"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise ConfigurationException(f"The value checked against {name} must be a string")
        if self.max_age is not None:
            object.__setattr__(self, "max_age", _check_time(self.max_age, "max_age"))
        acr = self.acr_values
        if acr is not None and not isinstance(acr, str):
            if not isinstance(acr, Sequence) or not all(isinstance(v, str) for v in acr):
                raise ConfigurationException("acr_values must be a string or a list of strings")
            object.__setattr__(self, "acr_values", tuple(acr))


_NOTHING_EXPECTED = IdTokenExpectations()


def validate_id_token_claims(
    payload: Mapping[str, Any],
    expected: IdTokenExpectations | None = None,
    *,
    alg: str,
    client_id: str | None,
    now: float,
    leeway: float,
) -> None:
    """Apply the ID token rules of OIDC Core §3.1.3.7 to a verified payload.

    Args:
        payload: The ID token's claims.
        expected: What the client's request implies (nonce, hashes' inputs, max_age, acr).
        alg: The JWS ``alg`` the token was signed with; selects the ``*_hash`` digest.
            For ``EdDSA`` with an Ed448 key pass ``"Ed448"``.
        client_id: The client's id; ``aud`` must contain it and ``azp`` must equal it.
            ``None`` skips those comparisons (``azp`` presence is still enforced).
        now: Current time, epoch seconds.
        leeway: Allowed clock skew, seconds.

    Raises:
        IdTokenValidationException: a rule is broken.
        InvalidAudienceException: ``aud`` lacks ``client_id`` or ``azp`` is wrong/missing.
        ConfigurationException: ``now`` or ``leeway`` is not a valid number.
    """
    now = _check_now(now)
    leeway = _check_time(leeway, "leeway")
    expected = expected or _NOTHING_EXPECTED
    if not isinstance(expected, IdTokenExpectations):
        raise ConfigurationException("expected must be an IdTokenExpectations")
    if not isinstance(payload, Mapping):
        raise _fail(IdTokenValidationException, "The ID token payload must be a JSON object")

    _check_subject(payload)
    _require_numeric_date(payload, "iat", IdTokenValidationException, IdTokenValidationException)
    _check_audience_and_azp(payload, client_id)

    if expected.nonce is not None:
        _check_nonce(payload, expected.nonce)

    if expected.access_token is not None:
        _check_hash(payload, "at_hash", expected.access_token, alg)
    if expected.code is not None:
        _check_hash(payload, "c_hash", expected.code, alg)
    if expected.state is not None:
        _check_hash(payload, "s_hash", expected.state, alg)

    if expected.max_age is not None:
        _check_auth_time(payload, expected.max_age, now, leeway)

    if expected.acr_values is not None:
        _check_acr(payload, expected.acr_values)


def _check_subject(payload: Mapping[str, Any]) -> None:
    sub = payload.get("sub")
    if sub is None:
        raise _fail(IdTokenValidationException, "The 'sub' claim is required", "sub")
    if not isinstance(sub, str) or not sub:
        raise _fail(IdTokenValidationException, "The 'sub' claim must be a non-empty string", "sub")


def _check_audience_and_azp(payload: Mapping[str, Any], client_id: str | None) -> None:
    audiences = _audiences(payload)
    if client_id is not None and (audiences is None or client_id not in audiences):
        raise _fail(
            InvalidAudienceException,
            f"The ID token's audience does not contain the client id {client_id}",
            "aud",
        )
    azp = payload.get("azp")
    if azp is None:
        if audiences is not None and len(set(audiences)) > 1:
            raise _fail(
                InvalidAudienceException,
                "The 'azp' claim is required when the ID token has several audiences",
                "azp",
            )
        return
    if not isinstance(azp, str):
        raise _fail(InvalidAudienceException, "The 'azp' claim must be a string", "azp")
    if client_id is not None and azp != client_id:
        raise _fail(
            InvalidAudienceException,
            f"The authorized party (azp) is not the client id {client_id}",
            "azp",
        )


def _check_nonce(payload: Mapping[str, Any], nonce: str) -> None:
    if not isinstance(nonce, str) or not nonce:
        raise ConfigurationException("nonce must be a non-empty string when given")
    token_nonce = payload.get("nonce")
    if token_nonce is None:
        raise _fail(IdTokenValidationException, "The 'nonce' claim is required", "nonce")
    if not isinstance(token_nonce, str) or not constant_time_equals(token_nonce, nonce):
        raise _fail(
            IdTokenValidationException,
            "The 'nonce' claim does not match the nonce sent in the request",
            "nonce",
        )


def _check_hash(payload: Mapping[str, Any], claim: str, value: str, alg: str) -> None:
    token_hash = payload.get(claim)
    if token_hash is None:
        return
    if not isinstance(value, str):
        raise ConfigurationException(f"The value checked against {claim} must be a string")
    if not isinstance(token_hash, str) or not constant_time_equals(
        left_half_hash(value, alg), token_hash
    ):
        raise _fail(IdTokenValidationException, f"The '{claim}' claim does not match", claim)


def _check_auth_time(payload: Mapping[str, Any], max_age: float, now: float, leeway: float) -> None:
    auth_time = _require_numeric_date(
        payload, "auth_time", IdTokenValidationException, IdTokenValidationException
    )
    # auth_time has whole-second resolution and is stamped before the redirect, the code
    # redemption and this check: allow a few seconds for that round trip, so max_age=0
    # (OIDC Core: "equivalent to prompt=login") accepts the login that just happened.
    if now - auth_time > max_age + leeway + AUTH_TIME_ALLOWANCE:
        raise _fail(
            IdTokenValidationException,
            f"The end-user authenticated longer ago than max_age ({max_age:g} seconds)",
            "auth_time",
        )


def _check_acr(payload: Mapping[str, Any], acr_values: Sequence[str] | str) -> None:
    accepted = acr_values.split() if isinstance(acr_values, str) else list(acr_values)
    if not accepted:
        return
    acr = payload.get("acr")
    if acr is None:
        raise _fail(IdTokenValidationException, "The 'acr' claim is required", "acr")
    if not isinstance(acr, str) or acr not in accepted:
        raise _fail(
            IdTokenValidationException,
            f"The 'acr' claim is not one of the requested values: {' '.join(accepted)}",
            "acr",
        )
