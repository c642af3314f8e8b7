"""base64url (RFC 4648 §5) without padding, as JOSE requires (RFC 7515 §2).

:func:`b64url_decode` is *strict*: it accepts only the canonical encoding, so two
different strings never decode to the same bytes. That closes the malleability gap
where ``...Q`` and ``...R`` decode identically because the spare bits are ignored.
"""

from __future__ import annotations

import base64
import binascii
import re

__all__ = ["Base64UrlError", "b64url_decode", "b64url_decode_lenient", "b64url_encode"]

_ALPHABET = re.compile(r"[A-Za-z0-9_-]*\Z")
# For a final group of 2 or 3 characters, the last character carries 4 or 2 spare bits
# that the canonical encoding sets to zero.
_SPARE_BITS_MASK = {2: 0x0F, 3: 0x03}
_INDEX = {
    c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
}


class Base64UrlError(ValueError):
    """Raised by :func:`b64url_decode` for non-canonical or invalid input.

    Internal: public APIs translate it into their own exception type.
    """


def b64url_encode(data: bytes) -> str:
    """Encode bytes as unpadded base64url text."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


_ALPHABET_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_TO_STANDARD = bytes.maketrans(b"-_", b"+/")
# The 6-bit value of each alphabet byte, for the spare-bits check of the final character.
_VALUE = bytes(_ALPHABET_BYTES.find(bytes([b])) % 64 for b in range(256))
_SPARE_BITS = (0, 0, 0x0F, 0x03)
_PADDING = (b"", b"", b"==", b"=")


def b64url_decode(text: str | bytes) -> bytes:
    """Decode canonical unpadded base64url; raise :class:`Base64UrlError` otherwise.

    Rejects padding, whitespace, characters outside the URL-safe alphabet, an impossible
    length (``len % 4 == 1``) and non-zero spare bits.

    This sits on every token's hot path, so well-formed input takes a fast route (one
    ``bytes.translate`` for the alphabet, one ``binascii`` call); anything the fast checks
    refuse goes to :func:`_b64url_decode_checked`, the single authority on what is wrong.
    A property test pins the two together.
    """
    try:
        raw = text.encode("ascii") if isinstance(text, str) else bytes(text)
    except UnicodeEncodeError:
        return _b64url_decode_checked(text)
    remainder = len(raw) & 3
    if (
        raw.translate(None, _ALPHABET_BYTES)
        or remainder == 1
        or (remainder and _VALUE[raw[-1]] & _SPARE_BITS[remainder])
    ):
        return _b64url_decode_checked(text)
    try:
        return binascii.a2b_base64(raw.translate(_TO_STANDARD) + _PADDING[remainder])
    except binascii.Error:  # pragma: no cover - the checks above leave nothing to refuse
        return _b64url_decode_checked(text)


def _b64url_decode_checked(text: str | bytes) -> bytes:
    """The reference decoder: says precisely why input is refused."""
    if isinstance(text, bytes):
        try:
            text = text.decode("ascii")
        except UnicodeDecodeError:
            raise Base64UrlError("base64url input is not ASCII") from None
    if not _ALPHABET.match(text):
        raise Base64UrlError("base64url input has characters outside the alphabet")
    remainder = len(text) % 4
    if remainder == 1:
        raise Base64UrlError("base64url input has an impossible length")
    if remainder and _INDEX[text[-1]] & _SPARE_BITS_MASK[remainder]:
        raise Base64UrlError("base64url input is not canonical (non-zero spare bits)")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:  # pragma: no cover - guarded above
        raise Base64UrlError("base64url input is invalid") from exc


def b64url_decode_lenient(text: str) -> bytes:
    """Decode base64url that may carry padding (for values outside JOSE, e.g. thumbprints)."""
    return b64url_decode(text.rstrip("="))
