"""Reprs that never show secrets: one implementation for every dataclass that needs it."""

from __future__ import annotations

from dataclasses import fields

__all__ = ["SECRET_FIELDS", "redacted_repr"]

# Fields whose values must never appear in repr() or logs.
SECRET_FIELDS = frozenset(
    {
        "access_token",
        "refresh_token",
        "id_token",
        "identity_token",
        "token",
        "raw",
        "json",
        "client_secret",
        "code",
        "code_verifier",
        "device_code",
        "registration_access_token",
        "subject_token",
        "actor_token",
        "password",
        "assertion",
        "client_assertion",
        "private_key",
        "dpop_key",
        "claims",
        "d",
        "p",
        "q",
        "dp",
        "dq",
        "qi",
        "k",
        "oth",
    }
)


def redacted_repr(obj: object, hidden: frozenset[str] = SECRET_FIELDS) -> str:
    """``repr`` for dataclasses that hides secret-bearing fields and omits ``None``s."""
    parts = []
    for f in fields(obj):  # type: ignore[arg-type]
        if not f.repr:
            continue
        value = getattr(obj, f.name)
        if value is None:
            continue
        shown = "[redacted]" if f.name in hidden else repr(value)
        parts.append(f"{f.name}={shown}")
    return f"{type(obj).__name__}({', '.join(parts)})"
