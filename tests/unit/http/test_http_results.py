"""results: the strict JSON reader, failure classification and redacted ProtocolResponse."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from py_identity_model.errors import ErrorType
from py_identity_model.http.messages import Headers, HttpResponse, TransportFailure
from py_identity_model.http.readers import JsonBody, loads_json_object, read_json_object
from py_identity_model.http.results import Failure, ProtocolResponse

URL = "https://idp.example/doc"
WHAT = "Discovery document"


def resp(
    status: int = 200,
    body: bytes = b"{}",
    content_type: str | None = "application/json",
    **extra: str,
) -> HttpResponse:
    headers: dict[str, str] = {}
    if content_type is not None:
        headers["Content-Type"] = content_type
    headers.update(extra)
    return HttpResponse(status, Headers(headers), body, URL)


# ------------------------------------------------------------------------- success


def test_json_object_is_read() -> None:
    body = b'{"issuer": "https://idp.example", "n": 1, "nested": {"a": [1, 2]}}'
    result = read_json_object(resp(body=body), what=WHAT)
    assert isinstance(result, JsonBody)
    assert result.data == {"issuer": "https://idp.example", "n": 1, "nested": {"a": [1, 2]}}
    assert result.raw == body.decode()
    assert result.response.status == 200


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "APPLICATION/JSON",
        "application/jwk-set+json",
        "application/problem+json",
        "application/vnd.example+json; v=1",
    ],
)
def test_json_media_types_are_accepted(content_type: str) -> None:
    result = read_json_object(resp(body=b'{"keys": []}', content_type=content_type), what=WHAT)
    assert isinstance(result, JsonBody)
    assert result.data == {"keys": []}


def test_explicit_content_types_and_statuses() -> None:
    response = resp(201, b'{"client_id": "x"}', content_type="application/jwt")
    result = read_json_object(
        response,
        what="Registration",
        content_types=("application/jwt",),
        success_statuses=frozenset({201}),
    )
    assert isinstance(result, JsonBody)
    assert result.data == {"client_id": "x"}


def test_utf8_content_is_decoded() -> None:
    body = '{"name": "Zoë ✓"}'.encode()
    result = read_json_object(resp(body=body), what=WHAT)
    assert isinstance(result, JsonBody)
    assert result.data["name"] == "Zoë ✓"


# ------------------------------------------------------------- invalid responses


@pytest.mark.parametrize(
    ("content_type", "shown"),
    [
        ("text/html", "'text/html'"),
        ("text/json", "'text/json'"),
        ("application/jsonp", "'application/jsonp'"),
        (None, "'none'"),
    ],
)
def test_wrong_content_type_is_invalid_response(content_type: str | None, shown: str) -> None:
    result = read_json_object(resp(body=b'{"a": 1}', content_type=content_type), what=WHAT)
    assert isinstance(result, Failure)
    assert result.error_type is ErrorType.INVALID_RESPONSE
    assert result.error == f"{WHAT}: expected a JSON response, got content type {shown}"
    assert result.http_status == 200
    assert result.raw == '{"a": 1}'
    assert result.headers is not None


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "Expecting property name"),
        (b"", "Expecting value"),
        (b'{"a": 1} trailing', "Extra data"),
        (b"[1, 2]", "expected a JSON object, got list"),
        (b'"a string"', "expected a JSON object, got str"),
        (b"42", "expected a JSON object, got int"),
        (b"null", "expected a JSON object, got NoneType"),
        (b'{"a": 1, "a": 2}', "duplicate member 'a'"),
        (b'{"outer": {"x": 1, "x": 1}}', "duplicate member 'x'"),
        (b'{"a": NaN}', "JSON constant NaN is not allowed"),
        (b'{"a": Infinity}', "JSON constant Infinity is not allowed"),
        (b'{"a": -Infinity}', "JSON constant -Infinity is not allowed"),
        (b'{"a": "\xff"}', "not valid UTF-8"),
        (b'{"a": "\xc3\x28"}', "not valid UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nesting is too deep"),
        (b'{"a": ' + b"9" * 5000 + b"}", "integer string conversion"),
    ],
)
def test_bad_json_bodies_are_invalid_response(body: bytes, reason: str) -> None:
    result = read_json_object(resp(body=body), what=WHAT)
    assert isinstance(result, Failure)
    assert result.error_type is ErrorType.INVALID_RESPONSE
    assert result.error.startswith(f"{WHAT}: invalid JSON (")
    assert reason in result.error
    assert result.http_status == 200
    assert result.raw == body.decode("utf-8", errors="replace")


def test_utf8_bom_is_rejected() -> None:
    # Bodies are decoded as strict UTF-8, so a (discouraged, RFC 8259 §8.1) BOM is an error.
    result = read_json_object(resp(body=b'\xef\xbb\xbf{"a": 1}'), what=WHAT)
    assert isinstance(result, Failure)
    assert result.error_type is ErrorType.INVALID_RESPONSE
    assert "BOM" in result.error


def test_loads_json_object_accepts_text_and_bytes() -> None:
    assert loads_json_object('{"a": [1, {"b": null}]}') == {"a": [1, {"b": None}]}
    assert loads_json_object(b'{"a": true}') == {"a": True}
    with pytest.raises(ValueError, match="duplicate member"):
        loads_json_object('{"a": 1, "b": {}, "a": 1}')


def test_duplicate_keys_inside_arrays_are_rejected() -> None:
    with pytest.raises(ValueError, match="duplicate member 'kid'"):
        loads_json_object('{"keys": [{"kid": "1", "kid": "2"}]}')


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_non_utf8_json_is_rejected(encoding: str) -> None:
    # Regression: json.loads(bytes) auto-detected UTF-16/32 (RFC 8259 §8.1 requires UTF-8).
    with pytest.raises(ValueError):
        loads_json_object('{"a": 1}'.encode(encoding))


@pytest.mark.parametrize("number", ["1e999", "-1e999", "123e456789"])
def test_overflowing_numbers_are_rejected(number: str) -> None:
    with pytest.raises(ValueError):
        loads_json_object(f'{{"expires_in": {number}}}')
    body = f'{{"expires_in": {number}}}'.encode()
    result = read_json_object(resp(body=body), what=WHAT)
    assert isinstance(result, Failure)
    assert result.error_type is ErrorType.INVALID_RESPONSE
    assert "number out of range" in result.error


def test_large_but_finite_numbers_are_kept() -> None:
    assert loads_json_object('{"a": 1e308, "b": 12345678901234567890123}') == {
        "a": 1e308,
        "b": 12345678901234567890123,
    }


# ------------------------------------------------------------------ error statuses


@pytest.mark.parametrize("status", [400, 401, 403, 409, 500])
def test_oauth_error_body_is_protocol_error(status: int) -> None:
    body = json.dumps(
        {"error": "invalid_grant", "error_description": "Code expired", "error_uri": "u"}
    ).encode()
    result = read_json_object(resp(status, body), what="Token request")
    assert isinstance(result, Failure)
    assert result.error_type is ErrorType.PROTOCOL
    assert result.error == "invalid_grant"
    assert result.error_description == "Code expired"
    assert result.http_status == status
    assert result.json == {
        "error": "invalid_grant",
        "error_description": "Code expired",
        "error_uri": "u",
    }
    assert result.raw == body.decode()


def test_oauth_error_without_description_or_with_odd_description() -> None:
    result = read_json_object(resp(400, b'{"error": "invalid_client"}'), what=WHAT)
    assert isinstance(result, Failure)
    assert result.error_type is ErrorType.PROTOCOL
    assert result.error_description is None
    result = read_json_object(
        resp(400, b'{"error": "invalid_client", "error_description": 5}'), what=WHAT
    )
    assert isinstance(result, Failure)
    assert result.error == "invalid_client"
    assert result.error_description is None


def test_oauth_error_body_recognised_whatever_the_content_type() -> None:
    result = read_json_object(
        resp(401, b'{"error": "invalid_token"}', content_type="text/plain"), what=WHAT
    )
    assert isinstance(result, Failure)
    assert result.error_type is ErrorType.PROTOCOL
    assert result.error == "invalid_token"


@pytest.mark.parametrize(
    "body",
    [b'{"error": ""}', b'{"error": 42}', b'{"error": null}', b'{"message": "nope"}'],
)
def test_json_error_without_valid_error_code_is_http_error(body: bytes) -> None:
    result = read_json_object(resp(400, body), what=WHAT)
    assert isinstance(result, Failure)
    assert result.error_type is ErrorType.HTTP
    assert result.error == f"{WHAT}: HTTP 400"
    assert result.json == json.loads(body)
    assert result.http_status == 400


@pytest.mark.parametrize("status", [404, 500, 502, 201, 204, 299])
def test_html_error_page_is_http_error(status: int) -> None:
    html = b"<html><body>Not here</body></html>"
    result = read_json_object(resp(status, html, content_type="text/html"), what=WHAT)
    assert isinstance(result, Failure)
    assert result.error_type is ErrorType.HTTP
    assert result.error == f"{WHAT}: HTTP {status}"
    assert result.http_status == status
    assert result.raw == html.decode()
    assert result.error_description == html.decode()
    assert result.json is None


def test_http_error_description_is_truncated_but_raw_is_whole() -> None:
    page = b"x" * 1000
    result = read_json_object(resp(500, page, content_type="text/plain"), what=WHAT)
    assert isinstance(result, Failure)
    assert result.error_description == "x" * 200
    assert result.raw == "x" * 1000


def test_empty_error_body_has_no_description() -> None:
    result = read_json_object(resp(503, b"", content_type=None), what=WHAT)
    assert isinstance(result, Failure)
    assert result.error_type is ErrorType.HTTP
    assert result.error_description is None
    assert result.raw == ""


def test_invalid_utf8_error_body_is_replaced_not_raised() -> None:
    result = read_json_object(resp(500, b"\xff\xfe oops", content_type="text/plain"), what=WHAT)
    assert isinstance(result, Failure)
    assert result.raw == "\ufffd\ufffd oops"


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirect_is_http_error_naming_the_target(status: int) -> None:
    response = HttpResponse(status, Headers({"Location": "https://elsewhere.example/x"}), b"", URL)
    result = read_json_object(response, what=WHAT)
    assert isinstance(result, Failure)
    assert result.error_type is ErrorType.HTTP
    assert (
        result.error == f"{WHAT}: redirect ({status}) to 'https://elsewhere.example/x' not followed"
    )
    assert result.http_status == status


def test_redirect_without_location() -> None:
    result = read_json_object(HttpResponse(302, Headers(), b"", URL), what=WHAT)
    assert isinstance(result, Failure)
    assert result.error == f"{WHAT}: redirect (302) to '' not followed"


def test_redirect_with_oauth_error_body_is_still_a_redirect() -> None:
    response = resp(302, b'{"error": "invalid_request"}', Location="https://x.example/")
    result = read_json_object(response, what=WHAT)
    assert isinstance(result, Failure)
    assert result.error_type is ErrorType.HTTP
    assert "redirect" in result.error


@pytest.mark.parametrize(
    ("kind", "error_type"),
    [
        ("timeout", ErrorType.NETWORK),
        ("network_error", ErrorType.NETWORK),
        ("tls_error", ErrorType.NETWORK),
        ("response_too_large", ErrorType.POLICY),
        ("unsupported_content_encoding", ErrorType.POLICY),
        ("invalid_url", ErrorType.POLICY),
    ],
)
def test_transport_failures_map_to_error_types(kind: str, error_type: ErrorType) -> None:
    result = read_json_object(TransportFailure(kind, "what happened", URL), what=WHAT)
    assert isinstance(result, Failure)
    assert result.error_type is error_type
    assert result.code == kind
    assert result.error == "what happened"
    assert result.http_status is None
    assert result.raw is None


# --------------------------------------------------------------- ProtocolResponse


@dataclass(repr=False)
class TokenResponse(ProtocolResponse):
    access_token: str | None = None
    refresh_token: str | None = None
    id_token: str | None = None
    token_type: str | None = None
    expires_in: int | None = None


def test_from_failure_copies_every_detail() -> None:
    headers = Headers({"WWW-Authenticate": 'Bearer error="invalid_token"'})
    failure = Failure(
        "invalid_grant",
        "invalid_grant",
        error_description="expired",
        http_status=400,
        raw='{"error":"invalid_grant"}',
        json={"error": "invalid_grant"},
        headers=headers,
    )
    response = TokenResponse.from_failure(failure, token_type="Bearer")
    assert isinstance(response, TokenResponse)
    assert response.is_successful is False
    assert response.error == "invalid_grant"
    assert response.error_description == "expired"
    assert response.error_type is ErrorType.PROTOCOL
    assert response.error_code == "invalid_grant"
    assert response.http_status == 400
    assert response.raw == '{"error":"invalid_grant"}'
    assert response.json == {"error": "invalid_grant"}
    assert response.headers is headers
    assert response.token_type == "Bearer"
    assert response.access_token is None


def test_protocol_response_positional_fields() -> None:
    response = ProtocolResponse(True)
    assert response.is_successful is True
    assert response.error is None
    failed = ProtocolResponse(False, "boom")
    assert failed.error == "boom"
    with pytest.raises(TypeError):
        ProtocolResponse(False, "boom", "description")  # type: ignore[misc]


def test_repr_hides_raw_json_and_tokens() -> None:
    response = TokenResponse(
        True,
        raw='{"access_token":"AT-SECRET"}',
        json={"access_token": "AT-SECRET"},
        headers=Headers({"Set-Cookie": "session=COOKIE-SECRET", "Cache-Control": "no-store"}),
        access_token="AT-SECRET",
        refresh_token="RT-SECRET",
        id_token="ID-SECRET",
        token_type="Bearer",
        expires_in=3600,
    )
    text = repr(response)
    for secret in ("AT-SECRET", "RT-SECRET", "ID-SECRET", "COOKIE-SECRET"):
        assert secret not in text
    assert text.startswith("TokenResponse(is_successful=True, ")
    assert "raw=[redacted]" in text
    assert "json=[redacted]" in text
    assert "access_token=[redacted]" in text
    assert "token_type='Bearer'" in text
    assert "expires_in=3600" in text
    assert "no-store" in text
    assert "error=" not in text  # None fields are omitted
    assert str(response) == text


def test_repr_skips_fields_marked_repr_false() -> None:
    @dataclass(repr=False)
    class WithHidden(ProtocolResponse):
        internal: str | None = field(default=None, repr=False)
        shown: str | None = None

    text = repr(WithHidden(True, internal="INTERNAL-STATE", shown="visible"))
    assert "INTERNAL-STATE" not in text
    assert "internal" not in text
    assert text == "WithHidden(is_successful=True, shown='visible')"


def test_repr_of_failure_shows_error_details() -> None:
    failure = Failure(
        "invalid_grant", "invalid_grant", error_description="expired", raw="SECRET-RAW"
    )
    text = repr(ProtocolResponse.from_failure(failure))
    assert text == (
        "ProtocolResponse(is_successful=False, error='invalid_grant', error_description='expired', "
        "error_type=<ErrorType.PROTOCOL: 'protocol'>, error_code='invalid_grant', raw=[redacted])"
    )


def test_error_types_are_stable_strings() -> None:
    assert {e.value for e in ErrorType} == {
        "protocol",
        "http",
        "network",
        "invalid_response",
        "policy",
    }
    assert ErrorType.PROTOCOL == "protocol"


def test_read_json_object_never_raises_on_arbitrary_bytes() -> None:
    samples: list[Any] = [
        b"\x00" * 10,
        b"{" * 5000,
        b'{"a":' * 3000,
        bytes(range(256)),
        b'{"a": "\\ud800"}',
    ]
    for body in samples:
        result = read_json_object(resp(body=body), what=WHAT)
        assert isinstance(result, (JsonBody, Failure))
