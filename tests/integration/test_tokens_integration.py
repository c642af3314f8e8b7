"""Token endpoint against the real provider, through both shells (``api``).

Client credentials with every client authentication method (including RFC 6749 §2.3.1
Basic encoding of a secret full of reserved characters), RFC 8707 JWT access tokens that
``validate_token`` accepts, OAuth errors, authorization code + PKCE for a public client
(one-time codes, verifier binding) and refresh-token rotation.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from py_identity_model import (
    AuthorizationCodeTokenRequest,
    ClientCredentialsTokenRequest,
    ErrorType,
    PrivateKeyJwt,
    RefreshTokenRequest,
    TokenValidationConfig,
)
from py_identity_model.jose import parse_compact
from tests.provider.fixture import RunningProvider, complete_login

try:  # the front-channel helpers, once they exist; the tests do not depend on them
    from py_identity_model.frontchannel import build_authorization_url, generate_pkce_pair
except ImportError:  # pragma: no cover - fallback while the module is missing
    build_authorization_url = None  # type: ignore[assignment]
    generate_pkce_pair = None  # type: ignore[assignment]

PUBLIC_CLIENT = "public-native"
JWT_RESOURCE = "urn:test:api:rs256"


def _pkce() -> tuple[str, str]:
    if generate_pkce_pair is not None:
        return generate_pkce_pair()
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _authorize_url(provider: RunningProvider, challenge: str, **extra: str) -> str:
    client = provider.client(PUBLIC_CLIENT)
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    scope = extra.pop("scope", "openid")
    if build_authorization_url is not None:
        return build_authorization_url(
            provider.authorization_endpoint,
            client.client_id,
            client.redirect_uri,
            scope,
            "code",
            state,
            nonce,
            challenge,
            "S256",
            **extra,
        )
    query = {
        "client_id": client.client_id,
        "redirect_uri": client.redirect_uri,
        "scope": scope,
        "response_type": "code",
        "state": state,
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }
    return f"{provider.authorization_endpoint}?{urlencode(query)}"


def _login_for_code(provider: RunningProvider, **extra: str) -> tuple[str, str]:
    """Run the login for the public client; return (code, code_verifier)."""
    verifier, challenge = _pkce()
    redirect = complete_login(_authorize_url(provider, challenge, **extra))
    query = parse_qs(urlsplit(redirect).query)
    assert "code" in query, redirect
    assert query["iss"] == [provider.issuer]
    return query["code"][0], verifier


def _code_request(provider: RunningProvider, code: str, verifier: str) -> Any:
    client = provider.client(PUBLIC_CLIENT)
    return AuthorizationCodeTokenRequest(
        provider.token_endpoint, client.client_id, code, client.redirect_uri, verifier
    )


def _assert_protocol_error(response: Any, error: str, status: int | None = None) -> None:
    assert response.is_successful is False
    assert response.error == error, (response.error, response.error_description)
    assert response.error_type is ErrorType.PROTOCOL
    if status is not None:
        assert response.http_status == status


# --------------------------------------------------------------- client credentials


def _cc_request(
    provider: RunningProvider, case: str, **extra: Any
) -> ClientCredentialsTokenRequest:
    endpoint = provider.token_endpoint
    if case.startswith("pkjwt-"):
        kty, alg = case.removeprefix("pkjwt-").split("-")
        client = provider.client("client-pkjwt")
        audience = provider.issuer if alg == "ES256" else None  # both audiences are accepted
        pkjwt = PrivateKeyJwt(client.private_jwk(kty), alg, audience=audience)
        return ClientCredentialsTokenRequest(
            endpoint, client.client_id, private_key_jwt=pkjwt, **extra
        )
    client_id, method = {
        "basic": ("client-basic", None),
        "post": ("client-post", "client_secret_post"),
        "jwt": ("client-jwt", "client_secret_jwt"),
        "weird-secret": ("client-weird-secret", None),
    }[case]
    client = provider.client(client_id)
    return ClientCredentialsTokenRequest(
        endpoint, client.client_id, client.client_secret, client_auth_method=method, **extra
    )


CC_CASES = [
    "basic",
    "post",
    "jwt",
    "pkjwt-RSA-PS256",
    "pkjwt-EC-ES256",
    "pkjwt-OKP-EdDSA",
    "weird-secret",
]


@pytest.mark.parametrize("case", CC_CASES)
def test_client_credentials_each_auth_method(
    api: Any, provider: RunningProvider, case: str
) -> None:
    response = api.request_client_credentials_token(_cc_request(provider, case))
    assert response.is_successful, (response.error, response.error_description)
    assert response.access_token
    assert response.token_type == "Bearer"
    assert response.expires_in == 3600
    assert response.expires_at is not None
    assert response.http_status == 200
    assert response.token["access_token"] == response.access_token


@pytest.mark.parametrize("case", ["basic", "pkjwt-EC-ES256"])
def test_resource_gives_validated_jwt_access_token(
    api: Any, provider: RunningProvider, case: str
) -> None:
    request = _cc_request(provider, case, scope="api:read", resource=JWT_RESOURCE)
    response = api.request_client_credentials_token(request)
    assert response.is_successful, (response.error, response.error_description)
    assert response.scope == "api:read"
    config = TokenValidationConfig(perform_disco=True, audience=JWT_RESOURCE)
    claims = api.validate_token(response.access_token, config, provider.issuer)
    assert claims["aud"] == JWT_RESOURCE
    assert claims["iss"] == provider.issuer
    assert claims["client_id"] == request.client_id
    assert claims["scope"] == "api:read"


def test_wrong_secret_is_invalid_client(api: Any, provider: RunningProvider) -> None:
    request = ClientCredentialsTokenRequest(provider.token_endpoint, "client-basic", "wrong")
    response = api.request_client_credentials_token(request)
    _assert_protocol_error(response, "invalid_client", 401)


def test_private_key_jwt_with_unregistered_key_is_invalid_client(
    api: Any, provider: RunningProvider
) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    from py_identity_model import JsonWebKey

    stranger = JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()), kid="client-ec-1")
    request = ClientCredentialsTokenRequest(
        provider.token_endpoint, "client-pkjwt", private_key_jwt=PrivateKeyJwt(stranger, "ES256")
    )
    _assert_protocol_error(api.request_client_credentials_token(request), "invalid_client", 401)


def test_unknown_resource_is_invalid_target(api: Any, provider: RunningProvider) -> None:
    request = _cc_request(provider, "basic", resource="urn:test:unknown")
    _assert_protocol_error(api.request_client_credentials_token(request), "invalid_target", 400)


def test_bogus_code_is_invalid_grant(api: Any, provider: RunningProvider) -> None:
    client = provider.client("client-basic")
    request = AuthorizationCodeTokenRequest(
        provider.token_endpoint,
        client.client_id,
        "bogus-code",
        client.redirect_uri,
        client_secret=client.client_secret,
    )
    _assert_protocol_error(api.request_authorization_code_token(request), "invalid_grant", 400)


# ------------------------------------------------------- authorization code + PKCE


def test_authorization_code_with_pkce(api: Any, provider: RunningProvider) -> None:
    code, verifier = _login_for_code(provider, scope="openid profile")
    response = api.request_authorization_code_token(_code_request(provider, code, verifier))
    assert response.is_successful, (response.error, response.error_description)
    assert response.access_token
    assert response.token_type == "Bearer"
    assert response.id_token
    assert response.refresh_token is None  # no offline_access asked
    assert set(response.scope.split()) == {"openid", "profile"}
    claims = parse_compact(response.id_token).claims or {}
    assert claims["aud"] == PUBLIC_CLIENT
    assert claims["iss"] == provider.issuer
    assert claims["sub"] == "alice"


def test_code_is_one_time(api: Any, provider: RunningProvider) -> None:
    code, verifier = _login_for_code(provider)
    request = _code_request(provider, code, verifier)
    first = api.request_authorization_code_token(request)
    assert first.is_successful, (first.error, first.error_description)
    second = api.request_authorization_code_token(request)
    _assert_protocol_error(second, "invalid_grant", 400)


def test_wrong_code_verifier_is_invalid_grant(api: Any, provider: RunningProvider) -> None:
    code, verifier = _login_for_code(provider)
    wrong = _pkce()[0]
    assert wrong != verifier
    response = api.request_authorization_code_token(_code_request(provider, code, wrong))
    _assert_protocol_error(response, "invalid_grant", 400)


def test_missing_code_verifier_is_refused(api: Any, provider: RunningProvider) -> None:
    code, _ = _login_for_code(provider)
    response = api.request_authorization_code_token(_code_request(provider, code, None))  # type: ignore[arg-type]
    assert response.is_successful is False
    assert response.error in ("invalid_grant", "invalid_request")


# ----------------------------------------------------------- refresh with rotation


def test_refresh_token_rotation(api: Any, provider: RunningProvider) -> None:
    code, verifier = _login_for_code(provider, scope="openid offline_access", prompt="consent")
    tokens = api.request_authorization_code_token(_code_request(provider, code, verifier))
    assert tokens.is_successful, (tokens.error, tokens.error_description)
    old = tokens.refresh_token
    assert old

    refreshed = api.refresh_token(RefreshTokenRequest(provider.token_endpoint, PUBLIC_CLIENT, old))
    assert refreshed.is_successful, (refreshed.error, refreshed.error_description)
    assert refreshed.access_token and refreshed.access_token != tokens.access_token
    assert refreshed.refresh_token and refreshed.refresh_token != old
    assert refreshed.token_type == "Bearer"

    reused = api.refresh_token(RefreshTokenRequest(provider.token_endpoint, PUBLIC_CLIENT, old))
    _assert_protocol_error(reused, "invalid_grant", 400)


def test_refresh_with_scope_narrowing(api: Any, provider: RunningProvider) -> None:
    code, verifier = _login_for_code(
        provider, scope="openid offline_access profile", prompt="consent"
    )
    tokens = api.request_authorization_code_token(_code_request(provider, code, verifier))
    assert tokens.is_successful, (tokens.error, tokens.error_description)
    request = RefreshTokenRequest(
        provider.token_endpoint, PUBLIC_CLIENT, tokens.refresh_token, "openid offline_access"
    )
    refreshed = api.refresh_token(request)
    assert refreshed.is_successful, (refreshed.error, refreshed.error_description)
    assert "profile" not in (refreshed.scope or "").split()
