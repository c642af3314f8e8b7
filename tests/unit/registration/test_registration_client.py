"""Client registration (RFC 7591) and management (RFC 7592): the 4.x field orders, what
goes on the wire, every failure shape of the answers, the endpoint policy, and reprs that
hide tokens and secrets. I/O tests run through both shells (``api``)."""

from __future__ import annotations

import inspect
import json
from typing import Any

import httpx
import pytest

from py_identity_model import (
    ClientDeleteRequest,
    ClientDeleteResponse,
    ClientReadRequest,
    ClientRegistrationRequest,
    ClientRegistrationResponse,
    ClientUpdateRequest,
    ConfigurationException,
    ErrorType,
)

REG_URL = "https://idp.example/reg"
CLIENT_URL = "https://idp.example/reg/abc"


class Recorder:
    """Records requests and answers with one response (or a callable)."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        request.read()
        if callable(self.answer) and not isinstance(self.answer, httpx.Response):
            return self.answer(request)  # type: ignore[no-any-return]
        # A fresh copy each time: parametrized responses are shared by the sync and async runs.
        answer: httpx.Response = self.answer
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def body(self) -> Any:
        return json.loads(self.last.content)


def info(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client_id": "abc",
        "client_secret": "S3CRET",
        "client_id_issued_at": 1_700_000_000,
        "client_secret_expires_at": 0,
        "registration_access_token": "RAT-1",
        "registration_client_uri": CLIENT_URL,
        "redirect_uris": ["https://app.example/cb"],
    }
    body.update(extra)
    return {k: v for k, v in body.items() if v is not None}


def _call(api: Any, name: str, request: Any, answer: Any) -> tuple[Any, Recorder]:
    recorder = Recorder(answer)
    return getattr(api, name)(request, http_client=api.mock_client(recorder)), recorder


def _register(api: Any, answer: Any, **fields: Any) -> tuple[Any, Recorder]:
    return _call(api, "register_client", ClientRegistrationRequest(REG_URL, **fields), answer)


# --- shapes -----------------------------------------------------------------------------

META = [
    "redirect_uris", "response_types", "grant_types", "application_type", "contacts",
    "client_name", "logo_uri", "client_uri", "policy_uri", "tos_uri",
    "token_endpoint_auth_method", "scope", "jwks_uri",
]  # fmt: skip


def test_positional_fields_follow_4x() -> None:
    params = list(inspect.signature(ClientRegistrationRequest).parameters)
    assert params[:16] == ["address", *META, "extra_metadata", "initial_access_token"]
    assert {"software_statement", "jwks", "headers", "policy"} <= set(params[16:])
    for name in ("software_statement", "jwks", "headers", "policy"):
        kind = inspect.signature(ClientRegistrationRequest).parameters[name].kind
        assert kind is inspect.Parameter.KEYWORD_ONLY
    update = list(inspect.signature(ClientUpdateRequest).parameters)
    assert update[:18] == [
        "address", "registration_access_token", "client_id", *META, "client_secret",
        "extra_metadata",
    ]  # fmt: skip
    for cls in (ClientReadRequest, ClientDeleteRequest):
        assert list(inspect.signature(cls).parameters)[:2] == [
            "address",
            "registration_access_token",
        ]
    assert list(inspect.signature(ClientRegistrationResponse).parameters)[:9] == [
        "is_successful", "error", "client_id", "client_secret", "client_id_issued_at",
        "client_secret_expires_at", "registration_access_token", "registration_client_uri",
        "metadata",
    ]  # fmt: skip
    assert list(inspect.signature(ClientDeleteResponse).parameters)[:2] == [
        "is_successful",
        "error",
    ]
    positional = ClientRegistrationRequest(REG_URL, ["https://a/cb"], ["code"])
    assert positional.response_types == ["code"]


def test_reprs_hide_tokens_secrets_and_metadata() -> None:
    request = ClientRegistrationRequest(
        REG_URL,
        extra_metadata={"client_secret": "X-SECRET"},
        initial_access_token="IAT-VALUE",
        software_statement="SS.JWT.VALUE",
        jwks={"keys": [{"k": "KEYDATA"}]},
    )
    update = ClientUpdateRequest(CLIENT_URL, "RAT-VALUE", "abc", client_secret="CS-VALUE")
    response = ClientRegistrationResponse(
        True,
        client_id="abc",
        client_secret="CS-VALUE",
        registration_access_token="RAT-VALUE",
        metadata={"client_secret": "CS-VALUE"},
        raw='{"client_secret":"CS-VALUE"}',
    )
    shown = " ".join(
        repr(x) for x in (request, update, response, ClientReadRequest(CLIENT_URL, "RAT-VALUE"))
    )
    for secret in ("X-SECRET", "IAT-VALUE", "SS.JWT", "KEYDATA", "RAT-VALUE", "CS-VALUE"):
        assert secret not in shown
    assert "abc" in shown and REG_URL in shown


# --- registration -------------------------------------------------------------------------


def test_register_posts_json_with_the_initial_access_token(api: Any) -> None:
    response, recorder = _register(
        api,
        httpx.Response(201, json=info(client_name="app")),
        redirect_uris=["https://app.example/cb"],
        grant_types=["authorization_code"],
        client_name="app",
        scope="openid",
        extra_metadata={"id_token_signed_response_alg": "ES256"},
        initial_access_token="IAT",
        software_statement="a.b.c",
        jwks={"keys": []},
        headers={"X-Trace": "1", "authorization": "Basic nope"},
    )
    assert response.is_successful, response.error
    request = recorder.last
    assert request.method == "POST" and str(request.url) == REG_URL
    assert request.headers["content-type"] == "application/json"
    assert request.headers["authorization"] == "Bearer IAT"
    assert request.headers["x-trace"] == "1"
    assert recorder.body() == {
        "jwks": {"keys": []},
        "software_statement": "a.b.c",
        "redirect_uris": ["https://app.example/cb"],
        "grant_types": ["authorization_code"],
        "client_name": "app",
        "scope": "openid",
        "id_token_signed_response_alg": "ES256",
    }
    assert response.client_id == "abc" and response.client_secret == "S3CRET"
    assert response.client_id_issued_at == 1_700_000_000
    assert response.client_secret_expires_at == 0
    assert response.registration_access_token == "RAT-1"
    assert response.registration_client_uri == CLIENT_URL
    assert response.metadata is not None and response.metadata["client_name"] == "app"
    assert response.http_status == 201


def test_register_without_an_initial_token_sends_no_authorization(api: Any) -> None:
    response, recorder = _register(api, httpx.Response(200, json=info()))
    assert response.is_successful
    assert "authorization" not in recorder.last.headers
    assert recorder.body() == {}


def test_a_public_client_needs_no_secret_expiry(api: Any) -> None:
    body = info(client_secret=None, client_secret_expires_at=None)
    response, _ = _register(api, httpx.Response(201, json=body))
    assert response.is_successful and response.client_secret is None


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (info(client_id=None), "missing_fields"),
        (info(client_secret_expires_at=None), "missing_fields"),
        (info(client_id=7), "invalid_response"),
        (info(client_id=""), "invalid_response"),
        (info(client_secret=["x"]), "invalid_response"),
        (info(registration_access_token=1), "invalid_response"),
        (info(registration_client_uri=5), "invalid_response"),
        (info(client_id_issued_at=-1), "invalid_number"),
        (info(client_id_issued_at=True), "invalid_number"),
        (info(client_id_issued_at=1.5), "invalid_number"),
        (info(client_id_issued_at="1700000000"), "invalid_number"),
        (info(client_secret_expires_at=10**20), "invalid_number"),
        (
            info(registration_client_uri="http://idp.example/reg/abc"),
            "invalid_registration_client_uri",
        ),
        (info(registration_client_uri="not a url"), "invalid_registration_client_uri"),
    ],
)
def test_a_bad_client_information_answer_fails(api: Any, body: Any, code: str) -> None:
    response, _ = _register(api, httpx.Response(201, json=body))
    assert not response.is_successful and response.error
    assert response.error_code == code
    assert response.client_id is None and response.registration_access_token is None


def test_a_whole_float_timestamp_is_accepted(api: Any) -> None:
    response, _ = _register(api, httpx.Response(201, json=info(client_id_issued_at=1.7e9)))
    assert response.is_successful and response.client_id_issued_at == 1_700_000_000


@pytest.mark.parametrize(
    "error", ["invalid_redirect_uri", "invalid_client_metadata", "invalid_software_statement"]
)
def test_rfc7591_errors_are_the_error_code(api: Any, error: str) -> None:
    answer = httpx.Response(400, json={"error": error, "error_description": "no"})
    response, _ = _register(api, answer)
    assert not response.is_successful
    assert response.error_code == error and response.error_type is ErrorType.PROTOCOL
    assert response.error_description == "no" and response.http_status == 400


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        (
            httpx.Response(201, text="<html/>", headers={"content-type": "text/html"}),
            "wrong_content_type",
        ),
        (
            httpx.Response(201, text="{bad", headers={"content-type": "application/json"}),
            "invalid_json",
        ),
        (httpx.Response(201, json=[1, 2]), "invalid_json"),
        (httpx.Response(500, text="boom"), "http_error"),
        (httpx.Response(302, headers={"location": "https://elsewhere/"}), "redirect_not_followed"),
    ],
)
def test_unusable_answers_fail(api: Any, answer: httpx.Response, code: str) -> None:
    response, _ = _register(api, answer)
    assert not response.is_successful and response.error
    assert response.error_code == code


def test_a_network_error_is_a_failed_result(api: Any) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    response, _ = _register(api, fail)
    assert not response.is_successful and response.error_code == "network_error"


def test_no_initial_token_goes_to_remote_http(api: Any) -> None:
    recorder = Recorder(httpx.Response(201, json=info()))
    request = ClientRegistrationRequest("http://idp.example/reg", initial_access_token="IAT")
    response = api.register_client(request, http_client=api.mock_client(recorder))
    assert not response.is_successful and response.error_code == "https_required"
    assert recorder.requests == []


@pytest.mark.parametrize(
    "fields",
    [
        {"extra_metadata": {"client_name": "dup"}, "client_name": "x"},
        {"extra_metadata": {"initial_access_token": "x"}},
        {"extra_metadata": "nope"},
        {"redirect_uris": "https://app.example/cb"},
        {"redirect_uris": [1]},
        {"client_name": 5},
        {"jwks": {"keys": []}, "jwks_uri": "https://app.example/jwks"},
        {"software_statement": ""},
        {"initial_access_token": ""},
        {"policy": "strict"},
    ],
)
def test_misuse_is_refused_before_any_request(api: Any, fields: dict[str, Any]) -> None:
    recorder = Recorder(httpx.Response(201, json=info()))
    with pytest.raises(ConfigurationException):
        api.register_client(
            ClientRegistrationRequest(REG_URL, **fields), http_client=api.mock_client(recorder)
        )
    assert recorder.requests == []


# --- management ---------------------------------------------------------------------------


def test_read_gets_with_the_registration_token(api: Any) -> None:
    response, recorder = _call(
        api,
        "read_client",
        ClientReadRequest(CLIENT_URL, "RAT-1"),
        httpx.Response(200, json=info(client_secret=None, registration_access_token=None)),
    )
    assert response.is_successful, response.error
    assert recorder.last.method == "GET" and str(recorder.last.url) == CLIENT_URL
    assert recorder.last.headers["authorization"] == "Bearer RAT-1"
    assert response.registration_access_token is None  # not rotated


def test_a_read_201_is_not_success(api: Any) -> None:
    response, _ = _call(
        api, "read_client", ClientReadRequest(CLIENT_URL, "RAT"), httpx.Response(201, json=info())
    )
    assert not response.is_successful and response.error_code == "http_error"


@pytest.mark.parametrize("status", [401, 403])
def test_a_bearer_challenge_names_the_error(api: Any, status: int) -> None:
    answer = httpx.Response(
        status,
        headers={"www-authenticate": 'Bearer error="invalid_token", error_description="gone"'},
    )
    response, _ = _call(api, "read_client", ClientReadRequest(CLIENT_URL, "RAT"), answer)
    assert not response.is_successful and response.http_status == status
    assert response.error_code == "invalid_token" and response.error_description == "gone"
    assert response.error_type is ErrorType.PROTOCOL


def test_a_bare_401_is_an_http_error(api: Any) -> None:
    response, _ = _call(
        api, "read_client", ClientReadRequest(CLIENT_URL, "RAT"), httpx.Response(401)
    )
    assert not response.is_successful and response.error_code == "http_error"


def test_update_puts_the_full_metadata_and_exposes_the_new_token(api: Any) -> None:
    request = ClientUpdateRequest(
        CLIENT_URL,
        "RAT-1",
        "abc",
        ["https://app.example/cb"],
        client_name="renamed",
        client_secret="S3CRET",
        extra_metadata={"post_logout_redirect_uris": ["https://app.example/out"]},
    )
    answer = httpx.Response(
        200, json=info(client_name="renamed", registration_access_token="RAT-2")
    )
    response, recorder = _call(api, "update_client", request, answer)
    assert response.is_successful, response.error
    assert recorder.last.method == "PUT" and str(recorder.last.url) == CLIENT_URL
    assert recorder.last.headers["authorization"] == "Bearer RAT-1"
    assert recorder.body() == {
        "client_id": "abc",
        "client_secret": "S3CRET",
        "redirect_uris": ["https://app.example/cb"],
        "client_name": "renamed",
        "post_logout_redirect_uris": ["https://app.example/out"],
    }
    assert response.registration_access_token == "RAT-2"


def test_an_update_answer_for_another_client_fails(api: Any) -> None:
    request = ClientUpdateRequest(CLIENT_URL, "RAT-1", "abc")
    response, _ = _call(
        api, "update_client", request, httpx.Response(200, json=info(client_id="other"))
    )
    assert not response.is_successful and response.error_code == "invalid_response"


@pytest.mark.parametrize(
    "request_",
    [
        ClientUpdateRequest(CLIENT_URL, "RAT", ""),
        ClientUpdateRequest(CLIENT_URL, "", "abc"),
        ClientUpdateRequest(CLIENT_URL, "RAT", "abc", extra_metadata={"client_id": "x"}),
        ClientReadRequest(CLIENT_URL, ""),
        ClientDeleteRequest(CLIENT_URL, None),  # type: ignore[arg-type]
    ],
)
def test_management_misuse_is_refused_before_any_request(api: Any, request_: Any) -> None:
    name = {
        ClientUpdateRequest: "update_client",
        ClientReadRequest: "read_client",
        ClientDeleteRequest: "delete_client",
    }[type(request_)]
    recorder = Recorder(httpx.Response(200, json=info()))
    with pytest.raises(ConfigurationException):
        getattr(api, name)(request_, http_client=api.mock_client(recorder))
    assert recorder.requests == []


@pytest.mark.parametrize("name", ["read_client", "update_client", "delete_client"])
def test_no_registration_token_goes_to_remote_http(api: Any, name: str) -> None:
    url = "http://idp.example/reg/abc"
    request = {
        "read_client": ClientReadRequest(url, "RAT"),
        "update_client": ClientUpdateRequest(url, "RAT", "abc"),
        "delete_client": ClientDeleteRequest(url, "RAT"),
    }[name]
    recorder = Recorder(httpx.Response(204))
    response = getattr(api, name)(request, http_client=api.mock_client(recorder))
    assert not response.is_successful and response.error_code == "https_required"
    assert recorder.requests == []


def test_loopback_http_is_allowed(api: Any) -> None:
    response, recorder = _call(
        api,
        "delete_client",
        ClientDeleteRequest("http://127.0.0.1:3000/reg/abc", "RAT"),
        httpx.Response(204),
    )
    assert response.is_successful and recorder.last.method == "DELETE"


@pytest.mark.parametrize(
    ("answer", "ok", "code"),
    [
        (httpx.Response(204), True, None),
        (httpx.Response(200), True, None),
        (httpx.Response(401, json={"error": "invalid_token"}), False, "invalid_token"),
        (httpx.Response(403), False, "http_error"),
        (httpx.Response(404, text="no"), False, "http_error"),
        (httpx.Response(307, headers={"location": "https://x/"}), False, "redirect_not_followed"),
    ],
)
def test_delete_answers(api: Any, answer: httpx.Response, ok: bool, code: str | None) -> None:
    response, recorder = _call(api, "delete_client", ClientDeleteRequest(CLIENT_URL, "RAT"), answer)
    assert isinstance(response, ClientDeleteResponse)
    assert response.is_successful is ok and response.error_code == code
    assert recorder.last.headers["authorization"] == "Bearer RAT"
    if not ok:
        assert response.error


def test_delete_network_error(api: Any) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    response, _ = _call(api, "delete_client", ClientDeleteRequest(CLIENT_URL, "RAT"), fail)
    assert not response.is_successful and response.error_code == "timeout"
