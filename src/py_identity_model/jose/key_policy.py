"""Whether a key may be used with an algorithm: key type, curve, size, ``use``/``key_ops``/``alg``.

The rules (RFC 7517 §4.2-4.4, RFC 7518, api-compat §2):

* the algorithm must fit the key's ``kty`` (HS* never fits an RSA/EC/OKP key, which is the
  classic key-confusion attack) and its curve (ES256 needs P-256, ES384 P-384, ES512 P-521);
* RSA keys have at least 2048 bits; HMAC keys are at least as long as the hash output;
* HMAC needs ``allow_symmetric=True``: only a secret the caller configured explicitly
  qualifies, never an ``oct`` key found in a remote JWKS;
* ``use`` must be absent or "sig", ``key_ops`` absent or listing the operation, and the key's
  own ``alg`` absent or equal to the algorithm.
"""

from __future__ import annotations

from py_identity_model.exceptions import InvalidAlgorithmException, InvalidKeyException

from .jwk import JsonWebKey
from .registry import JwsAlgorithm

__all__ = ["check_signing_key", "check_verification_key", "key_fits"]


def _refuse_symmetric(alg: JwsAlgorithm) -> InvalidAlgorithmException:
    return InvalidAlgorithmException(
        f"alg {alg.name} needs a symmetric key configured explicitly (allow_symmetric=True); "
        "keys from a JWKS are never used for HMAC",
        "header",
    )


def _check_type_and_size(alg: JwsAlgorithm, key: JsonWebKey) -> None:
    if key.kty != alg.kty:
        raise InvalidAlgorithmException(f"alg {alg.name} does not fit a {key.kty} key", "header")
    if alg.curves and key.crv not in alg.curves:
        needed = " or ".join(sorted(alg.curves))
        raise InvalidAlgorithmException(
            f"alg {alg.name} needs a key on {needed}, not {str(key.crv)[:16]}", "header"
        )
    if alg.min_key_bits and key.key_size < alg.min_key_bits:
        raise InvalidKeyException(
            f"{key.kty} key of {key.key_size} bits is below the {alg.min_key_bits}-bit "
            f"minimum for {alg.name}"
        )


def check_verification_key(alg: JwsAlgorithm, key: JsonWebKey, *, allow_symmetric: bool) -> None:
    """Raise InvalidAlgorithmException / InvalidKeyException unless ``key`` may verify ``alg``."""
    if alg.kty == "oct" and not allow_symmetric:
        raise _refuse_symmetric(alg)
    _check_type_and_size(alg, key)
    refusal = key.verification_refusal(alg.name)
    if refusal is not None:
        raise InvalidKeyException(f"key {_kid(key)}is not usable to verify {alg.name}: {refusal}")


def check_signing_key(alg: JwsAlgorithm, key: JsonWebKey) -> None:
    """Raise InvalidAlgorithmException / InvalidKeyException unless ``key`` may sign ``alg``."""
    _check_type_and_size(alg, key)
    refusal = key.signing_refusal(alg.name)
    if refusal is not None:
        raise InvalidKeyException(f"key {_kid(key)}is not usable to sign {alg.name}: {refusal}")


def key_fits(alg: JwsAlgorithm, key: JsonWebKey, *, allow_symmetric: bool) -> bool:
    """Whether ``key`` is a candidate for ``alg``: type, curve and usage (size is checked later,
    so that a too-small key is reported as such rather than as missing)."""
    if alg.kty != key.kty or (alg.kty == "oct" and not allow_symmetric):
        return False
    if alg.curves and key.crv not in alg.curves:
        return False
    return key.verification_refusal(alg.name) is None


def _kid(key: JsonWebKey) -> str:
    return f"{key.kid[:64]!r} " if key.kid is not None else ""
