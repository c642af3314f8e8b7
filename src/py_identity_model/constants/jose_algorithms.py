"""The IANA JOSE algorithm registries as data: JWS and JWE algorithms, curves, hashes.

Every fact about an algorithm lives here once; the enumerations of :mod:`.jose` and the
``cryptography``-bound registry (:mod:`py_identity_model.jose.registry`) both read these
tables. The module is pure data (no ``cryptography``, nothing else of this library), keyed
by the wire names so that a lookup with a header value costs one dict access.

Sources: RFC 7518 sections 3.1, 4.1, 5.1 and 6.2; RFC 8037 sections 2 and 3 (OKP, EdDSA,
ECDH-ES with X25519/X448); RFC 8812 (``ES256K``, ``secp256k1``); RFC 9864 (the fully
specified ``Ed25519``/``Ed448``); OpenID Connect Core 1.0 section 3.1.3.6 (``at_hash``,
``c_hash``), FAPI 1.0 Advanced section 5.1 (``s_hash``), RFC 9449 section 4.2 (``ath``).

The tables describe the registries; which of these algorithms the library *implements*
(``ES256K`` and ``secp256k1`` are described but not implemented) and which it *allows by
default* is decided by :mod:`py_identity_model.jose.registry`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

__all__ = [
    "CONTENT_ENCRYPTION",
    "CURVE_FACTS",
    "DPOP_ATH_HASH",
    "JWS_ALGORITHMS",
    "KEY_MANAGEMENT",
    "MIN_RSA_KEY_BITS",
    "SHA256",
    "SHA384",
    "SHA512",
    "SHAKE256_114",
    "ContentEncryptionFacts",
    "CurveFacts",
    "Digest",
    "JwsAlgorithmFacts",
    "KeyManagementFacts",
    "fully_specified",
    "token_hash",
]

MIN_RSA_KEY_BITS = 2048
"""The smallest RSA modulus accepted for any RSA algorithm, JWS or JWE (RFC 7518 §3.3)."""


# The records are NamedTuples rather than frozen dataclasses: as immutable, and a tenth of the
# cost to define, which the first validation pays (it imports this module).


class Digest(NamedTuple):
    """A hash function by its :mod:`hashlib` name, with its output length in bytes."""

    name: str
    size: int


SHA256 = Digest("sha256", 32)
SHA384 = Digest("sha384", 48)
SHA512 = Digest("sha512", 64)
SHAKE256_114 = Digest("shake_256", 114)  # RFC 8032 §5.2: Ed448 hashes with SHAKE256, 114 octets

DPOP_ATH_HASH = SHA256
"""RFC 9449 §4.2: a DPoP proof's ``ath`` is SHA-256 of the access token, whatever its alg."""


class JwsAlgorithmFacts(NamedTuple):
    """One JWS ``alg`` (RFC 7518 §3.1): which keys it takes and which hashes it implies."""

    name: str
    scheme: str | None
    """``HMAC``, ``RSASSA-PKCS1-v1_5``, ``RSASSA-PSS``, ``ECDSA``, ``EdDSA``; None for ``none``."""
    kty: str | None
    """The JWK ``kty`` of its keys; None for ``none``, which takes no key."""
    curves: frozenset[str]
    """The curves its key may be on; empty when the key type has no curve."""
    digest: Digest | None
    """The hash inside the signature; None where the scheme brings its own (EdDSA)."""
    token_hash: Digest | None
    """The hash of ``at_hash``, ``c_hash`` and ``s_hash`` (OIDC Core §3.1.3.6)."""
    min_key_bits: int
    """The smallest key accepted; 0 when the curve fixes the size."""

    @property
    def symmetric(self) -> bool:
        """HMAC, with a shared ``oct`` secret."""
        return self.kty == "oct"

    @property
    def asymmetric(self) -> bool:
        """A public-key signature (RSA, EC or OKP key)."""
        return self.kty is not None and self.kty != "oct"


