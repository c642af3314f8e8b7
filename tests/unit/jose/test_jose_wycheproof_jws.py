"""Project Wycheproof JOSE vectors: json_web_signature, json_web_key and the JWS groups of
json_web_crypto (its JWE groups belong to the later JWE work).

Every vector goes through the public path: ``parse_compact`` then ``verify_compact`` (one
key) or ``JsonWebKeySet.verify`` (a set). Keys given in a vector's group are keys the
test configures explicitly, so HMAC is allowed (``allow_symmetric=True``); the algorithm
allow-list is the whole registry, so that the key and header rules do the rejecting.

The vectors' payloads are bytes such as ``foo`` rather than JWT claims, so these tests
parse with ``require_json_payload=False`` (plain RFC 7515 JWS).

"valid" must be accepted and "invalid" rejected with one of our exceptions, except for the
vectors listed in DEVIATIONS, where the file contradicts itself or the RFCs (each one is
asserted the other way, with the reason).
"""

from __future__ import annotations

import collections
from typing import Any

import pytest
from jose_support import ALL_ALGORITHMS, wycheproof

from py_identity_model.exceptions import (
    InvalidAlgorithmException,
    InvalidKeyException,
    KeyNotFoundException,
    MalformedTokenException,
    SignatureVerificationException,
    TokenValidationException,
)
from py_identity_model.jose import JsonWebKey, JsonWebKeySet, parse_compact, verify_compact

SIGNATURE_FILE = "json_web_signature_test.json"
KEY_FILE = "json_web_key_test.json"
CRYPTO_FILE = "json_web_crypto_test.json"

# (file, tcId) -> (what we do, exception we raise or None, why)
DEVIATIONS: dict[tuple[str, int], tuple[str, type[Exception] | None, str]] = {
    (SIGNATURE_FILE, 346): (
        "rejected",
        InvalidKeyException,
        "RFC 7520 Figure 20 is a PS384 token, but the group's key carries alg PS256; a key "
        "is held to its own alg (RFC 7517 §4.4). RFC 7520's key has no alg: see "
        "test_rfc7520_figures_verify_with_the_rfcs_own_keys.",
    ),
    (SIGNATURE_FILE, 350): ("rejected", InvalidKeyException, "as tcId 346 (Figure 20)"),
    (SIGNATURE_FILE, 347): (
        "rejected",
        InvalidKeyException,
        "RFC 7520 Figure 27 is ES512, but the group's key carries alg 'ES521', which is not "
        "an algorithm; a key is held to its own alg.",
    ),
    (SIGNATURE_FILE, 351): ("rejected", InvalidKeyException, "as tcId 347 (Figure 27)"),
    (SIGNATURE_FILE, 349): (
        "rejected",
        InvalidKeyException,
        'the key\'s key_ops is ["sign, verify"]: one malformed value, not "verify"; '
        "key_ops must list verify (RFC 7517 §4.3).",
    ),
    (SIGNATURE_FILE, 367): (
        "accepted",
        None,
        "the token is byte for byte tcId 357's, which the same file marks valid: a fault of "
        "the file (padding was presumably stripped when it was generated).",
    ),
    (SIGNATURE_FILE, 370): ("accepted", None, "as tcId 367: identical to valid tcId 357"),
    (SIGNATURE_FILE, 372): (
        "rejected",
        MalformedTokenException,
        "a '?' inside the header segment is not base64url (RFC 7515 §2); the MAC does not "
        "even cover these bytes. Strict base64url must refuse it.",
    ),
    (SIGNATURE_FILE, 373): (
        "rejected",
        MalformedTokenException,
        "a '?' inside the payload segment: as tcId 372.",
    ),
}


def _verify(private: dict[str, Any], token: Any) -> None:
    jws = parse_compact(token, require_json_payload=False)
    if "keys" in private:
        JsonWebKeySet.from_dict(private).verify(
            jws, algorithms=ALL_ALGORITHMS, allow_symmetric=True
        )
    else:
        key = JsonWebKey.from_dict(private)
        verify_compact(jws, key, algorithms=ALL_ALGORITHMS, allow_symmetric=True)


