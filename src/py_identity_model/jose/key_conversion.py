"""JWK members <-> ``cryptography`` key objects, with the checks a key must pass to be built.

Every ``cryptography`` error is translated into :class:`InvalidKeyException`; messages
never carry key material.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa, x448, x25519
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from py_identity_model.exceptions import InvalidKeyException
from py_identity_model.utils.encoding import b64url_encode

from .curves import CURVES, Curve
from .jwk_members import decode_member

__all__ = [
    "PrivateKey",
    "PublicKey",
    "is_roca_vulnerable",
    "members_from_key",
    "private_key_from_members",
    "public_key_from_members",
]

PublicKey: TypeAlias = (
    rsa.RSAPublicKey
    | ec.EllipticCurvePublicKey
    | ed25519.Ed25519PublicKey
    | ed448.Ed448PublicKey
    | x25519.X25519PublicKey
    | x448.X448PublicKey
)
PrivateKey: TypeAlias = (
    rsa.RSAPrivateKey
    | ec.EllipticCurvePrivateKey
    | ed25519.Ed25519PrivateKey
    | ed448.Ed448PrivateKey
    | x25519.X25519PrivateKey
    | x448.X448PrivateKey
)
_CRYPTO_ERRORS = (ValueError, TypeError, UnsupportedAlgorithm)

_OKP_PUBLIC: dict[str, Any] = {
    "Ed25519": ed25519.Ed25519PublicKey,
    "Ed448": ed448.Ed448PublicKey,
    "X25519": x25519.X25519PublicKey,
    "X448": x448.X448PublicKey,
}
_OKP_PRIVATE: dict[str, Any] = {
    "Ed25519": ed25519.Ed25519PrivateKey,
    "Ed448": ed448.Ed448PrivateKey,
    "X25519": x25519.X25519PrivateKey,
    "X448": x448.X448PrivateKey,
}

# ROCA (CVE-2017-15361): moduli from the flawed Infineon generator are, modulo each of these
# small primes, a power of 65537. A random modulus passes all these tests with negligible
# probability, so passing them all identifies the weak key (Nemec et al., CCS 2017).
_ROCA_PRIMES = (
    3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89,
    97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167,
)  # fmt: skip
_ROCA_POWERS = {p: frozenset(pow(65537, k, p) for k in range(p)) for p in _ROCA_PRIMES}


def is_roca_vulnerable(modulus: int) -> bool:
    """Whether ``modulus`` carries the ROCA fingerprint."""
    return all(modulus % p in powers for p, powers in _ROCA_POWERS.items())


def _int(members: Mapping[str, Any], name: str) -> int:
    return int.from_bytes(decode_member(members, name), "big")


def _curve(members: Mapping[str, Any]) -> Curve:
    return CURVES[members["crv"]]


def _rsa_public(members: Mapping[str, Any]) -> rsa.RSAPublicKey:
    n = _int(members, "n")
    if is_roca_vulnerable(n):
        raise InvalidKeyException("RSA key has the ROCA weakness (CVE-2017-15361)")
    return rsa.RSAPublicNumbers(_int(members, "e"), n).public_key()


def public_key_from_members(members: Mapping[str, Any]) -> PublicKey:
    """The public key of validated JWK ``members`` (see :func:`.jwk_members.check_members`)."""
    kty = members["kty"]
    try:
        if kty == "RSA":
            return _rsa_public(members)
        if kty == "EC":
            curve = _curve(members)
            assert curve.ec_curve is not None
            point = b"\x04" + decode_member(members, "x") + decode_member(members, "y")
            return ec.EllipticCurvePublicKey.from_encoded_point(curve.ec_curve(), point)
        if kty == "OKP":
            key: PublicKey = _OKP_PUBLIC[members["crv"]].from_public_bytes(
                decode_member(members, "x")
            )
            return key
    except InvalidKeyException:
        raise
    except _CRYPTO_ERRORS:
        raise InvalidKeyException(f"{kty} JWK does not describe a valid public key") from None
    raise InvalidKeyException("a symmetric (oct) key has no public key")


def _rsa_private(members: Mapping[str, Any], public: rsa.RSAPublicKey) -> rsa.RSAPrivateKey:
    if members.get("oth") is not None:
        raise InvalidKeyException("multi-prime RSA keys ('oth') are not supported")
    numbers = public.public_numbers()
    d = _int(members, "d")
    if members.get("p") is not None:
        p, q = _int(members, "p"), _int(members, "q")
        dp, dq, qi = _int(members, "dp"), _int(members, "dq"), _int(members, "qi")
    else:
        p, q = rsa.rsa_recover_prime_factors(numbers.n, numbers.e, d)
        dp, dq, qi = rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q)
    return rsa.RSAPrivateNumbers(p, q, d, dp, dq, qi, numbers).private_key()


def _public_matches(private: PrivateKey, public: PublicKey) -> bool:
    if isinstance(private, rsa.RSAPrivateKey) and isinstance(public, rsa.RSAPublicKey):
        return private.public_key().public_numbers() == public.public_numbers()
    mine = private.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return mine == public.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


def private_key_from_members(members: Mapping[str, Any], public: PublicKey) -> PrivateKey:
    """The private key of validated JWK ``members``; it must match ``public``."""
    kty = members["kty"]
    if members.get("d") is None:
        raise InvalidKeyException(f"{kty} JWK has no private key")
    try:
        private: PrivateKey
        if isinstance(public, rsa.RSAPublicKey):
            private = _rsa_private(members, public)
        elif kty == "EC":
            curve = _curve(members)
            assert curve.ec_curve is not None
            private = ec.derive_private_key(_int(members, "d"), curve.ec_curve())
        else:
            private = _OKP_PRIVATE[members["crv"]].from_private_bytes(decode_member(members, "d"))
    except InvalidKeyException:
        raise
    except _CRYPTO_ERRORS:
        raise InvalidKeyException(f"{kty} JWK does not describe a valid private key") from None
    if not _public_matches(private, public):
        raise InvalidKeyException(f"{kty} JWK private key does not match its public key")
    return private


def _b64_int(value: int, size: int | None = None) -> str:
    length = size if size is not None else max(1, (value.bit_length() + 7) // 8)
    return b64url_encode(value.to_bytes(length, "big"))


def _ec_members(key: ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey) -> dict[str, str]:
    curve = next(
        (c for c in CURVES.values() if c.ec_curve and isinstance(key.curve, c.ec_curve)), None
    )
    if curve is None:
        raise InvalidKeyException(f"EC curve {key.curve.name} is not supported")
    public = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    numbers = public.public_numbers()
    size = curve.coordinate_size
    members = {"kty": "EC", "crv": curve.name, "x": _b64_int(numbers.x, size)}
    members["y"] = _b64_int(numbers.y, size)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        members["d"] = _b64_int(key.private_numbers().private_value, size)
    return members


def _rsa_members(key: rsa.RSAPublicKey | rsa.RSAPrivateKey) -> dict[str, str]:
    public = key.public_key() if isinstance(key, rsa.RSAPrivateKey) else key
    numbers = public.public_numbers()
    members = {"kty": "RSA", "n": _b64_int(numbers.n), "e": _b64_int(numbers.e)}
    if isinstance(key, rsa.RSAPrivateKey):
        private = key.private_numbers()
        members |= {
            "d": _b64_int(private.d),
            "p": _b64_int(private.p),
            "q": _b64_int(private.q),
            "dp": _b64_int(private.dmp1),
            "dq": _b64_int(private.dmq1),
            "qi": _b64_int(private.iqmp),
        }
    return members


def _okp_members(key: object) -> dict[str, str] | None:
    for crv, public_cls in _OKP_PUBLIC.items():
        if isinstance(key, public_cls):
            raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
            return {"kty": "OKP", "crv": crv, "x": b64url_encode(raw)}
        if isinstance(key, _OKP_PRIVATE[crv]):
            members = _okp_members(key.public_key())
            assert members is not None
            private_raw = key.private_bytes_raw()
            return members | {"d": b64url_encode(private_raw)}
    return None


def members_from_key(key: object) -> dict[str, str]:
    """JWK members (JSON names) of a ``cryptography`` key, public or private."""
    if isinstance(key, (rsa.RSAPublicKey, rsa.RSAPrivateKey)):
        return _rsa_members(key)
    if isinstance(key, (ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey)):
        return _ec_members(key)
    members = _okp_members(key)
    if members is None:
        raise InvalidKeyException(f"unsupported key type {type(key).__name__}")
    return members
