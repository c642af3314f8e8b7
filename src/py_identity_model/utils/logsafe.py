"""Text from outside, made safe to write into a log line (CWE-117).

A server's ``error``, a URL from a discovery document or a claim value may contain CR, LF
or other control characters that would forge log entries or terminal escapes. Everything
the library logs that it did not write itself goes through :func:`printable` first.
"""

from __future__ import annotations

__all__ = ["printable"]

_MAX = 300
# C0 controls, DEL, C1 controls and the Unicode line/paragraph separators and bidi
# overrides: anything that can end a log line or change how it is displayed.
_UNSAFE = frozenset(
    [
        *range(0x00, 0x20),
        0x7F,
        *range(0x80, 0xA0),
        0x2028,
        0x2029,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
)
_TABLE = {code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" for code in _UNSAFE}


def printable(value: object, *, limit: int = _MAX) -> str:
    """``value`` as one printable line: control characters escaped, cut to ``limit`` chars."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        text = text[:limit] + "..."
    return text.translate(_TABLE)
