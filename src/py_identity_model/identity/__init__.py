"""Claims-based identity (``Claim``, ``ClaimsIdentity``, ``ClaimsPrincipal``, ``to_principal``)."""

from __future__ import annotations

from .claims import (
    DEFAULT_ISSUER,
    DEFAULT_NAME_CLAIM_TYPE,
    DEFAULT_ROLE_CLAIM_TYPE,
    Claim,
    ClaimsIdentity,
    ClaimsPrincipal,
    ClaimValueTypes,
    to_principal,
)

__all__ = [
    "DEFAULT_ISSUER",
    "DEFAULT_NAME_CLAIM_TYPE",
    "DEFAULT_ROLE_CLAIM_TYPE",
    "Claim",
    "ClaimValueTypes",
    "ClaimsIdentity",
    "ClaimsPrincipal",
    "to_principal",
]
