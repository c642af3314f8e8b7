"""Keep a discovery document cached: lifetime, single-flight and invalidation.

Usage: python docs/examples/discovery_cache.py [AUTHORITY]
"""

import asyncio
import sys

from py_identity_model import DiscoveryCache

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"

# One cache per authority, created once and shared (it is thread- and task-safe).
cache = DiscoveryCache(authority)

disco = cache.get()  # sync: fetches
if not disco.is_successful:
    sys.exit(f"discovery failed: {disco.error}")
print("issuer:", disco.issuer)
cache.get()  # served from the cache
print("fetches after two get() calls:", cache.fetch_count)


async def many_tasks() -> None:
    cache.invalidate()  # e.g. after a key rotation: the next call fetches again
    # 100 concurrent tasks while the document is missing: one fetch, shared by all.
    results = await asyncio.gather(*(cache.aget() for _ in range(100)))
    print("tasks served:", sum(r.is_successful for r in results))


asyncio.run(many_tasks())
print("fetches after invalidate() and 100 concurrent aget() calls:", cache.fetch_count)
