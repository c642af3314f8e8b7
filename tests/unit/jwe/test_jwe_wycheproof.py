"""Project Wycheproof JWE vectors: json_web_encryption_test.json, and the JWE groups of
json_web_crypto_test.json.

Every vector goes through ``decrypt_compact`` (raw plaintext: the vectors' plaintexts are
bytes such as ``foo``, not JWTs) with the group's private key, built with
``JsonWebKey.from_dict``; a key our JsonWebKey refuses is invalid input, so the vector may
only be an "invalid" one and the refusal must be one of our exceptions.

* "valid", algorithms in our default allow-list: decrypts to the expected plaintext;
* "invalid": raises a PyIdentityModelException subclass, with the default allow-list and
  with RSA1_5 allowed explicitly;
* by policy, RSA1_5 and ``zip`` vectors are refused by default (with our exception); the
  valid RSA1_5 ones decrypt once RSA1_5 is allowed explicitly; ``zip`` is never accepted.
"""

from __future__ import annotations

import collections
import json
from typing import Any

import pytest
from jwe_support import BIG, unb64, vectors

from py_identity_model.exceptions import PyIdentityModelException, TokenDecryptionException
from py_identity_model.jose import JsonWebKey
from py_identity_model.jose.jwe import DEFAULT_ALGORITHMS, decrypt_compact, decrypt_token

pytest.importorskip("joserfc")
pytestmark = pytest.mark.filterwarnings("ignore:.*RSA1_5.*:UserWarning")  # joserfc's notice

ENCRYPTION_FILE = "json_web_encryption_test.json"
CRYPTO_FILE = "json_web_crypto_test.json"
WITH_RSA1_5 = DEFAULT_ALGORITHMS | {"RSA1_5"}


def _cases() -> list[Any]:
    cases = []
    for name in (ENCRYPTION_FILE, CRYPTO_FILE):
        for group in vectors(name)["testGroups"]:
            for test in group["tests"]:
                if "jwe" not in test:
                    continue  # a JWS vector of json_web_crypto
                case = (name, group, test)
                cases.append(
                    pytest.param(*case, id=f"{name[9:12]}-{test['tcId']}-{test['comment']}")
                )
    return cases


CASES = _cases()


def _policy(token: Any) -> str | None:
    """Why our defaults refuse this token whatever the key ("RSA1_5", "zip"), or None."""
    try:
        header = json.loads(unb64(token.split(".")[0]))
    except (ValueError, AttributeError, TypeError):
        return None
    if not isinstance(header, dict):
        return None
    if "zip" in header:
        return "zip"
    return "RSA1_5" if header.get("alg") == "RSA1_5" else None


def _decrypt(group: dict[str, Any], token: Any, algorithms: Any = None) -> bytes:
    key = JsonWebKey.from_dict(group["private"])  # may refuse the key: our exception
    return decrypt_compact(token, [key], max_length=BIG, algorithms=algorithms)


def _outcome(group: dict[str, Any], test: dict[str, Any]) -> str:
    """What happened to one vector: accepted / rejected / rejected-by-policy."""
    token, policy = test["jwe"], _policy(test["jwe"])
    if test["result"] == "valid":
        if policy is None:
            plaintext = _decrypt(group, token)
            if "pt" in test:
                assert plaintext.hex() == test["pt"]
            return "accepted"
        with pytest.raises(TokenDecryptionException):
            _decrypt(group, token)
        if policy == "RSA1_5":  # allowed explicitly, it decrypts
            plaintext = _decrypt(group, token, WITH_RSA1_5)
            if "pt" in test:
                assert plaintext.hex() == test["pt"]
        return f"policy-{policy}"
    assert test["result"] == "invalid", test["result"]
    for algorithms in (None, WITH_RSA1_5):
        with pytest.raises(PyIdentityModelException):
            _decrypt(group, token, algorithms)
    return "rejected"


@pytest.mark.parametrize(("name", "group", "test"), CASES)
def test_wycheproof_jwe(name: str, group: dict[str, Any], test: dict[str, Any]) -> None:
    _outcome(group, test)


def test_wycheproof_jwe_counts() -> None:
    """Pins how many vectors land where, so a lost or skipped group cannot go unnoticed."""
    if not CASES:
        pytest.skip("Wycheproof vectors not found")
    counts: dict[tuple[str, str], int] = collections.Counter()
    for case in CASES:
        name, group, test = case.values
        counts[name, _outcome(group, test)] += 1
    assert counts == {
        (ENCRYPTION_FILE, "accepted"): 56,
        (ENCRYPTION_FILE, "rejected"): 74,
        (ENCRYPTION_FILE, "policy-RSA1_5"): 8,
        (ENCRYPTION_FILE, "policy-zip"): 1,
        (CRYPTO_FILE, "accepted"): 2,
        (CRYPTO_FILE, "rejected"): 32,
    }


def test_valid_vectors_are_not_jwts_so_decrypt_token_refuses_them() -> None:
    group, test = next(
        (g, t) for _, g, t in (c.values for c in CASES) if t["result"] == "valid" and "pt" in t
    )
    key = JsonWebKey.from_dict(group["private"])
    assert decrypt_compact(test["jwe"], [key], max_length=BIG) == bytes.fromhex(test["pt"])
    with pytest.raises(TokenDecryptionException, match="does not contain a signed JWT"):
        decrypt_token(test["jwe"], [key], max_length=BIG)


def _vector(tc_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    for group in vectors(ENCRYPTION_FILE)["testGroups"]:
        for test in group["tests"]:
            if test["tcId"] == tc_id:
                return group, test
    pytest.skip("Wycheproof vectors not found")


def test_invalid_curve_point_is_refused_before_joserfc() -> None:
    """tcId 51: an ``epk`` off the curve (invalid-curve attack) is refused by our own check."""
    group, test = _vector(51)
    with pytest.raises(TokenDecryptionException, match="'epk' is not a valid public key"):
        _decrypt(group, test["jwe"])
    # joserfc (through cryptography) refuses it as well: two layers, not one.
    from joserfc import jwe, jwk

    with pytest.raises(ValueError, match="not on the curve"):
        jwe.decrypt_compact(test["jwe"], jwk.import_key(group["private"]))


@pytest.mark.parametrize("tc_id", [106, 107, 108, 109, 110, 111])
def test_a_key_is_held_to_its_own_alg(tc_id: int) -> None:
    """WrongCipher / Pkcs15WithOaepKey: the ciphertext is sound, only the key's ``alg``
    forbids it. joserfc alone ignores a key's ``alg``; our key selection does not."""
    group, test = _vector(tc_id)
    with pytest.raises(TokenDecryptionException, match="no decryption key fits"):
        _decrypt(group, test["jwe"], WITH_RSA1_5)
    # Without the alg member the same key decrypts: the refusal is the key policy.
    loose = JsonWebKey.from_dict({k: v for k, v in group["private"].items() if k != "alg"})
    assert decrypt_compact(test["jwe"], [loose], max_length=BIG, algorithms=WITH_RSA1_5) == b"foo"