def _jws_table() -> dict[str, JwsAlgorithmFacts]:
    fact, rsa_bits = JwsAlgorithmFacts, MIN_RSA_KEY_BITS
    no_curve: frozenset[str] = frozenset()
    ed25519, ed448 = frozenset({"Ed25519"}), frozenset({"Ed448"})
    facts = []
    for bits, sha in ((256, SHA256), (384, SHA384), (512, SHA512)):
        facts += [
            fact(f"HS{bits}", "HMAC", "oct", no_curve, sha, sha, bits),
            fact(f"RS{bits}", "RSASSA-PKCS1-v1_5", "RSA", no_curve, sha, sha, rsa_bits),
            fact(f"PS{bits}", "RSASSA-PSS", "RSA", no_curve, sha, sha, rsa_bits),
        ]
    ec = ((256, "P-256", SHA256), (384, "P-384", SHA384), (512, "P-521", SHA512))
    facts += [fact(f"ES{b}", "ECDSA", "EC", frozenset({c}), h, h, 0) for b, c, h in ec]
    facts += [
        fact("ES256K", "ECDSA", "EC", frozenset({"secp256k1"}), SHA256, SHA256, 0),
        # EdDSA's token hash with an unknown curve is Ed25519's SHA-512 (OpenID Foundation
        # guidance); an Ed448 key makes it Ed448's, through fully_specified().
        fact("EdDSA", "EdDSA", "OKP", ed25519 | ed448, None, SHA512, 0),
        fact("Ed25519", "EdDSA", "OKP", ed25519, None, SHA512, 0),
        fact("Ed448", "EdDSA", "OKP", ed448, None, SHAKE256_114, 0),
        fact("none", None, None, no_curve, None, None, 0),
    ]
    return {f.name: f for f in facts}


JWS_ALGORITHMS: Mapping[str, JwsAlgorithmFacts] = MappingProxyType(_jws_table())

# RFC 9864: the polymorphic "EdDSA" together with its key's curve is exactly the fully
# specified algorithm of that curve.
_EDDSA_BY_CURVE = {"Ed25519": "Ed25519", "Ed448": "Ed448"}


def fully_specified(alg: str, crv: str | None) -> str:
    """The algorithm ``alg`` is with a key on ``crv``: ``EdDSA`` + Ed448 is ``Ed448``.

    Every other combination is ``alg`` unchanged.
    """
    if alg == "EdDSA" and crv is not None:
        return _EDDSA_BY_CURVE.get(crv, alg)
    return alg


def token_hash(alg: str, crv: str | None = None) -> Digest | None:
    """The ``at_hash``/``c_hash``/``s_hash`` hash for ``alg`` signed by a key on ``crv``.

    ``crv`` matters only for ``EdDSA`` (an Ed448 key selects SHAKE256 with 114 bytes).
    None for ``none`` and for names that are not JWS algorithms.
    """
    facts = JWS_ALGORITHMS.get(fully_specified(alg, crv))
    return facts.token_hash if facts is not None else None


class CurveFacts(NamedTuple):
    """One JWK ``crv`` (RFC 7518 §6.2.1.1, RFC 8037 §2, RFC 8812)."""

    name: str
    kty: str
    bits: int
    """The size ``JsonWebKey.key_size`` reports."""
    coordinate_size: int
    """The exact length of an encoded coordinate or key: RFC 7518 §6.2.1.2 keeps leading zeros."""
    signs: bool
    """Whether it makes signatures; X25519 and X448 only agree on keys."""
    key_agreement: bool
    """Whether ECDH-ES may use it (RFC 7518 §4.6, RFC 8037 §3.2)."""