def _cases(name: str) -> list[Any]:
    data = wycheproof(name)
    return [
        pytest.param(group["private"], test, id=f"tc{test['tcId']}-{test['comment']}")
        for group in data["testGroups"]
        for test in group["tests"]
        if "jws" in test
    ]


def _run(name: str, private: dict[str, Any], test: dict[str, Any]) -> str:
    expected = "accepted" if test["result"] == "valid" else "rejected"
    error: type[Exception] = TokenValidationException
    deviation = DEVIATIONS.get((name, test["tcId"]))
    if deviation is not None:
        expected, specific, _why = deviation
        error = specific or error
    if expected == "accepted":
        _verify(private, test["jws"])
    else:
        with pytest.raises(error):
            _verify(private, test["jws"])
    return expected


@pytest.mark.parametrize(("private", "test"), _cases(SIGNATURE_FILE))
def test_json_web_signature_vectors(private: dict[str, Any], test: dict[str, Any]) -> None:
    _run(SIGNATURE_FILE, private, test)


@pytest.mark.parametrize(("private", "test"), _cases(KEY_FILE))
def test_json_web_key_vectors(private: dict[str, Any], test: dict[str, Any]) -> None:
    _run(KEY_FILE, private, test)


@pytest.mark.parametrize(("private", "test"), _cases(CRYPTO_FILE))
def test_json_web_crypto_jws_vectors(private: dict[str, Any], test: dict[str, Any]) -> None:
    _run(CRYPTO_FILE, private, test)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # (result in file, what we do) -> count
        (SIGNATURE_FILE, {("valid", "accepted"): 39, ("valid", "rejected"): 7,
                          ("invalid", "rejected"): 353, ("invalid", "accepted"): 2}),
        (KEY_FILE, {("valid", "accepted"): 5, ("invalid", "rejected"): 21}),
        (CRYPTO_FILE, {("valid", "accepted"): 4, ("invalid", "rejected"): 45}),
    ],
)  # fmt: skip
def test_vector_tallies(name: str, expected: dict[tuple[str, str], int]) -> None:
    """The totals behind the per-vector tests; the off-diagonal ones are all DEVIATIONS."""
    tally: collections.Counter[tuple[str, str]] = collections.Counter()
    for param in _cases(name):
        private, test = param.values
        tally[(test["result"], _run(name, private, test))] += 1
    assert dict(tally) == expected


def test_key_confusion_vector_is_refused_as_an_algorithm_mismatch() -> None:
    """tcId 31: an HS256 MAC keyed with the EC key's bytes, presented to the EC key."""
    group = next(
        g
        for g in wycheproof(SIGNATURE_FILE)["testGroups"]
        if any(t["tcId"] == 31 for t in g["tests"])
    )
    token = next(t["jws"] for t in group["tests"] if t["tcId"] == 31)
    with pytest.raises(InvalidAlgorithmException):
        _verify(group["private"], token)


def test_embedded_attacker_jwk_is_never_used() -> None:
    """tcId 32: the header carries the attacker's key in ``jwk``; verification uses ours."""
    group = next(
        g
        for g in wycheproof(SIGNATURE_FILE)["testGroups"]
        if any(t["tcId"] == 32 for t in g["tests"])
    )
    token = next(t["jws"] for t in group["tests"] if t["tcId"] == 32)
    assert "jwk" in parse_compact(token, require_json_payload=False).header
    with pytest.raises(SignatureVerificationException):
        _verify(group["private"], token)


def test_duplicate_kid_vector_is_ambiguous() -> None:
    """json_web_key tcId 4: two keys share a kid (one is not even canonical base64url)."""
    group = next(
        g for g in wycheproof(KEY_FILE)["testGroups"] if g["comment"] == "jws_duplicate_kid"
    )
    keyset = JsonWebKeySet.from_dict(group["private"])
    assert keyset.find_by_kid("kid-aes-sign") is None
    with pytest.raises(KeyNotFoundException):
        _verify(group["private"], group["tests"][0]["jws"])
