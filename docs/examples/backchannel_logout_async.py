"""Back-channel logout with a shared replay store (async API).

Usage: python docs/examples/backchannel_logout_async.py [AUTHORITY] LOGOUT_TOKEN

Several workers behind a load balancer must reject a logout token that another worker
already accepted, so the replay store is shared: here a stand-in with Redis's
``SET key 1 NX EX ttl`` semantics. Three POSTs arrive at once: the token, the same token
again, and a tampered copy; exactly one is accepted.
"""

import asyncio
import sys
import time
from urllib.parse import urlencode

from py_identity_model.aio import TokenValidationConfig, handle_backchannel_logout

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
if len(sys.argv) < 3:
    sys.exit("usage: backchannel_logout_async.py AUTHORITY LOGOUT_TOKEN")
logout_token = sys.argv[2]


class SharedReplayStore:
    """A ReplayStore: ``add``/``aadd`` record a key unless present; ``ttl`` in seconds."""

    def __init__(self) -> None:
        self._keys: dict[str, float] = {}
        self._lock = asyncio.Lock()

    def add(self, key: str, ttl: float) -> bool:  # for the sync API
        now = time.monotonic()
        if self._keys.get(key, 0.0) > now:
            return False
        self._keys[key] = now + ttl
        return True

    async def aadd(self, key: str, ttl: float) -> bool:  # with Redis: await SET NX EX
        async with self._lock:
            return self.add(key, ttl)

    def __len__(self) -> int:
        return len(self._keys)


store = SharedReplayStore()
config = TokenValidationConfig(perform_disco=True, audience="client-backchannel")
FORM = "application/x-www-form-urlencoded"


async def receive(content_type: str, body: bytes):  # type: ignore[no-untyped-def]
    return await handle_backchannel_logout(
        content_type, body, config, authority, replay_store=store
    )


async def main() -> None:
    form = urlencode({"logout_token": logout_token}).encode("ascii")
    tampered = form[:-12] + b"AAAAAAAAAAAA"
    answers = await asyncio.gather(
        receive(FORM, form), receive(FORM, form), receive(FORM, tampered)
    )
    print("statuses:", sorted(answer.http_status for answer in answers))
    for answer in answers:
        if answer.is_successful:
            print(f"ended: sub={answer.sub}")
            print("issuer:", (answer.claims or {}).get("iss"))
    print("codes:", sorted(a.error_code for a in answers if not a.is_successful))
    print("shared store keys:", len(store))


asyncio.run(main())
