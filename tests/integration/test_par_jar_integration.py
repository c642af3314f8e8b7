"""PAR (RFC 9126), JAR (RFC 9101) and RAR (RFC 9396) against the real provider, through both
shells (``api``) and both ``OidcClient`` modes.

Every login is completed: push (or build) the authorization request, drive the provider's
pages without a browser (``complete_login``), redeem the code. Clients: ``client-basic``
(Basic), ``client-pkjwt`` (private_key_jwt; its keys also sign request objects),
``client-jwt`` (a 50-byte secret: HS256 request objects, encrypted with a key derived from the
secret), ``client-par`` (PAR required). RAR needs a client that registers
``authorization_details_types``: one is registered dynamically.
"""

from __future__ import annotations

import asyncio
import base64
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from py_identity_model import (
    AuthorizationCodeTokenRequest,
    AuthorizationDetail,
    AuthorizeRequest,
    ClientCredentialsTokenRequest,
    ClientRegistrationRequest,
    PrivateKeyJwt,
    PushedAuthorizationException,
    PushedAuthorizationRequest,
    TokenIntrospectionRequest,
    build_authorization_url,
    build_jar_authorization_url,
    build_par_authorization_url,
    create_request_object,
    encrypt_request_object,
    generate_pkce_pair,
)
from py_identity_model.login import OidcClient, OidcClientOptions
from tests.provider.fixture import CALLBACK_URL, RunningProvider, complete_login

OPAQUE = "urn:test:api:opaque"
PAYMENT = AuthorizationDetail(
    "payment_initiation",
    actions=["initiate"],
    locations=["https://bank.example/payments"],
    extra={"instructedAmount": {"currency": "EUR", "amount": "123.50"}},
)


def _par_endpoint(provider: RunningProvider) -> str:
    return provider.endpoint("pushed_authorization_request")


def _callback(url: str) -> dict[str, str]:
    assert url.startswith(f"{CALLBACK_URL}?"), url
    return dict(parse_qsl(urlsplit(url).query))


def _credentials(provider: RunningProvider, client_id: str) -> dict[str, Any]:
    """The 4.x credential fields of a static client."""
    if client_id == "client-pkjwt":
        key = provider.client(client_id).private_jwk("EC")
        return {"private_key_jwt": PrivateKeyJwt(key, "ES256", audience=provider.issuer)}
    return {"client_secret": provider.client(client_id).client_secret}


def _redeem(
    api: Any, provider: RunningProvider, client_id: str, code: str, verifier: str, **kw: Any
) -> Any:
    credentials = _credentials(provider, client_id)
    tokens = api.request_authorization_code_token(
        AuthorizationCodeTokenRequest(
            provider.token_endpoint,
            client_id,
            code,
            CALLBACK_URL,
            verifier,
            credentials.get("client_secret"),
            private_key_jwt=credentials.get("private_key_jwt"),
            **kw,
        )
    )
    assert tokens.is_successful, (tokens.error, tokens.error_description)
    assert tokens.access_token and tokens.id_token
    return tokens


# ------------------------------------------------------------------------------------- PAR


@pytest.mark.parametrize("client_id", ["client-basic", "client-pkjwt", "client-par"])
def test_push_then_login_then_redeem(api: Any, provider: RunningProvider, client_id: str) -> None:
    verifier, challenge = generate_pkce_pair()
    pushed = api.push_authorization_request(
        PushedAuthorizationRequest(
            _par_endpoint(provider),
            client_id,
            CALLBACK_URL,
            "openid profile",
            state="par-state",
            nonce="par-nonce",
            code_challenge=challenge,
            code_challenge_method="S256",
            **_credentials(provider, client_id),
        )
    )
    assert pushed.is_successful, (pushed.error, pushed.error_description)
    assert pushed.http_status == 201
    assert pushed.request_uri.startswith("urn:ietf:params:oauth:request_uri:")
    assert pushed.expires_in == 60  # oidc-provider's lifetime
    assert not pushed.is_expired()
    assert pushed.is_expired(leeway=61)
    assert "request_uri" not in repr(pushed) or "[redacted]" in repr(pushed)
    assert pushed.request_uri not in repr(pushed)

    url = pushed.authorization_url(provider.authorization_endpoint, client_id)
    assert set(dict(parse_qsl(urlsplit(url).query))) == {"client_id", "request_uri"}
    params = _callback(complete_login(url))
    assert params["state"] == "par-state"
    assert params["iss"] == provider.issuer
    _redeem(api, provider, client_id, params["code"], verifier)


