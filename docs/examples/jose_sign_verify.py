"""Sign and verify a compact JWS with an Ed25519 key (pure JOSE, no provider, no I/O).

Usage: python docs/examples/jose_sign_verify.py
"""

import json
import time

from cryptography.hazmat.primitives.asymmetric import ed25519

from py_identity_model import JsonWebKey, JsonWebKeySet, SignatureVerificationException
from py_identity_model.jose import parse_compact, sign_compact, verify_compact

# A private key as a JWK. kid and alg are optional members; use="sig" limits it to signatures.
private = JsonWebKey.from_key(
    ed25519.Ed25519PrivateKey.generate(), kid="demo-1", alg="EdDSA", use="sig"
)
public = private.public_jwk()  # the form you publish in a JWKS
print("kty:", public.kty, "crv:", public.crv, "bits:", public.key_size)
print("private key:", private.has_private_key, "public key:", public.has_private_key)
print("thumbprint:", public.thumbprint())  # RFC 7638, SHA-256, base64url
print("public JWK:", json.dumps(public.to_dict()))  # no "d": safe to publish

now = int(time.time())
token = sign_compact(
    {"iss": "https://issuer.example", "sub": "alice", "iat": now, "exp": now + 300},
    private,
    "EdDSA",
    headers={"kid": private.kid, "typ": "JWT"},  # kid is never added implicitly
)
print("segments:", token.count(".") + 1)

jws = parse_compact(token)  # strict parsing; nothing is trusted yet
print("header:", jws.header)
verify_compact(jws, public, algorithms=["EdDSA"])  # returns None or raises
print("verified: True")
print("claims:", jws.claims)

# Change one claim and keep the signature: verification fails.
header, _payload, signature = token.split(".")
other = sign_compact({"sub": "mallory"}, private, "EdDSA").split(".")[1]
try:
    verify_compact(parse_compact(f"{header}.{other}.{signature}"), public, algorithms=["EdDSA"])
except SignatureVerificationException as exc:
    print(f"tampered: rejected code={exc.code}")

# A key set picks the key by kid; members that are not valid keys are skipped, not fatal.
key_set = JsonWebKeySet.from_dict(
    {"keys": [public.to_dict(), {"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"}]}
)
print("keys:", len(key_set), "skipped:", [(s.index, s.reason) for s in key_set.skipped])
found = key_set.verify(jws, algorithms=["EdDSA"])
print("verified by key set: kid", found.kid)
