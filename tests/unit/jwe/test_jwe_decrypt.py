"""``decrypt_token`` / ``decrypt_compact``: round trips with joserfc, the policy, the key
selection and every rejection, each with our own exception."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from jwe_support import (
    BIG,
    b64,
    ec_key,
    encrypt,
    flip,
    header_of,
    oct_key,
    rsa_key,
    signed_jwt,
    signing_key,
    unb64,
    with_header,
    x25519_key,
)

from py_identity_model.exceptions import (
    ConfigurationException,
    MalformedTokenException,
    PyIdentityModelException,
    TokenDecryptionException,
)
from py_identity_model.jose import JsonWebKey, parse_compact, verify_compact
from py_identity_model.jose.jwe import (
    DEFAULT_ALGORITHMS,
    MAX_PBES2_COUNT,
    decrypt_compact,
    decrypt_token,
)

pytest.importorskip("joserfc")
pytestmark = pytest.mark.filterwarnings("ignore:.*(RSA1_5|iteration count).*:UserWarning")

ROUND_TRIPS = [
    pytest.param(rsa_key, "RSA-OAEP-256", "A256GCM", id="RSA-OAEP-256+A256GCM"),
    pytest.param(rsa_key, "RSA-OAEP", "A128CBC-HS256", id="RSA-OAEP+A128CBC-HS256"),
    pytest.param(ec_key, "ECDH-ES+A256KW", "A128CBC-HS256", id="ECDH-ES+A256KW+A128CBC-HS256"),
    pytest.param(ec_key, "ECDH-ES", "A256GCM", id="ECDH-ES+A256GCM"),
    pytest.param(
        lambda: ec_key("p384", "P-384"), "ECDH-ES+A192KW", "A192GCM", id="ECDH-ES-P384+A192KW"
    ),
    pytest.param(lambda: ec_key("p521", "P-521"), "ECDH-ES", "A256GCM", id="ECDH-ES-P521"),
    pytest.param(x25519_key, "ECDH-ES+A128KW", "A256GCM", id="ECDH-ES-X25519+A128KW"),
    pytest.param(oct_key, "dir", "A256GCM", id="dir+A256GCM"),
    pytest.param(lambda: oct_key(64, "dir64"), "dir", "A256CBC-HS512", id="dir+A256CBC-HS512"),
    pytest.param(oct_key, "A256KW", "A256CBC-HS512", id="A256KW+A256CBC-HS512"),
    pytest.param(lambda: oct_key(16, "k16"), "A128GCMKW", "A192GCM", id="A128GCMKW+A192GCM"),
]


def jwe_for(plaintext: bytes | str | None = None, **header: Any) -> tuple[str, JsonWebKey]:
    """A token for the fastest key (A256KW), and its key."""
    key = oct_key()
    return encrypt(
        signed_jwt() if plaintext is None else plaintext, key, "A256KW", "A256GCM", **header
    ), key


# ---------------------------------------------------------------------- round trips


@pytest.mark.parametrize(("make_key", "alg", "enc"), ROUND_TRIPS)
def test_round_trip_returns_the_inner_jws(make_key: Any, alg: str, enc: str) -> None:
    key = make_key()
    inner = signed_jwt()
    token = encrypt(inner, key, alg, enc, cty="JWT")
    assert token.count(".") == 4
    assert decrypt_token(token, [key], max_length=BIG) == inner
    # ... which still has to be verified: decryption proves nothing about the signer.
    verify_compact(parse_compact(inner), signing_key().public_jwk(), algorithms=["ES256"])


def test_key_without_kid_matches_a_token_without_kid() -> None:
    key = JsonWebKey.from_dict({k: v for k, v in ec_key().to_dict().items() if k != "kid"})
    token = encrypt(signed_jwt(), key, "ECDH-ES+A128KW", "A128GCM")
    assert "kid" not in header_of(token)
    assert decrypt_token(token, [key], max_length=BIG).count(".") == 2


def test_without_kid_every_fitting_key_is_tried() -> None:
    token = encrypt(signed_jwt(), oct_key(), "A256KW", "A256GCM", kid=False)
    others = [oct_key(32, "other-1"), oct_key(32, "other-2"), rsa_key(), ec_key()]
    assert decrypt_token(token, [*others, oct_key()], max_length=BIG) == decrypt_token(
        token, [oct_key()], max_length=BIG
    )


def test_kid_selects_among_several_keys() -> None:
    token = encrypt(signed_jwt(), oct_key(32, "b"), "A256KW", "A256GCM")
    keys = [oct_key(32, "a"), oct_key(32, "b"), oct_key(32, "c")]
    assert decrypt_token(token, keys, max_length=BIG).count(".") == 2


def test_header_may_repeat_claims() -> None:
    """RFC 7519 §5.3: claims replicated as header parameters are not "unknown headers"."""
    token, key = jwe_for(iss="https://issuer.example", sub="alice", typ="JWT")
    assert decrypt_token(token, [key], max_length=BIG).count(".") == 2


def test_large_token_within_max_length() -> None:
    """joserfc's own per-segment defaults (64 KiB ciphertext) do not undercut max_length."""
    inner = signed_jwt(blob="x" * 100_000)
    token = encrypt(inner, oct_key(), "A256KW", "A256GCM")
    assert len(token) > 100_000
    assert decrypt_token(token, [oct_key()], max_length=len(token)) == inner


