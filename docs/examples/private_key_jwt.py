"""Authenticate a client with private_key_jwt (RFC 7523, OIDC Core §9): no shared secret.

Usage: python docs/examples/private_key_jwt.py [AUTHORITY]

The keys are the test client's (``client-pkjwt``); the provider knows their public halves.
"""

import json
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from py_identity_model import (
    ClientCredentialsTokenRequest,
    DiscoveryDocumentRequest,
    JsonWebKey,
    JsonWebToken,
    PrivateKeyJwt,
    get_discovery_document,
    request_client_credentials_token,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"

REPO_ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "client-pkjwt"
keys = {
    jwk["kid"]: jwk
    for jwk in json.loads((REPO_ROOT / "tests/provider/client-keys.json").read_text())["keys"]
}

disco = get_discovery_document(DiscoveryDocumentRequest(authority))
if not disco.is_successful or not disco.token_endpoint or not disco.issuer:
    sys.exit(f"discovery failed: {disco.error}")
print("issuer:", disco.issuer)

# The private key can be a PEM (str or bytes), a private JWK dict or a JsonWebKey.
rsa_pem = (
    JsonWebKey.from_dict(keys["client-rsa-1"])
    .to_private_key()
    .private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
)
signers = {
    # A PEM has no kid: name the key for the server. aud defaults to the token endpoint URL.
    "PEM, PS256, aud=endpoint": PrivateKeyJwt(rsa_pem, "PS256", kid="client-rsa-1"),
    # A JWK brings its own kid. Some servers want the issuer as the audience.
    "JWK, ES256, aud=issuer": PrivateKeyJwt(keys["client-ec-1"], "ES256", audience=disco.issuer),
    "JsonWebKey, EdDSA, aud=endpoint": PrivateKeyJwt(
        JsonWebKey.from_dict(keys["client-okp-1"]), "EdDSA"
    ),
}
for label, signer in signers.items():
    response = request_client_credentials_token(
        ClientCredentialsTokenRequest(disco.token_endpoint, CLIENT_ID, private_key_jwt=signer)
    )
    print(
        f"{label}: is_successful={response.is_successful} "
        f"token_type={response.token_type} error={response.error}"
    )

# What is sent as client_assertion: a fresh, short-lived JWT per request (unique jti).
assertion = signers["JWK, ES256, aud=issuer"].create_assertion(CLIENT_ID, disco.token_endpoint)
decoded = JsonWebToken.decode_unverified(assertion)
print("assertion header:", decoded.header)
claims = decoded.payload
print("assertion claims:", sorted(claims))
print("iss = sub = client_id:", claims["iss"] == claims["sub"] == CLIENT_ID)
print("aud:", claims["aud"])
print("lifetime:", claims["exp"] - claims["iat"], "s")
