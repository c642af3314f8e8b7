"""Introspection answers in JSON (RFC 7662 §2.2-§2.3): typed properties, inactive tokens,
every malformed shape, OAuth errors, HTTP and transport failures."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from introspection_support import CLIENT_ID, INTROSPECTION_URL, Recorder, active_json, ok_json

from py_identity_model import ErrorType, TokenIntrospectionRequest


def _call(api: Any, *answers: Any) -> tuple[Any, Recorder]:
    handler = Recorder(*answers)
    request = TokenIntrospectionRequest(INTROSPECTION_URL, "tok", CLIENT_ID, client_secret="s")
    return api.introspect_token(request, http_client=api.mock_client(handler)), handler


def _failed(response: Any, code: str, error_type: ErrorType) -> None:
    assert response.is_successful is False
    assert isinstance(response.error, str) and response.error
    assert response.error_code == code, (response.error_code, response.error)
    assert response.error_type is error_type
    assert response.active is False


def test_active_token_typed_properties(api: Any) -> None:
    body = {
        "active": True,
        "scope": "openid api:read",
        "client_id": "spa",
        "username": "alice@example.com",
        "token_type": "Bearer",
        "exp": 1900000000,
        "iat": 1800000000,
        "nbf": 1800000000.0,
        "sub": "alice",
        "aud": ["urn:api", "urn:other"],
        "iss": "https://idp.example",
        "jti": "j-1",
        "cnf": {"jkt": "thumb"},
        "ext": {"nested": [1]},
    }
    response, _ = _call(api, ok_json(body))
    assert response.is_successful is True, response.error
    assert response.error is None and response.error_code is None
    assert response.active is True
    assert response.claims == body  # 4.x: the whole answer
    assert response.json == body
    assert response.http_status == 200
    assert response.scope == "openid api:read"
    assert response.scopes == ("openid", "api:read")
    assert response.client_id == "spa"
    assert response.username == "alice@example.com"
    assert response.token_type == "Bearer"
    assert (response.exp, response.iat, response.nbf) == (1900000000, 1800000000, 1800000000)
    assert isinstance(response.nbf, int)
    assert response.sub == "alice"
    assert response.aud == ["urn:api", "urn:other"]
    assert response.iss == "https://idp.example"
    assert response.jti == "j-1"
    assert response.cnf == {"jkt": "thumb"}
    assert response.jwt_claims is None


def test_single_audience_string(api: Any) -> None:
    response, _ = _call(api, ok_json(active_json(aud="urn:api")))
    assert response.aud == "urn:api"


def test_legacy_scope_array_is_joined(api: Any) -> None:
    response, _ = _call(api, ok_json(active_json(scope=["api:read", "api:write"])))
    assert response.is_successful, response.error
    assert response.scope == "api:read api:write"
    assert response.scopes == ("api:read", "api:write")


def test_absent_members_are_none(api: Any) -> None:
    response, _ = _call(api, ok_json({"active": True}))
    assert response.is_successful
    for name in ("scope", "client_id", "username", "token_type", "exp", "iat", "nbf", "sub"):
        assert getattr(response, name) is None, name
    for name in ("aud", "iss", "jti", "cnf"):
        assert getattr(response, name) is None, name
    assert response.scopes == ()


def test_inactive_token_is_a_success(api: Any) -> None:
    response, _ = _call(api, ok_json({"active": False}))
    assert response.is_successful is True
    assert response.error is None
    assert response.claims == {"active": False}
    assert response.claims["active"] is False
    assert response.active is False
    assert response.scopes == ()


def test_missing_active(api: Any) -> None:
    body = active_json()
    del body["active"]
    response, _ = _call(api, ok_json(body))
    _failed(response, "missing_fields", ErrorType.INVALID_RESPONSE)
    assert "active" in response.error
    assert response.claims is None


@pytest.mark.parametrize("value", ["true", 1, 0, None, [], {}])
def test_non_boolean_active(api: Any, value: Any) -> None:
    response, _ = _call(api, ok_json(active_json(active=value)))
    _failed(response, "invalid_response", ErrorType.INVALID_RESPONSE)


@pytest.mark.parametrize("member", ["exp", "iat", "nbf"])
@pytest.mark.parametrize(
    "value",
    ["1900000000", True, -1, 10**13, 10**400 // 10**380, {"s": 1}, [1], None],
    ids=["string", "bool", "negative", "year-300000", "huge", "object", "array", "null"],
)
def test_bad_times_are_invalid_number(api: Any, member: str, value: Any) -> None:
    response, _ = _call(api, ok_json(active_json(**{member: value})))
    _failed(response, "invalid_number", ErrorType.INVALID_RESPONSE)
    assert member in response.error


def test_a_400_digit_number_is_a_failed_result(api: Any) -> None:
    raw = '{"active": true, "exp": ' + "9" * 400 + "}"
    answer = httpx.Response(200, content=raw, headers={"Content-Type": "application/json"})
    response, _ = _call(api, answer)
    assert response.is_successful is False
    assert response.error_code in ("invalid_json", "invalid_number")


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("scope", 5),
        ("scope", ["a", 1]),
        ("scope", {"a": 1}),
        ("aud", 5),
        ("aud", ["a", None]),
        ("cnf", "jkt"),
        ("cnf", ["x"]),
    ],
)
def test_members_of_the_wrong_type(api: Any, member: str, value: Any) -> None:
    response, _ = _call(api, ok_json(active_json(**{member: value})))
    _failed(response, "invalid_response", ErrorType.INVALID_RESPONSE)
    assert member in response.error


def test_other_text_members_of_the_wrong_type_read_as_none(api: Any) -> None:
    response, _ = _call(api, ok_json(active_json(sub=5, client_id=["x"], username={})))
    assert response.is_successful
    assert (response.sub, response.client_id, response.username) == (None, None, None)
    assert response.claims["sub"] == 5  # still in the raw claims


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, "invalid_client"), (400, "invalid_request"), (400, "unsupported_token_type")],
)
def test_oauth_errors_pass_through(api: Any, status: int, error: str) -> None:
    answer = httpx.Response(status, json={"error": error, "error_description": "why"})
    response, _ = _call(api, answer)
    _failed(response, error, ErrorType.PROTOCOL)
    assert response.error == error  # 4.x: error is the server's error
    assert response.error_description == "why"
    assert response.http_status == status


_JSON = {"Content-Type": "application/json"}
UNUSABLE: dict[str, tuple[Any, str, ErrorType]] = {
    "not-json": (
        lambda: httpx.Response(200, content=b"not json", headers=_JSON),
        "invalid_json",
        ErrorType.INVALID_RESPONSE,
    ),
    "array": (
        lambda: httpx.Response(200, content=b"[1]", headers=_JSON),
        "invalid_json",
        ErrorType.INVALID_RESPONSE,
    ),
    "duplicate-member": (
        lambda: httpx.Response(200, content=b'{"active": true, "active": false}', headers=_JSON),
        "invalid_json",
        ErrorType.INVALID_RESPONSE,
    ),
    "html": (
        lambda: httpx.Response(200, text="<html>", headers={"Content-Type": "text/html"}),
        "wrong_content_type",
        ErrorType.INVALID_RESPONSE,
    ),
    "no-content-type": (
        lambda: httpx.Response(200, content=json.dumps({"active": True}).encode()),
        "wrong_content_type",
        ErrorType.INVALID_RESPONSE,
    ),
    "500": (lambda: httpx.Response(500, text="oops"), "http_error", ErrorType.HTTP),
    "404": (lambda: httpx.Response(404), "http_error", ErrorType.HTTP),
    "redirect": (
        lambda: httpx.Response(302, headers={"Location": "https://evil.example/"}),
        "redirect_not_followed",
        ErrorType.HTTP,
    ),
}


@pytest.mark.parametrize("case", list(UNUSABLE))
def test_unusable_answers(api: Any, case: str) -> None:
    make, code, error_type = UNUSABLE[case]
    response, handler = _call(api, make())
    _failed(response, code, error_type)
    assert handler.calls == 1


def test_oversized_body(api: Any) -> None:
    big = b'{"active": true, "x": "' + b"a" * (1024 * 1024 + 10) + b'"}'
    response, _ = _call(
        api, httpx.Response(200, content=big, headers={"Content-Type": "application/json"})
    )
    _failed(response, "response_too_large", ErrorType.POLICY)


@pytest.mark.parametrize(
    ("exc", "code"),
    [(httpx.ReadTimeout, "timeout"), (httpx.ConnectError, "network_error")],
)
def test_transport_failures(api: Any, exc: type[Exception], code: str) -> None:
    def boom(request: httpx.Request) -> httpx.Response:
        raise exc("boom", request=request)  # type: ignore[call-arg]

    response, handler = _call(api, boom, ok_json())
    _failed(response, code, ErrorType.NETWORK)
    assert handler.calls == 1
