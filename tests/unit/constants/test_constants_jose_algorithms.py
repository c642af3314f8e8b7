"""The JOSE algorithm facts (constants.jose_algorithms): complete, consistent, rules written once."""

from __future__ import annotations

import ast
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from py_identity_model.constants import (
    ContentEncryptionAlgorithms,
    Curves,
    JwtTypes,
    KeyManagementAlgorithms,
    KeyTypes,
    SigningAlgorithms,
)
from py_identity_model.constants.jose_algorithms import (
    CONTENT_ENCRYPTION,
    CURVE_FACTS,
    DPOP_ATH_HASH,
    JWS_ALGORITHMS,
    KEY_MANAGEMENT,
    MIN_RSA_KEY_BITS,
    SHA256,
    SHA512,
    SHAKE256_114,
    fully_specified,
    token_hash,
)

CONSTANTS_DIR = Path(__file__).resolve().parents[3] / "src" / "py_identity_model" / "constants"


# --------------------------------------------------------------------- completeness


def test_every_enum_member_has_facts_and_every_fact_a_member() -> None:
    assert set(JWS_ALGORITHMS) == {m.value for m in SigningAlgorithms}
    assert set(KEY_MANAGEMENT) == {m.value for m in KeyManagementAlgorithms}
    assert set(CONTENT_ENCRYPTION) == {m.value for m in ContentEncryptionAlgorithms}
    assert set(CURVE_FACTS) == {m.value for m in Curves}


@pytest.mark.parametrize(
    "table", [JWS_ALGORITHMS, KEY_MANAGEMENT, CONTENT_ENCRYPTION, CURVE_FACTS], ids=repr
)
def test_tables_are_keyed_by_their_records_names(table: dict[str, object]) -> None:
    assert all(getattr(facts, "name", None) == name for name, facts in table.items())


# --------------------------------------------------------------------------- JWS


def test_jws_facts_are_consistent_with_the_curves() -> None:
    key_types = {m.value for m in KeyTypes}
    for name, facts in JWS_ALGORITHMS.items():
        assert facts.kty is None or facts.kty in key_types, name
        for crv in facts.curves:
            assert CURVE_FACTS[crv].kty == facts.kty, name
            assert CURVE_FACTS[crv].signs, name
        assert not (facts.symmetric and facts.asymmetric), name
    assert [n for n, f in JWS_ALGORITHMS.items() if f.kty is None] == ["none"]


@pytest.mark.parametrize(
    ("prefix", "scheme", "kty", "min_bits"),
    [
        ("HS", "HMAC", "oct", None),
        ("RS", "RSASSA-PKCS1-v1_5", "RSA", MIN_RSA_KEY_BITS),
        ("PS", "RSASSA-PSS", "RSA", MIN_RSA_KEY_BITS),
        ("ES", "ECDSA", "EC", 0),
    ],
)
@pytest.mark.parametrize("bits", [256, 384, 512])
def test_sha2_families(prefix: str, scheme: str, kty: str, min_bits: int | None, bits: int) -> None:
    facts = JWS_ALGORITHMS[f"{prefix}{bits}"]
    assert (facts.scheme, facts.kty) == (scheme, kty)
    assert facts.digest is not None
    assert facts.digest.name == f"sha{bits}"
    assert facts.digest.size == bits // 8
    assert facts.token_hash == facts.digest  # at_hash uses the signature's hash
    assert facts.min_key_bits == (bits if min_bits is None else min_bits)


def test_digest_sizes_are_hashlib_output_sizes() -> None:
    digests = {f.digest for f in JWS_ALGORITHMS.values()} | {
        f.token_hash for f in JWS_ALGORITHMS.values()
    }
    for digest in digests - {None}:
        assert digest is not None
        if digest.name == "shake_256":  # extendable output: the size is the registry's choice
            assert digest.size == 114
        else:
            assert hashlib.new(digest.name).digest_size == digest.size


def test_ed448_token_hash_rule() -> None:
    assert token_hash("Ed448") == SHAKE256_114
    assert token_hash("EdDSA", "Ed448") == SHAKE256_114
    assert token_hash("EdDSA", "Ed25519") == SHA512 == token_hash("Ed25519")
    assert token_hash("EdDSA") == SHA512  # the curve unknown: Ed25519's hash
    assert token_hash("EdDSA", "P-256") == SHA512
    assert token_hash("Ed448", "Ed25519") == SHAKE256_114  # a fully specified alg stays itself
    assert token_hash("ES256K") == SHA256
    assert token_hash("none") is None
    assert token_hash("RS1") is None


def test_fully_specified() -> None:
    assert fully_specified("EdDSA", "Ed448") == "Ed448"
    assert fully_specified("EdDSA", "Ed25519") == "Ed25519"
    assert fully_specified("EdDSA", None) == "EdDSA"
    assert fully_specified("EdDSA", "X25519") == "EdDSA"
    assert fully_specified("ES256", "P-256") == "ES256"


