"""``OidcClient`` end to end against the real provider (oidc-provider), sync and async.

Each test prepares a login, drives the provider's login/consent pages without a browser
(``complete_login`` / ``abort_login``) and hands the redirect back to ``process_response``.
Clients: ``public-native`` (public, PKCE), ``client-basic`` (client_secret_basic),
``client-pkjwt`` (private_key_jwt) and ``client-par`` (requires PAR, not implemented yet).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from py_identity_model import DiscoveryException, PrivateKeyJwt, PyIdentityModelException
from py_identity_model.login import AuthorizeState, LoginResult, OidcClient, OidcClientOptions
from tests.provider.fixture import CALLBACK_URL, RunningProvider, abort_login, complete_login


class Mode:
    """``OidcClient`` driven through its sync methods or ``asyncio.run`` of the async ones."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.is_async = name == "async"

    def prepare(self, client: OidcClient, **kw: Any) -> AuthorizeState:
        if self.is_async:
            return asyncio.run(client.aprepare_login(**kw))
        return client.prepare_login(**kw)

    def process(
        self, client: OidcClient, callback: str | bytes, state: AuthorizeState
    ) -> LoginResult:
        if self.is_async:
            return asyncio.run(client.aprocess_response(callback, state))
        return client.process_response(callback, state)

    def __repr__(self) -> str:
        return self.name


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> Mode:
    return Mode(request.param)


def _client(provider: RunningProvider, client_id: str = "public-native", **kw: Any) -> OidcClient:
    return OidcClient(OidcClientOptions(provider.issuer, client_id, CALLBACK_URL, **kw))


def _query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def _with_query(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query=urlencode(params)))


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _assert_logged_in(result: LoginResult, state: AuthorizeState, sub: str) -> None:
    assert result.is_successful, (result.error, result.error_description)
    assert result.error is None
    assert result.claims is not None
    assert result.claims["sub"] == sub
    assert result.claims["nonce"] == state.nonce
    assert result.principal is not None
    claim = result.principal.find_first("sub")
    assert claim is not None and claim.value == sub
    assert result.access_token
    assert result.id_token and result.id_token.count(".") == 2
    assert result.expires_at is not None and result.expires_at > time.time()


# ------------------------------------------------------------------ happy paths


def test_public_client_login(mode: Mode, provider: RunningProvider) -> None:
    client = _client(provider, scope="openid profile email")
    state = mode.prepare(client)

    endpoint, params = state.url.split("?", 1)[0], _query(state.url)
    assert endpoint == provider.authorization_endpoint
    assert params["client_id"] == "public-native"
    assert params["redirect_uri"] == CALLBACK_URL
    assert params["response_type"] == "code"
    assert params["scope"] == "openid profile email"
    assert params["state"] == state.state
    assert params["nonce"] == state.nonce
    assert params["code_challenge_method"] == "S256"
    assert params["code_challenge"] == _s256(state.code_verifier)

    callback = complete_login(state.url, login="alice")
    assert _query(callback)["iss"] == provider.issuer
    result = mode.process(client, callback, state)
    _assert_logged_in(result, state, "alice")
    assert result.claims is not None
    assert result.claims["iss"] == provider.issuer
    assert result.claims["aud"] == "public-native"
    assert result.refresh_token is None  # no offline_access requested


def test_confidential_client_basic(mode: Mode, provider: RunningProvider) -> None:
    secret = provider.client("client-basic").client_secret
    assert secret == "client-basic-secret"
    client = _client(provider, "client-basic", client_secret=secret)
    state = mode.prepare(client)
    result = mode.process(client, complete_login(state.url, login="bob"), state)
    _assert_logged_in(result, state, "bob")
    assert result.claims is not None and result.claims["aud"] == "client-basic"


def test_confidential_client_with_wrong_secret(mode: Mode, provider: RunningProvider) -> None:
    client = _client(provider, "client-basic", client_secret="not-the-secret")
    state = mode.prepare(client)
    result = mode.process(client, complete_login(state.url), state)
    assert not result.is_successful
    assert result.error == "invalid_client"
    assert result.http_status == 401
    assert result.token_response is not None
    assert result.principal is None


def test_private_key_jwt_client(mode: Mode, provider: RunningProvider) -> None:
    jwk = provider.client("client-pkjwt").private_jwk("RSA")
    client = _client(provider, "client-pkjwt", private_key_jwt=PrivateKeyJwt(jwk, "PS256"))
    state = mode.prepare(client)
    result = mode.process(client, complete_login(state.url), state)
    _assert_logged_in(result, state, "alice")
    assert result.claims is not None and result.claims["aud"] == "client-pkjwt"


def test_refresh_token_with_offline_access(mode: Mode, provider: RunningProvider) -> None:
    client = _client(provider, scope="openid offline_access")
    state = mode.prepare(client, prompt="consent")
    assert _query(state.url)["prompt"] == "consent"
    result = mode.process(client, complete_login(state.url), state)
    _assert_logged_in(result, state, "alice")
    assert result.refresh_token


def test_max_age_gives_auth_time(mode: Mode, provider: RunningProvider) -> None:
    client = _client(provider, max_age=300)
    state = mode.prepare(client)
    assert _query(state.url)["max_age"] == "300"
    assert state.max_age == 300
    result = mode.process(client, complete_login(state.url), state)
    _assert_logged_in(result, state, "alice")
    assert result.claims is not None
    assert isinstance(result.claims["auth_time"], int)
    assert result.claims["auth_time"] <= time.time()


