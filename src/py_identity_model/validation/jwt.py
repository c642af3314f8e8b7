"""``JsonWebToken``: a JWT as a value (header, payload, raw), for inspection and logging.

Building one does **not** verify anything; the constructor is named to say so
(:meth:`JsonWebToken.decode_unverified`). Use :func:`~py_identity_model.validate_token`
to accept a token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..jose import MAX_TOKEN_LENGTH, parse_compact

__all__ = ["JsonWebToken", "decode_unverified"]


@dataclass(frozen=True)
class JsonWebToken:
    """A decoded JWT. ``repr`` shows the header and claim names, never the raw token."""

    header: dict[str, Any]
    payload: dict[str, Any] = field(repr=False)
    raw: str = field(repr=False)

    @classmethod
    def decode_unverified(
        cls, token: str | bytes, *, max_length: int = MAX_TOKEN_LENGTH
    ) -> JsonWebToken:
        """Decode without verifying the signature or any claim (inspection only).

        Still strict about form: malformed input raises
        :class:`~py_identity_model.MalformedTokenException`, ``alg: none`` raises
        :class:`~py_identity_model.InvalidAlgorithmException`.
        """
        jws = parse_compact(token, max_length=max_length)
        return cls(jws.header, jws.claims or {}, jws.raw)

    @property
    def alg(self) -> str | None:
        value = self.header.get("alg")
        return value if isinstance(value, str) else None

    @property
    def kid(self) -> str | None:
        value = self.header.get("kid")
        return value if isinstance(value, str) else None

    @property
    def typ(self) -> str | None:
        value = self.header.get("typ")
        return value if isinstance(value, str) else None

    @property
    def issuer(self) -> str | None:
        value = self.payload.get("iss")
        return value if isinstance(value, str) else None

    @property
    def subject(self) -> str | None:
        value = self.payload.get("sub")
        return value if isinstance(value, str) else None

    @property
    def audiences(self) -> list[str]:
        value = self.payload.get("aud")
        if isinstance(value, str):
            return [value]
        return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []

    @property
    def expires_at(self) -> float | None:
        value = self.payload.get("exp")
        return (
            float(value)
            if isinstance(value, (int, float)) and not isinstance(value, bool)
            else None
        )

    def __repr__(self) -> str:
        return f"JsonWebToken(header={self.header!r}, claims={sorted(self.payload)!r})"


def decode_unverified(token: str | bytes) -> JsonWebToken:
    """Decode a JWT without verifying it (inspection and logging only)."""
    return JsonWebToken.decode_unverified(token)