def test_dpop_ath_is_sha256() -> None:
    assert DPOP_ATH_HASH == SHA256


@pytest.mark.parametrize("member", list(SigningAlgorithms))
def test_enum_properties_read_the_table(member: SigningAlgorithms) -> None:
    facts = JWS_ALGORITHMS[member.value]
    assert (member.key_type.value if member.key_type else None) == facts.kty
    expected_curve = next(iter(facts.curves)) if len(facts.curves) == 1 else None
    assert (member.curve.value if member.curve else None) == expected_curve
    assert member.is_symmetric is facts.symmetric
    assert member.is_asymmetric is facts.asymmetric


# --------------------------------------------------------------------------- curves


def test_curve_facts() -> None:
    assert {n for n, c in CURVE_FACTS.items() if not c.signs} == {"X25519", "X448"}
    assert {n for n, c in CURVE_FACTS.items() if c.key_agreement} == {
        "P-256", "P-384", "P-521", "X25519", "X448",
    }  # fmt: skip
    for curve in CURVE_FACTS.values():
        assert curve.coordinate_size == (curve.bits + 7) // 8 or curve.name == "Ed448"
    assert CURVE_FACTS["Ed448"].coordinate_size == 57  # RFC 8032: 456-bit encoding


# ---------------------------------------------------------------------------- JWE


def test_key_management_facts() -> None:
    not_default = {n for n, f in KEY_MANAGEMENT.items() if not f.default}
    assert not_default == {
        "RSA1_5", "PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW",
    }  # fmt: skip
    assert {n for n, f in KEY_MANAGEMENT.items() if f.direct} == {"dir", "ECDH-ES"}
    sizes = {n: f.key_bytes for n, f in KEY_MANAGEMENT.items() if f.key_bytes is not None}
    assert sizes == {
        "A128KW": 16, "A192KW": 24, "A256KW": 32,
        "A128GCMKW": 16, "A192GCMKW": 24, "A256GCMKW": 32,
    }  # fmt: skip
    for name, facts in KEY_MANAGEMENT.items():
        assert facts.key_types <= {m.value for m in KeyTypes}, name
        if facts.family == "ECDH-ES":
            assert facts.key_types == {"EC", "OKP"}
            assert name.startswith("ECDH-ES")


def test_content_encryption_facts() -> None:
    for name, facts in CONTENT_ENCRYPTION.items():
        if name.endswith("GCM"):
            assert (facts.iv_bytes, facts.tag_bytes) == (12, 16)
            assert facts.key_bytes * 8 == int(name[1:4])
        else:  # AES_CBC_HMAC_SHA2: two keys, a tag half the HMAC output (RFC 7518 §5.2)
            assert facts.iv_bytes == 16
            assert facts.key_bytes * 8 == 2 * int(name[1:4])
            assert facts.tag_bytes == facts.key_bytes // 2


# ----------------------------------------------------------------------------- typ


@pytest.mark.parametrize(
    ("typ", "normal"),
    [
        ("at+jwt", "at+jwt"),
        ("AT+JWT", "at+jwt"),
        ("application/at+jwt", "at+jwt"),
        ("Application/At+Jwt", "at+jwt"),
        ("JWT", "jwt"),
        ("text/at+jwt", "text/at+jwt"),
        ("application/application/jwt", "application/jwt"),
        (" at+jwt", " at+jwt"),  # a token's typ is not trimmed
        ("", ""),
    ],
)
def test_typ_normalisation(typ: str, normal: str) -> None:
    assert JwtTypes.normalise(typ) == normal


def test_media_type_accepts_a_full_media_type() -> None:
    assert JwtTypes.as_media_type("application/at+jwt") == "application/at+jwt"
    assert JwtTypes.as_media_type(" DPoP+JWT ") == "application/dpop+jwt"
    with pytest.raises(ValueError, match="whitespace"):
        JwtTypes.as_media_type("")


# ------------------------------------------------------------------------ layering


def test_constants_import_nothing_else_of_the_library() -> None:
    # constants/ is the bottom layer: any other package of ours may import it, never the reverse.
    for path in CONSTANTS_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.level <= 1, (path.name, node.module)
                assert node.level == 1 or not (node.module or "").startswith("py_identity_model")
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith("py_identity_model") for a in node.names)


def test_the_facts_load_alone() -> None:
    code = (
        "import sys\n"
        "import py_identity_model.constants.jose_algorithms\n"
        "ours = sorted(m for m in sys.modules if m.startswith('py_identity_model.constants'))\n"
        "print(','.join(ours), 'cryptography' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # The package __init__ is lazy: the enumerations of the other modules are not built.
    assert out.stdout.split() == [
        "py_identity_model.constants,py_identity_model.constants.jose_algorithms",
        "False",
    ]
