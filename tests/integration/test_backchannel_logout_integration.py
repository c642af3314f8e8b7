"""Back-channel logout end to end against the real provider, sync and async.

* ``client-backchannel`` sessions are ended at the provider (RP-initiated logout); the
  provider delivers real logout tokens to its built-in receiver, and the tests feed them to
  ``handle_backchannel_logout`` as the form POST an RP receives.
* A dynamically registered client points its ``backchannel_logout_uri`` at a small HTTP
  server of this test (127.0.0.1), so the exact bytes and ``Content-Type`` the provider
  POSTs reach the helper unchanged.

Success, replay (the same POST twice), a tampered token and a wrong content type are checked
each way; keys come from discovery and the provider's JWKS.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from py_identity_model import JsonWebToken, MemoryReplayStore, TokenValidationConfig
from py_identity_model.validation.key_source import clear_shared_key_sources
from py_identity_model.validation.logout_token import default_logout_replay_store
from tests.provider.fixture import (
    CALLBACK_URL,
    LOGOUT_CALLBACK_URL,
    RunningProvider,
    complete_login,
    complete_logout,
)
from tests.provider.jws import b64url, b64url_decode

BACKCHANNEL_CLIENT = "client-backchannel"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(autouse=True)
def _fresh_state() -> Iterator[None]:
    clear_shared_key_sources()
    default_logout_replay_store().clear()
    yield
    default_logout_replay_store().clear()
    clear_shared_key_sources()


@dataclass
class Session:
    sid: str
    client_id: str


def _end_session(provider: RunningProvider, client_id: str, secret: str) -> Session:
    """Log alice in as ``client_id`` (code flow), then log out at the provider."""
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        query = urlencode(
            {
                "client_id": client_id,
                "response_type": "code",
                "redirect_uri": CALLBACK_URL,
                "scope": "openid",
                "state": "bcl",
            }
        )
        callback = complete_login(f"{provider.authorization_endpoint}?{query}", http=browser)
        code = parse_qs(urlsplit(callback).query)["code"][0]
        tokens = httpx.post(
            provider.token_endpoint,
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK_URL},
            auth=(client_id, secret),
            timeout=10,
        ).json()
        end_session = f"{provider.endpoint('end_session')}?" + urlencode(
            {"id_token_hint": tokens["id_token"], "post_logout_redirect_uri": LOGOUT_CALLBACK_URL}
        )
        assert complete_logout(end_session, http=browser).startswith(LOGOUT_CALLBACK_URL)
    sid = JsonWebToken.decode_unverified(tokens["id_token"]).payload["sid"]
    return Session(sid, client_id)


def _config(client_id: str) -> TokenValidationConfig:
    return TokenValidationConfig(perform_disco=True, audience=client_id)


def _tamper(token: str) -> str:
    """The same token with ``sub`` changed: the provider's signature no longer matches."""
    import json

    head, payload, signature = token.split(".")
    claims = json.loads(b64url_decode(payload))
    claims["sub"] = "mallory"
    return f"{head}.{b64url(json.dumps(claims).encode())}.{signature}"


# ----------------------------------------------------- the provider's built-in receiver


@pytest.fixture(scope="module")
def delivered(provider: RunningProvider) -> tuple[Session, str]:
    provider.clear_backchannel_logout_tokens()
    client = provider.clients[BACKCHANNEL_CLIENT]
    assert client.client_secret is not None
    session = _end_session(provider, client.client_id, client.client_secret)
    tokens = [
        t
        for t in provider.backchannel_logout_tokens()
        if JsonWebToken.decode_unverified(t).payload.get("sid") == session.sid
    ]
    assert len(tokens) == 1, tokens
    return session, tokens[0]


def test_logout_token_from_the_provider_is_accepted_once(
    api: Any, provider: RunningProvider, delivered: tuple[Session, str]
) -> None:
    session, token = delivered
    body = urlencode({"logout_token": token}).encode("ascii")
    config = _config(session.client_id)
    answer = api.handle_backchannel_logout(FORM, body, config, provider.issuer)
    assert answer.is_successful, answer.error
    assert answer.http_status == 200 and answer.body == b""
    assert answer.headers == {"Cache-Control": "no-store"}
    assert (answer.sub, answer.sid) == ("alice", session.sid)
    assert answer.claims is not None and answer.claims["iss"] == provider.issuer
    # The provider retries deliveries; a second POST of the same token is refused.
    again = api.handle_backchannel_logout(FORM, body, config, provider.issuer)
    assert not again.is_successful
    assert (again.http_status, again.error_code) == (400, "logout_token_replayed")
    assert again.json == {"error": "invalid_request", "error_description": again.error}


