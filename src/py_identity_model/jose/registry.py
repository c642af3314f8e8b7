"""The JOSE algorithm registry bound to ``cryptography``: the one place algorithms are looked up.

Built once, at import, from the facts in :mod:`py_identity_model.constants.jose_algorithms`:

* JWS (RFC 7518 §3, RFC 8037 §3.1, RFC 9864): each :class:`JwsAlgorithm` carries its key
  type, curves, hash and minimum key size, and a ``verify``/``sign`` pair built directly on
  ``cryptography``. Padding, hash and ECDSA objects are created once per algorithm, not per
  call. ``verify`` returns ``False`` for anything that is not a valid signature by that key
  (wrong length, wrong key type, ...); it never raises. ``none`` is not in the registry and
  is refused in every letter case; ``ES256K`` is described but not implemented (its curve
  has no binding in :mod:`.curves`).
* Token hashes: :func:`token_hash_function` gives the ``at_hash``/``c_hash``/``s_hash``
  digest of an ``alg`` and the signing key's curve.
* JWE (RFC 7518 §4, §5): the key-management and content-encryption facts with the allow-lists
  derived from them, for :mod:`.jwe` (which leaves the cryptography to joserfc).
"""

from __future__ import annotations

import hashlib
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

from ..constants.jose_algorithms import (
    CONTENT_ENCRYPTION,
    JWS_ALGORITHMS,
    KEY_MANAGEMENT,
    MIN_RSA_KEY_BITS,
    Digest,
    JwsAlgorithmFacts,
    fully_specified,
)
from .curves import CURVES

__all__ = [
    "ALGORITHMS",
    "ASYMMETRIC_ALGORITHMS",
    "CONTENT_ENCRYPTION",
    "ECDH_CURVES",
    "EDDSA_ALGORITHMS",
    "JWE_ALGORITHMS",
    "JWE_DEFAULT_ALGORITHMS",
    "JWE_ENCRYPTIONS",
    "KEY_MANAGEMENT",
    "MIN_RSA_KEY_BITS",
    "SYMMETRIC_ALGORITHMS",
    "HashFunction",
    "JwsAlgorithm",
    "fully_specified",
    "get_algorithm",
    "is_none_algorithm",
    "token_hash_function",
]

Verify = Callable[[Any, bytes, bytes], bool]
Sign = Callable[[Any, bytes], bytes]
HashFunction = Callable[[bytes], bytes]
"""Maps a value's octets to the full digest."""


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


_SHA: dict[str, hashes.HashAlgorithm] = {
    "sha256": hashes.SHA256(),
    "sha384": hashes.SHA384(),
    "sha512": hashes.SHA512(),
}
# Edwards keys have a class per curve, (public, private).
_EDWARDS_KEYS: dict[str, tuple[type[Any], type[Any]]] = {
    "Ed25519": (ed25519.Ed25519PublicKey, ed25519.Ed25519PrivateKey),
    "Ed448": (ed448.Ed448PublicKey, ed448.Ed448PrivateKey),
}


def _bind(facts: JwsAlgorithmFacts) -> tuple[Verify, Sign]:
    """The ``cryptography`` implementation of one algorithm's scheme."""
    if facts.scheme == "EdDSA":
        keys = [_EDWARDS_KEYS[crv] for crv in sorted(facts.curves)]
        return _eddsa(tuple(k[0] for k in keys), tuple(k[1] for k in keys))
    assert facts.digest is not None
    if facts.scheme == "HMAC":
        return _hmac(facts.digest.name, facts.digest.size)
    sha = _SHA[facts.digest.name]
    if facts.scheme == "ECDSA":
        (crv,) = facts.curves
        return _ecdsa(sha, crv)
    if facts.scheme == "RSASSA-PSS":
        return _pss(sha)
    assert facts.scheme == "RSASSA-PKCS1-v1_5", facts.scheme  # a new scheme needs its binding
    return _pkcs1(sha)


def _build() -> dict[str, JwsAlgorithm]:
    records = {}
    for facts in JWS_ALGORITHMS.values():
        # Implemented: a real scheme (not "none") whose curves all have a binding.
        if facts.kty is None or not facts.curves <= CURVES.keys():
            continue
        hash_name = facts.digest.name if facts.digest is not None else None
        records[facts.name] = JwsAlgorithm(
            facts.name, facts.kty, facts.curves, hash_name, facts.min_key_bits, *_bind(facts)
        )
    return records


_REGISTRY = _build()
ALGORITHMS: Mapping[str, JwsAlgorithm] = MappingProxyType(_REGISTRY)
SYMMETRIC_ALGORITHMS = frozenset(name for name, a in _REGISTRY.items() if a.symmetric)
ASYMMETRIC_ALGORITHMS = frozenset(_REGISTRY) - SYMMETRIC_ALGORITHMS
# "EdDSA" (RFC 8037) and the fully specified names of RFC 9864 denote the same signatures.
EDDSA_ALGORITHMS = frozenset(n for n in _REGISTRY if JWS_ALGORITHMS[n].scheme == "EdDSA")


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


# ---------------------------------------------------------------------- token hashes


def _hash_function(digest: Digest) -> HashFunction:
    if digest.name == "shake_256":  # an extendable-output function: the length is chosen
        size = digest.size
        return lambda data: hashlib.shake_256(data).digest(size)
    constructor = getattr(hashlib, digest.name)
    return lambda data: constructor(data).digest()


_HASH_FUNCTIONS = {
    d.name: _hash_function(d) for d in {f.token_hash for f in JWS_ALGORITHMS.values()} if d
}
# Every described algorithm, implemented or not: a token hash needs no signature code.
_TOKEN_HASHES: dict[str, HashFunction] = {
    f.name: _HASH_FUNCTIONS[f.token_hash.name]
    for f in JWS_ALGORITHMS.values()
    if f.token_hash is not None
}


def token_hash_function(alg: str, crv: str | None = None) -> HashFunction | None:
    """The ``at_hash``/``c_hash``/``s_hash`` digest for ``alg`` signed by a key on ``crv``.

    ``crv`` matters only for ``EdDSA``: an Ed448 key means SHAKE256 with 114 bytes
    (:func:`~py_identity_model.constants.jose_algorithms.fully_specified`). None for ``none``
    and unknown names.
    """
    return _TOKEN_HASHES.get(fully_specified(alg, crv))


# ------------------------------------------------------------------------------- JWE

JWE_ALGORITHMS = frozenset(KEY_MANAGEMENT)
"""Every JWE ``alg`` that may be allowed; :data:`JWE_DEFAULT_ALGORITHMS` when none is chosen."""
JWE_DEFAULT_ALGORITHMS = frozenset(n for n, f in KEY_MANAGEMENT.items() if f.default)
JWE_ENCRYPTIONS = frozenset(CONTENT_ENCRYPTION)
"""Every JWE ``enc``; all of them are allowed by default."""
ECDH_CURVES = frozenset(n for n, c in CURVES.items() if c.key_agreement)
"""The implemented curves ECDH-ES agrees on."""
