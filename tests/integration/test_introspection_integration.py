"""Introspection (RFC 7662, JWT responses RFC 9701) and revocation (RFC 7009) against the
real provider, through both shells (``api``).

Opaque access tokens come from client credentials with the ``urn:test:api:opaque`` resource,
or from a user login (``complete_login``) that also gives a refresh token. The provider
cannot introspect or revoke JWT access tokens (``unsupported_token_type``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from py_identity_model import (
    AuthorizationCodeTokenRequest,
    ClientCredentialsTokenRequest,
    ErrorType,
    JwtResponseValidation,
    PrivateKeyJwt,
    TokenIntrospectionRequest,
    TokenRevocationRequest,
    build_authorization_url,
    generate_pkce_pair,
)
from tests.provider.fixture import RunningProvider, complete_login

OPAQUE = "urn:test:api:opaque"
JWT_RESOURCE = "urn:test:api:rs256"
PUBLIC_CLIENT = "public-native"


def _introspection(provider: RunningProvider) -> str:
    return provider.endpoint("introspection_endpoint")


def _revocation(provider: RunningProvider) -> str:
    return provider.endpoint("revocation_endpoint")


def _credentials(provider: RunningProvider, case: str) -> dict[str, Any]:
    """The 4.x credential fields of one of the provider's confidential clients."""
    if case == "private_key_jwt":
        client = provider.client("client-pkjwt")
        return {
            "client_id": client.client_id,
            "private_key_jwt": PrivateKeyJwt(client.private_jwk("EC"), "ES256"),
        }
    client_id, method = {
        "client_secret_basic": ("client-basic", None),
        "client_secret_post": ("client-post", "client_secret_post"),
        "client_secret_jwt": ("client-jwt", "client_secret_jwt"),
    }[case]
    client = provider.client(client_id)
    return {
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "client_auth_method": method,
    }


def _opaque_token(api: Any, provider: RunningProvider, auth: str = "client_secret_basic") -> str:
    """An opaque client-credentials access token of the client that ``auth`` names."""
    credentials = _credentials(provider, auth)
    client_id = credentials.pop("client_id")
    request = ClientCredentialsTokenRequest(
        provider.token_endpoint, client_id, scope="api:read", resource=OPAQUE, **credentials
    )
    response = api.request_client_credentials_token(request)
    assert response.is_successful, (response.error, response.error_description)
    assert response.access_token.count(".") == 0  # opaque
    return str(response.access_token)


def _introspect(api: Any, provider: RunningProvider, token: str, **extra: Any) -> Any:
    credentials = _credentials(provider, extra.pop("auth", "client_secret_basic"))
    client_id = credentials.pop("client_id")
    request = TokenIntrospectionRequest(
        _introspection(provider), token, client_id, **credentials, **extra
    )
    return api.introspect_token(request)


def _revoke(api: Any, provider: RunningProvider, token: str, **extra: Any) -> Any:
    credentials = _credentials(provider, extra.pop("auth", "client_secret_basic"))
    client_id = credentials.pop("client_id")
    request = TokenRevocationRequest(
        _revocation(provider), token, client_id, **credentials, **extra
    )
    return api.revoke_token(request)


def _user_tokens(api: Any, provider: RunningProvider, login: str = "alice") -> Any:
    """A user login with offline_access: an opaque access token and a refresh token."""
    client = provider.client(PUBLIC_CLIENT)
    verifier, challenge = generate_pkce_pair()
    url = build_authorization_url(
        provider.authorization_endpoint,
        client.client_id,
        client.redirect_uri,
        "openid offline_access",
        "code",
        "state-123",
        "nonce-123",
        challenge,
        "S256",
        prompt="consent",
    )
    redirect = complete_login(url, login=login)
    code = parse_qs(urlsplit(redirect).query)["code"][0]
    tokens = api.request_authorization_code_token(
        AuthorizationCodeTokenRequest(
            provider.token_endpoint, client.client_id, code, client.redirect_uri, verifier
        )
    )
    assert tokens.is_successful, (tokens.error, tokens.error_description)
    assert tokens.refresh_token
    return tokens


# --------------------------------------------------------------------------- introspection


@pytest.mark.parametrize(
    "auth", ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt"]
)
def test_introspect_opaque_token_with_each_auth_method(
    api: Any, provider: RunningProvider, auth: str
) -> None:
    token = _opaque_token(api, provider)
    response = _introspect(api, provider, token, auth=auth, token_type_hint="access_token")
    assert response.is_successful, (response.error_code, response.error)
    assert response.claims["active"] is True
    assert response.active is True
    assert response.client_id == "client-basic"
    assert response.scope == "api:read"
    assert response.scopes == ("api:read",)
    assert response.aud == OPAQUE
    assert response.iss == provider.issuer
    assert response.token_type == "Bearer"
    assert response.exp is not None and response.iat is not None
    assert response.exp - response.iat == 3600
    assert response.http_status == 200


