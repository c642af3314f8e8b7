"""Backchannel authentication requests (CIBA Core 1.0 §7.1, §7.1.1): the form, the hint
rule, the request-object rule, bounded numbers, the endpoint policy and ``repr``."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from ciba_support import BC_URL, SIGNED_REQUEST, Recorder, decode_basic

from py_identity_model import (
    BackchannelAuthenticationRequest,
    BackchannelTokenRequest,
    ConfigurationException,
)


def _send(
    api: Any, request: BackchannelAuthenticationRequest, *answers: Any
) -> tuple[Any, Recorder]:
    handler = Recorder(*answers)
    response = api.request_backchannel_authentication(request, http_client=api.mock_client(handler))
    return response, handler


def test_field_order_and_defaults() -> None:
    names = [f.name for f in dataclasses.fields(BackchannelAuthenticationRequest) if not f.kw_only]
    assert names == [
        "address",
        "client_id",
        "scope",
        "client_secret",
        "private_key_jwt",
        "mtls",
        "client_auth_method",
    ]
    request = BackchannelAuthenticationRequest(BC_URL, "cid", login_hint="alice")
    assert request.scope == "openid"
    token_names = [f.name for f in dataclasses.fields(BackchannelTokenRequest) if not f.kw_only]
    assert token_names == [
        "address",
        "client_id",
        "auth_req_id",
        "client_secret",
        "private_key_jwt",
        "mtls",
        "client_auth_method",
    ]


def test_form_carries_every_parameter(api: Any) -> None:
    request = BackchannelAuthenticationRequest(
        BC_URL,
        "cid",
        "openid profile",
        "secret",
        login_hint="alice",
        binding_message="W4SCT",
        user_code="1234",
        requested_expiry=60,
        acr_values=["urn:acr:1", "urn:acr:2"],
        resource=["urn:api:a", "urn:api:b"],
    )
    response, handler = _send(api, request)
    assert response.is_successful, response.error
    assert handler.calls == 1
    sent = handler.requests[0]
    assert sent.method == "POST"
    assert str(sent.url) == BC_URL
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert decode_basic(sent) == ("cid", "secret")
    assert handler.form() == [
        ("scope", "openid profile"),
        ("acr_values", "urn:acr:1 urn:acr:2"),
        ("login_hint", "alice"),
        ("binding_message", "W4SCT"),
        ("user_code", "1234"),
        ("requested_expiry", "60"),
        ("resource", "urn:api:a"),
        ("resource", "urn:api:b"),
    ]


@pytest.mark.parametrize("hint", ["login_hint", "login_hint_token", "id_token_hint"])
def test_each_hint_alone_is_sent(api: Any, hint: str) -> None:
    request = BackchannelAuthenticationRequest(BC_URL, "cid", client_secret="s", **{hint: "H"})
    response, handler = _send(api, request)
    assert response.is_successful
    fields = handler.fields()
    assert fields[hint] == ["H"]
    assert fields["scope"] == ["openid"]
    assert {"login_hint", "login_hint_token", "id_token_hint"} & set(fields) == {hint}


def test_client_secret_post_puts_the_credentials_in_the_body(api: Any) -> None:
    request = BackchannelAuthenticationRequest(
        BC_URL, "cid", client_secret="s", client_auth_method="client_secret_post", login_hint="a"
    )
    _, handler = _send(api, request)
    assert "authorization" not in handler.requests[0].headers
    assert handler.fields()["client_id"] == ["cid"]
    assert handler.fields()["client_secret"] == ["s"]


@pytest.mark.parametrize(
    "hints",
    [
        {},
        {"login_hint": "  "},
        {"login_hint": "a", "id_token_hint": "b"},
        {"login_hint": "a", "login_hint_token": "b"},
        {"login_hint_token": "a", "id_token_hint": "b", "login_hint": "c"},
    ],
)
def test_exactly_one_hint_is_required(api: Any, hints: dict[str, str]) -> None:
    request = BackchannelAuthenticationRequest(BC_URL, "cid", client_secret="s", **hints)
    handler = Recorder()
    with pytest.raises(ConfigurationException, match="exactly one of login_hint"):
        api.request_backchannel_authentication(request, http_client=api.mock_client(handler))
    assert handler.calls == 0


@pytest.mark.parametrize("scope", [None, "", "profile", "openidx email"])
def test_scope_must_contain_openid(api: Any, scope: str | None) -> None:
    request = BackchannelAuthenticationRequest(BC_URL, "cid", scope, "s", login_hint="a")
    handler = Recorder()
    with pytest.raises(ConfigurationException, match="openid"):
        api.request_backchannel_authentication(request, http_client=api.mock_client(handler))
    assert handler.calls == 0


@pytest.mark.parametrize("expiry", [0, -1, 1.5, True, "60", float("nan")])
def test_requested_expiry_must_be_a_positive_whole_number(api: Any, expiry: Any) -> None:
    request = BackchannelAuthenticationRequest(
        BC_URL, "cid", client_secret="s", login_hint="a", requested_expiry=expiry
    )
    handler = Recorder()
    with pytest.raises(ConfigurationException, match="requested_expiry"):
        api.request_backchannel_authentication(request, http_client=api.mock_client(handler))
    assert handler.calls == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [("binding_message", 5), ("user_code", b"1"), ("acr_values", ["a b"]), ("acr_values", [""])],
)
def test_wrongly_typed_parameters_are_misuse(api: Any, name: str, value: Any) -> None:
    request = BackchannelAuthenticationRequest(
        BC_URL, "cid", client_secret="s", login_hint="a", **{name: value}
    )
    with pytest.raises(ConfigurationException, match=name):
        api.request_backchannel_authentication(request, http_client=api.mock_client(Recorder()))


def test_signed_request_object_travels_alone(api: Any) -> None:
    request = BackchannelAuthenticationRequest(
        BC_URL, "cid", client_secret="s", request=SIGNED_REQUEST
    )
    response, handler = _send(api, request)
    assert response.is_successful
    assert handler.form() == [("request", SIGNED_REQUEST)]
    assert decode_basic(handler.requests[0]) == ("cid", "s")


def test_request_object_with_scope_none_is_fine(api: Any) -> None:
    request = BackchannelAuthenticationRequest(BC_URL, "cid", None, "s", request=SIGNED_REQUEST)
    _, handler = _send(api, request)
    assert handler.form() == [("request", SIGNED_REQUEST)]


@pytest.mark.parametrize(
    "beside",
    [
        {"login_hint": "a"},
        {"id_token_hint": "a"},
        {"login_hint_token": "a"},
        {"binding_message": "m"},
        {"user_code": "1"},
        {"requested_expiry": 30},
        {"acr_values": "x"},
        {"resource": "urn:api"},
        {"scope": "openid profile"},
    ],
)
def test_nothing_of_the_request_beside_a_request_object(api: Any, beside: dict[str, Any]) -> None:
    request = BackchannelAuthenticationRequest(
        BC_URL, "cid", client_secret="s", request=SIGNED_REQUEST, **beside
    )
    handler = Recorder()
    with pytest.raises(ConfigurationException, match="inside it, not beside it"):
        api.request_backchannel_authentication(request, http_client=api.mock_client(handler))
    assert handler.calls == 0


@pytest.mark.parametrize(
    "value",
    [
        "not-a-jwt",
        "eyJhbGciOiJub25lIn0.eyJsb2dpbl9oaW50IjoiYSJ9.",  # alg none: unsigned
        "a.b.c.d.e",  # a JWE: CIBA request objects are signed
        "a.b.c d",
        "",
    ],
)
def test_request_must_be_a_signed_jwt(api: Any, value: str) -> None:
    request = BackchannelAuthenticationRequest(BC_URL, "cid", client_secret="s", request=value)
    with pytest.raises(ConfigurationException, match="signed request object"):
        api.request_backchannel_authentication(request, http_client=api.mock_client(Recorder()))


def test_extra_parameters_may_not_repeat_own_fields(api: Any) -> None:
    request = BackchannelAuthenticationRequest(
        BC_URL, "cid", client_secret="s", login_hint="a", parameters={"login_hint": "b"}
    )
    with pytest.raises(ConfigurationException, match="repeat"):
        api.request_backchannel_authentication(request, http_client=api.mock_client(Recorder()))


def test_extra_parameters_are_sent(api: Any) -> None:
    request = BackchannelAuthenticationRequest(
        BC_URL,
        "cid",
        client_secret="s",
        login_hint="a",
        parameters={"request_context": "ctx", "resource": "urn:extra"},
        resource="urn:own",
    )
    _, handler = _send(api, request)
    fields = handler.fields()
    assert fields["request_context"] == ["ctx"]
    assert fields["resource"] == ["urn:own", "urn:extra"]


def test_credentials_never_go_to_plain_http(api: Any) -> None:
    request = BackchannelAuthenticationRequest(
        "http://idp.example/bc", "cid", client_secret="s", login_hint="a"
    )
    response, handler = _send(api, request)
    assert handler.calls == 0
    assert response.is_successful is False
    assert response.error_code == "https_required"
    assert response.error


def test_loopback_http_is_allowed(api: Any) -> None:
    request = BackchannelAuthenticationRequest(
        "http://127.0.0.1:9/bc", "cid", client_secret="s", login_hint="a"
    )
    response, handler = _send(api, request)
    assert handler.calls == 1
    assert response.is_successful


def test_token_poll_with_plain_http_sends_nothing(api: Any) -> None:
    handler = Recorder()
    response = api.poll_backchannel_token(
        BackchannelTokenRequest("http://idp.example/token", "cid", "REQ", "s"),
        http_client=api.mock_client(handler),
    )
    assert handler.calls == 0
    assert response.error_code == "https_required"


def test_repr_hides_secrets_and_user_identifying_tokens() -> None:
    request = BackchannelAuthenticationRequest(
        BC_URL,
        "cid",
        client_secret="SECRET-X",
        login_hint_token="LHT-X",
        user_code="CODE-X",
        binding_message="W4SCT",
        headers={"X-Api-Key": "HEADER-X"},
        parameters={"extra": "PARAM-X"},
    )
    text = repr(request)
    for secret in ("SECRET-X", "LHT-X", "CODE-X", "HEADER-X", "PARAM-X"):
        assert secret not in text
    assert "W4SCT" in text
    assert "cid" in text
    hinted = BackchannelAuthenticationRequest(
        BC_URL, "cid", id_token_hint="IDT-X", request=SIGNED_REQUEST
    )
    assert "IDT-X" not in repr(hinted)
    assert SIGNED_REQUEST not in repr(hinted)
    poll = BackchannelTokenRequest(BC_URL, "cid", "AUTH-REQ-X", "SECRET-Y")
    assert "AUTH-REQ-X" not in repr(poll)
    assert "SECRET-Y" not in repr(poll)
    assert "AUTH-REQ-X" not in str(poll)
