"""Token responses (RFC 6749 §5): typed success, OAuth errors, HTTP/transport failures,
never-retried POSTs and the HTTPS-before-any-I/O rule."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
from tokens_support import TOKEN_URL, Recorder, ok, token_json

from py_identity_model import (
    AuthorizationCodeTokenRequest,
    ClientCredentialsTokenRequest,
    ErrorType,
    RefreshTokenRequest,
)


def _call(api: Any, *answers: Any, request: Any = None) -> tuple[Any, Recorder]:
    handler = Recorder(*answers)
    request = request or ClientCredentialsTokenRequest(TOKEN_URL, "cid", "sec")
    response = api.request_client_credentials_token(request, http_client=api.mock_client(handler))
    return response, handler


def _assert_failed(response: Any, error_type: ErrorType) -> None:
    assert response.is_successful is False
    assert isinstance(response.error, str) and response.error
    assert response.error_type is error_type


# ---------------------------------------------------------------------- success


def test_success_typed_fields(api: Any) -> None:
    body = token_json(
        refresh_token="RT-value",
        id_token="ID-value",
        scope="openid api",
        issued_token_type="urn:ietf:params:oauth:token-type:access_token",
        custom={"nested": [1, 2]},
    )
    before = time.time()
    response, _ = _call(api, ok(body, **{"DPoP-Nonce": "srv-nonce"}))
    after = time.time()
    assert response.is_successful is True
    assert response.error is None
    assert response.access_token == "AT-value"
    assert response.token_type == "Bearer"
    assert response.expires_in == 3600
    assert response.refresh_token == "RT-value"
    assert response.id_token == "ID-value"
    assert response.identity_token == "ID-value"
    assert response.scope == "openid api"
    assert response.issued_token_type == "urn:ietf:params:oauth:token-type:access_token"
    assert response.token == body  # upstream-compatible: the whole JSON object
    assert response.token["custom"] == {"nested": [1, 2]}
    assert before + 3600 - 1 <= response.expires_at <= after + 3600 + 1
    assert response.http_status == 200
    assert response.dpop_nonce == "srv-nonce"
    assert response.error_type is None


def test_expires_in_as_string(api: Any) -> None:
    response, _ = _call(api, ok(token_json(expires_in="3600")))
    assert response.is_successful
    assert response.expires_in == 3600
    assert response.expires_at == pytest.approx(time.time() + 3600, abs=5)


def test_absent_expires_in_gives_no_expiry(api: Any) -> None:
    body = token_json()
    del body["expires_in"]
    response, _ = _call(api, ok(body))
    assert response.is_successful
    assert response.expires_in is None
    assert response.expires_at is None


@pytest.mark.parametrize(
    "value",
    ["soon", -5.5, -1, True, "", {"s": 1}, 10**400, 10**10, "9" * 13, 1.5],
    ids=[
        "text",
        "negative-float",
        "negative",
        "bool",
        "empty",
        "object",
        "400-digits",
        "beyond-ten-years",
        "long-string",
        "fraction",
    ],
)
def test_unusable_expires_in_is_a_failed_result(api: Any, value: Any) -> None:
    # Numbers from servers are range-checked (a 400-digit integer used to overflow).
    body = token_json()
    body["expires_in"] = value
    response, _ = _call(api, ok(body))
    assert not response.is_successful
    assert response.error_code == "invalid_number"
    assert response.error_type is ErrorType.INVALID_RESPONSE
    assert "expires_in" in (response.error or "")


def test_optional_fields_absent_are_none(api: Any) -> None:
    response, _ = _call(api, ok({"access_token": "a", "token_type": "DPoP"}))
    assert response.is_successful
    assert response.token_type == "DPoP"
    for name in ("refresh_token", "id_token", "scope", "issued_token_type", "dpop_nonce"):
        assert getattr(response, name) is None, name


@pytest.mark.parametrize(
    "body",
    [
        {"token_type": "Bearer"},
        {"access_token": "a"},
        {"access_token": "", "token_type": "Bearer"},
        {"access_token": 42, "token_type": "Bearer"},
        {"access_token": "a", "token_type": None},
        {},
    ],
    ids=["no-access_token", "no-token_type", "empty-access_token", "numeric", "null-type", "empty"],
)
def test_missing_required_members_is_invalid_response(api: Any, body: dict[str, Any]) -> None:
    response, _ = _call(api, ok(body))
    _assert_failed(response, ErrorType.INVALID_RESPONSE)
    assert response.http_status == 200


# ----------------------------------------------------------------------- errors


def test_oauth_error_400(api: Any) -> None:
    answer = httpx.Response(
        400, json={"error": "invalid_grant", "error_description": "code expired", "x": 1}
    )
    response, _ = _call(api, answer)
    _assert_failed(response, ErrorType.PROTOCOL)
    assert response.error == "invalid_grant"
    assert response.error_description == "code expired"
    assert response.http_status == 400
    assert response.json == {"error": "invalid_grant", "error_description": "code expired", "x": 1}


def test_invalid_client_401(api: Any) -> None:
    answer = httpx.Response(
        401,
        json={"error": "invalid_client"},
        headers={"WWW-Authenticate": 'Basic realm="token"'},
    )
    response, _ = _call(api, answer)
    _assert_failed(response, ErrorType.PROTOCOL)
    assert response.error == "invalid_client"
    assert response.error_description is None
    assert response.http_status == 401


def test_html_500_is_http_error_with_raw_body(api: Any) -> None:
    html = "<html><body><h1>Internal Server Error</h1></body></html>"
    answer = httpx.Response(500, text=html, headers={"Content-Type": "text/html"})
    response, _ = _call(api, answer)
    _assert_failed(response, ErrorType.HTTP)
    assert response.http_status == 500
    assert response.raw == html
    assert "500" in response.error


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"", b'"a string"', b"[1, 2]", b'{"access_token": "a", "access_token": "b"}'],
    ids=["malformed", "empty", "string", "array", "duplicate-member"],
)
def test_malformed_json_is_invalid_response(api: Any, content: bytes) -> None:
    answer = httpx.Response(200, content=content, headers={"Content-Type": "application/json"})
    response, _ = _call(api, answer)
    _assert_failed(response, ErrorType.INVALID_RESPONSE)


@pytest.mark.parametrize("content_type", ["text/html", "text/plain", None])
def test_wrong_content_type_is_invalid_response(api: Any, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    answer = httpx.Response(200, content=json.dumps(token_json()).encode(), headers=headers)
    response, _ = _call(api, answer)
    _assert_failed(response, ErrorType.INVALID_RESPONSE)


def test_json_content_type_with_charset_is_fine(api: Any) -> None:
    answer = httpx.Response(
        200,
        content=json.dumps(token_json()).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    response, _ = _call(api, answer)
    assert response.is_successful, response.error


def test_oversized_body_fails(api: Any) -> None:
    big = b'{"access_token": "' + b"a" * (1024 * 1024 + 10) + b'", "token_type": "Bearer"}'
    answer = httpx.Response(200, content=big, headers={"Content-Type": "application/json"})
    response, _ = _call(api, answer)
    _assert_failed(response, ErrorType.POLICY)


@pytest.mark.parametrize(
    "exc",
    [httpx.ReadTimeout, httpx.ConnectTimeout, httpx.ConnectError, httpx.RemoteProtocolError],
)
def test_transport_errors_are_network_failures(api: Any, exc: type[Exception]) -> None:
    def boom(request: httpx.Request) -> httpx.Response:
        raise exc("boom", request=request)  # type: ignore[call-arg]

    response, handler = _call(api, boom)
    _assert_failed(response, ErrorType.NETWORK)
    assert handler.calls == 1


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_is_not_followed(api: Any, status: int) -> None:
    answer = httpx.Response(status, headers={"Location": "https://evil.example/token"})
    response, handler = _call(api, answer, ok())
    _assert_failed(response, ErrorType.HTTP)
    assert response.http_status == status
    assert handler.calls == 1
    assert all(str(r.url) == TOKEN_URL for r in handler.requests)


# -------------------------------------------------------------------- no retry


@pytest.mark.parametrize("status", [503, 429, 502])
def test_error_statuses_are_never_retried(api: Any, status: int) -> None:
    answer = httpx.Response(status, headers={"Retry-After": "0"}, text="busy")
    response, handler = _call(api, answer, ok())
    _assert_failed(response, ErrorType.HTTP)
    assert response.http_status == status
    assert handler.calls == 1


def test_timeout_is_never_retried(api: Any) -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    request = AuthorizationCodeTokenRequest(TOKEN_URL, "cid", "one-time-code", "https://a/cb")
    handler = Recorder(timeout, ok())
    response = api.request_authorization_code_token(request, http_client=api.mock_client(handler))
    _assert_failed(response, ErrorType.NETWORK)
    assert handler.calls == 1


def test_refresh_503_not_retried(api: Any) -> None:
    handler = Recorder(httpx.Response(503, headers={"Retry-After": "0"}), ok())
    request = RefreshTokenRequest(TOKEN_URL, "cid", "RT")
    response = api.refresh_token(request, http_client=api.mock_client(handler))
    assert not response.is_successful
    assert handler.calls == 1


# ------------------------------------------------------------------ URL policy


@pytest.mark.parametrize(
    "address",
    [
        "http://idp.example/token",
        "http://localhost@evil.example/token",
        "http://127.0.0.1.evil.example/token",
        "http://localhost.evil.example/token",
        "http://user:pw@127.0.0.1/token",
        "https://user@idp.example/token",
        "http://[::ffff:127.0.0.1]/token",
        "ftp://idp.example/token",
        "idp.example/token",
        "",
    ],
)
def test_refused_addresses_never_reach_the_network(api: Any, address: str) -> None:
    handler = Recorder()
    request = AuthorizationCodeTokenRequest(
        address, "cid", "code", "https://a/cb", "v" * 43, client_secret="sec"
    )
    response = api.request_authorization_code_token(request, http_client=api.mock_client(handler))
    _assert_failed(response, ErrorType.POLICY)
    assert handler.calls == 0


def test_policy_check_precedes_credential_resolution(api: Any) -> None:
    # Plain HTTP to a remote host is a policy failure (a result), not an exception, even
    # when the credentials are also misconfigured.
    handler = Recorder()
    request = ClientCredentialsTokenRequest("http://idp.example/token", "cid", "s", mtls=object())
    response = api.request_client_credentials_token(request, http_client=api.mock_client(handler))
    _assert_failed(response, ErrorType.POLICY)
    assert handler.calls == 0


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1/token",
        "http://127.0.0.1:8080/connect/token",
        "http://127.8.9.10:1/token",
        "http://localhost:5000/token",
        "http://[::1]:8443/token",
    ],
)
def test_loopback_http_is_allowed(api: Any, address: str) -> None:
    handler = Recorder()
    request = ClientCredentialsTokenRequest(address, "cid", "sec")
    response = api.request_client_credentials_token(request, http_client=api.mock_client(handler))
    assert response.is_successful, response.error
    assert handler.calls == 1
