"""Project Wycheproof primitive vectors, driven through the library's own verification path.

Each vector's public key is wrapped as a :class:`JsonWebKey` (from the vector's JWK, or from
its encoded point when the group has no JWK) and the message/signature pair goes through
``verify_compact`` with a hand-built :class:`CompactJws` whose signing input is the vector's
message. That exercises the allow-list, the key policy (type, curve, size, use), the cached
key material and the registry's verify function, and turns every refusal into one of our
exceptions.

Choices (asserted below, explained here):

* RSA PKCS#1 v1.5 "acceptable" (flag MissingNull: a DigestInfo without the NULL parameter):
  rejected. RFC 8017 §9.2 makes the NULL part of the one valid encoding, and one encoding per
  signature keeps verification free of malleability; OpenSSL agrees.
* HMAC groups whose tagSize is below the hash size: truncated tags are out of scope for JWS
  (RFC 7518 §3.2 uses the full output) and HS* refuses them, valid or not.
* HMAC groups whose keySize is below the hash size: our key floor (RFC 7518 §3.2: "a key of
  the same size as the hash output or larger MUST be used") refuses the key with
  InvalidKeyException before any MAC is computed, although the file marks them valid.
* The RSA files' keys are all 2048-bit (two have e = 3), so the 2048-bit floor never
  conflicts with a valid vector.
"""

from __future__ import annotations

import collections
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from jose_support import wycheproof

from py_identity_model.exceptions import (
    InvalidKeyException,
    SignatureVerificationException,
)
from py_identity_model.jose import CompactJws, JsonWebKey, verify_compact

Tally = collections.Counter[tuple[str, str]]
_EC_CURVES = {"secp256r1": ec.SECP256R1(), "secp384r1": ec.SECP384R1(), "secp521r1": ec.SECP521R1()}


def _outcome(alg: str, key: JsonWebKey, message: bytes, signature: bytes) -> str:
    """Verify through the library; "accepted", or the name of the exception raised."""
    jws = CompactJws({"alg": alg}, b"", message, signature, "")
    try:
        verify_compact(jws, key, algorithms=[alg], allow_symmetric=True)
    except (SignatureVerificationException, InvalidKeyException) as exc:
        return type(exc).__name__
    return "accepted"


def _run_file(name: str, algs: list[str], key_of: Any, expect: Any) -> Tally:
    """Run every vector of ``name``; ``expect(group, test)`` says what we must do."""
    tally: Tally = collections.Counter()
    mismatches = []
    for group in wycheproof(name)["testGroups"]:
        key = key_of(group)
        for test in group["tests"]:
            message = bytes.fromhex(test["msg"])
            signature = bytes.fromhex(test["sig"] if "sig" in test else test["tag"])
            want = expect(group, test)
            for alg in algs:
                got = _outcome(alg, key if key else _hmac_key(test), message, signature)
                ok = got == "accepted"
                tally[(test["result"], "accepted" if ok else "rejected")] += 1
                if got != want:
                    mismatches.append((alg, test["tcId"], test["comment"], want, got))
    assert mismatches == []
    return tally


def _by_result(group: dict[str, Any], test: dict[str, Any]) -> str:
    return "accepted" if test["result"] == "valid" else "SignatureVerificationException"


def _ec_key(group: dict[str, Any]) -> JsonWebKey:
    if "publicKeyJwk" in group:
        return JsonWebKey.from_dict(group["publicKeyJwk"])
    point = bytes.fromhex(group["publicKey"]["uncompressed"])
    curve = _EC_CURVES[group["publicKey"]["curve"]]
    return JsonWebKey.from_key(ec.EllipticCurvePublicKey.from_encoded_point(curve, point))


