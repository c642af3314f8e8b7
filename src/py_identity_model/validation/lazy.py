"""The validation machinery, loaded on first use by the sync and async shells.

It pulls in cryptography, JOSE and discovery; loading it lazily keeps
``from py_identity_model import validate_token`` cheap at start-up.
"""

from __future__ import annotations

from types import ModuleType

__all__ = ["flows"]

_validator: ModuleType | None = None


def flows() -> ModuleType:
    """``py_identity_model.validation.validator``, imported once."""
    global _validator  # noqa: PLW0603 - a one-time, idempotent cache
    if _validator is None:
        from . import validator

        _validator = validator
    return _validator