# --------------------------------------------------------------------------- policy


def test_rsa1_5_is_refused_by_default_and_accepted_when_listed() -> None:
    token = encrypt(signed_jwt(), rsa_key(), "RSA1_5", "A128GCM")
    with pytest.raises(TokenDecryptionException, match="alg 'RSA1_5' is not allowed"):
        decrypt_token(token, [rsa_key()], max_length=BIG)
    allowed = DEFAULT_ALGORITHMS | {"RSA1_5"}
    assert decrypt_token(token, [rsa_key()], max_length=BIG, algorithms=allowed).count(".") == 2


def _pbes2(count: Any = 1000, salt: bytes = b"saltsalt", alg: str = "PBES2-HS256+A128KW") -> str:
    password = JsonWebKey.from_dict({"kty": "oct", "k": b64(b"correct horse battery")})
    token = encrypt(signed_jwt(), password, alg, "A128GCM", p2c=1000, p2s=b64(salt))
    return with_header(token, {**header_of(token), "p2c": count})


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_pbes2_is_refused_by_default_and_accepted_when_listed() -> None:
    password = JsonWebKey.from_dict({"kty": "oct", "k": b64(b"correct horse battery")})
    token = encrypt(signed_jwt(), password, "PBES2-HS256+A128KW", "A128GCM", p2c=1000)
    with pytest.raises(TokenDecryptionException, match="is not allowed"):
        decrypt_token(token, [password], max_length=BIG)
    allowed = {"PBES2-HS256+A128KW"}
    assert decrypt_token(token, [password], max_length=BIG, algorithms=allowed).count(".") == 2


@pytest.mark.parametrize("count", [MAX_PBES2_COUNT + 1, 10**9, 0, -1, True, 1000.0, "1000", None])
def test_pbes2_count_is_capped_even_when_allowed(count: Any) -> None:
    """The sender chooses p2c: an unbounded count is a CPU DoS (refused before any PBKDF2)."""
    with pytest.raises(TokenDecryptionException, match="'p2c' must be an integer"):
        decrypt_compact(
            _pbes2(count), [oct_key()], max_length=BIG, algorithms={"PBES2-HS256+A128KW"}
        )


def test_pbes2_salt_must_have_8_bytes() -> None:
    token = _pbes2(salt=b"short")
    with pytest.raises(TokenDecryptionException, match="'p2s'"):
        decrypt_compact(token, [oct_key()], max_length=BIG, algorithms={"PBES2-HS256+A128KW"})


def test_zip_is_refused() -> None:
    token, key = jwe_for(zip="DEF")
    with pytest.raises(TokenDecryptionException, match="compressed JWE is not accepted"):
        decrypt_token(token, [key], max_length=BIG)


@pytest.mark.parametrize("crit", [["exp"], ["b64"], [], "exp", [1]])
def test_crit_is_refused(crit: Any) -> None:
    token, key = jwe_for()
    tampered = with_header(token, {**header_of(token), "crit": crit, "exp": 1})
    with pytest.raises(TokenDecryptionException, match="'crit'"):
        decrypt_token(tampered, [key], max_length=BIG)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ({"alg": "A256KW", "enc": "A512GCM"}, "enc 'A512GCM' is not allowed"),
        ({"alg": "none", "enc": "A256GCM"}, "alg 'none' is not allowed"),
        ({"alg": "ECDH-1PU", "enc": "A256GCM"}, "alg 'ECDH-1PU' is not allowed"),
        ({"alg": "RS256", "enc": "A256GCM"}, "alg 'RS256' is not allowed"),
    ],
)
def test_alg_and_enc_outside_the_allow_list(header: dict[str, Any], message: str) -> None:
    token, key = jwe_for()
    with pytest.raises(TokenDecryptionException, match=message):
        decrypt_token(with_header(token, header), [key], max_length=BIG)


