"""RedisTokenCache against a real redis-server and the real provider.

Token requests go through a counting proxy, so "one request" is what the provider saw:
across managers that share only Redis, across worker processes, with encryption at rest,
and through a Redis outage in the middle of a run.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis

import py_identity_model
from py_identity_model import (
    ClientCredentialsTokenRequest,
    ConfigurationException,
    RedisTokenCache,
    TokenCounters,
    TokenEncryption,
    TokenEventName,
    add_token_listener,
    aio,
    remove_token_listener,
)
from py_identity_model.endpoints.client import Client
from tests.integration.test_tokens_integration import _code_request, _login_for_code
from tests.integration.token_counting_proxy import CountingProxy, counting_proxy
from tests.provider.fixture import RunningProvider
from tests.redis_fixture import RunningRedis

JWT_RESOURCE = "urn:test:api:rs256"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def proxy(provider: RunningProvider) -> Iterator[CountingProxy]:
    with counting_proxy(provider.issuer) as running:
        yield running


@pytest.fixture
def prefix() -> str:
    return f"test-{secrets.token_hex(6)}:"


def token_path(provider: RunningProvider) -> str:
    return urlsplit(provider.token_endpoint).path


def cc_request(provider: RunningProvider, proxy: CountingProxy) -> ClientCredentialsTokenRequest:
    client = provider.client("client-basic")
    return ClientCredentialsTokenRequest(
        proxy.url + token_path(provider),
        client.client_id,
        client.client_secret,
        scope="api:read",
        resource=JWT_RESOURCE,
    )


def new_manager(mode: str, cache: Any) -> Any:
    cls = (
        aio.ClientCredentialsTokenManager
        if mode == "async"
        else (py_identity_model.ClientCredentialsTokenManager)
    )
    return cls(cache)


def get(mode: str, manager: Any, **kw: Any) -> Any:
    if mode == "async":
        return asyncio.run(manager.get_access_token("svc", **kw))
    return manager.get_access_token("svc", **kw)


def test_managers_sharing_only_redis_send_one_request(
    mode: str,
    provider: RunningProvider,
    proxy: CountingProxy,
    redis_server: RunningRedis,
    prefix: str,
) -> None:
    first = new_manager(mode, RedisTokenCache(redis_server.url, prefix=prefix))
    second = new_manager(mode, RedisTokenCache(redis_server.url, prefix=prefix))
    for manager in (first, second):
        manager.add_client("svc", cc_request(provider, proxy))
    one, two = get(mode, first), get(mode, second)
    assert one.access_token == two.access_token
    assert proxy.count("POST", token_path(provider)) == 1
    raw = redis.Redis.from_url(redis_server.url)
    key = f"{prefix}token:{first.cache_key('svc')}"
    ttl_ms = raw.pttl(key)
    assert abs(ttl_ms / 1000 - (one.expires_at - time.time())) < 5  # TTL = remaining lifetime
    stored = json.loads(raw.get(key))
    assert stored["expires_at"] == one.expires_at and "expires_in" not in stored
    assert stored["endpoint"] == proxy.url + token_path(provider)
    assert not any("secret" in k.decode() for k in raw.keys(f"{prefix}*"))


def test_a_renewal_in_one_manager_is_seen_by_the_other(
    mode: str,
    provider: RunningProvider,
    proxy: CountingProxy,
    redis_server: RunningRedis,
    prefix: str,
) -> None:
    first = new_manager(mode, RedisTokenCache(redis_server.url, prefix=prefix))
    second = new_manager(mode, RedisTokenCache(redis_server.url, prefix=prefix))
    for manager in (first, second):
        manager.add_client("svc", cc_request(provider, proxy))
    old = get(mode, first)
    renewed = get(mode, second, force_renewal=True)
    assert renewed.access_token != old.access_token
    # first's warm path still serves its valid token; its next read of Redis sees the new one
    assert first.cache.get(first.cache_key("svc")).access_token == renewed.access_token


def test_encryption_at_rest_with_key_rotation(
    mode: str,
    provider: RunningProvider,
    proxy: CountingProxy,
    redis_server: RunningRedis,
    prefix: str,
) -> None:
    old_key, new_key = secrets.token_bytes(32), secrets.token_bytes(32)
    writer = new_manager(
        mode,
        RedisTokenCache(
            redis_server.url, prefix=prefix, encryption_key=TokenEncryption({"old": old_key})
        ),
    )
    writer.add_client("svc", cc_request(provider, proxy))
    token = get(mode, writer)
    raw = redis.Redis.from_url(redis_server.url)
    stored = raw.get(f"{prefix}token:{writer.cache_key('svc')}").decode()
    assert stored.startswith("pyidm-enc1.old.") and token.access_token not in stored
    rotating = TokenEncryption({"new": new_key, "old": old_key}, current="new")
    reader = new_manager(
        mode, RedisTokenCache(redis_server.url, prefix=prefix, encryption_key=rotating)
    )
    reader.add_client("svc", cc_request(provider, proxy))
    assert get(mode, reader).access_token == token.access_token  # the old kid still reads
    stranger = new_manager(
        mode, RedisTokenCache(redis_server.url, prefix=prefix, encryption_key=new_key)
    )
    stranger.add_client("svc", cc_request(provider, proxy))
    assert get(mode, stranger).access_token != token.access_token  # unreadable: a miss
    assert proxy.count("POST", token_path(provider)) == 2


def test_the_lock_is_released_only_by_its_owner(redis_server: RunningRedis, prefix: str) -> None:
    cache = RedisTokenCache(redis_server.url, prefix=prefix, lock_timeout=0.3)
    raw = redis.Redis.from_url(redis_server.url)
    lock_key = f"{prefix}lock:k"
    with cache.lock("k").hold():
        owner = raw.get(lock_key)
        assert owner is not None and len(owner) == 32
        raw.set(lock_key, b"someone-else")  # our lock expired and another process took it
    assert raw.get(lock_key) == b"someone-else"  # compare-and-delete left it alone
    started = time.monotonic()
    with cache.lock("k").hold():  # held by another owner: we wait until lock_timeout
        pass
    assert time.monotonic() - started >= 0.25
    raw.delete(lock_key)
    with cache.lock("k").hold():
        assert raw.pttl(lock_key) > 0
    assert raw.get(lock_key) is None


def test_worker_processes_send_one_token_request(
    provider: RunningProvider, proxy: CountingProxy, redis_server: RunningRedis, prefix: str
) -> None:
    client = provider.client("client-basic")
    start_at = time.time() + 3.0
    workers = [
        subprocess.Popen(
            [
                sys.executable, "-m", "tests.integration.token_worker", redis_server.url, prefix,
                proxy.url + token_path(provider), client.client_id, client.client_secret,
                JWT_RESOURCE, str(start_at), "20",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]  # fmt: skip
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=60)
        assert worker.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert all(r["errors"] == [] and r["count"] == 20 for r in results), results
    assert len({token for r in results for token in r["tokens"]}) == 1
    assert proxy.count("POST", token_path(provider)) == 1


def test_tasks_sharing_redis_send_one_request(
    provider: RunningProvider, proxy: CountingProxy, redis_server: RunningRedis, prefix: str
) -> None:
    managers = [
        aio.ClientCredentialsTokenManager(RedisTokenCache(redis_server.url, prefix=prefix))
        for _ in range(3)
    ]
    for manager in managers:
        manager.add_client("svc", cc_request(provider, proxy))

    async def main() -> set[str]:
        calls = [m.get_access_token("svc") for m in managers for _ in range(100)]
        return {token.access_token for token in await asyncio.gather(*calls)}

    assert len(asyncio.run(main())) == 1
    assert proxy.count("POST", token_path(provider)) == 1


def test_a_redis_outage_still_gives_tokens_and_is_logged_once(
    mode: str,
    provider: RunningProvider,
    proxy: CountingProxy,
    redis_server_own: RunningRedis,
    prefix: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    cache = RedisTokenCache(redis_server_own.url, prefix=prefix, socket_timeout=0.5)
    manager = new_manager(mode, cache)
    manager.add_client("svc", cc_request(provider, proxy))
    before = get(mode, manager)
    counters = TokenCounters()
    add_token_listener(counters)
    try:
        redis_server_own.stop()
        with caplog.at_level(logging.WARNING, "py_identity_model"):
            assert get(mode, manager).access_token == before.access_token  # warm: no Redis
            renewed = [get(mode, manager, force_renewal=True) for _ in range(3)]
        assert len({t.access_token for t in renewed}) == 3  # direct requests while down
        assert caplog.text.count("Redis is unreachable") == 1
        assert counters.count(TokenEventName.REDIS_FALLBACK) == 1
        assert before.access_token not in caplog.text
        redis_server_own.restart()
        time.sleep(2.1)  # while down, Redis is asked again at most every 2 s
        after = get(mode, manager, force_renewal=True)
        assert counters.count(TokenEventName.REDIS_RECOVERED) == 1
        fresh = new_manager(mode, RedisTokenCache(redis_server_own.url, prefix=prefix))
        fresh.add_client("svc", cc_request(provider, proxy))
        assert get(mode, fresh).access_token == after.access_token  # stored again
    finally:
        remove_token_listener(counters)


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"url": "http://127.0.0.1:6379"}, "Redis URL"),
        ({"url": ""}, "Redis URL"),
        ({"url": "redis://cache.example.com:6379"}, "plain text"),
        ({"url": "redis://127.0.0.1:1", "encryption_key": b"short"}, "16, 24 or 32"),
        ({"url": "redis://127.0.0.1:1", "encryption_key": "text"}, "encryption_key"),
        ({"url": "redis://127.0.0.1:1", "local_ttl": 0}, "local_ttl"),
        ({"url": "redis://127.0.0.1:1", "lock_timeout": -1}, "lock_timeout"),
        ({"url": "redis://127.0.0.1:1", "prefix": 3}, "prefix"),
    ],
)
def test_bad_settings_are_refused(kw: dict[str, Any], match: str) -> None:
    url = kw.pop("url")
    with pytest.raises(ConfigurationException, match=match):
        RedisTokenCache(url, **kw)


def test_plaintext_to_a_remote_host_needs_a_named_opt_out() -> None:
    cache = RedisTokenCache("redis://cache.example.com:6379", allow_plaintext=True)
    assert "cache.example.com" in repr(cache) and "encrypted=False" in repr(cache)
    assert "rediss://" in repr(RedisTokenCache("rediss://user:pw@cache.example.com:6380"))
    assert "pw" not in repr(RedisTokenCache("rediss://user:pw@cache.example.com:6380"))


def test_worker_processes_spend_a_rotating_refresh_token_once(
    provider: RunningProvider, proxy: CountingProxy, redis_server: RunningRedis, prefix: str
) -> None:
    token_url = proxy.url + token_path(provider)
    manager = py_identity_model.UserTokenManager(
        token_url, Client("public-native"), RedisTokenCache(redis_server.url, prefix=prefix)
    )
    code, verifier = _login_for_code(provider, scope="openid offline_access", prompt="consent")
    tokens = py_identity_model.request_authorization_code_token(
        _code_request(provider, code, verifier)
    )
    manager.store_tokens("shared", tokens)
    key = manager.session_key("shared")
    entry = manager.cache.get(key)
    expired = entry.with_changes(issued_at=entry.issued_at - 3600, expires_at=time.time() - 1)
    manager.cache.set(key, expired)
    start_at = time.time() + 3.0
    workers = [
        subprocess.Popen(
            [
                sys.executable, "-m", "tests.integration.token_worker", redis_server.url, prefix,
                token_url, "public-native", "-", "-", str(start_at), "10", "shared",
            ],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(4)
    ]  # fmt: skip
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=60)
        assert worker.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert all(r["errors"] == [] and r["count"] == 10 for r in results), results
    assert len({token for r in results for token in r["tokens"]}) == 1
    assert proxy.count("POST", token_path(provider)) == 1  # one refresh for 40 callers
    rotated = manager.cache.get(key)
    assert rotated.refresh_token != tokens.refresh_token
    # No replay happened, so the grant is alive: the rotated refresh token still works.
    assert manager.get_access_token("shared", force_renewal=True).access_token


def test_a_hanging_redis_is_not_waited_on_by_every_call(
    provider: RunningProvider, proxy: CountingProxy, prefix: str
) -> None:
    import socket

    silent = socket.socket()  # accepts connections, never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    try:
        url = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        manager = py_identity_model.ClientCredentialsTokenManager(
            RedisTokenCache(url, prefix=prefix, socket_timeout=0.3)
        )
        manager.add_client("svc", cc_request(provider, proxy))
        started = time.monotonic()
        first = manager.get_access_token("svc")  # the first command times out: 0.3 s
        second = manager.get_access_token("svc", force_renewal=True)
        elapsed = time.monotonic() - started
        assert first.access_token != second.access_token
        assert elapsed < 1.5, elapsed  # not one timeout per Redis command
    finally:
        silent.close()
