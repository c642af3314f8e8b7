"""Smoke tests of the test provider itself (tests/provider), using plain httpx.

They prove the provider is configured the way the library's integration tests expect; they do
not use py_identity_model.
"""

from __future__ import annotations

import base64
import secrets
import time
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import httpx
import pytest

from tests.provider.fixture import (
    ACCESS_TOKEN_TYPE,
    CALLBACK_URL,
    DEVICE_CODE_GRANT,
    LOGOUT_CALLBACK_URL,
    TOKEN_EXCHANGE_GRANT,
    RunningProvider,
    abort_login,
    complete_device_flow,
    complete_login,
    complete_logout,
)
from tests.provider.jws import (
    client_assertion,
    decode_jwt,
    dpop_proof,
    pkce_pair,
    sign_jwt,
    verify_jwt,
)

# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _basic(client_id: str, secret: str) -> str:
    """RFC 6749 §2.3.1: form-urlencode id and secret, then HTTP Basic."""
    raw = f"{quote(client_id, safe='')}:{quote(secret, safe='')}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


def _token(provider: RunningProvider, client_id: str, **form: str) -> httpx.Response:
    """POST to the token endpoint authenticating as a client_secret_basic client."""
    client = provider.clients[client_id]
    assert client.client_secret is not None
    return httpx.post(
        provider.token_endpoint,
        data=form,
        headers={"Authorization": _basic(client.client_id, client.client_secret)},
        timeout=10,
    )


def _callback_params(url: str) -> dict[str, str]:
    assert url.startswith(CALLBACK_URL), url
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def _authorize_url(provider: RunningProvider, **params: str) -> str:
    return f"{provider.authorization_endpoint}?{urlencode(params)}"


def _user_tokens(
    provider: RunningProvider, *, scope: str = "openid profile email", **extra: str
) -> dict[str, Any]:
    """Authorization code + PKCE with public-native, logged in as alice."""
    verifier, challenge = pkce_pair()
    state, nonce = secrets.token_urlsafe(8), secrets.token_urlsafe(8)
    url = _authorize_url(
        provider,
        client_id="public-native",
        response_type="code",
        redirect_uri=CALLBACK_URL,
        scope=scope,
        state=state,
        nonce=nonce,
        code_challenge=challenge,
        code_challenge_method="S256",
        **extra,
    )
    params = _callback_params(complete_login(url))
    assert params["state"] == state
    assert params["iss"] == provider.issuer
    form = {
        "grant_type": "authorization_code",
        "code": params["code"],
        "redirect_uri": CALLBACK_URL,
        "code_verifier": verifier,
        "client_id": "public-native",
    }
    if "resource" in extra:
        form["resource"] = extra["resource"]
    response = httpx.post(provider.token_endpoint, data=form, timeout=10)
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    tokens["_nonce"] = nonce
    return tokens


# --------------------------------------------------------------------------------------------
# discovery and keys
# --------------------------------------------------------------------------------------------