def test_request_uri_is_one_time(api: Any, provider: RunningProvider) -> None:
    pushed = api.push_authorization_request(
        PushedAuthorizationRequest(
            _par_endpoint(provider), "client-basic", CALLBACK_URL, state="once",
            client_secret="client-basic-secret",
        )
    )  # fmt: skip
    assert pushed.is_successful, pushed.error
    url = build_par_authorization_url(
        provider.authorization_endpoint, "client-basic", pushed.request_uri
    )
    assert "code" in _callback(complete_login(url))
    again = _callback(complete_login(url))
    assert again["error"] == "invalid_request_uri"


def test_par_required_client_refuses_plain_authorize(provider: RunningProvider) -> None:
    _, challenge = generate_pkce_pair()
    url = build_authorization_url(
        provider.authorization_endpoint, "client-par", CALLBACK_URL, "openid", "code",
        state="plain", code_challenge=challenge, code_challenge_method="S256",
    )  # fmt: skip
    assert _callback(complete_login(url))["error"] == "invalid_request"


def test_push_with_wrong_secret_is_the_servers_error(api: Any, provider: RunningProvider) -> None:
    pushed = api.push_authorization_request(
        PushedAuthorizationRequest(
            _par_endpoint(provider), "client-basic", CALLBACK_URL, client_secret="wrong"
        )
    )
    assert not pushed.is_successful
    assert pushed.error_code == "invalid_client"
    assert pushed.error_type == "protocol"
    assert pushed.http_status == 401
    assert pushed.request_uri is None
    assert pushed.is_expired()


def test_push_with_unregistered_redirect_uri_fails(api: Any, provider: RunningProvider) -> None:
    pushed = api.push_authorization_request(
        PushedAuthorizationRequest(
            _par_endpoint(provider), "client-basic", "http://127.0.0.1/elsewhere",
            client_secret="client-basic-secret",
        )
    )  # fmt: skip
    assert not pushed.is_successful
    assert pushed.error_code == "invalid_request"  # oidc-provider: redirect_uri not registered
    assert "redirect_uri" in (pushed.error_description or "")


# ------------------------------------------------------------------------- OidcClient + PAR


@pytest.fixture(params=["sync", "async"])
def is_async(request: pytest.FixtureRequest) -> bool:
    return request.param == "async"


def _prepare(client: OidcClient, is_async: bool) -> Any:
    return asyncio.run(client.aprepare_login()) if is_async else client.prepare_login()


def _process(client: OidcClient, callback: str, state: Any, is_async: bool) -> Any:
    if is_async:
        return asyncio.run(client.aprocess_response(callback, state))
    return client.process_response(callback, state)


def test_oidc_client_pushes_for_a_par_client(provider: RunningProvider, is_async: bool) -> None:
    options = OidcClientOptions(
        provider.issuer, "client-par", CALLBACK_URL, client_secret="client-par-secret", use_par=True
    )
    client = OidcClient(options)
    state = _prepare(client, is_async)
    assert set(dict(parse_qsl(urlsplit(state.url).query))) == {"client_id", "request_uri"}
    result = _process(client, complete_login(state.url, login="bob"), state, is_async)
    assert result.is_successful, (result.error, result.error_description)
    assert result.claims["sub"] == "bob"
    assert result.claims["nonce"] == state.nonce


