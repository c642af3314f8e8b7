"""How long to keep a fetched document: ``Cache-Control`` within configured bounds."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["cache_lifetime", "parse_max_age"]

_HUGE = 10**10


def parse_max_age(cache_control: str | None) -> int | None:
    """``max-age`` seconds from a ``Cache-Control`` value; 0 for ``no-store``/``no-cache``."""
    if not cache_control:
        return None
    max_age: int | None = None
    for directive in cache_control.split(","):
        name, _, value = directive.strip().partition("=")
        name = name.strip().lower()
        if name in ("no-store", "no-cache"):
            return 0
        if name == "max-age":
            value = value.strip().strip('"')
            if value.isascii() and value.isdigit():
                # Absurdly long numbers are clamped rather than converted (a hostile header
                # must not raise, nor cost much); callers clamp to their maximum anyway.
                digits = value.lstrip("0") or "0"
                max_age = int(digits) if len(digits) <= 10 else _HUGE
    return max_age


def cache_lifetime(
    headers: Mapping[str, str] | None, *, default: float, minimum: float, maximum: float
) -> float:
    """Seconds to cache a response: the server's ``max-age`` clamped to ``[minimum, maximum]``.

    ``no-store``/``no-cache`` give ``minimum``, so a busy process still cannot hammer the
    server; no header gives ``default``.
    """
    max_age = parse_max_age((headers or {}).get("cache-control"))
    seconds = default if max_age is None else float(max_age)
    return min(max(seconds, minimum), maximum)
