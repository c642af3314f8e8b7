"""The sans-I/O message types: Headers, HttpRequest, HttpResponse, TransportFailure, Sleep."""

from __future__ import annotations

import dataclasses

import pytest

from py_identity_model import _version
from py_identity_model.errors import TRANSPORT_ERROR_CODES, ErrorType, error_type_of
from py_identity_model.exceptions import ConfigurationException
from py_identity_model.http import messages
from py_identity_model.http.messages import (
    USER_AGENT,
    ClientCertificate,
    Headers,
    HttpRequest,
    HttpResponse,
    Sleep,
    TransportFailure,
    TransportOptions,
)

# ------------------------------------------------------------------------ Headers


def test_headers_lookup_is_case_insensitive() -> None:
    headers = Headers([("Content-Type", "application/json"), ("X-Thing", "1")])
    assert headers["content-type"] == "application/json"
    assert headers["CONTENT-TYPE"] == "application/json"
    assert headers.get("x-THING") == "1"
    assert "Content-type" in headers
    assert "missing" not in headers
    assert headers.get("missing") is None
    with pytest.raises(KeyError):
        headers["missing"]


def test_headers_non_string_membership_is_false() -> None:
    headers = Headers({"A": "1"})
    assert 1 not in headers
    assert None not in headers


def test_repeated_headers_are_joined_in_order_and_raw_items_keep_them() -> None:
    pairs = [("Set-Cookie", "a=1"), ("Vary", "Accept"), ("set-cookie", "b=2"), ("VARY", "Origin")]
    headers = Headers(pairs)
    assert headers["set-cookie"] == "a=1, b=2"
    assert headers["vary"] == "Accept, Origin"
    assert len(headers) == 2
    assert list(headers) == ["set-cookie", "vary"]
    assert headers.raw_items() == tuple(pairs)


def test_headers_from_mapping_and_empty() -> None:
    headers = Headers({"Accept": "application/json"})
    assert dict(headers) == {"accept": "application/json"}
    assert headers.raw_items() == (("Accept", "application/json"),)
    empty = Headers()
    assert len(empty) == 0
    assert empty.raw_items() == ()
    assert dict(empty) == {}


def test_headers_equality_is_mapping_equality_ignoring_case() -> None:
    assert Headers({"Accept": "x"}) == Headers({"accept": "x"})
    assert Headers({"Accept": "x"}) == {"accept": "x"}
    assert Headers({"Accept": "x"}) != Headers({"Accept": "y"})


@pytest.mark.parametrize(
    "name",
    ["Authorization", "DPoP", "Cookie", "Set-Cookie", "Proxy-Authorization", "authorization"],
)
def test_headers_repr_redacts_credentials(name: str) -> None:
    secret = "Bearer eyJhbGciOiJSUzI1NiJ9.secret-value"
    headers = Headers([(name, secret), ("Accept", "application/json")])
    text = repr(headers)
    assert secret not in text
    assert "secret-value" not in text
    assert "[redacted]" in text
    assert "application/json" in text  # ordinary headers stay visible
    assert headers[name] == secret  # redaction is display-only


def test_headers_repr_redacts_repeated_credentials() -> None:
    headers = Headers([("Cookie", "a=secret1"), ("cookie", "b=secret2")])
    text = repr(headers)
    assert "secret1" not in text
    assert "secret2" not in text


# ---------------------------------------------------------------------- HttpRequest


def test_user_agent_names_library_and_version() -> None:
    assert USER_AGENT == f"py-identity-model/{_version.__version__}"
    assert messages.USER_AGENT.startswith("py-identity-model/")


def test_get_request_defaults() -> None:
    request = HttpRequest.get("https://idp.example/.well-known/openid-configuration")
    assert request.method == "GET"
    assert request.url == "https://idp.example/.well-known/openid-configuration"
    assert request.body is None
    assert request.idempotent is True
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"] == USER_AGENT
    assert "content-type" not in request.headers


def test_get_request_custom_accept_and_extra_headers() -> None:
    request = HttpRequest.get(
        "https://idp.example/jwks",
        accept="application/jwk-set+json",
        headers={"Authorization": "Bearer t"},
    )
    assert request.headers["Accept"] == "application/jwk-set+json"
    assert request.headers["Authorization"] == "Bearer t"
    assert request.headers["User-Agent"] == USER_AGENT


def test_post_form_defaults() -> None:
    request = HttpRequest.post_form("https://idp.example/token", b"grant_type=client_credentials")
    assert request.method == "POST"
    assert request.body == b"grant_type=client_credentials"
    assert request.idempotent is False
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"] == USER_AGENT


def test_post_form_same_case_header_overrides_default() -> None:
    request = HttpRequest.post_form(
        "https://idp.example/token", b"x=1", headers={"User-Agent": "my-app/1.0", "DPoP": "proof"}
    )
    assert request.headers["user-agent"] == "my-app/1.0"
    assert [v for k, v in request.headers.raw_items() if k.lower() == "user-agent"] == [
        "my-app/1.0"
    ]
    assert request.headers["dpop"] == "proof"


@pytest.mark.parametrize(
    ("factory", "name"),
    [
        ("get", "user-agent"),
        ("get", "accept"),
        ("post_form", "content-type"),
        ("post_form", "user-agent"),
    ],
)
def test_caller_header_overrides_default_regardless_of_case(factory: str, name: str) -> None:
    # Regression: a case-sensitive dict merge sent both the default and the caller header.
    if factory == "get":
        request = HttpRequest.get("https://idp.example/x", headers={name: "custom"})
    else:
        request = HttpRequest.post_form("https://idp.example/x", b"a=1", headers={name: "custom"})
    assert request.headers[name] == "custom"
    assert [v for k, v in request.headers.raw_items() if k.lower() == name] == ["custom"]