def test_discovery_document(provider: RunningProvider) -> None:
    response = httpx.get(provider.discovery_url, timeout=10)
    assert response.status_code == 200
    meta = response.json()
    issuer = provider.issuer
    assert issuer == f"http://127.0.0.1:{provider.port}"
    assert meta["issuer"] == issuer
    expected = {
        "authorization_endpoint": "/auth",
        "token_endpoint": "/token",
        "userinfo_endpoint": "/me",
        "jwks_uri": "/jwks",
        "introspection_endpoint": "/token/introspection",
        "revocation_endpoint": "/token/revocation",
        "device_authorization_endpoint": "/device/auth",
        "registration_endpoint": "/reg",
        "pushed_authorization_request_endpoint": "/request",
        "end_session_endpoint": "/session/end",
    }
    for key, path in expected.items():
        assert meta[key] == issuer + path, key
    assert {
        "authorization_code",
        "refresh_token",
        "client_credentials",
        DEVICE_CODE_GRANT,
        TOKEN_EXCHANGE_GRANT,
    } <= set(meta["grant_types_supported"])
    assert set(meta["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic",
        "client_secret_post",
        "client_secret_jwt",
        "private_key_jwt",
        "none",
    }
    for key in (
        "id_token_signing_alg_values_supported",
        "userinfo_signing_alg_values_supported",
        "introspection_signing_alg_values_supported",
        "authorization_signing_alg_values_supported",
        "request_object_signing_alg_values_supported",
        "token_endpoint_auth_signing_alg_values_supported",
        "dpop_signing_alg_values_supported",
    ):
        assert {"RS256", "PS256", "ES256", "EdDSA"} <= set(meta[key]), key
    assert "HS256" in meta["token_endpoint_auth_signing_alg_values_supported"]
    assert {"jwt", "query.jwt", "form_post.jwt"} <= set(meta["response_modes_supported"])
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert meta["request_parameter_supported"] is True
    assert meta["claims_parameter_supported"] is True
    assert meta["backchannel_logout_supported"] is True
    assert meta["authorization_response_iss_parameter_supported"] is True


def test_jwks_has_rsa_ec_okp_keys(provider: RunningProvider) -> None:
    jwks = httpx.get(provider.jwks_uri, timeout=10).json()
    by_kty = {key["kty"]: key for key in jwks["keys"]}
    assert set(by_kty) == {"RSA", "EC", "OKP"}
    assert by_kty["EC"]["crv"] == "P-256"
    assert by_kty["OKP"]["crv"] == "Ed25519"
    assert len({key["kid"] for key in jwks["keys"]}) == 3
    assert {key["kid"] for key in jwks["keys"]} == {
        key["kid"] for key in provider.signing_jwks["keys"]
    }
    for key in jwks["keys"]:
        assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key), "private material published"


# --------------------------------------------------------------------------------------------
# token endpoint: client authentication methods
# --------------------------------------------------------------------------------------------


def test_client_credentials_client_secret_basic(provider: RunningProvider) -> None:
    response = _token(provider, "client-basic", grant_type="client_credentials")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] > 0
    # Without resource= the access token is opaque, and can be introspected.
    assert body["access_token"].count(".") == 0
    introspection = httpx.post(
        provider.endpoint("introspection"),
        data={"token": body["access_token"]},
        auth=("client-basic", "client-basic-secret"),
        timeout=10,
    ).json()
    assert introspection["active"] is True
    assert introspection["client_id"] == "client-basic"


def test_client_credentials_other_auth_methods(provider: RunningProvider) -> None:
    endpoint = provider.token_endpoint
    # client_secret_post
    post = httpx.post(
        endpoint,
        data={
            "grant_type": "client_credentials",
            "client_id": "client-post",
            "client_secret": "client-post-secret",
        },
        timeout=10,
    )
    assert post.status_code == 200, post.text
    # client_secret_jwt (HS256 with the client secret)
    jwt_client = provider.clients["client-jwt"]
    assert jwt_client.client_secret is not None
    assert len(jwt_client.client_secret.encode()) >= 32
    secret_jwt = httpx.post(
        endpoint,
        data={
            "grant_type": "client_credentials",
            "client_id": "client-jwt",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": client_assertion("client-jwt", endpoint, jwt_client.client_secret),
        },
        timeout=10,
    )
    assert secret_jwt.status_code == 200, secret_jwt.text
    # private_key_jwt with each key type
    pk_client = provider.clients["client-pkjwt"]
    for kty, alg in (("RSA", "RS256"), ("RSA", "PS256"), ("EC", "ES256"), ("OKP", "EdDSA")):
        assertion = client_assertion("client-pkjwt", endpoint, pk_client.private_jwk(kty), alg)
        response = httpx.post(
            endpoint,
            data={
                "grant_type": "client_credentials",
                "client_id": "client-pkjwt",
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion": assertion,
            },
            timeout=10,
        )
        assert response.status_code == 200, (alg, response.text)


