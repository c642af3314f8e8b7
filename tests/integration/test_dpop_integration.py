"""DPoP on the client (RFC 9449) against the real provider, through both shells (``api``).

* client credentials with ``client-dpop`` (``dpop_bound_access_tokens``): a DPoP token whose
  introspected ``cnf.jkt`` is the key's thumbprint, on the provider with optional nonces and
  on the one that requires them; without a proof the provider refuses;
* N calls to a nonce-requiring server cost N + 1 round trips (a counting transport);
* authorization code (``dpop_jkt``) + refresh for the public client ``public-native``, whose
  refresh tokens are DPoP-bound: the key is saved (PEM, JWK), reloaded, and the refresh still
  works; another key is refused, also at the code redemption;
* UserInfo with the DPoP-bound access token (``Authorization: DPoP`` + a proof with ``ath``)
  on both providers; presented as Bearer, or with another key, it is refused.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from py_identity_model import (
    AuthorizationCodeTokenRequest,
    AuthorizeRequest,
    Client,
    ClientCredentialsTokenRequest,
    ClientSecretBasic,
    DPoPKey,
    HTTPClient,
    RefreshTokenRequest,
    TokenIntrospectionRequest,
    UserInfoRequest,
    aio,
    generate_pkce_pair,
)
from py_identity_model.aio import AsyncHTTPClient
from tests.provider.fixture import RunningProvider, complete_login
from tests.provider.jws import decode_jwt, verify_jwt

OPAQUE = "urn:test:api:opaque"


@pytest.fixture(params=["provider", "provider_dpop_nonce"])
def op(request: pytest.FixtureRequest) -> RunningProvider:
    """Each test runs against the provider with optional nonces and the one requiring them."""
    provider: RunningProvider = request.getfixturevalue(request.param)
    return provider


class CountingSync:
    """Counts the requests of the library's own sync client (and keeps their DPoP proofs)."""

    def __init__(self) -> None:
        self.inner = HTTPClient()
        self.sent: list[Any] = []

    def send_request(self, request: Any) -> Any:
        self.sent.append(request)
        return self.inner.send_request(request)


class CountingAsync:
    def __init__(self) -> None:
        self.inner: AsyncHTTPClient | None = None
        self.sent: list[Any] = []

    async def send_request(self, request: Any) -> Any:
        self.sent.append(request)
        if self.inner is None:  # made inside the event loop that uses it
            self.inner = AsyncHTTPClient()
        return await self.inner.send_request(request)


def _proof_nonce(request: Any) -> str | None:
    header, claims = decode_jwt(request.headers["DPoP"])
    verify_jwt(request.headers["DPoP"], {"keys": [header["jwk"]]})  # an independent check
    nonce: str | None = claims.get("nonce")
    return nonce


def _dpop_client(op: RunningProvider, key: DPoPKey) -> Client:
    secret = op.client("client-dpop").client_secret
    assert secret
    return Client("client-dpop", ClientSecretBasic(secret), dpop=key)


def _client_credentials(op: RunningProvider, key: DPoPKey) -> ClientCredentialsTokenRequest:
    return ClientCredentialsTokenRequest(
        op.token_endpoint, "client-dpop", scope="api:read", resource=OPAQUE,
        client=_dpop_client(op, key),
    )  # fmt: skip


@pytest.mark.parametrize("alg", ["ES256", "PS256", "RS256", "EdDSA"])
def test_client_credentials_token_is_bound_to_the_key(
    api: Any, op: RunningProvider, alg: str
) -> None:
    key = DPoPKey(alg)
    token = api.request_client_credentials_token(_client_credentials(op, key))
    assert token.is_successful, (token.error, token.error_description)
    assert token.token_type == "DPoP"
    introspection = api.introspect_token(
        TokenIntrospectionRequest(
            op.endpoint("introspection_endpoint"), token.access_token, "client-dpop",
            client=_dpop_client(op, key),
        )
    )  # fmt: skip
    assert introspection.is_successful, introspection.error
    assert introspection.active is True
    assert introspection.cnf == {"jkt": key.jwk_thumbprint}


def test_without_a_proof_the_provider_refuses(api: Any, op: RunningProvider) -> None:
    secret = op.client("client-dpop").client_secret
    token = api.request_client_credentials_token(
        ClientCredentialsTokenRequest(
            op.token_endpoint, "client-dpop", secret, "api:read", resource=OPAQUE
        )
    )
    assert token.is_successful is False, "the same request with a proof succeeds (above)"
    # oidc-provider hides the reason ("DPoP proof JWT not provided", in its debug log).
    assert token.error_code == "invalid_grant" and token.http_status == 400


