"""Scope, claim and step-up requirements, judged on the validated claims (pure).

* scopes: every required scope must be granted (``scope`` or ``scp``), else 403
  ``insufficient_scope`` with the required ``scope`` in the challenge (RFC 6750 §3.1);
* claims: ``{"name": None}`` needs the claim, ``{"name": value}`` that value (or, for a list
  claim such as ``roles``, that member), ``{"name": [a, b]}`` one of them, else 403
  ``access_denied``;
* step-up (RFC 9470): ``acr_values`` the accepted ``acr`` values, ``max_age`` the oldest
  ``auth_time`` accepted, in seconds, else 401 ``insufficient_user_authentication`` with
  ``acr_values`` / ``max_age`` in the challenge so the client can ask the user again.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..exceptions import ConfigurationException

__all__ = ["check_claims", "check_step_up", "claim_requirements", "scope_names", "step_up"]


def scope_names(scopes: Iterable[str], what: str = "scopes") -> tuple[str, ...]:
    """``scopes`` as a tuple of non-empty scope names without duplicates (misuse raises)."""
    if isinstance(scopes, (str, bytes)):
        raise ConfigurationException(f"{what} must be a list of scope names, not one string")
    names = tuple(dict.fromkeys(scopes))
    if not all(isinstance(s, str) and s and " " not in s for s in names):
        raise ConfigurationException(f"every one of {what} must be a scope name")
    return names


def claim_requirements(claims: Mapping[str, Any] | None) -> tuple[tuple[str, Any], ...]:
    """``claims`` checked once: names are strings, values JSON scalars, lists of them, None."""
    if claims is None:
        return ()
    if not isinstance(claims, Mapping):
        raise ConfigurationException("claims must map claim names to required values")
    for name, value in claims.items():
        if not isinstance(name, str) or not name:
            raise ConfigurationException("claim names must be non-empty strings")
        values = value if isinstance(value, (list, tuple)) else [value]
        if not all(v is None or isinstance(v, (str, int, float, bool)) for v in values):
            raise ConfigurationException(f"claim {name!r}: values must be JSON scalars")
    return tuple(claims.items())


def _matches(actual: object, wanted: object) -> bool:
    if isinstance(actual, list):
        return any(_matches(item, wanted) for item in actual)
    return type(actual) is type(wanted) and actual == wanted


def check_claims(claims: Mapping[str, Any], requirements: Sequence[tuple[str, Any]]) -> str | None:
    """The name of the first requirement the claims fail, or None."""
    for name, wanted in requirements:
        if name not in claims or claims[name] is None:
            return name
        if wanted is None:
            continue
        options = wanted if isinstance(wanted, (list, tuple)) else [wanted]
        if not any(_matches(claims[name], option) for option in options):
            return name
    return None


def step_up(
    acr_values: Iterable[str] | None, max_age: float | None
) -> tuple[tuple[str, ...], float | None]:
    """The step-up requirement checked once."""
    acrs = () if acr_values is None else scope_names(acr_values, "acr_values")
    if max_age is not None and (
        isinstance(max_age, bool)
        or not isinstance(max_age, (int, float))
        or not math.isfinite(max_age)
        or max_age < 0
    ):
        raise ConfigurationException("max_age must be a non-negative number of seconds")
    return acrs, max_age


def check_step_up(
    claims: Mapping[str, Any],
    acr_values: Sequence[str],
    max_age: float | None,
    *,
    now: float,
    leeway: float,
) -> bool:
    """Whether the user authentication behind ``claims`` satisfies the step-up rules."""
    if acr_values and claims.get("acr") not in acr_values:
        return False
    if max_age is not None:
        auth_time = claims.get("auth_time")
        if isinstance(auth_time, bool) or not isinstance(auth_time, (int, float)):
            return False
        if now - auth_time > max_age + leeway:
            return False
    return True
