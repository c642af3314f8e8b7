"""JARM against the real provider, through both shells (``api``).

The static client ``client-jarm`` (``authorization_signed_response_alg: RS256``) logs in with
every response mode oidc-provider's ``features.jwtResponseModes`` offers (``query.jwt``,
``fragment.jwt``, ``form_post.jwt``, ``jwt``); ``process_jarm_response`` verifies the
provider's JWT and its code is redeemed. Then: an error wrapped in the JWT, the wrong
client, a tampered response, static keys, a client registered for ES256, encrypted JARM
(a client registered with ``authorization_encrypted_response_alg`` and its key), and
``OidcClient`` logins with a JARM ``response_mode``.
"""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from py_identity_model import (
    AuthorizationCodeTokenRequest,
    JarmValidationException,
    JsonWebKey,
    build_authorization_url,
    generate_pkce_pair,
    validate_authorize_callback,
)
from py_identity_model.login import LoginResult, OidcClient, OidcClientOptions
from tests.provider.fixture import CALLBACK_URL, RunningProvider, complete_login

pytestmark = pytest.mark.integration

CLIENT = "client-jarm"
SECRET = "client-jarm-secret"
MODES = ["query.jwt", "fragment.jwt", "form_post.jwt", "jwt"]


def _authorize(
    provider: RunningProvider, client_id: str, response_mode: str, state: str = "jarm-state"
) -> tuple[str, str]:
    verifier, challenge = generate_pkce_pair()
    url = build_authorization_url(
        provider.authorization_endpoint,
        client_id,
        CALLBACK_URL,
        "openid",
        state=state,
        nonce="jarm-nonce",
        code_challenge=challenge,
        code_challenge_method="S256",
        response_mode=response_mode,
    )
    return url, verifier


def _redeem(api: Any, provider: RunningProvider, client_id: str, secret: str, code: str,
            verifier: str) -> Any:  # fmt: skip
    tokens = api.request_authorization_code_token(
        AuthorizationCodeTokenRequest(
            provider.token_endpoint, client_id, code, CALLBACK_URL, verifier, secret
        )
    )
    assert tokens.is_successful, (tokens.error_code, tokens.error, tokens.error_description)
    return tokens


@pytest.mark.parametrize("response_mode", MODES)
def test_every_mode_end_to_end(api: Any, provider: RunningProvider, response_mode: str) -> None:
    url, verifier = _authorize(provider, CLIENT, response_mode)
    callback = complete_login(url, login="alice")
    parts = urlsplit(callback)
    where = "fragment" if response_mode == "fragment.jwt" else "query"
    assert "response=" in getattr(parts, where) and "code=" not in callback
    response = api.process_jarm_response(callback, client_id=CLIENT, issuer=provider.issuer)
    assert response.is_successful, (response.error, response.error_description)
    assert response.issuer == provider.issuer and response.state == "jarm-state"
    assert response.values["aud"] == CLIENT
    validate_authorize_callback(
        response,
        expected_state="jarm-state",
        expected_issuer=provider.issuer,
        iss_parameter_supported=True,
    )
    assert response.code is not None
    tokens = _redeem(api, provider, CLIENT, SECRET, response.code, verifier)
    assert tokens.id_token


def test_form_post_jwt_as_a_form_body_and_as_fields(api: Any, provider: RunningProvider) -> None:
    url, verifier = _authorize(provider, CLIENT, "form_post.jwt")
    posted = urlsplit(complete_login(url)).query  # the auto-submitted form's fields
    as_body = api.process_jarm_response(
        posted.encode(), client_id=CLIENT, disco_doc_address=provider.issuer
    )
    as_fields = api.process_jarm_response(
        dict(parse_qsl(posted)), client_id=CLIENT, disco_doc_address=provider.issuer
    )
    assert as_body.code == as_fields.code is not None
    _redeem(api, provider, CLIENT, SECRET, as_body.code, verifier)


@pytest.mark.parametrize("response_mode", ["query.jwt", "form_post.jwt"])
def test_an_error_is_wrapped_in_the_jwt(
    api: Any, provider: RunningProvider, response_mode: str
) -> None:
    url, _ = _authorize(provider, CLIENT, response_mode, state="denied-state")
    callback = complete_login(url, consent=False)
    assert "error=" not in callback
    response = api.process_jarm_response(callback, client_id=CLIENT, issuer=provider.issuer)
    assert response.is_successful is False
    assert response.error == "access_denied"
    assert response.state == "denied-state" and response.issuer == provider.issuer


def test_another_client_and_a_tampered_response_are_refused(
    api: Any, provider: RunningProvider
) -> None:
    url, _ = _authorize(provider, CLIENT, "query.jwt")
    callback = complete_login(url)
    with pytest.raises(JarmValidationException) as wrong_client:
        api.process_jarm_response(callback, client_id="client-basic", issuer=provider.issuer)
    assert wrong_client.value.details["reason"] == "invalid_audience"
    token = dict(parse_qsl(urlsplit(callback).query))["response"]
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["state"] = "forged"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(JarmValidationException) as tampered:
        api.process_jarm_response(
            f"{header}.{forged}.{signature}", client_id=CLIENT, issuer=provider.issuer, is_jwt=True
        )
    assert tampered.value.details["reason"] == "invalid_signature"
    with pytest.raises(JarmValidationException) as wrong_issuer:
        api.process_jarm_response(
            callback, client_id=CLIENT, disco_doc_address=provider.issuer,
            issuer="http://127.0.0.1:1/other",
        )  # fmt: skip
    assert wrong_issuer.value.details["reason"] == "invalid_issuer"


