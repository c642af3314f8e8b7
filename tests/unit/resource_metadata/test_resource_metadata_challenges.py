"""Typed WWW-Authenticate challenges: RFC 6750 §3, RFC 9449 §7.1, RFC 9728 §5.1, RFC 9470 §3.

Several challenges per field and several fields, quoted strings with escapes, token68,
case-insensitive names; malformed input never raises and never invents a value.
"""

from __future__ import annotations

import httpx
import pytest
from hypothesis import given, settings, strategies as st

from py_identity_model import Challenge, parse_www_authenticate
from py_identity_model.http.challenges import INSUFFICIENT_USER_AUTHENTICATION
from py_identity_model.http.messages import Headers


def one(value: object) -> Challenge:
    found = parse_www_authenticate(value)  # type: ignore[arg-type]
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------------ the RFCs' examples


def test_rfc6750_invalid_token() -> None:
    challenge = one(
        'Bearer realm="example", error="invalid_token", '
        'error_description="The access token expired"'
    )
    assert challenge.scheme == "Bearer"
    assert challenge.realm == "example"
    assert challenge.error == "invalid_token"
    assert challenge.error_description == "The access token expired"
    assert challenge.error_uri is None
    assert challenge.other_params == {}
    assert challenge.is_step_up is False


def test_rfc6750_insufficient_scope_and_error_uri() -> None:
    challenge = one(
        'Bearer error="insufficient_scope", scope="orders:read orders:write", '
        'error_uri="https://rs.example/errors/scope"'
    )
    assert challenge.scope == "orders:read orders:write"
    assert challenge.scopes == ("orders:read", "orders:write")
    assert challenge.error_uri == "https://rs.example/errors/scope"


def test_rfc9728_resource_metadata() -> None:
    challenge = one(
        'Bearer resource_metadata="https://resource.example.com/.well-known/oauth-protected-resource"'
    )
    assert challenge.resource_metadata == (
        "https://resource.example.com/.well-known/oauth-protected-resource"
    )


def test_rfc9449_dpop_algs() -> None:
    found = parse_www_authenticate(
        'DPoP error="invalid_token", error_description="Invalid DPoP key binding", '
        'algs="ES256 PS256"'
    )
    assert [c.scheme for c in found] == ["DPoP"]
    assert found[0].algs == ("ES256", "PS256")
    assert found[0].error == "invalid_token"
    assert one("Bearer").algs == ()


def test_rfc9470_step_up() -> None:
    challenge = one(
        'Bearer error="insufficient_user_authentication", '
        'error_description="A different authentication level is required", '
        'acr_values="myACR urn:mace:incommon:iap:silver"'
    )
    assert challenge.is_step_up is True
    assert challenge.error == INSUFFICIENT_USER_AUTHENTICATION
    assert challenge.acr_values == ("myACR", "urn:mace:incommon:iap:silver")
    assert challenge.max_age is None
    fresher = one('Bearer error="insufficient_user_authentication", max_age="5"')
    assert fresher.max_age == 5
    assert fresher.acr_values == ()
    assert one("Bearer error=insufficient_user_authentication, max_age=0").max_age == 0


@pytest.mark.parametrize(
    "value", ["-1", "1.5", "+5", " 5", "5s", "", "0x10", "99999999999", "2147483648", "٣"]
)
def test_malformed_max_age_is_ignored(value: str) -> None:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    challenge = one(f'Bearer error="insufficient_user_authentication", max_age="{escaped}"')
    assert challenge.max_age is None
    assert challenge.is_step_up is True


def test_largest_max_age() -> None:
    assert one('Bearer max_age="2147483647"').max_age == 2**31 - 1


def test_other_params_and_case_insensitive_names() -> None:
    challenge = one('bearer REALM="api", Error="invalid_token", X-Custom="v", foo=bar')
    assert challenge.has_scheme("Bearer") and challenge.has_scheme("BEARER")
    assert not challenge.has_scheme("DPoP")
    assert challenge.realm == "api"
    assert challenge.error == "invalid_token"
    assert challenge.other_params == {"x-custom": "v", "foo": "bar"}


