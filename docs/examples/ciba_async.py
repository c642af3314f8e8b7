"""CIBA, poll mode, with the asynchronous API: a denied request and an expired one.

Usage: python docs/examples/ciba_async.py [AUTHORITY]

Uses the test provider's client "client-ciba" and its test-only /test/ciba/deny route, which
plays the user tapping "deny" on their phone; a real provider notifies the user's device.
"""

import asyncio
import sys

import httpx

from py_identity_model.aio import (
    BackchannelAuthenticationRequest,
    BackchannelTokenRequest,
    DiscoveryDocumentRequest,
    get_discovery_document,
    poll_backchannel_token,
    request_backchannel_authentication,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
CLIENT_ID, CLIENT_SECRET = "client-ciba", "client-ciba-secret"


async def main() -> None:
    disco = await get_discovery_document(DiscoveryDocumentRequest(authority))
    endpoint = disco.backchannel_authentication_endpoint
    if not disco.is_successful or not endpoint or not disco.token_endpoint:
        sys.exit(f"no CIBA at {authority}: {disco.error}")
    print("issuer:", disco.issuer)

    def start(**options: object) -> BackchannelAuthenticationRequest:
        return BackchannelAuthenticationRequest(
            endpoint, CLIENT_ID, client_secret=CLIENT_SECRET, **options
        )

    def poll(auth_req_id: str) -> BackchannelTokenRequest:
        return BackchannelTokenRequest(disco.token_endpoint, CLIENT_ID, auth_req_id, CLIENT_SECRET)

    # bob says no on his phone: the next poll ends with access_denied.
    asked = await request_backchannel_authentication(start(login_hint="bob"))
    assert asked.auth_req_id is not None, asked.error
    async with httpx.AsyncClient() as device:
        await device.post(f"{authority}/test/ciba/deny", data={"auth_req_id": asked.auth_req_id})
    denied = await poll_backchannel_token(poll(asked.auth_req_id))
    print(f"denied: is_successful={denied.is_successful} error_code={denied.error_code}")

    # requested_expiry asks for a short-lived auth_req_id; nobody answers in time.
    short = await request_backchannel_authentication(start(login_hint="alice", requested_expiry=1))
    assert short.auth_req_id is not None, short.error
    print(f"short-lived: expires_in={short.expires_in}")
    await asyncio.sleep(1.5)
    expired = await poll_backchannel_token(poll(short.auth_req_id))
    print(f"expired: is_successful={expired.is_successful} error_code={expired.error_code}")

    # Misuse raises before anything is sent: exactly one hint names the user (CIBA §7.1).
    try:
        await request_backchannel_authentication(start(login_hint="alice", id_token_hint="x"))
    except Exception as exc:  # ConfigurationException
        print(f"two hints: {type(exc).__name__}")


asyncio.run(main())