def test_client_secret_basic_requires_rfc6749_encoding(provider: RunningProvider) -> None:
    client = provider.clients["client-weird-secret"]
    assert client.client_secret is not None
    good = _token(provider, "client-weird-secret", grant_type="client_credentials")
    assert good.status_code == 200, good.text
    # Plain Basic without form-urlencoding ("+" decodes to a space, "%" is an escape) fails.
    naive = httpx.post(
        provider.token_endpoint,
        data={"grant_type": "client_credentials"},
        auth=(client.client_id, client.client_secret),
        timeout=10,
    )
    assert naive.status_code in (400, 401), naive.text
    assert naive.json()["error"] in ("invalid_request", "invalid_client")


# --------------------------------------------------------------------------------------------
# resource indicators: JWT access tokens per signing algorithm
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource", "alg"),
    [
        ("urn:test:api", "RS256"),
        ("urn:test:api:rs256", "RS256"),
        ("urn:test:api:ps256", "PS256"),
        ("urn:test:api:es256", "ES256"),
        ("urn:test:api:eddsa", "EdDSA"),
        ("http://127.0.0.1/api", "RS256"),
    ],
)
def test_jwt_access_token_per_resource(provider: RunningProvider, resource: str, alg: str) -> None:
    assert provider.resources[resource]["alg"] == alg
    response = _token(
        provider,
        "client-basic",
        grant_type="client_credentials",
        resource=resource,
        scope="api:read",
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["scope"] == "api:read"
    header, _ = decode_jwt(body["access_token"])
    assert header["alg"] == alg
    assert header["typ"] == "at+jwt"
    jwks = httpx.get(provider.jwks_uri, timeout=10).json()
    claims = verify_jwt(body["access_token"], jwks)
    assert claims["iss"] == provider.issuer
    assert claims["aud"] == resource
    assert claims["client_id"] == "client-basic"
    assert claims["scope"] == "api:read"
    assert claims["exp"] > time.time()


def test_unknown_resource_is_invalid_target(provider: RunningProvider) -> None:
    response = _token(
        provider, "client-basic", grant_type="client_credentials", resource="urn:test:unknown"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_target"


# --------------------------------------------------------------------------------------------
# user flows
# --------------------------------------------------------------------------------------------


def test_authorization_code_pkce_public_client(provider: RunningProvider) -> None:
    tokens = _user_tokens(provider, scope="openid profile email offline_access", prompt="consent")
    assert tokens["token_type"] == "Bearer"
    assert "refresh_token" in tokens  # offline_access needs prompt=consent
    jwks = httpx.get(provider.jwks_uri, timeout=10).json()
    id_token = verify_jwt(tokens["id_token"], jwks)
    assert id_token["iss"] == provider.issuer
    assert id_token["aud"] == "public-native"
    assert id_token["sub"] == "alice"
    assert id_token["nonce"] == tokens["_nonce"]
    userinfo = httpx.get(
        provider.endpoint("userinfo"),
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=10,
    )
    assert userinfo.status_code == 200, userinfo.text
    expected = provider.account_claims("alice")
    assert userinfo.json()["email"] == expected["email"]
    assert userinfo.json()["name"] == expected["name"]
    # Public-client refresh tokens rotate.
    refreshed = httpx.post(
        provider.token_endpoint,
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": "public-native",
        },
        timeout=10,
    )
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["refresh_token"] != tokens["refresh_token"]


def test_user_flow_with_resource_gives_jwt_access_token(provider: RunningProvider) -> None:
    tokens = _user_tokens(provider, scope="openid api:read", resource="urn:test:api:es256")
    header, claims = decode_jwt(tokens["access_token"])
    assert header["alg"] == "ES256"
    assert claims["sub"] == "alice"
    assert claims["aud"] == "urn:test:api:es256"
    assert claims["scope"] == "api:read"


def test_login_can_be_aborted(provider: RunningProvider) -> None:
    _, challenge = pkce_pair()
    url = _authorize_url(
        provider,
        client_id="public-native",
        response_type="code",
        redirect_uri=CALLBACK_URL,
        scope="openid",
        state="s1",
        code_challenge=challenge,
        code_challenge_method="S256",
    )
    assert _callback_params(abort_login(url))["error"] == "access_denied"
    assert _callback_params(complete_login(url, consent=False))["error"] == "access_denied"


def test_token_exchange(provider: RunningProvider) -> None:
    subject = _user_tokens(provider, scope="openid profile")["access_token"]
    # Opaque result for the same user, usable at userinfo.
    exchanged = _token(
        provider,
        "client-basic",
        grant_type=TOKEN_EXCHANGE_GRANT,
        subject_token=subject,
        subject_token_type=ACCESS_TOKEN_TYPE,
    )
    assert exchanged.status_code == 200, exchanged.text
    body = exchanged.json()
    assert body["issued_token_type"] == ACCESS_TOKEN_TYPE
    assert body["token_type"] == "Bearer"
    userinfo = httpx.get(
        provider.endpoint("userinfo"),
        headers={"Authorization": f"Bearer {body['access_token']}"},
        timeout=10,
    )
    assert userinfo.status_code == 200, userinfo.text
    assert userinfo.json()["sub"] == "alice"
    # Exchange for a resource server's JWT, delegated to an actor.
    actor = _token(provider, "client-post", grant_type="client_credentials").json()
    to_api = _token(
        provider,
        "client-basic",
        grant_type=TOKEN_EXCHANGE_GRANT,
        subject_token=subject,
        subject_token_type=ACCESS_TOKEN_TYPE,
        actor_token=actor["access_token"],
        actor_token_type=ACCESS_TOKEN_TYPE,
        resource="urn:test:api:eddsa",
        scope="api:read",
    )
    assert to_api.status_code == 200, to_api.text
    _, claims = decode_jwt(to_api.json()["access_token"])
    assert claims["sub"] == "alice"
    assert claims["client_id"] == "client-basic"
    assert claims["aud"] == "urn:test:api:eddsa"
    assert claims["scope"] == "api:read"
    assert claims["act"] == {"sub": "client-post"}
    # A JWT access token (issued for a resource) is accepted as subject token too.
    jwt_subject = _user_tokens(provider, scope="openid api:read", resource="urn:test:api")
    from_jwt = _token(
        provider,
        "client-basic",
        grant_type=TOKEN_EXCHANGE_GRANT,
        subject_token=jwt_subject["access_token"],
        subject_token_type=ACCESS_TOKEN_TYPE,
        resource="urn:test:api:ps256",
    )
    assert from_jwt.status_code == 200, from_jwt.text
    header, claims = decode_jwt(from_jwt.json()["access_token"])
    assert header["alg"] == "PS256"
    assert claims["sub"] == "alice"
    assert claims["scope"] == "api:read"
    # Invalid subject token.
    bad = _token(
        provider,
        "client-basic",
        grant_type=TOKEN_EXCHANGE_GRANT,
        subject_token="not-a-token",
        subject_token_type=ACCESS_TOKEN_TYPE,
    )
    assert bad.status_code == 400
    assert bad.json()["error"] == "invalid_grant"


def test_device_flow(provider: RunningProvider) -> None:
    started = httpx.post(
        provider.endpoint("device_authorization"),
        data={"client_id": "public-native", "scope": "openid profile"},
        timeout=10,
    )
    assert started.status_code == 200, started.text
    device = started.json()
    pending = httpx.post(
        provider.token_endpoint,
        data={
            "grant_type": DEVICE_CODE_GRANT,
            "device_code": device["device_code"],
            "client_id": "public-native",
        },
        timeout=10,
    )
    assert pending.json()["error"] == "authorization_pending"
    final = complete_device_flow(device["verification_uri"], device["user_code"], login="bob")
    assert final.startswith(provider.issuer)
    tokens = httpx.post(
        provider.token_endpoint,
        data={
            "grant_type": DEVICE_CODE_GRANT,
            "device_code": device["device_code"],
            "client_id": "public-native",
        },
        timeout=10,
    )
    assert tokens.status_code == 200, tokens.text
    _, id_token = decode_jwt(tokens.json()["id_token"])
    assert id_token["sub"] == "bob"


def test_par_and_jarm(provider: RunningProvider) -> None:
    # client-par must use PAR; a plain authorization request is refused.
    verifier, challenge = pkce_pair()
    request = {
        "client_id": "client-par",
        "response_type": "code",
        "redirect_uri": CALLBACK_URL,
        "scope": "openid",
        "state": "par-state",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    refused = _callback_params(complete_login(_authorize_url(provider, **request)))
    assert refused["error"] == "invalid_request"
    pushed = httpx.post(
        provider.endpoint("pushed_authorization_request"),
        data=request,
        auth=("client-par", "client-par-secret"),
        timeout=10,
    )
    assert pushed.status_code == 201, pushed.text
    url = _authorize_url(provider, client_id="client-par", request_uri=pushed.json()["request_uri"])
    params = _callback_params(complete_login(url))
    assert params["state"] == "par-state"
    redeemed = _token(
        provider,
        "client-par",
        grant_type="authorization_code",
        code=params["code"],
        redirect_uri=CALLBACK_URL,
        code_verifier=verifier,
    )
    assert redeemed.status_code == 200, redeemed.text
    # JARM: the response is a signed JWT in `response`.
    jarm_url = _authorize_url(
        provider,
        client_id="client-jarm",
        response_type="code",
        redirect_uri=CALLBACK_URL,
        scope="openid",
        state="jarm-state",
        response_mode="query.jwt",
    )
    response_jwt = _callback_params(complete_login(jarm_url))["response"]
    jwks = httpx.get(provider.jwks_uri, timeout=10).json()
    claims = verify_jwt(response_jwt, jwks)
    assert claims["iss"] == provider.issuer
    assert claims["aud"] == "client-jarm"
    assert claims["state"] == "jarm-state"
    assert "code" in claims


def test_signed_request_object(provider: RunningProvider) -> None:
    client = provider.clients["client-pkjwt"]
    now = int(time.time())
    request_object = sign_jwt(
        {
            "iss": "client-pkjwt",
            "aud": provider.issuer,
            "iat": now,
            "exp": now + 300,
            "client_id": "client-pkjwt",
            "response_type": "code",
            "redirect_uri": CALLBACK_URL,
            "scope": "openid",
            "state": "jar-state",
        },
        client.private_jwk("EC"),
        "ES256",
        {"typ": "oauth-authz-req+jwt"},
    )
    url = _authorize_url(
        provider,
        client_id="client-pkjwt",
        response_type="code",
        scope="openid",
        request=request_object,
    )
    assert _callback_params(complete_login(url))["state"] == "jar-state"


def test_dpop_nonce_required(provider_dpop_nonce: RunningProvider) -> None:
    provider = provider_dpop_nonce
    key = provider.client_jwks["keys"][1]  # EC P-256
    endpoint = provider.token_endpoint
    auth = ("client-dpop", "client-dpop-secret")
    form = {"grant_type": "client_credentials"}
    first = httpx.post(
        endpoint,
        data=form,
        auth=auth,
        headers={"DPoP": dpop_proof(key, "POST", endpoint)},
        timeout=10,
    )
    assert first.status_code == 400, first.text
    assert first.json()["error"] == "use_dpop_nonce"
    nonce = first.headers["DPoP-Nonce"]
    second = httpx.post(
        endpoint,
        data=form,
        auth=auth,
        headers={"DPoP": dpop_proof(key, "POST", endpoint, nonce=nonce)},
        timeout=10,
    )
    assert second.status_code == 200, second.text
    assert second.json()["token_type"] == "DPoP"


def test_dpop_without_nonce_on_default_provider(provider: RunningProvider) -> None:
    key = provider.client_jwks["keys"][2]  # Ed25519
    response = httpx.post(
        provider.token_endpoint,
        data={"grant_type": "client_credentials"},
        auth=("client-dpop", "client-dpop-secret"),
        headers={"DPoP": dpop_proof(key, "POST", provider.token_endpoint)},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    assert response.json()["token_type"] == "DPoP"
    # client-dpop must present a proof (dpop_bound_access_tokens).
    unbound = httpx.post(
        provider.token_endpoint,
        data={"grant_type": "client_credentials"},
        auth=("client-dpop", "client-dpop-secret"),
        timeout=10,
    )
    assert unbound.status_code == 400


def test_dynamic_registration(provider: RunningProvider) -> None:
    registered = httpx.post(
        provider.endpoint("registration"),
        json={
            "redirect_uris": [CALLBACK_URL],
            "grant_types": ["authorization_code", "client_credentials"],
            "token_endpoint_auth_method": "client_secret_basic",
        },
        timeout=10,
    )
    assert registered.status_code == 201, registered.text
    client = registered.json()
    read = httpx.get(
        client["registration_client_uri"],
        headers={"Authorization": f"Bearer {client['registration_access_token']}"},
        timeout=10,
    )
    assert read.status_code == 200
    assert read.json()["client_id"] == client["client_id"]
    token = httpx.post(
        provider.token_endpoint,
        data={"grant_type": "client_credentials"},
        auth=(client["client_id"], client["client_secret"]),
        timeout=10,
    )
    assert token.status_code == 200, token.text


def test_rp_initiated_and_backchannel_logout(provider: RunningProvider) -> None:
    provider.clear_backchannel_logout_tokens()
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        url = _authorize_url(
            provider,
            client_id="client-backchannel",
            response_type="code",
            redirect_uri=CALLBACK_URL,
            scope="openid",
            state="bcl",
        )
        code = _callback_params(complete_login(url, http=browser))["code"]
        tokens = _token(
            provider,
            "client-backchannel",
            grant_type="authorization_code",
            code=code,
            redirect_uri=CALLBACK_URL,
        ).json()
        end_session = f"{provider.endpoint('end_session')}?" + urlencode(
            {
                "id_token_hint": tokens["id_token"],
                "post_logout_redirect_uri": LOGOUT_CALLBACK_URL,
                "state": "bye",
            }
        )
        final = complete_logout(end_session, http=browser)
    assert final.startswith(LOGOUT_CALLBACK_URL)
    assert parse_qs(urlsplit(final).query)["state"] == ["bye"]
    (logout_token,) = provider.backchannel_logout_tokens()
    jwks = httpx.get(provider.jwks_uri, timeout=10).json()
    claims = verify_jwt(logout_token, jwks)
    assert claims["iss"] == provider.issuer
    assert claims["aud"] == "client-backchannel"
    assert claims["sub"] == "alice"
    assert "http://schemas.openid.net/event/backchannel-logout" in claims["events"]
    assert "sid" in claims


def test_introspection_and_revocation(provider: RunningProvider) -> None:
    token = _token(
        provider,
        "client-basic",
        grant_type="client_credentials",
        resource="urn:test:api:opaque",
        scope="api:read api:write",
    ).json()["access_token"]
    introspect = provider.endpoint("introspection")
    auth = ("client-basic", "client-basic-secret")
    active = httpx.post(introspect, data={"token": token}, auth=auth, timeout=10).json()
    assert active["active"] is True
    assert active["aud"] == "urn:test:api:opaque"
    assert active["scope"] == "api:read api:write"
    # Signed introspection response (RFC 9701).
    signed = httpx.post(
        introspect,
        data={"token": token},
        auth=auth,
        headers={"Accept": "application/token-introspection+jwt"},
        timeout=10,
    )
    assert signed.headers["content-type"].startswith("application/token-introspection+jwt")
    jwks = httpx.get(provider.jwks_uri, timeout=10).json()
    assert verify_jwt(signed.text, jwks)["token_introspection"]["active"] is True
    revoked = httpx.post(
        provider.endpoint("revocation"), data={"token": token}, auth=auth, timeout=10
    )
    assert revoked.status_code == 200
    after = httpx.post(introspect, data={"token": token}, auth=auth, timeout=10).json()
    assert after == {"active": False}
