"""JOSE for py-identity-model: JWK, JWK Set, the algorithm registry, compact JWS and JWE.

The registry (:mod:`.registry`) is built from the facts in
:mod:`py_identity_model.constants.jose_algorithms`. JWE decryption (:mod:`.jwe`) is not
imported here: it is loaded only when an encrypted token arrives.

Pure code, no I/O. Keys come from the caller (or a JWKS the caller fetched); nothing here
ever reads a key from a token header.
"""

from .jwk import JsonWebKey
from .jws import MAX_TOKEN_LENGTH, CompactJws, parse_compact, sign_compact, verify_compact
from .key_policy import check_signing_key, check_verification_key, key_fits
from .keyset import JsonWebKeySet, SkippedKey
from .registry import (
    ALGORITHMS,
    ASYMMETRIC_ALGORITHMS,
    EDDSA_ALGORITHMS,
    MIN_RSA_KEY_BITS,
    SYMMETRIC_ALGORITHMS,
    JwsAlgorithm,
    get_algorithm,
    is_none_algorithm,
)

__all__ = [
    "ALGORITHMS",
    "ASYMMETRIC_ALGORITHMS",
    "EDDSA_ALGORITHMS",
    "MAX_TOKEN_LENGTH",
    "MIN_RSA_KEY_BITS",
    "SYMMETRIC_ALGORITHMS",
    "CompactJws",
    "JsonWebKey",
    "JsonWebKeySet",
    "JwsAlgorithm",
    "SkippedKey",
    "check_signing_key",
    "check_verification_key",
    "get_algorithm",
    "is_none_algorithm",
    "key_fits",
    "parse_compact",
    "sign_compact",
    "verify_compact",
]