def test_n_calls_cost_n_plus_one_round_trips(
    api: Any, provider_dpop_nonce: RunningProvider
) -> None:
    key = DPoPKey()
    calls = 4
    if api.is_async:
        counting: CountingSync | CountingAsync = CountingAsync()

        async def run_all() -> list[Any]:
            return [
                await aio.request_client_credentials_token(
                    _client_credentials(provider_dpop_nonce, key), http_client=counting
                )
                for _ in range(calls)
            ]

        results = asyncio.run(run_all())
    else:
        counting = CountingSync()
        results = [
            api.request_client_credentials_token(
                _client_credentials(provider_dpop_nonce, key), http_client=counting
            )
            for _ in range(calls)
        ]
    assert all(r.is_successful and r.token_type == "DPoP" for r in results), [
        (r.error, r.error_description) for r in results
    ]
    assert len(counting.sent) == calls + 1  # not 2 * calls
    nonces = [_proof_nonce(request) for request in counting.sent]
    assert nonces[0] is None and all(nonces[1:])


# ------------------------------------------------------ authorization code and refresh


def _login(op: RunningProvider, key: DPoPKey | None, login: str = "alice") -> tuple[str, str]:
    """(code, code_verifier) of a public-native login asking for a refresh token."""
    verifier, challenge = generate_pkce_pair()
    url = AuthorizeRequest(
        client_id="public-native",
        redirect_uri=op.client("public-native").redirect_uri,
        scope="openid offline_access",
        prompt="consent",
        state="s-dpop",
        code_challenge=challenge,
        code_challenge_method="S256",
        dpop_jkt=key.jwk_thumbprint if key is not None else None,
    ).to_url(op.authorization_endpoint)
    redirect = complete_login(url, login=login)
    return parse_qs(urlsplit(redirect).query)["code"][0], verifier


def _redeem(api: Any, op: RunningProvider, code: str, verifier: str, key: DPoPKey) -> Any:
    redirect = op.client("public-native").redirect_uri
    return api.request_authorization_code_token(
        AuthorizationCodeTokenRequest(
            op.token_endpoint, "public-native", code, redirect, verifier, dpop_key=key
        )
    )


def _refresh(api: Any, op: RunningProvider, refresh_token: str, key: DPoPKey) -> Any:
    return api.refresh_token(
        RefreshTokenRequest(
            op.token_endpoint, "public-native", refresh_token,
            client=Client("public-native", dpop=key),
        )
    )  # fmt: skip


def test_a_bound_refresh_token_survives_a_restart_and_refuses_other_keys(
    api: Any, op: RunningProvider
) -> None:
    key = DPoPKey()
    code, verifier = _login(op, key)
    tokens = _redeem(api, op, code, verifier, key)
    assert tokens.is_successful, (tokens.error, tokens.error_description)
    assert tokens.token_type == "DPoP" and tokens.refresh_token
    saved_pem, saved_jwk = key.private_key_pem, key.to_jwk()
    del key  # "restart": only what was saved remains

    refused = _refresh(api, op, tokens.refresh_token, DPoPKey())  # another key
    assert refused.is_successful is False and refused.error_code == "invalid_grant"

    from_pem = DPoPKey.from_pem(saved_pem)
    refreshed = _refresh(api, op, tokens.refresh_token, from_pem)
    assert refreshed.is_successful, (refreshed.error, refreshed.error_description)
    assert refreshed.token_type == "DPoP"
    # oidc-provider does not rotate sender-constrained refresh tokens: the binding is the
    # protection rotation would give.
    assert refreshed.refresh_token == tokens.refresh_token
    assert refreshed.access_token != tokens.access_token

    from_jwk = DPoPKey.from_jwk(saved_jwk)
    again = _refresh(api, op, refreshed.refresh_token, from_jwk)
    assert again.is_successful, (again.error, again.error_description)

    info = api.get_userinfo(
        UserInfoRequest(op.endpoint("userinfo_endpoint"), again.access_token, "alice", from_jwk)
    )
    assert info.is_successful, (info.error, info.error_description)
    assert info.sub == "alice"


def test_a_code_bound_with_dpop_jkt_needs_that_key(api: Any, op: RunningProvider) -> None:
    key = DPoPKey()
    code, verifier = _login(op, key)
    wrong = _redeem(api, op, code, verifier, DPoPKey())
    assert wrong.is_successful is False
    assert wrong.error_code in ("invalid_grant", "invalid_dpop_proof")


# ---------------------------------------------------------------------------- userinfo


def test_userinfo_with_a_dpop_bound_access_token(api: Any, op: RunningProvider) -> None:
    key = DPoPKey("EdDSA")
    code, verifier = _login(op, None, login="bob")
    tokens = _redeem(api, op, code, verifier, key)
    assert tokens.is_successful and tokens.token_type == "DPoP"
    userinfo = op.endpoint("userinfo_endpoint")
    for method in ("GET", "POST"):
        info = api.get_userinfo(
            UserInfoRequest(userinfo, tokens.access_token, "bob", key, method=method)
        )
        assert info.is_successful, (method, info.error, info.error_description)
        assert info.claims["sub"] == "bob"
    # The same token as a bearer token, or with another key's proof, is refused.
    bearer = api.get_userinfo(UserInfoRequest(userinfo, tokens.access_token))
    assert bearer.is_successful is False and bearer.http_status == 401
    other = api.get_userinfo(UserInfoRequest(userinfo, tokens.access_token, dpop_key=DPoPKey()))
    assert other.is_successful is False and other.http_status == 401
    assert other.error_code in ("invalid_token", "invalid_dpop_proof")
