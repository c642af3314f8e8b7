"""get_protected_resource_metadata (RFC 9728 §2-§3): the well-known URL, typed members,
the resource check of §3.3, the endpoint policy and every failure shape, sync and async."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from rm_support import ISSUER, RESOURCE, WELL_KNOWN, Router, json_response, metadata

from py_identity_model import (
    ConfigurationException,
    EndpointPolicy,
    ErrorType,
    ProtectedResourceMetadataRequest,
    protected_resource_metadata_url,
)
from py_identity_model.resource_metadata.flow import resource_matches


def _call(api: Any, request: Any, routes: dict[str, Any]) -> tuple[Any, Router]:
    router = Router(routes)
    response = api.get_protected_resource_metadata(request, http_client=api.mock_client(router))
    return response, router


def _failed(response: Any, code: str, error_type: ErrorType) -> None:
    assert response.is_successful is False
    assert isinstance(response.error, str) and response.error
    assert response.error_code == code, response.error
    assert response.error_type is error_type


# ---------------------------------------------------------------------- the well-known URL


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        ("https://rs.example", "https://rs.example/.well-known/oauth-protected-resource"),
        ("https://rs.example/", "https://rs.example/.well-known/oauth-protected-resource"),
        (
            "https://rs.example/api/v1",
            "https://rs.example/.well-known/oauth-protected-resource/api/v1",
        ),
        (
            "https://rs.example/api/",
            "https://rs.example/.well-known/oauth-protected-resource/api/",
        ),
        (
            "https://rs.example:8443/api?tenant=a",
            "https://rs.example:8443/.well-known/oauth-protected-resource/api?tenant=a",
        ),
        ("https://rs.example/?x=1", "https://rs.example/.well-known/oauth-protected-resource?x=1"),
        ("http://127.0.0.1:8080/r", "http://127.0.0.1:8080/.well-known/oauth-protected-resource/r"),
    ],
)
def test_well_known_url_is_path_inserted(resource: str, expected: str) -> None:
    assert protected_resource_metadata_url(resource) == expected


@pytest.mark.parametrize("bad", ["", "/relative", "rs.example/api", 5])
def test_well_known_url_of_a_non_url_is_misuse(bad: Any) -> None:
    with pytest.raises(ConfigurationException):
        protected_resource_metadata_url(bad)


# ---------------------------------------------------------------------------- success


FULL = metadata(
    jwks_uri="https://rs.example/jwks",
    scopes_supported=["orders:read", "orders:write"],
    bearer_methods_supported=["header"],
    resource_signing_alg_values_supported=["ES256"],
    resource_name="Orders API",
    resource_documentation="https://rs.example/docs",
    resource_policy_uri="https://rs.example/policy",
    resource_tos_uri="https://rs.example/tos",
    tls_client_certificate_bound_access_tokens=False,
    authorization_details_types_supported=["order"],
    dpop_signing_alg_values_supported=["ES256", "PS256"],
    dpop_bound_access_tokens_required=True,
    signed_metadata="eyJhbGciOiJFUzI1NiJ9.e30.c2ln",
    **{"resource_name#fr": "API des commandes", "custom": {"x": 1}},
)


def test_success_every_member_typed(api: Any) -> None:
    response, router = _call(api, RESOURCE, {WELL_KNOWN: json_response(FULL)})
    assert response.is_successful is True and response.error is None
    assert router.urls == [WELL_KNOWN]
    sent = router.requests[0]
    assert sent.method == "GET"
    assert "authorization" not in sent.headers and "dpop" not in sent.headers
    assert response.resource == RESOURCE
    assert response.authorization_servers == [ISSUER]
    assert response.jwks_uri == "https://rs.example/jwks"
    assert response.scopes_supported == ["orders:read", "orders:write"]
    assert response.bearer_methods_supported == ["header"]
    assert response.resource_signing_alg_values_supported == ["ES256"]
    assert response.resource_name == "Orders API"
    assert response.resource_documentation == "https://rs.example/docs"
    assert response.resource_policy_uri == "https://rs.example/policy"
    assert response.resource_tos_uri == "https://rs.example/tos"
    assert response.tls_client_certificate_bound_access_tokens is False
    assert response.authorization_details_types_supported == ["order"]
    assert response.dpop_signing_alg_values_supported == ["ES256", "PS256"]
    assert response.dpop_bound_access_tokens_required is True
    assert response.signed_metadata == "eyJhbGciOiJFUzI1NiJ9.e30.c2ln"  # not verified
    assert response.metadata == FULL
    assert response.metadata["resource_name#fr"] == "API des commandes"
    assert response.metadata_url == WELL_KNOWN
    assert response.http_status == 200


def test_minimal_document(api: Any) -> None:
    response, _ = _call(api, RESOURCE, {WELL_KNOWN: json_response({"resource": RESOURCE})})
    assert response.is_successful is True
    assert response.authorization_servers is None
    assert response.dpop_bound_access_tokens_required is None


def test_metadata_url_from_a_challenge_is_used(api: Any) -> None:
    url = "https://meta.example/rs/metadata.json"
    request = ProtectedResourceMetadataRequest(RESOURCE, metadata_url=url)
    response, router = _call(api, request, {url: json_response(metadata())})
    assert response.is_successful is True
    assert router.urls == [url]
    assert response.metadata_url == url


def test_request_headers_are_sent_and_hidden_from_repr(api: Any) -> None:
    request = ProtectedResourceMetadataRequest(RESOURCE, headers={"X-Trace": "t-1"})
    response, router = _call(api, request, {WELL_KNOWN: json_response(metadata())})
    assert response.is_successful is True
    assert router.requests[0].headers["x-trace"] == "t-1"
    assert "t-1" not in repr(request)


def test_loopback_http_is_allowed(api: Any) -> None:
    resource = "http://127.0.0.1:9/api"
    url = "http://127.0.0.1:9/.well-known/oauth-protected-resource/api"
    body = {"resource": resource, "authorization_servers": ["http://localhost:3000"]}
    response, _ = _call(api, resource, {url: json_response(body)})
    assert response.is_successful is True
    assert response.authorization_servers == ["http://localhost:3000"]


def test_response_repr_hides_raw_bodies(api: Any) -> None:
    response, _ = _call(api, RESOURCE, {WELL_KNOWN: json_response(metadata())})
    shown = repr(response)
    assert "raw=[redacted]" in shown and "json=[redacted]" in shown


# ------------------------------------------------------------------- the resource (§3.3)


@pytest.mark.parametrize(
    "declared",
    [
        "https://rs.example/api/v1/",
        "https://RS.example/api/v1",
        "https://rs.example:443/api/v1",
        "https://rs.example/api",
        "https://other.example/api/v1",
        "https://rs.example/api/v1?x=1",
    ],
)
def test_resource_must_be_identical(api: Any, declared: str) -> None:
    response, _ = _call(api, RESOURCE, {WELL_KNOWN: json_response(metadata(resource=declared))})
    _failed(response, "resource_mismatch", ErrorType.POLICY)
    assert response.authorization_servers is None  # its data must not be used
    assert declared[:30] in response.error


def test_resource_mismatch_also_for_a_challenge_url(api: Any) -> None:
    url = "https://rs.example/meta"
    request = ProtectedResourceMetadataRequest(RESOURCE, metadata_url=url)
    evil = metadata(resource="https://evil.example/api/v1")
    response, _ = _call(api, request, {url: json_response(evil)})
    _failed(response, "resource_mismatch", ErrorType.POLICY)


@pytest.mark.parametrize(
    ("declared", "asked", "ok"),
    [
        ("https://rs.example/api", "https://rs.example/api/items/42", True),
        ("https://rs.example/api/", "https://rs.example/api/items", True),
        ("https://rs.example", "https://rs.example/api/items", True),
        ("https://RS.example:443/api", "https://rs.example/api/x", True),
        ("https://rs.example/api", "https://rs.example/apix", False),
        ("https://rs.example/api/items", "https://rs.example/api", False),
        ("https://other.example/api", "https://rs.example/api/x", False),
        ("http://rs.example/api", "https://rs.example/api/x", False),
        ("https://rs.example/api?t=a", "https://rs.example/api/x?t=b", False),
        ("not a url", "https://rs.example/api", False),
    ],
)
def test_prefix_matching_is_opt_in(declared: str, asked: str, ok: bool) -> None:
    assert resource_matches(declared, asked, allow_prefix=True) is ok
    assert resource_matches(declared, asked) is False


def test_prefix_option_end_to_end(api: Any) -> None:
    asked = "https://rs.example/api/items/42"
    url = "https://rs.example/.well-known/oauth-protected-resource/api/items/42"
    body = metadata(resource="https://rs.example/api")
    request = ProtectedResourceMetadataRequest(asked, allow_resource_prefix=True)
    response, _ = _call(api, request, {url: json_response(body)})
    assert response.is_successful is True
    assert response.resource == "https://rs.example/api"


# ----------------------------------------------------------------- the document's members


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("resource", 5),
        ("resource", ["https://rs.example/api/v1"]),
        ("authorization_servers", ISSUER),
        ("authorization_servers", [ISSUER, 3]),
        ("jwks_uri", {"keys": []}),
        ("scopes_supported", "a b"),
        ("bearer_methods_supported", [None]),
        ("resource_signing_alg_values_supported", [["ES256"]]),
        ("resource_name", 1),
        ("resource_documentation", True),
        ("resource_policy_uri", []),
        ("resource_tos_uri", 0.5),
        ("tls_client_certificate_bound_access_tokens", "true"),
        ("authorization_details_types_supported", {"a": 1}),
        ("dpop_signing_alg_values_supported", "ES256"),
        ("dpop_bound_access_tokens_required", 1),
        ("signed_metadata", {"alg": "none"}),
        ("scopes_supported", ["s"] * 1025),
    ],
)
def test_wrong_member_types(api: Any, member: str, value: Any) -> None:
    response, _ = _call(api, RESOURCE, {WELL_KNOWN: json_response(metadata(**{member: value}))})
    _failed(response, "invalid_response", ErrorType.INVALID_RESPONSE)
    assert member in response.error
    assert response.json is not None and response.http_status == 200


@pytest.mark.parametrize("body", [{"authorization_servers": [ISSUER]}, {"resource": ""}])
def test_missing_resource(api: Any, body: dict[str, Any]) -> None:
    response, _ = _call(api, RESOURCE, {WELL_KNOWN: json_response(body)})
    _failed(response, "missing_fields", ErrorType.INVALID_RESPONSE)
    assert response.missing_fields == ["resource"]


@pytest.mark.parametrize(
    ("servers", "code"),
    [
        (["http://as.example"], "https_required"),
        (["https://as.example?tenant=a"], "invalid_issuer"),
        (["https://as.example#x"], "invalid_issuer"),
        (["as.example"], "invalid_issuer"),
        ([ISSUER, "https://user@as2.example"], "invalid_issuer"),
    ],
)
def test_authorization_servers_must_be_usable_issuers(
    api: Any, servers: list[str], code: str
) -> None:
    body = metadata(authorization_servers=servers)
    response, _ = _call(api, RESOURCE, {WELL_KNOWN: json_response(body)})
    _failed(response, code, ErrorType.POLICY)
    assert "authorization server" in response.error


def test_plain_http_jwks_uri_is_refused(api: Any) -> None:
    body = metadata(jwks_uri="http://rs.example/jwks")
    response, _ = _call(api, RESOURCE, {WELL_KNOWN: json_response(body)})
    _failed(response, "https_required", ErrorType.POLICY)


# ------------------------------------------------------------------- refused before I/O


@pytest.mark.parametrize(
    ("request_", "code"),
    [
        (ProtectedResourceMetadataRequest("http://rs.example/api"), "https_required"),
        (ProtectedResourceMetadataRequest("https://rs.example/api#frag"), "invalid_url"),
        (ProtectedResourceMetadataRequest("ftp://rs.example/api"), "invalid_url"),
        (ProtectedResourceMetadataRequest(""), "invalid_url"),
        (
            ProtectedResourceMetadataRequest(RESOURCE, metadata_url="http://meta.example/m"),
            "https_required",
        ),
        (
            ProtectedResourceMetadataRequest(RESOURCE, metadata_url="https://u:p@meta.example/m"),
            "invalid_url",
        ),
    ],
)
def test_refused_before_any_request(api: Any, request_: Any, code: str) -> None:
    response, router = _call(api, request_, {})
    _failed(response, code, ErrorType.POLICY)
    assert router.requests == []


def test_a_relaxed_policy_allows_plain_http(api: Any) -> None:
    resource = "http://rs.example/api"
    url = "http://rs.example/.well-known/oauth-protected-resource/api"
    request = ProtectedResourceMetadataRequest(resource, policy=EndpointPolicy(require_https=False))
    response, _ = _call(api, request, {url: json_response({"resource": resource})})
    assert response.is_successful is True


@pytest.mark.parametrize(
    "bad",
    [
        lambda: ProtectedResourceMetadataRequest(5),  # type: ignore[arg-type]
        lambda: ProtectedResourceMetadataRequest(RESOURCE, metadata_url=5),  # type: ignore[arg-type]
        lambda: ProtectedResourceMetadataRequest(RESOURCE, allow_resource_prefix="yes"),  # type: ignore[arg-type]
        lambda: ProtectedResourceMetadataRequest(RESOURCE, policy="strict"),  # type: ignore[arg-type]
    ],
)
def test_misuse_raises_before_io(bad: Any) -> None:
    with pytest.raises(ConfigurationException):
        bad()


def test_wrong_request_type_is_misuse(api: Any) -> None:
    with pytest.raises(ConfigurationException):
        _call(api, {"resource": RESOURCE}, {})


# --------------------------------------------------------------------- unusable answers


UNUSABLE: dict[str, tuple[Any, str, ErrorType]] = {
    "not json": (
        lambda: httpx.Response(200, text="<html>", headers={"Content-Type": "application/json"}),
        "invalid_json",
        ErrorType.INVALID_RESPONSE,
    ),
    "array": (lambda: json_response([metadata()]), "invalid_json", ErrorType.INVALID_RESPONSE),
    "duplicate members": (
        lambda: httpx.Response(
            200,
            content=b'{"resource": "x", "resource": "' + RESOURCE.encode() + b'"}',
            headers={"Content-Type": "application/json"},
        ),
        "invalid_json",
        ErrorType.INVALID_RESPONSE,
    ),
    "html": (
        lambda: httpx.Response(200, text="<html></html>", headers={"Content-Type": "text/html"}),
        "wrong_content_type",
        ErrorType.INVALID_RESPONSE,
    ),
    "404": (lambda: httpx.Response(404, text="nope"), "http_error", ErrorType.HTTP),
    "500 json": (lambda: json_response({"x": 1}, 500), "http_error", ErrorType.HTTP),
    "redirect": (
        lambda: httpx.Response(302, headers={"Location": "https://evil.example/m"}),
        "redirect_not_followed",
        ErrorType.HTTP,
    ),
}


@pytest.mark.parametrize("case", list(UNUSABLE))
def test_unusable_answers(api: Any, case: str) -> None:
    make, code, error_type = UNUSABLE[case]
    response, router = _call(api, RESOURCE, {WELL_KNOWN: make()})
    _failed(response, code, error_type)
    assert router.urls == [WELL_KNOWN]  # a redirect is never followed


def test_oversized_body(api: Any) -> None:
    big = b'{"resource": "' + b"a" * (1024 * 1024 + 10) + b'"}'
    answer = httpx.Response(200, content=big, headers={"Content-Type": "application/json"})
    response, _ = _call(api, RESOURCE, {WELL_KNOWN: answer})
    _failed(response, "response_too_large", ErrorType.POLICY)


@pytest.mark.parametrize(
    ("exc", "code"), [(httpx.ReadTimeout, "timeout"), (httpx.ConnectError, "network_error")]
)
def test_transport_failures(api: Any, exc: type[Exception], code: str) -> None:
    def boom(request: httpx.Request) -> httpx.Response:
        raise exc("boom", request=request)

    response, _ = _call(api, RESOURCE, {WELL_KNOWN: boom})
    _failed(response, code, ErrorType.NETWORK)
