"""JARM with the asynchronous API: ``OidcClient`` with ``response_mode="form_post.jwt"``,
and ``aio.process_jarm_response`` on a POSTed form.

Usage: python docs/examples/jarm_async.py [AUTHORITY]

With a JARM ``response_mode`` the login client verifies the signed ``response`` before it
checks ``state`` and ``iss`` and redeems the code. ``complete_login`` (the test provider's
helper) plays the browser; for ``form_post.jwt`` it returns the auto-submitted form's fields
as the query of the redirect URI, so its query is the POST body an app would receive.
"""

import asyncio
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

# Only for the simulated browser step: the helper lives in the repository's tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.provider.fixture import complete_login

from py_identity_model import OidcClient, OidcClientOptions
from py_identity_model.aio import process_jarm_response

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
REDIRECT_URI = "http://127.0.0.1/callback"


async def main() -> None:
    options = OidcClientOptions(
        authority,
        "client-jarm",
        REDIRECT_URI,
        "openid",
        "client-jarm-secret",
        response_mode="form_post.jwt",
        authorization_signed_response_alg="RS256",  # as registered for the client
    )
    client = OidcClient(options)
    print("issuer:", authority)

    login = await client.aprepare_login()
    posted = urlsplit(complete_login(login.url, login="alice")).query  # the POST body
    print("posted fields:", ", ".join(name for name, _ in parse_qsl(posted)))
    result = await client.aprocess_response(posted, login)
    if not result.is_successful or result.claims is None:
        sys.exit(f"login failed: {result.error_code}: {result.error}")
    print("login:", result.is_successful, "sub:", result.claims["sub"])

    # A callback with plain, unsigned parameters is refused: JARM was asked for.
    plain = await client.aprocess_response(f"code=abc&state={login.state}", login)
    print("plain callback:", plain.error_code)

    # The user declines: the error comes back inside the signed JWT.
    declined = await client.aprepare_login()
    fields = dict(parse_qsl(urlsplit(complete_login(declined.url, consent=False)).query))
    response = await process_jarm_response(fields, client_id="client-jarm", issuer=authority)
    print("declined:", response.is_successful, "error:", response.error)
    print("state of that login:", response.state == declined.state)


asyncio.run(main())
