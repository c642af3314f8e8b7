"""FileTokenCache: restarts, permissions, atomic replace, two caches on one file."""

from __future__ import annotations

import asyncio
import os
import secrets
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from tm_support import TOKEN_URL, Clock, TokenServer

import py_identity_model
from py_identity_model import (
    CachedToken,
    ClientCredentialsTokenRequest,
    ConfigurationException,
    FileTokenCache,
    aio,
)


def entry(**kw: Any) -> CachedToken:
    base: dict[str, Any] = {
        "access_token": "at",
        "token_type": "Bearer",
        "expires_at": 2_000.0,
        "issued_at": 1_000.0,
        "endpoint": TOKEN_URL,
    }
    base.update(kw)
    return CachedToken(**base)


def test_tokens_survive_a_restart_and_the_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "state" / "tokens.json"
    server = TokenServer()
    first = py_identity_model.ClientCredentialsTokenManager(
        FileTokenCache(path), http_client=server.sync_client()
    )
    request = ClientCredentialsTokenRequest(TOKEN_URL, "svc", "svc-secret")
    first.add_client("svc", request)
    token = first.get_access_token("svc")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert "svc-secret" not in path.read_text()
    restarted = py_identity_model.ClientCredentialsTokenManager(
        FileTokenCache(path), http_client=server.sync_client()
    )
    restarted.add_client("svc", request)
    assert restarted.get_access_token("svc").access_token == token.access_token
    assert server.count == 1
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tokens-")]


def test_an_expired_token_is_not_served_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    clock = Clock(1_500.0)
    FileTokenCache(path, clock=clock).set("k", entry())
    clock.now = 2_000.0  # the process was down while the token expired
    assert FileTokenCache(path, clock=clock).get("k") is None


def test_a_corrupt_file_counts_as_empty(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "tokens.json"
    path.write_text("{not json")
    cache = FileTokenCache(path, clock=Clock(1_500.0))
    assert cache.get("k") is None
    assert "unreadable" in caplog.text
    cache.set("k", entry())
    assert FileTokenCache(path, clock=Clock(1_500.0)).get("k") == entry()
    path.write_text('{"k": "garbage", "j": 5}')
    assert FileTokenCache(path, clock=Clock(1_500.0)).get("k") is None


def test_entries_are_bounded_and_deleted(tmp_path: Path) -> None:
    cache = FileTokenCache(tmp_path / "t.json", max_entries=2, clock=Clock(1_500.0))
    cache.set("a", entry(expires_at=3_000.0))
    cache.set("b", entry(expires_at=1_800.0))
    cache.set("c", entry(expires_at=4_000.0))
    reread = FileTokenCache(tmp_path / "t.json", clock=Clock(1_500.0))
    assert reread.get("b") is None and reread.get("a") is not None
    cache.delete("a")
    assert FileTokenCache(tmp_path / "t.json", clock=Clock(1_500.0)).get("a") is None
    assert cache.peek("c") is not None and cache.peek("a") is None


def test_encrypted_entries(tmp_path: Path) -> None:
    key = secrets.token_bytes(32)
    path = tmp_path / "t.json"
    FileTokenCache(path, encryption_key=key, clock=Clock(1_500.0)).set("k", entry())
    assert '"at"' not in path.read_text() and "pyidm-enc1." in path.read_text()
    assert FileTokenCache(path, encryption_key=key, clock=Clock(1_500.0)).get("k") == entry()
    other = FileTokenCache(path, encryption_key=secrets.token_bytes(32), clock=Clock(1_500.0))
    assert other.get("k") is None
    assert FileTokenCache(path, clock=Clock(1_500.0)).get("k") is None  # not plain JSON


def test_two_caches_on_one_file_refresh_once(tmp_path: Path) -> None:
    # Two "processes" (two caches, two sets of file descriptors) and 40 threads each.
    path = tmp_path / "tokens.json"
    server = TokenServer(delay=0.2)
    managers = []
    for _ in range(2):
        manager = py_identity_model.ClientCredentialsTokenManager(
            FileTokenCache(path), http_client=server.sync_client()
        )
        manager.add_client("svc", ClientCredentialsTokenRequest(TOKEN_URL, "svc", "s"))
        managers.append(manager)
    barrier = threading.Barrier(80)
    tokens: list[str] = []

    def ask(manager: Any) -> None:
        barrier.wait()
        tokens.append(manager.get_access_token("svc").access_token)

    threads = [threading.Thread(target=ask, args=(m,)) for m in managers for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert server.count == 1 and set(tokens) == {"at-1"} and len(tokens) == 80


def test_async_managers_share_the_file(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    server = TokenServer(delay=0.05)
    managers = []
    for _ in range(2):
        manager = aio.ClientCredentialsTokenManager(
            FileTokenCache(path), http_client=server.async_client()
        )
        manager.add_client("svc", ClientCredentialsTokenRequest(TOKEN_URL, "svc", "s"))
        managers.append(manager)

    async def main() -> set[str]:
        got = await asyncio.gather(
            *(m.get_access_token("svc") for m in managers for _ in range(50))
        )
        return {t.access_token for t in got}

    assert asyncio.run(main()) == {"at-1"}
    assert server.count == 1


def test_misuse_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationException, match="directory"):
        FileTokenCache(tmp_path)
    with pytest.raises(ConfigurationException):
        FileTokenCache("")
    with pytest.raises(ConfigurationException):
        FileTokenCache(tmp_path / "t.json", max_entries=0)
    with pytest.raises(ConfigurationException):
        FileTokenCache(tmp_path / "t.json").set("k", "value")  # type: ignore[arg-type]
    assert "t.json" in repr(FileTokenCache(tmp_path / "t.json"))
    assert os.path.exists(tmp_path)
