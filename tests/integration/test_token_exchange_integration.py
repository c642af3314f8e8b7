"""Token exchange (RFC 8693) against the real provider, through both shells (``api``).

The provider's token-exchange grant (tests/provider/README.md) trades an end-user's access
token for another one: opaque without a target, a resource's JWT with ``resource=``, with an
``act`` claim when an actor token is given.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from py_identity_model import (
    AuthorizationCodeTokenRequest,
    ClientCredentialsTokenRequest,
    OidcConstants,
    TokenExchangeRequest,
    build_authorization_url,
    generate_pkce_pair,
)
from tests.provider.fixture import RunningProvider, complete_login

ACCESS = OidcConstants.TokenTypeIdentifiers.ACCESS_TOKEN.value


def _claims(jwt: str) -> dict[str, Any]:
    payload = jwt.split(".")[1]
    decoded: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return decoded


def _user_access_token(api: Any, provider: RunningProvider) -> str:
    client = provider.client("public-native")
    verifier, challenge = generate_pkce_pair()
    url = build_authorization_url(
        provider.authorization_endpoint,
        client.client_id,
        client.redirect_uri,
        "openid profile",
        state="state-x",
        nonce="nonce-x",
        code_challenge=challenge,
        code_challenge_method="S256",
    )
    code = parse_qs(urlsplit(complete_login(url, login="alice")).query)["code"][0]
    tokens = api.request_authorization_code_token(
        AuthorizationCodeTokenRequest(
            provider.token_endpoint, client.client_id, code, client.redirect_uri, verifier
        )
    )
    assert tokens.is_successful, tokens.error
    return str(tokens.access_token)


def _exchange(api: Any, provider: RunningProvider, subject: str, **extra: Any) -> Any:
    client = provider.client("client-basic")
    request = TokenExchangeRequest(
        provider.token_endpoint,
        client.client_id,
        subject,
        ACCESS,
        client_secret=client.client_secret,
        **extra,
    )
    return api.exchange_token(request)


def test_exchange_for_an_opaque_token_of_the_same_user(api: Any, provider: RunningProvider) -> None:
    response = _exchange(api, provider, _user_access_token(api, provider))
    assert response.is_successful, (response.error, response.error_description)
    assert response.issued_token_type == ACCESS
    assert response.token_type == "Bearer"
    assert response.access_token and response.access_token.count(".") == 0
    assert response.expires_at is not None


def test_exchange_for_a_resource_token_on_behalf_of_an_actor(
    api: Any, provider: RunningProvider
) -> None:
    actor_client = provider.client("client-post")
    actor = api.request_client_credentials_token(
        ClientCredentialsTokenRequest(
            provider.token_endpoint,
            actor_client.client_id,
            actor_client.client_secret,
            client_auth_method="client_secret_post",
        )
    )
    assert actor.is_successful, actor.error
    response = _exchange(
        api,
        provider,
        _user_access_token(api, provider),
        actor_token=actor.access_token,
        actor_token_type=ACCESS,
        resource="urn:test:api:es256",
        scope="api:read",
    )
    assert response.is_successful, (response.error, response.error_description)
    claims = _claims(response.access_token)
    assert claims["sub"] == "alice"
    assert claims["aud"] == "urn:test:api:es256"
    assert claims["scope"] == "api:read"
    assert claims["act"] == {"sub": "client-post"}


def test_an_unknown_subject_token_is_invalid_grant(api: Any, provider: RunningProvider) -> None:
    response = _exchange(api, provider, "not-a-token-this-provider-issued")
    assert response.is_successful is False
    assert response.error_code == "invalid_grant"
    assert response.issued_token_type is None
