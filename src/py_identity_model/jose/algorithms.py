"""The JWS algorithm registry (RFC 7518 §3, RFC 8037 §3.1, RFC 9864): policy as data.

Each :class:`JwsAlgorithm` names its key type, the curves it accepts, its hash, the minimum
key size and a ``verify``/``sign`` pair built directly on ``cryptography``. Padding, hash and
ECDSA objects are created once per algorithm, not per call. ``verify`` returns ``False`` for
anything that is not a valid signature by that key (wrong length, wrong key type, ...); it
never raises. ``none`` is not in the registry and is refused in every letter case.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from py_identity_model.exceptions import InvalidAlgorithmException, InvalidKeyException

from .curves import CURVES

__all__ = [
    "ALGORITHMS",
    "ASYMMETRIC_ALGORITHMS",
    "EDDSA_ALGORITHMS",
    "MIN_RSA_KEY_BITS",
    "SYMMETRIC_ALGORITHMS",
    "JwsAlgorithm",
    "get_algorithm",
    "is_none_algorithm",
]

Verify = Callable[[Any, bytes, bytes], bool]
Sign = Callable[[Any, bytes], bytes]

MIN_RSA_KEY_BITS = 2048


@dataclass(frozen=True, slots=True)
class JwsAlgorithm:
    """One JWS ``alg``: which keys fit it and how it signs and verifies."""

    name: str
    kty: str
    curves: frozenset[str]
    hash_name: str | None
    min_key_bits: int
    verify: Verify = field(repr=False, compare=False)
    sign: Sign = field(repr=False, compare=False)

    @property
    def symmetric(self) -> bool:
        """HMAC: usable only with a key the caller configured explicitly as a shared secret."""
        return self.kty == "oct"


def _rsa(pad: padding.AsymmetricPadding, hash_alg: hashes.HashAlgorithm) -> tuple[Verify, Sign]:
    def verify(key: Any, data: bytes, signature: bytes) -> bool:
        try:
            if len(signature) != (key.key_size + 7) >> 3:
                return False
            key.verify(signature, data, pad, hash_alg)
        except Exception:  # InvalidSignature, or a key of the wrong type
            return False
        return True

    def sign(key: Any, data: bytes) -> bytes:
        return bytes(key.sign(data, pad, hash_alg))

    return verify, sign


def _pkcs1(hash_alg: hashes.HashAlgorithm) -> tuple[Verify, Sign]:
    return _rsa(padding.PKCS1v15(), hash_alg)


def _pss(hash_alg: hashes.HashAlgorithm) -> tuple[Verify, Sign]:
    # RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash output.
    return _rsa(padding.PSS(padding.MGF1(hash_alg), hash_alg.digest_size), hash_alg)


def _ecdsa(hash_alg: hashes.HashAlgorithm, crv: str) -> tuple[Verify, Sign]:
    size = CURVES[crv].coordinate_size
    signature_size = 2 * size
    ec_curve = CURVES[crv].ec_curve
    assert ec_curve is not None
    curve_name = ec_curve().name
    algorithm = ec.ECDSA(hash_alg)

    def verify(key: Any, data: bytes, signature: bytes) -> bool:
        # JWS carries R || S, each exactly one coordinate long (RFC 7518 §3.4); DER is refused.
        if len(signature) != signature_size:
            return False
        try:
            if key.curve.name != curve_name:
                return False
            r = int.from_bytes(signature[:size], "big")
            s = int.from_bytes(signature[size:], "big")
            key.verify(encode_dss_signature(r, s), data, algorithm)
        except Exception:  # InvalidSignature, or a key of the wrong type
            return False
        return True

    def sign(key: Any, data: bytes) -> bytes:
        if key.curve.name != curve_name:
            raise InvalidKeyException(f"this algorithm needs a {crv} key")
        r, s = decode_dss_signature(key.sign(data, algorithm))
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")

    return verify, sign


def _eddsa(
    public_types: tuple[type[Any], ...], private_types: tuple[type[Any], ...]
) -> tuple[Verify, Sign]:
    def verify(key: Any, data: bytes, signature: bytes) -> bool:
        try:
            if not isinstance(key, public_types):
                return False
            key.verify(signature, data)
        except Exception:  # InvalidSignature
            return False
        return True

    def sign(key: Any, data: bytes) -> bytes:
        if not isinstance(key, private_types):
            raise InvalidKeyException("this algorithm needs an Edwards-curve private key")
        return bytes(key.sign(data))

    return verify, sign


def _hmac(digest: str, size: int) -> tuple[Verify, Sign]:
    def verify(key: Any, data: bytes, signature: bytes) -> bool:
        # A short key or a truncated tag is never accepted.
        try:
            if len(signature) != size or len(key) < size:
                return False
            return hmac.compare_digest(hmac.digest(key, data, digest), signature)
        except Exception:  # a key that is not bytes
            return False

    def sign(key: Any, data: bytes) -> bytes:
        if len(key) < size:
            raise InvalidKeyException(f"an HMAC key must be at least {size} bytes")
        return hmac.digest(key, data, digest)

    return verify, sign


_SHA = {256: hashes.SHA256(), 384: hashes.SHA384(), 512: hashes.SHA512()}
_EC_CURVES = {256: "P-256", 384: "P-384", 512: "P-521"}
_ED25519 = ((ed25519.Ed25519PublicKey,), (ed25519.Ed25519PrivateKey,))
_ED448 = ((ed448.Ed448PublicKey,), (ed448.Ed448PrivateKey,))


def _build() -> dict[str, JwsAlgorithm]:
    none: frozenset[str] = frozenset()
    records = []
    for bits, sha in _SHA.items():
        name = f"sha{bits}"
        records += [
            JwsAlgorithm(f"RS{bits}", "RSA", none, name, MIN_RSA_KEY_BITS, *_pkcs1(sha)),
            JwsAlgorithm(f"PS{bits}", "RSA", none, name, MIN_RSA_KEY_BITS, *_pss(sha)),
            JwsAlgorithm(
                f"ES{bits}",
                "EC",
                frozenset({_EC_CURVES[bits]}),
                name,
                0,
                *_ecdsa(sha, _EC_CURVES[bits]),
            ),
            JwsAlgorithm(f"HS{bits}", "oct", none, name, bits, *_hmac(name, bits // 8)),
        ]
    both = (_ED25519[0] + _ED448[0], _ED25519[1] + _ED448[1])
    records += [
        JwsAlgorithm("EdDSA", "OKP", frozenset({"Ed25519", "Ed448"}), None, 0, *_eddsa(*both)),
        JwsAlgorithm("Ed25519", "OKP", frozenset({"Ed25519"}), None, 0, *_eddsa(*_ED25519)),
        JwsAlgorithm("Ed448", "OKP", frozenset({"Ed448"}), None, 0, *_eddsa(*_ED448)),
    ]
    return {record.name: record for record in records}


_REGISTRY = _build()
ALGORITHMS: Mapping[str, JwsAlgorithm] = MappingProxyType(_REGISTRY)
SYMMETRIC_ALGORITHMS = frozenset(name for name, a in _REGISTRY.items() if a.symmetric)
ASYMMETRIC_ALGORITHMS = frozenset(_REGISTRY) - SYMMETRIC_ALGORITHMS
# "EdDSA" (RFC 8037) and the fully specified names of RFC 9864 denote the same signatures.
EDDSA_ALGORITHMS = frozenset({"EdDSA", "Ed25519", "Ed448"})


def is_none_algorithm(name: object) -> bool:
    """Whether ``name`` is the unsecured ``none`` in any letter case."""
    return isinstance(name, str) and name.lower() == "none"


def get_algorithm(name: object) -> JwsAlgorithm:
    """The registry record for ``name``; InvalidAlgorithmException for ``none`` or unknown."""
    record = _REGISTRY.get(name) if isinstance(name, str) else None
    if record is not None:
        return record
    if is_none_algorithm(name):
        raise InvalidAlgorithmException("alg 'none' (unsigned token) is never accepted", "header")
    shown = repr(name[:32]) if isinstance(name, str) else type(name).__name__
    raise InvalidAlgorithmException(f"unsupported alg {shown}", "header")
