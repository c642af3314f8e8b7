"""Fast strict base64url for compact-serialisation segments.

:func:`decode_segment` accepts exactly what :func:`py_identity_model.utils.encoding.b64url_decode`
accepts (canonical, unpadded base64url) and returns the same bytes, at about half the cost:
the alphabet check is one ``bytes.translate`` and decoding one ``binascii`` call. Any input
the fast checks reject is handed to ``b64url_decode`` itself, which stays the single
authority on what is wrong (and raises ``Base64UrlError``). A property test pins the two
together.
"""

from __future__ import annotations

import binascii

from py_identity_model.utils.encoding import b64url_decode

__all__ = ["decode_segment"]

_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_TO_STANDARD = bytes.maketrans(b"-_", b"+/")
# The 6-bit value of each alphabet byte, for the spare-bits check of the final character.
_VALUE = bytes(_ALPHABET.find(bytes([b])) % 64 for b in range(256))
# For a final group of 2 or 3 characters, the last one carries 4 or 2 spare bits, zero when
# canonical; a group of 1 is impossible.
_SPARE_BITS = (0, 0, 0x0F, 0x03)
_PADDING = (b"", b"", b"==", b"=")


def decode_segment(segment: str) -> bytes:
    """Decode canonical unpadded base64url; raise ``Base64UrlError`` otherwise."""
    try:
        raw = segment.encode("ascii")
    except UnicodeEncodeError:
        return b64url_decode(segment)
    remainder = len(raw) & 3
    if (
        raw.translate(None, _ALPHABET)
        or remainder == 1
        or (remainder and _VALUE[raw[-1]] & _SPARE_BITS[remainder])
    ):
        return b64url_decode(segment)
    try:
        return binascii.a2b_base64(raw.translate(_TO_STANDARD) + _PADDING[remainder])
    except binascii.Error:  # pragma: no cover - the checks above leave nothing to refuse
        return b64url_decode(segment)
