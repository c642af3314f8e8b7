"""``OidcClient`` with pushed authorization requests (RFC 9126), against a mocked provider:
automatic when discovery says ``require_pushed_authorization_requests``, on request with
``use_par``; the pushed form, the URL the browser gets, the login finished through it, and
the failures (no PAR endpoint, a refused push). Sync and async (``mode``)."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from login_support import CLIENT_ID, REDIRECT_URI, FakeOp, Mode, query_of

from py_identity_model import (
    ConfigurationException,
    DiscoveryException,
    PushedAuthorizationException,
)

REQUEST_URI = "urn:ietf:params:oauth:request_uri:abc123"


class ParOp(FakeOp):
    """The mocked provider with a PAR endpoint (``par_reply`` replaces its answer)."""

    def __init__(self, *, required: bool = False) -> None:
        super().__init__()
        self.metadata["pushed_authorization_request_endpoint"] = f"{self.authority}/par"
        self.metadata["require_pushed_authorization_requests"] = required
        self.pushes: list[httpx.Request] = []
        self.par_reply: httpx.Response | None = None

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != "/par":
            return super().handler(request)
        self.pushes.append(request)
        if self.par_reply is not None:
            return self.par_reply
        return httpx.Response(201, json={"request_uri": REQUEST_URI, "expires_in": 90})

    def pushed_form(self) -> dict[str, str]:
        return dict(parse_qsl(self.pushes[-1].content.decode(), keep_blank_values=True))


def _login(mode: Mode, op: ParOp, **options: Any) -> Any:
    client = mode.client(op, client_secret="secret", **options)
    state = mode.prepare(client, login_hint="alice")
    assert state.url == f"{op.authority}/authorize?client_id={CLIENT_ID}&request_uri=" + (
        REQUEST_URI.replace(":", "%3A")
    )
    form = op.pushed_form()
    op.nonce = form["nonce"]
    return client, state, form


def test_required_by_discovery_pushes_automatically(mode: Mode) -> None:
    op = ParOp(required=True)
    client, state, form = _login(mode, op)
    assert form["client_id"] == CLIENT_ID
    assert form["redirect_uri"] == REDIRECT_URI
    assert form["state"] == state.state and form["nonce"] == state.nonce
    assert form["code_challenge_method"] == "S256"
    assert form["login_hint"] == "alice"
    basic = op.pushes[-1].headers["authorization"]
    assert base64.b64decode(basic.split()[1]) == f"{CLIENT_ID}:secret".encode()
    result = mode.process(client, op.callback(state), state)
    assert result.is_successful, (result.error, result.error_description)
    assert op.token_form()["code_verifier"] == state.code_verifier


def test_use_par_pushes_when_not_required(mode: Mode) -> None:
    op = ParOp(required=False)
    client, state, _ = _login(mode, op, use_par=True)
    assert mode.process(client, op.callback(state), state).is_successful


def test_not_required_and_not_asked_sends_parameters_by_value(mode: Mode) -> None:
    op = ParOp(required=False)
    state = mode.prepare(mode.client(op))
    assert query_of(state.url)["state"] == state.state
    assert op.pushes == []


def test_required_without_an_endpoint_raises(mode: Mode) -> None:
    op = ParOp(required=True)
    del op.metadata["pushed_authorization_request_endpoint"]
    with pytest.raises(DiscoveryException, match="requires") as caught:
        mode.prepare(mode.client(op))
    assert caught.value.error_code == "missing_fields"


def test_use_par_without_an_endpoint_raises(mode: Mode) -> None:
    op = ParOp()
    del op.metadata["pushed_authorization_request_endpoint"]
    with pytest.raises(DiscoveryException, match="use_par"):
        mode.prepare(mode.client(op, use_par=True))


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        (lambda: httpx.Response(401, json={"error": "invalid_client"}), "invalid_client"),
        (lambda: httpx.Response(201, json={"expires_in": 60}), "missing_fields"),
        (
            lambda: httpx.Response(201, json={"request_uri": "x", "expires_in": 60}),
            "malformed_request_uri",
        ),
    ],
)
def test_a_failed_push_raises_with_the_response(mode: Mode, reply: Any, code: str) -> None:
    op = ParOp(required=True)
    op.par_reply = reply()
    with pytest.raises(PushedAuthorizationException) as caught:
        mode.prepare(mode.client(op))
    assert caught.value.error_code == code
    assert caught.value.response.error_code == code
    assert caught.value.url == f"{op.authority}/par"
    assert len(op.pushes) == 1


def test_use_par_must_be_a_boolean() -> None:
    with pytest.raises(ConfigurationException, match="use_par"):
        FakeOp().options(use_par="yes")
