"""Regressions from outside testing (issue 8): URL and issuer rules, token and callback rules.

Each test names the defect it would have caught.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from tests.unit.login.login_support import CLIENT_ID, FakeOp as LoginOp, Mode
from tests.unit.validation.test_validation_flow_discovery import EC_KEY, EC_KEY_2, FakeOp

from py_identity_model import (
    AuthorizeCallbackException,
    ConfigurationException,
    DiscoveryDocumentRequest,
    DiscoveryException,
    EndpointPolicy,
    FrontChannelConfigurationError,
    JsonWebKey,
    OidcClient,
    OidcClientOptions,
    TokenValidationConfig,
    TokenValidationException,
    build_authorization_url,
    build_end_session_url,
    parse_authorize_callback_response,
    validate_authorize_callback,
)
from py_identity_model.discovery.policy import discovery_url_and_authority
from py_identity_model.jose import sign_compact
from py_identity_model.validation.hashes import left_half_hash

# ------------------------------------------------------------------ dot segments


class TenantOp:
    """An authority with a path; its document may point its key set anywhere."""

    def __init__(self, jwks_uri: str) -> None:
        self.issuer = "https://op.example/tenant"
        self.jwks_uri = jwks_uri
        self.paths: list[str] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        if request.url.path == "/tenant/.well-known/openid-configuration":
            return httpx.Response(200, json={"issuer": self.issuer, "jwks_uri": self.jwks_uri})
        if request.url.path.startswith("/other"):
            return httpx.Response(200, json={"keys": [EC_KEY.public_jwk().to_dict()]})
        return httpx.Response(404)


@pytest.mark.parametrize(
    "jwks_uri",
    [
        "https://op.example/tenant/../other/jwks",
        "https://op.example/tenant/./../other/jwks",
        "https://op.example/tenant/;/../other/jwks",
        "https://op.example/tenant/%2e%2e/other/jwks",
        "https://op.example/tenant/%2E%2E/other/jwks",
    ],
)
def test_key_served_outside_the_issuer_path_never_validates(api: Any, jwks_uri: str) -> None:
    # End to end the raw-string check let a token signed by a key served outside the
    # issuer's path validate as the issuer's.
    op = TenantOp(jwks_uri)
    token = sign_compact(
        {"iss": op.issuer, "aud": "api", "exp": int(time.time()) + 60},
        EC_KEY,
        "ES256",
        headers={"kid": EC_KEY.kid},
    )
    config = TokenValidationConfig(perform_disco=True, audience="api")
    with pytest.raises(TokenValidationException) as caught:
        api.validate_token(token, config, op.issuer, api.mock_client(op.handler))
    assert isinstance(caught.value, DiscoveryException)
    assert caught.value.error_code == "invalid_url"  # type: ignore[attr-defined]
    assert not any(path.startswith("/other") for path in op.paths)


def test_rfc8414_well_known_is_split_only_on_a_segment_boundary() -> None:
    url = "https://op.example/.well-known/oauth-authorization-server.evil.example/t"
    assert discovery_url_and_authority(url, "openid", EndpointPolicy()) == (
        url,
        "https://op.example",
    )
    tenant = "https://op.example/.well-known/oauth-authorization-server/t"
    assert discovery_url_and_authority(tenant, "openid", EndpointPolicy()) == (
        tenant,
        "https://op.example/t",
    )


def test_address_with_a_non_standard_well_known_name_is_used_verbatim(api: Any) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(
            200, json={"issuer": "https://op.example/t", "jwks_uri": "https://op.example/t/jwks"}
        )

    address = "https://op.example/t/.well-known/openid_configuration"
    result = api.get_discovery_document(
        DiscoveryDocumentRequest(address), http_client=api.mock_client(handler)
    )
    assert result.is_successful, result.error
    assert seen == [address]  # not address + "/.well-known/openid-configuration"


@pytest.mark.parametrize(
    "issuer", ["https://op.example?tenant=1", "https://op.example#x", "https://op.example/?"]
)
def test_issuer_with_a_query_or_fragment_is_refused(api: Any, issuer: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"issuer": issuer, "jwks_uri": "https://op.example/jwks"})

    result = api.get_discovery_document(
        DiscoveryDocumentRequest("https://op.example"), http_client=api.mock_client(handler)
    )
    assert not result.is_successful
    assert result.error_code in ("invalid_issuer", "issuer_mismatch")


@pytest.mark.parametrize(
    "build",
    [
        lambda url: build_authorization_url(
            url, "c", "https://app.example/cb", state="s", nonce="n"
        ),
        lambda url: build_end_session_url(url, id_token_hint="eyJ...", state="s"),
    ],
)
def test_front_channel_urls_obey_the_endpoint_policy(build: Any) -> None:
    with pytest.raises(FrontChannelConfigurationError, match="HTTPS is required"):
        build("http://idp.example/authorize")
    assert build("http://127.0.0.1:8080/authorize").startswith("http://127.0.0.1:8080/authorize?")
    assert build("https://idp.example/authorize").startswith("https://idp.example/authorize?")
    with pytest.raises(FrontChannelConfigurationError, match="dot segments"):
        build("https://idp.example/a/../authorize")


# ------------------------------------------------------------------ iss and callbacks


def test_static_key_id_and_logout_tokens_need_an_issuer(api: Any) -> None:
    # Without a configured issuer they accepted a token with no iss or any iss.
    config = TokenValidationConfig(
        perform_disco=False, key=EC_KEY.public_jwk().to_dict(), audience=CLIENT_ID
    )
    token = sign_compact(
        {"sub": "a", "aud": CLIENT_ID, "exp": int(time.time()) + 60, "iat": int(time.time())},
        EC_KEY,
        "ES256",
    )
    with pytest.raises(ConfigurationException, match="needs issuer"):
        api.validate_id_token(token, config)
    with pytest.raises(ConfigurationException, match="needs issuer"):
        api.validate_logout_token(token, config)


def test_callback_naming_another_server_fails_closed_without_expected_issuer() -> None:
    response = parse_authorize_callback_response(
        "https://app.example/cb?code=c&state=s&iss=https://evil.example"
    )
    with pytest.raises(AuthorizeCallbackException):
        validate_authorize_callback(response, expected_state="s")


@pytest.mark.parametrize(
    "callback",
    [
        "javascript:alert(1)?code=c&state=s",
        "data:text/html,?code=c&state=s",
        "ftp://evil.example/?code=c",
    ],
)
def test_callback_urls_with_dangerous_schemes_are_refused(callback: str) -> None:
    response = parse_authorize_callback_response(callback)
    assert not response.is_successful
    assert response.code is None
    with pytest.raises(FrontChannelConfigurationError):
        build_authorization_url(
            "https://idp.example/authorize", "c", callback.split("?", maxsplit=1)[0]
        )


def test_private_use_scheme_callbacks_of_native_apps_still_parse() -> None:
    response = parse_authorize_callback_response("com.example.app:/oauth?code=c&state=s")
    assert response.is_successful and response.code == "c"


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> Mode:
    return Mode(request.param)


@pytest.mark.parametrize("token_type", ["mac", "N_A", "Basic", "", "DPoP"])
def test_login_refuses_a_token_type_that_is_not_bearer(mode: Mode, token_type: str) -> None:
    op = LoginOp()

    def reply() -> httpx.Response:
        body = op._token()
        data = body.json()
        data["token_type"] = token_type
        return httpx.Response(200, json=data)

    op.token_reply = reply
    _, result = mode.login(mode.client(op), op)
    assert not result.is_successful
    assert result.error_code in ("invalid_token_type", "missing_fields")
    assert result.access_token is None


def test_login_accepts_bearer_in_any_letter_case(mode: Mode) -> None:
    op = LoginOp()

    def reply() -> httpx.Response:
        data = op._token().json()
        data["token_type"] = "bearer"
        return httpx.Response(200, json=data)

    op.token_reply = reply
    _, result = mode.login(mode.client(op), op)
    assert result.is_successful, result.error_description


# ------------------------------------------------------------------ key rotation


def test_new_kid_right_after_a_normal_fetch_triggers_one_refetch(api: Any) -> None:
    # The cooldown used to count from the initial fetch: a provider publishing a key and
    # signing with it at once caused a key_not_found outage of up to 30 s.
    op = FakeOp([EC_KEY])
    config = op.config()  # the default 30 s cooldown
    op.validate(api, op.token(), config)
    op.serve_keys([EC_KEY, EC_KEY_2])
    assert op.validate(api, op.token(EC_KEY_2), config)["sub"] == "alice"
    assert op.jwks == 2


def test_key_rotated_under_the_same_kid_is_refetched(api: Any) -> None:
    op = FakeOp([EC_KEY])
    config = op.config()
    op.validate(api, op.token(), config)
    rotated = JsonWebKey.from_key(EC_KEY_2.to_private_key(), kid=EC_KEY.kid)
    op.serve_keys([rotated])
    assert op.validate(api, op.token(rotated), config)["sub"] == "alice"
    assert op.jwks == 2


# ------------------------------------------------------------------ HMAC ID tokens

SECRET = "client-secret-of-a-confidential-client-0123456789"


def test_validate_id_token_with_the_client_secret(api: Any) -> None:
    # OIDC Core §10.1: ID tokens MACed with the client secret (both independent providers
    # issue them); the algorithm comes from the client's registration, never the header.
    op = FakeOp([EC_KEY])
    claims = {"sub": "a", "aud": "app", "iss": op.authority, "iat": int(time.time())}
    claims["exp"] = claims["iat"] + 60
    key = JsonWebKey.from_key(SECRET.encode())
    token = sign_compact(claims, key, "HS256", headers={"kid": "ignored"})
    config = TokenValidationConfig(
        perform_disco=True, audience="app", algorithms=["HS256", "ES256"], client_secret=SECRET
    )
    assert api.validate_id_token(token, config, op.authority, op.client(api))["sub"] == "a"
    wrong = sign_compact(
        claims, JsonWebKey.from_key(b"another-secret-another-secret-0123"), "HS256"
    )
    with pytest.raises(TokenValidationException):
        api.validate_id_token(wrong, config, op.authority, op.client(api))
    hs512 = sign_compact(claims, JsonWebKey.from_key((SECRET * 2).encode()), "HS512")
    with pytest.raises(TokenValidationException):  # not the registered algorithm
        api.validate_id_token(hs512, config, op.authority, op.client(api))


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"id_token_algorithms": ["HS256"]}, "shared key"),
        ({"id_token_algorithms": ["HS256"], "client_secret": "short"}, "bytes"),
        ({"id_token_algorithms": ["HS256", "HS512"], "client_secret": SECRET * 2}, "exactly one"),
    ],
)
def test_an_hmac_option_that_can_never_work_fails_at_construction(
    options: dict[str, Any], match: str
) -> None:
    with pytest.raises(ConfigurationException, match=match):
        OidcClientOptions("https://op.example", "app", "https://app.example/cb", **options)


def test_oidc_client_logs_in_with_an_hs256_id_token(mode: Mode) -> None:
    op = LoginOp()
    op.signer = JsonWebKey.from_key(SECRET.encode())
    op.alg = "HS256"
    op.header = {}
    client = OidcClient(
        op.options(client_secret=SECRET, id_token_algorithms=["HS256"]),
        http_client=mode.http(op.handler),
    )
    _, result = mode.login(client, op)
    assert result.is_successful, (result.error, result.error_description)
    assert result.claims is not None and result.claims["at_hash"] == left_half_hash(
        op.access_token, "HS256"
    )


def test_unknown_kid_cannot_become_an_hmac_key(mode: Mode) -> None:
    op = LoginOp()
    op.signer = JsonWebKey.from_key(SECRET.encode())
    op.alg = "HS256"
    _, result = mode.login(mode.client(op), op)  # no client secret configured: refused
    assert not result.is_successful
    assert result.error_code == "invalid_id_token"
    assert asyncio.iscoroutinefunction(OidcClient.aprocess_response)