def test_oidc_client_push_failure_raises(provider: RunningProvider, is_async: bool) -> None:
    options = OidcClientOptions(
        provider.issuer, "client-par", CALLBACK_URL, client_secret="wrong-secret", use_par=True
    )
    with pytest.raises(PushedAuthorizationException) as caught:
        _prepare(OidcClient(options), is_async)
    assert caught.value.error_code == "invalid_client"
    assert caught.value.response.http_status == 401


# ------------------------------------------------------------------------------------- JAR


@pytest.mark.parametrize(("kty", "alg"), [("RSA", "RS256"), ("RSA", "PS256"), ("EC", "ES256")])
def test_signed_request_object_by_value(
    api: Any, provider: RunningProvider, kty: str, alg: str
) -> None:
    verifier, challenge = generate_pkce_pair()
    request_object = create_request_object(
        provider.client("client-pkjwt").private_jwk(kty), alg, "client-pkjwt", provider.issuer,
        CALLBACK_URL, "openid profile", state=f"jar-{alg}", nonce="jar-nonce",
        code_challenge=challenge, code_challenge_method="S256",
    )  # fmt: skip
    url = build_jar_authorization_url(
        provider.authorization_endpoint, "client-pkjwt", request_object, "openid", "code"
    )
    params = _callback(complete_login(url))
    assert params["state"] == f"jar-{alg}"
    _redeem(api, provider, "client-pkjwt", params["code"], verifier)


def test_request_object_signed_with_a_foreign_key_is_refused(provider: RunningProvider) -> None:
    foreign = next(k for k in provider.signing_jwks["keys"] if k["kty"] == "EC")  # the OP's key
    request_object = create_request_object(
        foreign, "ES256", "client-pkjwt", provider.issuer, CALLBACK_URL, state="forged"
    )
    url = build_jar_authorization_url(
        provider.authorization_endpoint, "client-pkjwt", request_object, "openid", "code"
    )
    assert _callback(complete_login(url))["error"] == "invalid_request_object"


def test_signed_request_object_pushed(api: Any, provider: RunningProvider) -> None:
    verifier, challenge = generate_pkce_pair()
    request_object = create_request_object(
        provider.client("client-pkjwt").private_jwk("OKP"), "EdDSA", "client-pkjwt",
        provider.issuer, CALLBACK_URL, state="jar-par", nonce="n",
        code_challenge=challenge, code_challenge_method="S256",
    )  # fmt: skip
    pushed = api.push_authorization_request(
        PushedAuthorizationRequest(
            _par_endpoint(provider), "client-pkjwt", CALLBACK_URL,
            request=request_object, **_credentials(provider, "client-pkjwt"),
        )
    )  # fmt: skip
    assert pushed.is_successful, (pushed.error, pushed.error_description)
    params = _callback(
        complete_login(pushed.authorization_url(provider.authorization_endpoint, "client-pkjwt"))
    )
    assert params["state"] == "jar-par"
    _redeem(api, provider, "client-pkjwt", params["code"], verifier)


def _hs256_key(secret: str) -> dict[str, str]:
    return {"kty": "oct", "k": base64.urlsafe_b64encode(secret.encode()).rstrip(b"=").decode()}