def test_caller_allow_lists_narrow_the_defaults() -> None:
    token, key = jwe_for()
    with pytest.raises(TokenDecryptionException, match="alg 'A256KW' is not allowed"):
        decrypt_token(token, [key], max_length=BIG, algorithms={"RSA-OAEP-256"})
    with pytest.raises(TokenDecryptionException, match="enc 'A256GCM' is not allowed"):
        decrypt_token(token, [key], max_length=BIG, encryptions={"A128GCM"})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"algorithms": "A256KW"}, "not a string"),
        ({"algorithms": {"A256KW", "HS256"}}, "unsupported JWE algorithms: HS256"),
        ({"algorithms": set()}, "must not be empty"),
        ({"encryptions": {"A256GCM", "A128CTR"}}, "unsupported JWE encryptions"),
    ],
)
def test_bad_allow_lists_are_configuration_errors(kwargs: dict[str, Any], message: str) -> None:
    token, key = jwe_for()
    with pytest.raises(ConfigurationException, match=message):
        decrypt_token(token, [key], max_length=BIG, **kwargs)


@pytest.mark.parametrize("keys", [oct_key(), [oct_key().to_dict()], [None]])
def test_keys_must_be_json_web_keys(keys: Any) -> None:
    token, _ = jwe_for()
    with pytest.raises(ConfigurationException, match="sequence of JsonWebKey"):
        decrypt_token(token, keys, max_length=BIG)


# ------------------------------------------------------------------- key selection


def test_wrong_kid() -> None:
    token, key = jwe_for()
    with pytest.raises(TokenDecryptionException, match="no decryption key with this kid"):
        decrypt_token(token, [oct_key(32, "other")], max_length=BIG)
    # a key without kid is not a candidate for a token that names one
    anonymous = JsonWebKey.from_dict({k: v for k, v in key.to_dict().items() if k != "kid"})
    with pytest.raises(TokenDecryptionException, match="no decryption key with this kid"):
        decrypt_token(token, [anonymous], max_length=BIG)


@pytest.mark.parametrize(
    ("make_key", "alg", "enc"),
    [
        (oct_key, "A256KW", "A256GCM"),
        (rsa_key, "RSA-OAEP-256", "A128GCM"),
        (ec_key, "ECDH-ES+A128KW", "A128GCM"),
        (oct_key, "dir", "A256GCM"),
    ],
)
def test_wrong_key_of_the_right_type(make_key: Any, alg: str, enc: str) -> None:
    token = encrypt(signed_jwt(), make_key(), alg, enc, kid=False)
    other = make_key(kid="other") if make_key is not oct_key else oct_key(32, "other")
    with pytest.raises(TokenDecryptionException, match="could not be decrypted"):
        decrypt_token(token, [other], max_length=BIG)


@pytest.mark.parametrize(
    ("members", "usable"),
    [
        ({"use": "enc"}, True),
        ({"use": "sig"}, False),
        ({"key_ops": ["unwrapKey"]}, True),
        ({"key_ops": ["decrypt"]}, True),
        ({"key_ops": ["encrypt", "wrapKey"]}, False),
        ({"key_ops": ["sign"]}, False),
        ({"alg": "A256KW"}, True),
        ({"alg": "A128KW"}, False),
        ({"alg": "dir"}, False),
    ],
)
def test_use_key_ops_and_alg_of_the_key(members: dict[str, Any], usable: bool) -> None:
    secret = oct_key().to_dict()
    key = JsonWebKey.from_dict({**secret, **members})
    token = encrypt(signed_jwt(), oct_key(), "A256KW", "A256GCM")
    if usable:
        assert decrypt_token(token, [key], max_length=BIG).count(".") == 2
    else:
        with pytest.raises(TokenDecryptionException, match="no decryption key"):
            decrypt_token(token, [key], max_length=BIG)


