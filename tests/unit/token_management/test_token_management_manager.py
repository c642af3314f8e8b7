"""ClientCredentialsTokenManager: reuse, windows, failures, single flight (sync and async)."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

import pytest
from tm_support import TOKEN_URL, Clock, TokenServer, run_mode

import py_identity_model
from py_identity_model import (
    ClientCredentialsTokenRequest,
    ConfigurationException,
    InMemoryTokenCache,
    ManagedToken,
    TokenCounters,
    TokenEventName,
    TokenRequestException,
    add_token_listener,
    aio,
    remove_token_listener,
)

MODES = ["sync", "async"]


def request(**kw: Any) -> ClientCredentialsTokenRequest:
    kw.setdefault("scope", "api")
    return ClientCredentialsTokenRequest(TOKEN_URL, "svc", "svc-secret", **kw)


def manager(mode: str, server: TokenServer, clock: Clock | None = None, **kw: Any) -> Any:
    cls = (
        aio.ClientCredentialsTokenManager
        if mode == "async"
        else (py_identity_model.ClientCredentialsTokenManager)
    )
    client = server.async_client() if mode == "async" else server.sync_client()
    if clock is not None:
        kw["cache"] = InMemoryTokenCache(clock=clock)
    made = cls(http_client=client, **kw)
    if clock is not None:
        made._clock = clock  # the manager's wall clock, for the windows
    made.add_client("svc", request())
    return made


def get(mode: str, made: Any, name: str = "svc", **kw: Any) -> ManagedToken:
    return run_mode(mode, lambda: made.get_access_token(name, **kw))  # type: ignore[no-any-return]


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_a_token_is_reused_until_its_refresh_window(mode: str) -> None:
    server, clock = TokenServer(expires_in=3600), Clock()
    made = manager(mode, server, clock)
    first = get(mode, made)
    assert (first.access_token, first.token_type, first.scope) == ("at-1", "Bearer", "api")
    assert first.expires_at == clock.now + 3600
    assert first.dpop_key is None
    clock.advance(3600 - 61)
    assert get(mode, made).access_token == "at-1"
    assert server.count == 1
    clock.advance(31)  # the hard window (the last 30 s of the 60 s lead): waits for a new one
    assert get(mode, made).access_token == "at-2"
    assert server.count == 2


def test_the_early_window_refreshes_once_and_the_token_changes(mode: str) -> None:
    server, clock = TokenServer(expires_in=3600), Clock()
    made = manager(mode, server, clock)
    get(mode, made)
    clock.advance(3600 - 45)  # early window: 60 s lead, its first half
    assert get(mode, made).access_token == "at-2"
    assert get(mode, made).access_token == "at-2"
    assert server.count == 2


def test_a_failed_early_refresh_serves_the_cached_token(
    mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    server, clock = TokenServer(expires_in=3600), Clock()
    made = manager(mode, server, clock)
    get(mode, made)
    clock.advance(3600 - 45)
    server.fail_with = (503, {"error": "temporarily_unavailable"})
    with caplog.at_level(logging.WARNING, "py_identity_model"):
        assert get(mode, made).access_token == "at-1"
    assert "temporarily_unavailable" in caplog.text
    assert "at-1" not in caplog.text and "svc-secret" not in caplog.text
    clock.advance(20)  # now in the hard window: the failure raises
    with pytest.raises(TokenRequestException) as info:
        get(mode, made)
    assert info.value.error == "temporarily_unavailable"
    assert info.value.status_code == 503
    server.fail_with = None  # failures were never cached: the next call asks again
    assert get(mode, made).access_token == f"at-{server.count}"


def test_a_failure_raises_with_the_servers_error_and_is_not_cached(mode: str) -> None:
    server = TokenServer()
    server.fail_with = (401, {"error": "invalid_client", "error_description": "bad secret"})
    made = manager(mode, server)
    with pytest.raises(TokenRequestException) as info:
        get(mode, made)
    exc = info.value
    assert (exc.error, exc.error_description, exc.status_code) == (
        "invalid_client",
        "bad secret",
        401,
    )
    assert exc.url == TOKEN_URL and not exc.relogin_required
    assert "svc-secret" not in str(exc)
    with pytest.raises(TokenRequestException):
        get(mode, made)
    assert server.count == 2  # asked again: a failure is never cached
    server.fail_with = None
    assert get(mode, made).access_token == "at-3"


def test_a_transport_failure_raises_with_its_error_code(mode: str) -> None:
    made = manager(mode, TokenServer())
    made.add_client("down", ClientCredentialsTokenRequest("https://127.0.0.1:1/token", "svc", "s"))
    cls = type(made)
    plain = cls()  # the managed default client: a real connection, refused
    plain.add_client("down", ClientCredentialsTokenRequest("http://127.0.0.1:1/token", "svc", "s"))
    with pytest.raises(TokenRequestException) as info:
        get(mode, plain, "down")
    assert info.value.error_code == "network_error"
    assert info.value.error is None


def test_an_invalid_answer_raises(mode: str) -> None:
    server = TokenServer(expires_in=None)
    server.extra = {"expires_in": "soon"}
    made = manager(mode, server)
    with pytest.raises(TokenRequestException) as info:
        get(mode, made)
    assert info.value.error_code == "invalid_number"


def test_tokens_without_expires_in_get_the_default_lifetime(mode: str) -> None:
    server, clock = TokenServer(expires_in=None), Clock()
    made = manager(mode, server, clock, default_lifetime=120.0)
    token = get(mode, made)
    assert token.expires_at == clock.now + 120
    clock.advance(59)  # lead = min(60, 120 / 2) = 60 s: fresh until 60 s
    assert get(mode, made).access_token == "at-1"
    clock.advance(31)  # hard window
    assert get(mode, made).access_token == "at-2"


def test_short_lived_tokens_are_not_refreshed_on_every_call(mode: str) -> None:
    server, clock = TokenServer(expires_in=30), Clock()
    made = manager(mode, server, clock)  # 60 s lead, but at most half of 30 s
    get(mode, made)
    clock.advance(14)
    assert get(mode, made).access_token == "at-1"
    assert server.count == 1


def test_force_renewal_gets_a_new_token(mode: str) -> None:
    server = TokenServer()
    made = manager(mode, server)
    assert get(mode, made).access_token == "at-1"
    assert get(mode, made, force_renewal=True).access_token == "at-2"
    assert get(mode, made).access_token == "at-2"


def test_granted_scope_wins_over_the_requested_one(mode: str) -> None:
    server = TokenServer()
    server.extra = {"scope": "api narrower"}
    assert get(mode, manager(mode, server)).scope == "api narrower"


def test_misuse_is_refused_before_any_request(mode: str) -> None:
    server = TokenServer()
    made = manager(mode, server)
    with pytest.raises(ConfigurationException, match="no client registered"):
        get(mode, made, "nobody")
    with pytest.raises(ConfigurationException, match="ClientCredentialsTokenRequest"):
        made.add_client("x", object())
    with pytest.raises(ConfigurationException, match="name"):
        made.add_client("", request())
    with pytest.raises(ConfigurationException, match="already registered"):
        made.add_client("svc", request(scope="other"))
    made.add_client("svc", request())  # the same request again: fine
    with pytest.raises(ConfigurationException):
        made.add_client(
            "bad", ClientCredentialsTokenRequest(TOKEN_URL, "svc", "s", client_auth_method="nope")
        )
    assert server.count == 0


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"refresh_before_expiry": -1}, "refresh_before_expiry"),
        ({"refresh_before_expiry": float("nan")}, "refresh_before_expiry"),
        ({"refresh_before_expiry": True}, "refresh_before_expiry"),
        ({"default_lifetime": 0}, "default_lifetime"),
        ({"default_lifetime": "1h"}, "default_lifetime"),
        ({"cache": {}}, "TokenCache"),
    ],
)
def test_bad_settings_are_refused(kw: dict[str, Any], match: str) -> None:
    for cls in (py_identity_model.ClientCredentialsTokenManager, aio.ClientCredentialsTokenManager):
        with pytest.raises(ConfigurationException, match=match):
            cls(**kw)


def test_an_http_url_is_refused_by_the_endpoint_policy(mode: str) -> None:
    server = TokenServer()
    made = manager(mode, server)
    made.add_client("plain", ClientCredentialsTokenRequest("http://as.example.com/t", "svc", "s"))
    with pytest.raises(TokenRequestException) as info:
        get(mode, made, "plain")
    assert info.value.error_code == "https_required"
    assert server.count == 0


def test_reprs_never_show_tokens_or_secrets(mode: str) -> None:
    made = manager(mode, TokenServer())
    token = get(mode, made)
    entry = made.cache.get(made.cache_key("svc"))
    for text in (repr(token), repr(entry), repr(made), repr(made.cache)):
        assert "at-1" not in text and "svc-secret" not in text


def test_events_are_reported_without_tokens(mode: str) -> None:
    counters = TokenCounters()
    seen: list[Any] = []
    add_token_listener(counters)
    add_token_listener(seen.append)
    try:
        server = TokenServer()
        made = manager(mode, server)
        get(mode, made)
        get(mode, made)
        get(mode, made, force_renewal=True)
        server.fail_with = (400, {"error": "invalid_scope"})
        with pytest.raises(TokenRequestException):
            get(mode, made, force_renewal=True)
    finally:
        remove_token_listener(counters)
        remove_token_listener(seen.append)
    assert counters.count(TokenEventName.CACHE_MISS, "svc") == 1
    assert counters.count(TokenEventName.CACHE_HIT, "svc") == 1
    assert counters.count(TokenEventName.TOKEN_RETRIEVED) == 2
    assert counters.count(TokenEventName.RENEWAL_FORCED, "svc") == 2
    assert counters.count(TokenEventName.RETRIEVAL_FAILED, "svc") == 1
    failed = [e for e in seen if e.name == TokenEventName.RETRIEVAL_FAILED]
    assert failed[0].error_code == "invalid_scope"
    assert all("at-" not in repr(e) for e in seen)


def test_a_listener_that_raises_does_not_break_retrieval(
    mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_event: Any) -> None:
        raise RuntimeError("listener bug")

    add_token_listener(broken)
    try:
        with caplog.at_level(logging.ERROR, "py_identity_model"):
            assert get(mode, manager(mode, TokenServer())).access_token == "at-1"
    finally:
        remove_token_listener(broken)
    assert "listener failed" in caplog.text
    with pytest.raises(ConfigurationException):
        add_token_listener("not callable")  # type: ignore[arg-type]


# ------------------------------------------------------------------------- single flight
def test_a_thousand_threads_cause_one_request() -> None:
    server = TokenServer(delay=0.2)
    made = manager("sync", server)
    barrier = threading.Barrier(1000)
    tokens: list[str] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            tokens.append(made.get_access_token("svc").access_token)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(1000)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert server.count == 1
    assert set(tokens) == {"at-1"} and len(tokens) == 1000


def test_a_thousand_tasks_cause_one_request() -> None:
    server = TokenServer(delay=0.1)
    made = manager("async", server)

    async def main() -> list[str]:
        got = await asyncio.gather(*(made.get_access_token("svc") for _ in range(1000)))
        return [token.access_token for token in got]

    tokens = asyncio.run(main())
    assert server.count == 1 and set(tokens) == {"at-1"}


def test_concurrent_forced_renewals_share_one_request() -> None:
    server = TokenServer(delay=0.1)
    made = manager("async", server)

    async def main() -> set[str]:
        await made.get_access_token("svc")
        got = await asyncio.gather(
            *(made.get_access_token("svc", force_renewal=True) for _ in range(200))
        )
        return {token.access_token for token in got}

    assert asyncio.run(main()) == {"at-2"}
    assert server.count == 2


def test_waiters_share_a_failure_instead_of_asking_again() -> None:
    server = TokenServer(delay=0.1)
    server.fail_with = (500, {"error": "server_error"})
    made = manager("sync", server)
    barrier = threading.Barrier(50)
    errors: list[str | None] = []

    def worker() -> None:
        barrier.wait()
        try:
            made.get_access_token("svc")
        except TokenRequestException as exc:
            errors.append(exc.error)

    threads = [threading.Thread(target=worker) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == ["server_error"] * 50
    assert server.count == 1


def test_the_lock_is_released_when_the_request_is_cancelled() -> None:
    server = TokenServer(delay=5.0)
    made = manager("async", server)

    async def main() -> None:
        task = asyncio.ensure_future(made.get_access_token("svc"))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        server.delay = 0.0
        token = await asyncio.wait_for(made.get_access_token("svc"), 2)
        assert token.access_token == "at-1"  # the cancelled request was never answered
        assert server.count == 1

    asyncio.run(main())
