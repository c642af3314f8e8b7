"""Push an authorization request (RFC 9126), sign one as a request object (RFC 9101), encrypt
one, and build the URLs the browser is sent to (synchronous API).

Usage: python docs/examples/par_sync.py [AUTHORITY]

The keys are the test client's (``client-pkjwt``); the provider knows their public halves.
"""

import base64
import json
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from py_identity_model import (
    DiscoveryDocumentRequest,
    PrivateKeyJwt,
    PushedAuthorizationRequest,
    build_jar_authorization_url,
    create_request_object,
    encrypt_request_object,
    generate_pkce_pair,
    get_discovery_document,
    push_authorization_request,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
REDIRECT_URI = "http://127.0.0.1/callback"
REPO_ROOT = Path(__file__).resolve().parents[2]
keys = json.loads((REPO_ROOT / "tests/provider/client-keys.json").read_text())["keys"]
ec_key = next(jwk for jwk in keys if jwk["kty"] == "EC")

disco = get_discovery_document(DiscoveryDocumentRequest(authority))
par_endpoint = disco.pushed_authorization_request_endpoint
if not disco.is_successful or not par_endpoint or not disco.authorization_endpoint:
    sys.exit(f"discovery failed: {disco.error}")
print("issuer:", disco.issuer)
print("PAR required for every client:", bool(disco.require_pushed_authorization_requests))

# 1. Push the parameters as the client (Basic here); keep the verifier for the token request.
verifier, challenge = generate_pkce_pair()
pushed = push_authorization_request(
    PushedAuthorizationRequest(
        par_endpoint,
        "client-basic",
        REDIRECT_URI,
        "openid profile",
        state="state-1",
        nonce="nonce-1",
        code_challenge=challenge,
        code_challenge_method="S256",
        client_secret="client-basic-secret",
    )
)
if not pushed.is_successful or not pushed.request_uri:
    sys.exit(f"push failed: {pushed.error_code}: {pushed.error}")
print(f"pushed: http_status={pushed.http_status} expires_in={pushed.expires_in}")
print("request_uri is a URN:", pushed.request_uri.startswith("urn:"))
print("usable for another 30 s:", not pushed.is_expired(leeway=30))
url = pushed.authorization_url(disco.authorization_endpoint, "client-basic")
print("browser URL parameters:", sorted(dict(parse_qsl(urlsplit(url).query))))

# 2. A signed request object (JAR): every parameter inside, signed with the client's key.
request_object = create_request_object(
    ec_key,
    "ES256",
    "client-pkjwt",
    disco.issuer or authority,
    REDIRECT_URI,
    "openid",
    state="state-2",
    nonce="nonce-2",
    code_challenge=challenge,
    code_challenge_method="S256",
    max_age=600,
)
by_value = build_jar_authorization_url(
    disco.authorization_endpoint, "client-pkjwt", request_object, "openid", "code"
)
print("JAR URL parameters:", sorted(dict(parse_qsl(urlsplit(by_value).query))))

# ... or pushed: the body is client_id and request, and the client authenticates.
pushed_object = push_authorization_request(
    PushedAuthorizationRequest(
        par_endpoint,
        "client-pkjwt",
        REDIRECT_URI,
        request=request_object,
        private_key_jwt=PrivateKeyJwt(ec_key, "ES256", audience=disco.issuer),
    )
)
print(f"request object pushed: is_successful={pushed_object.is_successful}")

# 3. Encrypted to the server: this one publishes no encryption key, so the key is derived
#    from the client secret (HS256 signature, then A256KW + A256GCM).
secret = "client-jwt-secret-0123456789abcdef0123456789abcdef"
hs_key = {"kty": "oct", "k": base64.urlsafe_b64encode(secret.encode()).rstrip(b"=").decode()}
signed = create_request_object(hs_key, "HS256", "client-jwt", disco.issuer or "", REDIRECT_URI)
encrypted = encrypt_request_object(
    signed,
    client_secret=secret,
    alg_values_supported=disco.request_object_encryption_alg_values_supported,
    enc_values_supported=disco.request_object_encryption_enc_values_supported,
)
header = json.loads(base64.urlsafe_b64decode(encrypted.split(".")[0] + "=="))
print(f"encrypted: segments={encrypted.count('.') + 1} alg={header['alg']} enc={header['enc']}")

# A refused push is a failed result with the server's error, never an exception.
refused = push_authorization_request(
    PushedAuthorizationRequest(par_endpoint, "client-basic", REDIRECT_URI, client_secret="wrong")
)
print(f"wrong secret: error_code={refused.error_code} http_status={refused.http_status}")
print("response:", pushed)  # request_uri, raw and json are never shown
