"""Server-issued DPoP nonces for a resource server (RFC 9449 §8, §9).

:class:`DPoPNonceSource` is what :class:`~py_identity_model.dpop.resource.DPoPProofValidator`
asks: the nonce to hand out in ``DPoP-Nonce``, and whether a proof's ``nonce`` is acceptable.
:class:`DPoPServerNonces` is a stateless implementation a fleet can share (one secret).
"""

from __future__ import annotations

import hmac
import math
import secrets
import struct
import time
from collections.abc import Callable
from typing import Protocol

from ..exceptions import ConfigurationException
from ..utils.encoding import Base64UrlError, b64url_decode, b64url_encode

__all__ = ["DPoPNonceSource", "DPoPServerNonces"]


class DPoPNonceSource(Protocol):
    """Server-issued DPoP nonces (RFC 9449 §8, §9): the one to hand out, and which to accept."""

    def current(self) -> str:
        """The nonce to send now in a ``DPoP-Nonce`` header."""
        ...

    def is_valid(self, nonce: str) -> bool:
        """Whether a proof's ``nonce`` is acceptable now."""
        ...


class DPoPServerNonces:
    """Stateless, time-windowed nonces: ``base64url(window || HMAC-SHA256(secret, window)[:16])``.

    A nonce is valid in its window of ``lifetime`` seconds and the next one, so a client
    that just received one always has at least ``lifetime`` seconds to use it. Processes
    that share ``secret`` accept each other's nonces (pass the same 32 random bytes to every
    instance); without one a random secret is made, valid for this process only. Checked in
    constant time; nothing is stored.
    """

    __slots__ = ("_clock", "_secret", "lifetime")

    def __init__(
        self,
        secret: bytes | None = None,
        *,
        lifetime: float = 300.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if secret is None:
            secret = secrets.token_bytes(32)
        if not isinstance(secret, (bytes, bytearray)) or len(secret) < 16:
            raise ConfigurationException("secret must be at least 16 bytes")
        if not _positive(lifetime):
            raise ConfigurationException("lifetime must be a positive number of seconds")
        self._secret = bytes(secret)
        self.lifetime = float(lifetime)
        self._clock = clock

    def _window(self) -> int:
        return int(self._clock() // self.lifetime)

    def _make(self, window: int) -> str:
        counter = struct.pack(">Q", window)
        tag = hmac.digest(self._secret, counter, "sha256")[:16]
        return b64url_encode(counter + tag)

    def current(self) -> str:
        return self._make(self._window())

    def is_valid(self, nonce: str) -> bool:
        if not isinstance(nonce, str) or len(nonce) != 32:
            return False
        try:
            raw = b64url_decode(nonce)
        except Base64UrlError:
            return False
        (window,) = struct.unpack(">Q", raw[:8])
        if self._window() - window not in (0, 1):
            return False
        return hmac.compare_digest(self._make(window), nonce)

    def __repr__(self) -> str:
        return f"DPoPServerNonces(lifetime={self.lifetime:g})"


def _positive(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )
