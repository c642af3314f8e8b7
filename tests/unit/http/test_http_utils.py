"""utils: strict base64url, Parameters, constant-time comparison, randomness, hashing, epochs."""

from __future__ import annotations

import base64
import time
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from py_identity_model.exceptions import ConfigurationException
from py_identity_model.utils import (
    Parameters,
    b64url_decode,
    b64url_decode_lenient,
    b64url_encode,
    constant_time_equals,
    epoch_now,
    from_epoch,
    random_id,
    random_token,
    sha256,
    sha256_b64url,
    to_epoch,
)
from py_identity_model.utils.encoding import Base64UrlError

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

# ------------------------------------------------------------------------ base64url


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"", ""),
        (b"f", "Zg"),
        (b"fo", "Zm8"),
        (b"foo", "Zm9v"),
        (b"foob", "Zm9vYg"),
        (b"\xfb\xff", "-_8"),
        (b"\xff\xff\xfe", "___-"),
    ],
)
def test_b64url_known_vectors(data: bytes, text: str) -> None:
    assert b64url_encode(data) == text
    assert b64url_decode(text) == data
    assert b64url_decode(text.encode("ascii")) == data


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Zg==", "outside the alphabet"),  # padding
        ("Zm8=", "outside the alphabet"),
        ("Zm9v+/", "outside the alphabet"),  # standard (not URL-safe) alphabet
        ("Zm 9v", "outside the alphabet"),
        ("Zm9v\n", "outside the alphabet"),
        (" Zm9v", "outside the alphabet"),
        ("Zm9v.", "outside the alphabet"),
        ("Zé", "outside the alphabet"),
        ("Z", "impossible length"),
        ("Zm9vY", "impossible length"),
        ("Zh", "non-zero spare bits"),  # 'h' sets one of the 4 spare bits of a 2-char group
        ("Zm9", "non-zero spare bits"),  # '9' sets one of the 2 spare bits of a 3-char group
        ("Zm9vYh", "non-zero spare bits"),
        ("_-_", "non-zero spare bits"),
    ],
)
def test_b64url_decode_rejects_non_canonical_input(text: str, reason: str) -> None:
    with pytest.raises(Base64UrlError, match=reason):
        b64url_decode(text)


def test_b64url_error_is_value_error() -> None:
    assert issubclass(Base64UrlError, ValueError)


def test_b64url_decode_rejects_non_ascii_bytes() -> None:
    with pytest.raises(Base64UrlError, match="not ASCII"):
        b64url_decode(b"Zm9v\xff")


def test_spare_bits_malleability_closed() -> None:
    # "Zg" and "Zh" decode to the same byte with a lenient decoder; only the canonical one is accepted.
    assert base64.urlsafe_b64decode("Zh==") == base64.urlsafe_b64decode("Zg==")
    assert b64url_decode("Zg") == b"f"
    with pytest.raises(Base64UrlError):
        b64url_decode("Zh")


def test_b64url_decode_lenient_accepts_padding_but_stays_canonical() -> None:
    assert b64url_decode_lenient("Zg==") == b"f"
    assert b64url_decode_lenient("Zm9v") == b"foo"
    with pytest.raises(Base64UrlError):
        b64url_decode_lenient("Zh==")
    with pytest.raises(Base64UrlError):
        b64url_decode_lenient("Zm9v+/==")


@given(st.binary(max_size=300))
def test_b64url_round_trip(data: bytes) -> None:
    text = b64url_encode(data)
    assert "=" not in text
    assert set(text) <= set(ALPHABET)
    assert len(text) % 4 != 1
    assert b64url_decode(text) == data


@given(st.text(alphabet=ALPHABET, max_size=40))
def test_b64url_accepted_strings_are_canonical(text: str) -> None:
    # Whatever the strict decoder accepts re-encodes to exactly the same text.
    try:
        data = b64url_decode(text)
    except Base64UrlError:
        # Only an impossible length or non-zero spare bits may be refused here.
        assert (
            len(text) % 4 == 1
            or b64url_encode(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))) != text
        )
        return
    assert b64url_encode(data) == text


# ----------------------------------------------------------------------- Parameters


def test_parameters_add_keeps_order_and_repeats() -> None:
    params = (
        Parameters()
        .add("resource", "https://a.example")
        .add("resource", "https://b.example")
        .add("n", 5)
    )
    assert params.items() == [
        ("resource", "https://a.example"),
        ("resource", "https://b.example"),
        ("n", "5"),
    ]
    assert params.get("resource") == "https://a.example"
    assert params.get_all("resource") == ["https://a.example", "https://b.example"]
    assert params.get("missing") is None
    assert params.get("missing", "d") == "d"
    assert params.get_all("missing") == []
    assert len(params) == 3
    assert "n" in params
    assert "N" not in params  # names are case-sensitive
    assert list(params) == params.items()


