"""Checks for numbers the caller configures: never a ``TypeError`` or a silent NaN later."""

from __future__ import annotations

import math

from ..exceptions import ConfigurationException

__all__ = ["require_number"]


def require_number(
    value: object, name: str, *, positive: bool = False, integer: bool = False
) -> float:
    """``value`` as a float, or ``ConfigurationException`` for a non-number (``bool``
    included), NaN, an infinity, a negative value, zero when ``positive``, a fraction when
    ``integer``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigurationException(f"{name} must be a number")
    if integer and not isinstance(value, int):
        raise ConfigurationException(f"{name} must be a whole number")
    number = float(value) if not isinstance(value, int) or abs(value) < 2**53 else math.inf
    if not math.isfinite(number) or number < 0 or (positive and number == 0):
        qualifier = "positive" if positive else "non-negative"
        raise ConfigurationException(f"{name} must be a finite, {qualifier} number")
    return number
