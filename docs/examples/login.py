"""Log users in with OidcClient: authorization code + PKCE, and a validated ID token.

Usage: python docs/examples/login.py [AUTHORITY]

A web app runs the two legs in two HTTP requests: ``prepare_login`` when the user clicks
"log in" (redirect the browser to ``login.url``), ``process_response`` when the browser comes
back to the redirect URI. Between them, the user logs in at the provider. Here the test
provider's helper ``complete_login`` fills in its login and consent pages without a browser;
in a real app the user's browser does this step.
"""

import asyncio
import json
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

# Only for the simulated browser step: the helper lives in the repository's tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.provider.fixture import complete_login

from py_identity_model import (
    AuthorizeState,
    DiscoveryDocumentRequest,
    OidcClient,
    OidcClientOptions,
    RefreshTokenRequest,
    get_discovery_document,
    refresh_token,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
REDIRECT_URI = "http://127.0.0.1/callback"  # registered for the test provider's clients

# A public client (no secret; PKCE protects the code). Create it once and share it: it
# caches the provider's discovery document and keys.
client = OidcClient(
    OidcClientOptions(authority, "public-native", REDIRECT_URI, scope="openid profile")
)

# Leg 1: build the authorize URL; keep the state server-side (here: a dict as the session).
login = client.prepare_login()
session = {"login": json.dumps(login.to_dict())}
print("redirect the browser to:", login.url.split("?")[0])

callback = complete_login(login.url, login="alice")  # the browser's part (see above)

# Leg 2: the browser is back at the redirect URI with ?code=...&state=...&iss=...
saved = AuthorizeState.from_dict(json.loads(session.pop("login")))  # one use only
result = client.process_response(callback, saved)
if not result.is_successful or result.claims is None or result.principal is None:
    sys.exit(f"login failed: {result.error_code}: {result.error}: {result.error_description}")
print("is_successful:", result.is_successful)
print("sub:", result.claims["sub"])
print("iss:", result.claims["iss"])
print("aud:", result.claims["aud"])
print("nonce matches:", result.claims["nonce"] == saved.nonce)
identity = result.principal.identity
print("authentication_type:", identity.authentication_type if identity else None)
print("access token expires in:", round((result.expires_at or 0) - time.time()), "s")

# Failures are results with an error_code (stable, for programs) and an error (readable);
# nothing is trusted from a failed callback.
replayed = client.process_response(callback, saved)  # the code was already redeemed
print(
    f"replayed callback: error_code={replayed.error_code} error={replayed.error} "
    f"error_type={replayed.error_type}"
)
another = client.prepare_login()  # a different login attempt: another state
wrong_state = client.process_response(callback, another)
print(f"callback of another login: {wrong_state.error_code} ({wrong_state.error})")
parts = urlsplit(callback)
forged_iss = parts._replace(
    query=urlencode({**dict(parse_qsl(parts.query)), "iss": "https://evil.example"})
).geturl()
print("callback from another issuer:", client.process_response(forged_iss, saved).error_code)
denied = complete_login(another.url, consent=False)  # the user says no
print("consent refused:", client.process_response(denied, another).error_code)

# A refresh token needs offline_access (this provider grants it with prompt=consent).
offline = OidcClient(
    OidcClientOptions(authority, "public-native", REDIRECT_URI, scope="openid offline_access")
)
login = offline.prepare_login(prompt="consent")
result = offline.process_response(complete_login(login.url, login="alice"), login)
disco = get_discovery_document(DiscoveryDocumentRequest(authority))
if not result.refresh_token or not disco.token_endpoint:
    sys.exit(f"no refresh token: {result.error}")
renewed = refresh_token(
    RefreshTokenRequest(disco.token_endpoint, "public-native", result.refresh_token)
)
print(f"refreshed: is_successful={renewed.is_successful} expires_in={renewed.expires_in}")
print("refresh token rotated:", renewed.refresh_token != result.refresh_token)


# The async twins, with a confidential client and max_age (auth_time is then checked).
async def main() -> None:
    confidential = OidcClient(
        OidcClientOptions(
            authority, "client-basic", REDIRECT_URI, client_secret="client-basic-secret"
        )
    )
    login = await confidential.aprepare_login(max_age=300)
    callback = await asyncio.to_thread(complete_login, login.url, login="bob")
    result = await confidential.aprocess_response(callback, login)
    if not result.is_successful or result.claims is None:
        sys.exit(f"async login failed: {result.error}: {result.error_description}")
    print(f"async: is_successful=True sub={result.claims['sub']} aud={result.claims['aud']}")
    print("auth_time within max_age:", time.time() - result.claims["auth_time"] <= 300)


asyncio.run(main())
