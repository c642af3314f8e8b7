"""Read the signed-in user's claims from the UserInfo endpoint (async API).

Usage: python docs/examples/userinfo_async.py [AUTHORITY] ACCESS_TOKEN

The three calls (the user's claims, a broken token, a wrong ``expected_sub``) run at once.
"""

import asyncio
import sys

from py_identity_model.aio import (
    DiscoveryDocumentRequest,
    UserInfoRequest,
    get_discovery_document,
    get_userinfo,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
if len(sys.argv) < 3:
    sys.exit("usage: userinfo_async.py AUTHORITY ACCESS_TOKEN (a user's access token)")
access_token = sys.argv[2]


async def main() -> None:
    disco = await get_discovery_document(DiscoveryDocumentRequest(authority))
    if not disco.is_successful or not disco.userinfo_endpoint:
        sys.exit(f"discovery failed: {disco.error or 'no userinfo_endpoint'}")
    print("issuer:", disco.issuer)
    endpoint = disco.userinfo_endpoint

    info, broken, other = await asyncio.gather(
        get_userinfo(UserInfoRequest(endpoint, access_token)),
        get_userinfo(UserInfoRequest(endpoint, "not-a-token-this-server-issued")),
        get_userinfo(UserInfoRequest(endpoint, access_token, expected_sub="someone-else")),
    )
    if not info.is_successful or info.claims is None:
        sys.exit(f"userinfo failed: {info.error_code}: {info.error}")
    print("sub:", info.sub)
    print("claims:", sorted(info.claims))
    print(f"broken token: error_code={broken.error_code} http_status={broken.http_status}")
    print("  error_description:", broken.error_description)
    print(f"wrong expected_sub: is_successful={other.is_successful} error_code={other.error_code}")


asyncio.run(main())