def test_derive_key_ops_serve_ecdh() -> None:
    key = JsonWebKey.from_dict({**ec_key().to_dict(), "key_ops": ["deriveKey"]})
    token = encrypt(signed_jwt(), ec_key(), "ECDH-ES", "A128GCM")
    assert decrypt_token(token, [key], max_length=BIG).count(".") == 2


def test_a_dir_key_may_name_its_content_encryption() -> None:
    key = JsonWebKey.from_dict({**oct_key().to_dict(), "alg": "A256GCM"})  # as RFC 7520 §5.6
    token = encrypt(signed_jwt(), oct_key(), "dir", "A256GCM")
    assert decrypt_token(token, [key], max_length=BIG).count(".") == 2
    # ... but only for "dir": the same key marked A256GCM does not serve A256KW
    wrapped = encrypt(signed_jwt(), oct_key(), "A256KW", "A256GCM")
    with pytest.raises(TokenDecryptionException, match="no decryption key"):
        decrypt_token(wrapped, [key], max_length=BIG)


@pytest.mark.parametrize(
    ("make_key", "alg", "enc"),
    [(rsa_key, "RSA-OAEP", "A128GCM"), (ec_key, "ECDH-ES", "A128GCM")],
)
def test_a_public_key_cannot_decrypt(make_key: Any, alg: str, enc: str) -> None:
    token = encrypt(signed_jwt(), make_key(), alg, enc)
    with pytest.raises(TokenDecryptionException, match="no decryption key"):
        decrypt_token(token, [make_key().public_jwk()], max_length=BIG)


def test_key_sizes_must_fit() -> None:
    token = encrypt(signed_jwt(), oct_key(), "dir", "A256GCM")
    short = JsonWebKey.from_dict({**oct_key(16, "oct-enc").to_dict(), "kid": "oct-enc"})
    with pytest.raises(TokenDecryptionException, match="no decryption key"):
        decrypt_token(token, [short], max_length=BIG)
    kw = encrypt(signed_jwt(), oct_key(), "A256KW", "A256GCM")
    with pytest.raises(TokenDecryptionException, match="no decryption key"):
        decrypt_token(kw, [short], max_length=BIG)


def test_key_types_must_fit_the_alg() -> None:
    token = encrypt(signed_jwt(), oct_key(), "A256KW", "A256GCM", kid=False)
    with pytest.raises(TokenDecryptionException, match="no decryption key fits alg A256KW"):
        decrypt_token(token, [rsa_key(), ec_key(), x25519_key()], max_length=BIG)


def test_no_keys_at_all() -> None:
    token, _ = jwe_for()
    with pytest.raises(TokenDecryptionException, match="no decryption key"):
        decrypt_token(token, [], max_length=BIG)


# ------------------------------------------------------------------------- ECDH-ES


def test_epk_on_another_curve_is_refused() -> None:
    """A valid P-384 point against a P-256 key: never hand joserfc a cross-curve agreement."""
    token = encrypt(signed_jwt(), ec_key(), "ECDH-ES", "A128GCM")
    p384 = ec_key("p384", "P-384").public_jwk().to_dict()
    tampered = with_header(token, {**header_of(token), "epk": p384})
    with pytest.raises(TokenDecryptionException, match="not on the curve of any key"):
        decrypt_token(tampered, [ec_key()], max_length=BIG)
    x25519 = x25519_key().public_jwk().to_dict()
    tampered = with_header(token, {**header_of(token), "epk": x25519})
    with pytest.raises(TokenDecryptionException, match="not on the curve of any key"):
        decrypt_token(tampered, [ec_key()], max_length=BIG)


def test_epk_off_the_curve_is_refused() -> None:
    token = encrypt(signed_jwt(), ec_key(), "ECDH-ES", "A128GCM")
    header = header_of(token)
    y = bytearray(unb64(header["epk"]["y"]))
    y[-1] ^= 0x01
    tampered = with_header(token, {**header, "epk": {**header["epk"], "y": b64(bytes(y))}})
    with pytest.raises(TokenDecryptionException, match="'epk' is not a valid public key"):
        decrypt_token(tampered, [ec_key()], max_length=BIG)