@pytest.mark.parametrize(
    ("value", "text"), [(True, "true"), (False, "false"), (0, "0"), (1.5, "1.5"), ("", "")]
)
def test_parameters_value_conversion(value: object, text: str) -> None:
    assert Parameters().add("x", value).get("x") == text  # type: ignore[arg-type]


def test_parameters_add_rejects_empty_name() -> None:
    with pytest.raises(ConfigurationException, match="name must not be empty"):
        Parameters().add("", "v")


@pytest.mark.parametrize("blank", [None, "", "   ", "\t\n"])
def test_add_optional_skips_blank(blank: str | None) -> None:
    params = Parameters().add_optional("scope", blank)
    assert len(params) == 0
    assert "scope" not in params


def test_add_optional_adds_non_string_falsy_values() -> None:
    params = Parameters().add_optional("max_age", 0).add_optional("flag", False)
    assert params.items() == [("max_age", "0"), ("flag", "false")]


def test_add_optional_refuses_duplicates_unless_allowed() -> None:
    params = Parameters().add_optional("scope", "openid")
    with pytest.raises(ConfigurationException, match="Duplicate parameter: scope"):
        params.add_optional("scope", "profile")
    params.add_optional("scope", None)  # a skipped blank is not a duplicate
    params.add_optional("scope", "profile", allow_duplicates=True)
    assert params.get_all("scope") == ["openid", "profile"]


@pytest.mark.parametrize("missing", [None, "", "  "])
def test_add_required_rejects_missing(missing: str | None) -> None:
    with pytest.raises(ConfigurationException, match="Parameter is required: client_id"):
        Parameters().add_required("client_id", missing)


def test_add_required_allow_empty() -> None:
    params = Parameters().add_required("client_secret", "", allow_empty=True)
    assert params.get("client_secret") == ""
    with pytest.raises(ConfigurationException, match="required"):
        Parameters().add_required("client_secret", None, allow_empty=True)


def test_add_required_duplicates() -> None:
    params = Parameters().add_required("grant_type", "authorization_code")
    with pytest.raises(ConfigurationException, match="Duplicate parameter: grant_type"):
        params.add_required("grant_type", "refresh_token")
    params.add_required("audience", "a").add_required("audience", "b", allow_duplicates=True)
    assert params.get_all("audience") == ["a", "b"]
    assert params.get_all("grant_type") == ["authorization_code"]


def test_merge_from_dict_with_lists_and_none() -> None:
    params = Parameters(
        {"scope": "openid", "resource": ["https://a", "https://b"], "state": None, "max_age": 10}
    )
    assert params.items() == [
        ("scope", "openid"),
        ("resource", "https://a"),
        ("resource", "https://b"),
        ("max_age", "10"),
    ]
    assert "state" not in params


def test_merge_from_pairs_and_parameters() -> None:
    base = Parameters([("a", "1"), ("a", "2")])
    other = Parameters({"b": True})
    merged = Parameters(base).merge(other).merge([("c", 3)])
    assert merged.items() == [("a", "1"), ("a", "2"), ("b", "true"), ("c", "3")]
    assert base.items() == [("a", "1"), ("a", "2")]  # copying does not alias


def test_remove_and_to_dict() -> None:
    params = Parameters([("a", "1"), ("b", "2"), ("a", "3"), ("a", "4")])
    assert params.to_dict() == {"a": ["1", "3", "4"], "b": "2"}
    assert params.remove("a").items() == [("b", "2")]
    assert params.remove("nothing").items() == [("b", "2")]


def test_to_form_encoding() -> None:
    params = Parameters(
        [
            ("redirect_uri", "https://app.example/cb?x=1&y=2"),
            ("scope", "openid profile"),
            ("code_verifier", "a+b/c="),
            ("name", "Zoë ✓"),
            ("empty", ""),
        ]
    )
    form = params.to_form()
    assert isinstance(form, bytes)
    assert form == (
        b"redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1%26y%3D2"
        b"&scope=openid+profile&code_verifier=a%2Bb%2Fc%3D&name=Zo%C3%AB+%E2%9C%93&empty="
    )
    assert params.to_query() == form.decode("ascii")


def test_to_form_repeated_names() -> None:
    assert Parameters([("resource", "a"), ("resource", "b")]).to_form() == b"resource=a&resource=b"


def test_parameters_repr_hides_values() -> None:
    params = Parameters({"client_id": "app", "client_secret": "TOPSECRET", "code": "CODE123"})
    text = repr(params)
    assert text == "Parameters(names=['client_id', 'client_secret', 'code'])"
    assert "TOPSECRET" not in text
    assert "CODE123" not in text