@pytest.mark.parametrize(
    ("name", "alg", "valid", "invalid"),
    [
        ("ecdsa_secp256r1_sha256_p1363_test.json", "ES256", 173, 89),
        ("ecdsa_secp384r1_sha384_p1363_test.json", "ES384", 193, 87),
        ("ecdsa_secp521r1_sha512_p1363_test.json", "ES512", 231, 87),
    ],
)
def test_ecdsa_p1363(name: str, alg: str, valid: int, invalid: int) -> None:
    tally = _run_file(name, [alg], _ec_key, _by_result)
    assert tally == {("valid", "accepted"): valid, ("invalid", "rejected"): invalid}


@pytest.mark.parametrize(
    ("name", "algs", "valid", "invalid"),
    [
        # RFC 8037 "EdDSA" and the RFC 9864 fully specified name must behave the same.
        ("ed25519_test.json", ["EdDSA", "Ed25519"], 88, 63),
        ("ed448_test.json", ["EdDSA", "Ed448"], 17, 70),
    ],
)
def test_eddsa(name: str, algs: list[str], valid: int, invalid: int) -> None:
    tally = _run_file(name, algs, lambda g: JsonWebKey.from_dict(g["publicKeyJwk"]), _by_result)
    assert tally == {("valid", "accepted"): 2 * valid, ("invalid", "rejected"): 2 * invalid}


def _rsa_expect(group: dict[str, Any], test: dict[str, Any]) -> str:
    if test["result"] == "acceptable":
        assert test["flags"] == ["MissingNull"]  # the only acceptable kind in these files
        return "SignatureVerificationException"  # see the module docstring
    return _by_result(group, test)


@pytest.mark.parametrize(
    ("bits", "valid", "invalid"), [(256, 9, 249), (384, 7, 250), (512, 8, 250)]
)
def test_rsa_pkcs1_v1_5(bits: int, valid: int, invalid: int) -> None:
    name = f"rsa_signature_2048_sha{bits}_test.json"
    for group in wycheproof(name)["testGroups"]:
        assert JsonWebKey.from_dict(group["keyJwk"]).key_size == 2048
    tally = _run_file(name, [f"RS{bits}"], lambda g: JsonWebKey.from_dict(g["keyJwk"]), _rsa_expect)
    assert tally == {
        ("valid", "accepted"): valid,
        ("invalid", "rejected"): invalid,
        ("acceptable", "rejected"): 1,
    }


def test_rsa_pss_sha256_mgf1_salt32() -> None:
    name = "rsa_pss_2048_sha256_mgf1_32_test.json"
    for group in wycheproof(name)["testGroups"]:
        assert (group["sha"], group["mgfSha"], group["sLen"]) == ("SHA-256", "SHA-256", 32)
    tally = _run_file(
        name, ["PS256"], lambda g: JsonWebKey.from_dict(g["publicKeyJwk"]), _by_result
    )
    assert tally == {("valid", "accepted"): 63, ("invalid", "rejected"): 45}


def _hmac_key(test: dict[str, Any]) -> JsonWebKey:
    return JsonWebKey.from_key(bytes.fromhex(test["key"]))


def _hmac_expect(bits: int) -> Any:
    def expect(group: dict[str, Any], test: dict[str, Any]) -> str:
        if group["keySize"] < bits:
            return "InvalidKeyException"  # below the key floor: refused before any MAC
        if group["tagSize"] < bits:
            return "SignatureVerificationException"  # truncated tag: out of scope, refused
        return _by_result(group, test)

    return expect


@pytest.mark.parametrize("bits", [256, 384, 512])
def test_hmac(bits: int) -> None:
    name = f"hmac_sha{bits}_test.json"
    tally = _run_file(name, [f"HS{bits}"], lambda g: None, _hmac_expect(bits))
    # Accepted: 27 + 3 valid vectors with a full-size key and tag. Rejected as "valid": 27 + 3
    # truncated tags and 3 + 3 short keys; every invalid one (all full-size keys) is refused.
    assert tally == {
        ("valid", "accepted"): 30,
        ("valid", "rejected"): 36,
        ("invalid", "rejected"): 108,
    }