@pytest.mark.parametrize(
    ("epk", "error", "message"),
    [
        (None, MalformedTokenException, "'epk' must be a JWK object"),
        ("key", MalformedTokenException, "'epk' must be a JWK object"),
        ({"kty": "oct", "k": "AAAA"}, TokenDecryptionException, "must be a public key"),
        ({"kty": "EC", "crv": "P-256"}, TokenDecryptionException, "not a valid public key"),
    ],
)
def test_bad_epk(epk: Any, error: type[Exception], message: str) -> None:
    token = encrypt(signed_jwt(), ec_key(), "ECDH-ES", "A128GCM")
    header = header_of(token)
    if epk is None:
        del header["epk"]
    else:
        header["epk"] = epk
    with pytest.raises(error, match=message):
        decrypt_token(with_header(token, header), [ec_key()], max_length=BIG)


def test_epk_with_private_member_is_refused() -> None:
    token = encrypt(signed_jwt(), ec_key(), "ECDH-ES", "A128GCM")
    header = header_of(token)
    header["epk"] = ec_key("attacker").to_dict()  # carries d
    with pytest.raises(TokenDecryptionException, match="must be a public key"):
        decrypt_token(with_header(token, header), [ec_key()], max_length=BIG)


# ------------------------------------------------------------------------ tampering


@pytest.mark.parametrize(
    ("segment", "name"), [(1, "encrypted key"), (2, "iv"), (3, "ciphertext"), (4, "tag")]
)
@pytest.mark.parametrize(
    ("make_key", "alg", "enc"),
    [
        (oct_key, "A256KW", "A256GCM"),
        (oct_key, "A256KW", "A128CBC-HS256"),
        (rsa_key, "RSA-OAEP-256", "A256GCM"),
    ],
)
def test_tampered_segments(segment: int, name: str, make_key: Any, alg: str, enc: str) -> None:
    token = encrypt(signed_jwt(), make_key(), alg, enc)
    with pytest.raises(TokenDecryptionException, match="could not be decrypted"):
        decrypt_token(flip(token, segment), [make_key()], max_length=BIG)


def test_tampered_aad() -> None:
    """The protected header is the AAD: any change to it fails authentication."""
    token, key = jwe_for()
    header = header_of(token)
    for tampered in (
        with_header(token, {**header, "extra": 1}),
        with_header(token, json.dumps(header, separators=(", ", ": "))),  # same JSON, other bytes
    ):
        with pytest.raises(TokenDecryptionException, match="could not be decrypted"):
            decrypt_token(tampered, [key], max_length=BIG)


def test_tampered_gcmkw_header_iv_and_tag() -> None:
    key = oct_key(16, "k16")
    token = encrypt(signed_jwt(), key, "A128GCMKW", "A128GCM")
    header = header_of(token)
    for member in ("iv", "tag"):
        value = bytearray(unb64(header[member]))
        value[0] ^= 1
        tampered = with_header(token, {**header, member: b64(bytes(value))})
        with pytest.raises(TokenDecryptionException, match="could not be decrypted"):
            decrypt_token(tampered, [key], max_length=BIG)
    with pytest.raises(MalformedTokenException, match="96-bit 'iv'"):
        decrypt_token(with_header(token, {**header, "iv": b64(b"short")}), [key], max_length=BIG)


# ------------------------------------------------------------------------ structure


@pytest.mark.parametrize("count", [1, 3, 4, 6, 7])
def test_segment_count(count: int) -> None:
    token, key = jwe_for()
    parts = token.split(".")
    mangled = ".".join((parts * 2)[:count])
    with pytest.raises(MalformedTokenException, match=f"5 segments, this token has {count}"):
        decrypt_token(mangled, [key], max_length=BIG)


def test_oversized_token_is_refused_first() -> None:
    token, key = jwe_for()
    with pytest.raises(MalformedTokenException, match="longer than"):
        decrypt_token(token, [key], max_length=len(token) - 1)
    # size first: not even the segment count is looked at
    with pytest.raises(MalformedTokenException, match="longer than 100"):
        decrypt_token("." * 10_000_000, [key], max_length=100)
    assert decrypt_token(token, [key], max_length=len(token)).count(".") == 2


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda s: s + "=", id="padding"),
        pytest.param(lambda s: "+" + s[1:], id="plus"),
        pytest.param(lambda s: s[:-1] + "/", id="slash"),
        pytest.param(lambda s: s + " ", id="space"),
        pytest.param(lambda s: s + "A" * ((1 - len(s)) % 4), id="impossible-length"),
    ],
)
@pytest.mark.parametrize("segment", [0, 1, 2, 3, 4])
def test_bad_base64url(mangle: Any, segment: int) -> None:
    token, key = jwe_for()
    parts = token.split(".")
    parts[segment] = mangle(parts[segment])
    with pytest.raises(MalformedTokenException, match="not canonical base64url"):
        decrypt_token(".".join(parts), [key], max_length=BIG)


