"""``revoke_token`` (RFC 7009): the 4.x fields, the form, 200 is success whatever the body,
OAuth errors (``unsupported_token_type``), 503 + ``Retry-After`` (never resent), HTTP and
transport failures, the endpoint policy."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import pytest
from introspection_support import CLIENT_ID, CLIENT_SECRET, REVOCATION_URL, Recorder, decode_basic

from py_identity_model import (
    ConfigurationException,
    ErrorType,
    OidcConstants,
    TokenRevocationRequest,
    TokenRevocationResponse,
)
from py_identity_model.revocation.models import ACCESS_TOKEN_HINT, REFRESH_TOKEN_HINT


def _request(**extra: Any) -> TokenRevocationRequest:
    extra.setdefault("client_secret", CLIENT_SECRET)
    return TokenRevocationRequest(REVOCATION_URL, "the-token", CLIENT_ID, **extra)


def _call(api: Any, *answers: Any, request: Any = None) -> tuple[Any, Recorder]:
    handler = Recorder(*answers)
    response = api.revoke_token(request or _request(), http_client=api.mock_client(handler))
    return response, handler


def _failed(response: Any, code: str, error_type: ErrorType) -> None:
    assert response.is_successful is False
    assert isinstance(response.error, str) and response.error
    assert response.error_code == code, (response.error_code, response.error)
    assert response.error_type is error_type


def test_positional_fields_follow_4x() -> None:
    positional = [f.name for f in dataclasses.fields(TokenRevocationRequest) if not f.kw_only]
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
    assert [f.name for f in dataclasses.fields(TokenRevocationResponse) if not f.kw_only] == [
        "is_successful",
        "error",
    ]


def test_hint_constants() -> None:
    assert ACCESS_TOKEN_HINT == OidcConstants.TokenTypes.ACCESS_TOKEN.value == "access_token"
    assert REFRESH_TOKEN_HINT == OidcConstants.TokenTypes.REFRESH_TOKEN.value == "refresh_token"


def test_form_and_basic_auth(api: Any) -> None:
    response, handler = _call(
        api, httpx.Response(200), request=_request(token_type_hint=REFRESH_TOKEN_HINT)
    )
    assert response.is_successful, response.error
    assert response.error is None
    assert response.http_status == 200
    sent = handler.last
    assert sent.method == "POST" and str(sent.url) == REVOCATION_URL
    assert decode_basic(sent) == (CLIENT_ID, CLIENT_SECRET)
    assert handler.form() == {"token": ["the-token"], "token_type_hint": ["refresh_token"]}


def test_client_secret_post(api: Any) -> None:
    request = _request(client_auth_method="client_secret_post")
    _, handler = _call(api, httpx.Response(200), request=request)
    assert "authorization" not in handler.last.headers
    assert handler.form() == {
        "token": ["the-token"],
        "client_id": [CLIENT_ID],
        "client_secret": [CLIENT_SECRET],
    }


def test_public_client_sends_its_client_id(api: Any) -> None:
    request = TokenRevocationRequest(REVOCATION_URL, "rt", "native-app")
    _, handler = _call(api, httpx.Response(200), request=request)
    assert handler.form()["client_id"] == ["native-app"]
    assert "authorization" not in handler.last.headers


SUCCESS_ANSWERS = {
    "empty": lambda: httpx.Response(200),
    "text-plain": lambda: httpx.Response(200, text="", headers={"Content-Type": "text/plain"}),
    "html": lambda: httpx.Response(200, text="<p>ok</p>", headers={"Content-Type": "text/html"}),
    "invalid-json": lambda: httpx.Response(
        200, content=b"{not json", headers={"Content-Type": "application/json"}
    ),
    "json-object": lambda: httpx.Response(200, json={"revoked": True}),
    "error-member-in-200": lambda: httpx.Response(200, json={"error": "invalid_token"}),
    "204": lambda: httpx.Response(204),
}


@pytest.mark.parametrize("case", list(SUCCESS_ANSWERS))
def test_200_is_success_whatever_the_body(api: Any, case: str) -> None:
    response, handler = _call(api, SUCCESS_ANSWERS[case]())
    assert response.is_successful is True, response.error
    assert response.error is None and response.error_code is None
    assert handler.calls == 1


@pytest.mark.parametrize(
    ("status", "error"),
    [(400, "unsupported_token_type"), (401, "invalid_client"), (400, "invalid_request")],
)
def test_oauth_errors(api: Any, status: int, error: str) -> None:
    answer = httpx.Response(status, json={"error": error, "error_description": "no"})
    response, _ = _call(api, answer)
    _failed(response, error, ErrorType.PROTOCOL)
    assert response.error == error
    assert response.error_description == "no"
    assert response.http_status == status


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [("120", 120.0), ("0", 0.0), ("soon", None), ("9" * 30, 86400.0)],
)
def test_503_with_retry_after_is_a_failure_never_resent(
    api: Any, retry_after: str, expected: float | None
) -> None:
    busy = httpx.Response(503, headers={"Retry-After": retry_after}, text="busy")
    response, handler = _call(api, busy, httpx.Response(200))
    _failed(response, "http_error", ErrorType.HTTP)
    assert response.http_status == 503
    assert response.retry_after == expected
    assert handler.calls == 1
    if expected is not None:
        assert "retry after" in response.error


def test_503_with_an_http_date(api: Any) -> None:
    busy = httpx.Response(503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})
    response, _ = _call(api, busy)
    assert response.retry_after == 0.0  # a date in the past: retry now


def test_503_with_an_oauth_error_keeps_the_servers_error(api: Any) -> None:
    busy = httpx.Response(
        503, json={"error": "temporarily_unavailable"}, headers={"Retry-After": "5"}
    )
    response, _ = _call(api, busy)
    _failed(response, "temporarily_unavailable", ErrorType.PROTOCOL)
    assert response.error == "temporarily_unavailable"
    assert response.retry_after == 5.0


FAILURES = {
    "500": (lambda: httpx.Response(500, text="oops"), "http_error", ErrorType.HTTP),
    "404": (lambda: httpx.Response(404), "http_error", ErrorType.HTTP),
    "redirect": (
        lambda: httpx.Response(307, headers={"Location": "https://evil.example/revoke"}),
        "redirect_not_followed",
        ErrorType.HTTP,
    ),
}


@pytest.mark.parametrize("case", list(FAILURES))
def test_http_failures(api: Any, case: str) -> None:
    make, code, error_type = FAILURES[case]
    response, handler = _call(api, make(), httpx.Response(200))
    _failed(response, code, error_type)
    assert response.retry_after is None
    assert handler.calls == 1


@pytest.mark.parametrize(
    ("exc", "code"), [(httpx.ReadTimeout, "timeout"), (httpx.ConnectError, "network_error")]
)
def test_transport_failures_are_never_resent(api: Any, exc: type[Exception], code: str) -> None:
    def boom(request: httpx.Request) -> httpx.Response:
        raise exc("boom", request=request)  # type: ignore[call-arg]

    response, handler = _call(api, boom, httpx.Response(200))
    _failed(response, code, ErrorType.NETWORK)
    assert handler.calls == 1


@pytest.mark.parametrize(
    "address", ["http://idp.example/revoke", "http://127.0.0.1.evil.example/r", "not a url"]
)
def test_refused_addresses_never_reach_the_network(api: Any, address: str) -> None:
    request = TokenRevocationRequest(address, "secret-token", CLIENT_ID, client_secret="s")
    response, handler = _call(api, request=request)
    assert response.is_successful is False
    assert response.error_type is ErrorType.POLICY
    assert handler.calls == 0


def test_misuse_raises_before_any_io(api: Any) -> None:
    handler = Recorder()
    for request in (
        _request(parameters={"token": "x"}),
        TokenRevocationRequest(REVOCATION_URL, "", CLIENT_ID),
        _request(client_auth_method="no_such_method"),
    ):
        with pytest.raises(ConfigurationException):
            api.revoke_token(request, http_client=api.mock_client(handler))
    assert handler.calls == 0


def test_repr_hides_the_token_and_secret() -> None:
    request = TokenRevocationRequest(REVOCATION_URL, "TOKEN-VALUE", CLIENT_ID, client_secret="SEC")
    assert "TOKEN-VALUE" not in repr(request) and "SEC'" not in repr(request)
    assert "token=[redacted]" in repr(request)
