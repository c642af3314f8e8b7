"""PAR answers (RFC 9126 §2.2): the success (201, and 200 tolerated), ``expires_in`` honoured,
the authorization URL with ``client_id`` and ``request_uri`` only, and every unusable answer
(sync and async)."""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from par_support import AUTHORIZE_URL, PAR_URL, REDIRECT_URI, REQUEST_URI, Recorder, pushed

from py_identity_model import (
    ErrorType,
    FrontChannelConfigurationError,
    PushedAuthorizationRequest,
    PushedAuthorizationResponse,
    build_par_authorization_url,
)
from py_identity_model.par.models import MAX_PAR_EXPIRES_IN, MAX_REQUEST_URI_LENGTH


def _push(api: Any, *answers: Any) -> tuple[Any, Recorder]:
    handler = Recorder(*answers)
    request = PushedAuthorizationRequest(PAR_URL, "cid", REDIRECT_URI, client_secret="s")
    response = api.push_authorization_request(request, http_client=api.mock_client(handler))
    return response, handler


def _failed(response: Any, code: str, error_type: ErrorType) -> None:
    assert isinstance(response, PushedAuthorizationResponse)
    assert response.is_successful is False
    assert isinstance(response.error, str) and response.error
    assert response.error_code == code, (response.error_code, response.error)
    assert response.error_type is error_type
    assert response.request_uri is None and response.expires_in is None
    assert response.is_expired()


def test_response_fields_follow_4x() -> None:
    params = list(inspect.signature(PushedAuthorizationResponse).parameters.values())
    positional = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert positional == ["is_successful", "error", "request_uri", "expires_in"]
    keyword_only = {p.name for p in params if p.kind is p.KEYWORD_ONLY}
    assert {"expires_at", "error_code", "http_status", "raw", "json"} <= keyword_only


@pytest.mark.parametrize("status", [201, 200])
def test_success(api: Any, status: int) -> None:
    before = time.time()
    response, handler = _push(api, pushed(status))
    assert response.is_successful is True
    assert response.error is None and response.error_code is None
    assert response.request_uri == REQUEST_URI
    assert response.expires_in == 60
    assert before + 60 <= response.expires_at <= time.time() + 60
    assert response.http_status == status
    assert response.json == {"request_uri": REQUEST_URI, "expires_in": 60}
    assert handler.calls == 1
    assert REQUEST_URI not in repr(response)


def test_expiry_is_honoured() -> None:
    response = PushedAuthorizationResponse(True, None, REQUEST_URI, 60, expires_at=1000.0)
    assert not response.is_expired(now=900.0)
    assert response.is_expired(now=1000.0)
    assert response.is_expired(now=950.0, leeway=50)
    assert PushedAuthorizationResponse(True, None, REQUEST_URI, 60).is_expired()  # no expires_at
    with pytest.raises(FrontChannelConfigurationError, match="expired"):
        response.authorization_url(AUTHORIZE_URL, "cid")
    fresh = PushedAuthorizationResponse(True, None, REQUEST_URI, 60, expires_at=time.time() + 60)
    url = fresh.authorization_url(AUTHORIZE_URL, "cid")
    assert dict(parse_qsl(urlsplit(url).query)) == {"client_id": "cid", "request_uri": REQUEST_URI}


def test_a_failed_push_has_no_authorization_url() -> None:
    failed = PushedAuthorizationResponse(False, "invalid_client")
    with pytest.raises(FrontChannelConfigurationError, match="failed"):
        failed.authorization_url(AUTHORIZE_URL, "cid")


def test_par_authorization_url_carries_client_id_and_request_uri_only() -> None:
    url = build_par_authorization_url(f"{AUTHORIZE_URL}?tenant=t1", "cid", REQUEST_URI)
    assert url.startswith(f"{AUTHORIZE_URL}?tenant=t1&client_id=cid&request_uri=urn%3Aietf")
    assert dict(parse_qsl(urlsplit(url).query)) == {
        "tenant": "t1",
        "client_id": "cid",
        "request_uri": REQUEST_URI,
    }
    assert build_par_authorization_url("http://127.0.0.1:8080/auth", "cid", REQUEST_URI)


@pytest.mark.parametrize(
    ("endpoint", "client_id", "request_uri", "match"),
    [
        ("http://idp.example/auth", "cid", REQUEST_URI, "HTTPS"),
        ("https://idp.example/auth#x", "cid", REQUEST_URI, "fragment"),
        (f"{AUTHORIZE_URL}?client_id=x", "cid", REQUEST_URI, "already contains"),
        (AUTHORIZE_URL, "", REQUEST_URI, "client_id"),
        (AUTHORIZE_URL, "cid", "https://idp.example/r/1", "URN"),
        (AUTHORIZE_URL, "cid", "", "non-empty"),
    ],
)
def test_par_authorization_url_misuse(
    endpoint: str, client_id: str, request_uri: str, match: str
) -> None:
    with pytest.raises(FrontChannelConfigurationError, match=match):
        build_par_authorization_url(endpoint, client_id, request_uri)