def test_non_canonical_base64url_spare_bits() -> None:
    token, key = jwe_for()
    parts = token.split(".")
    tag = parts[4]  # 16 bytes: 22 characters, the last one carrying 4 spare bits
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    parts[4] = tag[:-1] + alphabet[alphabet.index(tag[-1]) | 1]
    assert unb64(parts[4]) == unb64(tag)  # lenient decoders see the same bytes
    with pytest.raises(MalformedTokenException, match="not canonical"):
        decrypt_token(".".join(parts), [key], max_length=BIG)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (b"not json", "not a valid JSON object"),
        (b"[1, 2]", "not a valid JSON object"),
        (b'"A256KW"', "not a valid JSON object"),
        (b'{"alg":"A256KW","alg":"dir","enc":"A256GCM"}', "not a valid JSON object"),
        (b'{"alg":"A256KW","enc":"A256GCM","x":NaN}', "not a valid JSON object"),
        (b"\xff\xfe", "not a valid JSON object"),
        (b'{"enc":"A256GCM"}', "'alg' must be a non-empty string"),
        (b'{"alg":"A256KW"}', "'enc' must be a non-empty string"),
        (b'{"alg":1,"enc":"A256GCM"}', "'alg' must be a non-empty string"),
        (b'{"alg":"A256KW","enc":"A256GCM","kid":7}', "'kid' must be a string"),
        (b'{"alg":"A256KW","enc":"A256GCM","apu":"a=="}', "'apu' is not canonical"),
    ],
)
def test_bad_header(header: bytes, message: str) -> None:
    token, key = jwe_for()
    with pytest.raises(MalformedTokenException, match=message):
        decrypt_token(with_header(token, header), [key], max_length=BIG)


def test_empty_header_segment() -> None:
    token, key = jwe_for()
    with pytest.raises(MalformedTokenException, match="header segment is empty"):
        decrypt_token("." + token.split(".", 1)[1], [key], max_length=BIG)


@pytest.mark.parametrize("token", [b"a.b.c.d.e", None, 12345, "é.b.c.d.e"])
def test_token_must_be_an_ascii_str(token: Any) -> None:
    with pytest.raises(MalformedTokenException):
        decrypt_token(token, [oct_key()], max_length=BIG)


def test_encrypted_key_must_be_empty_in_direct_modes_and_present_otherwise() -> None:
    token = encrypt(signed_jwt(), oct_key(), "dir", "A256GCM")
    parts = token.split(".")
    parts[1] = b64(b"\x00" * 40)
    with pytest.raises(MalformedTokenException, match="encrypted key must be empty"):
        decrypt_token(".".join(parts), [oct_key()], max_length=BIG)
    token, key = jwe_for()
    parts = token.split(".")
    parts[1] = ""
    with pytest.raises(MalformedTokenException, match="encrypted key is missing"):
        decrypt_token(".".join(parts), [key], max_length=BIG)


def test_iv_and_tag_lengths_follow_enc() -> None:
    token, key = jwe_for()  # A256GCM: 12-byte IV, 16-byte tag
    for segment, message in ((2, "IV must be 12 bytes"), (4, "tag must be 16 bytes")):
        parts = token.split(".")
        parts[segment] = b64(unb64(parts[segment]) + b"\x00")
        with pytest.raises(MalformedTokenException, match=message):
            decrypt_token(".".join(parts), [key], max_length=BIG)


# ------------------------------------------------------------------------ plaintext


@pytest.mark.parametrize(
    "plaintext",
    [
        pytest.param(b'{"sub":"alice","iss":"https://issuer.example"}', id="bare-claims"),
        pytest.param("caf\u00e9.b.c".encode(), id="not-ascii"),
        pytest.param(b"\xff\xfe\x00", id="binary"),
        pytest.param(b"", id="empty"),
        pytest.param(b"eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.", id="unsigned-jwt"),
        pytest.param(b".eyJzdWIiOiJhIn0.c2ln", id="no-header"),
        pytest.param(b"a.b.c.d.e", id="nested-jwe"),
        pytest.param(b"a.b", id="two-segments"),
    ],
)
def test_plaintext_must_be_a_signed_jwt(plaintext: bytes) -> None:
    token, key = jwe_for(plaintext)
    assert decrypt_compact(token, [key], max_length=BIG) == plaintext
    with pytest.raises(TokenDecryptionException, match="does not contain a signed JWT"):
        decrypt_token(token, [key], max_length=BIG)


