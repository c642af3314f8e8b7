"""What the compact-JWS parser must refuse, and refuse first: size, segments, base64url,
JSON, header members. Each refusal is a MalformedTokenException naming the token part."""

from __future__ import annotations

import pytest
from jose_support import b64, b64json, jwk_for

from py_identity_model.exceptions import MalformedTokenException
from py_identity_model.jose import MAX_TOKEN_LENGTH, parse_compact, sign_compact, verify_compact

CLAIMS = {"sub": "alice", "exp": 2000000000}
PAYLOAD = b64json(CLAIMS)


def _token(header: object, payload: str = PAYLOAD, signature: str = "c2ln") -> str:
    return f"{b64json(header)}.{payload}.{signature}"


# ---------------------------------------------------------------------- encoding


def _valid_token() -> str:
    return sign_compact(CLAIMS, jwk_for("HS256"), "HS256")


def _token_with_spare_bits() -> str:
    """An HS256 token whose three segments all end in a partial group (they have spare bits):
    a lenient decoder would read the mutated segments below as these very bytes."""
    for kid_length in range(3):
        for sub_length in range(3):
            token = sign_compact(
                {"sub": "a" * (1 + sub_length)},
                jwk_for("HS256"),
                "HS256",
                headers={"kid": "k" * (1 + kid_length)},
            )
            if all(len(part) % 4 for part in token.split(".")):
                return token
    raise AssertionError("unreachable: some lengths leave a partial group")


_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _mutate(text: str, mutation: str) -> str:
    if mutation == "padding":
        return text + "=" * (-len(text) % 4)
    if mutation == "spare_bits":  # set the lowest spare bit of the final character
        return text[:-1] + _ALPHABET[_ALPHABET.index(text[-1]) | 1]
    if mutation == "plus":  # '-' and '_' in their standard-alphabet spelling
        return (
            text.replace("-", "+").replace("_", "/")
            if "-" in text or "_" in text
            else "+" + text[1:]
        )
    if mutation == "slash":
        return "/" + text[1:]
    if mutation == "space":
        return text[:4] + " " + text[4:]
    if mutation == "newline":
        return text[:4] + "\n" + text[4:]
    return text + "A" * ((1 - len(text)) % 4)  # impossible length: len % 4 == 1


@pytest.mark.parametrize("segment", [0, 1, 2])
@pytest.mark.parametrize(
    "mutation", ["padding", "spare_bits", "plus", "slash", "space", "newline", "length"]
)
def test_non_canonical_base64url_is_refused(segment: int, mutation: str) -> None:
    token = _token_with_spare_bits()
    key = jwk_for("HS256")
    verify_compact(parse_compact(token), key, algorithms=["HS256"], allow_symmetric=True)
    parts = token.split(".")
    parts[segment] = _mutate(parts[segment], mutation)
    assert ".".join(parts) != token
    with pytest.raises(MalformedTokenException, match="base64url") as info:
        parse_compact(".".join(parts))
    assert info.value.token_part == ("header", "payload", "signature")[segment]


@pytest.mark.parametrize(
    "token",
    [
        "a.b",
        "a.b.c.d",
        "eyJhbGciOiJIUzI1NiJ9.e30.c2ln.c2ln.c2ln",
        "",
        "..",
        ".e30.c2ln",
        "eyJhbGciOiJIUzI1NiJ9..c2ln",
        "eyJhbGciOiJIUzI1NiJ9.e30.",
        "...",
    ],
)
def test_wrong_segment_counts_and_empty_segments(token: str) -> None:
    with pytest.raises(MalformedTokenException):
        parse_compact(token)


def test_empty_payload_is_allowed_for_plain_jws_only() -> None:
    token = _token({"alg": "HS256"}, payload="")
    assert parse_compact(token, require_json_payload=False).payload == b""
    with pytest.raises(MalformedTokenException):
        parse_compact(token)


@pytest.mark.parametrize("header", ["[]", "1", '"alg"', "null", '{"alg":"HS256"} x', "{"])
def test_header_must_be_a_json_object(header: str) -> None:
    with pytest.raises(MalformedTokenException) as info:
        parse_compact(f"{b64(header.encode())}.{PAYLOAD}.c2ln")
    assert info.value.token_part == "header"


