"""A mocked authority for the Flask and Django unit tests (httpx ``MockTransport``).

:class:`FakeOp` serves a discovery document and a JWKS for ``https://op.example`` and mints
access tokens (RFC 9068 ``at+jwt``, ES256) with any claims, so every failure path (expired,
not yet valid, wrong ``aud``/``iss``/``typ``, unknown key, tampered) can be produced without a
provider. The resource servers of the tests fetch through it (sync and async clients).
"""

from __future__ import annotations

import time
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import ec

from py_identity_model.jose import JsonWebKey, sign_compact

ISSUER = "https://op.example"
AUDIENCE = "https://api.example/orders"
KEY = JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()), kid="op-1")
STRANGER = JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()), kid="op-1")


class FakeOp:
    """Discovery + JWKS of ``ISSUER``; counts the requests."""

    def __init__(self) -> None:
        self.requests = 0

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        if request.url.path == "/.well-known/openid-configuration":
            return httpx.Response(
                200,
                json={
                    "issuer": ISSUER,
                    "jwks_uri": f"{ISSUER}/jwks",
                    "authorization_endpoint": f"{ISSUER}/authorize",
                    "token_endpoint": f"{ISSUER}/token",
                    "introspection_endpoint": f"{ISSUER}/introspect",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["ES256"],
                },
            )
        if request.url.path == "/jwks":
            return httpx.Response(200, json={"keys": [KEY.public_jwk().to_dict()]})
        return httpx.Response(404)

    def handler(self, request: httpx.Request) -> httpx.Response:
        return self._answer(request)

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        return self._answer(request)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handler))

    def async_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self.async_handler))


def mint(*, key: JsonWebKey = KEY, typ: str = "at+jwt", lifetime: int = 300, **claims: Any) -> str:
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
    return sign_compact(payload, key, "ES256", headers={"typ": typ, "kid": key.kid})


def self_signed_certificate() -> bytes:
    """A fresh self-signed client certificate (PEM)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "orders-client")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM)