def test_validate_logout_token_rejects_the_replay_too(
    api: Any, provider: RunningProvider, delivered: tuple[Session, str]
) -> None:
    from py_identity_model import LogoutTokenValidationException

    session, token = delivered
    config = _config(session.client_id)
    assert api.validate_logout_token(token, config, provider.issuer)["sid"] == session.sid
    with pytest.raises(LogoutTokenValidationException) as info:
        api.validate_logout_token(token, config, provider.issuer)
    assert info.value.details["reason"] == "replayed"
    store = MemoryReplayStore()  # another store has not seen it
    api.validate_logout_token(token, config, provider.issuer, replay_store=store)


def test_tampered_provider_token_is_a_400(
    api: Any, provider: RunningProvider, delivered: tuple[Session, str]
) -> None:
    session, token = delivered
    body = urlencode({"logout_token": _tamper(token)}).encode("ascii")
    answer = api.handle_backchannel_logout(FORM, body, _config(session.client_id), provider.issuer)
    assert (answer.http_status, answer.error_code) == (400, "invalid_logout_token")
    assert "signature" in (answer.error or "")


def test_wrong_audience_is_a_400(
    api: Any, provider: RunningProvider, delivered: tuple[Session, str]
) -> None:
    _session, token = delivered
    body = urlencode({"logout_token": token}).encode("ascii")
    answer = api.handle_backchannel_logout(FORM, body, _config("public-native"), provider.issuer)
    assert (answer.http_status, answer.error_code) == (400, "invalid_logout_token")


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", None])
def test_wrong_content_type_is_a_400(
    api: Any, provider: RunningProvider, delivered: tuple[Session, str], content_type: str | None
) -> None:
    session, token = delivered
    body = urlencode({"logout_token": token}).encode("ascii")
    config = _config(session.client_id)
    answer = api.handle_backchannel_logout(content_type, body, config, provider.issuer)
    assert (answer.http_status, answer.error_code) == (400, "invalid_logout_request")
    assert answer.headers is not None and answer.headers["Cache-Control"] == "no-store"
    # nothing was recorded: the proper POST still succeeds
    assert api.handle_backchannel_logout(FORM, body, config, provider.issuer).is_successful


# ------------------------------------------------------------- our own RP receiver


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[str | None, bytes]]

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.received.append((self.headers.get("Content-Type"), self.rfile.read(length)))
        self.send_response(200)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:  # keep the test output quiet
        return


@pytest.fixture(scope="module")
def receiver() -> Iterator[tuple[str, list[tuple[str | None, bytes]]]]:
    received: list[tuple[str | None, bytes]] = []
    handler = type("Receiver", (_Receiver,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/backchannel-logout", received
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def own_delivery(
    provider: RunningProvider, receiver: tuple[str, list[tuple[str | None, bytes]]]
) -> tuple[Session, str | None, bytes]:
    url, received = receiver
    registered = httpx.post(
        str(provider.metadata["registration_endpoint"]),
        json={
            "redirect_uris": [CALLBACK_URL],
            "post_logout_redirect_uris": [LOGOUT_CALLBACK_URL],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_basic",
            "backchannel_logout_uri": url,
            "backchannel_logout_session_required": True,
        },
        timeout=10,
    )
    assert registered.status_code == 201, registered.text
    client = registered.json()
    session = _end_session(provider, client["client_id"], client["client_secret"])
    deadline = time.monotonic() + 10
    while not received and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(received) == 1, received
    content_type, body = received[0]
    return session, content_type, body


def test_the_providers_own_post_is_handled(
    api: Any, provider: RunningProvider, own_delivery: tuple[Session, str | None, bytes]
) -> None:
    session, content_type, body = own_delivery
    assert content_type is not None and content_type.startswith(FORM)
    config = _config(session.client_id)
    answer = api.handle_backchannel_logout(content_type, body, config, provider.issuer)
    assert answer.is_successful, answer.error
    assert answer.sid == session.sid and answer.sub == "alice"
    replayed = api.handle_backchannel_logout(content_type, body, config, provider.issuer)
    assert (replayed.http_status, replayed.error_code) == (400, "logout_token_replayed")
    # a proxy that rewrote the content type, or cut the body, gets a 400 too
    wrong = api.handle_backchannel_logout("application/json", body, config, provider.issuer)
    assert wrong.error_code == "invalid_logout_request"
    cut = api.handle_backchannel_logout(content_type, body[:-10], config, provider.issuer)
    assert cut.error_code == "invalid_logout_token"
