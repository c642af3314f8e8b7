"""The elliptic and Edwards curves a JWK may name (RFC 7518 §6.2, RFC 8037 §2), as data.

Each curve records its JWK ``kty``, its size in bits (what :attr:`JsonWebKey.key_size`
reports), the exact length of an encoded coordinate or key (RFC 7518 §6.2.1.2 requires the
full length, leading zeros included) and whether it signs: X25519 and X448 are key-agreement
curves, valid as keys but never usable for a signature.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from cryptography.hazmat.primitives.asymmetric import ec

__all__ = ["CURVES", "Curve"]


@dataclass(frozen=True, slots=True)
class Curve:
    """One JWK ``crv`` value."""

    name: str
    kty: str
    bits: int
    coordinate_size: int
    signs: bool
    ec_curve: type[ec.EllipticCurve] | None = None


CURVES: Mapping[str, Curve] = MappingProxyType(
    {
        "P-256": Curve("P-256", "EC", 256, 32, True, ec.SECP256R1),
        "P-384": Curve("P-384", "EC", 384, 48, True, ec.SECP384R1),
        "P-521": Curve("P-521", "EC", 521, 66, True, ec.SECP521R1),
        "Ed25519": Curve("Ed25519", "OKP", 255, 32, True),
        "Ed448": Curve("Ed448", "OKP", 448, 57, True),
        "X25519": Curve("X25519", "OKP", 255, 32, False),
        "X448": Curve("X448", "OKP", 448, 56, False),
    }
)