def test_request_repr_never_shows_body_or_credentials() -> None:
    body = b"client_secret=s3cr3t&code=authcode123&refresh_token=rt"
    request = HttpRequest.post_form(
        "https://idp.example/token", body, headers={"Authorization": "Basic Y2xpZW50OnNlY3JldA=="}
    )
    text = repr(request)
    assert text == f"HttpRequest(POST https://idp.example/token, body={len(body)} bytes)"
    for secret in ("s3cr3t", "authcode123", "refresh_token", "Y2xpZW50OnNlY3JldA"):
        assert secret not in text
    assert str(request) == text


def test_request_repr_without_body() -> None:
    assert (
        repr(HttpRequest.get("https://idp.example/"))
        == "HttpRequest(GET https://idp.example/, body=0 bytes)"
    )


def test_request_is_frozen() -> None:
    request = HttpRequest.get("https://idp.example/")
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.url = "https://evil.example/"  # type: ignore[misc]


def test_plain_request_is_not_idempotent_by_default() -> None:
    request = HttpRequest("DELETE", "https://idp.example/x")
    assert request.idempotent is False
    assert len(request.headers) == 0
    assert request.body is None


# --------------------------------------------------------------------- HttpResponse


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("application/json", "application/json"),
        ("Application/JSON; charset=UTF-8", "application/json"),
        ("  text/html ;q=1", "text/html"),
        (None, ""),
    ],
)
def test_response_content_type(header: str | None, expected: str) -> None:
    headers = Headers({"Content-Type": header} if header is not None else {})
    response = HttpResponse(200, headers, b"{}", "https://idp.example/")
    assert response.content_type == expected


def test_response_repr_hides_body() -> None:
    response = HttpResponse(
        200, Headers(), b'{"access_token":"secret"}', "https://idp.example/token"
    )
    text = repr(response)
    assert "secret" not in text
    assert text == "HttpResponse(200, https://idp.example/token, body=25 bytes)"


# ------------------------------------------------------------ failures and sleeps


def test_transport_failure_codes_are_registered_library_codes() -> None:
    assert set(TRANSPORT_ERROR_CODES) == {
        "timeout",
        "network_error",
        "tls_error",
        "response_too_large",
        "unsupported_content_encoding",
        "invalid_url",
    }
    assert {error_type_of(code) for code in TRANSPORT_ERROR_CODES} == {
        ErrorType.NETWORK,
        ErrorType.POLICY,
    }


def test_transport_failure_and_sleep_are_values() -> None:
    failure = TransportFailure("network_error", "boom", "https://idp.example/")
    assert failure == TransportFailure("network_error", "boom", "https://idp.example/")
    assert Sleep(1.5) == Sleep(1.5)
    assert Sleep(1.5).seconds == 1.5
    with pytest.raises(dataclasses.FrozenInstanceError):
        failure.code = "timeout"  # type: ignore[misc]


# -------------------------------------------------------------- bodies and methods


def test_json_bodies_are_compact_utf8_and_typed() -> None:
    post = HttpRequest.post_json("https://idp.example/register", {"client_name": "é", "n": 1})
    assert post.method == "POST"
    assert post.body == '{"client_name":"é","n":1}'.encode()
    assert post.headers["content-type"] == "application/json"
    assert post.headers["accept"] == "application/json"
    assert not post.idempotent
    put = HttpRequest.put_json("https://idp.example/register/c1", {"client_id": "c1"})
    assert (put.method, put.idempotent) == ("PUT", True)
    delete = HttpRequest.delete(
        "https://idp.example/register/c1", headers={"Authorization": "Bearer x"}
    )
    assert (delete.method, delete.body, delete.idempotent) == ("DELETE", None, True)
    assert delete.headers["authorization"] == "Bearer x"


@pytest.mark.parametrize("document", [{"x": float("nan")}, {"x": object()}, {"x": {1, 2}}])
def test_unserialisable_json_document_is_misuse(document: dict[str, object]) -> None:
    with pytest.raises(ConfigurationException, match="JSON"):
        HttpRequest.post_json("https://idp.example/register", document)


def test_accept_and_extra_headers_replace_defaults_whatever_their_case() -> None:
    request = HttpRequest.get(
        "https://idp.example/introspect",
        accept="application/token-introspection+jwt",
        headers={"dpop": "proof", "ACCEPT": "application/jwt"},
    )
    assert request.headers["accept"] == "application/jwt"
    assert [name for name, _ in request.headers.raw_items()].count("ACCEPT") == 1
    assert request.headers["dpop"] == "proof"
    again = request.with_headers({"DPoP": "fresh"})
    assert again.headers["dpop"] == "fresh"
    assert len([n for n, _ in again.headers.raw_items() if n.lower() == "dpop"]) == 1


def test_transport_options_carry_a_client_certificate() -> None:
    certificate = ClientCertificate("/etc/certs/client.pem", "/etc/certs/client.key", "pw")
    request = HttpRequest.post_form(
        "https://mtls.idp.example/token", b"a=b", options=TransportOptions(certificate)
    )
    assert request.options.client_certificate == certificate
    assert HttpRequest.get("https://idp.example/").options.client_certificate is None
    assert "pw" not in repr(certificate) and "client.key" not in repr(certificate)


@pytest.mark.parametrize(("certificate", "key"), [("", "k.pem"), ("c.pem", None), (3, "k.pem")])
def test_client_certificate_paths_are_checked(certificate: object, key: object) -> None:
    with pytest.raises(ConfigurationException):
        ClientCertificate(certificate, key)  # type: ignore[arg-type]