@pytest.mark.parametrize("pushed", [False, True], ids=["by-value", "pushed"])
def test_encrypted_request_object(api: Any, provider: RunningProvider, pushed: bool) -> None:
    """Signed with the client secret (HS256), encrypted with a key derived from it: the
    provider publishes no public encryption key, so it lists only A128KW, A256KW and dir."""
    secret = provider.client("client-jwt").client_secret
    assert secret is not None
    verifier, challenge = generate_pkce_pair()
    signed = create_request_object(
        _hs256_key(secret), "HS256", "client-jwt", provider.issuer, CALLBACK_URL,
        state="jwe", nonce="n", code_challenge=challenge, code_challenge_method="S256",
    )  # fmt: skip
    metadata = provider.metadata
    encrypted = encrypt_request_object(
        signed,
        client_secret=secret,
        alg_values_supported=metadata["request_object_encryption_alg_values_supported"],
        enc_values_supported=metadata["request_object_encryption_enc_values_supported"],
    )
    assert encrypted.count(".") == 4
    if pushed:
        response = api.push_authorization_request(
            PushedAuthorizationRequest(
                _par_endpoint(provider), "client-jwt", CALLBACK_URL, request=encrypted,
                client_secret=secret, client_auth_method="client_secret_jwt",
            )
        )  # fmt: skip
        assert response.is_successful, (response.error, response.error_description)
        url = response.authorization_url(provider.authorization_endpoint, "client-jwt")
    else:
        url = build_jar_authorization_url(
            provider.authorization_endpoint, "client-jwt", encrypted, "openid", "code"
        )
    params = _callback(complete_login(url))
    assert params["state"] == "jwe"
    tokens = api.request_authorization_code_token(
        AuthorizationCodeTokenRequest(
            provider.token_endpoint, "client-jwt", params["code"], CALLBACK_URL, verifier,
            secret, client_auth_method="client_secret_jwt",
        )
    )  # fmt: skip
    assert tokens.is_successful, (tokens.error, tokens.error_description)


# ------------------------------------------------------------------------------------- RAR


@pytest.fixture(scope="module")
def rar_client(provider: RunningProvider) -> tuple[str, str]:
    """A client allowed both detail types of the test provider."""
    import py_identity_model

    registered = py_identity_model.register_client(
        ClientRegistrationRequest(
            provider.endpoint("registration"),
            [CALLBACK_URL],
            grant_types=["authorization_code", "client_credentials"],
            token_endpoint_auth_method="client_secret_basic",
            extra_metadata={
                "authorization_details_types": ["payment_initiation", "account_information"]
            },
        )
    )
    assert registered.is_successful, registered.error
    return registered.client_id, registered.client_secret


@pytest.mark.parametrize("pushed", [False, True], ids=["authorize-url", "par"])
def test_rar_login_grants_details(
    api: Any, provider: RunningProvider, rar_client: tuple[str, str], pushed: bool
) -> None:
    client_id, secret = rar_client
    verifier, challenge = generate_pkce_pair()
    fields: dict[str, Any] = {
        "state": "rar", "nonce": "n", "code_challenge": challenge,
        "code_challenge_method": "S256", "resource": OPAQUE, "authorization_details": [PAYMENT],
    }  # fmt: skip
    if pushed:
        response = api.push_authorization_request(
            PushedAuthorizationRequest(
                _par_endpoint(provider), client_id, CALLBACK_URL, client_secret=secret, **fields
            )
        )
        assert response.is_successful, (response.error, response.error_description)
        url = response.authorization_url(provider.authorization_endpoint, client_id)
    else:
        url = AuthorizeRequest(client_id=client_id, redirect_uri=CALLBACK_URL, **fields).to_url(
            provider.authorization_endpoint
        )
    params = _callback(complete_login(url))
    tokens = api.request_authorization_code_token(
        AuthorizationCodeTokenRequest(
            provider.token_endpoint, client_id, params["code"], CALLBACK_URL, verifier, secret,
            resource=OPAQUE,
        )
    )  # fmt: skip
    assert tokens.is_successful, (tokens.error, tokens.error_description)
    assert tokens.authorization_details == [PAYMENT.to_dict()]
    introspected = api.introspect_token(
        TokenIntrospectionRequest(
            provider.endpoint("introspection"), tokens.access_token, client_id, client_secret=secret
        )
    )
    assert introspected.is_successful, introspected.error
    assert introspected.active
    assert introspected.authorization_details == [PAYMENT.to_dict()]


