"""The cryptography-bound registry (jose.registry) is built from the facts, and derives the rest."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from py_identity_model.constants import KeyManagementAlgorithms, SigningAlgorithms
from py_identity_model.constants.jose_algorithms import (
    CURVE_FACTS,
    JWS_ALGORITHMS,
    KEY_MANAGEMENT,
    CurveFacts,
)
from py_identity_model.exceptions import InvalidAlgorithmException
from py_identity_model.jose import jwe
from py_identity_model.jose.curves import CURVES, Curve
from py_identity_model.jose.registry import (
    ALGORITHMS,
    ASYMMETRIC_ALGORITHMS,
    ECDH_CURVES,
    EDDSA_ALGORITHMS,
    JWE_ALGORITHMS,
    JWE_DEFAULT_ALGORITHMS,
    JWE_ENCRYPTIONS,
    MIN_RSA_KEY_BITS,
    SYMMETRIC_ALGORITHMS,
    HashFunction,
    get_algorithm,
    token_hash_function,
)

# What the library implemented before the registry was built from the facts: unchanged.
IMPLEMENTED = {
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
    "ES256", "ES384", "ES512", "EdDSA", "Ed25519", "Ed448",
}  # fmt: skip


def test_implemented_algorithms() -> None:
    assert set(ALGORITHMS) == IMPLEMENTED
    described = {m.value for m in SigningAlgorithms}
    assert described - set(ALGORITHMS) == {"none", "ES256K"}  # secp256k1 has no binding


@pytest.mark.parametrize("name", sorted(IMPLEMENTED))
def test_records_carry_the_facts(name: str) -> None:
    record, facts = ALGORITHMS[name], JWS_ALGORITHMS[name]
    assert record.name == facts.name == name
    assert record.kty == facts.kty
    assert record.curves == facts.curves
    assert record.min_key_bits == facts.min_key_bits
    assert record.hash_name == (facts.digest.name if facts.digest else None)
    assert record.symmetric is facts.symmetric
    assert get_algorithm(name) is record


def test_derived_sets() -> None:
    assert SYMMETRIC_ALGORITHMS == {"HS256", "HS384", "HS512"}
    assert SYMMETRIC_ALGORITHMS | ASYMMETRIC_ALGORITHMS == set(ALGORITHMS)
    assert not SYMMETRIC_ALGORITHMS & ASYMMETRIC_ALGORITHMS
    assert {n for n in ASYMMETRIC_ALGORITHMS if not JWS_ALGORITHMS[n].asymmetric} == set()
    assert EDDSA_ALGORITHMS == {"EdDSA", "Ed25519", "Ed448"}
    assert MIN_RSA_KEY_BITS == 2048


@pytest.mark.parametrize("name", ["ES256K", "none", "NONE", "es256", "RS1"])
def test_not_implemented_is_refused(name: str) -> None:
    with pytest.raises(InvalidAlgorithmException):
        get_algorithm(name)


# ------------------------------------------------------------------------ curves


def test_curves_are_the_bound_facts() -> None:
    assert set(CURVES) == set(CURVE_FACTS) - {"secp256k1"}
    assert Curve._fields[:-1] == CurveFacts._fields
    for name, curve in CURVES.items():
        assert curve[:-1] == CURVE_FACTS[name]
        assert (curve.ec_curve is not None) == (curve.kty == "EC")
        if curve.ec_curve is not None:
            assert curve.ec_curve().key_size == curve.bits
            assert issubclass(curve.ec_curve, ec.EllipticCurve)


# ------------------------------------------------------------------- token hashes

DATA = b"an access token"


@pytest.mark.parametrize("name", sorted(set(JWS_ALGORITHMS) - {"none"}))
def test_every_described_algorithm_has_a_token_hash(name: str) -> None:
    function = token_hash_function(name)
    facts = JWS_ALGORITHMS[name].token_hash
    assert function is not None and facts is not None
    assert len(function(DATA)) == facts.size


def _hash(alg: str, crv: str | None = None) -> HashFunction:
    function = token_hash_function(alg, crv)
    assert function is not None
    return function


def test_token_hash_values_and_the_ed448_rule() -> None:
    sha512 = hashlib.sha512(DATA).digest()
    shake = hashlib.shake_256(DATA).digest(114)
    assert _hash("RS256")(DATA) == hashlib.sha256(DATA).digest()
    assert _hash("ES384")(DATA) == hashlib.sha384(DATA).digest()
    assert _hash("EdDSA")(DATA) == sha512
    assert _hash("EdDSA", "Ed25519")(DATA) == sha512
    assert _hash("EdDSA", "Ed448")(DATA) == shake
    assert _hash("Ed448")(DATA) == shake
    assert token_hash_function("none") is None
    assert token_hash_function("rs256") is None


# --------------------------------------------------------------------------- JWE


def test_jwe_allow_lists() -> None:
    assert {m.value for m in KeyManagementAlgorithms} == JWE_ALGORITHMS == set(KEY_MANAGEMENT)
    # The defaults as they were before the tables moved into the registry.
    assert JWE_DEFAULT_ALGORITHMS == {
        "RSA-OAEP", "RSA-OAEP-256", "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW",
        "ECDH-ES+A256KW", "A128KW", "A192KW", "A256KW", "A128GCMKW", "A192GCMKW", "A256GCMKW",
        "dir",
    }  # fmt: skip
    assert JWE_ENCRYPTIONS == {
        "A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A192GCM", "A256GCM",
    }  # fmt: skip
    assert ECDH_CURVES == {"P-256", "P-384", "P-521", "X25519", "X448"}
    assert jwe.DEFAULT_ALGORITHMS is JWE_DEFAULT_ALGORITHMS
    assert jwe.DEFAULT_ENCRYPTIONS is JWE_ENCRYPTIONS


def test_jwe_module_has_no_tables_of_its_own() -> None:
    for stale in ("_RSA", "_ECDH", "_PBES2", "_WRAP_KEY_BYTES", "_DIRECT", "_ENCRYPTIONS"):
        assert not hasattr(jwe, stale), stale