CURVE_FACTS: Mapping[str, CurveFacts] = MappingProxyType(
    {
        c.name: c
        for c in (
            CurveFacts("P-256", "EC", 256, 32, signs=True, key_agreement=True),
            CurveFacts("P-384", "EC", 384, 48, signs=True, key_agreement=True),
            CurveFacts("P-521", "EC", 521, 66, signs=True, key_agreement=True),
            # RFC 8812 specifies secp256k1 for ECDSA signatures (ES256K) only.
            CurveFacts("secp256k1", "EC", 256, 32, signs=True, key_agreement=False),
            CurveFacts("Ed25519", "OKP", 255, 32, signs=True, key_agreement=False),
            CurveFacts("Ed448", "OKP", 448, 57, signs=True, key_agreement=False),
            CurveFacts("X25519", "OKP", 255, 32, signs=False, key_agreement=True),
            CurveFacts("X448", "OKP", 448, 56, signs=False, key_agreement=True),
        )
    }
)


class KeyManagementFacts(NamedTuple):
    """One JWE ``alg`` (RFC 7518 §4.1): how the content encryption key reaches the recipient."""

    name: str
    family: str
    """``RSA``, ``ECDH-ES``, ``AES-KW``, ``AES-GCM-KW``, ``dir`` or ``PBES2``."""
    key_types: frozenset[str]
    """The JWK ``kty`` values of the recipient's key."""
    key_bytes: int | None
    """The exact size of the ``oct`` key for AES key wrap; None when no AES key is given."""
    direct: bool
    """The CEK is agreed or shared, not transported: the encrypted-key segment is empty."""
    default: bool
    """Allowed unless the caller chooses; RSA1_5 (Bleichenbacher) and PBES2 (a password, and a
    cost the sender picks) have to be asked for."""


def _key_management_table() -> dict[str, KeyManagementFacts]:
    rsa, ecdh, oct_ = frozenset({"RSA"}), frozenset({"EC", "OKP"}), frozenset({"oct"})
    facts = [
        KeyManagementFacts("RSA1_5", "RSA", rsa, None, direct=False, default=False),
        KeyManagementFacts("RSA-OAEP", "RSA", rsa, None, direct=False, default=True),
        KeyManagementFacts("RSA-OAEP-256", "RSA", rsa, None, direct=False, default=True),
        KeyManagementFacts("ECDH-ES", "ECDH-ES", ecdh, None, direct=True, default=True),
        KeyManagementFacts("dir", "dir", oct_, None, direct=True, default=True),
    ]
    for bits in (128, 192, 256):
        facts += [
            KeyManagementFacts(f"ECDH-ES+A{bits}KW", "ECDH-ES", ecdh, None, False, True),
            KeyManagementFacts(f"A{bits}KW", "AES-KW", oct_, bits // 8, False, True),
            KeyManagementFacts(f"A{bits}GCMKW", "AES-GCM-KW", oct_, bits // 8, False, True),
        ]
    facts += [
        KeyManagementFacts(f"PBES2-HS{hs}+A{kw}KW", "PBES2", oct_, None, False, False)
        for hs, kw in ((256, 128), (384, 192), (512, 256))
    ]
    return {f.name: f for f in facts}


KEY_MANAGEMENT: Mapping[str, KeyManagementFacts] = MappingProxyType(_key_management_table())


class ContentEncryptionFacts(NamedTuple):
    """One JWE ``enc`` (RFC 7518 §5.2, §5.3): the sizes a token must have."""

    name: str
    iv_bytes: int
    tag_bytes: int
    key_bytes: int
    """The size of the CEK, and so of a ``dir`` key."""


CONTENT_ENCRYPTION: Mapping[str, ContentEncryptionFacts] = MappingProxyType(
    {
        c.name: c
        for c in (
            ContentEncryptionFacts("A128CBC-HS256", 16, 16, 32),
            ContentEncryptionFacts("A192CBC-HS384", 16, 24, 48),
            ContentEncryptionFacts("A256CBC-HS512", 16, 32, 64),
            ContentEncryptionFacts("A128GCM", 12, 16, 16),
            ContentEncryptionFacts("A192GCM", 12, 16, 24),
            ContentEncryptionFacts("A256GCM", 12, 16, 32),
        )
    }
)
