"""A forgiving ``application/x-www-form-urlencoded`` reader for untrusted callback text.

Unlike :func:`urllib.parse.parse_qsl` it never raises, keeps every pair in order (so the
caller can detect repeated names) and has no field limit to trip over.
"""

from __future__ import annotations

from urllib.parse import unquote_plus

__all__ = ["parse_pairs"]


def parse_pairs(text: str) -> list[tuple[str, str]]:
    """Split ``a=1&b=2`` into decoded pairs.

    Empty segments (``&&``) and segments without a name (``=x``) are skipped; a segment
    without ``=`` is a name with an empty value, as in browsers' ``URLSearchParams``.
    ``+`` decodes to a space; invalid UTF-8 after percent-decoding becomes U+FFFD.
    """
    pairs: list[tuple[str, str]] = []
    for segment in text.split("&"):
        if not segment:
            continue
        raw_name, _, raw_value = segment.partition("=")
        name = unquote_plus(raw_name)
        if not name:
            continue
        pairs.append((name, unquote_plus(raw_value)))
    return pairs
