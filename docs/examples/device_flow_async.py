"""The device authorization grant, RFC 8628 (asynchronous API).

Usage: python docs/examples/device_flow_async.py [AUTHORITY]

The same flow as device_flow_sync.py for a confidential client, and the two ways to stop
waiting early: a `cancelled` callback, and cancelling the task that polls. The event loop
keeps running while the library waits between polls.
"""

import asyncio
import sys

from py_identity_model import DeviceAuthorizationRequest, DeviceTokenRequest, PollingProgress
from py_identity_model.aio import (
    get_discovery_document,
    poll_device_token,
    request_device_authorization,
    wait_for_device_token,
)
from py_identity_model.discovery import DiscoveryDocumentRequest


async def main(authority: str) -> None:
    disco = await get_discovery_document(DiscoveryDocumentRequest(authority))
    if not disco.is_successful or not disco.token_endpoint:
        sys.exit(f"discovery failed: {disco.error}")
    print("issuer:", disco.issuer)
    device_endpoint = (disco.json or {}).get("device_authorization_endpoint", "")

    # A confidential client authenticates as at the token endpoint (HTTP Basic here).
    started = await request_device_authorization(
        DeviceAuthorizationRequest(device_endpoint, "client-basic", "openid", "client-basic-secret")
    )
    if not started.is_successful or started.device_code is None:
        sys.exit(f"device authorization failed: {started.error}")
    print(f"user code of {len(started.user_code or '')} characters, interval={started.interval}")
    request = DeviceTokenRequest(
        disco.token_endpoint, "client-basic", started.device_code, "client-basic-secret"
    )
    first = await poll_device_token(request)
    print(f"first poll: error_code={first.error_code}")

    # Stop from outside with a callback: here after two waits. It is asked before every
    # poll and at least once a second while waiting.
    waits: list[PollingProgress] = []
    stopped = await wait_for_device_token(
        request,
        interval=0.5,
        expires_in=started.expires_in,
        on_progress=waits.append,
        cancelled=lambda: len(waits) >= 2,
    )
    print(f"with a callback: error_code={stopped.error_code} after {len(waits)} waits")

    # Or cancel the task: the wait (an asyncio.sleep) ends at once, nothing is left running.
    ticks = 0

    async def other_work() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.1)

    worker = asyncio.create_task(other_work())
    polling = asyncio.create_task(wait_for_device_token(request, interval=1))
    await asyncio.sleep(1.5)
    polling.cancel()
    try:
        await polling
    except asyncio.CancelledError:
        print("task cancelled: True")
    worker.cancel()
    print("the loop kept running while polling:", ticks >= 10)


asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"))
