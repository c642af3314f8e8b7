"""Readers: every failure path has its error_code, and bodies dispatch by content type."""

from __future__ import annotations

import pytest

from py_identity_model.errors import LIBRARY_ERROR_CODES, ErrorType
from py_identity_model.http.messages import Headers, HttpResponse, TransportFailure
from py_identity_model.http.readers import JSON, JWT, JsonBody, JwtBody, read_body, read_json_object
from py_identity_model.http.results import Failure

URL = "https://idp.example/introspect"
WHAT = "Introspection"
JWS = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"
JWE = "eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn"


def resp(
    status: int = 200,
    body: bytes = b"{}",
    content_type: str | None = "application/json",
    **extra: str,
) -> HttpResponse:
    headers = {} if content_type is None else {"Content-Type": content_type}
    headers.update(extra)
    return HttpResponse(status, Headers(headers), body, URL)


@pytest.mark.parametrize(
    ("outcome", "code", "error_type"),
    [
        (TransportFailure("timeout", "slow", URL), "timeout", ErrorType.NETWORK),
        (TransportFailure("tls_error", "bad cert", URL), "tls_error", ErrorType.NETWORK),
        (
            TransportFailure("response_too_large", "big", URL),
            "response_too_large",
            ErrorType.POLICY,
        ),
        (TransportFailure("made_up_by_a_transport", "?", URL), "network_error", ErrorType.NETWORK),
        (
            resp(302, b"", None, Location="https://evil.example"),
            "redirect_not_followed",
            ErrorType.HTTP,
        ),
        (resp(500, b"<h1>oops</h1>", "text/html"), "http_error", ErrorType.HTTP),
        (resp(400, b'{"error": "invalid_grant"}'), "invalid_grant", ErrorType.PROTOCOL),
        (resp(401, b'{"error": "use_dpop_nonce"}'), "use_dpop_nonce", ErrorType.PROTOCOL),
        (resp(200, b"<html/>", "text/html"), "wrong_content_type", ErrorType.INVALID_RESPONSE),
        (resp(200, b"{nope"), "invalid_json", ErrorType.INVALID_RESPONSE),
        (resp(200, b"[1]"), "invalid_json", ErrorType.INVALID_RESPONSE),
        (resp(200, b"\xef\xbb\xbf{}"), "invalid_json", ErrorType.INVALID_RESPONSE),
    ],
)
def test_every_failure_has_a_stable_code(outcome: object, code: str, error_type: ErrorType) -> None:
    result = read_json_object(outcome, what=WHAT)  # type: ignore[arg-type]
    assert isinstance(result, Failure)
    assert result.code == code
    assert result.error_type is error_type
    assert result.error  # a readable message, always
    if error_type is not ErrorType.PROTOCOL:
        assert code in LIBRARY_ERROR_CODES  # documented


def test_protocol_error_keeps_the_servers_words() -> None:
    result = read_json_object(
        resp(400, b'{"error": "invalid_grant", "error_description": "expired"}'), what=WHAT
    )
    assert isinstance(result, Failure)
    assert (result.code, result.error, result.error_description) == (
        "invalid_grant",
        "invalid_grant",
        "expired",
    )


@pytest.mark.parametrize(
    "content_type",
    [
        "application/jwt",
        "application/token-introspection+jwt",
        "application/JWT",
        "application/at+jwt; charset=us-ascii",
    ],
)
@pytest.mark.parametrize("token", [JWS, JWE, JWS + "\n", " " + JWS + "\r\n"])
def test_jwt_bodies_are_returned_for_the_caller_to_verify(content_type: str, token: str) -> None:
    result = read_body(resp(body=token.encode(), content_type=content_type), what=WHAT)
    assert isinstance(result, JwtBody)
    assert result.token == token.strip()
    assert result.content_type == content_type.split(";", maxsplit=1)[0].lower()


def test_json_still_read_when_both_are_accepted() -> None:
    result = read_body(resp(body=b'{"active": false}', content_type="application/json"), what=WHAT)
    assert isinstance(result, JsonBody)
    assert result.data == {"active": False}


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not a jwt",
        b"a.b",  # two segments
        b"a.b.c.d",  # four
        b"a.b.c.d.e.f",
        b"eyJ.e30.c2ln.extra",
        b"eyJ+.e30.c2ln",  # not base64url
        b"eyJ.e30.c2ln=",  # padding
        "eyJ.é.c2ln".encode(),
        b"eyJ." + b"A" * (256 * 1024) + b".c2ln",
    ],
)
def test_malformed_jwt_bodies_are_invalid_jwt(body: bytes) -> None:
    result = read_body(resp(body=body, content_type="application/jwt"), what=WHAT)
    assert isinstance(result, Failure)
    assert result.code == "invalid_jwt"
    assert result.error_type is ErrorType.INVALID_RESPONSE


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        (frozenset({JSON}), "application/jwt"),
        (frozenset({JWT}), "application/json"),
        (frozenset({JSON, JWT}), "text/plain"),
        (frozenset({JSON, JWT}), "application/jwtx"),
    ],
)
def test_content_type_outside_what_is_accepted_is_wrong(
    accept: frozenset[str], content_type: str
) -> None:
    result = read_body(resp(body=JWS.encode(), content_type=content_type), what=WHAT, accept=accept)
    assert isinstance(result, Failure)
    assert result.code == "wrong_content_type"


def test_error_statuses_still_read_as_errors_whatever_is_accepted() -> None:
    result = read_body(
        resp(401, b'{"error": "invalid_client"}'), what=WHAT, accept=frozenset({JWT})
    )
    assert isinstance(result, Failure)
    assert result.code == "invalid_client"
