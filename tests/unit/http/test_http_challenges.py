"""WWW-Authenticate challenges (RFC 9110 §11.6.1): parsed strictly, never raising."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from py_identity_model.http.challenges import Challenge, find_challenge, parse_challenges
from py_identity_model.http.messages import Headers


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            'DPoP error="use_dpop_nonce", error_description="fresh nonce"',
            [("DPoP", {"error": "use_dpop_nonce", "error_description": "fresh nonce"}, None)],
        ),
        (
            'Bearer realm="api", error="invalid_token", DPoP algs="ES256 PS256"',
            [
                ("Bearer", {"realm": "api", "error": "invalid_token"}, None),
                ("DPoP", {"algs": "ES256 PS256"}, None),
            ],
        ),
        (
            "Bearer error=invalid_token,error_description=expired",
            [("Bearer", {"error": "invalid_token", "error_description": "expired"}, None)],
        ),
        ("Basic dXNlcjpwYXNz==, Bearer", [("Basic", {}, "dXNlcjpwYXNz=="), ("Bearer", {}, None)]),
        ("Bearer", [("Bearer", {}, None)]),
        (", , Bearer ,", [("Bearer", {}, None)]),
        ('Bearer ERROR="x"', [("Bearer", {"error": "x"}, None)]),
        ('Bearer error="a\\"b\\\\c"', [("Bearer", {"error": 'a"b\\c'}, None)]),
        ('Bearer error="first", error="second"', [("Bearer", {"error": "first"}, None)]),
        (
            'Bearer resource_metadata="https://api.example/.well-known/oauth-protected-resource"',
            [
                (
                    "Bearer",
                    {
                        "resource_metadata": "https://api.example/.well-known/oauth-protected-resource"
                    },
                    None,
                )
            ],
        ),
    ],
)
def test_challenges(header: str, expected: list[tuple[str, dict[str, str], str | None]]) -> None:
    assert [(c.scheme, dict(c.params), c.token68) for c in parse_challenges(header)] == expected


@pytest.mark.parametrize(
    "header",
    [
        'Bearer error="unterminated',
        "Bearer a=b c=d",
        '"quoted"',
        "=x",
        "Bearer error=",
        "",
        None,
        "x" * 9000,
    ],
)
def test_malformed_headers_give_no_invented_challenge(header: str | None) -> None:
    challenges = parse_challenges(header)
    assert all(c.scheme.isascii() and "=" not in c.scheme for c in challenges)
    assert all(c.error is None for c in challenges)


def test_find_challenge_is_case_insensitive_on_the_scheme() -> None:
    headers = Headers({"WWW-Authenticate": 'Bearer realm="x", dpop error="use_dpop_nonce"'})
    found = find_challenge(headers, "DPoP")
    assert found == Challenge("dpop", {"error": "use_dpop_nonce"})
    assert found.error == "use_dpop_nonce"
    assert find_challenge(headers, "Basic") is None
    assert find_challenge(None, "DPoP") is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_parsed_without_raising(header: str) -> None:
    for challenge in parse_challenges(header):
        assert isinstance(challenge.scheme, str) and challenge.scheme
