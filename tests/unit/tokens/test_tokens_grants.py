"""Form bodies of every grant (RFC 6749 §4-§6, RFC 7523 §2.1, RFC 8707) and extra headers."""

from __future__ import annotations

from typing import Any

import pytest
from tokens_support import TOKEN_URL, Recorder, decode_basic

from py_identity_model import (
    AuthorizationCodeTokenRequest,
    AuthorizationCodeTokenResponse,
    ClientCredentialsTokenRequest,
    ClientCredentialsTokenResponse,
    ConfigurationException,
    JwtBearerTokenRequest,
    Parameters,
    PasswordTokenRequest,
    RefreshTokenRequest,
    RefreshTokenResponse,
    TokenRequest,
    TokenResponse,
)

JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


def _send(api: Any, function: str, request: Any) -> tuple[Any, Recorder]:
    handler = Recorder()
    response = getattr(api, function)(request, http_client=api.mock_client(handler))
    assert handler.calls == 1
    return response, handler


def test_client_credentials_form(api: Any) -> None:
    response, handler = _send(
        api,
        "request_client_credentials_token",
        ClientCredentialsTokenRequest(TOKEN_URL, "cid", "sec", "api:read api:write"),
    )
    assert isinstance(response, ClientCredentialsTokenResponse)
    assert response.is_successful
    assert handler.form() == [("grant_type", "client_credentials"), ("scope", "api:read api:write")]
    request = handler.last
    assert request.method == "POST"
    assert str(request.url) == TOKEN_URL
    assert request.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert "application/json" in request.headers["accept"]
    assert decode_basic(request) == ("cid", "sec")


def test_client_credentials_without_scope_sends_no_scope(api: Any) -> None:
    _, handler = _send(
        api,
        "request_client_credentials_token",
        ClientCredentialsTokenRequest(TOKEN_URL, "cid", "sec"),
    )
    assert handler.form() == [("grant_type", "client_credentials")]


def test_authorization_code_form(api: Any) -> None:
    request = AuthorizationCodeTokenRequest(
        TOKEN_URL, "cid", "the+code/=", "http://127.0.0.1:8765/cb?x=1", "v" * 43, "sec"
    )
    response, handler = _send(api, "request_authorization_code_token", request)
    assert isinstance(response, AuthorizationCodeTokenResponse)
    assert handler.fields() == {
        "grant_type": ["authorization_code"],
        "code": ["the+code/="],
        "redirect_uri": ["http://127.0.0.1:8765/cb?x=1"],
        "code_verifier": ["v" * 43],
    }
    assert decode_basic(handler.last) == ("cid", "sec")


def test_authorization_code_public_client_without_verifier(api: Any) -> None:
    request = AuthorizationCodeTokenRequest(TOKEN_URL, "app", "c0de", "https://app.example/cb")
    _, handler = _send(api, "request_authorization_code_token", request)
    assert handler.fields() == {
        "grant_type": ["authorization_code"],
        "code": ["c0de"],
        "redirect_uri": ["https://app.example/cb"],
        "client_id": ["app"],
    }


def test_refresh_token_form(api: Any) -> None:
    request = RefreshTokenRequest(TOKEN_URL, "cid", "RT-1", "openid offline_access", "sec")
    response, handler = _send(api, "refresh_token", request)
    assert isinstance(response, RefreshTokenResponse)
    assert handler.form() == [
        ("grant_type", "refresh_token"),
        ("refresh_token", "RT-1"),
        ("scope", "openid offline_access"),
    ]


def test_password_form(api: Any) -> None:
    request = PasswordTokenRequest(TOKEN_URL, "cid", "alice@example.com", "p@ss w&rd", "openid")
    response, handler = _send(api, "request_password_token", request)
    assert isinstance(response, TokenResponse)
    assert handler.fields() == {
        "grant_type": ["password"],
        "username": ["alice@example.com"],
        "password": ["p@ss w&rd"],
        "scope": ["openid"],
        "client_id": ["cid"],
    }


def test_password_may_be_empty(api: Any) -> None:
    request = PasswordTokenRequest(TOKEN_URL, "cid", "alice", "")
    _, handler = _send(api, "request_password_token", request)
    assert handler.fields()["password"] == [""]