# ----------------------------------------------------------------- missing extra


def test_missing_extra_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    token, key = jwe_for()
    monkeypatch.setitem(sys.modules, "joserfc", None)  # import joserfc -> ImportError
    with pytest.raises(ConfigurationException, match=r"install py-identity-model\[jwe\]"):
        decrypt_token(token, [key], max_length=BIG)


def test_module_imports_without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    import py_identity_model.jose.jwe as module

    monkeypatch.setitem(sys.modules, "joserfc", None)
    assert importlib.reload(module).decrypt_token is not None
    importlib.reload(module)  # leave the module as it was


# ----------------------------------------------------------------------- fuzzing


def _fuzz_tokens() -> list[str]:
    return [
        jwe_for()[0],
        encrypt(signed_jwt(), ec_key(), "ECDH-ES+A128KW", "A128CBC-HS256"),
        encrypt(signed_jwt(), oct_key(), "dir", "A256GCM"),
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.integers(0, 2),
    position=st.integers(0, 10_000),
    replacement=st.sampled_from(list("Aa0-_.=+/ \x00é{}\"'")) | st.just(""),
)
def test_mutations_raise_only_our_exceptions(which: int, position: int, replacement: str) -> None:
    token = _fuzz_tokens()[which]
    position %= len(token)
    mutated = token[:position] + replacement + token[position + 1 :]
    keys = [oct_key(), ec_key()]
    try:
        result = decrypt_token(mutated, keys, max_length=BIG)
    except PyIdentityModelException:
        return
    assert result.count(".") == 2  # only a harmless mutation (none in practice) gets here


@settings(max_examples=300, deadline=None)
@given(
    header=st.dictionaries(
        st.sampled_from(
            ["alg", "enc", "kid", "epk", "zip", "crit", "iv", "tag", "p2c", "p2s", "apu", "x"]
        ),
        st.none()
        | st.booleans()
        | st.integers()
        | st.text(max_size=8)
        | st.sampled_from(
            ["A256KW", "dir", "ECDH-ES", "A256GCM", "A128GCMKW", "PBES2-HS256+A128KW"]
        )
        | st.lists(st.text(max_size=4), max_size=2)
        | st.dictionaries(st.sampled_from(["kty", "crv", "x", "y"]), st.text(max_size=8)),
    )
)
def test_random_headers_raise_only_our_exceptions(header: dict[str, Any]) -> None:
    token = _fuzz_tokens()[0]
    algorithms = DEFAULT_ALGORITHMS | {"PBES2-HS256+A128KW"}
    with pytest.raises(PyIdentityModelException):
        decrypt_compact(
            with_header(token, header), [oct_key(), ec_key()], max_length=BIG, algorithms=algorithms
        )


@pytest.mark.parametrize(
    ("version", "refused"),
    [
        ("1.7.1", False),
        ("1.8.0", False),
        ("2.0.0rc1", False),
        ("1.7.0", True),
        ("1.5.0", True),
        ("1.7", True),
        ("0.9.post1", True),
        ("dev", True),
    ],
)
def test_joserfc_below_the_floor_is_refused(version: str, refused: bool) -> None:
    from py_identity_model.jose.jwe import _joserfc_version_problem

    problem = _joserfc_version_problem(version)
    assert (problem is not None) == refused
    if refused:
        assert "1.7.1 or later" in (problem or "")


def test_old_joserfc_install_fails_decryption_with_configuration_exception(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.metadata

    from py_identity_model.jose import jwe as jwe_module

    monkeypatch.setattr(jwe_module, "_joserfc_checked", False)
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "1.5.0")
    key = JsonWebKey.from_key(b"k" * 32)
    with pytest.raises(ConfigurationException, match=r"joserfc 1\.7\.1"):
        jwe_module._decrypt("a.b.c.d.e", [key], "dir", "A256GCM", 10_000)
