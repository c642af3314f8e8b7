"""What a token manager hands out (:class:`ManagedToken`) and what a cache stores
(:class:`CachedToken`).

A stored value carries **absolute** times (epoch seconds) and the token endpoint it came
from, never a relative ``expires_in``: a process that reads it after a restart, or
another process on another host, never takes an expired token for a valid one.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from typing import Any

from ..endpoints.client import DPoPProver
from ..utils.redaction import redacted_repr
from ..utils.strict_json import loads_object

__all__ = ["CachedToken", "ManagedToken"]

_FORMAT = 1
_MAX_STORED = 64 * 1024  # a stored token entry larger than this is not ours


@dataclass(frozen=True, repr=False, eq=False)
class ManagedToken:
    """An access token from a token manager.

    Attributes:
        access_token: the token itself (never shown by ``repr``).
        token_type: ``Bearer`` or ``DPoP`` (as the server said).
        expires_at: epoch seconds when the token expires.
        scope: the granted scope when the server said, else the requested one.
        dpop_key: the DPoP key the token is bound to (None: a bearer token).
    """

    access_token: str
    token_type: str
    expires_at: float
    scope: str | None = None
    dpop_key: DPoPProver | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        return redacted_repr(self)

    @property
    def is_dpop(self) -> bool:
        """Whether requests with this token need a DPoP proof (RFC 9449 §7.1)."""
        return self.dpop_key is not None and self.token_type.lower() == "dpop"


@dataclass(frozen=True, repr=False)
class CachedToken:
    """One cache entry: an access token (and, for user sessions, its refresh token).

    Attributes:
        access_token: the access token.
        token_type: its type (``Bearer``, ``DPoP``).
        expires_at: epoch seconds when the access token expires.
        issued_at: epoch seconds when it was received (tells one entry from the next).
        endpoint: the token endpoint that issued it.
        scope: the granted (or requested) scope.
        refresh_token: the refresh token of a user session.
        id_token: the ID token of a user session.
        keep_until: epoch seconds until which the entry is kept (a session outlives its
            access token; defaults to ``expires_at``).
    """

    access_token: str
    token_type: str
    expires_at: float
    issued_at: float
    endpoint: str
    scope: str | None = None
    refresh_token: str | None = None
    id_token: str | None = None
    keep_until: float | None = None

    def __post_init__(self) -> None:
        for name in ("expires_at", "issued_at"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{name} must be a number")
            if not math.isfinite(value):
                raise ValueError(f"{name} must be finite")
        if not isinstance(self.access_token, str) or not self.access_token:
            raise ValueError("access_token must be a non-empty string")

    def __repr__(self) -> str:
        return redacted_repr(self)

    @property
    def stored_until(self) -> float:
        """Epoch seconds until which a cache keeps the entry (its TTL ends there)."""
        return self.expires_at if self.keep_until is None else max(self.keep_until, self.expires_at)

    def with_changes(self, **changes: Any) -> CachedToken:
        return replace(self, **changes)

    def to_json(self) -> str:
        """The entry as compact JSON (what shared caches store, encrypted or not)."""
        data: dict[str, Any] = {
            "v": _FORMAT,
            "access_token": self.access_token,
            "token_type": self.token_type,
            "expires_at": self.expires_at,
            "issued_at": self.issued_at,
            "endpoint": self.endpoint,
        }
        for name in ("scope", "refresh_token", "id_token", "keep_until"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> CachedToken:
        """Read :meth:`to_json`'s output; raises ``ValueError`` for anything else."""
        if len(text) > _MAX_STORED:
            raise ValueError("stored token entry is too large")
        data = loads_object(text)
        if data.get("v") != _FORMAT:
            raise ValueError("unknown stored token format")
        strings = ("access_token", "token_type", "endpoint")
        if not all(isinstance(data.get(name), str) for name in strings):
            raise ValueError("stored token entry lacks a string member")
        for name in ("scope", "refresh_token", "id_token"):
            if data.get(name) is not None and not isinstance(data[name], str):
                raise ValueError(f"stored {name} must be a string")
        keep_until = data.get("keep_until")
        if keep_until is not None and (
            isinstance(keep_until, bool) or not isinstance(keep_until, (int, float))
        ):
            raise ValueError("stored keep_until must be a number")
        return cls(
            data["access_token"],
            data["token_type"],
            data.get("expires_at"),  # type: ignore[arg-type]  # checked in __post_init__
            data.get("issued_at"),  # type: ignore[arg-type]
            data["endpoint"],
            scope=data.get("scope"),
            refresh_token=data.get("refresh_token"),
            id_token=data.get("id_token"),
            keep_until=keep_until,
        )

    def managed(self, dpop_key: DPoPProver | None = None) -> ManagedToken:
        return ManagedToken(
            self.access_token, self.token_type, self.expires_at, self.scope, dpop_key
        )