def test_jwt_bearer_form(api: Any) -> None:
    request = JwtBearerTokenRequest(TOKEN_URL, "cid", "eyJ.assert.ion", "api", client_secret="s")
    _, handler = _send(api, "request_jwt_bearer_token", request)
    assert handler.form() == [
        ("grant_type", JWT_BEARER_GRANT),
        ("assertion", "eyJ.assert.ion"),
        ("scope", "api"),
    ]
    assert decode_basic(handler.last) == ("cid", "s")


def test_extension_grant_with_parameters(api: Any) -> None:
    request = TokenRequest(
        TOKEN_URL,
        "cid",
        "urn:example:grant-type:custom",
        "sec",
        parameters={"foo": "bar", "multi": ["1", "2"], "skipped": None},
    )
    _, handler = _send(api, "request_token", request)
    assert handler.form() == [
        ("grant_type", "urn:example:grant-type:custom"),
        ("foo", "bar"),
        ("multi", "1"),
        ("multi", "2"),
    ]


def test_parameters_object_is_accepted(api: Any) -> None:
    params = Parameters([("a", "1"), ("a", "2")])
    request = ClientCredentialsTokenRequest(TOKEN_URL, "cid", "s", parameters=params)
    _, handler = _send(api, "request_client_credentials_token", request)
    assert handler.form() == [("grant_type", "client_credentials"), ("a", "1"), ("a", "2")]


def test_resource_single_string(api: Any) -> None:
    request = ClientCredentialsTokenRequest(TOKEN_URL, "cid", "s", resource="urn:test:api")
    _, handler = _send(api, "request_client_credentials_token", request)
    assert handler.fields()["resource"] == ["urn:test:api"]


def test_resource_list_is_repeated_in_order(api: Any) -> None:
    resources = ["https://api.one.example/", "urn:test:api:two", "https://three.example/x?y=1"]
    request = AuthorizationCodeTokenRequest(
        TOKEN_URL, "cid", "code", "https://app.example/cb", resource=resources
    )
    _, handler = _send(api, "request_authorization_code_token", request)
    assert handler.fields()["resource"] == resources


def test_resource_on_refresh_and_tuple(api: Any) -> None:
    request = RefreshTokenRequest(TOKEN_URL, "cid", "RT", resource=("urn:a", "urn:b"))
    _, handler = _send(api, "refresh_token", request)
    assert handler.fields()["resource"] == ["urn:a", "urn:b"]


def test_extra_headers_are_sent(api: Any) -> None:
    request = ClientCredentialsTokenRequest(
        TOKEN_URL, "cid", "s", headers={"X-Request-Id": "abc-123", "X-Tenant": "t1"}
    )
    _, handler = _send(api, "request_client_credentials_token", request)
    headers = handler.last.headers
    assert headers["x-request-id"] == "abc-123"
    assert headers["x-tenant"] == "t1"
    assert decode_basic(handler.last) == ("cid", "s")
    assert "user-agent" in headers


def test_options_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        ClientCredentialsTokenRequest(TOKEN_URL, "c", "s", None, None, None, None, "urn:x")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "parameters", [{"grant_type": "password"}, {"scope": "admin"}], ids=["grant_type", "scope"]
)
def test_parameters_cannot_duplicate_grant_fields(api: Any, parameters: dict[str, str]) -> None:
    handler = Recorder()
    request = ClientCredentialsTokenRequest(
        TOKEN_URL, "cid", "s", scope="api", parameters=parameters
    )
    with pytest.raises(ConfigurationException):
        api.request_client_credentials_token(request, http_client=api.mock_client(handler))
    assert handler.calls == 0


def test_parameters_cannot_duplicate_client_auth_fields(api: Any) -> None:
    handler = Recorder()
    request = ClientCredentialsTokenRequest(
        TOKEN_URL,
        "cid",
        "s",
        client_auth_method="client_secret_post",
        parameters={"client_id": "other"},
    )
    with pytest.raises(ConfigurationException):
        api.request_client_credentials_token(request, http_client=api.mock_client(handler))
    assert handler.calls == 0
