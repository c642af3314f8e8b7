"""Shared helpers for the JOSE tests: Wycheproof vectors, throwaway keys, token surgery."""

from __future__ import annotations

import base64
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

from py_identity_model.jose import ALGORITHMS, JsonWebKey

# Project Wycheproof vectors, vendored in tests/vectors/wycheproof (Apache-2.0, see its
# LICENSE); WYCHEPROOF_DIR overrides. They are required: a missing file fails the run.
WYCHEPROOF_DIR = Path(
    os.environ.get(
        "WYCHEPROOF_DIR",
        Path(__file__).resolve().parents[2] / "vectors" / "wycheproof",
    )
)
ALL_ALGORITHMS = sorted(ALGORITHMS)


@cache
def wycheproof(name: str) -> dict[str, Any]:
    path = WYCHEPROOF_DIR / name
    if not path.is_file():
        pytest.fail(f"Wycheproof vectors not found at {path}")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64json(value: Any) -> str:
    return b64(json.dumps(value, separators=(",", ":")).encode("utf-8"))


def new_private_key(alg: str) -> Any:
    """A fresh private key (cryptography object) that fits ``alg``; bytes for HS*."""
    if alg.startswith(("RS", "PS")):
        return rsa.generate_private_key(65537, 2048)
    if alg.startswith("ES"):
        curve = {"ES256": ec.SECP256R1(), "ES384": ec.SECP384R1(), "ES512": ec.SECP521R1()}[alg]
        return ec.generate_private_key(curve)
    if alg in ("EdDSA", "Ed25519"):
        return ed25519.Ed25519PrivateKey.generate()
    if alg == "Ed448":
        return ed448.Ed448PrivateKey.generate()
    return os.urandom(int(alg[2:]) // 8)  # HS*: a key exactly as long as the hash


# One key per algorithm for the whole run: RSA generation is slow.
private_key_for = cache(new_private_key)


def jwk_for(algorithm: str, /, **kw: Any) -> JsonWebKey:
    """A JWK (private, or the secret) for ``algorithm``; ``kw`` sets kid/alg/use."""
    return JsonWebKey.from_key(private_key_for(algorithm), **kw)


def verifying_jwk(alg: str) -> JsonWebKey:
    """The key a relying party holds: public for asymmetric algorithms, the secret for HS*."""
    key = jwk_for(alg)
    return key if key.kty == "oct" else key.public_jwk()
