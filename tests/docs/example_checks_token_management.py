"""Output checks of docs/examples/token_management_*.py (collected by
tests/docs/test_docs_examples.py). The Redis example is given a real redis-server
(tests/redis_fixture.py), started once and stopped when the test process exits."""

from __future__ import annotations

import atexit
import re
from collections.abc import Callable
from typing import Any

from tests.provider.fixture import RunningProvider
from tests.redis_fixture import start_redis

_redis: list[Any] = []


def redis_url(_provider: RunningProvider) -> list[str]:
    if not _redis:
        context = start_redis()
        _redis.append(context.__enter__())
        atexit.register(context.__exit__, None, None, None)
    return [_redis[0].url]


def check_token_management_fastapi(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "statuses: [200]\n" in out
    assert "caller seen by inventory: client-basic\n" in out
    assert "one token for all 20 calls: Bearer api:read\n" in out


def check_token_management_sync(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "token_type=Bearer scope=api:read reused=True\n" in out
    assert re.search(r"^repr: ManagedToken\(access_token=\[redacted\], ", out, re.MULTILINE)
    assert "eyJ" not in out  # no token is ever printed
    assert "force_renewal gives a new token: True\n" in out
    assert "wrong secret: error=invalid_client status=401\n" in out
    assert "orders API: 200 {'orders': [], 'client_id': 'client-basic'}\n" in out
    assert "renewed after the 401: True\n" in out


def check_token_management_async(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "distinct tokens: 1\n" in out
    assert "token requests for 100 concurrent calls: 1\n" in out
    assert "expires in about: 60 min\n" in out
    assert "served from the cache: True requests: 1\n" in out
    assert "auth: ClientCredentialsAuth(name='reports')\n" in out


def check_token_management_redis(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "workers: 4 distinct tokens: 1\n" in out
    assert "stored encrypted: True True\n" in out
    assert "TTL = remaining lifetime, about 60 min\n" in out


CHECKS: dict[str, Callable[[str, RunningProvider], None]] = {
    "token_management_fastapi": check_token_management_fastapi,
    "token_management_sync": check_token_management_sync,
    "token_management_async": check_token_management_async,
    "token_management_redis": check_token_management_redis,
}
EXTRA_ARGS: dict[str, Callable[[RunningProvider], list[str]]] = {
    "token_management_redis": redis_url,
}
