"""Helpers shared by the introspection and revocation unit tests.

* :class:`Recorder`: an ``httpx.MockTransport`` handler that records every request and
  answers from a list of responses (the last one repeats) or callables;
* a server signing key and :func:`introspection_jwt`, which makes RFC 9701 answers (and
  broken ones) with the library's own JWS signer.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

import httpx
from cryptography.hazmat.primitives.asymmetric import ec

from py_identity_model import JwtResponseValidation
from py_identity_model.jose import JsonWebKey, sign_compact

INTROSPECTION_URL = "https://idp.example/connect/introspect"
REVOCATION_URL = "https://idp.example/connect/revocation"
ISSUER = "https://idp.example"
CLIENT_ID = "api-1"
CLIENT_SECRET = "api-1-secret"
JWT_MEDIA_TYPE = "application/token-introspection+jwt"

Answer = httpx.Response | Callable[[httpx.Request], httpx.Response]


def active_json(**extra: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "active": True,
        "scope": "api:read api:write",
        "client_id": "spa",
        "sub": "alice",
        "exp": now + 600,
        "iat": now,
        **extra,
    }


def ok_json(body: dict[str, Any] | None = None) -> httpx.Response:
    return httpx.Response(200, json=active_json() if body is None else body)


class Recorder:
    """Records requests; answers in order (the last answer repeats)."""

    def __init__(self, *answers: Answer) -> None:
        self.answers: list[Answer] = list(answers) or [ok_json()]
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

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def form(self, index: int = -1) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, value in parse_qsl(self.bodies[index].decode("ascii"), keep_blank_values=True):
            out.setdefault(name, []).append(value)
        return out


def decode_basic(request: httpx.Request) -> tuple[str, str]:
    scheme, _, encoded = request.headers["authorization"].partition(" ")
    assert scheme == "Basic"
    client_id, _, secret = base64.b64decode(encoded).decode("ascii").partition(":")
    return unquote_plus(client_id), unquote_plus(secret)


@cache
def server_key() -> JsonWebKey:
    """The authorization server's signing key (EC P-256), one per run."""
    return JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()), kid="as-1")


@cache
def other_key() -> JsonWebKey:
    """A key the server does not own (a forger's)."""
    return JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()), kid="as-1")


def validation(**extra: Any) -> JwtResponseValidation:
    return JwtResponseValidation(
        key=server_key().public_jwk().to_dict(), issuer=ISSUER, algorithms=["ES256"], **extra
    )


def introspection_jwt(
    inner: Any = None,
    *,
    key: JsonWebKey | None = None,
    typ: str | None = "token-introspection+jwt",
    drop: tuple[str, ...] = (),
    **claims: Any,
) -> str:
    """An RFC 9701 answer: ``{"iss", "aud", "iat", "token_introspection": inner}`` signed
    by the server's key (``key`` to forge, ``drop`` to omit claims, ``claims`` to override)."""
    payload: dict[str, Any] = {
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "iat": int(time.time()),
        "token_introspection": active_json() if inner is None else inner,
        **claims,
    }
    for name in drop:
        payload.pop(name, None)
    headers: dict[str, Any] = {"kid": "as-1"}
    if typ is not None:
        headers["typ"] = typ
    return sign_compact(payload, key or server_key(), "ES256", headers=headers)


def jwt_answer(token: str, content_type: str = JWT_MEDIA_TYPE) -> httpx.Response:
    return httpx.Response(
        200, content=token.encode("ascii"), headers={"Content-Type": content_type}
    )
