"""A mocked authority for the resource-server unit tests (httpx ``MockTransport``).

:class:`FakeOp` serves discovery, a JWKS whose keys can be rotated, and an introspection
endpoint (client_secret_basic) whose answers the test sets per token; it counts requests.
:func:`mint` signs access tokens (RFC 9068 ``at+jwt``, ES256) with any claims.
"""

from __future__ import annotations

import asyncio
import base64
import threading
import time
from typing import Any
from urllib.parse import parse_qs

import httpx
from cryptography.hazmat.primitives.asymmetric import ec

from py_identity_model.jose import JsonWebKey, sign_compact

ISSUER = "https://op.example"
OTHER_ISSUER = "https://other-op.example"
AUDIENCE = "https://api.example/orders"
URL = "https://api.example/orders/42"


def new_key(kid: str) -> JsonWebKey:
    return JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()), kid=kid)


KEY = new_key("op-1")
STRANGER = new_key("op-1")  # same kid, another key


class FakeOp:
    """Discovery + JWKS (+ introspection) of one or more issuers; counts the requests."""

    def __init__(self, *issuers: str, delay: float = 0.0) -> None:
        self.issuers = issuers or (ISSUER,)
        self.keys: list[JsonWebKey] = [KEY]
        self.requests: dict[str, int] = {}
        self.answers: dict[str, dict[str, Any]] = {}
        self.fail_introspection = False
        self.fail_jwks = False
        self.delay = delay
        self._lock = threading.Lock()

    def count(self, path: str) -> int:
        return self.requests.get(path, 0)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        with self._lock:
            self.requests[path] = self.requests.get(path, 0) + 1
        origin = f"{request.url.scheme}://{request.url.host}"
        issuer = next((i for i in self.issuers if i.startswith(origin)), None)
        if issuer is None:
            return httpx.Response(404)
        prefix = issuer[len(origin) :]
        if path == f"{prefix}/.well-known/openid-configuration":
            return httpx.Response(
                200,
                json={
                    "issuer": issuer,
                    "jwks_uri": f"{issuer}/jwks",
                    "authorization_endpoint": f"{issuer}/authorize",
                    "token_endpoint": f"{issuer}/token",
                    "introspection_endpoint": f"{issuer}/introspect",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["ES256"],
                },
            )
        if path == f"{prefix}/jwks":
            if self.fail_jwks:
                return httpx.Response(503)
            return httpx.Response(200, json={"keys": [k.public_jwk().to_dict() for k in self.keys]})
        if path == f"{prefix}/introspect":
            expected = base64.b64encode(b"api:api-secret").decode()
            if request.headers.get("authorization") != f"Basic {expected}":
                return httpx.Response(401, json={"error": "invalid_client"})
            if self.fail_introspection:
                return httpx.Response(500)
            token = parse_qs(request.content.decode())["token"][0]
            return httpx.Response(200, json=self.answers.get(token, {"active": False}))
        return httpx.Response(404)

    def handler(self, request: httpx.Request) -> httpx.Response:
        if self.delay:
            time.sleep(self.delay)
        return self._answer(request)

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        if self.delay:
            await asyncio.sleep(self.delay)
        return self._answer(request)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handler))

    def async_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self.async_handler))


def mint(
    *, key: JsonWebKey = KEY, typ: str | None = "at+jwt", lifetime: int = 300, **claims: Any
) -> str:
    """An access token of ``ISSUER`` for ``AUDIENCE``; ``claims`` override (None removes)."""
    now = int(time.time())
    payload: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "alice",
        "client_id": "orders-app",
        "scope": "orders:read",
        "iat": now,
        "exp": now + lifetime,
        "jti": f"jti-{time.monotonic_ns()}",
    }
    payload.update(claims)
    payload = {name: value for name, value in payload.items() if value is not None}
    headers: dict[str, Any] = {"kid": key.kid}
    if typ is not None:
        headers["typ"] = typ
    return sign_compact(payload, key, "ES256", headers=headers)
