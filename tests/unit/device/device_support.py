"""Helpers shared by the device flow unit tests (tests/unit/device).

:class:`Recorder` is an ``httpx.MockTransport`` handler that records every request and
answers from a list (the last answer repeats), so a test can count polls and read the form.
:func:`drive` runs a pure flow by hand with a fake clock, answering each poll's HTTP step.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

import httpx

DEVICE_URL = "https://idp.example/connect/deviceauthorization"
TOKEN_URL = "https://idp.example/connect/token"
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"

Answer = httpx.Response | Callable[[httpx.Request], httpx.Response]


def authorized(**extra: Any) -> httpx.Response:
    """A successful device authorization answer (RFC 8628 §3.2); ``name=...`` drops a member."""
    body: dict[str, Any] = {
        "device_code": "DEVICE-CODE-1",
        "user_code": "WDJB-MJHT",
        "verification_uri": "https://idp.example/device",
        "verification_uri_complete": "https://idp.example/device?user_code=WDJB-MJHT",
        "expires_in": 1800,
        **extra,
    }
    return httpx.Response(200, json={k: v for k, v in body.items() if v is not ...})


def tokens(**extra: Any) -> httpx.Response:
    body = {"access_token": "AT", "token_type": "Bearer", "expires_in": 3600, **extra}
    return httpx.Response(200, json=body)


def oauth_error(error: str, status: int = 400, description: str | None = None) -> httpx.Response:
    body: dict[str, Any] = {"error": error}
    if description is not None:
        body["error_description"] = description
    return httpx.Response(status, json=body)


class Recorder:
    """A MockTransport handler that records requests and answers in order."""

    def __init__(self, *answers: Answer) -> None:
        self.answers: list[Answer] = list(answers) or [authorized()]
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


def decode_basic(request: httpx.Request) -> tuple[str, str]:
    scheme, _, encoded = request.headers["authorization"].partition(" ")
    assert scheme == "Basic"
    client_id, _, secret = base64.b64decode(encoded).decode("ascii").partition(":")
    return unquote_plus(client_id), unquote_plus(secret)