def test_max_age_zero_forces_a_fresh_login(mode: Mode, provider: RunningProvider) -> None:
    client = _client(provider)
    state = mode.prepare(client, max_age=0)
    result = mode.process(client, complete_login(state.url), state)
    _assert_logged_in(result, state, "alice")


def test_id_token_algorithms_option_is_enforced(mode: Mode, provider: RunningProvider) -> None:
    """The provider signs ID tokens with RS256; a client accepting only ES256 refuses them."""
    client = _client(provider, id_token_algorithms=["ES256"])
    state = mode.prepare(client)
    result = mode.process(client, complete_login(state.url), state)
    assert not result.is_successful
    assert result.error_code == "invalid_id_token"
    assert result.access_token is None


# ------------------------------------------------------------------ the user says no


def test_user_aborts(mode: Mode, provider: RunningProvider) -> None:
    client = _client(provider)
    state = mode.prepare(client)
    callback = abort_login(state.url)
    result = mode.process(client, callback, state)
    assert not result.is_successful
    assert result.error == "access_denied"
    assert result.error_description
    assert result.token_response is None
    assert result.principal is None


def test_user_denies_consent(mode: Mode, provider: RunningProvider) -> None:
    client = _client(provider, "client-basic", client_secret="client-basic-secret")
    state = mode.prepare(client)
    result = mode.process(client, complete_login(state.url, consent=False), state)
    assert not result.is_successful
    assert result.error == "access_denied"


# ------------------------------------------------------------------ attacks and misuse


def test_replayed_callback_is_refused(mode: Mode, provider: RunningProvider) -> None:
    client = _client(provider)
    state = mode.prepare(client)
    callback = complete_login(state.url)
    first = mode.process(client, callback, state)
    _assert_logged_in(first, state, "alice")

    second = mode.process(client, callback, state)
    assert not second.is_successful
    assert second.error == "invalid_grant"
    assert second.http_status == 400
    assert second.token_response is not None
    assert second.principal is None


def test_wrong_state_does_not_redeem_the_code(mode: Mode, provider: RunningProvider) -> None:
    client = _client(provider)
    state = mode.prepare(client)
    other = mode.prepare(client)
    callback = complete_login(state.url)

    wrong = mode.process(client, callback, other)
    assert not wrong.is_successful
    assert wrong.error_code == "invalid_state"
    assert wrong.token_response is None

    # The code was not sent to the token endpoint: it still redeems with the right state.
    right = mode.process(client, callback, state)
    _assert_logged_in(right, state, "alice")


def test_tampered_iss_is_a_mix_up(mode: Mode, provider: RunningProvider) -> None:
    assert provider.metadata["authorization_response_iss_parameter_supported"] is True
    client = _client(provider)
    state = mode.prepare(client)
    callback = complete_login(state.url)
    params = _query(callback)

    evil = mode.process(
        client, _with_query(callback, {**params, "iss": "https://evil.example"}), state
    )
    assert evil.error_code == "issuer_mismatch"
    assert evil.token_response is None

    del params["iss"]
    missing = mode.process(client, _with_query(callback, params), state)
    assert missing.error_code == "missing_issuer"
    assert missing.token_response is None

    # Neither attempt spent the code.
    _assert_logged_in(mode.process(client, callback, state), state, "alice")


def test_state_survives_a_session_store(mode: Mode, provider: RunningProvider) -> None:
    """First leg in one worker, second leg in another: only the JSON session travels."""
    first_worker = _client(provider)
    state = mode.prepare(first_worker)
    text = repr(state)
    for secret in (state.state, state.nonce, state.code_verifier):
        assert secret not in text
    session = json.dumps({"login": state.to_dict()})

    callback = complete_login(state.url)

    second_worker = _client(provider)
    restored = AuthorizeState.from_dict(json.loads(session)["login"])
    assert restored == state
    result = mode.process(second_worker, callback, restored)
    _assert_logged_in(result, restored, "alice")


def test_form_post_response_mode(mode: Mode, provider: RunningProvider) -> None:
    client = _client(provider, response_mode="form_post")
    state = mode.prepare(client)
    assert _query(state.url)["response_mode"] == "form_post"
    # complete_login returns the auto-submitted form's fields as the redirect URI's query.
    redirect = complete_login(state.url)
    assert redirect.startswith(f"{CALLBACK_URL}?")
    body = urlsplit(redirect).query.encode("ascii")
    assert b"code=" in body and b"iss=" in body
    result = mode.process(client, body, state)
    _assert_logged_in(result, state, "alice")


def test_par_client_fails_gracefully(mode: Mode, provider: RunningProvider) -> None:
    """client-par requires pushed authorization requests, which prepare_login does not do."""
    client = _client(provider, "client-par", client_secret="client-par-secret")
    state = mode.prepare(client)
    result = mode.process(client, complete_login(state.url), state)
    assert not result.is_successful
    assert result.error == "invalid_request"
    assert result.token_response is None


# ------------------------------------------------------------------ unreachable provider


def test_unreachable_authority(mode: Mode) -> None:
    client = OidcClient(OidcClientOptions("http://127.0.0.1:9", "public-native", CALLBACK_URL))
    with pytest.raises(DiscoveryException) as caught:
        mode.prepare(client)
    assert isinstance(caught.value, PyIdentityModelException)

    state = AuthorizeState("http://127.0.0.1:9/auth", "st", "nonce", "v" * 43, CALLBACK_URL)
    callback = f"{CALLBACK_URL}?code=abc&state=st&iss=http%3A%2F%2F127.0.0.1%3A9"
    result = mode.process(client, callback, state)
    assert not result.is_successful
    assert result.error == "Discovery failed"
    assert result.error_code == "network_error"  # the discovery result's own code
    assert result.token_response is None