def test_quoted_strings_with_escapes_and_commas() -> None:
    challenge = one(r'Bearer error_description="a \"quoted\", comma\\ here", realm="r"')
    assert challenge.error_description == 'a "quoted", comma\\ here'
    assert challenge.realm == "r"


def test_token68() -> None:
    found = parse_www_authenticate("Negotiate a87421000492aa874209af8bc028==, Bearer realm=x")
    assert [(c.scheme, c.token68) for c in found] == [
        ("Negotiate", "a87421000492aa874209af8bc028=="),
        ("Bearer", None),
    ]
    assert found[1].realm == "x"


# -------------------------------------------------------------- where the values come from


def test_several_challenges_in_one_field() -> None:
    found = parse_www_authenticate(
        'Bearer realm="api", resource_metadata="https://rs.example/m", '
        'DPoP algs="ES256", error="use_dpop_nonce", Basic realm="legacy"'
    )
    assert [c.scheme for c in found] == ["Bearer", "DPoP", "Basic"]
    assert found[0].resource_metadata == "https://rs.example/m"
    assert found[1].algs == ("ES256",) and found[1].error == "use_dpop_nonce"


def test_several_fields_each_parsed_on_its_own() -> None:
    values = ['Bearer error="unterminated', 'DPoP algs="ES256"', 'Basic realm="x"']
    assert [c.scheme for c in parse_www_authenticate(values)] == ["DPoP", "Basic"]


def test_headers_of_every_kind() -> None:
    pairs = [
        ("Content-Type", "application/json"),
        ("WWW-Authenticate", 'Bearer realm="a"'),
        ("www-authenticate", 'DPoP algs="ES256"'),
    ]
    expected = ["Bearer", "DPoP"]
    assert [c.scheme for c in parse_www_authenticate(Headers(pairs))] == expected
    assert [c.scheme for c in parse_www_authenticate(httpx.Headers(pairs))] == expected
    assert [
        c.scheme for c in parse_www_authenticate(httpx.Response(401, headers=pairs).headers)
    ] == expected
    assert [c.scheme for c in parse_www_authenticate({"Www-Authenticate": "Bearer"})] == ["Bearer"]
    assert parse_www_authenticate({"Content-Type": "text/plain"}) == ()
    assert parse_www_authenticate(None) == ()
    assert parse_www_authenticate("") == ()


def test_bounds() -> None:
    many = ", ".join(f'S{i} realm="{i}"' for i in range(50))
    assert len(parse_www_authenticate(many)) == 32
    big = ['Bearer realm="' + "x" * 8000 + '"'] * 5  # 40 KB over five fields
    assert len(parse_www_authenticate(big)) == 4
    assert parse_www_authenticate('Bearer realm="' + "x" * 9000 + '"') == ()


@pytest.mark.parametrize(
    "garbage",
    [
        b"Bearer realm=x",
        12,
        object(),
        [None, 3, b"x"],
        {"www-authenticate": 5},
        "=====",
        '"""',
        "Bearer ,,, = ,",
        "Bearer realm=\x00",
        "\u00e9t\u00e9 realm=x",
    ],
)
def test_garbage_is_ignored(garbage: object) -> None:
    found = parse_www_authenticate(garbage)  # type: ignore[arg-type]
    assert all(c.error is None for c in found)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=120), max_size=5))
def test_any_header_values_parse_without_raising(values: list[str]) -> None:
    for challenge in parse_www_authenticate(values):
        assert challenge.scheme
        _ = (challenge.max_age, challenge.algs, challenge.acr_values, challenge.other_params)
        if challenge.max_age is not None:
            assert 0 <= challenge.max_age <= 2**31 - 1


_TOKEN = st.text("abcdefghijklmnopqrstuvwxyz_-0123456789", min_size=1, max_size=12)
_VALUE = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_TOKEN, _VALUE), min_size=1, max_size=6, unique_by=lambda p: p[0]))
def test_well_formed_params_round_trip(params: list[tuple[str, str]]) -> None:
    quoted = ", ".join(
        f'{name}="{value.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"'
        for name, value in params
    )
    challenge = one(f"Bearer {quoted}")
    assert dict(challenge.params) == dict(params)
