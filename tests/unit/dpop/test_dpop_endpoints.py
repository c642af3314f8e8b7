"""A DPoPKey on every endpoint: nonce memory (first proof carries it), one use_dpop_nonce
retry with a fresh proof and a fresh client assertion, userinfo's ath, dpop_jkt, token_type.

Both shells run each test (``api``); the server is an ``httpx.MockTransport``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from dpop_client_support import (
    Recorder,
    claims_of,
    resource_nonce_challenge,
    token_ok,
    use_dpop_nonce,
    verify_proof,
)

from py_identity_model import (
    AuthorizationCodeTokenRequest,
    AuthorizeRequest,
    BackchannelTokenRequest,
    Client,
    ClientCredentialsTokenRequest,
    ClientSecretBasic,
    ClientSecretJwt,
    DeviceTokenRequest,
    DPoPKey,
    DPoPNonceStore,
    PrivateKeyJwt,
    RefreshTokenRequest,
    TokenIntrospectionRequest,
    TokenRevocationRequest,
    UserInfoRequest,
    build_authorization_url,
    compute_ath,
)

TOKEN_URL = "https://as.example/token"
USERINFO_URL = "https://as.example/me"


def _form(request: httpx.Request) -> dict[str, list[str]]:
    return parse_qs(request.content.decode())


def _cc(key: DPoPKey, **kw: Any) -> ClientCredentialsTokenRequest:
    client = Client("c", ClientSecretBasic("s"), dpop=key)
    return ClientCredentialsTokenRequest(TOKEN_URL, "c", client=client, **kw)


def test_the_nonce_learnt_once_is_sent_from_the_first_proof(api: Any) -> None:
    key = DPoPKey()
    handler = Recorder(use_dpop_nonce("n-1"), token_ok("n-2"), token_ok("n-3"), token_ok())
    client = api.mock_client(handler)
    results = [api.request_client_credentials_token(_cc(key), http_client=client) for _ in range(3)]
    assert all(r.is_successful and r.token_type == "DPoP" for r in results)
    # 3 calls, 4 round trips: the challenge is paid once, not per call.
    assert len(handler.requests) == 4
    assert handler.nonces() == [None, "n-1", "n-2", "n-3"]
    assert key.nonce_store.get(TOKEN_URL) == "n-3"  # the last answer had none: kept
    for request in handler.requests:
        header, claims = verify_proof(request.headers["dpop"])
        assert header["jwk"] == key.public_jwk
        assert (claims["htm"], claims["htu"]) == ("POST", TOKEN_URL)
        assert "ath" not in claims  # the token endpoint gets no ath


def test_a_stale_remembered_nonce_costs_one_retry_and_no_more(api: Any) -> None:
    key = DPoPKey()
    key.nonce_store.put(TOKEN_URL, "stale")
    handler = Recorder(use_dpop_nonce("fresh"), use_dpop_nonce("fresher"))
    response = api.request_client_credentials_token(_cc(key), http_client=api.mock_client(handler))
    assert response.is_successful is False
    assert response.error_code == "use_dpop_nonce"
    assert handler.nonces() == ["stale", "fresh"]  # exactly one answer per request
    assert key.nonce_store.get(TOKEN_URL) == "fresher"  # remembered for the next call


@pytest.mark.parametrize("method", ["private_key_jwt", "client_secret_jwt"])
def test_the_resend_carries_a_fresh_proof_and_a_fresh_assertion(api: Any, method: str) -> None:
    key = DPoPKey()
    auth = (
        PrivateKeyJwt(DPoPKey("ES256").private_key_pem, "ES256")
        if method == "private_key_jwt"
        else ClientSecretJwt("s" * 32)
    )
    request = ClientCredentialsTokenRequest(TOKEN_URL, "c", client=Client("c", auth, dpop=key))
    handler = Recorder(use_dpop_nonce("n-1"), token_ok())
    response = api.request_client_credentials_token(request, http_client=api.mock_client(handler))
    assert response.is_successful
    first, second = handler.requests
    assert first.headers["dpop"] != second.headers["dpop"]
    assert claims_of(first.headers["dpop"])["jti"] != claims_of(second.headers["dpop"])["jti"]
    assertions = [_form(r)["client_assertion"][0] for r in handler.requests]
    assert claims_of(assertions[0])["jti"] != claims_of(assertions[1])["jti"]


def test_a_nonce_on_an_error_answer_is_remembered(api: Any) -> None:
    key = DPoPKey()
    denied = httpx.Response(400, json={"error": "invalid_grant"}, headers={"DPoP-Nonce": "n-e"})
    handler = Recorder(denied, token_ok())
    client = api.mock_client(handler)
    assert api.request_client_credentials_token(_cc(key), http_client=client).error == (
        "invalid_grant"
    )
    assert api.request_client_credentials_token(_cc(key), http_client=client).is_successful
    assert handler.nonces() == [None, "n-e"]


@pytest.mark.parametrize("garbage", ['a"b', "a b", "x" * 2000])
def test_a_malformed_nonce_is_neither_remembered_nor_echoed(api: Any, garbage: str) -> None:
    key = DPoPKey()
    handler = Recorder(use_dpop_nonce(garbage), token_ok())
    response = api.request_client_credentials_token(_cc(key), http_client=api.mock_client(handler))
    assert response.error_code == "use_dpop_nonce"  # reported, not retried
    assert len(handler.requests) == 1
    assert len(key.nonce_store) == 0


def test_nonces_stay_with_their_origin(api: Any) -> None:
    key = DPoPKey()
    handler = Recorder(token_ok("as-nonce"), token_ok())
    client = api.mock_client(handler)
    api.request_client_credentials_token(_cc(key), http_client=client)
    other = Client("c", ClientSecretBasic("s"), dpop=key)
    api.request_client_credentials_token(
        ClientCredentialsTokenRequest("https://other.example/token", "c", client=other),
        http_client=client,
    )
    assert handler.nonces() == [None, None]
    assert key.nonce_store.get("https://as.example/par") == "as-nonce"


def test_keys_sharing_a_store_share_what_they_learnt(api: Any) -> None:
    shared = DPoPNonceStore()
    first, second = DPoPKey(nonce_store=shared), DPoPKey(nonce_store=shared)
    handler = Recorder(token_ok("n-shared"), token_ok())
    client = api.mock_client(handler)
    api.request_client_credentials_token(_cc(first), http_client=client)
    api.request_client_credentials_token(_cc(second), http_client=client)
    assert handler.nonces() == [None, "n-shared"]


def test_a_proof_factory_has_no_memory_but_its_one_retry(api: Any) -> None:
    key = DPoPKey()
    calls: list[str | None] = []

    def factory(method: str, url: str, nonce: str | None) -> str:
        calls.append(nonce)
        return key.create_proof(method, url, nonce=nonce)

    handler = Recorder(use_dpop_nonce("n-1"), token_ok("n-2"), token_ok())
    client = api.mock_client(handler)
    for _ in range(2):
        request = ClientCredentialsTokenRequest(TOKEN_URL, "c", "s", dpop_proof_factory=factory)
        assert api.request_client_credentials_token(request, http_client=client).is_successful
    assert calls == [None, "n-1", None]
    assert len(key.nonce_store) == 0  # the key was only used as a signer


# ------------------------------------------------------------------------ every endpoint


def _grant_requests(key: DPoPKey) -> list[tuple[str, Any]]:
    client = Client("c", ClientSecretBasic("s"), dpop=key)
    return [
        (
            "request_client_credentials_token",
            ClientCredentialsTokenRequest(TOKEN_URL, "c", client=client),
        ),
        (
            "request_authorization_code_token",
            AuthorizationCodeTokenRequest(
                TOKEN_URL, "c", "code", "https://app.example/cb", "v" * 43, "s", dpop_key=key
            ),
        ),
        ("refresh_token", RefreshTokenRequest(TOKEN_URL, "c", "rt", client=client)),
        ("poll_device_token", DeviceTokenRequest(TOKEN_URL, "c", "dc", client=client)),
        ("poll_backchannel_token", BackchannelTokenRequest(TOKEN_URL, "c", "rid", client=client)),
        (
            "introspect_token",
            TokenIntrospectionRequest("https://as.example/introspect", "tok", "c", client=client),
        ),
        (
            "revoke_token",
            TokenRevocationRequest("https://as.example/revoke", "tok", "c", client=client),
        ),
    ]


@pytest.mark.parametrize("index", range(7), ids=[n for n, _ in _grant_requests(DPoPKey())])
def test_every_client_authenticated_endpoint_takes_the_key(api: Any, index: int) -> None:
    key = DPoPKey()
    name, request = _grant_requests(key)[index]

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/introspect":
            return httpx.Response(200, json={"active": True, "cnf": {"jkt": key.jwk_thumbprint}})
        if request.url.path == "/revoke":
            return httpx.Response(200)
        return token_ok()

    handler = Recorder(use_dpop_nonce("n-1"), answer)
    response = getattr(api, name)(request, http_client=api.mock_client(handler))
    assert response.is_successful, (name, response.error, response.error_description)
    assert handler.nonces() == [None, "n-1"]
    url = str(handler.requests[0].url)
    for sent in handler.requests:
        _, claims = verify_proof(sent.headers["dpop"])
        assert (claims["htm"], claims["htu"]) == ("POST", url)
        assert sent.headers["authorization"].startswith("Basic ")
    if name.startswith(("request_", "refresh", "poll_")):
        assert response.token_type == "DPoP"


# ----------------------------------------------------------------------------- userinfo


def test_userinfo_presents_the_token_as_dpop_with_ath(api: Any) -> None:
    key = DPoPKey()
    ok = httpx.Response(200, json={"sub": "alice"}, headers={"DPoP-Nonce": "u-2"})
    handler = Recorder(resource_nonce_challenge("u-1"), ok)
    client = api.mock_client(handler)
    request = UserInfoRequest(USERINFO_URL + "?x=1", "the-token", dpop_key=key)
    first = api.get_userinfo(request, http_client=client)
    assert first.is_successful and first.sub == "alice"
    second = api.get_userinfo(request, http_client=client)
    assert second.is_successful
    assert handler.nonces() == [None, "u-1", "u-2"]  # the second call: one round trip
    for sent in handler.requests:
        assert sent.headers["authorization"] == "DPoP the-token"
        _, claims = verify_proof(sent.headers["dpop"])
        assert claims["ath"] == compute_ath("the-token")
        assert (claims["htm"], claims["htu"]) == ("GET", USERINFO_URL)


def test_userinfo_answers_one_challenge_only(api: Any) -> None:
    key = DPoPKey()
    key.nonce_store.put(USERINFO_URL, "old")
    handler = Recorder(resource_nonce_challenge("u-1"), resource_nonce_challenge("u-2"))
    response = api.get_userinfo(
        UserInfoRequest(USERINFO_URL, "tok", dpop_key=key, method="POST"),
        http_client=api.mock_client(handler),
    )
    assert response.error_code == "use_dpop_nonce"
    assert handler.nonces() == ["old", "u-1"]
    assert [claims_of(r.headers["dpop"])["htm"] for r in handler.requests] == ["POST", "POST"]
    assert key.nonce_store.get(USERINFO_URL) == "u-2"


# --------------------------------------------------------------------- front channel


def test_the_thumbprint_binds_an_authorization_code() -> None:
    key = DPoPKey()
    url = AuthorizeRequest(
        client_id="app", redirect_uri="https://app.example/cb", dpop_jkt=key.jwk_thumbprint
    ).to_url("https://as.example/authorize")
    assert parse_qs(urlsplit(url).query)["dpop_jkt"] == [key.jwk_thumbprint]
    url = build_authorization_url(
        "https://as.example/authorize",
        "app",
        "https://app.example/cb",
        dpop_jkt=key.jwk_thumbprint,
    )
    assert parse_qs(urlsplit(url).query)["dpop_jkt"] == [key.jwk_thumbprint]
