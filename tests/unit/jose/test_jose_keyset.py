"""JsonWebKeySet: tolerant parsing, kid lookup, candidate selection, set verification."""

from __future__ import annotations

import logging

import pytest
from jose_support import jwk_for

from py_identity_model.exceptions import (
    ConfigurationException,
    InvalidAlgorithmException,
    InvalidKeyException,
    KeyNotFoundException,
    SignatureVerificationException,
)
from py_identity_model.jose import JsonWebKey, JsonWebKeySet, parse_compact, sign_compact

CLAIMS = {"sub": "alice"}


def _public(algorithm: str, /, **kw: str) -> dict[str, object]:
    return {**jwk_for(algorithm).public_jwk().to_dict(), **kw}


def _token(alg: str, kid: str | None) -> str:
    headers = {"kid": kid} if kid is not None else {}
    return sign_compact(CLAIMS, jwk_for(alg), alg, headers=headers)


def test_invalid_keys_are_skipped_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    document = {
        "keys": [
            _public("RS256", kid="rsa"),
            {"kty": "EC", "crv": "P-256", "kid": "broken", "x": "AA", "y": "AA"},
            "not an object",
            {"kty": "AKP", "kid": "post-quantum", "pub": "AAAA"},
            _public("ES256", kid="ec"),
        ]
    }
    with caplog.at_level(logging.WARNING, logger="py_identity_model.jose"):
        keyset = JsonWebKeySet.from_dict(document)
    assert [key.kid for key in keyset] == ["rsa", "ec"]
    assert len(keyset) == 2
    assert [(s.index, s.kid) for s in keyset.skipped] == [
        (1, "broken"),
        (2, None),
        (3, "post-quantum"),
    ]
    assert "length" in keyset.skipped[0].reason
    assert "key type" in keyset.skipped[2].reason
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 3
    assert "key 1" in messages[0] and "'broken'" in messages[0] and "length" in messages[0]
    assert keyset.to_dict() == {"keys": [document["keys"][0], document["keys"][4]]}


@pytest.mark.parametrize("document", [{}, {"keys": {}}, [], {"keys": "x"}, None])
def test_a_set_must_be_an_object_with_a_keys_array(document: object) -> None:
    with pytest.raises(InvalidKeyException):
        JsonWebKeySet.from_dict(document)  # type: ignore[arg-type]


def test_from_json_and_max_keys() -> None:
    text = (
        '{"keys": ['
        + ",".join(JsonWebKey.from_dict(_public("ES256", kid=str(i))).to_json() for i in range(5))
        + "]}"
    )
    keyset = JsonWebKeySet.from_json(text, max_keys=3)
    assert [k.kid for k in keyset] == ["0", "1", "2"]
    assert [s.index for s in keyset.skipped] == [3, 4]
    with pytest.raises(InvalidKeyException):
        JsonWebKeySet.from_json('{"keys": [], "keys": []}')


def test_find_by_kid() -> None:
    keyset = JsonWebKeySet(
        [JsonWebKey.from_dict(_public("ES256", kid=f"k{i}")) for i in range(1000)]
    )
    assert keyset.find_by_kid("k999") is keyset.keys[999]
    assert keyset.find_by_kid("nope") is None
    assert "1000 keys" in repr(keyset)


def test_shared_kid_across_key_types_is_allowed() -> None:
    """RFC 7517 §4.5: keys of different kty may share a kid; the alg picks one."""
    keyset = JsonWebKeySet.from_dict(
        {"keys": [_public("RS256", kid="k"), _public("ES256", kid="k")]}
    )
    assert keyset.find_by_kid("k") is None  # a lookup by kid alone cannot choose
    assert [key.kty for key in keyset.keys_with_kid("k")] == ["RSA", "EC"]
    assert not keyset.is_ambiguous("k")
    assert [k.kty for k in keyset.candidates("ES256", "k")] == ["EC"]
    assert keyset.verify(parse_compact(_token("ES256", "k")), algorithms=["ES256"]).kty == "EC"
    assert keyset.verify(parse_compact(_token("RS256", "k")), algorithms=["RS256"]).kty == "RSA"


def test_shared_kid_within_a_key_type_is_ambiguous() -> None:
    other = jwk_for("ES384").public_jwk().to_dict()  # another EC key (P-384), same kid
    keyset = JsonWebKeySet.from_dict({"keys": [_public("ES256", kid="k"), {**other, "kid": "k"}]})
    assert keyset.is_ambiguous("k")
    # Different curves still pick one key:
    keyset.verify(parse_compact(_token("ES256", "k")), algorithms=["ES256"])
    twin = JsonWebKeySet.from_dict({"keys": [_public("ES256", kid="k"), _public("ES256", kid="k")]})
    with pytest.raises(KeyNotFoundException, match="ambiguous"):
        twin.verify(parse_compact(_token("ES256", "k")), algorithms=["ES256"])


