"""Build an authorization URL, then check the callback (pure code: no provider, no I/O).

Usage: python docs/examples/front_channel.py
"""

import hashlib
import secrets
from base64 import urlsafe_b64encode
from urllib.parse import parse_qsl, quote, urlsplit

from py_identity_model import (
    AuthorizeCallbackException,
    AuthorizeRequest,
    FrontChannelConfigurationError,
    build_authorization_url,
    build_end_session_url,
    generate_pkce_pair,
    parse_authorize_callback_response,
    validate_authorize_callback,
    validate_authorize_callback_issuer,
    validate_authorize_callback_state,
)

ISSUER = "https://login.example.com"  # from the discovery document, in a real client
AUTHORIZE = f"{ISSUER}/authorize"
REDIRECT = "https://app.example.com/callback"
SECRET_VALUES = {"state", "nonce", "code_challenge"}

# 1. PKCE (RFC 7636): keep the verifier server-side; the challenge goes in the URL.
verifier, challenge = generate_pkce_pair()  # S256
expected = urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
print("verifier length:", len(verifier))
print("challenge = BASE64URL(SHA256(verifier)):", challenge == expected)

# 2. The authorization URL. state and nonce are fresh random values per login attempt.
state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
request = AuthorizeRequest(
    client_id="web-app",
    redirect_uri=REDIRECT,
    scope=["openid", "profile", "offline_access"],
    state=state,
    nonce=nonce,
    code_challenge=challenge,
    code_challenge_method="S256",
    prompt="consent",
    max_age=900,
    resource=["https://api.example.com/orders", "https://api.example.com/billing"],
    claims={"id_token": {"email": {"essential": True}}},
    authorization_details=[{"type": "account_information", "actions": ["read"]}],
)
url = request.to_url(AUTHORIZE)
print("endpoint:", url.split("?")[0])
for name, value in parse_qsl(urlsplit(url).query):
    print(f"  {name}={'<secret>' if name in SECRET_VALUES else value}")

# The py-identity-model 4.x function builds the same kind of URL.
short = build_authorization_url(
    AUTHORIZE,
    "web-app",
    REDIRECT,
    state=state,
    code_challenge=challenge,
    code_challenge_method="S256",
)
print("4.x form parameters:", [name for name, _ in parse_qsl(urlsplit(short).query)])

# Back-channel credentials never travel through the browser.
try:
    build_authorization_url(AUTHORIZE, "web-app", REDIRECT, client_secret="s3cret")
except FrontChannelConfigurationError as exc:
    print("client_secret in the URL: refused:", exc)

# 3. The callback. Parsing never raises on text; problems make it unsuccessful.
issuer_param = quote(ISSUER, safe="")
callbacks: dict[str, str | bytes] = {
    "valid": f"{REDIRECT}?code=SplxlOBeZQQYbYS6WxSbIA&state={state}&iss={issuer_param}",
    "form_post body": f"code=SplxlOBeZQQYbYS6WxSbIA&state={state}&iss={issuer_param}".encode(),
    "forged state": f"{REDIRECT}?code=x&state=guessed&iss={issuer_param}",
    "mix-up": f"{REDIRECT}?code=x&state={state}&iss=https%3A%2F%2Fattacker.example",
    "iss missing": f"{REDIRECT}?code=x&state={state}",
    "duplicate code": f"{REDIRECT}?code=x&state={state}&iss={issuer_param}#code=y",
    "error response": f"{REDIRECT}?error=access_denied&state={state}&iss={issuer_param}",
}
for label, callback in callbacks.items():
    response = parse_authorize_callback_response(callback)
    # The server advertises authorization_response_iss_parameter_supported: iss is required.
    issuer = validate_authorize_callback_issuer(response, ISSUER, iss_parameter_supported=True)
    checked = validate_authorize_callback_state(response, state)
    print(
        f"{label}: is_successful={response.is_successful} error={response.error} "
        f"issuer={issuer.result.value} state={checked.result.value}"
    )

# Or in one call, which raises AuthorizeCallbackException on any failure.
for label in ("valid", "mix-up"):
    try:
        accepted = validate_authorize_callback(
            parse_authorize_callback_response(callbacks[label]),
            expected_state=state,
            expected_issuer=ISSUER,
            iss_parameter_supported=True,
        )
    except AuthorizeCallbackException as exc:
        print(f"validate_authorize_callback({label}): raised {exc.details['result'].value}")
    else:
        print(f"validate_authorize_callback({label}): code received: {accepted.code is not None}")

# 4. Logging out (RP-Initiated Logout): send the browser to the end-session URL.
logout = build_end_session_url(
    f"{ISSUER}/logout",
    id_token_hint="eyJhbGciOiJSUzI1NiJ9.e30.c2ln",  # the ID token from the login
    post_logout_redirect_uri="https://app.example.com/signed-out",
    state="af0ifjsldkj",
)
print("end session:", logout)
print("bare endpoint:", build_end_session_url(f"{ISSUER}/logout"))