@pytest.mark.parametrize("payload", [b"[]", b"1", b"foo", b'"x"', b"", b"\xff\xfe"])
def test_payload_must_be_a_json_object(payload: bytes) -> None:
    with pytest.raises(MalformedTokenException) as info:
        parse_compact(_token({"alg": "HS256"}, payload=b64(payload)))
    assert info.value.token_part == "payload"
    parse_compact(_token({"alg": "HS256"}, payload=b64(payload)), require_json_payload=False)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"alg":"HS256","alg":"none"}',
        b'{"alg":"HS256","x":{"a":1,"a":2}}',
        b'{"alg":"HS256","n":NaN}',
        b'{"alg":"HS256","n":-Infinity}',
        b'{"alg":"HS256","n":1e999}',
        b'{"alg":"HS256","s":"\\ud800"}',
        b'{"alg":"HS256","n":' + b"9" * 5000 + b"}",
        b'{"alg":"HS256","d":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"alg":"HS256"}\x00',
        b'\xef\xbb\xbf{"alg":"HS256"}',
    ],
)
def test_header_json_must_be_strict(raw: bytes) -> None:
    with pytest.raises(MalformedTokenException):
        parse_compact(f"{b64(raw)}.{PAYLOAD}.c2ln", max_length=10**6)


def test_duplicate_payload_member_is_refused() -> None:
    payload = b64(b'{"sub":"alice","sub":"mallory"}')
    with pytest.raises(MalformedTokenException, match="duplicate"):
        parse_compact(_token({"alg": "HS256"}, payload=payload))


@pytest.mark.parametrize("crit", [["exp"], ["b64"], [], "exp", [1], None])
def test_any_crit_is_refused(crit: object) -> None:
    with pytest.raises(MalformedTokenException, match="crit"):
        parse_compact(_token({"alg": "HS256", "crit": crit}))


@pytest.mark.parametrize("b64_value", [False, 0, "false", None])
def test_unencoded_payload_option_is_refused(b64_value: object) -> None:
    with pytest.raises(MalformedTokenException, match="b64"):
        parse_compact(_token({"alg": "HS256", "b64": b64_value}))


@pytest.mark.parametrize(
    "header",
    [
        {},
        {"alg": 256},
        {"alg": ""},
        {"alg": None},
        {"alg": "HS256", "kid": 7},
        {"alg": "HS256", "typ": ["JWT"]},
    ],
)
def test_header_member_types(header: dict[str, object]) -> None:
    with pytest.raises(MalformedTokenException):
        parse_compact(_token(header))


def test_oversized_token_is_refused_before_decoding() -> None:
    huge = "\u00e9" * (MAX_TOKEN_LENGTH + 1)  # would fail ASCII too; size must win
    with pytest.raises(MalformedTokenException, match="longer than"):
        parse_compact(huge)
    with pytest.raises(MalformedTokenException, match="longer than"):
        parse_compact(b"\xff" * (MAX_TOKEN_LENGTH + 1))
    token = _valid_token()
    parse_compact(token, max_length=len(token))
    with pytest.raises(MalformedTokenException, match="longer than"):
        parse_compact(token, max_length=len(token) - 1)


@pytest.mark.parametrize(
    "token",
    [
        "eyJhbGciOiJIUzI1NiJ9.e30.c2l\u00f1",
        b"eyJhbGciOiJIUzI1NiJ9.e30.\xc3\xa9",
        b"\x00\x01\x02",
        "\u202eeyJhbGciOiJIUzI1NiJ9.e30.c2ln",
        "\ud800.e30.c2ln",
        12345,
        None,
        ["a", "b", "c"],
    ],
)
def test_garbage_and_non_ascii_tokens(token: object) -> None:
    with pytest.raises(MalformedTokenException):
        parse_compact(token)  # type: ignore[arg-type]


def test_parse_result_repr_hides_the_token() -> None:
    token = _valid_token()
    jws = parse_compact(token)
    shown = repr(jws)
    assert "HS256" in shown
    for secret in (token, token.split(".")[1], token.split(".")[2], "alice"):
        assert secret not in shown
