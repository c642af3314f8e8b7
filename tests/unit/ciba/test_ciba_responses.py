"""Backchannel authentication and CIBA token responses (CIBA Core 1.0 §7.3, §11, §13):
typed success, the interval default, bounded numbers, missing members, every failure shape."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from ciba_support import BC_URL, CIBA_GRANT, TOKEN_URL, Recorder, oauth_error, started, tokens

from py_identity_model import (
    BackchannelAuthenticationRequest,
    BackchannelAuthenticationResponse,
    BackchannelTokenRequest,
    BackchannelTokenResponse,
    ErrorType,
)


def _start(api: Any, *answers: Any) -> tuple[Any, Recorder]:
    handler = Recorder(*answers)
    request = BackchannelAuthenticationRequest(BC_URL, "cid", client_secret="s", login_hint="a")
    response = api.request_backchannel_authentication(request, http_client=api.mock_client(handler))
    return response, handler


def _poll(api: Any, *answers: Any) -> tuple[Any, Recorder]:
    handler = Recorder(*answers)
    request = BackchannelTokenRequest(TOKEN_URL, "cid", "REQ-1", "s")
    response = api.poll_backchannel_token(request, http_client=api.mock_client(handler))
    return response, handler


def _failed(response: Any, code: str, error_type: ErrorType) -> None:
    assert response.is_successful is False
    assert isinstance(response.error, str) and response.error
    assert response.error_code == code
    assert response.error_type is error_type


# ------------------------------------------------------------------ authentication


def test_success_is_typed_and_interval_defaults_to_five(api: Any) -> None:
    before = time.time()
    response, _ = _start(api, started())
    assert isinstance(response, BackchannelAuthenticationResponse)
    assert response.is_successful is True
    assert response.error is None
    assert response.auth_req_id == "REQ-1"
    assert response.expires_in == 120
    assert response.interval == 5
    assert before + 120 - 1 <= response.expires_at <= time.time() + 120 + 1
    assert response.http_status == 200
    assert response.json == {"auth_req_id": "REQ-1", "expires_in": 120}


def test_positional_fields_follow_the_spec() -> None:
    response = BackchannelAuthenticationResponse(True, None, "R", 60, 2)
    assert (response.auth_req_id, response.expires_in, response.interval) == ("R", 60, 2)
    text = repr(BackchannelAuthenticationResponse(True, None, "AUTH-REQ-X", 60, 2))
    assert "AUTH-REQ-X" not in text
    assert "expires_in=60" in text


@pytest.mark.parametrize(("sent", "read"), [(2, 2), (1, 1), (3600, 3600), (7.0, 7)])
def test_interval_from_the_server(api: Any, sent: Any, read: int) -> None:
    response, _ = _start(api, started(interval=sent))
    assert response.is_successful
    assert response.interval == read


def test_integral_float_expires_in_is_accepted(api: Any) -> None:
    response, _ = _start(api, started(expires_in=600.0))
    assert response.expires_in == 600


@pytest.mark.parametrize(
    ("body", "missing"),
    [
        ({"expires_in": 120}, "auth_req_id"),
        ({"auth_req_id": "R"}, "expires_in"),
        ({}, "auth_req_id and expires_in"),
        ({"auth_req_id": "", "expires_in": 120}, "auth_req_id"),
        ({"auth_req_id": 17, "expires_in": 120}, "auth_req_id"),
        ({"auth_req_id": "R", "expires_in": None}, "expires_in"),
    ],
)
def test_missing_members(api: Any, body: dict[str, Any], missing: str) -> None:
    response, _ = _start(api, httpx.Response(200, json=body))
    _failed(response, "missing_fields", ErrorType.INVALID_RESPONSE)
    assert f"lacks {missing}" in response.error
    assert response.auth_req_id is None
    assert response.http_status == 200


@pytest.mark.parametrize("value", [0, -1, "120", True, 1.5, 10**12, 1e300, [120]])
def test_bad_expires_in(api: Any, value: Any) -> None:
    response, _ = _start(api, started(expires_in=value))
    _failed(response, "invalid_number", ErrorType.INVALID_RESPONSE)
    assert "expires_in" in response.error


@pytest.mark.parametrize("value", [0, -5, "5", False, 2.5, 3601, 10**20, {"s": 5}])
def test_bad_interval(api: Any, value: Any) -> None:
    response, _ = _start(api, started(interval=value))
    _failed(response, "invalid_number", ErrorType.INVALID_RESPONSE)
    assert "interval" in response.error


def test_absurdly_long_auth_req_id(api: Any) -> None:
    response, _ = _start(api, started(auth_req_id="x" * 5000))
    _failed(response, "invalid_response", ErrorType.INVALID_RESPONSE)


def test_server_error_is_passed_through(api: Any) -> None:
    response, _ = _start(api, oauth_error("unknown_user_id", 400, "could not identify end-user"))
    _failed(response, "unknown_user_id", ErrorType.PROTOCOL)
    assert response.error == "unknown_user_id"
    assert response.error_description == "could not identify end-user"
    assert response.http_status == 400


@pytest.mark.parametrize(
    "error",
    ["invalid_client", "invalid_binding_message", "missing_user_code", "expired_login_hint_token"],
)
def test_other_ciba_errors(api: Any, error: str) -> None:
    response, _ = _start(api, oauth_error(error, 401 if error == "invalid_client" else 400))
    _failed(response, error, ErrorType.PROTOCOL)


@pytest.mark.parametrize(
    ("answer", "code", "error_type"),
    [
        (
            {"text": "not json", "headers": {"content-type": "application/json"}},
            "invalid_json",
            ErrorType.INVALID_RESPONSE,
        ),
        ({"json": [1, 2]}, "invalid_json", ErrorType.INVALID_RESPONSE),
        (
            {"text": "<html/>", "headers": {"content-type": "text/html"}},
            "wrong_content_type",
            ErrorType.INVALID_RESPONSE,
        ),
        ({"status_code": 500, "text": "boom"}, "http_error", ErrorType.HTTP),
        (
            {"status_code": 302, "headers": {"location": "https://elsewhere/"}},
            "redirect_not_followed",
            ErrorType.HTTP,
        ),
    ],
)
def test_failure_shapes(api: Any, answer: dict[str, Any], code: str, error_type: ErrorType) -> None:
    response, handler = _start(api, httpx.Response(**{"status_code": 200, **answer}))
    _failed(response, code, error_type)
    assert handler.calls == 1


def test_timeout_is_a_result_and_never_retried(api: Any) -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    response, handler = _start(api, timeout)
    _failed(response, "timeout", ErrorType.NETWORK)
    assert handler.calls == 1


def test_oversized_body(api: Any) -> None:
    big = httpx.Response(200, json={"auth_req_id": "R", "expires_in": 1, "pad": "x" * 3_000_000})
    response, _ = _start(api, big)
    _failed(response, "response_too_large", ErrorType.POLICY)


# ------------------------------------------------------------------ token polling


def test_poll_sends_the_ciba_grant(api: Any) -> None:
    response, handler = _poll(api, tokens(id_token="ID", refresh_token="RT"))
    assert isinstance(response, BackchannelTokenResponse)
    assert response.is_successful
    assert response.access_token == "AT"
    assert response.id_token == "ID"
    assert response.refresh_token == "RT"
    assert handler.form() == [("grant_type", CIBA_GRANT), ("auth_req_id", "REQ-1")]
    assert str(handler.requests[0].url) == TOKEN_URL


@pytest.mark.parametrize(
    "error", ["authorization_pending", "slow_down", "expired_token", "access_denied"]
)
def test_poll_errors_arrive_as_error_code(api: Any, error: str) -> None:
    response, handler = _poll(api, oauth_error(error))
    _failed(response, error, ErrorType.PROTOCOL)
    assert response.error == error
    assert handler.calls == 1  # a token POST is never retried by itself


def test_poll_success_without_access_token(api: Any) -> None:
    response, _ = _poll(api, httpx.Response(200, json={"token_type": "Bearer"}))
    _failed(response, "missing_fields", ErrorType.INVALID_RESPONSE)


def test_poll_with_resource_and_extra_parameters(api: Any) -> None:
    handler = Recorder(tokens())
    request = BackchannelTokenRequest(
        TOKEN_URL, "cid", "REQ-1", "s", resource="urn:api", parameters={"x": "1"}
    )
    api.poll_backchannel_token(request, http_client=api.mock_client(handler))
    assert handler.form() == [
        ("grant_type", CIBA_GRANT),
        ("auth_req_id", "REQ-1"),
        ("resource", "urn:api"),
        ("x", "1"),
    ]


def test_poll_requires_auth_req_id(api: Any) -> None:
    from py_identity_model import ConfigurationException

    with pytest.raises(ConfigurationException, match="auth_req_id"):
        api.poll_backchannel_token(
            BackchannelTokenRequest(TOKEN_URL, "cid", "  ", "s"),
            http_client=api.mock_client(Recorder()),
        )
