"""Left-half hashes (at_hash / c_hash / s_hash), checked against independent computations."""

from __future__ import annotations

import base64
import hashlib
import time
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519

from py_identity_model import TokenValidationConfig, validate_id_token
from py_identity_model.exceptions import IdTokenValidationException
from py_identity_model.jose import JsonWebKey, sign_compact
from py_identity_model.validation.hashes import hash_for_alg, left_half_hash


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def expected(value: str, digest: bytes) -> str:
    return b64url(digest[: len(digest) // 2])


# Published vectors (RS256 / SHA-256):
# * OpenID Connect Core 1.0, Appendix A.3 (at_hash) and A.4 (c_hash);
# * Ping Identity developer guide, "Validating an at_hash".
@pytest.mark.parametrize(
    ("value", "published"),
    [
        ("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", "77QmUPtjPfzWtF2AnpK9RQ"),
        ("Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk", "LDktKdoQak3Pk0cnXxCltA"),
        ("dNZX1hEZ9wBCzNL40Upu646bdzQA", "wfgvmE9VxjAudsl9lc6TqA"),
    ],
)
def test_published_vectors(value: str, published: str) -> None:
    assert left_half_hash(value, "RS256") == published


TOKEN = "ya29.a0AfH6SMB-access-token-example"


@pytest.mark.parametrize(
    ("alg", "digest"),
    [
        ("RS256", hashlib.sha256(TOKEN.encode()).digest()),
        ("HS256", hashlib.sha256(TOKEN.encode()).digest()),
        ("PS256", hashlib.sha256(TOKEN.encode()).digest()),
        ("ES256", hashlib.sha256(TOKEN.encode()).digest()),
        ("ES256K", hashlib.sha256(TOKEN.encode()).digest()),
        ("ES384", hashlib.sha384(TOKEN.encode()).digest()),
        ("RS384", hashlib.sha384(TOKEN.encode()).digest()),
        ("PS512", hashlib.sha512(TOKEN.encode()).digest()),
        ("ES512", hashlib.sha512(TOKEN.encode()).digest()),
        ("HS512", hashlib.sha512(TOKEN.encode()).digest()),
        ("EdDSA", hashlib.sha512(TOKEN.encode()).digest()),
        ("Ed25519", hashlib.sha512(TOKEN.encode()).digest()),
        ("Ed448", hashlib.shake_256(TOKEN.encode()).digest(114)),
    ],
)
def test_hash_per_algorithm(alg: str, digest: bytes) -> None:
    assert left_half_hash(TOKEN, alg) == expected(TOKEN, digest)


def test_half_lengths() -> None:
    assert len(base64.urlsafe_b64decode(left_half_hash("x", "RS256") + "==")) == 16
    assert len(base64.urlsafe_b64decode(left_half_hash("x", "ES384") + "==")) == 24
    assert len(base64.urlsafe_b64decode(left_half_hash("x", "PS512") + "==")) == 32
    assert len(base64.urlsafe_b64decode(left_half_hash("x", "Ed448") + "==")) == 57


def test_eddsa_with_ed448_curve_uses_shake256() -> None:
    digest = hashlib.shake_256(TOKEN.encode()).digest(114)
    assert left_half_hash(TOKEN, "EdDSA", crv="Ed448") == expected(TOKEN, digest)
    assert left_half_hash(TOKEN, "EdDSA", crv="Ed25519") == left_half_hash(TOKEN, "Ed25519")


def test_hash_for_alg_returns_full_digest() -> None:
    assert hash_for_alg("RS256")(b"abc") == hashlib.sha256(b"abc").digest()
    assert hash_for_alg("Ed448")(b"abc") == hashlib.shake_256(b"abc").digest(114)


@pytest.mark.parametrize(
    "alg", ["none", "NONE", "", "RS1", "rs256", "XS256", "ML-DSA-44", None, 256]
)
def test_unknown_algorithm_rejected(alg: object) -> None:
    with pytest.raises(IdTokenValidationException):
        hash_for_alg(alg)  # type: ignore[arg-type]
    with pytest.raises(IdTokenValidationException):
        left_half_hash("value", alg)  # type: ignore[arg-type]


def test_output_has_no_padding() -> None:
    assert "=" not in left_half_hash("abc", "RS256")


# ------------------------------------------------- through validate_id_token, end to end

ISSUER = "https://op.example.com"


def _half(digest: str) -> str:
    full = hashlib.new(digest, TOKEN.encode())
    return expected(TOKEN, full.digest(114) if digest == "shake_256" else full.digest())  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("alg", "private", "digest"),
    [
        pytest.param("EdDSA", ed448.Ed448PrivateKey.generate(), "shake_256", id="EdDSA-Ed448"),
        pytest.param("EdDSA", ed25519.Ed25519PrivateKey.generate(), "sha512", id="EdDSA-Ed25519"),
        pytest.param("Ed448", ed448.Ed448PrivateKey.generate(), "shake_256", id="Ed448"),
        pytest.param("ES384", ec.generate_private_key(ec.SECP384R1()), "sha384", id="ES384"),
    ],
)
def test_id_token_at_hash_follows_the_signing_key(alg: str, private: Any, digest: str) -> None:
    # The hash for EdDSA is chosen by the key's curve (the registry's one Ed448 rule), and
    # the other candidate hash is refused.
    key = JsonWebKey.from_key(private)
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": "client", "sub": "alice", "iat": now, "exp": now + 300}
    config = TokenValidationConfig(False, key.public_jwk().to_dict(), "client", [alg], ISSUER)
    good = sign_compact({**claims, "at_hash": _half(digest)}, key, alg)
    assert validate_id_token(good, config, access_token=TOKEN)["sub"] == "alice"
    wrong = "sha512" if digest == "shake_256" else "shake_256"
    bad = sign_compact({**claims, "at_hash": _half(wrong)}, key, alg)
    with pytest.raises(IdTokenValidationException, match="at_hash"):
        validate_id_token(bad, config, access_token=TOKEN)
