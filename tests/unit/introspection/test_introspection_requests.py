"""What ``introspect_token`` puts on the wire (RFC 7662 §2.1): the 4.x field order, the form,
client authentication, the ``Accept`` header, the endpoint policy and misuse."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import pytest
from introspection_support import (
    CLIENT_ID,
    CLIENT_SECRET,
    INTROSPECTION_URL,
    JWT_MEDIA_TYPE,
    Recorder,
    decode_basic,
    ok_json,
    validation,
)

from py_identity_model import (
    Client,
    ClientSecretPost,
    ConfigurationException,
    ErrorType,
    TokenIntrospectionRequest,
    TokenIntrospectionResponse,
)


def _call(api: Any, request: TokenIntrospectionRequest, *answers: Any) -> tuple[Any, Recorder]:
    handler = Recorder(*answers)
    return api.introspect_token(request, http_client=api.mock_client(handler)), handler


def test_positional_fields_follow_4x() -> None:
    positional = [f.name for f in dataclasses.fields(TokenIntrospectionRequest) if not f.kw_only]
    assert positional == [
        "address",
        "token",
        "client_id",
        "token_type_hint",
        "client_secret",
        "private_key_jwt",
        "mtls",
        "client_auth_method",
    ]
    request = TokenIntrospectionRequest(INTROSPECTION_URL, "tok", CLIENT_ID, "access_token", "s")
    assert (request.token, request.client_id, request.token_type_hint) == (
        "tok",
        CLIENT_ID,
        "access_token",
    )
    assert request.client_secret == "s"
    assert request.jwt_response is None
    assert request.require_jwt_response is True


def test_response_fields_follow_4x() -> None:
    response = TokenIntrospectionResponse(True, None, {"active": False})
    assert response.claims == {"active": False}
    assert [f.name for f in dataclasses.fields(TokenIntrospectionResponse) if not f.kw_only] == [
        "is_successful",
        "error",
        "claims",
    ]


def test_form_basic_auth_and_accept(api: Any) -> None:
    request = TokenIntrospectionRequest(
        INTROSPECTION_URL, "the-token", CLIENT_ID, "refresh_token", CLIENT_SECRET
    )
    response, handler = _call(api, request)
    assert response.is_successful, response.error
    sent = handler.last
    assert sent.method == "POST"
    assert str(sent.url) == INTROSPECTION_URL
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert sent.headers["accept"] == "application/json"
    assert decode_basic(sent) == (CLIENT_ID, CLIENT_SECRET)
    assert handler.form() == {"token": ["the-token"], "token_type_hint": ["refresh_token"]}


def test_no_hint_sends_no_hint(api: Any) -> None:
    request = TokenIntrospectionRequest(INTROSPECTION_URL, "t", CLIENT_ID, client_secret="s")
    _, handler = _call(api, request)
    assert handler.form() == {"token": ["t"]}


def test_client_secret_post(api: Any) -> None:
    request = TokenIntrospectionRequest(
        INTROSPECTION_URL,
        "t",
        CLIENT_ID,
        client_secret="s",
        client_auth_method="client_secret_post",
    )
    _, handler = _call(api, request)
    assert "authorization" not in handler.last.headers
    assert handler.form() == {"token": ["t"], "client_id": [CLIENT_ID], "client_secret": ["s"]}


def test_client_value_and_extra_parameters(api: Any) -> None:
    request = TokenIntrospectionRequest(
        INTROSPECTION_URL,
        "t",
        CLIENT_ID,
        client=Client(CLIENT_ID, ClientSecretPost("s")),
        parameters={"resource": "urn:api"},
        headers={"X-Trace": "1"},
    )
    _, handler = _call(api, request)
    assert handler.form()["resource"] == ["urn:api"]
    assert handler.form()["client_secret"] == ["s"]
    assert handler.last.headers["x-trace"] == "1"


def test_jwt_response_asks_for_a_jwt(api: Any) -> None:
    request = TokenIntrospectionRequest(
        INTROSPECTION_URL, "t", CLIENT_ID, client_secret="s", jwt_response=validation()
    )
    _, handler = _call(api, request)  # a JSON answer: refused, but the request is what counts
    assert handler.last.headers["accept"] == JWT_MEDIA_TYPE


def test_parameters_may_not_repeat_the_token(api: Any) -> None:
    request = TokenIntrospectionRequest(
        INTROSPECTION_URL, "t", CLIENT_ID, client_secret="s", parameters={"token": "other"}
    )
    handler = Recorder()
    with pytest.raises(ConfigurationException):
        api.introspect_token(request, http_client=api.mock_client(handler))
    assert handler.calls == 0


@pytest.mark.parametrize("token", ["", "   "])
def test_an_empty_token_is_misuse(api: Any, token: str) -> None:
    handler = Recorder()
    request = TokenIntrospectionRequest(INTROSPECTION_URL, token, CLIENT_ID, client_secret="s")
    with pytest.raises(ConfigurationException):
        api.introspect_token(request, http_client=api.mock_client(handler))
    assert handler.calls == 0


def test_jwt_response_of_the_wrong_type_is_misuse(api: Any) -> None:
    handler = Recorder()
    request = TokenIntrospectionRequest(
        INTROSPECTION_URL,
        "t",
        CLIENT_ID,
        client_secret="s",
        jwt_response="yes",  # type: ignore[arg-type]
    )
    with pytest.raises(ConfigurationException):
        api.introspect_token(request, http_client=api.mock_client(handler))
    assert handler.calls == 0


@pytest.mark.parametrize(
    "address",
    ["http://idp.example/introspect", "http://localhost.evil.example/i", "ftp://idp.example/i", ""],
)
def test_refused_addresses_never_reach_the_network(api: Any, address: str) -> None:
    request = TokenIntrospectionRequest(address, "secret-token", CLIENT_ID, client_secret="s")
    response, handler = _call(api, request)
    assert response.is_successful is False
    assert response.error_type is ErrorType.POLICY
    assert response.error
    assert handler.calls == 0


def test_loopback_http_is_allowed(api: Any) -> None:
    request = TokenIntrospectionRequest(
        "http://127.0.0.1:8080/i", "t", CLIENT_ID, client_secret="s"
    )
    response, handler = _call(api, request)
    assert response.is_successful, response.error
    assert handler.calls == 1


@pytest.mark.parametrize("status", [503, 429, 500])
def test_never_retried(api: Any, status: int) -> None:
    request = TokenIntrospectionRequest(INTROSPECTION_URL, "t", CLIENT_ID, client_secret="s")
    answer = httpx.Response(status, headers={"Retry-After": "0"}, text="busy")
    response, handler = _call(api, request, answer, ok_json())
    assert response.is_successful is False
    assert response.error_code == "http_error"
    assert response.http_status == status
    assert handler.calls == 1


def test_repr_hides_token_secret_and_claims(api: Any) -> None:
    request = TokenIntrospectionRequest(
        INTROSPECTION_URL, "TOKEN-VALUE", CLIENT_ID, client_secret="SECRET-VALUE"
    )
    response, _ = _call(api, request, ok_json({"active": True, "sub": "SUBJECT-VALUE"}))
    for text in (repr(request), str(request), repr(response)):
        for secret in ("TOKEN-VALUE", "SECRET-VALUE", "SUBJECT-VALUE"):
            assert secret not in text
    assert "[redacted]" in repr(request)
    jwt_response = TokenIntrospectionResponse(True, None, {}, jwt_claims={"sub": "SUBJECT-VALUE"})
    assert "SUBJECT-VALUE" not in repr(jwt_response)
