"""Device authorization requests and responses (RFC 8628 §3.1, §3.2): 4.x field orders,
the form on the wire, the interval default, bounded numbers, missing members, the safety
of the URIs shown to the user, and every failure shape (sync and async)."""

from __future__ import annotations

import inspect
import time
from typing import Any

import httpx
import pytest
from device_support import DEVICE_URL, Recorder, authorized, decode_basic, oauth_error

from py_identity_model import (
    DeviceAuthorizationRequest,
    DeviceAuthorizationResponse,
    ErrorType,
)
from py_identity_model.exceptions import ConfigurationException


def _authorize(api: Any, *answers: Any, **fields: Any) -> tuple[Any, Recorder]:
    handler = Recorder(*answers)
    request = DeviceAuthorizationRequest(fields.pop("address", DEVICE_URL), "cid", **fields)
    response = api.request_device_authorization(request, http_client=api.mock_client(handler))
    return response, handler


def _failed(response: Any, code: str, error_type: ErrorType) -> None:
    assert isinstance(response, DeviceAuthorizationResponse)
    assert response.is_successful is False
    assert isinstance(response.error, str) and response.error
    assert response.error_code == code
    assert response.error_type is error_type
    assert response.device_code is None and response.user_code is None


# ------------------------------------------------------------------ signatures


def test_request_fields_follow_4x() -> None:
    params = list(inspect.signature(DeviceAuthorizationRequest).parameters.values())
    positional = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert positional == [
        "address",
        "client_id",
        "scope",
        "client_secret",
        "private_key_jwt",
        "mtls",
        "client_auth_method",
    ]
    assert params[2].default == "openid"
    keyword_only = {p.name for p in params if p.kind is p.KEYWORD_ONLY}
    assert {"parameters", "client_assertion", "dpop_proof_factory", "headers", "policy"} <= (
        keyword_only
    )
    assert "resource" in keyword_only
    request = DeviceAuthorizationRequest(DEVICE_URL, "cid", "openid api", "secret")
    assert (request.scope, request.client_secret) == ("openid api", "secret")


def test_response_fields_follow_4x() -> None:
    params = list(inspect.signature(DeviceAuthorizationResponse).parameters.values())
    positional = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert positional == [
        "is_successful",
        "error",
        "device_code",
        "user_code",
        "verification_uri",
        "verification_uri_complete",
        "expires_in",
        "interval",
    ]
    assert "expires_at" in {p.name for p in params if p.kind is p.KEYWORD_ONLY}
    response = DeviceAuthorizationResponse(True, None, "dc", "uc", "https://x", None, 60, 5)
    assert (response.device_code, response.expires_in, response.interval) == ("dc", 60, 5)


# ------------------------------------------------------------------ the request on the wire


def test_confidential_client_uses_basic_and_sends_scope(api: Any) -> None:
    response, handler = _authorize(api, authorized(), client_secret="s3cret")
    assert response.is_successful is True
    sent = handler.requests[0]
    assert sent.method == "POST"
    assert str(sent.url) == DEVICE_URL
    assert decode_basic(sent) == ("cid", "s3cret")
    assert handler.fields() == {"scope": ["openid"]}


def test_public_client_sends_client_id_in_the_form(api: Any) -> None:
    _, handler = _authorize(api, authorized(), scope="openid profile offline_access")
    assert "authorization" not in handler.requests[0].headers
    assert handler.fields() == {"client_id": ["cid"], "scope": ["openid profile offline_access"]}


def test_client_secret_post_and_no_scope(api: Any) -> None:
    _, handler = _authorize(
        api, authorized(), scope=None, client_secret="s", client_auth_method="client_secret_post"
    )
    assert handler.fields() == {"client_id": ["cid"], "client_secret": ["s"]}


def test_resource_indicators_and_extra_parameters(api: Any) -> None:
    _, handler = _authorize(
        api,
        authorized(),
        resource=["https://api.one", "https://api.two"],
        parameters={"acr_values": "mfa"},
    )
    fields = handler.fields()
    assert fields["resource"] == ["https://api.one", "https://api.two"]
    assert fields["acr_values"] == ["mfa"]


def test_parameters_may_not_repeat_scope(api: Any) -> None:
    with pytest.raises(ConfigurationException):
        _authorize(api, authorized(), parameters={"scope": "other"})


