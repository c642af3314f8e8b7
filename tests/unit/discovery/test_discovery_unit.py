"""Discovery: the sans-I/O core and both shells, every failure path (mocked transport)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from py_identity_model import (
    DiscoveryDocumentRequest,
    DiscoveryDocumentResponse,
    DiscoveryErrorKind,
    DiscoveryPolicy,
    ErrorType,
)
from py_identity_model.discovery.metadata import METADATA_FIELDS
from py_identity_model.discovery.policy import discovery_url_and_authority
from py_identity_model.endpoints.policy import EndpointPolicy

AUTHORITY = "https://op.example"


def document(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "issuer": AUTHORITY,
        "jwks_uri": f"{AUTHORITY}/jwks",
        "authorization_endpoint": f"{AUTHORITY}/authorize",
        "token_endpoint": f"{AUTHORITY}/token",
        "userinfo_endpoint": f"{AUTHORITY}/userinfo",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256", "ES256"],
    }
    doc.update(overrides)
    return {k: v for k, v in doc.items() if v is not None}


def serve(
    body: Any = None,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
):
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        content = raw if raw is not None else json.dumps(body).encode()
        hdrs = {"content-type": "application/json"}
        hdrs.update(headers or {})
        return httpx.Response(status, content=content, headers=hdrs)

    handler.calls = calls  # type: ignore[attr-defined]
    return handler


def fetch(
    api: Any,
    handler: Any,
    address: str = AUTHORITY,
    policy: DiscoveryPolicy | None = None,
    **kw: Any,
) -> DiscoveryDocumentResponse:
    request = DiscoveryDocumentRequest(address, policy, **kw)
    return api.get_discovery_document(request, http_client=api.mock_client(handler))


# --------------------------------------------------------------------------- success


def test_success_types_every_field(api: Any) -> None:
    handler = serve(
        document(
            mtls_endpoint_aliases={"token_endpoint": "https://op.example/mtls/token"},
            authorization_response_iss_parameter_supported=True,
            dpop_signing_alg_values_supported=["ES256"],
            custom_member={"x": 1},
        )
    )
    result = fetch(api, handler)
    assert result.is_successful, result.error
    assert result.error is None
    assert result.error_code is None
    assert result.issuer == AUTHORITY
    assert result.jwks_uri == f"{AUTHORITY}/jwks"
    assert result.token_endpoint == f"{AUTHORITY}/token"
    assert result.id_token_signing_alg_values_supported == ["RS256", "ES256"]
    assert result.authorization_response_iss_parameter_supported is True
    assert result.dpop_signing_alg_values_supported == ["ES256"]
    assert result.endpoint("token_endpoint", mtls=True) == "https://op.example/mtls/token"
    assert result.endpoint("token_endpoint") == f"{AUTHORITY}/token"
    assert result.get("custom_member") == {"x": 1}
    assert result.json is not None and result.json["custom_member"] == {"x": 1}
    assert result.http_status == 200
    assert handler.calls[0].url == f"{AUTHORITY}/.well-known/openid-configuration"
    assert handler.calls[0].headers["user-agent"].startswith("py-identity-model/")


def test_full_well_known_address_is_accepted(api: Any) -> None:
    handler = serve(document())
    result = fetch(api, handler, f"{AUTHORITY}/.well-known/openid-configuration")
    assert result.is_successful
    assert str(handler.calls[0].url) == f"{AUTHORITY}/.well-known/openid-configuration"


def test_every_registered_metadata_field_is_a_response_attribute() -> None:
    response = DiscoveryDocumentResponse(True)
    for name in METADATA_FIELDS:
        assert hasattr(response, name), name
    assert len(METADATA_FIELDS) >= 48


def test_positional_compatibility() -> None:
    response = DiscoveryDocumentResponse(False, "boom")
    assert response.is_successful is False and response.error == "boom"
    response = DiscoveryDocumentResponse(True, None, "https://issuer", "https://issuer/jwks")
    assert response.issuer == "https://issuer" and response.jwks_uri == "https://issuer/jwks"


@pytest.mark.parametrize(
    ("address", "fmt", "url", "authority"),
    [
        (
            "https://a.example",
            "openid",
            "https://a.example/.well-known/openid-configuration",
            "https://a.example",
        ),
        (
            "https://a.example/",
            "openid",
            "https://a.example/.well-known/openid-configuration",
            "https://a.example",
        ),
        (
            "https://a.example/t1",
            "openid",
            "https://a.example/t1/.well-known/openid-configuration",
            "https://a.example/t1",
        ),
        (
            "https://a.example/t1",
            "oauth",
            "https://a.example/.well-known/oauth-authorization-server/t1",
            "https://a.example/t1",
        ),
        (
            "https://a.example",
            "oauth",
            "https://a.example/.well-known/oauth-authorization-server",
            "https://a.example",
        ),
        (
            "https://a.example/.well-known/oauth-authorization-server/t1",
            "openid",
            "https://a.example/.well-known/oauth-authorization-server/t1",
            "https://a.example/t1",
        ),
        (
            "https://a.example/t1/.well-known/openid-configuration",
            "oauth",
            "https://a.example/t1/.well-known/openid-configuration",
            "https://a.example/t1",
        ),
    ],
)
def test_address_resolution_and_rfc8414_path_insertion(
    address: str, fmt: Any, url: str, authority: str
) -> None:
    assert discovery_url_and_authority(address, fmt, EndpointPolicy()) == (url, authority)


def test_rfc8414_request_uses_inserted_path(api: Any) -> None:
    handler = serve(
        document(
            issuer="https://op.example/tenant",
            jwks_uri="https://op.example/tenant/jwks",
            authorization_endpoint=None,
            token_endpoint="https://op.example/tenant/token",
            userinfo_endpoint=None,
        )
    )
    result = fetch(api, handler, "https://op.example/tenant", metadata_format="oauth")
    assert result.is_successful, result.error
    assert (
        str(handler.calls[0].url)
        == "https://op.example/.well-known/oauth-authorization-server/tenant"
    )


# --------------------------------------------------------------- policy before I/O


@pytest.mark.parametrize(
    "address",
    [
        "http://op.example",
        "http://localhost@evil.example",
        "http://127.0.0.1.evil.example",
        "ftp://op.example",
        "not a url",
        "",
    ],
)
def test_insecure_or_malformed_address_sends_no_request(api: Any, address: str) -> None:
    handler = serve(document())
    result = fetch(api, handler, address)
    assert not result.is_successful
    assert result.error_type is ErrorType.POLICY
    assert result.error_kind is DiscoveryErrorKind.POLICY  # the 4.x alias of error_type
    assert result.error_code in ("https_required", "invalid_url")
    assert result.error
    assert handler.calls == []


def test_https_not_required_when_policy_says_so(api: Any) -> None:
    handler = serve(
        document(
            issuer="http://op.example",
            jwks_uri="http://op.example/jwks",
            authorization_endpoint="http://op.example/authorize",
            token_endpoint="http://op.example/token",
            userinfo_endpoint="http://op.example/userinfo",
        )
    )
    result = fetch(api, handler, "http://op.example", DiscoveryPolicy(require_https=False))
    assert result.is_successful, result.error


def test_loopback_http_allowed_by_default_but_can_be_refused(api: Any) -> None:
    base = "http://127.0.0.1:8080"
    doc = document(
        issuer=base,
        jwks_uri=f"{base}/jwks",
        authorization_endpoint=f"{base}/a",
        token_endpoint=f"{base}/t",
        userinfo_endpoint=f"{base}/u",
    )
    assert fetch(api, serve(doc), base).is_successful
    refused = fetch(api, serve(doc), base, DiscoveryPolicy(allow_http_on_loopback=False))
    assert not refused.is_successful and refused.error_type is ErrorType.POLICY


# --------------------------------------------------------------- document policy


def test_issuer_mismatch(api: Any) -> None:
    result = fetch(api, serve(document(issuer="https://evil.example")))
    assert not result.is_successful
    assert result.error_code == "issuer_mismatch"
    assert result.error_kind is ErrorType.POLICY
    assert "issuer" in (result.error or "").lower()
    assert result.json is not None  # the document is kept for diagnosis


def test_issuer_check_can_be_disabled_or_redirected(api: Any) -> None:
    doc = document(
        issuer="https://other.example",
        jwks_uri="https://other.example/jwks",
        authorization_endpoint="https://other.example/a",
        token_endpoint="https://other.example/t",
        userinfo_endpoint="https://other.example/u",
    )
    assert fetch(
        api, serve(doc), AUTHORITY, DiscoveryPolicy(authority="https://other.example")
    ).is_successful
    lax = fetch(
        api, serve(doc), AUTHORITY, DiscoveryPolicy(validate_issuer=False, validate_endpoints=False)
    )
    assert lax.is_successful


def test_issuer_trailing_slash_tolerated_by_string_strategy(api: Any) -> None:
    assert fetch(api, serve(document(issuer=AUTHORITY + "/"))).is_successful


def test_url_strategy_normalises_default_port_and_slash(api: Any) -> None:
    doc = document(
        issuer="https://op.example:443/t/",
        jwks_uri="https://op.example/t/jwks",
        authorization_endpoint="https://op.example/t/a",
        token_endpoint="https://op.example/t/t",
        userinfo_endpoint="https://op.example/t/u",
    )
    strict = fetch(api, serve(doc), "https://op.example/t")
    assert not strict.is_successful and strict.error_code == "issuer_mismatch"
    by_url = fetch(
        api, serve(doc), "https://op.example/t", DiscoveryPolicy(authority_validation="url")
    )
    assert by_url.is_successful, by_url.error


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://evil.example/token",
        "https://op.example:8443/token",
        "http://op.example/token",
        "https://op.example.evil.example/token",
    ],
)
def test_endpoint_off_authority_rejected(api: Any, endpoint: str) -> None:
    result = fetch(api, serve(document(token_endpoint=endpoint)))
    assert not result.is_successful
    assert result.error_type is ErrorType.POLICY
    assert result.error_code in ("endpoint_not_allowed", "https_required")
    assert "token_endpoint" in (result.error or "")


def test_endpoint_must_be_under_authority_path(api: Any) -> None:
    base = "https://op.example/tenant"
    doc = document(
        issuer=base,
        jwks_uri=f"{base}/jwks",
        authorization_endpoint=f"{base}/a",
        token_endpoint="https://op.example/tenant-evil/token",
        userinfo_endpoint=f"{base}/u",
    )
    result = fetch(api, serve(doc), base)
    assert result.error_code == "endpoint_not_allowed"


def test_additional_base_addresses_and_excludes(api: Any) -> None:
    doc = document(jwks_uri="https://keys.example/op/jwks")
    assert fetch(api, serve(doc)).error_code == "endpoint_not_allowed"
    allowed = fetch(
        api,
        serve(doc),
        AUTHORITY,
        DiscoveryPolicy(additional_endpoint_base_addresses=["https://keys.example/op"]),
    )
    assert allowed.is_successful, allowed.error
    excluded = fetch(
        api,
        serve(doc),
        AUTHORITY,
        DiscoveryPolicy(endpoint_validation_excludes=frozenset({"jwks_uri"})),
    )
    assert excluded.is_successful, excluded.error
    off = fetch(api, serve(doc), AUTHORITY, DiscoveryPolicy(validate_endpoints=False))
    assert off.is_successful


def test_insecure_endpoint_rejected_even_without_endpoint_validation(api: Any) -> None:
    result = fetch(
        api,
        serve(document(userinfo_endpoint="http://evil.example/u")),
        AUTHORITY,
        DiscoveryPolicy(validate_endpoints=False),
    )
    assert result.error_code == "https_required"


def test_loopback_endpoints_allowed_when_asked(api: Any) -> None:
    base = "http://localhost:9000"
    doc = document(
        issuer=base,
        jwks_uri="http://127.0.0.1:9000/jwks",
        authorization_endpoint=f"{base}/a",
        token_endpoint=f"{base}/t",
        userinfo_endpoint=f"{base}/u",
    )
    assert fetch(api, serve(doc), base).error_code == "endpoint_not_allowed"
    assert fetch(
        api, serve(doc), base, DiscoveryPolicy(allow_loopback_endpoints=True)
    ).is_successful


def test_documentation_urls_are_not_host_checked(api: Any) -> None:
    result = fetch(api, serve(document(service_documentation="https://docs.elsewhere.example/")))
    assert result.is_successful, result.error


def test_mtls_alias_must_be_https(api: Any) -> None:
    result = fetch(
        api,
        serve(document(mtls_endpoint_aliases={"token_endpoint": "http://op.example/mtls/token"})),
    )
    assert result.error_code == "https_required"


@pytest.mark.parametrize(
    "alias",
    [
        "https://mtls.op.example/token",  # another host: allowed only as an extra base address
        "https://127.0.0.1/token",
        "https://10.0.0.7/token",
        "https://169.254.169.254/latest/meta-data",
        "https://op.example/../mtls/token",
    ],
)
def test_mtls_aliases_obey_the_endpoint_policy(api: Any, alias: str) -> None:
    # Aliases were only scheme-checked, so a document could point them at loopback,
    # RFC 1918 or link-local addresses. They obey the placement rule of every endpoint.
    result = fetch(api, serve(document(mtls_endpoint_aliases={"token_endpoint": alias})))
    assert not result.is_successful
    assert result.error_code in ("endpoint_not_allowed", "invalid_url")
    assert "mTLS endpoint alias" in (result.error or "")


def test_mtls_alias_host_allowed_as_an_additional_base_address(api: Any) -> None:
    doc = document(mtls_endpoint_aliases={"token_endpoint": "https://mtls.op.example/token"})
    policy = DiscoveryPolicy(additional_endpoint_base_addresses=["https://mtls.op.example"])
    result = fetch(api, serve(doc), AUTHORITY, policy)
    assert result.is_successful, result.error
    assert result.endpoint("token_endpoint", mtls=True) == "https://mtls.op.example/token"


@pytest.mark.parametrize(("drop", "missing"), [("issuer", ["issuer"]), ("jwks_uri", ["jwks_uri"])])
def test_missing_required_fields(api: Any, drop: str, missing: list[str]) -> None:
    doc = document()
    del doc[drop]
    result = fetch(api, serve(doc))
    assert not result.is_successful
    assert result.error_code == "missing_fields"
    assert result.error_type is ErrorType.INVALID_RESPONSE
    assert result.missing_fields == missing
    assert drop in (result.error or "")


def test_key_set_optional_when_policy_allows(api: Any) -> None:
    doc = document()
    del doc["jwks_uri"]
    assert fetch(api, serve(doc), AUTHORITY, DiscoveryPolicy(require_key_set=False)).is_successful


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("issuer", 42),
        ("scopes_supported", "openid profile"),
        ("scopes_supported", ["openid", 7]),
        ("claims_parameter_supported", "true"),
        ("mtls_endpoint_aliases", ["https://x"]),
        ("token_endpoint", {"url": "x"}),
    ],
)
def test_wrongly_typed_metadata_is_an_invalid_response(api: Any, member: str, value: Any) -> None:
    result = fetch(api, serve(document(**{member: value})))
    assert not result.is_successful
    assert result.error_type is ErrorType.INVALID_RESPONSE
    assert member in (result.error or "")


# --------------------------------------------------------------- HTTP failure paths


@pytest.mark.parametrize(
    ("raw", "content_type", "needle"),
    [
        (b"{not json", "application/json", "invalid JSON"),
        (b"[1, 2]", "application/json", "JSON object"),
        (b'"text"', "application/json", "JSON object"),
        (b'{"issuer": "a", "issuer": "b"}', "application/json", "duplicate"),
        (b"<html>hi</html>", "text/html", "content type"),
        (b"\xff\xfe{}", "application/json", "invalid JSON"),
    ],
)
def test_bad_bodies(api: Any, raw: bytes, content_type: str, needle: str) -> None:
    result = fetch(api, serve(raw=raw, headers={"content-type": content_type}))
    assert not result.is_successful
    assert result.error_type is ErrorType.INVALID_RESPONSE
    assert result.error_kind is DiscoveryErrorKind.INVALID_RESPONSE
    assert needle.lower() in (result.error or "").lower()


@pytest.mark.parametrize("status", [404, 500, 502])
def test_error_statuses(api: Any, status: int) -> None:
    result = fetch(
        api, serve(raw=b"<h1>nope</h1>", status=status, headers={"content-type": "text/html"})
    )
    assert not result.is_successful
    assert result.error_type is ErrorType.HTTP
    assert result.http_status == status and result.status_code == status
    assert result.raw == "<h1>nope</h1>"
    assert str(status) in (result.error or "")


def test_redirect_is_not_followed(api: Any) -> None:
    handler = serve(
        raw=b"",
        status=302,
        headers={"location": "https://evil.example/.well-known/openid-configuration"},
    )
    result = fetch(api, handler)
    assert not result.is_successful
    assert result.error_type is ErrorType.HTTP
    assert "redirect" in (result.error or "").lower()
    assert len(handler.calls) == 1


def test_oversized_body(api: Any) -> None:
    big = json.dumps(document(padding="x" * (2 * 1024 * 1024))).encode()
    result = fetch(api, serve(raw=big))
    assert not result.is_successful
    assert result.error_type is ErrorType.POLICY
    assert "limit" in (result.error or "")


def test_timeout_and_network_errors(api: Any) -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    for handler, word in ((timeout, "timed out"), (refused, "network")):
        result = fetch(api, handler)
        assert not result.is_successful
        assert result.error_type is ErrorType.NETWORK
        assert result.error_kind is DiscoveryErrorKind.NETWORK
        assert word in (result.error or "").lower()


def test_503_is_retried_then_succeeds(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        if len(attempts) == 1:
            return httpx.Response(503, headers={"retry-after": "0"})
        return httpx.Response(200, json=document())

    result = fetch(api, handler)
    assert result.is_successful
    assert len(attempts) == 2


def test_oauth_error_body_is_a_protocol_error(api: Any) -> None:
    result = fetch(api, serve({"error": "server_error", "error_description": "down"}, status=500))
    assert result.error_type is ErrorType.PROTOCOL
    assert result.error == "server_error"
    assert result.error_description == "down"
