"""Helpers shared by the PAR unit tests (tests/unit/par): a recording MockTransport handler,
PAR answers, and a DPoP prover that records the proofs it was asked for."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
from tests.provider.jws import public_jwk

PAR_URL = "https://idp.example/connect/par"
AUTHORIZE_URL = "https://idp.example/connect/authorize"
REDIRECT_URI = "https://app.example/callback"
REQUEST_URI = "urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c"

_CLIENT_KEYS = json.loads(
    (Path(__file__).resolve().parents[2] / "provider" / "client-keys.json").read_text("utf-8")
)


def private_jwk(kty: str) -> dict[str, Any]:
    """One of the test clients' private JWKs (RSA, EC P-256, Ed25519)."""
    return dict(next(k for k in _CLIENT_KEYS["keys"] if k["kty"] == kty))


def public_jwks() -> dict[str, Any]:
    return {"keys": [public_jwk(k) for k in _CLIENT_KEYS["keys"]]}


Answer = httpx.Response | Callable[[httpx.Request], httpx.Response]


def pushed(status: int = 201, **extra: Any) -> httpx.Response:
    """A PAR answer (RFC 9126 §2.2); ``name=...`` drops a member."""
    body: dict[str, Any] = {"request_uri": REQUEST_URI, "expires_in": 60, **extra}
    return httpx.Response(status, json={k: v for k, v in body.items() if v is not ...})


class Recorder:
    """Records requests and answers in order (the last answer repeats)."""

    def __init__(self, *answers: Answer) -> None:
        self.answers: list[Answer] = list(answers) or [pushed()]
        self.requests: list[httpx.Request] = []
        self.bodies: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.bodies.append(request.read())
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        if callable(answer) and not isinstance(answer, httpx.Response):
            return answer(request)
        return answer

    @property
    def calls(self) -> int:
        return len(self.requests)

    def fields(self, index: int = -1) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, value in parse_qsl(self.bodies[index].decode("ascii"), keep_blank_values=True):
            out.setdefault(name, []).append(value)
        return out


class RecordingProver:
    """A DPoP prover (``create_proof``, ``jwk_thumbprint``) that records each call."""

    jwk_thumbprint = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str | None]] = []

    def create_proof(self, method: str, url: str, *, nonce: str | None = None) -> str:
        self.calls.append((method, url, nonce))
        return f"proof-{len(self.calls)}"
