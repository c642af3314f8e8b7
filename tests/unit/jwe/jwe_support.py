"""Shared helpers for the JWE tests: vectors, throwaway keys, encryption with joserfc, surgery."""

from __future__ import annotations

import base64
import json
import os
import time
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa, x25519

from py_identity_model.jose import JsonWebKey, sign_compact

# Project Wycheproof vectors, vendored in tests/vectors/wycheproof (Apache-2.0, see its
# LICENSE); WYCHEPROOF_DIR overrides. They are required: a missing file fails the run.
WYCHEPROOF_DIR = Path(
    os.environ.get(
        "WYCHEPROOF_DIR",
        Path(__file__).resolve().parents[2] / "vectors" / "wycheproof",
    )
)
ISSUER = "https://issuer.example"
AUDIENCE = "client-1"
BIG = 1 << 20  # max_length for tests that are not about size


def vectors(name: str) -> dict[str, Any]:
    """A Wycheproof file (required: a missing file fails the run)."""
    path = WYCHEPROOF_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"Wycheproof vectors not found at {path}")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def header_of(token: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(unb64(token.split(".", maxsplit=1)[0]))
    return value


def with_header(token: str, header: dict[str, Any] | str | bytes) -> str:
    """``token`` with its header segment replaced (a dict is serialised as JSON)."""
    if isinstance(header, dict):
        header = json.dumps(header, separators=(",", ":"))
    raw = header.encode() if isinstance(header, str) else header
    return ".".join([b64(raw), *token.split(".")[1:]])


def flip(token: str, index: int, byte: int = 0) -> str:
    """``token`` with one bit of the decoded segment ``index`` flipped (kept canonical)."""
    parts = token.split(".")
    data = bytearray(unb64(parts[index]))
    data[byte] ^= 0x01
    parts[index] = b64(bytes(data))
    return ".".join(parts)


# -------------------------------------------------------------------------- keys


@cache
def rsa_key(kid: str = "rsa-enc", **members: str) -> JsonWebKey:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return JsonWebKey.from_dict({**JsonWebKey.from_key(private).to_dict(), "kid": kid, **members})


@cache
def ec_key(kid: str = "ec-enc", crv: str = "P-256", **members: str) -> JsonWebKey:
    curve = {"P-256": ec.SECP256R1, "P-384": ec.SECP384R1, "P-521": ec.SECP521R1}[crv]()
    private = ec.generate_private_key(curve)
    return JsonWebKey.from_dict({**JsonWebKey.from_key(private).to_dict(), "kid": kid, **members})


@cache
def x25519_key(kid: str = "x25519-enc") -> JsonWebKey:
    return JsonWebKey.from_key(x25519.X25519PrivateKey.generate(), kid=kid)


@cache
def oct_key(size: int = 32, kid: str = "oct-enc", **members: str) -> JsonWebKey:
    secret = os.urandom(size)
    return JsonWebKey.from_dict({"kty": "oct", "k": b64(secret), "kid": kid, **members})


@cache
def signing_key() -> JsonWebKey:
    return JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()), kid="sig-1", alg="ES256")


def claims(**extra: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"iss": ISSUER, "aud": AUDIENCE, "sub": "alice", "iat": now, "exp": now + 300, **extra}


def signed_jwt(**extra: Any) -> str:
    return sign_compact(claims(**extra), signing_key(), "ES256", headers={"kid": "sig-1"})


# ---------------------------------------------------------------------- encrypt


def encrypt(
    plaintext: bytes | str,
    key: JsonWebKey,
    alg: str,
    enc: str,
    *,
    kid: bool = True,
    **header: Any,
) -> str:
    """A compact JWE made by joserfc for ``key`` (its public half for asymmetric keys)."""
    from joserfc import jwe, jwk

    native: Any
    if key.kty == "oct":
        native = jwk.OctKey.import_key(key.signing_material())
    else:
        native = jwk.import_key(key.public_jwk().to_dict())
    protected = {"alg": alg, "enc": enc, **header}
    if kid and key.kid is not None:
        protected["kid"] = key.kid
    allowed = [alg, enc, *(["DEF"] if "zip" in header else [])]
    registry = jwe.JWERegistry(algorithms=allowed, strict_check_header=False)
    return jwe.encrypt_compact(protected, plaintext, native, registry=registry)
