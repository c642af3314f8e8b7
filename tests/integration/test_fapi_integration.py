"""FAPI 2.0 (Security Profile and Message Signing) end to end against the real provider, whose
``client-fapi`` and ``client-fapi-ms`` clients run under oidc-provider's FAPI 2.0 profile
(PKCE required, client assertions with ``aud`` = issuer, request objects with ``nbf``/``exp``)
and are registered for PAR, DPoP-bound tokens and PS256 signatures; ``client-fapi-ms`` also
requires signed request objects and signs authorization (JARM) and introspection answers.

Every login runs through both shells (``api``). The negative tests show the library's policy
refusing, before anything is sent, what the provider would refuse after.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from py_identity_model import (
    AuthorizeRequest,
    Client,
    ClientSecretBasic,
    DPoPKey,
    FapiPolicy,
    FapiProfile,
    FapiViolationError,
    JsonWebToken,
    JwtResponseValidation,
    PrivateKeyJwt,
    PushedAuthorizationRequest,
    TokenIntrospectionRequest,
    generate_pkce_pair,
)
from py_identity_model.login import LoginResult, OidcClient, OidcClientOptions
from tests.provider.fixture import CALLBACK_URL, RunningProvider, complete_login

SP = FapiPolicy()
MS = FapiPolicy(FapiProfile.MESSAGE_SIGNING)


def _assertion(provider: RunningProvider, client_id: str, **kw: Any) -> PrivateKeyJwt:
    kw.setdefault("audience", provider.issuer)  # FAPI 2.0 SP §5.3.2.1
    return PrivateKeyJwt(provider.client(client_id).private_jwk("EC"), "ES256", **kw)


def _options(provider: RunningProvider, client_id: str, **kw: Any) -> OidcClientOptions:
    kw.setdefault("private_key_jwt", _assertion(provider, client_id))
    kw.setdefault("dpop_key", DPoPKey())
    kw.setdefault("fapi", SP)
    return OidcClientOptions(provider.issuer, client_id, CALLBACK_URL, "openid profile", **kw)


def _login(api: Any, client: OidcClient) -> tuple[LoginResult, Any]:
    if api.is_async:
        state = asyncio.run(client.aprepare_login())
        callback = complete_login(state.url)
        return asyncio.run(client.aprocess_response(callback, state)), state
    state = client.prepare_login()
    return client.process_response(complete_login(state.url), state), state


# ------------------------------------------------------------------ Security Profile


def test_security_profile_login(api: Any, provider: RunningProvider) -> None:
    options = _options(provider, "client-fapi")
    result, state = _login(api, OidcClient(options))
    assert result.is_successful, (result.error_code, result.error, result.error_description)
    # The browser saw only client_id and request_uri (SP §5.3.2.2): the rest was pushed.
    assert set(dict(parse_qsl(urlsplit(state.url).query))) == {"client_id", "request_uri"}
    tokens = result.token_response
    assert tokens is not None and tokens.token_type == "DPoP"  # sender-constrained
    assert result.id_token is not None
    assert JsonWebToken.decode_unverified(result.id_token).header["alg"] == "PS256"
    # UserInfo was called with the DPoP-bound token and a proof (RFC 9449 §7).
    assert result.user_info is not None and result.user_info.sub == "alice"
    assert result.claims is not None and result.claims["name"]


def test_security_profile_with_server_nonces(
    api: Any, provider_dpop_nonce: RunningProvider
) -> None:
    result, _ = _login(api, OidcClient(_options(provider_dpop_nonce, "client-fapi")))
    assert result.is_successful, (result.error_code, result.error, result.error_description)
    assert result.token_response is not None and result.token_response.token_type == "DPoP"


def test_the_library_holds_the_profile_where_the_server_does_not(
    api: Any, provider: RunningProvider
) -> None:
    """client-pkjwt is not under the provider's FAPI profile: it needs no PAR and gets RS256
    ID tokens. A FAPI login pushes its request all the same, and refuses the RS256 ID token
    (SP §5.4.1: PS256, ES256 and EdDSA only)."""
    result, state = _login(api, OidcClient(_options(provider, "client-pkjwt")))
    assert set(dict(parse_qsl(urlsplit(state.url).query))) == {"client_id", "request_uri"}
    assert result.is_successful is False
    assert result.error_code == "invalid_id_token"
    assert result.error_description == "alg 'RS256' is not allowed"


# ------------------------------------------------------------------ refused before sending


def test_the_provider_refuses_what_the_policy_refuses_first(
    api: Any, provider: RunningProvider
) -> None:
    """An assertion whose ``aud`` is the endpoint: the FAPI provider says invalid_client;
    the policy refuses to build such a client at all."""
    endpoint = provider.endpoint("pushed_authorization_request_endpoint")
    _, challenge = generate_pkce_pair()
    wrong = _assertion(provider, "client-fapi", audience=endpoint)
    authorize = AuthorizeRequest(
        client_id="client-fapi",
        redirect_uri=CALLBACK_URL,
        scope="openid",
        state="s",
        nonce="n",
        code_challenge=challenge,
        code_challenge_method="S256",
    )
    key = DPoPKey()
    plain = PushedAuthorizationRequest.from_authorize_request(
        endpoint, authorize, client=Client("client-fapi", wrong, dpop=key)
    )
    answer = api.push_authorization_request(plain)
    assert answer.is_successful is False and answer.error == "invalid_client"
    with pytest.raises(FapiViolationError) as caught:
        Client("client-fapi", wrong, dpop=key, profile=FapiPolicy(issuer=provider.issuer))
    assert caught.value.clause == "FAPI 2.0 Security Profile §5.3.2.1"
    assert "aud" in str(caught.value)


def test_a_push_without_pkce_is_refused_before_sending(api: Any, provider: RunningProvider) -> None:
    endpoint = provider.endpoint("pushed_authorization_request_endpoint")
    client = Client("client-fapi", _assertion(provider, "client-fapi"), dpop=DPoPKey(), profile=SP)
    request = PushedAuthorizationRequest(
        endpoint, "client-fapi", CALLBACK_URL, "openid", client=client
    )
    with pytest.raises(FapiViolationError, match="PKCE with S256"):
        api.push_authorization_request(request)


@pytest.mark.parametrize(
    ("change", "clause"),
    [
        ({"private_key_jwt": None, "client_secret": "s" * 32}, "§5.3.2.1"),
        ({"dpop_key": None}, "§5.3.2.1"),
        ({"id_token_algorithms": ["RS256"]}, "§5.4.1"),
    ],
)
def test_nonconforming_options_are_refused_when_built(
    provider: RunningProvider, change: dict[str, Any], clause: str
) -> None:
    with pytest.raises(FapiViolationError) as caught:
        _options(provider, "client-fapi", **change)
    assert clause in caught.value.clause


def test_message_signing_needs_jar_and_jarm(provider: RunningProvider) -> None:
    with pytest.raises(FapiViolationError) as caught:
        _options(provider, "client-fapi-ms", fapi=MS)
    clauses = [v.clause for v in caught.value.violations]
    assert clauses == ["FAPI 2.0 Message Signing §5.3", "FAPI 2.0 Message Signing §5.4"]


# ------------------------------------------------------------------ Message Signing


def _ms_options(provider: RunningProvider) -> OidcClientOptions:
    return _options(
        provider,
        "client-fapi-ms",
        fapi=MS,
        request_object_key=provider.client("client-fapi-ms").private_jwk("EC"),
        request_object_algorithm="ES256",
        response_mode="jwt",
        authorization_signed_response_alg="PS256",
    )


def test_message_signing_login(api: Any, provider: RunningProvider) -> None:
    result, state = _login(api, OidcClient(_ms_options(provider)))
    assert result.is_successful, (result.error_code, result.error, result.error_description)
    assert set(dict(parse_qsl(urlsplit(state.url).query))) == {"client_id", "request_uri"}
    assert result.token_response is not None and result.token_response.token_type == "DPoP"
    assert result.user_info is not None and result.user_info.signed is True  # PS256 JWT


def test_message_signing_introspection_must_be_signed(api: Any, provider: RunningProvider) -> None:
    result, _ = _login(api, OidcClient(_ms_options(provider)))
    assert result.access_token is not None
    client = Client(
        "client-fapi-ms", _assertion(provider, "client-fapi-ms"), dpop=DPoPKey(), profile=MS
    )
    endpoint = provider.endpoint("introspection_endpoint")
    with pytest.raises(FapiViolationError, match=r"Message Signing §5\.5"):
        api.introspect_token(
            TokenIntrospectionRequest(
                endpoint, result.access_token, "client-fapi-ms", client=client
            )
        )
    signed = api.introspect_token(
        TokenIntrospectionRequest(
            endpoint,
            result.access_token,
            "client-fapi-ms",
            client=client,
            jwt_response=JwtResponseValidation(
                disco_doc_address=provider.issuer, algorithms=list(MS.algorithms)
            ),
        )
    )
    assert signed.is_successful, (signed.error_code, signed.error, signed.error_description)
    assert signed.active is True and signed.jwt_claims is not None
    assert signed.cnf is not None and "jkt" in signed.cnf  # the DPoP binding


def test_an_unsigned_push_is_refused_by_both(api: Any, provider: RunningProvider) -> None:
    """client-fapi-ms requires signed request objects: the provider refuses a plain push,
    and a Message Signing client never sends one."""
    endpoint = provider.endpoint("pushed_authorization_request_endpoint")
    _, challenge = generate_pkce_pair()
    authorize = AuthorizeRequest(
        client_id="client-fapi-ms",
        redirect_uri=CALLBACK_URL,
        scope="openid",
        code_challenge=challenge,
        code_challenge_method="S256",
    )
    key = DPoPKey()
    auth = _assertion(provider, "client-fapi-ms")
    plain = PushedAuthorizationRequest.from_authorize_request(
        endpoint, authorize, client=Client("client-fapi-ms", auth, dpop=key)
    )
    answer = api.push_authorization_request(plain)
    assert answer.is_successful is False and answer.error == "invalid_request"
    strict = PushedAuthorizationRequest.from_authorize_request(
        endpoint, authorize, client=Client("client-fapi-ms", auth, dpop=key, profile=MS)
    )
    with pytest.raises(FapiViolationError, match="signed request objects"):
        api.push_authorization_request(strict)


def test_client_with_a_shared_secret_cannot_take_the_profile() -> None:
    with pytest.raises(FapiViolationError):
        Client("c", ClientSecretBasic("s" * 32), dpop=DPoPKey(), profile=SP)
