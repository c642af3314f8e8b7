"""Cache keys, stored entries and the in-memory cache."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from tm_support import TOKEN_URL, Clock

from py_identity_model import (
    CachedToken,
    ClientCredentialsTokenRequest,
    ConfigurationException,
    InMemoryTokenCache,
    ManagedToken,
)
from py_identity_model.endpoints.client import Client
from py_identity_model.endpoints.client_auth import ClientSecretJwt, ClientSecretPost
from py_identity_model.token_management.keys import request_cache_key, session_cache_key


def key(**kw: Any) -> str:
    base: dict[str, Any] = {"address": TOKEN_URL, "client_id": "svc", "client_secret": "s1"}
    base.update(kw)
    address, client_id = base.pop("address"), base.pop("client_id")
    return request_cache_key(ClientCredentialsTokenRequest(address, client_id, **base))


class _Prover:
    def __init__(self, thumbprint: str) -> None:
        self.jwk_thumbprint = thumbprint

    def create_proof(self, method: str, url: str, *, nonce: str | None = None) -> str:
        return "proof"


def test_equal_requests_share_a_key() -> None:
    assert key(scope="a b") == key(scope="a b")
    assert len(key()) == 64


@pytest.mark.parametrize(
    "change",
    [
        {"address": "https://other.example.com/token"},
        {"client_id": "svc2"},
        {"client_secret": "s2"},
        {"scope": "a"},
        {"resource": "urn:api"},
        {"resource": ["urn:api", "urn:other"]},
        {"parameters": {"audience": "x"}},
        {"parameters": {"tenant": "t1"}},
        {"headers": {"X-Tenant": "t1"}},
        {"client_auth_method": "client_secret_post"},
    ],
)
def test_every_token_changing_part_changes_the_key(change: dict[str, Any]) -> None:
    assert key(**change) != key()


def test_the_authentication_and_dpop_key_change_the_key() -> None:
    def with_client(client: Client) -> str:
        return request_cache_key(ClientCredentialsTokenRequest(TOKEN_URL, "svc", client=client))

    post = with_client(Client("svc", ClientSecretPost("s1")))
    jwt = with_client(Client("svc", ClientSecretJwt("s1" * 32)))
    jwt512 = with_client(Client("svc", ClientSecretJwt("s1" * 32, "HS512")))
    bound = with_client(Client("svc", ClientSecretPost("s1"), dpop=_Prover("jkt-1")))
    other = with_client(Client("svc", ClientSecretPost("s1"), dpop=_Prover("jkt-2")))
    assert len({post, jwt, jwt512, bound, other}) == 5
    assert bound == with_client(Client("svc", ClientSecretPost("s1"), dpop=_Prover("jkt-1")))


def test_the_key_never_contains_the_secret() -> None:
    secret = "a-very-recognisable-secret"
    assert secret not in key(client_secret=secret)
    assert secret.encode().hex() not in key(client_secret=secret)


def test_session_keys_hide_the_session_id() -> None:
    assert "session-123" not in session_cache_key("ns", "session-123")
    assert session_cache_key("ns", "a") != session_cache_key("ns2", "a")


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


def test_entries_round_trip_with_absolute_times() -> None:
    value = entry(scope="a", refresh_token="rt", id_token="idt", keep_until=9_000.0)
    text = value.to_json()
    assert "expires_in" not in text
    assert json.loads(text)["expires_at"] == 2_000.0
    assert CachedToken.from_json(text) == value
    assert value.stored_until == 9_000.0 and entry().stored_until == 2_000.0


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        "{}",
        '{"v": 2}',
        '{"v":1,"access_token":"a","token_type":"B","endpoint":"e","issued_at":1}',
        '{"v":1,"access_token":"a","token_type":"B","endpoint":"e","issued_at":1,"expires_at":"9"}',
        '{"v":1,"access_token":"","token_type":"B","endpoint":"e","issued_at":1,"expires_at":9}',
        '{"v":1,"access_token":"a","token_type":"B","endpoint":"e","issued_at":1,"expires_at":9,'
        '"refresh_token":5}',
        '{"v":1,"access_token":"a","token_type":"B","endpoint":"e","issued_at":1,"expires_at":9,'
        '"keep_until":"x"}',
        '{"v":1,"access_token":"a","token_type":"B","endpoint":"e","issued_at":1,"expires_at":1e999}',
        "x" * 70_000,
        "not json",
    ],
)
def test_bad_stored_entries_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        CachedToken.from_json(text)


def test_reprs_hide_tokens() -> None:
    assert "secret-at" not in repr(entry(access_token="secret-at", refresh_token="secret-rt"))
    assert "secret-rt" not in repr(entry(access_token="secret-at", refresh_token="secret-rt"))
    managed = ManagedToken("secret-at", "Bearer", 1.0)
    assert "secret-at" not in repr(managed) and not managed.is_dpop
    assert dataclasses.replace(managed, token_type="DPoP", dpop_key=_Prover("j")).is_dpop


def test_the_memory_cache_is_bounded_and_expires() -> None:
    clock = Clock(1_500.0)
    cache = InMemoryTokenCache(2, clock=clock)
    cache.set("a", entry())
    cache.set("b", entry())
    assert cache.get("a") is not None  # a is now the most recently used
    cache.set("c", entry())
    assert cache.get("b") is None and len(cache) == 2
    clock.now = 2_000.0
    assert cache.peek("a") is None and cache.get("a") is None
    assert len(cache) == 1
    cache.delete("c")
    assert cache.get("c") is None


def test_the_memory_cache_refuses_misuse() -> None:
    with pytest.raises(ConfigurationException):
        InMemoryTokenCache(0)
    with pytest.raises(ConfigurationException):
        InMemoryTokenCache(True)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationException):
        InMemoryTokenCache().set("k", {"access_token": "x"})  # type: ignore[arg-type]


async def test_the_memory_cache_async_methods() -> None:
    cache = InMemoryTokenCache(clock=Clock(1_500.0))
    await cache.aset("k", entry())
    assert (await cache.aget("k")) == entry()
    await cache.adelete("k")
    assert await cache.aget("k") is None
    assert cache.lock("k") is cache.lock("k")
