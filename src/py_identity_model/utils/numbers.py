"""Checks for numbers: the caller's (misuse raises, never a ``TypeError`` or a silent NaN
later) and the server's (a bounded value or None, for the parser to turn into a failure)."""

from __future__ import annotations

import math
from typing import Any

from ..exceptions import ConfigurationException

__all__ = ["require_number", "whole_seconds"]


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


def whole_seconds(value: Any, *, low: int, high: int) -> int | None:
    """A server's number of seconds within ``low..high`` (a JSON integer, or an integral
    float), else None; ``true`` is not a number here, and no arithmetic can overflow."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    if not isinstance(value, int) or not low <= value <= high:
        return None
    return value