UNUSABLE: dict[str, tuple[Callable[[], httpx.Response], str, ErrorType]] = {
    "no request_uri": (
        lambda: pushed(request_uri=...),
        "missing_fields",
        ErrorType.INVALID_RESPONSE,
    ),
    "no expires_in": (lambda: pushed(expires_in=...), "missing_fields", ErrorType.INVALID_RESPONSE),
    "null request_uri": (
        lambda: pushed(request_uri=None),
        "missing_fields",
        ErrorType.INVALID_RESPONSE,
    ),
    "number request_uri": (
        lambda: pushed(request_uri=5),
        "malformed_request_uri",
        ErrorType.INVALID_RESPONSE,
    ),
    "url request_uri": (
        lambda: pushed(request_uri="https://idp.example/request/1"),
        "malformed_request_uri",
        ErrorType.INVALID_RESPONSE,
    ),
    "urn without nss": (
        lambda: pushed(request_uri="urn:x"),
        "malformed_request_uri",
        ErrorType.INVALID_RESPONSE,
    ),
    "space in request_uri": (
        lambda: pushed(request_uri="urn:ietf:params:oauth:request_uri:a b"),
        "malformed_request_uri",
        ErrorType.INVALID_RESPONSE,
    ),
    "non-ascii request_uri": (
        lambda: pushed(request_uri="urn:ietf:params:oauth:request_uri:é"),
        "malformed_request_uri",
        ErrorType.INVALID_RESPONSE,
    ),
    "huge request_uri": (
        lambda: pushed(request_uri="urn:x:" + "a" * MAX_REQUEST_URI_LENGTH),
        "malformed_request_uri",
        ErrorType.INVALID_RESPONSE,
    ),
    "zero expires_in": (lambda: pushed(expires_in=0), "invalid_number", ErrorType.INVALID_RESPONSE),
    "negative expires_in": (
        lambda: pushed(expires_in=-5),
        "invalid_number",
        ErrorType.INVALID_RESPONSE,
    ),
    "absurd expires_in": (
        lambda: pushed(expires_in=MAX_PAR_EXPIRES_IN + 1),
        "invalid_number",
        ErrorType.INVALID_RESPONSE,
    ),
    "fractional expires_in": (
        lambda: pushed(expires_in=1.5),
        "invalid_number",
        ErrorType.INVALID_RESPONSE,
    ),
    "boolean expires_in": (
        lambda: pushed(expires_in=True),
        "invalid_number",
        ErrorType.INVALID_RESPONSE,
    ),
    "string expires_in": (
        lambda: pushed(expires_in="60"),
        "invalid_number",
        ErrorType.INVALID_RESPONSE,
    ),
    "not json": (
        lambda: httpx.Response(
            201, content=b"<html>", headers={"Content-Type": "application/json"}
        ),
        "invalid_json",
        ErrorType.INVALID_RESPONSE,
    ),
    "json array": (
        lambda: httpx.Response(201, json=[REQUEST_URI]),
        "invalid_json",
        ErrorType.INVALID_RESPONSE,
    ),
    "wrong content type": (
        lambda: httpx.Response(201, text='{"request_uri": "urn:a:b", "expires_in": 60}'),
        "wrong_content_type",
        ErrorType.INVALID_RESPONSE,
    ),
    "oauth error": (
        lambda: httpx.Response(400, json={"error": "invalid_request", "error_description": "bad"}),
        "invalid_request",
        ErrorType.PROTOCOL,
    ),
    "other status": (
        lambda: httpx.Response(202, json={"request_uri": REQUEST_URI, "expires_in": 60}),
        "http_error",
        ErrorType.HTTP,
    ),
    "server error": (lambda: httpx.Response(500, text="oops"), "http_error", ErrorType.HTTP),
    "redirect": (
        lambda: httpx.Response(302, headers={"Location": "https://evil.example/"}),
        "redirect_not_followed",
        ErrorType.HTTP,
    ),
}


@pytest.mark.parametrize("case", list(UNUSABLE))
def test_unusable_answers(api: Any, case: str) -> None:
    make, code, error_type = UNUSABLE[case]
    response, handler = _push(api, make())
    _failed(response, code, error_type)
    assert handler.calls == 1  # a POST is never resent


def test_server_error_keeps_its_description(api: Any) -> None:
    response, _ = _push(api, UNUSABLE["oauth error"][0]())
    assert response.error == "invalid_request"
    assert response.error_description == "bad"
    assert response.http_status == 400


def test_oversized_body(api: Any) -> None:
    big = b'{"request_uri": "urn:a:b", "x": "' + b"a" * (1024 * 1024 + 10) + b'"}'
    response, _ = _push(
        api, httpx.Response(201, content=big, headers={"Content-Type": "application/json"})
    )
    _failed(response, "response_too_large", ErrorType.POLICY)


@pytest.mark.parametrize(
    ("exc", "code"),
    [(httpx.ReadTimeout, "timeout"), (httpx.ConnectError, "network_error")],
)
def test_transport_failures(api: Any, exc: type[Exception], code: str) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise exc("boom", request=request)  # type: ignore[call-arg]

    response, _ = _push(api, fail)
    _failed(response, code, ErrorType.NETWORK)