def test_candidates_follow_alg_curve_use_and_symmetry() -> None:
    keyset = JsonWebKeySet.from_dict(
        {
            "keys": [
                _public("RS256", kid="rsa"),
                _public("RS256", kid="rsa-enc", use="enc"),
                _public("RS256", kid="rsa-ps", alg="PS256"),
                _public("ES256", kid="p256"),
                _public("ES384", kid="p384"),
                jwk_for("HS256", kid="secret").to_dict(),
            ]
        }
    )
    assert [k.kid for k in keyset.candidates("RS256")] == ["rsa"]
    assert [k.kid for k in keyset.candidates("PS256")] == ["rsa", "rsa-ps"]
    assert [k.kid for k in keyset.candidates("ES384")] == ["p384"]
    assert keyset.candidates("HS256") == ()
    assert [k.kid for k in keyset.candidates("HS256", allow_symmetric=True)] == ["secret"]
    assert keyset.candidates("none") == keyset.candidates("XX999") == ()
    assert keyset.candidates("ES256", kid="p384") == ()


def test_verify_without_kid_tries_each_fitting_key() -> None:
    keyset = JsonWebKeySet.from_dict(
        {"keys": [_public("PS256", kid="a"), _public("RS256", kid="b")]}
    )
    jws = parse_compact(_token("RS256", None))
    assert keyset.verify(jws, algorithms=["RS256"]).kid == "b"
    foreign = parse_compact(
        sign_compact(CLAIMS, JsonWebKey.from_key(jwk_for("ES256").to_private_key()), "ES256")
    )
    with pytest.raises(KeyNotFoundException):
        keyset.verify(foreign, algorithms=["ES256"])
    stranger = JsonWebKeySet.from_dict({"keys": [_public("PS256", kid="a")]})
    with pytest.raises(SignatureVerificationException):
        stranger.verify(jws, algorithms=["RS256"])


def test_verify_with_kid_reports_precisely() -> None:
    keyset = JsonWebKeySet.from_dict({"keys": [_public("RS256", kid="rsa", use="enc")]})
    with pytest.raises(KeyNotFoundException, match="no key with kid"):
        keyset.verify(parse_compact(_token("RS256", "other")), algorithms=["RS256"])
    with pytest.raises(InvalidKeyException, match="use"):
        keyset.verify(parse_compact(_token("RS256", "rsa")), algorithms=["RS256"])
    with pytest.raises(InvalidAlgorithmException):
        keyset.verify(parse_compact(_token("RS256", "rsa")), algorithms=["PS256"])
    with pytest.raises(ConfigurationException):
        keyset.verify(parse_compact(_token("RS256", "rsa")), algorithms="RS256")


def test_remote_oct_keys_are_never_used_without_opt_in() -> None:
    secret = jwk_for("HS256", kid="s")
    keyset = JsonWebKeySet.from_dict({"keys": [secret.to_dict()]})
    jws = parse_compact(sign_compact(CLAIMS, secret, "HS256", headers={"kid": "s"}))
    with pytest.raises(InvalidAlgorithmException):
        keyset.verify(jws, algorithms=["HS256"])
    assert keyset.verify(jws, algorithms=["HS256"], allow_symmetric=True) == secret


def test_mixed_symmetric_and_asymmetric_set_is_refused_for_hmac() -> None:
    secret = jwk_for("HS256", kid="s")
    keyset = JsonWebKeySet.from_dict({"keys": [secret.to_dict(), _public("ES256", kid="e")]})
    jws = parse_compact(sign_compact(CLAIMS, secret, "HS256", headers={"kid": "s"}))
    with pytest.raises(InvalidKeyException, match="mixes"):
        keyset.verify(jws, algorithms=["HS256"], allow_symmetric=True)
    # Without the opt-in the oct key is just ignored and asymmetric tokens still verify.
    keyset.verify(parse_compact(_token("ES256", "e")), algorithms=["ES256"])


def test_skipped_key_sharing_a_kid_makes_it_ambiguous() -> None:
    good = _public("ES256", kid="k")
    unreadable_twin = {**_public("ES256", kid="k"), "x": "not-canonical="}
    keyset = JsonWebKeySet.from_dict({"keys": [good, unreadable_twin]})
    assert len(keyset) == 1 and keyset.find_by_kid("k") is None and keyset.is_ambiguous("k")
    with pytest.raises(KeyNotFoundException, match="skipped"):
        keyset.verify(parse_compact(_token("ES256", "k")), algorithms=["ES256"])
    # A skipped key of another type under the same kid does not get in the way.
    other_type = JsonWebKeySet.from_dict({"keys": [good, {"kty": "AKP", "kid": "k"}]})
    other_type.verify(parse_compact(_token("ES256", "k")), algorithms=["ES256"])
