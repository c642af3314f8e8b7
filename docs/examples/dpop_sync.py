"""DPoP-bound tokens with client credentials; nonces; saving and loading the key (sync API).

Usage: python docs/examples/dpop_sync.py [AUTHORITY]

The client ``client-dpop`` of the test provider must send DPoP proofs (its tokens are bound).
"""

import json
import os
import sys
import tempfile
from pathlib import Path

from py_identity_model import (
    Client,
    ClientCredentialsTokenRequest,
    ClientSecretBasic,
    ConfigurationException,
    DiscoveryDocumentRequest,
    DPoPKey,
    HTTPClient,
    TokenIntrospectionRequest,
    build_dpop_headers,
    compute_ath,
    create_dpop_proof,
    get_discovery_document,
    introspect_token,
    request_client_credentials_token,
)
from py_identity_model.jose import parse_compact

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
CLIENT_ID, CLIENT_SECRET = "client-dpop", "client-dpop-secret"


class ProofRecorder:
    """A transport that notes each request's DPoP proof nonce, then sends it with HTTPClient."""

    def __init__(self) -> None:
        self.inner = HTTPClient()
        self.nonces: list[str | None] = []

    def send_request(self, request):  # type: ignore[no-untyped-def]
        claims = parse_compact(request.headers["DPoP"]).claims or {}
        self.nonces.append(claims.get("nonce"))
        return self.inner.send_request(request)


disco = get_discovery_document(DiscoveryDocumentRequest(authority))
if not disco.is_successful or not disco.token_endpoint or not disco.introspection_endpoint:
    sys.exit(f"discovery failed: {disco.error}")
print("issuer:", disco.issuer)

# A fresh key: ES256 (P-256) unless you name another algorithm.
key = DPoPKey()
print("algorithm:", key.algorithm)
print("public jwk members:", sorted(key.public_jwk))
print("repr:", repr(key))

# Every request of this client carries a proof; the tokens are bound to the key.
client = Client(CLIENT_ID, ClientSecretBasic(CLIENT_SECRET), dpop=key)
request = ClientCredentialsTokenRequest(
    disco.token_endpoint, CLIENT_ID, scope="api:read", resource="urn:test:api:opaque", client=client
)
recorder = ProofRecorder()
token = request_client_credentials_token(request, http_client=recorder)
if not token.is_successful or not token.access_token:
    sys.exit(f"token request failed: {token.error_code}: {token.error_description}")
print("token_type:", token.token_type)

answer = introspect_token(
    TokenIntrospectionRequest(
        disco.introspection_endpoint, token.access_token, CLIENT_ID, client=client
    )
)
print("cnf.jkt is the key's thumbprint:", (answer.cnf or {}).get("jkt") == key.jwk_thumbprint)

# The server sent a DPoP-Nonce: the key remembers it for the origin, and the next request's
# first proof carries it (no use_dpop_nonce round trip when a server requires nonces).
remembered = key.nonce_store.get(disco.token_endpoint)
print("nonce remembered for the origin:", remembered is not None)
second = request_client_credentials_token(request, http_client=recorder)
print("second token:", second.is_successful, second.token_type)
print("round trips for two tokens:", len(recorder.nonces))
print("first proof had a nonce:", recorder.nonces[0] is not None)
print("second proof carried the remembered nonce:", recorder.nonces[1] == remembered)

# Save the key (a DPoP-bound refresh token only works with it), then load it after a restart.
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "dpop-key.pem"
    path.write_text(key.to_pem(password="change me"))
    os.chmod(path, 0o600)
    reloaded = DPoPKey.from_pem(path.read_text(), password="change me")
print("from encrypted PEM, same key:", reloaded.jwk_thumbprint == key.jwk_thumbprint)
from_jwk = DPoPKey.from_jwk(json.loads(json.dumps(key.to_jwk())))
print("from JWK:", from_jwk.algorithm, from_jwk.jwk_thumbprint == key.jwk_thumbprint)
try:
    DPoPKey.from_pem(DPoPKey("PS256").private_key_pem)  # RSA: PS256 or RS256?
except ConfigurationException as exc:
    print("RSA PEM without algorithm:", exc)

# A proof by hand, for a request your own HTTP code sends to a resource server.
resource = "https://api.example.com/orders?page=2"
proof = create_dpop_proof(reloaded, "GET", resource, access_token=token.access_token)
headers = build_dpop_headers(proof, token.access_token)
print("headers:", sorted(headers))
parsed = parse_compact(proof)
print("proof typ and alg:", parsed.header["typ"], parsed.header["alg"])
claims = parsed.claims or {}
print("proof claims:", sorted(claims))
print("htu:", claims["htu"])
print("ath is the token's hash:", claims["ath"] == compute_ath(token.access_token))
