"""Hashing and comparison helpers that are easy to get subtly wrong."""

from __future__ import annotations

import hashlib
import hmac

from .encoding import b64url_encode

__all__ = ["constant_time_equals", "sha256", "sha256_b64url"]


def constant_time_equals(a: str | bytes | None, b: str | bytes | None) -> bool:
    """Compare secrets (state, nonce, hashes) in time independent of where they differ.

    ``None`` never equals anything, not even ``None``: a missing value must not pass a check.
    """
    if a is None or b is None:
        return False
    a_bytes = a.encode("utf-8") if isinstance(a, str) else a
    b_bytes = b.encode("utf-8") if isinstance(b, str) else b
    return hmac.compare_digest(a_bytes, b_bytes)


def sha256(data: str | bytes) -> bytes:
    """SHA-256 digest of bytes, or of text encoded as UTF-8."""
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).digest()


def sha256_b64url(data: str | bytes) -> str:
    """base64url(SHA-256(data)), as used by PKCE S256 and DPoP ``ath``."""
    return b64url_encode(sha256(data))
