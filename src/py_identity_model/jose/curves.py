"""The elliptic and Edwards curves a JWK may name (RFC 7518 §6.2, RFC 8037 §2), bound to
``cryptography``.

The facts (key type, size in bits, coordinate length, signing or key agreement) come from
:data:`~py_identity_model.constants.jose_algorithms.CURVE_FACTS`; this module adds the
``cryptography`` curve class of the EC curves and decides which curves are implemented.
``secp256k1`` is described there but not implemented, so a JWK on it is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from cryptography.hazmat.primitives.asymmetric import ec

from ..constants.jose_algorithms import CURVE_FACTS

__all__ = ["CURVES", "Curve"]


class Curve(NamedTuple):
    """One implemented JWK ``crv``: its facts, then the ``cryptography`` class of an EC curve.

    The first fields are those of
    :class:`~py_identity_model.constants.jose_algorithms.CurveFacts`, in its order.
    """

    name: str
    kty: str
    bits: int
    coordinate_size: int
    signs: bool
    key_agreement: bool
    ec_curve: type[ec.EllipticCurve] | None


# The implemented curves; OKP curves have a key class per curve instead of a curve object.
_BINDINGS: dict[str, type[ec.EllipticCurve] | None] = {
    "P-256": ec.SECP256R1,
    "P-384": ec.SECP384R1,
    "P-521": ec.SECP521R1,
    "Ed25519": None,
    "Ed448": None,
    "X25519": None,
    "X448": None,
}

CURVES: Mapping[str, Curve] = MappingProxyType(
    {name: Curve(*CURVE_FACTS[name], ec_curve) for name, ec_curve in _BINDINGS.items()}
)
