"""Parsing authorization responses: URLs (query, fragment), form bodies, hostile input."""

from __future__ import annotations

import dataclasses

import pytest

from py_identity_model.exceptions import AuthorizeCallbackException
from py_identity_model.frontchannel import (
    MAX_CALLBACK_LENGTH,
    AuthorizeCallbackResponse,
    parse_authorize_callback_response,
)

CB = "https://app.example.com/callback"


def test_field_order_matches_api_compat() -> None:
    names = [f.name for f in dataclasses.fields(AuthorizeCallbackResponse)]
    assert names[:15] == [
        "is_successful",
        "raw",
        "values",
        "code",
        "access_token",
        "identity_token",
        "token_type",
        "expires_in",
        "scope",
        "refresh_token",
        "state",
        "session_state",
        "issuer",
        "error",
        "error_description",
    ]


def test_positional_construction() -> None:
    response = AuthorizeCallbackResponse(True, "raw", {"code": "c"}, "c")
    assert response.code == "c"
    assert response.state is None
    assert response.error is None


def test_code_flow_query() -> None:
    r = parse_authorize_callback_response(
        f"{CB}?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz&iss=https%3A%2F%2Fas.example&session_state=ss"
    )
    assert r.is_successful
    assert r.code == "SplxlOBeZQQYbYS6WxSbIA"
    assert r.state == "xyz"
    assert r.issuer == "https://as.example"
    assert r.session_state == "ss"
    assert r.error is None
    assert r.values == {
        "code": "SplxlOBeZQQYbYS6WxSbIA",
        "state": "xyz",
        "iss": "https://as.example",
        "session_state": "ss",
    }
    assert r.raw.startswith(CB)


def test_implicit_hybrid_fragment() -> None:
    r = parse_authorize_callback_response(
        f"{CB}#access_token=at&token_type=Bearer&expires_in=3600&id_token=eyJ.x.y"
        "&scope=openid+profile&state=s&code=c&refresh_token=rt"
    )
    assert r.is_successful
    assert (r.access_token, r.token_type, r.expires_in) == ("at", "Bearer", 3600)
    assert r.identity_token == "eyJ.x.y"
    assert r.scope == "openid profile"
    assert r.refresh_token == "rt"
    assert (r.code, r.state) == ("c", "s")


def test_fragment_only() -> None:
    r = parse_authorize_callback_response("#code=abc&state=s")
    assert (r.is_successful, r.code, r.state) == (True, "abc", "s")


def test_query_and_fragment_merge() -> None:
    r = parse_authorize_callback_response(f"{CB}?tenant=t1#code=abc&state=s")
    assert r.code == "abc"
    assert r.values["tenant"] == "t1"


def test_error_in_query_with_junk_fragment() -> None:
    r = parse_authorize_callback_response(
        f"{CB}?error=access_denied&error_description=User+denied&state=xyz#_=_"
    )
    assert not r.is_successful
    assert r.error == "access_denied"
    assert r.error_description == "User denied"
    assert r.state == "xyz"  # still readable on errors
    assert r.values["_"] == "_"


def test_error_uri_keyword_only_extra() -> None:
    r = parse_authorize_callback_response(
        "?error=invalid_scope&error_uri=https%3A%2F%2Fas%2Fe&state=s"
    )
    assert r.error_uri == "https://as/e"
    assert not r.is_successful


@pytest.mark.parametrize(
    "body", ["code=abc&state=s%20t", b"code=abc&state=s%20t", bytearray(b"code=abc&state=s+t")]
)
def test_form_post_body(body: str | bytes) -> None:
    r = parse_authorize_callback_response(body)
    assert (r.is_successful, r.code, r.state) == (True, "abc", "s t")


def test_form_body_with_colon_in_value_is_not_a_url() -> None:
    r = parse_authorize_callback_response("code=a:b&state=urn:x:y")
    assert (r.code, r.state) == ("a:b", "urn:x:y")


def test_form_body_trailing_newline() -> None:
    r = parse_authorize_callback_response("code=abc&state=s\r\n")
    assert r.state == "s"


@pytest.mark.parametrize(
    "url",
    [
        "com.example.app:/oauth2redirect?code=c&state=s",
        "/callback?code=c&state=s",
        "?code=c&state=s",
        "http://localhost:8080/cb?code=c&state=s",
    ],
)
def test_url_forms(url: str) -> None:
    r = parse_authorize_callback_response(url)
    assert (r.is_successful, r.code, r.state) == (True, "c", "s")


def test_plus_and_percent_decoding() -> None:
    r = parse_authorize_callback_response(
        "?code=a%2Bb&state=x+y%20z&error_description=%E2%82%AC+%C3%A9&error=e"
    )
    assert r.code == "a+b"
    assert r.state == "x y z"
    assert r.error_description == "€ é"


def test_invalid_percent_sequences_do_not_raise() -> None:
    r = parse_authorize_callback_response("?code=%zz%&state=%ff%fe")
    assert r.code == "%zz%"
    assert r.state == "\ufffd\ufffd"


def test_empty_segments_ignored() -> None:
    r = parse_authorize_callback_response("?&&code=c&&&state=s&")
    assert r.values == {"code": "c", "state": "s"}
    assert r.is_successful


