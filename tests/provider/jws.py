"""Minimal JWS helpers for tests, independent of the library under test.

Signs and verifies compact JWS with the JWKs used by the test provider (RSA: RS256/PS256,
EC P-256: ES256, OKP Ed25519: EdDSA/Ed25519; HS256 with a shared secret), using only
``cryptography``. Enough to build client assertions, request objects and DPoP proofs, and to
check tokens the provider issues, without trusting the code being tested.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

_PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "k"})


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(data: str) -> bytes:
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


def _int(value: str) -> int:
    return int.from_bytes(b64url_decode(value), "big")


def public_jwk(jwk: dict[str, Any]) -> dict[str, Any]:
    """The public part of a JWK."""
    return {key: value for key, value in jwk.items() if key not in _PRIVATE_MEMBERS}


def default_alg(jwk: dict[str, Any]) -> str:
    return {"RSA": "RS256", "EC": "ES256", "OKP": "EdDSA"}[jwk["kty"]]


def _private_key(jwk: dict[str, Any]) -> Any:
    kty = jwk["kty"]
    if kty == "RSA":
        public = rsa.RSAPublicNumbers(_int(jwk["e"]), _int(jwk["n"]))
        return rsa.RSAPrivateNumbers(
            p=_int(jwk["p"]),
            q=_int(jwk["q"]),
            d=_int(jwk["d"]),
            dmp1=_int(jwk["dp"]),
            dmq1=_int(jwk["dq"]),
            iqmp=_int(jwk["qi"]),
            public_numbers=public,
        ).private_key()
    if kty == "EC":
        return ec.derive_private_key(_int(jwk["d"]), ec.SECP256R1())
    if kty == "OKP":
        return ed25519.Ed25519PrivateKey.from_private_bytes(b64url_decode(jwk["d"]))
    raise ValueError(f"unsupported kty {kty}")


def _public_key(jwk: dict[str, Any]) -> Any:
    kty = jwk["kty"]
    if kty == "RSA":
        return rsa.RSAPublicNumbers(_int(jwk["e"]), _int(jwk["n"])).public_key()
    if kty == "EC":
        return ec.EllipticCurvePublicNumbers(
            _int(jwk["x"]), _int(jwk["y"]), ec.SECP256R1()
        ).public_key()
    if kty == "OKP":
        return ed25519.Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
    raise ValueError(f"unsupported kty {kty}")


def sign_jwt(
    payload: dict[str, Any],
    key: dict[str, Any] | str | bytes,
    alg: str | None = None,
    headers: dict[str, Any] | None = None,
) -> str:
    """Compact JWS of ``payload``; ``key`` is a private JWK or an HS256 secret."""
    if not alg:
        alg = "HS256" if isinstance(key, (str, bytes)) else default_alg(key)
    header: dict[str, Any] = {"alg": alg, "typ": "JWT"}
    if isinstance(key, dict) and "kid" in key:
        header["kid"] = key["kid"]
    header.update(headers or {})
    header = {name: value for name, value in header.items() if value is not None}
    signing_input = (
        b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url(json.dumps(payload, separators=(",", ":")).encode())
    ).encode("ascii")
    if isinstance(key, (str, bytes)):
        if alg != "HS256":
            raise ValueError("only HS256 is supported with a shared secret")
        secret = key.encode() if isinstance(key, str) else key
        signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    else:
        private = _private_key(key)
        if alg == "RS256":
            signature = private.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        elif alg == "PS256":
            signature = private.sign(
                signing_input,
                padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
                hashes.SHA256(),
            )
        elif alg == "ES256":
            r, s = decode_dss_signature(private.sign(signing_input, ec.ECDSA(hashes.SHA256())))
            signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        elif alg in ("EdDSA", "Ed25519"):
            signature = private.sign(signing_input)
        else:
            raise ValueError(f"unsupported alg {alg}")
    return signing_input.decode("ascii") + "." + b64url(signature)


def decode_jwt(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, payload) of a compact JWS, without verifying it."""
    header, payload, _signature = token.split(".")
    return json.loads(b64url_decode(header)), json.loads(b64url_decode(payload))


def verify_jwt(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """Verify a compact JWS against a JWK set (matched by ``kid``); returns the payload.

    Raises ``cryptography.exceptions.InvalidSignature`` or ``ValueError``.
    """
    header, payload = decode_jwt(token)
    signing_input, _, signature_b64 = token.rpartition(".")
    signature = b64url_decode(signature_b64)
    alg = header["alg"]
    candidates = [k for k in jwks["keys"] if header.get("kid") in (None, k.get("kid"))]
    if not candidates:
        raise ValueError(f"no key with kid {header.get('kid')!r}")
    public = _public_key(candidates[0])
    data = signing_input.encode("ascii")
    if alg == "RS256":
        public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    elif alg == "PS256":
        public.verify(
            signature,
            data,
            padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO),
            hashes.SHA256(),
        )
    elif alg == "ES256":
        r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        public.verify(encode_dss_signature(r, s), data, ec.ECDSA(hashes.SHA256()))
    elif alg in ("EdDSA", "Ed25519"):
        public.verify(signature, data)
    else:
        raise ValueError(f"unsupported alg {alg}")
    result: dict[str, Any] = payload
    return result


def client_assertion(
    client_id: str, audience: str, key: dict[str, Any] | str, alg: str | None = None
) -> str:
    """A client_secret_jwt / private_key_jwt assertion (RFC 7523)."""
    now = int(time.time())
    return sign_jwt(
        {
            "iss": client_id,
            "sub": client_id,
            "aud": audience,
            "jti": str(uuid.uuid4()),
            "iat": now,
            "exp": now + 60,
        },
        key,
        alg,
    )


def dpop_proof(
    jwk: dict[str, Any],
    method: str,
    url: str,
    *,
    nonce: str | None = None,
    access_token: str | None = None,
    alg: str | None = None,
) -> str:
    """A DPoP proof JWT (RFC 9449) for ``method url`` signed with ``jwk``."""
    payload: dict[str, Any] = {
        "jti": str(uuid.uuid4()),
        "htm": method,
        "htu": url.split("?", 1)[0].split("#", 1)[0],
        "iat": int(time.time()),
    }
    if nonce is not None:
        payload["nonce"] = nonce
    if access_token is not None:
        payload["ath"] = b64url(hashlib.sha256(access_token.encode("ascii")).digest())
    public = {k: v for k, v in public_jwk(jwk).items() if k not in ("kid", "use", "alg")}
    return sign_jwt(payload, jwk, alg, {"typ": "dpop+jwt", "jwk": public, "kid": None})


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge)."""
    verifier = b64url(uuid.uuid4().bytes + uuid.uuid4().bytes)
    challenge = b64url(hashlib.sha256(verifier.encode("ascii")).digest())
    return verifier, challenge
