"""Log a user in under the FAPI 2.0 Security Profile: PAR, PKCE S256, private_key_jwt with the
issuer as audience, DPoP-bound tokens, PS256/ES256/EdDSA signatures only (synchronous API).

Usage: python docs/examples/fapi_sync.py [AUTHORITY]

The client is the test provider's ``client-fapi`` (its public keys are registered there, and
the provider runs it under oidc-provider's FAPI 2.0 profile). ``complete_login`` stands in for
the user's browser.
"""

import json
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the simulated browser only
from tests.provider.fixture import complete_login

from py_identity_model import (
    Client,
    ClientSecretBasic,
    DPoPKey,
    FapiPolicy,
    FapiViolationError,
    JsonWebToken,
    OidcClient,
    OidcClientOptions,
    PrivateKeyJwt,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
REDIRECT_URI = "http://127.0.0.1/callback"
REPO_ROOT = Path(__file__).resolve().parents[2]
keys = json.loads((REPO_ROOT / "tests/provider/client-keys.json").read_text())["keys"]
client_key = next(jwk for jwk in keys if jwk["kty"] == "EC")

# The profile is one value; everything the client sends and accepts is checked against it.
fapi = FapiPolicy()
options = OidcClientOptions(
    authority,
    "client-fapi",
    REDIRECT_URI,
    "openid profile",
    private_key_jwt=PrivateKeyJwt(client_key, "ES256", audience=authority),
    dpop_key=DPoPKey(),  # ES256; save it (key.private_key_pem) to refresh after a restart
    fapi=fapi,
)
client = OidcClient(options)

login = client.prepare_login()  # pushes the request (PAR) as the client, with a DPoP proof
print("browser URL parameters:", sorted(dict(parse_qsl(urlsplit(login.url).query))))
result = client.process_response(complete_login(login.url), login)
if not result.is_successful or result.token_response is None or result.id_token is None:
    sys.exit(f"login failed: {result.error_code}: {result.error}: {result.error_description}")
print("issuer:", result.claims["iss"] if result.claims else None)
print("token_type:", result.token_response.token_type)
print("ID token alg:", JsonWebToken.decode_unverified(result.id_token).header["alg"])
print("userinfo sub:", result.user_info.sub if result.user_info else None)

# What the profile forbids is refused before any request, naming the clause.
for label, build in (
    (
        "shared secret",
        lambda: Client("client-fapi", ClientSecretBasic("a-long-shared-secret"), profile=fapi),
    ),
    (
        "no DPoP key",
        lambda: Client(
            "client-fapi", PrivateKeyJwt(client_key, "ES256", audience=authority), profile=fapi
        ),
    ),
    (
        "RS256 ID tokens",
        lambda: OidcClientOptions(
            authority,
            "client-fapi",
            REDIRECT_URI,
            private_key_jwt=PrivateKeyJwt(client_key, "ES256", audience=authority),
            dpop_key=DPoPKey(),
            fapi=fapi,
            id_token_algorithms=["RS256"],
        ),
    ),
):
    try:
        build()
    except FapiViolationError as exc:
        print(f"{label}: refused ({exc.clause})")