def test_malformed_pairs() -> None:
    r = parse_authorize_callback_response("?a&b=&code=c&=orphan&state=s")
    assert r.values == {"a": "", "b": "", "code": "c", "state": "s"}


def test_value_may_contain_equals() -> None:
    r = parse_authorize_callback_response("?code=a=b==&state=s")
    assert r.code == "a=b=="


def test_empty_state_is_present() -> None:
    r = parse_authorize_callback_response("?code=c&state=")
    assert r.state == ""


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("?code=a&code=b&state=s", "code"),
        ("?code=a&state=s&state=t", "state"),
        ("?code=a&state=s#code=b", "code"),
        ("?code=a&state=s#state=s", "state"),
        ("?code=a&state=s&iss=x&iss=y", "iss"),
        ("?error=a&error=b", "error"),
        ("?code=a&state=s&response=x&response=y", "response"),
    ],
)
def test_duplicate_protocol_parameters_rejected(url: str, name: str) -> None:
    r = parse_authorize_callback_response(url)
    assert not r.is_successful
    assert r.error == "invalid_request"
    assert r.error_description == f"duplicate parameter: {name}"


def test_duplicate_unknown_parameters_tolerated() -> None:
    r = parse_authorize_callback_response("?x=1&code=c&state=s&x=2#_=_&_=_")
    assert r.is_successful
    assert r.values["x"] == "1"


@pytest.mark.parametrize("value", ["abc", "", "-5", "1.5", "3600s", " 60", "1_000", "١٢", "9" * 11])
def test_non_numeric_expires_in(value: str) -> None:
    r = parse_authorize_callback_response(f"#access_token=a&expires_in={value}")
    assert r.expires_in is None
    assert r.is_successful


def test_numeric_expires_in() -> None:
    assert parse_authorize_callback_response("#expires_in=0").expires_in == 0
    assert parse_authorize_callback_response("#expires_in=9999999999").expires_in == 9999999999


@pytest.mark.parametrize("text", ["", "   ", CB, f"{CB}?", f"{CB}#", "&&&", "=x", b""])
def test_no_parameters(text: str | bytes) -> None:
    r = parse_authorize_callback_response(text)
    assert not r.is_successful
    assert r.error == "invalid_request"
    assert r.error_description == "callback contains no parameters"


def test_blank_error_is_still_an_error() -> None:
    r = parse_authorize_callback_response("?error=&state=s")
    assert not r.is_successful
    assert r.error == "invalid_request"
    assert r.state == "s"


def test_state_only_is_successful_like_4x() -> None:
    r = parse_authorize_callback_response("?state=s")
    assert r.is_successful
    assert r.code is None


def test_too_large() -> None:
    big = "?code=c&state=s&pad=" + "a" * MAX_CALLBACK_LENGTH
    r = parse_authorize_callback_response(big)
    assert not r.is_successful
    assert r.error == "invalid_request"
    assert r.values == {}
    r = parse_authorize_callback_response(big.encode())
    assert not r.is_successful


def test_huge_but_allowed_input() -> None:
    body = "&".join(f"p{i}=v{i}" for i in range(50_000)) + "&code=c&state=s"
    r = parse_authorize_callback_response(body)
    assert r.is_successful
    assert r.code == "c"
    r = parse_authorize_callback_response("?code=" + "x" * (MAX_CALLBACK_LENGTH - 10))
    assert r.code is not None
    assert len(r.code) == MAX_CALLBACK_LENGTH - 10


def test_non_utf8_bytes() -> None:
    r = parse_authorize_callback_response(b"code=\xff\xfe&state=s")
    assert r.code == "\ufffd\ufffd"


@pytest.mark.parametrize("bad", [None, 42, ["?code=c"], {"code": "c"}])
def test_non_text_input_raises_callback_exception(bad: object) -> None:
    with pytest.raises(AuthorizeCallbackException):
        parse_authorize_callback_response(bad)  # type: ignore[arg-type]


def test_repr_hides_secrets() -> None:
    r = parse_authorize_callback_response(
        "#code=CODE-SECRET&access_token=AT-SECRET&id_token=IDT-SECRET&refresh_token=RT-SECRET"
        "&state=STATE-SECRET&token_type=Bearer&expires_in=60"
    )
    text = repr(r)
    assert "SECRET" not in text
    assert "code=[redacted]" in text
    assert "token_type='Bearer'" in text
    assert "expires_in=60" in text
    assert str(r) == text


@pytest.mark.parametrize(
    "callback",
    [
        "",
        b"",
        "https://app.example/cb",
        "https://app.example/cb?code=a&code=b",
        "javascript:alert(1)//?code=x",
        "https://app.example/cb?error=",
        "x" * (MAX_CALLBACK_LENGTH + 1),
    ],
)
def test_local_refusals_are_marked_malformed(callback: str | bytes) -> None:
    r = parse_authorize_callback_response(callback)
    assert not r.is_successful
    assert r.error == "invalid_request"
    assert r.malformed


@pytest.mark.parametrize(
    "callback",
    [
        "https://app.example/cb?code=c&state=s",
        "https://app.example/cb?error=invalid_request&error_description=from+the+provider",
        "https://app.example/cb?error=access_denied",
    ],
)
def test_what_the_provider_sent_is_not_malformed(callback: str) -> None:
    assert not parse_authorize_callback_response(callback).malformed
