"""UserInfo against the real provider, through both shells (``api``): plain JSON claims after
a login, a signed (``application/jwt``) answer for a client registered with
``userinfo_signed_response_alg``, an encrypted one (``userinfo_encrypted_response_alg``, the
client's key in ``jwks``), a broken token's 401 challenge, ``expected_sub``, and ``OidcClient``
logins that load UserInfo and merge its claims.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from py_identity_model import (
    AuthorizationCodeTokenRequest,
    JsonWebKey,
    JwtResponseValidation,
    UserInfoRequest,
    build_authorization_url,
    generate_pkce_pair,
)
from py_identity_model.login import LoginResult, OidcClient, OidcClientOptions
from tests.provider.fixture import RunningProvider, complete_login

REDIRECT = "http://127.0.0.1/callback"


def _login(
    api: Any, provider: RunningProvider, client_id: str, secret: str | None, login: str = "alice"
) -> Any:
    verifier, challenge = generate_pkce_pair()
    url = build_authorization_url(
        provider.authorization_endpoint,
        client_id,
        REDIRECT,
        "openid profile email",
        state="state-u",
        nonce="nonce-u",
        code_challenge=challenge,
        code_challenge_method="S256",
    )
    code = parse_qs(urlsplit(complete_login(url, login=login)).query)["code"][0]
    tokens = api.request_authorization_code_token(
        AuthorizationCodeTokenRequest(
            provider.token_endpoint, client_id, code, REDIRECT, verifier, secret
        )
    )
    assert tokens.is_successful, (tokens.error, tokens.error_description)
    return tokens


def _userinfo(provider: RunningProvider) -> str:
    return provider.endpoint("userinfo_endpoint")


def test_claims_after_a_login(api: Any, provider: RunningProvider) -> None:
    client = provider.client("client-basic")
    tokens = _login(api, provider, client.client_id, client.client_secret)
    response = api.get_userinfo(UserInfoRequest(_userinfo(provider), tokens.access_token, "alice"))
    assert response.is_successful, (response.error, response.error_description)
    expected = provider.account_claims("alice")
    assert response.claims["sub"] == "alice"
    assert response.claims["email"] == expected["email"]
    assert response.claims["name"] == expected["name"]
    assert response.signed is False and response.raw


def test_post_variant(api: Any, provider: RunningProvider) -> None:
    client = provider.client("client-basic")
    tokens = _login(api, provider, client.client_id, client.client_secret, login="bob")
    response = api.get_userinfo(
        UserInfoRequest(_userinfo(provider), tokens.access_token, "bob", method="POST")
    )
    assert response.is_successful, (response.error, response.error_description)
    assert response.sub == "bob"


def test_expected_sub_mismatch(api: Any, provider: RunningProvider) -> None:
    client = provider.client("client-basic")
    tokens = _login(api, provider, client.client_id, client.client_secret)
    response = api.get_userinfo(UserInfoRequest(_userinfo(provider), tokens.access_token, "bob"))
    assert response.is_successful is False
    assert response.error_code == "sub_mismatch"


def test_a_broken_token_is_the_challenges_invalid_token(
    api: Any, provider: RunningProvider
) -> None:
    response = api.get_userinfo(UserInfoRequest(_userinfo(provider), "not-a-real-token"))
    assert response.is_successful is False
    assert response.http_status == 401
    assert response.error_code == "invalid_token"
    assert response.error_description


def test_a_signed_answer_is_verified_with_the_providers_keys(
    api: Any, provider: RunningProvider
) -> None:
    registered = httpx.post(
        provider.endpoint("registration_endpoint"),
        json={
            "redirect_uris": [REDIRECT],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_basic",
            "userinfo_signed_response_alg": "ES256",
        },
        timeout=10,
    )
    assert registered.status_code == 201, registered.text
    client = registered.json()
    tokens = _login(api, provider, client["client_id"], client["client_secret"])
    validation = JwtResponseValidation(disco_doc_address=provider.issuer)
    request = UserInfoRequest(
        _userinfo(provider),
        tokens.access_token,
        "alice",
        client_id=client["client_id"],
        jwt_response=validation,
    )
    response = api.get_userinfo(request)
    assert response.is_successful, (response.error, response.error_description)
    assert response.signed is True
    assert response.claims["sub"] == "alice"
    assert response.raw.count(".") == 2
    # The same answer without verification settings is refused, never read unverified.
    unverified = api.get_userinfo(UserInfoRequest(_userinfo(provider), tokens.access_token))
    assert unverified.is_successful is False
    assert unverified.error_code == "invalid_jwt_response"
    # ... and verified as another client's (wrong audience) it fails too.
    other = api.get_userinfo(
        UserInfoRequest(
            _userinfo(provider),
            tokens.access_token,
            client_id="client-basic",
            jwt_response=validation,
        )
    )
    assert other.is_successful is False and other.error_code == "invalid_jwt_response"


def _register(provider: RunningProvider, **metadata: Any) -> dict[str, Any]:
    registered = httpx.post(
        provider.endpoint("registration_endpoint"),
        json={
            "redirect_uris": [REDIRECT],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_basic",
            **metadata,
        },
        timeout=10,
    )
    assert registered.status_code == 201, registered.text
    client: dict[str, Any] = registered.json()
    return client


def _encryption_key() -> JsonWebKey:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return JsonWebKey.from_key(
        rsa.generate_private_key(public_exponent=65537, key_size=2048), kid="rp-enc-1"
    )


def _encrypting_client(
    provider: RunningProvider, key: JsonWebKey, **metadata: Any
) -> dict[str, Any]:
    public = {**key.public_jwk().to_dict(), "use": "enc", "alg": "RSA-OAEP-256"}
    return _register(
        provider,
        userinfo_encrypted_response_alg="RSA-OAEP-256",
        userinfo_encrypted_response_enc="A256GCM",
        jwks={"keys": [public]},
        **metadata,
    )


def test_an_encrypted_answer_is_decrypted_then_verified(
    api: Any, provider: RunningProvider
) -> None:
    pytest.importorskip("joserfc")
    key = _encryption_key()
    client = _encrypting_client(provider, key, userinfo_signed_response_alg="RS256")
    tokens = _login(api, provider, client["client_id"], client["client_secret"])
    validation = JwtResponseValidation(disco_doc_address=provider.issuer, decryption_keys=[key])
    request = UserInfoRequest(
        _userinfo(provider),
        tokens.access_token,
        "alice",
        client_id=client["client_id"],
        jwt_response=validation,
    )
    response = api.get_userinfo(request)
    assert response.is_successful, (response.error, response.error_description)
    assert response.raw.count(".") == 4  # a JWE around the provider's JWS
    assert response.signed is True and response.claims["sub"] == "alice"
    assert response.claims["email"] == provider.account_claims("alice")["email"]
    # Without the client's private key the answer cannot be read: a failure, not an exception.
    blind = JwtResponseValidation(disco_doc_address=provider.issuer)
    refused = api.get_userinfo(
        UserInfoRequest(
            _userinfo(provider), tokens.access_token, client_id=client["client_id"],
            jwt_response=blind,
        )
    )  # fmt: skip
    assert refused.is_successful is False and refused.error_code == "invalid_jwt_response"


# ------------------------------------------------------------------ OidcClient + UserInfo


def _oidc_login(api: Any, client: OidcClient, login: str = "alice") -> LoginResult:
    if api.is_async:
        state = asyncio.run(client.aprepare_login())
        return asyncio.run(client.aprocess_response(complete_login(state.url, login=login), state))
    state = client.prepare_login()
    return client.process_response(complete_login(state.url, login=login), state)


def test_oidc_client_merges_user_info_claims(api: Any, provider: RunningProvider) -> None:
    secret = provider.client("client-basic").client_secret
    options = OidcClientOptions(
        provider.issuer, "client-basic", REDIRECT, "openid profile email", secret
    )
    result = _oidc_login(api, OidcClient(options))
    assert result.is_successful, (result.error_code, result.error, result.error_description)
    expected = provider.account_claims("alice")
    assert result.user_info is not None and result.user_info.sub == "alice"
    assert result.id_token_claims is not None and "email" not in result.id_token_claims
    assert result.claims is not None
    assert result.claims["email"] == expected["email"] and result.claims["name"] == expected["name"]
    assert result.claims["aud"] == "client-basic" and result.claims["iss"] == provider.issuer
    assert result.principal is not None
    email = result.principal.find_first("email")
    assert email is not None and email.value == expected["email"]


def test_oidc_client_without_user_info(api: Any, provider: RunningProvider) -> None:
    secret = provider.client("client-basic").client_secret
    options = OidcClientOptions(
        provider.issuer, "client-basic", REDIRECT, "openid profile email", secret,
        load_user_info=False,
    )  # fmt: skip
    result = _oidc_login(api, OidcClient(options), login="bob")
    assert result.is_successful, (result.error_code, result.error)
    assert result.user_info is None and result.claims == result.id_token_claims
    assert result.claims is not None and "email" not in result.claims


def test_oidc_client_verifies_a_signed_user_info_answer(
    api: Any, provider: RunningProvider
) -> None:
    client = _register(provider, userinfo_signed_response_alg="ES256")
    options = OidcClientOptions(
        provider.issuer, client["client_id"], REDIRECT, "openid profile email",
        client["client_secret"],
    )  # fmt: skip
    result = _oidc_login(api, OidcClient(options))
    assert result.is_successful, (result.error_code, result.error, result.error_description)
    assert result.user_info is not None and result.user_info.signed is True
    assert result.claims is not None
    assert result.claims["email"] == provider.account_claims("alice")["email"]
