"""Verify a JARM authorization response (synchronous API).

Usage: python docs/examples/jarm_sync.py [AUTHORITY]

The client ``client-jarm`` asks for ``response_mode=query.jwt``: the provider redirects
back with one parameter, ``response``, a JWT it signed. ``process_jarm_response`` verifies
it with the provider's keys (signature, ``iss``, ``aud``, ``exp``) and returns the same
callback a plain response gives, for the usual ``state`` and ``iss`` checks. Here the test
provider's helper ``complete_login`` plays the browser's part.
"""

import secrets
import sys
from pathlib import Path

# Only for the simulated browser step: the helper lives in the repository's tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.provider.fixture import complete_login

from py_identity_model import (
    AuthorizationCodeTokenRequest,
    DiscoveryDocumentRequest,
    JarmValidationException,
    build_authorization_url,
    generate_pkce_pair,
    get_discovery_document,
    is_jarm_response,
    process_jarm_response,
    request_authorization_code_token,
    validate_authorize_callback,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
CLIENT_ID, SECRET = "client-jarm", "client-jarm-secret"  # a client of the test provider
REDIRECT_URI = "http://127.0.0.1/callback"

disco = get_discovery_document(DiscoveryDocumentRequest(authority))
if not disco.is_successful or not disco.authorization_endpoint or not disco.issuer:
    sys.exit(f"discovery failed: {disco.error}")
print("issuer:", disco.issuer)
modes = [mode for mode in disco.response_modes_supported or [] if "jwt" in mode]
print("JWT response modes:", " ".join(modes))

state = secrets.token_urlsafe(32)  # keep it in the session
verifier, challenge = generate_pkce_pair()
url = build_authorization_url(
    disco.authorization_endpoint,
    CLIENT_ID,
    REDIRECT_URI,
    "openid",
    state=state,
    code_challenge=challenge,
    code_challenge_method="S256",
    response_mode="query.jwt",
)
callback = complete_login(url, login="alice")  # the browser's part
print("JARM response:", is_jarm_response(callback))

# Verify the JWT, then check state and issuer exactly as for a plain callback.
response = process_jarm_response(callback, client_id=CLIENT_ID, issuer=disco.issuer)
validate_authorize_callback(
    response, expected_state=state, expected_issuer=disco.issuer, iss_parameter_supported=True
)
print("issuer matches:", response.issuer == disco.issuer)
print("state matches:", response.state == state)
print("code received:", bool(response.code))

assert disco.token_endpoint
assert response.code
tokens = request_authorization_code_token(
    AuthorizationCodeTokenRequest(
        disco.token_endpoint, CLIENT_ID, response.code, REDIRECT_URI, verifier, SECRET
    )
)
print("code redeemed:", tokens.is_successful, "id_token:", bool(tokens.id_token))

# The same response is not for another client (aud), and plain parameters are no JARM response.
for label, attempt, client_id in [
    ("another client", callback, "client-basic"),
    ("plain parameters", f"{REDIRECT_URI}?code=abc&state={state}", CLIENT_ID),
]:
    try:
        process_jarm_response(attempt, client_id=client_id, issuer=disco.issuer)
        print(label, "unexpectedly accepted")
    except JarmValidationException as exc:
        print(f"{label}: {exc.code} reason={exc.details['reason']}")