def test_static_keys(api: Any, provider: RunningProvider) -> None:
    url, _ = _authorize(provider, CLIENT, "fragment.jwt")
    callback = complete_login(url)
    jwks = httpx.get(provider.jwks_uri, timeout=10).json()
    response = api.process_jarm_response(
        callback, client_id=CLIENT, issuer=provider.issuer, jwks=jwks, algorithms=["RS256"]
    )
    assert response.code and response.state == "jarm-state"


def _register(provider: RunningProvider, **metadata: Any) -> dict[str, Any]:
    registered = httpx.post(
        provider.endpoint("registration_endpoint"),
        json={
            "redirect_uris": [CALLBACK_URL],
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


def test_the_registered_algorithm(api: Any, provider: RunningProvider) -> None:
    client = _register(provider, authorization_signed_response_alg="ES256")
    url, verifier = _authorize(provider, client["client_id"], "query.jwt")
    callback = complete_login(url)
    with pytest.raises(JarmValidationException) as caught:
        api.process_jarm_response(
            callback, client_id=client["client_id"], issuer=provider.issuer, algorithms=["RS256"]
        )
    assert caught.value.details["reason"] == "invalid_algorithm"
    response = api.process_jarm_response(
        callback, client_id=client["client_id"], issuer=provider.issuer, algorithms=["ES256"]
    )
    _redeem(api, provider, client["client_id"], client["client_secret"], response.code, verifier)


def _encryption_key() -> JsonWebKey:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return JsonWebKey.from_key(
        rsa.generate_private_key(public_exponent=65537, key_size=2048), kid="rp-jarm-enc"
    )


def _encrypting_client(provider: RunningProvider, key: JsonWebKey) -> dict[str, Any]:
    public = {**key.public_jwk().to_dict(), "use": "enc", "alg": "RSA-OAEP-256"}
    return _register(
        provider,
        authorization_signed_response_alg="RS256",
        authorization_encrypted_response_alg="RSA-OAEP-256",
        authorization_encrypted_response_enc="A256GCM",
        jwks={"keys": [public]},
    )


def test_encrypted_jarm(api: Any, provider: RunningProvider) -> None:
    pytest.importorskip("joserfc")
    key = _encryption_key()
    client = _encrypting_client(provider, key)
    url, verifier = _authorize(provider, client["client_id"], "query.jwt")
    callback = complete_login(url)
    token = dict(parse_qsl(urlsplit(callback).query))["response"]
    assert token.count(".") == 4  # a JWE around the provider's JWS
    with pytest.raises(JarmValidationException) as blind:
        api.process_jarm_response(callback, client_id=client["client_id"], issuer=provider.issuer)
    assert blind.value.details["reason"] == "decryption_keys_required"
    with pytest.raises(JarmValidationException) as wrong_key:
        api.process_jarm_response(
            callback, client_id=client["client_id"], issuer=provider.issuer,
            decryption_keys=[_encryption_key()],
        )  # fmt: skip
    assert wrong_key.value.details["reason"] in ("decryption_failed", "key_not_found")
    response = api.process_jarm_response(
        callback, client_id=client["client_id"], issuer=provider.issuer, decryption_keys=[key]
    )
    assert response.state == "jarm-state" and response.issuer == provider.issuer
    _redeem(api, provider, client["client_id"], client["client_secret"], response.code, verifier)


# ------------------------------------------------------------------ OidcClient


def _oidc_login(api: Any, client: OidcClient, *, consent: bool = True) -> LoginResult:
    if api.is_async:
        state = asyncio.run(client.aprepare_login())
        callback = complete_login(state.url, consent=consent)
        return asyncio.run(client.aprocess_response(callback, state))
    state = client.prepare_login()
    return client.process_response(complete_login(state.url, consent=consent), state)


@pytest.mark.parametrize("response_mode", MODES)
def test_oidc_client_with_jarm(api: Any, provider: RunningProvider, response_mode: str) -> None:
    options = OidcClientOptions(
        provider.issuer, CLIENT, CALLBACK_URL, "openid", SECRET,
        response_mode=response_mode, authorization_signed_response_alg="RS256",
    )  # fmt: skip
    result = _oidc_login(api, OidcClient(options))
    assert result.is_successful, (result.error_code, result.error, result.error_description)
    assert result.claims is not None and result.claims["sub"] == "alice"
    assert result.access_token


def test_oidc_client_jarm_error_and_wrong_algorithm(api: Any, provider: RunningProvider) -> None:
    options = OidcClientOptions(
        provider.issuer, CLIENT, CALLBACK_URL, "openid", SECRET, response_mode="jwt"
    )
    denied = _oidc_login(api, OidcClient(options), consent=False)
    assert denied.is_successful is False and denied.error_code == "access_denied"
    strict = OidcClientOptions(
        provider.issuer, CLIENT, CALLBACK_URL, "openid", SECRET,
        response_mode="query.jwt", authorization_signed_response_alg="ES256",
    )  # fmt: skip
    refused = _oidc_login(api, OidcClient(strict))
    assert refused.is_successful is False and refused.error_code == "invalid_jarm_response"


def test_oidc_client_with_encrypted_jarm(api: Any, provider: RunningProvider) -> None:
    pytest.importorskip("joserfc")
    key = _encryption_key()
    client = _encrypting_client(provider, key)
    options = OidcClientOptions(
        provider.issuer, client["client_id"], CALLBACK_URL, "openid", client["client_secret"],
        response_mode="form_post.jwt", jarm_decryption_keys=[key],
    )  # fmt: skip
    result = _oidc_login(api, OidcClient(options))
    assert result.is_successful, (result.error_code, result.error, result.error_description)
    assert result.claims is not None and result.claims["sub"] == "alice"
