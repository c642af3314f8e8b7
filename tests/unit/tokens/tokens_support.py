"""Helpers shared by the token-endpoint unit tests (tests/unit/tokens).

* :class:`Recorder`: an ``httpx.MockTransport`` handler that records every request and
  answers from a list of responses (or a callable), so tests can count sends;
* form/Basic/JWT decoders that read what the library put on the wire;
* key material generated once per process with ``cryptography``.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from py_identity_model.jose import CompactJws, JsonWebKey, parse_compact, verify_compact

TOKEN_URL = "https://idp.example/connect/token"
JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

Answer = httpx.Response | Callable[[httpx.Request], httpx.Response]


def token_json(**extra: Any) -> dict[str, Any]:
    """A minimal successful token response body."""
    return {"access_token": "AT-value", "token_type": "Bearer", "expires_in": 3600, **extra}


def ok(body: dict[str, Any] | None = None, /, **headers: str) -> httpx.Response:
    return httpx.Response(200, json=token_json() if body is None else body, headers=headers)


def oauth_error(
    error: str, status: int = 400, description: str | None = None, **headers: str
) -> httpx.Response:
    body: dict[str, Any] = {"error": error}
    if description is not None:
        body["error_description"] = description
    return httpx.Response(status, json=body, headers=headers)


class Recorder:
    """A MockTransport handler that records requests and answers in order.

    ``answers`` are used one per request; the last one repeats. An answer may be a
    response or a callable taking the request (it may raise, e.g. ``httpx.ReadTimeout``).
    """

    def __init__(self, *answers: Answer) -> None:
        self.answers: list[Answer] = list(answers) or [ok()]
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

    def form(self, index: int = -1) -> list[tuple[str, str]]:
        """The form body of one request as ordered pairs (repeated names kept)."""
        return form_pairs(self.bodies[index])

    def fields(self, index: int = -1) -> dict[str, list[str]]:
        """The form body of one request as name -> values."""
        out: dict[str, list[str]] = {}
        for name, value in self.form(index):
            out.setdefault(name, []).append(value)
        return out

    def one(self, name: str, index: int = -1) -> str:
        """The single value of ``name`` in a request body (fails if absent or repeated)."""
        values = self.fields(index).get(name, [])
        assert len(values) == 1, f"{name}: {values!r}"
        return values[0]


def form_pairs(body: bytes) -> list[tuple[str, str]]:
    return parse_qsl(body.decode("ascii"), keep_blank_values=True, strict_parsing=bool(body))


def decode_basic(request: httpx.Request) -> tuple[str, str]:
    """Decode ``Authorization: Basic`` per RFC 6749 §2.3.1 (Base64, then form-urldecode)."""
    header = request.headers["authorization"]
    scheme, _, encoded = header.partition(" ")
    assert scheme == "Basic", header
    pair = base64.b64decode(encoded, validate=True).decode("ascii")
    assert pair.count(":") == 1, f"the separator must be the only raw ':' in {pair!r}"
    client_id, _, secret = pair.partition(":")
    return unquote_plus(client_id), unquote_plus(secret)


def parse_jwt(token: str) -> CompactJws:
    jws = parse_compact(token)
    assert jws.claims is not None
    return jws


def verify_jwt(token: str, key: JsonWebKey, alg: str, *, symmetric: bool = False) -> CompactJws:
    """Parse and verify a compact JWS with ``key`` (raises if the signature is wrong)."""
    jws = parse_jwt(token)
    verify_compact(jws, key, algorithms=[alg], allow_symmetric=symmetric)
    return jws


def assert_assertion_claims(
    jws: CompactJws, client_id: str, audience: str, *, max_lifetime: int = 300
) -> None:
    claims = jws.claims or {}
    now = time.time()
    assert claims["iss"] == client_id
    assert claims["sub"] == client_id
    assert claims["aud"] == audience
    assert isinstance(claims["jti"], str) and len(claims["jti"]) >= 16
    assert isinstance(claims["iat"], int) and isinstance(claims["exp"], int)
    assert abs(claims["iat"] - now) <= 5
    assert 0 < claims["exp"] - claims["iat"] <= max_lifetime


# ------------------------------------------------------------------------------ keys


@cache
def private_key(kind: str) -> Any:
    """One private key per kind for the whole run: ``RSA`` (2048), ``EC`` (P-256), ``OKP``."""
    if kind == "RSA":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if kind == "EC":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "OKP":
        return ed25519.Ed25519PrivateKey.generate()
    raise ValueError(kind)


ALG_FOR_KIND = {"RSA": "PS256", "EC": "ES256", "OKP": "EdDSA"}


def private_pem(kind: str) -> bytes:
    return bytes(
        private_key(kind).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def public_pem(kind: str) -> bytes:
    public = private_key(kind).public_key()
    return bytes(
        public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def private_jwk_dict(kind: str, kid: str | None = None) -> dict[str, Any]:
    return JsonWebKey.from_key(private_key(kind), kid=kid).to_dict()


def public_jwk(kind: str) -> JsonWebKey:
    return JsonWebKey.from_key(private_key(kind).public_key())


def key_in_form(kind: str, form: str, kid: str | None = None) -> Any:
    """The private key of ``kind`` as PrivateKeyJwt accepts it: pem-str/pem-bytes/jwk/JsonWebKey."""
    if form == "pem-str":
        return private_pem(kind).decode("ascii")
    if form == "pem-bytes":
        return private_pem(kind)
    if form == "jwk-dict":
        return private_jwk_dict(kind, kid)
    if form == "JsonWebKey":
        return JsonWebKey.from_key(private_key(kind), kid=kid)
    raise ValueError(form)
