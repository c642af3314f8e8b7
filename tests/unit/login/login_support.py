"""Shared pieces of the ``OidcClient`` unit tests: a mocked provider and the sync/async shells.

:class:`FakeOp` answers discovery, JWKS and token requests (httpx ``MockTransport``) and
signs the ID tokens it returns with keys the test controls, so each test can break exactly
one rule. :class:`Mode` runs ``prepare_login`` / ``process_response`` through the sync
methods or through ``asyncio.run`` of their async twins.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from py_identity_model.jose import JsonWebKey, sign_compact
from py_identity_model.login import AuthorizeState, LoginResult, OidcClient, OidcClientOptions
from py_identity_model.validation.hashes import left_half_hash

CLIENT_ID = "web-app"
REDIRECT_URI = "https://app.example/callback"
DISCO_PATH = "/.well-known/openid-configuration"

RSA_KEY = JsonWebKey.from_key(
    rsa.generate_private_key(public_exponent=65537, key_size=2048), kid="rsa-1"
)
EC_KEY = JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()), kid="ec-1")
# Same kid as RSA_KEY, different key material: its signatures must not verify.
ATTACKER_RSA_KEY = JsonWebKey.from_key(
    rsa.generate_private_key(public_exponent=65537, key_size=2048), kid="rsa-1"
)

Handler = Callable[[httpx.Request], httpx.Response]
Reply = Callable[[], httpx.Response | Exception]


def query_of(url: str) -> dict[str, str]:
    """The query parameters of ``url`` (one value per name; repeats are asserted absent)."""
    pairs = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    names = [name for name, _ in pairs]
    assert len(names) == len(set(names)), f"repeated parameter in {url}"
    return dict(pairs)


class FakeOp:
    """A mocked OpenID Provider: discovery, JWKS and a token endpoint issuing ID tokens.

    Tests adjust the attributes before the callback is processed:

    * ``claim_changes``: ID token claims to add/replace (``None`` removes the claim);
    * ``signer`` / ``alg`` / ``header``: how the ID token is signed;
    * ``id_token``: a fixed ID token string (``""`` to leave it out of the response);
    * ``token_reply`` / ``disco_reply`` / ``jwks_reply``: a factory of an ``httpx.Response``
      (or of an exception to raise) replacing the normal answer. A factory, not a response:
      an httpx response carries a sync or an async body and must not be reused.
    """

    def __init__(
        self,
        *,
        algs: tuple[str, ...] = ("RS256", "ES256"),
        iss_parameter_supported: bool = True,
        keys: tuple[JsonWebKey, ...] = (RSA_KEY, EC_KEY),
    ) -> None:
        self.authority = f"https://op-{uuid.uuid4().hex[:12]}.example"
        self.metadata: dict[str, Any] = {
            "issuer": self.authority,
            "authorization_endpoint": f"{self.authority}/authorize",
            "token_endpoint": f"{self.authority}/token",
            "jwks_uri": f"{self.authority}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "code_challenge_methods_supported": ["S256"],
            "id_token_signing_alg_values_supported": list(algs),
            "authorization_response_iss_parameter_supported": iss_parameter_supported,
        }
        self.served_keys = [key.public_jwk().to_dict() for key in keys]
        self.counts: Counter[str] = Counter()
        self.token_requests: list[httpx.Request] = []
        self.nonce: str | None = None
        self.code = f"code-{uuid.uuid4().hex}"
        self.access_token = f"at-{uuid.uuid4().hex}"
        self.claim_changes: dict[str, Any] = {}
        self.signer: JsonWebKey = RSA_KEY
        self.alg = "RS256"
        self.header: dict[str, Any] | None = None
        self.id_token: str | None = None
        self.token_reply: Reply | None = None
        self.disco_reply: Reply | None = None
        self.jwks_reply: Reply | None = None

    # ------------------------------------------------------------------ client side
    def options(self, **kw: Any) -> OidcClientOptions:
        return OidcClientOptions(self.authority, CLIENT_ID, REDIRECT_URI, **kw)

    def callback(self, state: AuthorizeState | str | None, **params: str | None) -> str:
        """The redirect URL the browser would bring back (``None`` drops a parameter)."""
        values: dict[str, str | None] = {
            "code": self.code,
            "state": state.state if isinstance(state, AuthorizeState) else state,
            "iss": self.authority,
        }
        values.update(params)
        return f"{REDIRECT_URI}?{urlencode({k: v for k, v in values.items() if v is not None})}"

    # ------------------------------------------------------------------ ID tokens
    def claims(self) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.authority,
            "sub": "alice",
            "aud": CLIENT_ID,
            "exp": now + 300,
            "iat": now,
            "nonce": self.nonce,
            "at_hash": left_half_hash(self.access_token, self.alg),
        }
        for name, value in self.claim_changes.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        return claims

    def sign(self, claims: dict[str, Any]) -> str:
        header = {"kid": self.signer.kid} if self.header is None else self.header
        return sign_compact(claims, self.signer, self.alg, headers=header)

    # ------------------------------------------------------------------ serving
    def handler(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.counts[path] += 1
        if request.url.host != httpx.URL(self.authority).host:
            return httpx.Response(404)
        factory = {
            DISCO_PATH: self.disco_reply,
            "/jwks": self.jwks_reply,
            "/token": self.token_reply,
        }.get(path)
        if path == "/token":
            self.token_requests.append(request)
        # A factory: a fresh response (or exception) per request.
        override = factory() if factory is not None else None
        if isinstance(override, Exception):
            raise override
        if isinstance(override, httpx.Response):
            return override
        if path == DISCO_PATH:
            return httpx.Response(200, json=self.metadata)
        if path == "/jwks":
            return httpx.Response(200, json={"keys": self.served_keys})
        if path == "/token":
            return self._token()
        return httpx.Response(404)

    def _token(self) -> httpx.Response:
        body: dict[str, Any] = {
            "access_token": self.access_token,
            "token_type": "Bearer",
            "expires_in": 300,
        }
        id_token = self.sign(self.claims()) if self.id_token is None else self.id_token
        if id_token:
            body["id_token"] = id_token
        return httpx.Response(200, json=body, headers={"Cache-Control": "no-store"})

    def token_form(self, index: int = -1) -> dict[str, str]:
        """The form fields of a token request the OP received."""
        return dict(parse_qsl(self.token_requests[index].content.decode(), keep_blank_values=True))


class Mode:
    """``OidcClient`` driven through its sync methods or its async twins."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.is_async = name == "async"

    def http(self, handler: Handler) -> httpx.Client | httpx.AsyncClient:
        if self.is_async:

            async def async_handler(request: httpx.Request) -> httpx.Response:
                return handler(request)

            return httpx.AsyncClient(transport=httpx.MockTransport(async_handler))
        return httpx.Client(transport=httpx.MockTransport(handler))

    def client(self, op: FakeOp, **options: Any) -> OidcClient:
        return OidcClient(op.options(**options), http_client=self.http(op.handler))

    def prepare(self, client: OidcClient, **kw: Any) -> AuthorizeState:
        if self.is_async:
            return asyncio.run(client.aprepare_login(**kw))
        return client.prepare_login(**kw)

    def process(
        self, client: OidcClient, callback: str | bytes, state: AuthorizeState
    ) -> LoginResult:
        if self.is_async:
            return asyncio.run(client.aprocess_response(callback, state))
        return client.process_response(callback, state)

    def login(
        self, client: OidcClient, op: FakeOp, **prepare_kw: Any
    ) -> tuple[AuthorizeState, LoginResult]:
        """Both legs: prepare, let the OP "authenticate" (it learns the nonce), process."""
        state = self.prepare(client, **prepare_kw)
        op.nonce = query_of(state.url)["nonce"]
        return state, self.process(client, op.callback(state), state)

    def __repr__(self) -> str:
        return self.name


def json_roundtrip(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` after a trip through JSON, as a session store would do."""
    loaded: dict[str, Any] = json.loads(json.dumps(data))
    return loaded
