"""One poll of the token endpoint with the device code grant (RFC 8628 §3.4, §3.5): the
form, 4.x's positional order of ``DeviceTokenResponse``, the pending answers and their
``interval``, the final errors, and every failure shape (sync and async)."""

from __future__ import annotations

import inspect
from typing import Any

import httpx
import pytest
from device_support import DEVICE_GRANT, TOKEN_URL, Recorder, decode_basic, oauth_error, tokens

from py_identity_model import DeviceTokenRequest, DeviceTokenResponse, ErrorType, TokenResponse


def _poll(api: Any, *answers: Any, **fields: Any) -> tuple[Any, Recorder]:
    handler = Recorder(*answers)
    request = DeviceTokenRequest(fields.pop("address", TOKEN_URL), "cid", "DEVICE-CODE-1", **fields)
    response = api.poll_device_token(request, http_client=api.mock_client(handler))
    return response, handler


# ------------------------------------------------------------------ signatures


def test_request_fields_follow_4x() -> None:
    params = list(inspect.signature(DeviceTokenRequest).parameters.values())
    positional = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert positional == [
        "address",
        "client_id",
        "device_code",
        "client_secret",
        "private_key_jwt",
        "mtls",
        "client_auth_method",
    ]
    keyword_only = {p.name for p in params if p.kind is p.KEYWORD_ONLY}
    assert {"resource", "parameters", "dpop_proof_factory", "interval"} <= keyword_only


def test_response_positional_order_is_4x() -> None:
    params = list(inspect.signature(DeviceTokenResponse).parameters.values())
    positional = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert positional == ["is_successful", "error", "token", "error_code", "interval"]
    keyword_only = [p.name for p in params if p.kind is p.KEYWORD_ONLY]
    assert {"error_description", "error_type", "http_status", "raw", "json", "headers"} <= set(
        keyword_only
    )
    assert {"expires_at", "dpop_nonce"} <= set(keyword_only)
    response = DeviceTokenResponse(False, "authorization_pending", None, "authorization_pending", 5)
    assert response.error_code == "authorization_pending"
    assert response.interval == 5
    assert response.token is None
    assert isinstance(response, TokenResponse)


def test_response_by_keyword_and_from_failure() -> None:
    response = DeviceTokenResponse(
        True, token={"access_token": "AT", "token_type": "Bearer"}, http_status=200
    )
    assert response.access_token == "AT"
    assert response.interval is None and response.error_code is None


# ------------------------------------------------------------------ the request on the wire


def test_form_and_basic_auth(api: Any) -> None:
    response, handler = _poll(api, tokens(), client_secret="s3cret")
    assert response.is_successful is True
    assert decode_basic(handler.requests[0]) == ("cid", "s3cret")
    assert handler.fields() == {"grant_type": [DEVICE_GRANT], "device_code": ["DEVICE-CODE-1"]}


def test_public_client_sends_client_id(api: Any) -> None:
    _, handler = _poll(api, tokens())
    assert handler.fields()["client_id"] == ["cid"]
    assert "authorization" not in handler.requests[0].headers


def test_interval_is_not_sent(api: Any) -> None:
    _, handler = _poll(api, tokens(), interval=2)
    assert "interval" not in handler.fields()


def test_plain_http_token_endpoint_is_refused(api: Any) -> None:
    response, handler = _poll(api, tokens(), address="http://idp.example/token", client_secret="s")
    assert response.error_code == "https_required"
    assert handler.calls == 0


# ------------------------------------------------------------------ answers


def test_tokens(api: Any) -> None:
    response, _ = _poll(api, tokens(refresh_token="RT", id_token="a.b.c"))
    assert isinstance(response, DeviceTokenResponse)
    assert response.is_successful is True
    assert response.access_token == "AT"
    assert response.refresh_token == "RT"
    assert response.interval is None
    assert response.expires_at is not None


def test_authorization_pending_reports_the_interval(api: Any) -> None:
    response, _ = _poll(api, oauth_error("authorization_pending"))
    assert response.is_successful is False
    assert response.error_code == "authorization_pending"
    assert response.error == "authorization_pending"
    assert response.error_type is ErrorType.PROTOCOL
    assert response.interval == 5
    response, _ = _poll(api, oauth_error("authorization_pending"), interval=2)
    assert response.interval == 2


def test_slow_down_grows_the_interval_by_five(api: Any) -> None:
    response, _ = _poll(api, oauth_error("slow_down"))
    assert response.error_code == "slow_down"
    assert response.interval == 10
    response, _ = _poll(api, oauth_error("slow_down"), interval=10)
    assert response.interval == 15


@pytest.mark.parametrize(
    "error", ["access_denied", "expired_token", "invalid_grant", "invalid_client"]
)
def test_final_errors(api: Any, error: str) -> None:
    response, _ = _poll(api, oauth_error(error, 401 if error == "invalid_client" else 400, "no"))
    assert response.is_successful is False
    assert response.error_code == error
    assert response.error_type is ErrorType.PROTOCOL
    assert response.error_description == "no"
    assert response.interval is None
    assert response.token is None


@pytest.mark.parametrize("member", ["access_token", "token_type"])
def test_missing_token_members(api: Any, member: str) -> None:
    body = {"access_token": "AT", "token_type": "Bearer"}
    del body[member]
    response, _ = _poll(api, httpx.Response(200, json=body))
    assert response.error_code == "missing_fields"
    assert response.error_type is ErrorType.INVALID_RESPONSE


def test_bad_expires_in(api: Any) -> None:
    response, _ = _poll(api, tokens(expires_in=-5))
    assert response.error_code == "invalid_number"


def test_not_json_and_http_errors(api: Any) -> None:
    response, _ = _poll(
        api, httpx.Response(200, text="nope", headers={"content-type": "text/plain"})
    )
    assert response.error_code == "wrong_content_type"
    response, _ = _poll(api, httpx.Response(500, text="boom"))
    assert response.error_code == "http_error"
    assert response.http_status == 500


def test_network_failure(api: Any) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    response, handler = _poll(api, refuse)
    assert response.is_successful is False
    assert response.error_type is ErrorType.NETWORK
    assert handler.calls == 1  # token POSTs are never retried


def test_repr_hides_device_code_secret_and_tokens(api: Any) -> None:
    request = DeviceTokenRequest(TOKEN_URL, "cid", "DEVICE-CODE-1", "s3cret")
    text = repr(request)
    assert "DEVICE-CODE-1" not in text and "s3cret" not in text
    response, _ = _poll(api, tokens(refresh_token="RT-secret"))
    text = repr(response)
    assert "RT-secret" not in text and "'AT'" not in text
