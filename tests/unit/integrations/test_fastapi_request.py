"""What the Starlette/FastAPI glue reads from an ASGI request and what it sends back.

No server and no token here: the ASGI scope is built by hand, the rejection is the core's
own value, and the response goes through Starlette's real ``Response``.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import trustme
from starlette.requests import Request

from py_identity_model.exceptions import ConfigurationException
from py_identity_model.integrations.starlette import (
    TokenRejectedHTTPException,
    TrustedProxy,
    handle_rejection,
    incoming_request,
    rejection_response,
)
from py_identity_model.resource_server import IncomingRequest, ResourceRejection

CHALLENGES = [
    ("WWW-Authenticate", 'Bearer realm="api", error="use_dpop_nonce"'),
    ("WWW-Authenticate", 'DPoP algs="ES256", error="use_dpop_nonce"'),
    ("DPoP-Nonce", "n-1"),
]


@pytest.fixture(scope="module")
def pem_certificate() -> bytes:
    return bytes(trustme.CA().issue_cert("client.test").cert_chain_pems[0].bytes())


def scope(
    headers: list[tuple[str, str]],
    *,
    client: str = "203.0.113.9",
    path: str = "/orders/42",
    query: bytes = b"page=2",
    scheme: str = "http",
    extensions: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "type": "http",
        "method": "GET",
        "scheme": scheme,
        "server": ("10.0.0.2", 8000),
        "client": (client, 50000),
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
        "extensions": extensions or {},
    }


def rejection() -> ResourceRejection:
    return ResourceRejection(
        401,
        "use_dpop_nonce",
        "A DPoP nonce is required",
        error_code="dpop_nonce_required",
        headers=CHALLENGES,
    )


def test_url_method_and_every_header_line_reach_the_core() -> None:
    lines = [("Host", "api.example.com:8443"), ("DPoP", "a"), ("dpop", "b")]
    request = incoming_request(scope(lines))
    assert isinstance(request, IncomingRequest)
    assert request.method == "GET"
    assert request.url == "http://api.example.com:8443/orders/42?page=2"
    assert request.header_values("DPoP") == ["a", "b"]  # repeated, for the core to refuse
    assert request.client_certificate is None


def test_forwarded_headers_are_ignored_without_a_trusted_proxy() -> None:
    lines = [
        ("Host", "10.0.0.2:8000"),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Host", "api.example.com"),
    ]
    assert incoming_request(scope(lines)).url == "http://10.0.0.2:8000/orders/42?page=2"


def test_forwarded_headers_from_the_trusted_proxy() -> None:
    lines = [
        ("Host", "10.0.0.2:8000"),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Host", "api.example.com"),
    ]
    proxy = TrustedProxy(["10.0.0.0/24"])
    request = incoming_request(scope(lines, client="10.0.0.7"), trusted_proxy=proxy)
    assert request.url == "https://api.example.com/orders/42?page=2"
    # the same headers from a peer that is not the proxy are not believed
    other = incoming_request(scope(lines, client="10.0.1.7"), trusted_proxy=proxy)
    assert other.url == "http://10.0.0.2:8000/orders/42?page=2"


@pytest.mark.parametrize(
    "forwarded",
    [
        [("X-Forwarded-Host", "api.example.com, evil.example")],
        [("X-Forwarded-Host", "api.example.com"), ("X-Forwarded-Host", "evil.example")],
        [("X-Forwarded-Proto", "gopher")],
        [("X-Forwarded-Host", "")],
    ],
)
def test_ambiguous_or_bad_forwarded_values_are_ignored(forwarded: list[tuple[str, str]]) -> None:
    lines = [("Host", "10.0.0.2:8000"), *forwarded]
    request = incoming_request(
        scope(lines, client="10.0.0.7"), trusted_proxy=TrustedProxy(["10.0.0.7"])
    )
    assert request.url == "http://10.0.0.2:8000/orders/42?page=2"


def test_proxy_options_turn_each_header_off() -> None:
    lines = [
        ("Host", "h:1"),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Host", "api.example.com"),
    ]
    proxy = TrustedProxy(["10.0.0.7"], forwarded_host=False)
    assert incoming_request(scope(lines, client="10.0.0.7"), trusted_proxy=proxy).url == (
        "https://h:1/orders/42?page=2"
    )
    proxy = TrustedProxy(["10.0.0.7"], forwarded_proto=False)
    assert incoming_request(scope(lines, client="10.0.0.7"), trusted_proxy=proxy).url == (
        "http://api.example.com/orders/42?page=2"
    )


@pytest.mark.parametrize("addresses", [[], ["not-an-ip"], "10.0.0.1"])
def test_trusted_proxy_configuration_errors(addresses: Any) -> None:
    with pytest.raises(ConfigurationException):
        TrustedProxy(addresses)


def test_trusted_proxy_peer_checks() -> None:
    proxy = TrustedProxy(["::1", "127.0.0.1"])
    assert proxy.trusts("::1") and proxy.trusts("127.0.0.1")
    assert not proxy.trusts(None) and not proxy.trusts("unix-socket") and not proxy.trusts("::2")


def test_certificate_from_the_tls_extension(pem_certificate: bytes) -> None:
    extensions = {"tls": {"client_cert_chain": [pem_certificate.decode("ascii")]}}
    request = incoming_request(scope([("Host", "h")], extensions=extensions))
    assert request.client_certificate == pem_certificate


def test_certificate_header_only_from_the_trusted_proxy(pem_certificate: bytes) -> None:
    from urllib.parse import quote

    lines = [("Host", "h"), ("X-Client-Cert", quote(pem_certificate.decode("ascii")))]
    proxy = TrustedProxy(["10.0.0.7"], client_certificate_header="X-Client-Cert")
    trusted = incoming_request(scope(lines, client="10.0.0.7"), trusted_proxy=proxy)
    assert trusted.client_certificate is not None
    assert incoming_request(scope(lines), trusted_proxy=proxy).client_certificate is None
    assert incoming_request(scope(lines, client="10.0.0.7")).client_certificate is None


def test_rejection_response_copies_everything() -> None:
    response = rejection_response(rejection())
    assert response.status_code == 401
    assert [
        (k.decode(), v.decode()) for k, v in response.raw_headers if k != b"content-length"
    ] == [
        ("content-type", "application/json"),
        ("www-authenticate", 'Bearer realm="api", error="use_dpop_nonce"'),
        ("www-authenticate", 'DPoP algs="ES256", error="use_dpop_nonce"'),
        ("dpop-nonce", "n-1"),
    ]
    assert (
        response.body
        == b'{"error":"use_dpop_nonce","error_description":"A DPoP nonce is required"}'
    )


def test_the_http_exception_without_the_handler_keeps_status_and_headers() -> None:
    error = TokenRejectedHTTPException(rejection())
    assert error.status_code == 401 and error.detail == "A DPoP nonce is required"
    assert error.headers == {
        "WWW-Authenticate": 'Bearer realm="api", error="use_dpop_nonce", DPoP algs="ES256", error="use_dpop_nonce"',
        "DPoP-Nonce": "n-1",
    }


def test_the_handler_answers_the_rejection_and_refuses_other_errors() -> None:
    request = Request(scope([("Host", "h")]))
    response = asyncio.run(handle_rejection(request, TokenRejectedHTTPException(rejection())))
    assert response.status_code == 401 and response.headers["dpop-nonce"] == "n-1"
    with pytest.raises(ValueError):
        asyncio.run(handle_rejection(request, ValueError("other")))
