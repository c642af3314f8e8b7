"""Authorization URLs: 4.x function and the AuthorizeRequest builder."""

from __future__ import annotations

import dataclasses
import json
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest

from py_identity_model.constants.oidc_parameters import AuthorizeRequest as AuthorizeParams
from py_identity_model.constants.oidc_values import CodeChallengeMethods, PromptModes
from py_identity_model.exceptions import ConfigurationException
from py_identity_model.frontchannel import (
    AuthorizeRequest,
    FrontChannelConfigurationError,
    build_authorization_url,
)
from py_identity_model.utils import Parameters

AUTHZ = "https://as.example.com/authorize"
CB = "https://app.example.com/callback"
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def test_minimal_matches_4x_order() -> None:
    url = build_authorization_url(AUTHZ, "client", CB)
    assert url == (
        "https://as.example.com/authorize?client_id=client"
        "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback&scope=openid&response_type=code"
    )


def test_full_4x_call() -> None:
    url = build_authorization_url(
        AUTHZ,
        "client",
        CB,
        scope="openid profile email",
        response_type="code",
        state="st",
        nonce="nn",
        code_challenge=CHALLENGE,
        code_challenge_method="S256",
        prompt="login",
    )
    assert parse_qsl(urlsplit(url).query) == [
        ("client_id", "client"),
        ("redirect_uri", CB),
        ("scope", "openid profile email"),
        ("response_type", "code"),
        ("state", "st"),
        ("nonce", "nn"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
        ("prompt", "login"),
    ]
    assert "scope=openid+profile+email" in url


def test_none_values_omitted() -> None:
    url = build_authorization_url(AUTHZ, "c", CB, state=None, nonce=None, login_hint=None)
    assert set(query(url)) == {"client_id", "redirect_uri", "scope", "response_type"}


@pytest.mark.parametrize(
    "value",
    ["a b", "a&b=c", "x#y", "ü€漢", "100%", "a+b", "?/:;@", "line\nbreak", "", "'\"<>"],
)
def test_values_are_encoded_and_round_trip(value: str) -> None:
    url = build_authorization_url(AUTHZ, "c", CB, state=value, login_hint=value)
    assert "#" not in url
    assert " " not in url
    pairs = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    assert pairs["state"] == value
    assert pairs["login_hint"] == value


def test_space_is_plus_and_unicode_is_utf8() -> None:
    url = build_authorization_url(AUTHZ, "c", CB, state="a b", ui_locales="fr-CA é")
    assert "state=a+b" in url
    assert "ui_locales=fr-CA+%C3%A9" in url


@pytest.mark.parametrize(
    ("endpoint", "prefix"),
    [
        ("https://as.example.com/authorize?p=b2c_1_signin", "p=b2c_1_signin&client_id=c"),
        ("https://as.example.com/authorize?", "authorize?client_id=c"),
        ("https://as.example.com/authorize?p=1&", "p=1&client_id=c"),
        ("https://as.example.com/authorize?a=1&b=two+words", "b=two+words&client_id=c"),
    ],
)
def test_existing_query_kept(endpoint: str, prefix: str) -> None:
    url = build_authorization_url(endpoint, "c", CB)
    assert prefix in url
    assert url.startswith(endpoint)
    assert url.count("?") == 1


def test_existing_query_parameter_not_repeated() -> None:
    with pytest.raises(FrontChannelConfigurationError, match="client_id"):
        build_authorization_url(AUTHZ + "?client_id=other", "c", CB)
    with pytest.raises(FrontChannelConfigurationError, match="prompt"):
        build_authorization_url(AUTHZ + "?prompt=login", "c", CB, prompt="none")
    # resource is repeatable (RFC 8707)
    url = build_authorization_url(AUTHZ + "?resource=urn%3Aa", "c", CB, resource="urn:b")
    assert query(url)["resource"] == ["urn:a", "urn:b"]


@pytest.mark.parametrize(
    "endpoint",
    [
        "",
        "   ",
        "/authorize",
        "as.example.com/authorize",
        "ftp://as.example.com/authorize",
        "javascript:alert(1)",
        "https://",
        "https://as.example.com/authorize#frag",
        "https://as.example.com/authorize?x=1#",
        "https://as.example.com/auth orize",
        None,
        42,
    ],
)
def test_endpoint_must_be_absolute_http_without_fragment(endpoint: Any) -> None:
    with pytest.raises(ConfigurationException) as info:
        build_authorization_url(endpoint, "c", CB)
    assert isinstance(info.value, ValueError)


def test_http_loopback_and_plain_http_endpoint_allowed() -> None:
    assert build_authorization_url("http://localhost:5000/connect/authorize", "c", CB)
    assert build_authorization_url("http://127.0.0.1/authorize", "c", CB)


def test_resource_list_repeats() -> None:
    url = build_authorization_url(AUTHZ, "c", CB, resource=["https://api1", "urn:api2"])
    assert query(url)["resource"] == ["https://api1", "urn:api2"]


def test_authorization_details_json() -> None:
    details: list[dict[str, Any]] = [
        {"type": "payment_initiation", "instructedAmount": {"currency": "EUR", "amount": "1.5"}},
        {"type": "account_information", "actions": ["list_accounts"]},
    ]
    url = build_authorization_url(AUTHZ, "c", CB, authorization_details=details)
    text = query(url)["authorization_details"][0]
    assert json.loads(text) == details
    assert ": " not in text
    assert ", " not in text


def test_authorization_details_single_object_becomes_array() -> None:
    url = build_authorization_url(AUTHZ, "c", CB, authorization_details={"type": "t", "x": "é"})
    assert json.loads(query(url)["authorization_details"][0]) == [{"type": "t", "x": "é"}]


def test_authorization_details_string_passes_through() -> None:
    text = '[{"type":"t"}]'
    url = build_authorization_url(AUTHZ, "c", CB, authorization_details=text)
    assert query(url)["authorization_details"] == [text]


@pytest.mark.parametrize(
    "bad", [[{"no_type": 1}], [{"type": 3}], ["str"], 5, [{"type": "t", "x": {1, 2}}]]
)
def test_authorization_details_invalid(bad: Any) -> None:
    with pytest.raises(FrontChannelConfigurationError):
        build_authorization_url(AUTHZ, "c", CB, authorization_details=bad)


def test_claims_json() -> None:
    claims = {"id_token": {"acr": {"essential": True, "values": ["urn:mace:incommon:iap:silver"]}}}
    url = build_authorization_url(AUTHZ, "c", CB, claims=claims)
    text = query(url)["claims"][0]
    assert json.loads(text) == claims
    assert " " not in text


def test_claims_invalid() -> None:
    with pytest.raises(FrontChannelConfigurationError):
        build_authorization_url(AUTHZ, "c", CB, claims=["id_token"])
    with pytest.raises(FrontChannelConfigurationError):
        build_authorization_url(AUTHZ, "c", CB, claims={"x": float("nan")})


@pytest.mark.parametrize(("value", "expected"), [(0, "0"), (3600, "3600"), ("60", "60")])
def test_max_age(value: Any, expected: str) -> None:
    assert query(build_authorization_url(AUTHZ, "c", CB, max_age=value))["max_age"] == [expected]


@pytest.mark.parametrize("value", [-1, True, 1.5, "1h", "-5", ""])
def test_max_age_invalid(value: Any) -> None:
    with pytest.raises(FrontChannelConfigurationError):
        build_authorization_url(AUTHZ, "c", CB, max_age=value)


def test_lists_joined_by_spaces() -> None:
    prompt: list[str | PromptModes] = ["login", PromptModes.CONSENT]
    url = build_authorization_url(
        AUTHZ,
        "c",
        CB,
        scope=["openid", "profile", "offline_access"],
        prompt=prompt,
        ui_locales=["fr-CA", "fr", "en"],
        acr_values=("urn:a", "urn:b"),
    )
    q = query(url)
    assert q["scope"] == ["openid profile offline_access"]
    assert q["prompt"] == ["login consent"]
    assert q["ui_locales"] == ["fr-CA fr en"]
    assert q["acr_values"] == ["urn:a urn:b"]


def test_other_value_types() -> None:
    url = build_authorization_url(AUTHZ, "c", CB, flag=True, off=False, n=3, custom=["a", "b"])
    q = query(url)
    assert q["flag"] == ["true"]
    assert q["off"] == ["false"]
    assert q["n"] == ["3"]
    assert q["custom"] == ["a", "b"]
    with pytest.raises(FrontChannelConfigurationError):
        build_authorization_url(AUTHZ, "c", CB, custom=[1, 2])  # type: ignore[arg-type]
    with pytest.raises(FrontChannelConfigurationError):
        build_authorization_url(AUTHZ, "c", CB, custom=b"bytes")  # type: ignore[arg-type]


def test_enum_values_use_wire_value() -> None:
    url = build_authorization_url(
        AUTHZ, "c", CB, code_challenge=CHALLENGE, code_challenge_method=CodeChallengeMethods.S256
    )
    assert query(url)["code_challenge_method"] == ["S256"]


def test_pkce_must_be_paired_and_known() -> None:
    with pytest.raises(FrontChannelConfigurationError, match="together"):
        build_authorization_url(AUTHZ, "c", CB, code_challenge=CHALLENGE)
    with pytest.raises(FrontChannelConfigurationError, match="together"):
        build_authorization_url(AUTHZ, "c", CB, code_challenge_method="S256")
    with pytest.raises(FrontChannelConfigurationError, match="Unsupported"):
        build_authorization_url(AUTHZ, "c", CB, code_challenge="x", code_challenge_method="S512")
    url = build_authorization_url(
        AUTHZ, "c", CB, code_challenge="v" * 43, code_challenge_method="plain"
    )
    assert query(url)["code_challenge_method"] == ["plain"]


@pytest.mark.parametrize(
    "name", ["client_secret", "client_assertion", "code_verifier", "refresh_token", "password"]
)
def test_back_channel_credentials_refused(name: str) -> None:
    with pytest.raises(FrontChannelConfigurationError, match="never"):
        build_authorization_url(AUTHZ, "c", CB, **{name: "secret-value"})


def test_required_parameters() -> None:
    with pytest.raises(FrontChannelConfigurationError, match="client_id"):
        build_authorization_url(AUTHZ, "", CB)
    with pytest.raises(FrontChannelConfigurationError, match="response_type"):
        build_authorization_url(AUTHZ, "c", CB, response_type=" ")


def test_redirect_uri_without_fragment() -> None:
    with pytest.raises(FrontChannelConfigurationError, match="fragment"):
        build_authorization_url(AUTHZ, "c", CB + "#x")
    # custom schemes (native apps, RFC 8252) are fine
    url = build_authorization_url(AUTHZ, "c", "com.example.app:/oauth2redirect")
    assert query(url)["redirect_uri"] == ["com.example.app:/oauth2redirect"]


# ----------------------------------------------------------------- AuthorizeRequest


def test_request_every_parameter() -> None:
    request = AuthorizeRequest(
        client_id="c",
        redirect_uri=CB,
        response_type="code",
        scope=["openid", "profile"],
        state="s",
        nonce="n",
        response_mode="form_post",
        code_challenge=CHALLENGE,
        code_challenge_method="S256",
        prompt="consent",
        max_age=60,
        ui_locales=["de", "en"],
        claims_locales="de",
        login_hint="user@example.com",
        acr_values="urn:acr:1",
        id_token_hint="eyJ.hint.sig",
        display="popup",
        claims={"userinfo": {"email": None}},
        request="eyJ.request.sig",
        resource=["https://api.example.com"],
        authorization_details=[{"type": "t"}],
        dpop_jkt="NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
        extra={"custom": "x"},
    )
    names = [name for name, _ in request.to_parameters()]
    assert names == [
        "client_id",
        "redirect_uri",
        "scope",
        "response_type",
        "state",
        "nonce",
        "code_challenge",
        "code_challenge_method",
        "response_mode",
        "prompt",
        "max_age",
        "ui_locales",
        "claims_locales",
        "login_hint",
        "acr_values",
        "id_token_hint",
        "display",
        "claims",
        "request",
        "resource",
        "authorization_details",
        "dpop_jkt",
        "custom",
    ]
    url = request.to_url(AUTHZ)
    assert query(url)["dpop_jkt"] == ["NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"]
    assert query(url)["scope"] == ["openid profile"]


def test_field_names_are_wire_names() -> None:
    wire = {member.value for member in AuthorizeParams}
    own = {f.name for f in dataclasses.fields(AuthorizeRequest)} - {"extra"}
    assert own <= wire


def test_request_parameters_type() -> None:
    params = AuthorizeRequest(client_id="c", resource=["urn:a", "urn:b"]).to_parameters()
    assert isinstance(params, Parameters)
    assert params.get_all("resource") == ["urn:a", "urn:b"]
    assert params.get("scope") == "openid"
    assert "redirect_uri" not in params


def test_request_is_keyword_only_and_frozen() -> None:
    with pytest.raises(TypeError):
        AuthorizeRequest("c")  # type: ignore[call-arg]
    request = AuthorizeRequest(client_id="c")
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.state = "x"  # type: ignore[misc]


def test_request_and_request_uri_exclusive() -> None:
    with pytest.raises(FrontChannelConfigurationError, match="request_uri"):
        AuthorizeRequest(client_id="c", request="jwt", request_uri="urn:x").to_parameters()


def test_par_style_request_uri_only() -> None:
    request = AuthorizeRequest(
        client_id="c", scope=None, request_uri="urn:ietf:params:oauth:request_uri:abc"
    )
    assert dict(parse_qsl(urlsplit(request.to_url(AUTHZ)).query)) == {
        "client_id": "c",
        "response_type": "code",
        "request_uri": "urn:ietf:params:oauth:request_uri:abc",
    }


def test_extra_clashes() -> None:
    with pytest.raises(FrontChannelConfigurationError, match="state"):
        AuthorizeRequest(client_id="c", state="a", extra={"state": "b"}).to_parameters()
    with pytest.raises(FrontChannelConfigurationError, match="scope"):
        AuthorizeRequest(client_id="c", extra={"scope": "x"}).to_parameters()
    with pytest.raises(FrontChannelConfigurationError, match="never"):
        AuthorizeRequest(client_id="c", extra={"client_secret": "x"}).to_parameters()
    # a typed name in extra is fine while the field is unset, and follows its rules
    params = AuthorizeRequest(client_id="c", extra={"prompt": ["login", "consent"]}).to_parameters()
    assert params.get("prompt") == "login consent"


def test_request_repr_hides_sensitive_values() -> None:
    request = AuthorizeRequest(
        client_id="the-client",
        state="STATE-SECRET",
        nonce="NONCE-SECRET",
        code_challenge="CHALLENGE-SECRET",
        code_challenge_method="S256",
        id_token_hint="HINT-SECRET",
        login_hint="LOGIN-SECRET",
        request="REQUEST-SECRET",
        extra={"x": "EXTRA-SECRET"},
    )
    text = repr(request)
    assert "the-client" in text
    assert "SECRET" not in text
    assert "state=[redacted]" in text
    assert str(request) == text