def test_parameters_equality_and_unhashable() -> None:
    assert Parameters({"a": "1"}) == Parameters([("a", "1")])
    assert Parameters({"a": "1"}) != Parameters([("a", "2")])
    assert Parameters() != {}
    with pytest.raises(TypeError):
        hash(Parameters())


def test_items_is_a_copy() -> None:
    params = Parameters({"a": "1"})
    params.items().append(("b", "2"))
    assert params.items() == [("a", "1")]


# ------------------------------------------------------------------ constant time


def test_constant_time_equals() -> None:
    assert constant_time_equals("state-1", "state-1") is True
    assert constant_time_equals(b"state-1", "state-1") is True
    assert constant_time_equals("Zoë", "Zoë".encode()) is True
    assert constant_time_equals("state-1", "state-2") is False
    assert constant_time_equals("state", "state-longer") is False
    assert constant_time_equals("", "") is True


@pytest.mark.parametrize(
    ("a", "b"), [(None, None), (None, "x"), ("x", None), (None, ""), ("", None)]
)
def test_constant_time_equals_none_never_equal(a: str | None, b: str | None) -> None:
    assert constant_time_equals(a, b) is False


# -------------------------------------------------------------------------- random


def test_random_token_length_and_alphabet() -> None:
    token = random_token()
    assert len(token) == 43
    assert set(token) <= set(ALPHABET)
    assert len(b64url_decode(token)) == 32
    assert len(random_token(16)) == 22
    assert len(b64url_decode(random_token(64))) == 64


@pytest.mark.parametrize("size", [0, 1, 8, 15, -1])
def test_random_token_entropy_floor(size: int) -> None:
    with pytest.raises(ConfigurationException, match="at least 16 bytes"):
        random_token(size)


def test_random_values_are_unique() -> None:
    tokens = {random_token(16) for _ in range(2000)}
    ids = {random_id() for _ in range(2000)}
    assert len(tokens) == 2000
    assert len(ids) == 2000
    assert all(len(b64url_decode(i)) == 16 for i in list(ids)[:50])


def test_random_token_bits_are_not_stuck() -> None:
    # Crude sanity check that every byte position varies (a constant byte would be a bug).
    samples = [b64url_decode(random_token(16)) for _ in range(200)]
    for position in range(16):
        assert len({s[position] for s in samples}) > 50


# --------------------------------------------------------------------------- hashes


def test_pkce_s256_vector_rfc7636_appendix_b() -> None:
    # RFC 7636 Appendix B: code_verifier -> S256 code_challenge.
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    assert sha256_b64url(verifier) == challenge
    assert sha256_b64url(verifier.encode("ascii")) == challenge
    # The octets listed in the RFC: [19, 211, 30, 150, ..., 112, 249, 195]
    assert b64url_decode(challenge) == bytes.fromhex(
        "13d31e961a1ad8ec2f16b10c4c982e0876a878ad6df144566ee1894acb70f9c3"
    )


def test_sha256_known_digest() -> None:
    assert sha256("abc").hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert sha256(b"abc") == sha256("abc")
    assert sha256("é") == sha256("é".encode())


# --------------------------------------------------------------------------- epochs


def test_epoch_now_tracks_wall_clock() -> None:
    before = int(time.time())
    now = epoch_now()
    assert isinstance(now, int)
    assert before <= now <= int(time.time())


def test_to_epoch_aware_and_naive() -> None:
    assert to_epoch(datetime(1970, 1, 1, tzinfo=timezone.utc)) == 0
    assert to_epoch(datetime(2024, 1, 1, 0, 0, 0, tzinfo=timezone.utc)) == 1_704_067_200
    assert to_epoch(datetime(2024, 1, 1, 0, 0, 0)) == 1_704_067_200  # naive is UTC, not local time
    plus_two = timezone(timedelta(hours=2))
    assert to_epoch(datetime(2024, 1, 1, 2, 0, 0, tzinfo=plus_two)) == 1_704_067_200
    assert to_epoch(datetime(2024, 1, 1, 0, 0, 0, 999_999, tzinfo=timezone.utc)) == 1_704_067_200


def test_from_epoch_is_aware_utc() -> None:
    moment = from_epoch(1_704_067_200)
    assert moment == datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert moment.tzinfo is timezone.utc
    assert from_epoch(1.5).microsecond == 500_000


@given(st.integers(min_value=0, max_value=253_402_300_799))
def test_epoch_round_trip(seconds: int) -> None:
    assert to_epoch(from_epoch(seconds)) == seconds