def test_plain_http_endpoint_is_refused_before_any_request(api: Any) -> None:
    response, handler = _authorize(
        api, authorized(), address="http://idp.example/device", client_secret="s"
    )
    _failed(response, "https_required", ErrorType.POLICY)
    assert handler.calls == 0


def test_loopback_http_endpoint_is_allowed(api: Any) -> None:
    response, handler = _authorize(api, authorized(), address="http://127.0.0.1:9/device")
    assert response.is_successful is True
    assert handler.calls == 1


# ------------------------------------------------------------------ the success


def test_success_is_typed_and_interval_defaults_to_five(api: Any) -> None:
    before = time.time()
    response, _ = _authorize(api, authorized())
    assert isinstance(response, DeviceAuthorizationResponse)
    assert response.is_successful is True
    assert response.error is None and response.error_code is None
    assert response.device_code == "DEVICE-CODE-1"
    assert response.user_code == "WDJB-MJHT"
    assert response.verification_uri == "https://idp.example/device"
    assert response.verification_uri_complete == "https://idp.example/device?user_code=WDJB-MJHT"
    assert response.expires_in == 1800
    assert response.interval == 5
    assert before + 1800 - 1 <= response.expires_at <= time.time() + 1800 + 1
    assert response.http_status == 200
    assert response.json is not None and response.json["user_code"] == "WDJB-MJHT"


@pytest.mark.parametrize("interval", [0, 1, 10, 3600, 7.0])
def test_server_interval_is_honoured(api: Any, interval: Any) -> None:
    response, _ = _authorize(api, authorized(interval=interval))
    assert response.is_successful is True
    assert response.interval == int(interval)


def test_verification_uri_complete_is_optional(api: Any) -> None:
    response, _ = _authorize(api, authorized(verification_uri_complete=...))
    assert response.is_successful is True
    assert response.verification_uri_complete is None


def test_verification_url_of_older_servers_is_accepted(api: Any) -> None:
    answer = authorized(verification_uri=..., verification_url="https://www.google.com/device")
    response, _ = _authorize(api, answer)
    assert response.is_successful is True
    assert response.verification_uri == "https://www.google.com/device"


def test_loopback_http_verification_uri_is_allowed(api: Any) -> None:
    answer = authorized(
        verification_uri="http://localhost:3000/device",
        verification_uri_complete="http://[::1]:3000/device?user_code=X",
    )
    response, _ = _authorize(api, answer)
    assert response.is_successful is True


# ------------------------------------------------------------------ the failures


@pytest.mark.parametrize("member", ["device_code", "user_code", "verification_uri", "expires_in"])
def test_missing_members(api: Any, member: str) -> None:
    response, _ = _authorize(api, authorized(**{member: ...}))
    _failed(response, "missing_fields", ErrorType.INVALID_RESPONSE)
    assert member in response.error
    assert response.http_status == 200
    assert response.raw is not None


@pytest.mark.parametrize(
    ("member", "value"),
    [("device_code", ""), ("user_code", "  "), ("device_code", 12345), ("user_code", None)],
)
def test_empty_or_non_string_codes_are_missing(api: Any, member: str, value: Any) -> None:
    response, _ = _authorize(api, authorized(**{member: value}))
    _failed(response, "missing_fields", ErrorType.INVALID_RESPONSE)


def test_all_missing_members_are_named(api: Any) -> None:
    response, _ = _authorize(api, httpx.Response(200, json={"interval": 5}))
    _failed(response, "missing_fields", ErrorType.INVALID_RESPONSE)
    for member in ("device_code", "user_code", "verification_uri", "expires_in"):
        assert member in response.error


@pytest.mark.parametrize(
    "value", [0, -1, "600", True, 10.5, 1e30, 10 * 365 * 24 * 3600 + 1, [600], {"s": 1}]
)
def test_bad_expires_in(api: Any, value: Any) -> None:
    response, _ = _authorize(api, authorized(expires_in=value))
    _failed(response, "invalid_number", ErrorType.INVALID_RESPONSE)
    assert "expires_in" in response.error


@pytest.mark.parametrize("value", [-1, 3601, "5", True, 2.5, 1e300])
def test_bad_interval(api: Any, value: Any) -> None:
    response, _ = _authorize(api, authorized(interval=value))
    _failed(response, "invalid_number", ErrorType.INVALID_RESPONSE)
    assert "interval" in response.error


