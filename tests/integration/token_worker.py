"""A worker process for the multi-process token-management tests.

``python -m tests.integration.token_worker <redis_url> <prefix> <token_url> <client_id>
<secret> <resource> <start_at> <threads> [session]`` waits until the wall clock reaches
``start_at``, then asks for a token from ``threads`` threads at once through a
``RedisTokenCache`` and prints one JSON line: the distinct tokens it got. With a
``session`` (a public client: ``secret`` and ``resource`` are ``-``), it asks a
``UserTokenManager`` for that session's access token instead.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any

from py_identity_model import (
    ClientCredentialsTokenManager,
    ClientCredentialsTokenRequest,
    UserTokenManager,
)
from py_identity_model.endpoints.client import Client
from py_identity_model.transport.redis_token_cache import RedisTokenCache


def main(argv: list[str]) -> None:
    redis_url, prefix, token_url, client_id, secret, resource, start_at, threads = argv[:8]
    cache = RedisTokenCache(redis_url, prefix=prefix)
    manager: Any
    if len(argv) > 8:
        name = argv[8]
        manager = UserTokenManager(token_url, Client(client_id), cache)
    else:
        name = "svc"
        manager = ClientCredentialsTokenManager(cache)
        manager.add_client(
            "svc",
            ClientCredentialsTokenRequest(
                token_url, client_id, secret, scope="api:read", resource=resource
            ),
        )
    got: list[str] = []
    errors: list[str] = []

    def ask() -> None:
        try:
            got.append(manager.get_access_token(name).access_token)
        except Exception as exc:
            errors.append(repr(exc))

    workers = [threading.Thread(target=ask) for _ in range(int(threads))]
    time.sleep(max(0.0, float(start_at) - time.time()))
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(json.dumps({"tokens": sorted(set(got)), "count": len(got), "errors": errors}))


if __name__ == "__main__":
    main(sys.argv[1:])