def test_rar_on_the_token_endpoint(
    api: Any, provider: RunningProvider, rar_client: tuple[str, str]
) -> None:
    client_id, secret = rar_client
    details = [{"type": "account_information", "actions": ["read"], "datatypes": ["balances"]}]
    tokens = api.request_client_credentials_token(
        ClientCredentialsTokenRequest(
            provider.token_endpoint, client_id, secret,
            authorization_details=details, resource=OPAQUE,
        )
    )  # fmt: skip
    assert tokens.is_successful, (tokens.error, tokens.error_description)
    assert tokens.authorization_details == details


def test_rar_unknown_type_is_the_servers_error(
    api: Any, provider: RunningProvider, rar_client: tuple[str, str]
) -> None:
    client_id, secret = rar_client
    tokens = api.request_client_credentials_token(
        ClientCredentialsTokenRequest(
            provider.token_endpoint, client_id, secret,
            authorization_details=[{"type": "unknown_kind"}], resource=OPAQUE,
        )
    )  # fmt: skip
    assert not tokens.is_successful
    assert tokens.error_code == "invalid_authorization_details"
    assert tokens.error_type == "protocol"


def test_rar_refused_for_a_client_without_the_type(api: Any, provider: RunningProvider) -> None:
    pushed = api.push_authorization_request(
        PushedAuthorizationRequest(
            _par_endpoint(provider), "client-basic", CALLBACK_URL, client_secret="client-basic-secret",
            authorization_details=[PAYMENT], resource=OPAQUE,
        )
    )  # fmt: skip
    assert not pushed.is_successful
    assert pushed.error_code == "invalid_authorization_details"


# ------------------------------------------------------------------------------ PAR + DPoP


@pytest.mark.parametrize("nonce", [False, True], ids=["no-nonce", "server-nonce"])
def test_par_with_dpop_binds_the_code_to_the_key(
    api: Any, provider: RunningProvider, provider_dpop_nonce: RunningProvider, nonce: bool
) -> None:
    from py_identity_model import DPoPKey

    op = provider_dpop_nonce if nonce else provider
    key = DPoPKey()
    verifier, challenge = generate_pkce_pair()
    pushed = api.push_authorization_request(
        PushedAuthorizationRequest(
            _par_endpoint(op), "client-basic", CALLBACK_URL, state="dpop", nonce="n",
            code_challenge=challenge, code_challenge_method="S256",
            client_secret="client-basic-secret", dpop_key=key, dpop_jkt=True,
        )
    )  # fmt: skip
    assert pushed.is_successful, (pushed.error, pushed.error_description)
    params = _callback(
        complete_login(pushed.authorization_url(op.authorization_endpoint, "client-basic"))
    )

    def redeem(dpop_key: Any) -> Any:
        return api.request_authorization_code_token(
            AuthorizationCodeTokenRequest(
                op.token_endpoint, "client-basic", params["code"], CALLBACK_URL, verifier,
                "client-basic-secret", dpop_key=dpop_key,
            )
        )  # fmt: skip

    stolen = redeem(DPoPKey())  # another key cannot redeem the bound code
    assert not stolen.is_successful
    assert stolen.error_code == "invalid_grant"
    # The refused attempt used the code up (a code is redeemed once): log in again.
    pushed = api.push_authorization_request(
        PushedAuthorizationRequest(
            _par_endpoint(op), "client-basic", CALLBACK_URL, state="dpop2",
            code_challenge=challenge, code_challenge_method="S256",
            client_secret="client-basic-secret", dpop_key=key, dpop_jkt=True,
        )
    )  # fmt: skip
    assert pushed.is_successful, (pushed.error, pushed.error_description)
    params = _callback(
        complete_login(pushed.authorization_url(op.authorization_endpoint, "client-basic"))
    )
    tokens = redeem(key)
    assert tokens.is_successful, (tokens.error, tokens.error_description)
    assert tokens.token_type == "DPoP"
