"""Strict JSON, used for every document the library reads (JOSE headers and payloads,
discovery, JWKS, token responses): one object, no duplicate members, no NaN/Infinity or
overflowing numbers, no lone surrogates, UTF-8 only (RFC 8259 §8.1).

Duplicate members are a classic parser-differential trick (two parsers read two different
``alg`` values from one header), so they are refused everywhere. The decoder is built once;
the duplicate check costs one ``dict()`` per JSON object, done in C. Error messages say
what is wrong (and where, for syntax errors) without echoing the input.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

__all__ = ["StrictJsonError", "dumps_compact", "loads_object"]


class StrictJsonError(ValueError):
    """Internal: callers translate it into the library's own exception type."""


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise StrictJsonError(f"duplicate member {key[:64]!r}")
            seen.add(key)
    return obj


def _reject_constant(name: str) -> Any:
    raise StrictJsonError(f"JSON constant {name} is not allowed")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise StrictJsonError("number out of range")
    return value


_DECODER = json.JSONDecoder(
    object_pairs_hook=_unique_members,
    parse_constant=_reject_constant,
    parse_float=_finite_float,
)
# An escaped UTF-16 surrogate; only then can a lone surrogate sneak into a Python str.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_WHITESPACE = " \t\n\r"
# The C scanner behind JSONDecoder.decode(), called directly to skip decode()'s two regexes.
_SCAN: Callable[[str, int], tuple[Any, int]] = _DECODER.scan_once  # type: ignore[attr-defined]


def _decode(text: str) -> Any:
    try:
        value, end = _SCAN(text, 0)
    except StopIteration:  # leading whitespace, or no JSON value at all: take the long way
        return _DECODER.decode(text)
    if end != len(text) and text[end:].strip(_WHITESPACE):
        raise StrictJsonError("Extra data after the JSON value")
    return value


def loads_object(data: bytes | str) -> dict[str, Any]:
    """Parse ``data`` (UTF-8 JSON) that must be a single JSON object.

    Raises :class:`StrictJsonError` with a short reason otherwise.
    """
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        if text.startswith("\ufeff"):
            raise StrictJsonError("Unexpected UTF-8 BOM (RFC 8259 §8.1: must not be added)")
        value = _decode(text)
    except StrictJsonError:
        raise
    except UnicodeDecodeError:
        raise StrictJsonError("not valid UTF-8") from None
    except RecursionError:
        raise StrictJsonError("nesting is too deep") from None
    except ValueError as exc:  # json.JSONDecodeError, or an integer with too many digits
        raise StrictJsonError(f"not valid JSON: {str(exc)[:120]}") from None
    if not isinstance(value, dict):
        raise StrictJsonError(f"expected a JSON object, got {type(value).__name__}")
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except (ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
            raise StrictJsonError("lone UTF-16 surrogate in a string") from None
    return value


def dumps_compact(value: Any) -> bytes:
    """Serialise ``value`` as compact UTF-8 JSON (no insignificant whitespace).

    Raises :class:`StrictJsonError` for values JSON cannot represent (NaN, sets, ...).
    """
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
            "utf-8"
        )
    except (TypeError, ValueError) as exc:
        raise StrictJsonError(f"not JSON-serialisable: {type(exc).__name__}") from None