def test_unknown_token_is_inactive(api: Any, provider: RunningProvider) -> None:
    response = _introspect(api, provider, "not-a-token-this-provider-issued")
    assert response.is_successful, response.error
    assert response.claims == {"active": False}
    assert response.active is False
    assert response.sub is None


def test_introspect_user_access_and_refresh_tokens(api: Any, provider: RunningProvider) -> None:
    tokens = _user_tokens(api, provider, login="carol")
    access = _introspect(api, provider, tokens.access_token, token_type_hint="access_token")
    assert access.is_successful, access.error
    assert access.active is True
    assert access.sub == "carol"
    assert access.client_id == PUBLIC_CLIENT
    assert "openid" in access.scopes

    refresh = _introspect(api, provider, tokens.refresh_token, token_type_hint="refresh_token")
    assert refresh.is_successful, refresh.error
    assert refresh.active is True
    assert refresh.sub == "carol"
    assert refresh.client_id == PUBLIC_CLIENT
    assert "offline_access" in refresh.scopes


def test_jwt_introspection_response_verified_with_the_providers_keys(
    api: Any, provider: RunningProvider
) -> None:
    token = _opaque_token(api, provider)
    keys = JwtResponseValidation(disco_doc_address=provider.discovery_url)
    response = _introspect(api, provider, token, jwt_response=keys)
    assert response.is_successful, (response.error_code, response.error)
    assert response.active is True
    assert response.client_id == "client-basic"
    assert response.aud == OPAQUE
    assert response.jwt_claims is not None
    assert response.jwt_claims["iss"] == provider.issuer
    assert response.jwt_claims["aud"] == "client-basic"
    assert isinstance(response.jwt_claims["iat"], int)
    assert response.raw is not None and response.raw.count(".") == 2


def test_jwt_introspection_of_an_unknown_token(api: Any, provider: RunningProvider) -> None:
    keys = JwtResponseValidation(disco_doc_address=provider.discovery_url)
    response = _introspect(
        api, provider, "unknown-token", jwt_response=keys, auth="private_key_jwt"
    )
    assert response.is_successful, (response.error_code, response.error)
    assert response.claims == {"active": False}
    assert response.jwt_claims["aud"] == "client-pkjwt"


def test_jwt_response_with_keys_of_another_issuer_is_rejected(
    api: Any, provider: RunningProvider
) -> None:
    # The provider's real answer, checked against a key it does not sign with.
    from cryptography.hazmat.primitives.asymmetric import ec

    from py_identity_model import JsonWebKey

    stranger = JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1())).public_jwk()
    keys = JwtResponseValidation(key=stranger.to_dict(), issuer=provider.issuer)
    response = _introspect(api, provider, _opaque_token(api, provider), jwt_response=keys)
    assert response.is_successful is False
    assert response.error_code == "invalid_jwt_response"
    assert response.active is False


def _encrypting_client(provider: RunningProvider, key: Any) -> dict[str, Any]:
    """A client registered with an encryption key: its introspection answers are JWEs."""
    import httpx

    public = {**key.public_jwk().to_dict(), "use": "enc", "alg": "RSA-OAEP-256"}
    registered = httpx.post(
        provider.endpoint("registration_endpoint"),
        json={
            "redirect_uris": ["http://127.0.0.1/callback"],
            "grant_types": ["client_credentials"],
            "response_types": [],
            "token_endpoint_auth_method": "client_secret_basic",
            "introspection_signed_response_alg": "RS256",
            "introspection_encrypted_response_alg": "RSA-OAEP-256",
            "introspection_encrypted_response_enc": "A256GCM",
            "jwks": {"keys": [public]},
        },
        timeout=10,
    )
    assert registered.status_code == 201, registered.text
    client: dict[str, Any] = registered.json()
    return client


