"""Back-channel logout on the RP: the logout token's replay check (on by default, pluggable)
and handle_backchannel_logout (form POST → 200/400 answer), through both shells.

Logout tokens are signed by tests/provider/jws.py with a key of our own (static-key
configuration) or served through discovery by an httpx MockTransport.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from tests.provider.jws import public_jwk, sign_jwt

import py_identity_model
from py_identity_model import (
    BackchannelLogoutResponse,
    ConfigurationException,
    LogoutTokenValidationException,
    MemoryReplayStore,
    ReplayStoreFullError,
    TokenValidationConfig,
    TokenValidationException,
)
from py_identity_model.validation.backchannel_logout import DEFAULT_MAX_LOGOUT_BODY
from py_identity_model.validation.key_source import clear_shared_key_sources
from py_identity_model.validation.logout_token import default_logout_replay_store

ISSUER = "https://op.example.com"
CLIENT = "rp-client"
EVENT = "http://schemas.openid.net/event/backchannel-logout"
FORM = "application/x-www-form-urlencoded"
KEYS_FILE = Path(__file__).resolve().parents[2] / "provider" / "keys.json"
KEY = next(k for k in json.loads(KEYS_FILE.read_text("utf-8"))["keys"] if k["kty"] == "EC")


@pytest.fixture(autouse=True)
def _fresh_stores() -> Iterator[None]:
    default_logout_replay_store().clear()
    clear_shared_key_sources()
    yield
    default_logout_replay_store().clear()
    clear_shared_key_sources()


def logout_token(issuer: str = ISSUER, **changes: Any) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": CLIENT,
        "iat": now,
        "exp": now + 120,
        "jti": uuid.uuid4().hex,
        "sub": "alice",
        "sid": "session-1",
        "events": {EVENT: {}},
    }
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    return sign_jwt(claims, KEY, "ES256", {"typ": "logout+jwt"})


def config(issuer: str = ISSUER) -> TokenValidationConfig:
    return TokenValidationConfig(
        perform_disco=False, key=public_jwk(KEY), audience=CLIENT, issuer=issuer
    )


def form(token: str, **extra: str) -> bytes:
    return urlencode({"logout_token": token, **extra}).encode("ascii")


# ------------------------------------------------------------------ validate_logout_token


def test_replay_check_is_on_by_default(api: Any) -> None:
    token = logout_token()
    assert api.validate_logout_token(token, config())["sid"] == "session-1"
    with pytest.raises(LogoutTokenValidationException) as info:
        api.validate_logout_token(token, config())
    assert info.value.details == {"claim": "jti", "reason": "replayed"}
    assert info.value.token_part == "payload"
    assert token not in str(info.value)


def test_skip_replay_check_is_the_named_opt_out(api: Any) -> None:
    token = logout_token()
    for _ in range(2):
        api.validate_logout_token(token, config(), skip_replay_check=True)
    assert len(default_logout_replay_store()) == 0


def test_replay_key_is_scoped_by_issuer(api: Any) -> None:
    jti = uuid.uuid4().hex
    api.validate_logout_token(logout_token(jti=jti), config())
    other = "https://other-op.example.com"
    api.validate_logout_token(logout_token(other, jti=jti), config(other))
    with pytest.raises(LogoutTokenValidationException):
        api.validate_logout_token(logout_token(jti=jti), config())


def test_a_rejected_token_is_not_recorded(api: Any) -> None:
    token = logout_token()
    with pytest.raises(TokenValidationException):
        api.validate_logout_token(token, config("https://someone-else.example.com"))
    assert len(default_logout_replay_store()) == 0
    api.validate_logout_token(token, config())


def test_a_given_memory_store_is_used(api: Any) -> None:
    store = MemoryReplayStore(10)
    token = logout_token()
    api.validate_logout_token(token, config(), replay_store=store)
    assert len(store) == 1 and len(default_logout_replay_store()) == 0
    with pytest.raises(LogoutTokenValidationException):
        api.validate_logout_token(token, config(), replay_store=store)
    api.validate_logout_token(token, config())  # the default store has not seen it


class SharedStore:
    """A stand-in for Redis: one dict for every "process", sync and async entry points."""

    def __init__(self) -> None:
        self.keys: dict[str, float] = {}
        self.calls: list[str] = []

    def _record(self, key: str, ttl: float) -> bool:
        if key in self.keys:
            return False
        self.keys[key] = ttl
        return True

    def add(self, key: str, ttl: float) -> bool:
        self.calls.append("add")
        return self._record(key, ttl)

    async def aadd(self, key: str, ttl: float) -> bool:
        self.calls.append("aadd")
        await asyncio.sleep(0)
        return self._record(key, ttl)


def test_a_shared_store_is_asked_through_the_driver(api: Any) -> None:
    store = SharedStore()
    token = logout_token()
    api.validate_logout_token(token, config(), replay_store=store)
    with pytest.raises(LogoutTokenValidationException):
        api.validate_logout_token(token, config(), replay_store=store)
    expected = "aadd" if api.is_async else "add"
    assert store.calls == [expected, expected]
    (key,) = store.keys
    assert key.startswith("logout:") and len(key) == len("logout:") + 43
    (ttl,) = store.keys.values()
    assert 100 < ttl <= 120 + 1  # until exp (+ leeway)


def test_full_store_fails_closed(api: Any) -> None:
    store = MemoryReplayStore(1)
    api.validate_logout_token(logout_token(), config(), replay_store=store)
    with pytest.raises(LogoutTokenValidationException) as info:
        api.validate_logout_token(logout_token(), config(), replay_store=store)
    assert info.value.details["reason"] == "replay_store_full"


def test_a_full_shared_store_fails_closed(api: Any) -> None:
    class Full(SharedStore):
        def add(self, key: str, ttl: float) -> bool:
            raise ReplayStoreFullError("full")

        async def aadd(self, key: str, ttl: float) -> bool:
            raise ReplayStoreFullError("full")

    with pytest.raises(LogoutTokenValidationException) as info:
        api.validate_logout_token(logout_token(), config(), replay_store=Full())
    assert info.value.details["reason"] == "replay_store_full"


def test_replay_store_must_be_a_store(api: Any) -> None:
    with pytest.raises(ConfigurationException):
        api.validate_logout_token(logout_token(), config(), replay_store={})


def test_api_compat_positional_signature_is_kept() -> None:
    for module in (py_identity_model, py_identity_model.aio):
        params = list(inspect.signature(module.validate_logout_token).parameters.values())
        names = [p.name for p in params[:4]]
        assert names == [
            "logout_token",
            "token_validation_config",
            "disco_doc_address",
            "http_client",
        ]
        assert all(p.kind is p.KEYWORD_ONLY for p in params[4:])


# -------------------------------------------------------------- handle_backchannel_logout


def test_successful_logout_post(api: Any) -> None:
    answer = api.handle_backchannel_logout(FORM, form(logout_token()), config())
    assert isinstance(answer, BackchannelLogoutResponse)
    assert answer.is_successful and answer.error is None
    assert answer.http_status == 200
    assert answer.headers == {"Cache-Control": "no-store"}
    assert answer.body == b""
    assert (answer.sub, answer.sid) == ("alice", "session-1")
    assert answer.claims is not None and answer.claims["iss"] == ISSUER
    assert "claims=[redacted]" in repr(answer) and ISSUER not in repr(answer)


def test_sid_only_token(api: Any) -> None:
    answer = api.handle_backchannel_logout(FORM, form(logout_token(sub=None)), config())
    assert answer.is_successful and answer.sub is None and answer.sid == "session-1"


def _failed(answer: BackchannelLogoutResponse, code: str) -> dict[str, Any]:
    assert not answer.is_successful
    assert answer.error_code == code, answer.error
    assert answer.http_status == 400
    assert answer.headers == {"Cache-Control": "no-store", "Content-Type": "application/json"}
    body = json.loads(answer.body)
    assert body["error"] == "invalid_request"
    assert body["error_description"] == answer.error_description == answer.error
    assert answer.json == body
    return body


def test_replayed_logout_post(api: Any) -> None:
    body = form(logout_token())
    assert api.handle_backchannel_logout(FORM, body, config()).is_successful
    answer = api.handle_backchannel_logout(FORM, body, config())
    assert "already received" in _failed(answer, "logout_token_replayed")["error_description"]


def test_replay_check_can_be_skipped_in_the_helper(api: Any) -> None:
    body = form(logout_token())
    for _ in range(2):
        assert api.handle_backchannel_logout(
            FORM, body, config(), skip_replay_check=True
        ).is_successful


def test_full_store_in_the_helper(api: Any) -> None:
    store = MemoryReplayStore(1)
    api.handle_backchannel_logout(FORM, form(logout_token()), config(), replay_store=store)
    answer = api.handle_backchannel_logout(FORM, form(logout_token()), config(), replay_store=store)
    _failed(answer, "replay_store_full")


@pytest.mark.parametrize(
    "changes", [{"nonce": "n"}, {"events": None}, {"sub": None, "sid": None}, {"aud": "other"}]
)
def test_invalid_logout_tokens(api: Any, changes: dict[str, Any]) -> None:
    answer = api.handle_backchannel_logout(FORM, form(logout_token(**changes)), config())
    _failed(answer, "invalid_logout_token")


def test_tampered_and_expired_tokens(api: Any) -> None:
    token = logout_token()
    head, _payload, signature = token.split(".")
    forged = logout_token(sub="mallory")
    tampered = f"{head}.{forged.split('.')[1]}.{signature}"
    _failed(api.handle_backchannel_logout(FORM, form(tampered), config()), "invalid_logout_token")
    expired = logout_token(exp=int(time.time()) - 3600, iat=int(time.time()) - 3700)
    _failed(api.handle_backchannel_logout(FORM, form(expired), config()), "invalid_logout_token")
    _failed(
        api.handle_backchannel_logout(FORM, form("not.a.jwt"), config()), "invalid_logout_token"
    )


@pytest.mark.parametrize(
    "content_type",
    [None, "", "application/json", "text/plain", "multipart/form-data; boundary=x"],
)
def test_wrong_content_type(api: Any, content_type: str | None) -> None:
    answer = api.handle_backchannel_logout(content_type, form(logout_token()), config())
    assert FORM in _failed(answer, "invalid_logout_request")["error_description"]


def test_content_type_parameters_and_case_are_accepted(api: Any) -> None:
    content_type = "Application/X-WWW-Form-Urlencoded; charset=UTF-8"
    assert api.handle_backchannel_logout(content_type, form(logout_token()), config()).is_successful


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"", "found no"),
        (b"other=1", "found no"),
        (b"logout_token=", "empty"),
        (b"logout_token=a&logout_token=b", "found 2"),
        ("logout_token=é".encode(), "ASCII"),
        (b"logout_token=" + b"a" * DEFAULT_MAX_LOGOUT_BODY, "exceeds"),
    ],
)
def test_malformed_bodies(api: Any, body: bytes, words: str) -> None:
    answer = api.handle_backchannel_logout(FORM, body, config())
    assert words in _failed(answer, "invalid_logout_request")["error_description"]


def test_body_size_limit_is_configurable(api: Any) -> None:
    body = form(logout_token())
    answer = api.handle_backchannel_logout(FORM, body, config(), max_body_size=100)
    _failed(answer, "invalid_logout_request")
    assert DEFAULT_MAX_LOGOUT_BODY == 65536
    for module in (py_identity_model, py_identity_model.aio):
        default = inspect.signature(module.handle_backchannel_logout).parameters["max_body_size"]
        assert default.default == DEFAULT_MAX_LOGOUT_BODY


def test_other_form_fields_are_ignored(api: Any) -> None:
    body = form(logout_token(), state="x", other="y")
    assert api.handle_backchannel_logout(FORM, body, config()).is_successful


def test_misuse_raises(api: Any) -> None:
    with pytest.raises(ConfigurationException):
        api.handle_backchannel_logout(FORM, "logout_token=x", config())
    no_issuer = TokenValidationConfig(perform_disco=False, key=public_jwk(KEY), audience=CLIENT)
    with pytest.raises(ConfigurationException):
        api.handle_backchannel_logout(FORM, form(logout_token()), no_issuer)


# ------------------------------------------------------------- discovery (mock transport)


def _provider(status: int = 200) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        if status != 200:
            return httpx.Response(status)
        if request.url.path.endswith("openid-configuration"):
            return httpx.Response(200, json={"issuer": ISSUER, "jwks_uri": f"{ISSUER}/jwks"})
        return httpx.Response(200, json={"keys": [{**public_jwk(KEY), "use": "sig"}]})

    return handler


def test_keys_by_discovery(api: Any) -> None:
    client = api.mock_client(_provider())
    cfg = TokenValidationConfig(perform_disco=True, audience=CLIENT)
    answer = api.handle_backchannel_logout(FORM, form(logout_token()), cfg, ISSUER, client)
    assert answer.is_successful and answer.sid == "session-1"


def test_keys_unavailable_is_a_400_with_the_outage_code(api: Any) -> None:
    client = api.mock_client(_provider(503))
    cfg = TokenValidationConfig(perform_disco=True, audience=CLIENT)
    answer = api.handle_backchannel_logout(FORM, form(logout_token()), cfg, ISSUER, client)
    body = _failed(answer, "http_error")
    assert "keys are unavailable" in body["error_description"]


def test_in_memory_replay_check_yields_no_step() -> None:
    """With a static key and the in-memory store the whole flow runs at its first next():
    no driver round trip, no HTTP stack (the store is asked directly)."""
    from py_identity_model.validation.operations import logout_token_flow

    flow = logout_token_flow(logout_token(), config())
    with pytest.raises(StopIteration) as done:
        next(flow)
    assert done.value.value["sid"] == "session-1"
    shared = SharedStore()
    flow = logout_token_flow(logout_token(), config(), replay_store=shared)
    step = next(flow)  # another store: one Fetch step for the driver
    assert step.source.peek() is None
    with pytest.raises(StopIteration):
        flow.send(step.source.get(lambda inner: None))
    assert shared.calls == ["add"]
