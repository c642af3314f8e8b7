"""A worker fleet sharing service tokens through Redis: one token request for all workers.

Usage: python docs/examples/token_management_redis.py [AUTHORITY] [REDIS_URL]

Four worker processes start at the same moment, each with its own
``ClientCredentialsTokenManager`` over a ``RedisTokenCache``: one of them takes the Redis
lock and requests the token, the others wait for it, so they all get the same token.
Entries are encrypted at rest (AES-GCM) with a key every worker shares.
"""

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import redis

from py_identity_model import (
    ClientCredentialsTokenManager,
    ClientCredentialsTokenRequest,
    DiscoveryDocumentRequest,
    RedisTokenCache,
    get_discovery_document,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
redis_url = sys.argv[2] if len(sys.argv) > 2 else "redis://127.0.0.1:6379/0"
PREFIX = f"docs-example-{os.getpid()}:"
# In production: a secret from your vault, the same in every worker (16, 24 or 32 bytes).
KEY = bytes.fromhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")


def worker(token_endpoint: str, start_at: float) -> str:
    manager = ClientCredentialsTokenManager(
        RedisTokenCache(redis_url, prefix=PREFIX, encryption_key=KEY)
    )
    manager.add_client(
        "billing",
        ClientCredentialsTokenRequest(
            token_endpoint, "client-basic", "client-basic-secret",
            scope="api:read", resource="urn:test:api:rs256",
        ),
    )  # fmt: skip
    time.sleep(max(0.0, start_at - time.time()))  # all workers ask at once
    return manager.get_access_token("billing").access_token


if __name__ == "__main__":
    disco = get_discovery_document(DiscoveryDocumentRequest(authority))
    if not disco.is_successful or not disco.token_endpoint:
        sys.exit(f"discovery failed: {disco.error}")
    print("issuer:", disco.issuer)
    start_at = time.time() + 2.0
    with ProcessPoolExecutor(4) as pool:
        tokens = list(pool.map(worker, [disco.token_endpoint] * 4, [start_at] * 4))
    print("workers:", len(tokens), "distinct tokens:", len(set(tokens)))

    raw = redis.Redis.from_url(redis_url)
    (key,) = raw.keys(f"{PREFIX}token:*")
    stored = raw.get(key).decode()
    print("stored encrypted:", stored.startswith("pyidm-enc1."), tokens[0] not in stored)
    print("TTL = remaining lifetime, about", round(raw.pttl(key) / 60_000), "min")
    raw.delete(key)