def test_encrypted_jwt_introspection_response_is_decrypted_then_verified(
    api: Any, provider: RunningProvider
) -> None:
    pytest.importorskip("joserfc")
    from cryptography.hazmat.primitives.asymmetric import rsa

    from py_identity_model import JsonWebKey

    key = JsonWebKey.from_key(
        rsa.generate_private_key(public_exponent=65537, key_size=2048), kid="rp-enc-1"
    )
    client = _encrypting_client(provider, key)
    client_id, secret = client["client_id"], client["client_secret"]
    token = api.request_client_credentials_token(
        ClientCredentialsTokenRequest(
            provider.token_endpoint, client_id, secret, scope="api:read", resource=OPAQUE
        )
    )
    assert token.is_successful, (token.error, token.error_description)
    endpoint = _introspection(provider)
    keys = JwtResponseValidation(disco_doc_address=provider.discovery_url, decryption_keys=[key])
    response = api.introspect_token(
        TokenIntrospectionRequest(
            endpoint, token.access_token, client_id, client_secret=secret, jwt_response=keys
        )
    )
    assert response.is_successful, (response.error_code, response.error)
    assert response.raw is not None and response.raw.count(".") == 4  # JWE around the JWS
    assert response.active is True and response.client_id == client_id
    assert response.scope == "api:read" and response.aud == OPAQUE
    assert response.jwt_claims is not None and response.jwt_claims["aud"] == client_id
    # Without the client's private key the answer cannot be read: a failure, not an exception.
    blind = JwtResponseValidation(disco_doc_address=provider.discovery_url)
    refused = api.introspect_token(
        TokenIntrospectionRequest(
            endpoint, token.access_token, client_id, client_secret=secret, jwt_response=blind
        )
    )
    assert refused.is_successful is False and refused.error_code == "invalid_jwt_response"
    assert refused.active is False


def test_jwt_access_token_cannot_be_introspected(api: Any, provider: RunningProvider) -> None:
    client = provider.client("client-basic")
    jwt = api.request_client_credentials_token(
        ClientCredentialsTokenRequest(
            provider.token_endpoint, client.client_id, client.client_secret, resource=JWT_RESOURCE
        )
    ).access_token
    response = _introspect(api, provider, jwt)
    assert response.is_successful is False
    assert response.error == "unsupported_token_type"
    assert response.error_code == "unsupported_token_type"
    assert response.error_type is ErrorType.PROTOCOL


def test_wrong_secret_is_invalid_client(api: Any, provider: RunningProvider) -> None:
    request = TokenIntrospectionRequest(
        _introspection(provider), "whatever", "client-basic", client_secret="wrong"
    )
    response = api.introspect_token(request)
    assert response.is_successful is False
    assert response.error_code == "invalid_client"
    assert response.http_status == 401


# ------------------------------------------------------------------------------ revocation


@pytest.mark.parametrize(
    "auth", ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt"]
)
def test_revoked_access_token_is_inactive(api: Any, provider: RunningProvider, auth: str) -> None:
    token = _opaque_token(api, provider, auth)  # a client revokes its own tokens
    assert _introspect(api, provider, token).active is True
    revoked = _revoke(api, provider, token, auth=auth, token_type_hint="access_token")
    assert revoked.is_successful, (revoked.error_code, revoked.error)
    assert revoked.error is None
    assert revoked.http_status == 200
    after = _introspect(api, provider, token)
    assert after.is_successful, after.error
    assert after.active is False
    assert after.claims["active"] is False


def test_revoked_refresh_token_revokes_the_grant(api: Any, provider: RunningProvider) -> None:
    tokens = _user_tokens(api, provider)
    request = TokenRevocationRequest(
        _revocation(provider), tokens.refresh_token, PUBLIC_CLIENT, "refresh_token"
    )  # a public client revokes its own token with its client_id only
    revoked = api.revoke_token(request)
    assert revoked.is_successful, (revoked.error_code, revoked.error)
    refresh = _introspect(api, provider, tokens.refresh_token)
    access = _introspect(api, provider, tokens.access_token)
    assert refresh.is_successful and access.is_successful
    assert refresh.active is False
    assert access.active is False  # the whole grant is gone


def test_revoking_twice_and_unknown_tokens_succeed(api: Any, provider: RunningProvider) -> None:
    token = _opaque_token(api, provider)
    assert _revoke(api, provider, token).is_successful
    assert _revoke(api, provider, token).is_successful
    assert _revoke(api, provider, "never-issued", token_type_hint="refresh_token").is_successful


def test_revoking_a_jwt_access_token_is_unsupported_token_type(
    api: Any, provider: RunningProvider
) -> None:
    client = provider.client("client-basic")
    jwt = api.request_client_credentials_token(
        ClientCredentialsTokenRequest(
            provider.token_endpoint, client.client_id, client.client_secret, resource=JWT_RESOURCE
        )
    ).access_token
    response = _revoke(api, provider, jwt, token_type_hint="access_token")
    assert response.is_successful is False
    assert response.error == "unsupported_token_type"
    assert response.error_code == "unsupported_token_type"
    assert response.error_type is ErrorType.PROTOCOL
    assert response.http_status == 400


def test_revocation_with_a_wrong_secret_is_invalid_client(
    api: Any, provider: RunningProvider
) -> None:
    request = TokenRevocationRequest(
        _revocation(provider), "whatever", "client-basic", client_secret="wrong"
    )
    response = api.revoke_token(request)
    assert response.is_successful is False
    assert response.error_code == "invalid_client"
    assert response.http_status == 401
