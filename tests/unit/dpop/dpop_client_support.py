"""Helpers for the client-side DPoP tests (tests/unit/dpop), independent of the library.

* :func:`verify_proof`: checks a compact JWS with the public key in its ``jwk`` header using
  ``cryptography`` and the standard library only (RS/PS 256-512, ES256/384/512, EdDSA with
  Ed25519 or Ed448), so a proof is judged by code that does not share ours;
* :func:`thumbprint`: RFC 7638 computed from scratch;
* :class:`Recorder`: an ``httpx.MockTransport`` handler that records requests and answers
  from a list (the last answer repeats) or a callable.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from typing import Any

import httpx
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

_HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "256": hashes.SHA256,
    "384": hashes.SHA384,
    "512": hashes.SHA512,
}
_EC_CURVES: dict[str, tuple[ec.EllipticCurve, int]] = {
    "P-256": (ec.SECP256R1(), 32),
    "P-384": (ec.SECP384R1(), 48),
    "P-521": (ec.SECP521R1(), 66),
}
THUMBPRINT_MEMBERS = {
    "RSA": ("e", "kty", "n"),
    "EC": ("crv", "kty", "x", "y"),
    "OKP": ("crv", "kty", "x"),
}
PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _int(text: str) -> int:
    return int.from_bytes(b64d(text), "big")


def decode(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload, _ = token.split(".")
    return json.loads(b64d(header)), json.loads(b64d(payload))


def claims_of(token: str) -> dict[str, Any]:
    return decode(token)[1]


def thumbprint(jwk: dict[str, Any]) -> str:
    members = {name: jwk[name] for name in THUMBPRINT_MEMBERS[jwk["kty"]]}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return b64e(hashlib.sha256(canonical).digest())


def verify_proof(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Verify ``token`` with its own ``jwk`` header; (header, claims) or an exception."""
    header, claims = decode(token)
    jwk = header["jwk"]
    assert not PRIVATE_MEMBERS & set(jwk), jwk
    signing_input, _, signature_b64 = token.rpartition(".")
    data, signature = signing_input.encode("ascii"), b64d(signature_b64)
    alg: str = header["alg"]
    if alg[:2] in ("RS", "PS"):
        public = rsa.RSAPublicNumbers(_int(jwk["e"]), _int(jwk["n"])).public_key()
        digest = _HASHES[alg[2:]]()
        pad: padding.AsymmetricPadding = (
            padding.PKCS1v15()
            if alg.startswith("RS")
            else padding.PSS(padding.MGF1(digest), digest.digest_size)
        )
        public.verify(signature, data, pad, digest)
    elif alg.startswith("ES"):
        curve, size = _EC_CURVES[jwk["crv"]]
        public_ec = ec.EllipticCurvePublicNumbers(
            _int(jwk["x"]), _int(jwk["y"]), curve
        ).public_key()
        assert len(signature) == 2 * size
        der = encode_dss_signature(
            int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
        )
        public_ec.verify(der, data, ec.ECDSA(_HASHES[alg[2:]]()))
    elif alg in ("EdDSA", "Ed25519", "Ed448"):
        cls = ed25519.Ed25519PublicKey if jwk["crv"] == "Ed25519" else ed448.Ed448PublicKey
        cls.from_public_bytes(b64d(jwk["x"])).verify(signature, data)
    else:
        raise AssertionError(f"unexpected alg {alg}")
    return header, claims


Answer = httpx.Response | Callable[[httpx.Request], httpx.Response]


class Recorder:
    """Records every request; answers in order, the last answer repeating."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers) or [httpx.Response(200, json={})]
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        return answer(request) if callable(answer) else answer

    def proofs(self) -> list[dict[str, Any]]:
        """The claims of each request's DPoP proof."""
        return [claims_of(r.headers["dpop"]) for r in self.requests]

    def nonces(self) -> list[str | None]:
        return [claims.get("nonce") for claims in self.proofs()]


def token_ok(nonce: str | None = None, token_type: str = "DPoP") -> httpx.Response:
    headers = {"DPoP-Nonce": nonce} if nonce else {}
    body = {"access_token": "AT", "token_type": token_type, "expires_in": 60}
    return httpx.Response(200, json=body, headers=headers)


def use_dpop_nonce(nonce: str) -> httpx.Response:
    return httpx.Response(400, json={"error": "use_dpop_nonce"}, headers={"DPoP-Nonce": nonce})


def resource_nonce_challenge(nonce: str) -> httpx.Response:
    return httpx.Response(
        401,
        headers={"WWW-Authenticate": 'DPoP error="use_dpop_nonce"', "DPoP-Nonce": nonce},
    )
