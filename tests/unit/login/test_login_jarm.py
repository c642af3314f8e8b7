"""``OidcClient`` with a JARM ``response_mode`` (sync and async, mocked provider).

The callback's ``response`` JWT is verified (with the client's own cached keys) before
anything else; its claims then pass the plain callback's ``iss`` and ``state`` checks and
the code is redeemed. Plain parameters, a rejected JWT, or keys that cannot be fetched fail
the login before any token request.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from login_support import CLIENT_ID, EC_KEY, REDIRECT_URI, RSA_KEY, FakeOp, Mode, query_of

from py_identity_model import ConfigurationException
from py_identity_model.jose import JsonWebKey, sign_compact
from py_identity_model.login import AuthorizeState, OidcClientOptions


def jarm_jwt(op: FakeOp, login: AuthorizeState, key: JsonWebKey = RSA_KEY, **changes: Any) -> str:
    claims: dict[str, Any] = {
        "iss": op.authority,
        "aud": CLIENT_ID,
        "exp": int(time.time()) + 120,
        "code": op.code,
        "state": login.state,
    }
    for name, value in changes.items():
        if value is None:
            claims.pop(name, None)
        else:
            claims[name] = value
    alg = "RS256" if key.kty == "RSA" else "ES256"
    return sign_compact(claims, key, alg, headers={"kid": key.kid})


def prepared(mode: Mode, op: FakeOp, **options: Any) -> tuple[Any, AuthorizeState]:
    options.setdefault("response_mode", "query.jwt")
    client = mode.client(op, **options)
    state = mode.prepare(client)
    op.nonce = query_of(state.url)["nonce"]
    return client, state


@pytest.mark.parametrize("response_mode", ["jwt", "query.jwt", "fragment.jwt", "form_post.jwt"])
def test_a_jarm_login(mode: Mode, op: FakeOp, response_mode: str) -> None:
    client, state = prepared(mode, op, response_mode=response_mode)
    assert query_of(state.url)["response_mode"] == response_mode
    token = jarm_jwt(op, state)
    callback = {
        "jwt": f"{REDIRECT_URI}?response={token}",
        "query.jwt": f"{REDIRECT_URI}?response={token}",
        "fragment.jwt": f"{REDIRECT_URI}#response={token}",
        "form_post.jwt": urlencode({"response": token}).encode(),
    }[response_mode]
    result = mode.process(client, callback, state)
    assert result.is_successful, (result.error_code, result.error, result.error_description)
    assert result.claims is not None and result.claims["sub"] == "alice"
    assert op.token_form()["code"] == op.code
    assert op.counts["/jwks"] == 1  # the JARM response and the ID token share the keys


def test_plain_parameters_are_refused(mode: Mode, op: FakeOp) -> None:
    client, state = prepared(mode, op)
    result = mode.process(client, op.callback(state), state)
    assert result.is_successful is False
    assert result.error_code == "jarm_response_required"
    assert "query.jwt" in (result.error_description or "")
    assert not op.token_requests


def test_an_unsigned_error_is_refused_too(mode: Mode, op: FakeOp) -> None:
    client, state = prepared(mode, op)
    callback = f"{REDIRECT_URI}?error=access_denied&state={state.state}"
    result = mode.process(client, callback, state)
    assert result.error_code == "jarm_response_required"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"aud": "another-client"}, "invalid_audience"),
        ({"iss": "https://evil.example"}, "invalid_issuer"),
        ({"exp": int(time.time()) - 600}, "token_expired"),
        ({"exp": None}, "missing_claim"),
    ],
    ids=["wrong-aud", "wrong-iss", "expired", "no-exp"],
)
def test_a_rejected_jarm_response(
    mode: Mode, op: FakeOp, changes: dict[str, Any], reason: str
) -> None:
    client, state = prepared(mode, op)
    callback = f"{REDIRECT_URI}?response={jarm_jwt(op, state, **changes)}"
    result = mode.process(client, callback, state)
    assert result.is_successful is False
    assert result.error_code == "invalid_jarm_response"
    assert reason in (result.error or "")
    assert not op.token_requests


def test_a_tampered_jarm_response(mode: Mode, op: FakeOp) -> None:
    client, state = prepared(mode, op)
    header, _, signature = jarm_jwt(op, state).split(".")
    _, other_payload, _ = jarm_jwt(op, state, code="attacker-code").split(".")
    callback = f"{REDIRECT_URI}?response={header}.{other_payload}.{signature}"
    result = mode.process(client, callback, state)
    assert result.error_code == "invalid_jarm_response"
    assert "invalid_signature" in (result.error or "")


def test_the_state_inside_the_jwt_is_checked(mode: Mode, op: FakeOp) -> None:
    client, state = prepared(mode, op)
    callback = f"{REDIRECT_URI}?response={jarm_jwt(op, state, state='another-login')}"
    result = mode.process(client, callback, state)
    assert result.error_code == "invalid_state"
    assert not op.token_requests


def test_an_error_inside_the_jwt_is_the_providers(mode: Mode, op: FakeOp) -> None:
    client, state = prepared(mode, op)
    token = jarm_jwt(op, state, code=None, error="access_denied", error_description="aborted")
    result = mode.process(client, f"{REDIRECT_URI}?response={token}", state)
    assert (result.error_code, result.error_description) == ("access_denied", "aborted")


def test_the_registered_algorithm_is_enforced(mode: Mode, op: FakeOp) -> None:
    client, state = prepared(mode, op, authorization_signed_response_alg="ES256")
    result = mode.process(client, f"{REDIRECT_URI}?response={jarm_jwt(op, state)}", state)
    assert result.error_code == "invalid_jarm_response"
    assert "invalid_algorithm" in (result.error or "")
    client, state = prepared(mode, op, authorization_signed_response_alg="ES256")
    accepted = mode.process(client, f"{REDIRECT_URI}?response={jarm_jwt(op, state, EC_KEY)}", state)
    assert accepted.is_successful, (accepted.error_code, accepted.error)


def test_unavailable_keys_fail_the_login(mode: Mode, op: FakeOp) -> None:
    client, state = prepared(mode, op)
    op.jwks_reply = lambda: httpx.Response(500)
    result = mode.process(client, f"{REDIRECT_URI}?response={jarm_jwt(op, state)}", state)
    assert result.is_successful is False
    assert result.error_code == "http_error"
    assert result.error_type is not None and result.error_type.value == "network"
    assert not op.token_requests


def test_without_jarm_a_response_parameter_is_not_read(mode: Mode, op: FakeOp) -> None:
    client, state = prepared(mode, op, response_mode=None)
    result = mode.process(client, f"{REDIRECT_URI}?response={jarm_jwt(op, state)}", state)
    # a plain callback without iss (which this provider promises) and without a code: the
    # JWT is never read when JARM was not asked for
    assert result.error_code == "missing_issuer"
    assert not op.token_requests


@pytest.mark.parametrize(
    "kw",
    [
        {"response_mode": 5},
        {"response_mode": "query", "authorization_signed_response_alg": "RS256"},
        {"authorization_signed_response_alg": "RS256"},
        {"response_mode": "jwt", "authorization_signed_response_alg": "none"},
        {"response_mode": "jwt", "authorization_signed_response_alg": "HS256"},
        {"response_mode": "jwt", "authorization_signed_response_alg": ""},
        {"response_mode": "jwt", "jarm_decryption_keys": "key"},
        {"response_mode": "query", "jarm_decryption_keys": [RSA_KEY]},
    ],
    ids=[
        "mode-not-str", "alg-without-jarm", "alg-without-mode", "alg-none", "alg-hmac",
        "alg-empty", "keys-not-list", "keys-without-jarm",
    ],
)  # fmt: skip
def test_options_misuse(kw: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationException):
        OidcClientOptions("https://op.example", CLIENT_ID, REDIRECT_URI, **kw)


def test_options_uses_jarm() -> None:
    options = OidcClientOptions("https://op.example", CLIENT_ID, REDIRECT_URI)
    assert options.uses_jarm is False
    jarm = OidcClientOptions(
        "https://op.example", CLIENT_ID, REDIRECT_URI, response_mode="form_post.jwt"
    )
    assert jarm.uses_jarm is True
    assert jarm.jarm_validation is jarm.jarm_validation  # built once
