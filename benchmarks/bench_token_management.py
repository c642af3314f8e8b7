"""Token-management benchmarks: the cost of a cached ``get_access_token``.

Run::

    .venv/bin/python benchmarks/bench_token_management.py [--rounds N] [--batch N]

Parts:

1. **In memory, warm**: ``ClientCredentialsTokenManager().get_access_token(name)`` with a
   cached token (the target is at most 5 µs), next to a floor (one dict lookup, one clock
   read and one comparison: what any cache must do).
2. **Requests**: 10,000 calls within a token's lifetime, counted at the token endpoint (an
   ``httpx.MockTransport``): one request.
3. **Redis** (a real ``redis-server`` on a free port, ``tests/redis_fixture.py``): the warm
   get, served from the in-process layer, and the Redis round-trip path (``cache.get``,
   what a call pays once per ``local_ttl`` or under the refresh lock).
4. **Async, warm**: ``await aio.ClientCredentialsTokenManager().get_access_token(name)``.

Each sample is a batch of ``--batch`` calls timed with ``perf_counter_ns``, the garbage
collector disabled; reported: median and best ns per call over ``--rounds`` samples.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make ``tests`` importable
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from py_identity_model import (  # noqa: E402
    ClientCredentialsTokenManager,
    ClientCredentialsTokenRequest,
    RedisTokenCache,
    aio,
)

TOKEN_URL = "https://as.example.com/token"


class Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        body = {"access_token": f"at-{self.count}", "token_type": "Bearer", "expires_in": 3600}
        return httpx.Response(200, content=json.dumps(body).encode(),
                              headers={"content-type": "application/json"})  # fmt: skip


def request() -> ClientCredentialsTokenRequest:
    return ClientCredentialsTokenRequest(TOKEN_URL, "svc", "secret", scope="api")


def sample(call: Callable[[], Any], batch: int) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        for _ in range(batch):
            call()
        return (time.perf_counter_ns() - start) / batch
    finally:
        gc.enable()


def measure(call: Callable[[], Any], rounds: int, batch: int) -> dict[str, float]:
    for _ in range(max(1, batch // 10)):
        call()  # warm up
    values = [sample(call, batch) for _ in range(rounds)]
    return {"median_ns": statistics.median(values), "min_ns": min(values)}


def show(name: str, result: dict[str, float]) -> None:
    print(
        f"  {name:<42} {result['median_ns'] / 1000:8.2f} µs  (best {result['min_ns'] / 1000:.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--skip-redis", action="store_true")
    args = parser.parse_args()
    results: dict[str, Any] = {}

    entries = {"svc": (object(), time.time() + 3600)}

    def floor() -> object:
        entry, expires = entries["svc"]
        return entry if time.time() < expires else None

    counter = Counter()
    manager = ClientCredentialsTokenManager(
        http_client=httpx.Client(transport=httpx.MockTransport(counter))
    )
    manager.add_client("svc", request())
    manager.get_access_token("svc")
    print("In memory (warm):")
    results["floor"] = measure(floor, args.rounds, args.batch)
    show("floor (dict + clock + compare)", results["floor"])
    results["memory_warm"] = measure(
        lambda: manager.get_access_token("svc"), args.rounds, args.batch
    )
    show("get_access_token (InMemoryTokenCache)", results["memory_warm"])

    fresh = Counter()
    ten = ClientCredentialsTokenManager(
        http_client=httpx.Client(transport=httpx.MockTransport(fresh))
    )
    ten.add_client("svc", request())
    for _ in range(10_000):
        ten.get_access_token("svc")
    results["requests_for_10000_calls"] = fresh.count
    print(f"  10,000 calls -> {fresh.count} token request(s)")

    amanager = aio.ClientCredentialsTokenManager(http_client=httpx.AsyncClient(
        transport=httpx.MockTransport(Counter())))  # fmt: skip
    amanager.add_client("svc", request())

    async def abatch(n: int) -> float:
        await amanager.get_access_token("svc")
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter_ns()
            for _ in range(n):
                await amanager.get_access_token("svc")
            return (time.perf_counter_ns() - start) / n
        finally:
            gc.enable()

    values = [asyncio.run(abatch(args.batch)) for _ in range(args.rounds)]
    results["async_warm"] = {"median_ns": statistics.median(values), "min_ns": min(values)}
    print("Async (warm):")
    show("await get_access_token (InMemoryTokenCache)", results["async_warm"])

    if not args.skip_redis:
        from tests.redis_fixture import start_redis

        with start_redis() as server:
            cache = RedisTokenCache(server.url, prefix="bench:")
            redis_counter = Counter()
            rmanager = ClientCredentialsTokenManager(
                cache, http_client=httpx.Client(transport=httpx.MockTransport(redis_counter))
            )
            rmanager.add_client("svc", request())
            rmanager.get_access_token("svc")
            key = rmanager.cache_key("svc")
            print("Redis:")
            results["redis_warm"] = measure(
                lambda: rmanager.get_access_token("svc"), args.rounds, args.batch
            )
            show("get_access_token (in-process layer)", results["redis_warm"])
            results["redis_round_trip"] = measure(
                lambda: cache.get(key), args.rounds, max(100, args.batch // 20)
            )
            show("cache.get (a Redis round trip)", results["redis_round_trip"])
            results["redis_token_requests"] = redis_counter.count
            cache.close()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
