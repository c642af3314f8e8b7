"""Registered-claim validation for an already signature-verified JWT payload.

Pure functions, no I/O: the signature, header and encoding are checked elsewhere before
:func:`validate_claims` runs. Every rejection is a
:class:`~py_identity_model.exceptions.TokenValidationException` subclass with
``token_part="payload"``; malformed claim values (``exp: "tomorrow"``, ``aud: 5``,
``iss: ["a"]``) are rejections too, never a ``TypeError``.

Time rules (RFC 7519 §4.1.4-4.1.6), with ``leeway`` seconds of clock skew:

* ``exp`` is REQUIRED (unless :attr:`ClaimRules.require_exp` is off) and the token is
  expired when ``now >= exp + leeway`` (the spec says "on or after").
* ``nbf``, when present, fails when ``now + leeway < nbf``.
* ``iat``, when present, fails when ``iat > now + leeway``; with
  :attr:`ClaimRules.max_token_age` it is required and fails when
  ``now - iat > max_token_age + leeway``.

NumericDate values must be JSON numbers (``int``/``float``, never ``bool``) and finite.

Error messages name the claim and, for issuer and audience, the expected values; the
token's own values are shown truncated to 64 characters, and secrets (nonces, hashes,
subject identifiers) are never echoed.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..exceptions import (
    ClaimsValidationError,
    ConfigurationException,
    InvalidAudienceException,
    InvalidIssuerException,
    MissingClaimException,
    PyIdentityModelException,
    TokenExpiredException,
    TokenNotYetValidException,
    TokenValidationException,
)

__all__ = ["TENANT_ID_PLACEHOLDER", "ClaimRules", "ClaimsValidator", "validate_claims"]

ClaimsValidator = Callable[[dict[str, Any]], object]
"""A custom claims hook, called with a shallow ``dict`` copy of the payload: raise
(anything) or return ``False`` to reject the token. A function typed to take a
``Mapping[str, Any]`` fits too."""

TENANT_ID_PLACEHOLDER = "{tenantid}"
"""The placeholder in :attr:`ClaimRules.issuer_templates` replaced by the ``tid`` claim."""

_PAYLOAD = "payload"
_MAX_SHOWN = 64
# A tenant id substituted into an issuer template must not be able to change the URL's
# structure: no "/", "?", "#", "@", ":", "%", "\\", whitespace, and no dot segments.
# Entra tenant ids are GUIDs; this also admits other plain identifiers.
_SAFE_TENANT_ID = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_-]|\.(?!\.)){0,127}")


# --------------------------------------------------------------------------- helpers
# Shared with the sibling id_token / logout_token modules.


def _shown(value: object) -> str:
    """``repr`` of a token value, cut to 64 characters for messages."""
    text = repr(value)
    if len(text) > _MAX_SHOWN:
        return text[: _MAX_SHOWN - 3] + "..."
    return text


def _fail(
    exc_type: type[TokenValidationException], message: str, claim: str | None = None
) -> TokenValidationException:
    details = {"claim": claim} if claim is not None else None
    return exc_type(message, token_part=_PAYLOAD, details=details)


def _is_present(payload: Mapping[str, Any], name: str) -> bool:
    return payload.get(name) is not None


def _numeric_date(
    payload: Mapping[str, Any],
    name: str,
    exc_type: type[TokenValidationException] = ClaimsValidationError,
) -> float | None:
    """The claim as a finite float, ``None`` when absent; raise for a non-number (even null)."""
    if name not in payload:
        return None
    value = payload[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(exc_type, f"The '{name}' claim must be a number (NumericDate)", name)
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise _fail(exc_type, f"The '{name}' claim is not a finite NumericDate", name)
    return number


def _require_numeric_date(
    payload: Mapping[str, Any],
    name: str,
    exc_type: type[TokenValidationException] = ClaimsValidationError,
    missing_type: type[TokenValidationException] = MissingClaimException,
) -> float:
    number = _numeric_date(payload, name, exc_type)
    if number is None:
        raise _fail(missing_type, f"The '{name}' claim is required", name)
    return number


def _check_time(value: float, name: str, *, finite_non_negative: bool = True) -> float:
    """Validate a caller-supplied number (``now``, ``leeway``, ``max_age``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigurationException(f"{name} must be a number")
    number = float(value)
    if not math.isfinite(number) or (finite_non_negative and number < 0):
        raise ConfigurationException(f"{name} must be a finite, non-negative number")
    return number


def _check_now(now: float) -> float:
    return _check_time(now, "now", finite_non_negative=False)


def _audiences(
    payload: Mapping[str, Any],
    exc_type: type[TokenValidationException] = InvalidAudienceException,
) -> list[str] | None:
    """``aud`` as a list of strings (RFC 7519 §4.1.3: string or array), ``None`` if absent."""
    value = payload.get("aud")
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    raise _fail(exc_type, "The 'aud' claim must be a string or an array of strings", "aud")


def _check_expiry(exp: float, now: float, leeway: float) -> None:
    if now >= exp + leeway:
        raise _fail(TokenExpiredException, "The token has expired (exp)", "exp")


def _check_issued_at(iat: float, now: float, leeway: float) -> None:
    if iat > now + leeway:
        raise _fail(TokenNotYetValidException, "The token is issued in the future (iat)", "iat")


def _optional_string(
    payload: Mapping[str, Any],
    name: str,
    exc_type: type[TokenValidationException] = ClaimsValidationError,
) -> str | None:
    if name not in payload:
        return None
    value = payload[name]
    if not isinstance(value, str):  # an explicit null is malformed, not absent (RFC 7519)
        raise _fail(exc_type, f"The '{name}' claim must be a string", name)
    return value


def _as_tuple(value: object, name: str) -> tuple[str, ...]:
    items: tuple[object, ...]
    if isinstance(value, str):  # a lone string would otherwise iterate per character
        items = (value,)
    elif isinstance(value, (tuple, list, set, frozenset)):
        items = tuple(value)
    else:
        raise ConfigurationException(f"ClaimRules.{name} must be a tuple of strings")
    for item in items:
        if not isinstance(item, str) or not item:
            raise ConfigurationException(f"ClaimRules.{name} must contain non-empty strings")
    return tuple(str(item) for item in items)


# ------------------------------------------------------------------------------ rules


@dataclass(frozen=True, slots=True)
class ClaimRules:
    """What :func:`validate_claims` checks beyond the always-on time rules.

    Sequence fields accept a tuple (or list) of strings; a lone string is taken as one
    value, never split into characters.
    """

    issuers: tuple[str, ...] = ()
    """Acceptable ``iss`` values (exact, case-sensitive). Empty, together with empty
    :attr:`issuer_templates`, means the issuer is not checked; the caller decides when
    that is allowed."""

    issuer_templates: tuple[str, ...] = ()
    """Multi-tenant issuers such as ``"https://login.microsoftonline.com/{tenantid}/v2.0"``.
    ``{tenantid}`` is replaced by the token's ``tid`` claim and the result must equal
    ``iss`` exactly (Entra semantics). ``tid`` must be a plain identifier (letters, digits,
    ``.``, ``_``, ``-``; no ``..``; at most 128 characters) so it cannot reshape the URL."""

    audiences: tuple[str, ...] = ()
    """``aud`` must contain at least one of these. Empty means not checked."""

    leeway: float = 60.0
    """Allowed clock skew in seconds (finite, non-negative)."""

    require_exp: bool = True
    """``exp`` must be present. The public ``TokenValidationConfig`` cannot turn this off;
    the switch exists for internal tokens that carry ``iat`` only (e.g. DPoP proofs).
    A present ``exp`` is always checked."""

    max_token_age: float | None = None
    """When set, ``iat`` is required and the token is rejected when
    ``now - iat > max_token_age + leeway``."""

    required_claims: tuple[str, ...] = ()
    """Claims that must be present with a non-null value."""

    subject: str | None = None
    """When set, ``sub`` must equal it."""

    required_scopes: tuple[str, ...] = ()
    """Every one must be granted, in ``scope`` (space-delimited string, RFC 9068 §2.2.3)
    or ``scp`` (array or space-delimited string); both claims are combined."""

    authorized_party: str | None = None
    """When set and ``azp`` is present, ``azp`` must equal it."""

    claims_validator: ClaimsValidator | None = None
    """Custom hook, called last with a shallow copy of the payload. It rejects the token by
    raising or by returning ``False``. Library exceptions pass through; any other exception
    becomes :class:`ClaimsValidationError` with the original as ``__cause__``. A coroutine
    function is refused (it could not run here), so an async hook cannot silently pass."""

    def __post_init__(self) -> None:
        for name in (
            "issuers",
            "issuer_templates",
            "audiences",
            "required_claims",
            "required_scopes",
        ):
            object.__setattr__(self, name, _as_tuple(getattr(self, name), name))
        object.__setattr__(self, "leeway", _check_time(self.leeway, "ClaimRules.leeway"))
        if self.max_token_age is not None:
            age = _check_time(self.max_token_age, "ClaimRules.max_token_age")
            object.__setattr__(self, "max_token_age", age)
        if self.claims_validator is not None and not callable(self.claims_validator):
            raise ConfigurationException("ClaimRules.claims_validator must be callable")


# ------------------------------------------------------------------------- validation


def validate_claims(payload: Mapping[str, Any], rules: ClaimRules, *, now: float) -> None:
    """Check ``payload`` against ``rules`` at time ``now`` (epoch seconds); raise on failure.

    Raises:
        MissingClaimException: ``exp`` (or ``iss``/``aud``/``iat``/a required claim that a
            rule needs) is absent.
        TokenExpiredException: ``exp`` has passed, or the token is older than
            ``max_token_age``.
        TokenNotYetValidException: ``nbf`` or ``iat`` is in the future.
        InvalidIssuerException: ``iss`` is not a string or matches no issuer.
        InvalidAudienceException: ``aud`` is malformed, has no expected audience, or
            ``azp`` is not the authorized party.
        ClaimsValidationError: any other malformed or mismatching claim, missing scopes,
            or a rejection by the custom validator.
        ConfigurationException: ``now`` is not a finite number.
    """
    now = _check_now(now)
    if not isinstance(payload, Mapping):
        raise _fail(ClaimsValidationError, "The token payload must be a JSON object")
    leeway = rules.leeway

    # --- time (RFC 7519 §4.1.4-4.1.6)
    if rules.require_exp:
        exp: float | None = _require_numeric_date(payload, "exp")
    else:
        exp = _numeric_date(payload, "exp")
    if exp is not None:
        _check_expiry(exp, now, leeway)

    nbf = _numeric_date(payload, "nbf")
    if nbf is not None and now + leeway < nbf:
        raise _fail(TokenNotYetValidException, "The token is not valid yet (nbf)", "nbf")

    if rules.max_token_age is not None:
        iat: float | None = _require_numeric_date(payload, "iat")
    else:
        iat = _numeric_date(payload, "iat")
    if iat is not None:
        _check_issued_at(iat, now, leeway)
        if rules.max_token_age is not None and now - iat > rules.max_token_age + leeway:
            raise _fail(
                TokenExpiredException,
                f"The token is older than the allowed {rules.max_token_age:g} seconds (iat)",
                "iat",
            )

    # --- registered string claims are strings whenever present
    _optional_string(payload, "sub")
    _optional_string(payload, "jti")
    issuer = _optional_string(payload, "iss", InvalidIssuerException)
    audiences = _audiences(payload)

    _check_issuer(payload, issuer, rules)
    _check_audience(audiences, rules)
    _check_authorized_party(payload, rules)

    if rules.subject is not None:
        if not _is_present(payload, "sub"):
            raise _fail(MissingClaimException, "The 'sub' claim is required", "sub")
        if payload["sub"] != rules.subject:
            raise _fail(ClaimsValidationError, "The 'sub' claim is not the expected subject", "sub")

    for name in rules.required_claims:
        if not _is_present(payload, name):
            raise _fail(MissingClaimException, f"The '{name}' claim is required", name)

    if rules.required_scopes:
        _check_scopes(payload, rules.required_scopes)

    if rules.claims_validator is not None:
        _run_custom_validator(rules.claims_validator, payload)


def _check_issuer(payload: Mapping[str, Any], issuer: str | None, rules: ClaimRules) -> None:
    if not rules.issuers and not rules.issuer_templates:
        return
    if issuer is None:
        raise _fail(MissingClaimException, "The 'iss' claim is required", "iss")
    if issuer in rules.issuers:
        return
    tenant_note = ""
    if rules.issuer_templates:
        tenant = payload.get("tid")
        if isinstance(tenant, str) and _SAFE_TENANT_ID.fullmatch(tenant):
            for template in rules.issuer_templates:
                if template.replace(TENANT_ID_PLACEHOLDER, tenant) == issuer:
                    return
        elif tenant is None:
            tenant_note = "; no 'tid' claim to fill the issuer templates"
        else:
            tenant_note = "; the 'tid' claim is not a valid tenant identifier"
    expected = ", ".join((*rules.issuers, *rules.issuer_templates))
    raise _fail(
        InvalidIssuerException,
        f"Invalid issuer {_shown(issuer)}; expected one of: {expected}{tenant_note}",
        "iss",
    )


def _check_audience(audiences: list[str] | None, rules: ClaimRules) -> None:
    if not rules.audiences:
        return
    if audiences is None:
        raise _fail(MissingClaimException, "The 'aud' claim is required", "aud")
    if any(audience in rules.audiences for audience in audiences):
        return
    shown = _shown(audiences[0] if len(audiences) == 1 else audiences)
    raise _fail(
        InvalidAudienceException,
        f"Invalid audience {shown}; expected one of: {', '.join(rules.audiences)}",
        "aud",
    )


def _check_authorized_party(payload: Mapping[str, Any], rules: ClaimRules) -> None:
    if rules.authorized_party is None:
        return
    azp = _optional_string(payload, "azp", InvalidAudienceException)
    if azp is not None and azp != rules.authorized_party:
        raise _fail(
            InvalidAudienceException,
            f"Invalid authorized party (azp) {_shown(azp)}; expected {rules.authorized_party}",
            "azp",
        )


def _scope_values(payload: Mapping[str, Any], name: str) -> set[str]:
    value = payload.get(name)
    if value is None:
        return set()
    if isinstance(value, str):
        return {item for item in value.split(" ") if item}
    # An array is the norm for "scp" (Okta) and is also tolerated for "scope"
    # (PingFederate issues one); its items are still the granted scope tokens.
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return set(value)
    raise _fail(
        ClaimsValidationError,
        f"The '{name}' claim must be a space-delimited string or an array of strings",
        name,
    )


def _check_scopes(payload: Mapping[str, Any], required: tuple[str, ...]) -> None:
    granted = _scope_values(payload, "scope") | _scope_values(payload, "scp")
    missing = [scope for scope in required if scope not in granted]
    if missing:
        raise _fail(
            ClaimsValidationError,
            f"The token lacks the required scope(s): {' '.join(missing)}",
            "scope",
        )


def _run_custom_validator(validator: ClaimsValidator, payload: Mapping[str, Any]) -> None:
    try:
        result = validator(dict(payload))
    except PyIdentityModelException:
        raise
    except Exception as exc:
        raise _fail(
            ClaimsValidationError,
            f"The custom claims validator rejected the token: {type(exc).__name__}: "
            f"{str(exc)[:200]}",
        ) from exc
    if inspect.isawaitable(result):
        close = getattr(result, "close", None)
        if callable(close):  # avoid a "coroutine was never awaited" warning
            close()
        raise _fail(
            ClaimsValidationError,
            "The custom claims validator returned an awaitable; it must be synchronous",
        )
    if result is False:
        raise _fail(ClaimsValidationError, "The custom claims validator rejected the token")
