"""JsonWebKey: field order, member validation, repr, caching, usage rules."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa, x25519
from jose_support import b64, jwk_for, wycheproof

from py_identity_model.exceptions import (
    ConfigurationException,
    InvalidAlgorithmException,
    InvalidKeyException,
)
from py_identity_model.jose import JsonWebKey, sign_compact
from py_identity_model.jose.key_conversion import is_roca_vulnerable
from py_identity_model.utils.encoding import b64url_decode

FIELD_ORDER = [
    "kty", "use", "key_ops", "alg", "kid", "x5u", "x5c", "x5t", "x5t_s256", "crv", "x", "y",
    "d", "n", "e", "p", "q", "dp", "dq", "qi", "oth", "k",
]  # fmt: skip


def test_fields_keep_the_4x_order_and_extra_is_keyword_only() -> None:
    fields = dataclasses.fields(JsonWebKey)
    assert [f.name for f in fields] == [*FIELD_ORDER, "extra"]
    assert fields[-1].kw_only
    positional = JsonWebKey(*(["RSA"] + [None] * 21))  # type: ignore[arg-type]
    assert positional.kty == "RSA" and positional.extra == {}
    with pytest.raises(TypeError):
        JsonWebKey(*(["RSA"] + [None] * 22))  # type: ignore[arg-type]


def _ec() -> dict[str, Any]:
    return jwk_for("ES256").public_jwk().to_dict()


def _rsa() -> dict[str, Any]:
    return jwk_for("RS256").public_jwk().to_dict()


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({}, "kty"),
        ({"kty": 1}, "kty"),
        ({"kty": "AKP"}, "unsupported JWK key type"),
        ({**_rsa(), "n": None}, "'n'"),
        ({**_rsa(), "e": b64(b"\x01\x00\x00")}, "exponent"),  # even
        ({**_rsa(), "e": b64(b"\x01")}, "exponent"),  # e = 1
        ({**_rsa(), "n": b64(b"\x01" * 256 + b"\x00")}, "modulus"),  # even modulus
        ({**_rsa(), "n": _rsa()["n"] + "="}, "base64url"),
        ({**_rsa(), "d": "AQAB", "p": "AQAB"}, "all of p, q"),
        ({**_rsa(), "p": "AQAB"}, "no 'd'"),
        ({**_ec(), "crv": "P-192"}, "curve"),
        ({**_ec(), "crv": "Ed25519"}, "curve"),
        ({**_ec(), "y": None}, "'y'"),
        ({**_ec(), "x": b64(b"\x01" * 31)}, "length"),
        ({**_ec(), "x": b64(b"\x00" + b"\x01" * 32)}, "length"),
        ({**_ec(), "y": b64(b"\x01" * 32)}, "valid public key"),  # not on the curve
        ({**_ec(), "d": b64(b"\x01" * 33)}, "length"),
        ({"kty": "OKP", "crv": "Ed25519"}, "'x'"),
        ({"kty": "OKP", "crv": "Ed25519", "x": b64(b"\x01" * 31)}, "length"),
        ({"kty": "OKP", "crv": "P-256", "x": b64(b"\x01" * 32)}, "curve"),
        ({"kty": "oct"}, "'k'"),
        ({"kty": "oct", "k": ""}, "empty"),
        ({"kty": "oct", "k": "AAE", "kid": 5}, "'kid'"),
        ({"kty": "oct", "k": "AAE", "key_ops": "sign"}, "key_ops"),
        ({"kty": "oct", "k": "AAE", "key_ops": ["sign", "sign"]}, "duplicate"),
        ({"kty": "oct", "k": "AAE", "x5c": [1]}, "x5c"),
        ({"kty": "oct", "k": "AAE", "oth": ["x"]}, "oth"),
    ],
)
def test_from_dict_rejects_invalid_members(members: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidKeyException, match=message):
        JsonWebKey.from_dict({k: v for k, v in members.items() if v is not None})


@pytest.mark.parametrize("data", [[], "x", None, {1: "x"}])
def test_from_dict_needs_an_object(data: Any) -> None:
    with pytest.raises(InvalidKeyException):
        JsonWebKey.from_dict(data)


@pytest.mark.parametrize("text", ["[]", "{", '{"kty":"oct","kty":"oct","k":"AAE"}', b"\xff"])
def test_from_json_is_strict(text: str | bytes) -> None:
    with pytest.raises(InvalidKeyException):
        JsonWebKey.from_json(text)


def test_messages_never_carry_key_material() -> None:
    private = jwk_for("ES256").to_dict()
    bad_d = {**private, "d": b64(b"\x07" * 32)}  # well formed, but not this key's scalar
    with pytest.raises(InvalidKeyException) as info:
        JsonWebKey.from_dict(bad_d).to_private_key()
    assert bad_d["d"] not in str(info.value) and private["x"] not in str(info.value)
    off_curve = {**private, "y": b64(b"\x01" * 32)}
    with pytest.raises(InvalidKeyException) as info:
        JsonWebKey.from_dict(off_curve)
    assert off_curve["y"] not in str(info.value) and private["d"] not in str(info.value)


def test_repr_shows_only_metadata() -> None:
    for alg in ("RS256", "ES256", "EdDSA", "HS256"):
        key = jwk_for(alg, kid="the-kid", alg=alg, use="sig")
        shown = repr(key)
        assert shown == f"JsonWebKey(kty={key.kty!r}, kid='the-kid', alg={alg!r}, use='sig')"
        secrets = [key.d, key.p, key.q, key.dp, key.dq, key.qi, key.k]
        assert not any(s and s in shown for s in secrets)
        assert str(key) == shown


def test_use_and_key_ops_together_are_kept() -> None:
    key = JsonWebKey.from_dict({**_ec(), "use": "sig", "key_ops": ["verify"]})
    assert (key.use, key.key_ops) == ("sig", ["verify"])
    assert key.usable_for_verification("ES256")
    contradicting = JsonWebKey.from_dict({**_ec(), "use": "enc", "key_ops": ["verify"]})
    assert not contradicting.usable_for_verification("ES256")


def test_usage_rules() -> None:
    key = JsonWebKey.from_dict(_ec())
    assert key.usable_for_verification("ES256") and key.usable_for_signing("ES256")
    assert not JsonWebKey.from_dict({**_ec(), "key_ops": ["verify"]}).usable_for_signing("ES256")
    assert not JsonWebKey.from_dict({**_ec(), "alg": "ES384"}).usable_for_verification("ES256")
    ed = jwk_for("EdDSA", alg="EdDSA")
    assert ed.usable_for_verification("Ed25519") and not ed.usable_for_verification("Ed448")
    assert jwk_for("Ed448", alg="Ed448").usable_for_verification("EdDSA")


@pytest.mark.parametrize(
    ("alg", "size"),
    [("RS256", 2048), ("ES256", 256), ("ES384", 384), ("ES512", 521), ("EdDSA", 255),
     ("Ed448", 448), ("HS256", 256), ("HS512", 512)],
)  # fmt: skip
def test_key_size(alg: str, size: int) -> None:
    assert jwk_for(alg).key_size == size


def test_has_private_key_and_public_jwk() -> None:
    for alg in ("RS256", "ES256", "EdDSA"):
        private = jwk_for(alg, kid="k")
        private.extra["unknown"] = "maybe-secret"
        public = private.public_jwk()
        assert private.has_private_key and not public.has_private_key
        members = public.to_dict()
        assert not {"d", "p", "q", "dp", "dq", "qi", "oth", "k", "unknown"} & set(members)
        assert members["kid"] == "k"
    secret = jwk_for("HS256")
    assert secret.has_private_key
    with pytest.raises(InvalidKeyException):
        secret.public_jwk()
    with pytest.raises(InvalidKeyException):
        secret.to_public_key()


def test_thumbprint_hash_must_be_supported() -> None:
    with pytest.raises(ConfigurationException):
        jwk_for("ES256").thumbprint("md5")


def test_crypto_objects_are_cached_and_ignored_by_eq_hash_pickle() -> None:
    key = JsonWebKey.from_dict(_ec())
    assert key.to_public_key() is key.to_public_key()
    bare = JsonWebKey(**{f: getattr(key, f) for f in FIELD_ORDER})  # nothing cached yet
    assert bare == key and hash(bare) == hash(key)
    clone = pickle.loads(pickle.dumps(key))
    assert clone == key and copy.deepcopy(key) == key
    assert {key, bare, clone} == {key}
    # Assigning a field drops the cache: the new members are what gets used.
    other = jwk_for("ES384").public_jwk()
    cached = key.to_public_key()
    key.crv, key.x, key.y = other.crv, other.x, other.y
    assert key.to_public_key() is not cached
    assert key.thumbprint() == other.thumbprint()


def test_directly_constructed_keys_are_validated_on_use() -> None:
    broken = JsonWebKey(kty="EC", crv="P-256", x=b64(b"\x01" * 32), y=b64(b"\x01" * 32))
    with pytest.raises(InvalidKeyException):
        broken.to_public_key()
    with pytest.raises(InvalidKeyException):
        JsonWebKey(kty="RSA").key_size  # noqa: B018 - the property raises


def test_private_key_must_match_the_public_members() -> None:
    a, b = jwk_for("RS256").to_dict(), jwk_for("PS256").to_dict()
    with pytest.raises(InvalidKeyException):
        JsonWebKey.from_dict({**a, "d": b["d"]}).to_private_key()
    with pytest.raises(InvalidKeyException, match="multi-prime"):
        JsonWebKey.from_dict({**a, "oth": [{"r": "AQ", "d": "AQ", "t": "AQ"}]}).to_private_key()
    with pytest.raises(InvalidKeyException, match="no private key"):
        jwk_for("ES256").public_jwk().to_private_key()
    with pytest.raises(InvalidKeyException):
        sign_compact({}, jwk_for("ES256").public_jwk(), "ES256")


def test_key_agreement_curves_parse_but_do_not_sign() -> None:
    key = JsonWebKey.from_key(x25519.X25519PrivateKey.generate())
    assert (key.kty, key.crv, key.key_size) == ("OKP", "X25519", 255)
    with pytest.raises(InvalidAlgorithmException, match="Ed25519 or Ed448, not X25519"):
        sign_compact({}, key, "EdDSA")


@pytest.mark.parametrize(
    "crypto_key",
    [dsa.generate_private_key(1024), ec.generate_private_key(ec.SECP256K1()), "not a key", 3],
    ids=["dsa", "secp256k1", "str", "int"],
)
def test_from_key_refuses_unsupported_keys(crypto_key: Any) -> None:
    with pytest.raises(InvalidKeyException):
        JsonWebKey.from_key(crypto_key)


@pytest.mark.parametrize(
    "pem", [b"", b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "x"]
)
def test_from_pem_refuses_garbage(pem: bytes | str) -> None:
    with pytest.raises(InvalidKeyException):
        JsonWebKey.from_pem(pem)


def test_from_pem_names_unsupported_key_types_and_wrong_passwords() -> None:
    from cryptography.hazmat.primitives import serialization

    dsa_pem = dsa.generate_private_key(1024).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(InvalidKeyException, match="unsupported key type"):
        JsonWebKey.from_pem(dsa_pem)
    locked = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"right"),
    )
    for password in (None, b"wrong"):
        with pytest.raises(InvalidKeyException, match="password"):
            JsonWebKey.from_pem(locked, password)


def test_roca_weak_modulus_is_refused() -> None:
    """Wycheproof's ROCA key (a 2049-bit Infineon modulus) is refused; ordinary keys are not."""
    group = next(
        g for g in wycheproof("json_web_key_test.json")["testGroups"]
        if g["comment"] == "jws_rsa_roca_key"
    )  # fmt: skip
    members = group["private"]["keys"][0]
    with pytest.raises(InvalidKeyException, match="ROCA"):
        JsonWebKey.from_dict(members)
    modulus = int.from_bytes(b64url_decode(members["n"]), "big")
    assert modulus.bit_length() == 2049 and is_roca_vulnerable(modulus)
    for _ in range(5):
        ordinary = rsa.generate_private_key(65537, 2048).public_key().public_numbers().n
        assert not is_roca_vulnerable(ordinary)


def test_to_json_refuses_unserialisable_extras() -> None:
    key = jwk_for("HS256", kid="k")
    key.extra["when"] = object()
    with pytest.raises(InvalidKeyException, match="JSON"):
        key.to_json()