@pytest.mark.parametrize(
    "uri",
    [
        "javascript:alert(document.cookie)",
        "http://evil.example/device",
        "/device",
        "idp.example/device",
        "ftp://idp.example/device",
        "https://",
        "data:text/html,<script>alert(1)</script>",
        "https://idp.example@evil.example/device",
        "https://idp.example/dev ice",
        "https://idp.example/\u0000device",
    ],
)
@pytest.mark.parametrize("member", ["verification_uri", "verification_uri_complete"])
def test_unsafe_verification_uris_are_refused(api: Any, member: str, uri: str) -> None:
    response, _ = _authorize(api, authorized(**{member: uri}))
    _failed(response, "insecure_verification_uri", ErrorType.INVALID_RESPONSE)
    assert member in response.error


def test_non_string_verification_uri_complete_is_refused(api: Any) -> None:
    response, _ = _authorize(api, authorized(verification_uri_complete=["https://x"]))
    _failed(response, "insecure_verification_uri", ErrorType.INVALID_RESPONSE)


def test_oversized_device_code(api: Any) -> None:
    response, _ = _authorize(api, authorized(device_code="x" * 4097))
    _failed(response, "invalid_response", ErrorType.INVALID_RESPONSE)
    assert "device_code" in response.error


@pytest.mark.parametrize("user_code", ["U" * 129, "WDJB\nMJHT", "WDJB\x1b[31m"])
def test_unprintable_or_oversized_user_code(api: Any, user_code: str) -> None:
    response, _ = _authorize(api, authorized(user_code=user_code))
    _failed(response, "invalid_response", ErrorType.INVALID_RESPONSE)
    assert "user_code" in response.error


@pytest.mark.parametrize(
    ("error", "status"),
    [("invalid_client", 401), ("invalid_scope", 400), ("unauthorized_client", 400)],
)
def test_oauth_errors_are_passed_through(api: Any, error: str, status: int) -> None:
    response, _ = _authorize(api, oauth_error(error, status, "told you so"))
    _failed(response, error, ErrorType.PROTOCOL)
    assert response.error == error
    assert response.error_description == "told you so"
    assert response.http_status == status


def test_not_json(api: Any) -> None:
    answer = httpx.Response(200, text="{not json", headers={"content-type": "application/json"})
    response, _ = _authorize(api, answer)
    _failed(response, "invalid_json", ErrorType.INVALID_RESPONSE)


def test_json_array_is_not_an_object(api: Any) -> None:
    response, _ = _authorize(api, httpx.Response(200, json=["device_code"]))
    _failed(response, "invalid_json", ErrorType.INVALID_RESPONSE)


def test_wrong_content_type(api: Any) -> None:
    answer = httpx.Response(200, text="<html>hi</html>", headers={"content-type": "text/html"})
    response, _ = _authorize(api, answer)
    _failed(response, "wrong_content_type", ErrorType.INVALID_RESPONSE)


def test_server_error_without_oauth_body(api: Any) -> None:
    response, _ = _authorize(api, httpx.Response(503, text="down"))
    _failed(response, "http_error", ErrorType.HTTP)
    assert response.http_status == 503


def test_redirect_is_not_followed(api: Any) -> None:
    answer = httpx.Response(302, headers={"location": "https://evil.example/"})
    response, handler = _authorize(api, answer)
    _failed(response, "redirect_not_followed", ErrorType.HTTP)
    assert handler.calls == 1


def test_network_failure(api: Any) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    response, _ = _authorize(api, refuse)
    assert response.is_successful is False
    assert response.error_type is ErrorType.NETWORK


# ------------------------------------------------------------------ repr


def test_repr_hides_secrets_and_codes(api: Any) -> None:
    request = DeviceAuthorizationRequest(
        DEVICE_URL, "cid", client_secret="s3cret", headers={"x-key": "hdr-secret"}
    )
    text = repr(request)
    assert "s3cret" not in text and "hdr-secret" not in text
    assert "cid" in text
    response, _ = _authorize(api, authorized())
    text = repr(response)
    for secret in ("DEVICE-CODE-1", "WDJB-MJHT"):
        assert secret not in text
    assert "https://idp.example/device" in text  # the plain URI is not a secret
