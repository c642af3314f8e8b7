"""``OidcClient`` against a mocked provider: the authorize URL, the callback checks (state,
RFC 9207 ``iss``, missing code), the code redemption and its failures, discovery failures.

Every test runs twice (``mode``): through ``prepare_login``/``process_response`` and through
``asyncio.run`` of ``aprepare_login``/``aprocess_response``.
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from login_support import CLIENT_ID, DISCO_PATH, REDIRECT_URI, FakeOp, Mode, Reply, query_of

from py_identity_model import (
    ConfigurationException,
    DiscoveryException,
    PyIdentityModelException,
)
from py_identity_model.http.results import ErrorType
from py_identity_model.login import AuthorizeState, LoginResult


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _assert_not_redeemed(op: FakeOp, result: LoginResult) -> None:
    assert not result.is_successful
    assert op.counts["/token"] == 0, "the code must not be redeemed"
    assert result.token_response is None
    assert result.claims is None
    assert result.principal is None
    assert result.access_token is None


# ------------------------------------------------------------------ prepare_login


def test_prepare_login_builds_code_flow_url_with_pkce(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op, scope="openid profile email")
    state = mode.prepare(client)

    assert state.url.startswith(f"{op.authority}/authorize?")
    params = query_of(state.url)
    assert params["client_id"] == CLIENT_ID
    assert params["redirect_uri"] == REDIRECT_URI
    assert params["response_type"] == "code"
    assert params["scope"] == "openid profile email"
    assert params["state"] == state.state
    assert params["nonce"] == state.nonce
    assert params["code_challenge_method"] == "S256"
    assert params["code_challenge"] == _s256(state.code_verifier)
    assert "code_verifier" not in params
    assert state.redirect_uri == REDIRECT_URI
    assert state.max_age is None
    assert len(state.state) >= 22 and len(state.nonce) >= 22
    assert 43 <= len(state.code_verifier) <= 128
    assert op.counts[DISCO_PATH] == 1


def test_prepare_login_is_fresh_every_time(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op)
    first, second = mode.prepare(client), mode.prepare(client)
    assert first.state != second.state
    assert first.nonce != second.nonce
    assert first.code_verifier != second.code_verifier
    assert op.counts[DISCO_PATH] == 1  # the discovery document is cached by the client


def test_prepare_login_options_and_per_call_parameters(mode: Mode, op: FakeOp) -> None:
    client = mode.client(
        op,
        prompt="login",
        ui_locales="de",
        max_age=600,
        resource="urn:api",
        extra_parameters={"display": "popup"},
    )
    state = mode.prepare(client, prompt="consent", login_hint="alice", max_age=60, foo="bar")
    params = query_of(state.url)
    assert params["prompt"] == "consent"  # per call wins over the option
    assert params["ui_locales"] == "de"
    assert params["login_hint"] == "alice"
    assert params["max_age"] == "60"
    assert params["resource"] == "urn:api"
    assert params["display"] == "popup"
    assert params["foo"] == "bar"
    assert state.max_age == 60  # remembered for the auth_time check


def test_prepare_login_response_mode_option(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op, response_mode="form_post")
    assert query_of(mode.prepare(client).url)["response_mode"] == "form_post"


@pytest.mark.parametrize("name", ["state", "nonce", "redirect_uri", "code_challenge"])
def test_prepare_login_refuses_to_override_protocol_parameters(
    mode: Mode, op: FakeOp, name: str
) -> None:
    client = mode.client(op)
    with pytest.raises(ConfigurationException):
        mode.prepare(client, **{name: "attacker-chosen"})


def test_prepare_login_refuses_back_channel_secrets(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op)
    with pytest.raises(ConfigurationException):
        mode.prepare(client, client_secret="leak")


@pytest.mark.parametrize(
    "reply",
    [
        lambda: httpx.Response(500, text="down"),
        lambda: httpx.Response(200, text="not json"),
        lambda: httpx.ConnectError("refused"),
    ],
    ids=["http-500", "not-json", "connect-error"],
)
def test_prepare_login_raises_discovery_exception(mode: Mode, op: FakeOp, reply: Reply) -> None:
    op.disco_reply = reply
    client = mode.client(op)
    with pytest.raises(DiscoveryException) as caught:
        mode.prepare(client)
    assert isinstance(caught.value, PyIdentityModelException)


def test_prepare_login_needs_an_authorization_endpoint(mode: Mode, op: FakeOp) -> None:
    del op.metadata["authorization_endpoint"]
    with pytest.raises(DiscoveryException):
        mode.prepare(mode.client(op))


def test_prepare_login_rejects_an_issuer_that_is_not_the_authority(mode: Mode, op: FakeOp) -> None:
    op.metadata["issuer"] = "https://evil.example"
    with pytest.raises(DiscoveryException):
        mode.prepare(mode.client(op))


# ------------------------------------------------------------------ happy path


def test_public_client_login(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op)
    state, result = mode.login(client, op)

    assert result.is_successful, (result.error, result.error_description)
    assert result.error is None
    assert result.claims is not None
    assert result.claims["sub"] == "alice"
    assert result.claims["nonce"] == state.nonce
    assert result.principal is not None
    sub = result.principal.find_first("sub")
    assert sub is not None and sub.value == "alice"
    assert result.principal.identity is not None
    assert result.principal.identity.authentication_type == "OpenIdConnect"
    assert result.access_token == op.access_token
    assert result.id_token is not None
    assert result.refresh_token is None
    assert result.expires_at is not None

    form = op.token_form()
    assert form == {
        "grant_type": "authorization_code",
        "code": op.code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": state.code_verifier,
        "client_id": CLIENT_ID,
    }
    assert "authorization" not in op.token_requests[0].headers


def test_confidential_client_authenticates_with_basic(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op, client_secret="s3cret")
    _, result = mode.login(client, op)
    assert result.is_successful, result.error_description
    request = op.token_requests[0]
    expected = base64.b64encode(f"{CLIENT_ID}:s3cret".encode()).decode()
    assert request.headers["authorization"] == f"Basic {expected}"
    assert "client_secret" not in op.token_form()


def test_confidential_client_with_client_secret_post(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op, client_secret="s3cret", client_auth_method="client_secret_post")
    _, result = mode.login(client, op)
    assert result.is_successful, result.error_description
    assert op.token_form()["client_secret"] == "s3cret"
    assert "authorization" not in op.token_requests[0].headers


def test_resource_option_goes_to_the_token_request(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op, resource="urn:api")
    _, result = mode.login(client, op)
    assert result.is_successful, result.error_description
    assert op.token_form()["resource"] == "urn:api"


def test_form_post_body_as_bytes(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op, response_mode="form_post")
    state = mode.prepare(client)
    op.nonce = state.nonce
    body = urlencode({"code": op.code, "state": state.state, "iss": op.authority}).encode()
    result = mode.process(client, body, state)
    assert result.is_successful, result.error_description
    assert op.token_form()["code"] == op.code


def test_redirect_uri_comes_from_the_stored_state(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op)
    state = mode.prepare(client)
    op.nonce = state.nonce
    restored = AuthorizeState.from_dict(state.to_dict())
    result = mode.process(client, op.callback(restored), restored)
    assert result.is_successful, result.error_description
    assert op.token_form()["redirect_uri"] == REDIRECT_URI
    assert op.token_form()["code_verifier"] == state.code_verifier


def test_caches_discovery_and_jwks_across_logins(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op)
    for _ in range(3):
        _, result = mode.login(client, op)
        assert result.is_successful, result.error_description
    assert op.counts[DISCO_PATH] == 1
    assert op.counts["/jwks"] == 1
    assert op.counts["/token"] == 3


# ------------------------------------------------------------------ callback checks


def test_callback_without_code_is_invalid_callback(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op)
    state = mode.prepare(client)
    result = mode.process(client, op.callback(state, code=None), state)
    assert result.error_code == "invalid_callback"
    _assert_not_redeemed(op, result)


def test_state_mismatch_is_invalid_state(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op)
    state = mode.prepare(client)
    other = mode.prepare(client)
    result = mode.process(client, op.callback(other), state)
    assert result.error_code == "invalid_state"
    assert result.error_type == ErrorType.POLICY
    _assert_not_redeemed(op, result)


def test_missing_state_is_invalid_state(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op)
    state = mode.prepare(client)
    result = mode.process(client, op.callback(None), state)
    assert result.error_code == "invalid_state"
    _assert_not_redeemed(op, result)


def test_issuer_mismatch(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op)
    state = mode.prepare(client)
    result = mode.process(client, op.callback(state, iss="https://evil.example"), state)
    assert result.error_code == "issuer_mismatch"
    _assert_not_redeemed(op, result)


def test_missing_issuer_when_advertised(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op)
    state = mode.prepare(client)
    result = mode.process(client, op.callback(state, iss=None), state)
    assert result.error_code == "missing_issuer"
    _assert_not_redeemed(op, result)


def test_missing_issuer_accepted_when_not_advertised(mode: Mode) -> None:
    op = FakeOp(iss_parameter_supported=False)
    client = mode.client(op)
    state = mode.prepare(client)
    op.nonce = state.nonce
    result = mode.process(client, op.callback(state, iss=None), state)
    assert result.is_successful, result.error_description


def test_wrong_issuer_rejected_even_when_not_advertised(mode: Mode) -> None:
    op = FakeOp(iss_parameter_supported=False)
    client = mode.client(op)
    state = mode.prepare(client)
    result = mode.process(client, op.callback(state, iss="https://evil.example"), state)
    assert result.error_code == "issuer_mismatch"
    _assert_not_redeemed(op, result)


def test_error_response_is_reported(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op)
    state = mode.prepare(client)
    callback = op.callback(
        state, code=None, error="access_denied", error_description="User said no"
    )
    result = mode.process(client, callback, state)
    assert result.error == "access_denied"
    assert result.error_description == "User said no"
    assert result.error_type == ErrorType.PROTOCOL
    _assert_not_redeemed(op, result)


def test_error_response_from_another_issuer_is_a_mix_up(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op)
    state = mode.prepare(client)
    callback = op.callback(state, code=None, error="access_denied", iss="https://evil.example")
    result = mode.process(client, callback, state)
    assert result.error_code == "issuer_mismatch"
    _assert_not_redeemed(op, result)


def test_duplicated_code_is_refused(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op)
    state = mode.prepare(client)
    callback = op.callback(state) + "&code=injected"
    result = mode.process(client, callback, state)
    # Refused by the library, not sent by the provider: the library's own code.
    assert result.error_code == "invalid_callback"
    assert result.error_type == ErrorType.INVALID_RESPONSE
    assert result.error_description == "duplicate parameter: code"
    _assert_not_redeemed(op, result)


def test_invalid_request_the_provider_sent_stays_its_error(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op)
    state = mode.prepare(client)
    callback = op.callback(state, code=None, error="invalid_request", error_description="bad")
    result = mode.process(client, callback, state)
    assert result.error_code == "invalid_request"
    assert result.error_type == ErrorType.PROTOCOL
    _assert_not_redeemed(op, result)


@pytest.mark.parametrize("callback", ["", "https://app.example/callback", b""])
def test_empty_callback(mode: Mode, op: FakeOp, callback: str | bytes) -> None:
    client = mode.client(op)
    state = mode.prepare(client)
    result = mode.process(client, callback, state)
    # A callback without parameters is refused before any other check.
    assert result.error_code == "invalid_callback"
    assert result.error_description == "callback contains no parameters"
    _assert_not_redeemed(op, result)


@pytest.mark.parametrize("callback", ["", "https://app.example/callback", b""])
def test_empty_callback_without_iss_support(mode: Mode, callback: str | bytes) -> None:
    op = FakeOp(iss_parameter_supported=False)
    client = mode.client(op)
    state = mode.prepare(client)
    result = mode.process(client, callback, state)
    assert result.error_code == "invalid_callback"
    _assert_not_redeemed(op, result)


# ------------------------------------------------------------------ token endpoint


def test_token_endpoint_error_keeps_the_token_response(mode: Mode, op: FakeOp) -> None:
    op.token_reply = lambda: httpx.Response(
        400, json={"error": "invalid_grant", "error_description": "code expired"}
    )
    client = mode.client(op)
    _, result = mode.login(client, op)
    assert not result.is_successful
    assert result.error == "invalid_grant"
    assert result.error_description == "code expired"
    assert result.http_status == 400
    assert result.json == {"error": "invalid_grant", "error_description": "code expired"}
    assert result.token_response is not None
    assert result.token_response.error == "invalid_grant"
    assert result.token_response.http_status == 400
    assert result.claims is None
    assert result.principal is None
    assert result.access_token is None


@pytest.mark.parametrize(
    "reply",
    [
        lambda: httpx.Response(500, text="<html>oops</html>"),
        lambda: httpx.Response(200, json={"token_type": "Bearer"}),
        lambda: httpx.Response(200, text="not json"),
        lambda: httpx.ConnectError("refused"),
    ],
    ids=["http-500", "no-access-token", "not-json", "connect-error"],
)
def test_unusable_token_response(mode: Mode, op: FakeOp, reply: Reply) -> None:
    op.token_reply = reply
    client = mode.client(op)
    _, result = mode.login(client, op)
    assert not result.is_successful
    assert result.error
    assert result.claims is None
    assert result.principal is None
    assert op.counts["/token"] == 1, "a token request is never retried"


def test_token_response_without_id_token(mode: Mode, op: FakeOp) -> None:
    op.id_token = ""
    client = mode.client(op)
    _, result = mode.login(client, op)
    assert not result.is_successful
    assert result.error_code == "missing_fields"
    assert result.principal is None
    assert result.access_token is None  # a failed login hands out no tokens


# ------------------------------------------------------------------ discovery failures


@pytest.mark.parametrize(
    "reply",
    [lambda: httpx.Response(500, text="down"), lambda: httpx.ConnectError("refused")],
    ids=["http-500", "connect-error"],
)
def test_process_response_discovery_failed(mode: Mode, op: FakeOp, reply: Reply) -> None:
    op.disco_reply = reply
    client = mode.client(op)
    state = AuthorizeState(f"{op.authority}/authorize", "st", "nonce", "v" * 43, REDIRECT_URI)
    result = mode.process(client, op.callback(state), state)
    assert not result.is_successful
    assert result.error == "Discovery failed"
    assert result.error_code in ("http_error", "network_error")  # the discovery result's own
    assert result.error_type in (ErrorType.HTTP, ErrorType.NETWORK)
    _assert_not_redeemed(op, result)


def test_discovery_without_token_endpoint(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op)
    state = mode.prepare(client)
    # A second client (cold cache) sees metadata without a token endpoint.
    del op.metadata["token_endpoint"]
    other = mode.client(op)
    result = mode.process(other, op.callback(state), state)
    assert result.error_code == "missing_fields"
    assert "token_endpoint" in (result.error_description or "")
    _assert_not_redeemed(op, result)


def test_callback_of_a_foreign_url_shape_still_parses(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op)
    state = mode.prepare(client)
    op.nonce = state.nonce
    url = op.callback(state)
    # Parameters in the fragment (as a SPA may forward them) are read too.
    fragment = f"{REDIRECT_URI}#{urlsplit(url).query}"
    result = mode.process(client, fragment, state)
    assert result.is_successful, result.error_description
