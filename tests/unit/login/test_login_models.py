"""``OidcClientOptions`` validation, ``AuthorizeState`` serialisation and what ``repr`` hides."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from login_support import CLIENT_ID, REDIRECT_URI, FakeOp, Mode, json_roundtrip, query_of

from py_identity_model import ConfigurationException, PrivateKeyJwt
from py_identity_model.login import AuthorizeState, LoginResult, OidcClient, OidcClientOptions

AUTHORITY = "https://op.example"


# ------------------------------------------------------------------ OidcClientOptions


@pytest.mark.parametrize("scope", ["profile", "", "openidx profile", "OpenID", "profile email"])
def test_options_require_the_openid_scope(scope: str) -> None:
    with pytest.raises(ConfigurationException, match="openid"):
        OidcClientOptions(AUTHORITY, CLIENT_ID, REDIRECT_URI, scope=scope)


@pytest.mark.parametrize("scope", ["openid", "profile openid", "openid  offline_access"])
def test_options_accept_openid_anywhere(scope: str) -> None:
    assert OidcClientOptions(AUTHORITY, CLIENT_ID, REDIRECT_URI, scope=scope).scope == scope


@pytest.mark.parametrize(
    "args",
    [("", CLIENT_ID, REDIRECT_URI), (AUTHORITY, "", REDIRECT_URI), (AUTHORITY, CLIENT_ID, "")],
    ids=["no-authority", "no-client-id", "no-redirect-uri"],
)
def test_options_require_authority_client_and_redirect(args: tuple[str, str, str]) -> None:
    with pytest.raises(ConfigurationException):
        OidcClientOptions(*args)


def test_options_defaults() -> None:
    options = OidcClientOptions(AUTHORITY, CLIENT_ID, REDIRECT_URI)
    assert options.scope == "openid profile"
    assert options.client_secret is None
    assert options.private_key_jwt is None
    assert options.response_mode is None
    assert options.max_age is None
    assert options.id_token_algorithms is None


def test_options_repr_hides_credentials() -> None:
    key = FakeOp().signer.to_dict()
    options = OidcClientOptions(
        AUTHORITY,
        CLIENT_ID,
        REDIRECT_URI,
        client_secret="top-secret-value",
        extra_parameters={"x": "extra-value"},
    )
    text = repr(options)
    assert CLIENT_ID in text and AUTHORITY in text
    assert "top-secret-value" not in text
    with_key = OidcClientOptions(
        AUTHORITY, CLIENT_ID, REDIRECT_URI, private_key_jwt=PrivateKeyJwt(key, "RS256")
    )
    assert key["d"] not in repr(with_key)
    client = OidcClient(options)
    assert "top-secret-value" not in repr(client)
    assert CLIENT_ID in repr(client)


# ------------------------------------------------------------------ AuthorizeState


def _state(**kw: Any) -> AuthorizeState:
    values: dict[str, Any] = {
        "url": "https://op.example/authorize?state=STATE-VALUE&nonce=NONCE-VALUE",
        "state": "STATE-VALUE",
        "nonce": "NONCE-VALUE",
        "code_verifier": "VERIFIER-VALUE-" + "v" * 40,
        "redirect_uri": REDIRECT_URI,
    }
    values.update(kw)
    return AuthorizeState(**values)


def test_state_round_trips_through_a_json_session_store() -> None:
    state = _state(max_age=120)
    data = json_roundtrip(state.to_dict())
    assert set(data) == {
        "url",
        "state",
        "nonce",
        "code_verifier",
        "redirect_uri",
        "max_age",
        "created_at",
    }
    restored = AuthorizeState.from_dict(data)
    assert restored == state
    assert restored.max_age == 120
    assert restored.created_at == state.created_at


def test_state_round_trips_through_pickle() -> None:
    state = _state()
    assert pickle.loads(pickle.dumps(state)) == state


def test_state_from_dict_tolerates_missing_optional_fields() -> None:
    data = _state().to_dict()
    del data["max_age"], data["created_at"]
    restored = AuthorizeState.from_dict(data)
    assert restored.max_age is None
    assert restored.created_at > 0


@pytest.mark.parametrize("missing", ["url", "state", "nonce", "code_verifier", "redirect_uri"])
def test_state_from_dict_requires_every_secret(missing: str) -> None:
    data = _state().to_dict()
    del data[missing]
    with pytest.raises(ConfigurationException):
        AuthorizeState.from_dict(data)


@pytest.mark.parametrize("name", ["state", "nonce", "code_verifier"])
def test_state_from_dict_rejects_null_secrets(name: str) -> None:
    data = {**_state().to_dict(), name: None}
    with pytest.raises(ConfigurationException):
        AuthorizeState.from_dict(data)


def test_null_state_in_the_store_never_matches_a_callback(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op)
    state = mode.prepare(client)
    op.nonce = state.nonce
    data = {**json_roundtrip(state.to_dict()), "state": None}
    try:
        restored = AuthorizeState.from_dict(data)
    except ConfigurationException:
        return
    result = mode.process(client, op.callback("None"), restored)
    assert result.error == "invalid_state"


def test_state_from_dict_rejects_a_bad_timestamp() -> None:
    data = {**_state().to_dict(), "created_at": "yesterday"}
    with pytest.raises(ConfigurationException):
        AuthorizeState.from_dict(data)


def test_state_is_immutable() -> None:
    state = _state()
    with pytest.raises(AttributeError):
        state.state = "other"  # type: ignore[misc]


def test_state_repr_hides_the_secrets() -> None:
    state = _state()
    text = repr(state) + str(state)
    for secret in ("STATE-VALUE", "NONCE-VALUE", "VERIFIER-VALUE"):
        assert secret not in text
    assert REDIRECT_URI in text


def test_prepared_state_repr_hides_the_secrets(mode: Mode, op: FakeOp) -> None:
    state = mode.prepare(mode.client(op))
    text = repr(state)
    params = query_of(state.url)
    for secret in (state.state, state.nonce, state.code_verifier, params["code_challenge"]):
        assert secret not in text


# ------------------------------------------------------------------ LoginResult


def test_login_result_repr_hides_tokens_and_claims(mode: Mode, op: FakeOp) -> None:
    op.claim_changes = {"email": "alice@example.com"}
    _, result = mode.login(mode.client(op), op)
    assert result.is_successful, result.error_description
    text = repr(result)
    assert op.access_token not in text
    assert result.id_token is not None and result.id_token not in text
    assert "alice@example.com" not in text


def test_failed_login_result_has_no_tokens() -> None:
    result = LoginResult(False, "invalid_state")
    assert result.access_token is None
    assert result.refresh_token is None
    assert result.id_token is None
    assert result.expires_at is None
    assert result.claims is None
    assert result.principal is None
