"""Proofs made by hand for the resource-server tests, with the independent signer of
tests/provider/jws.py (not the library under test) and the provider's client keys."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from tests.provider.jws import b64url, public_jwk, sign_jwt

KEYS_FILE = Path(__file__).resolve().parents[2] / "provider" / "client-keys.json"
NOW = 1_800_000_000.0
URL = "https://api.example.com/orders/42"
TOKEN = "an-access-token-0123456789"
_DROP = object()


@cache
def private_jwk(kty: str) -> dict[str, Any]:
    keys = json.loads(KEYS_FILE.read_text("utf-8"))["keys"]
    return next(k for k in keys if k["kty"] == kty)


def bare_public(jwk: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in public_jwk(jwk).items() if k not in ("kid", "use", "alg")}


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638, computed independently of the library."""
    required = {
        "RSA": ("e", "kty", "n"),
        "EC": ("crv", "kty", "x", "y"),
        "OKP": ("crv", "kty", "x"),
    }
    members = {name: jwk[name] for name in required[jwk["kty"]]}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return b64url(hashlib.sha256(canonical).digest())


def ath(token: str) -> str:
    return b64url(hashlib.sha256(token.encode("ascii")).digest())


def proof(
    kty: str = "EC",
    *,
    alg: str | None = None,
    header: dict[str, Any] | None = None,
    claims: dict[str, Any] | None = None,
    signer: dict[str, Any] | None = None,
) -> str:
    """A proof for ``GET URL`` at ``NOW``; ``header``/``claims`` override (None removes)."""
    jwk = private_jwk(kty)
    payload: dict[str, Any] = {"jti": uuid.uuid4().hex, "htm": "GET", "htu": URL, "iat": int(NOW)}
    payload.update(claims or {})
    payload = {k: v for k, v in payload.items() if v is not None}
    extra: dict[str, Any] = {"typ": "dpop+jwt", "jwk": bare_public(jwk), "kid": None}
    extra.update(header or {})
    return sign_jwt(payload, signer or jwk, alg, extra)


def with_segment(token: str, index: int, raw: bytes) -> str:
    """``token`` with one segment replaced by ``raw`` (base64url-encoded)."""
    parts = token.split(".")
    parts[index] = base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
    return ".".join(parts)
