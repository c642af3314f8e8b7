"""``validate_token`` in discovery mode against a mocked authority (httpx ``MockTransport``).

A :class:`FakeOp` serves a discovery document and a JWKS and counts the requests per path,
so every test can say exactly how many fetches a validation caused: none on the warm path,
one refetch on an unknown ``kid`` (rate limited by ``jwks_refresh_cooldown``), one discovery
and one JWKS request for a thousand concurrent cold validations. Failures of either fetch
must surface as ``DiscoveryException`` / ``JwksException``, never as httpx exceptions.

Each test uses its own authority (``https://op-<uuid>.example``) and the process-wide key
sources are cleared around it, so no cache is shared between tests.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

import py_identity_model
from py_identity_model import (
    ConfigurationException,
    DiscoveryException,
    InvalidAlgorithmException,
    InvalidAudienceException,
    InvalidIssuerException,
    JwksException,
    KeyNotFoundException,
    NetworkException,
    PyIdentityModelException,
    SignatureVerificationException,
    TokenValidationConfig,
    TokenValidationException,
    TokenValidator,
    aio,
)
from py_identity_model.jose import JsonWebKey, sign_compact
from py_identity_model.validation.key_source import clear_shared_key_sources

AUDIENCE = "urn:test:api"
DISCO_PATH = "/.well-known/openid-configuration"
JWKS_PATH = "/jwks"

EC_KEY = JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()), kid="ec-1")
EC_KEY_2 = JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()), kid="ec-2")
RSA_KEY = JsonWebKey.from_key(
    rsa.generate_private_key(public_exponent=65537, key_size=2048), kid="rsa-1"
)
ATTACKER = JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()), kid="ec-1")
HMAC_SECRET = bytes(range(32, 96))
HMAC_KEY = JsonWebKey.from_key(HMAC_SECRET, kid="hmac-1")


@pytest.fixture(autouse=True)
def _fresh_key_sources() -> Iterator[None]:
    clear_shared_key_sources()
    yield
    clear_shared_key_sources()


class FakeOp:
    """A mocked authority: discovery + JWKS, with per-path request counts."""

    def __init__(self, keys: list[JsonWebKey] | None = None, *, delay: float = 0.0) -> None:
        self.authority = f"https://op-{uuid.uuid4().hex[:16]}.example"
        self.served: list[dict[str, Any]] = [
            key.to_dict() if key.kty == "oct" else key.public_jwk().to_dict()
            for key in (keys if keys is not None else [EC_KEY])
        ]
        self.delay = delay
        self.counts: Counter[str] = Counter()
        self.hosts: list[str] = []
        self._lock = threading.Lock()
        self.disco_response: Any = None  # None: the document; else an httpx.Response/exception
        self.jwks_response: Any = None

    # ------------------------------------------------------------------ serving
    def document(self) -> dict[str, Any]:
        return {
            "issuer": self.authority,
            "jwks_uri": f"{self.authority}{JWKS_PATH}",
            "authorization_endpoint": f"{self.authority}/authorize",
            "token_endpoint": f"{self.authority}/token",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["ES256", "RS256"],
        }

    def serve_keys(self, keys: list[JsonWebKey]) -> None:
        self.served = [k.to_dict() if k.kty == "oct" else k.public_jwk().to_dict() for k in keys]

    def _answer(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.counts[request.url.path] += 1
            self.hosts.append(request.url.host)
        if request.url.host != httpx.URL(self.authority).host:
            return httpx.Response(404)
        override = {DISCO_PATH: self.disco_response, JWKS_PATH: self.jwks_response}.get(
            request.url.path
        )
        if callable(override):  # a factory: a fresh response (or exception) per request
            override = override()
        if isinstance(override, Exception):
            raise override
        if isinstance(override, httpx.Response):
            return override
        if request.url.path == DISCO_PATH:
            return httpx.Response(200, json=self.document())
        if request.url.path == JWKS_PATH:
            return httpx.Response(200, json={"keys": list(self.served)})
        return httpx.Response(404)

    def handler(self, request: httpx.Request) -> httpx.Response:
        if self.delay:
            time.sleep(self.delay)
        return self._answer(request)

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        if self.delay:
            await asyncio.sleep(self.delay)
        return self._answer(request)

    @property
    def disco(self) -> int:
        return self.counts[DISCO_PATH]

    @property
    def jwks(self) -> int:
        return self.counts[JWKS_PATH]

    # ------------------------------------------------------------------ tokens
    def token(
        self,
        key: JsonWebKey = EC_KEY,
        alg: str = "ES256",
        *,
        kid: str | None = "",
        headers: dict[str, Any] | None = None,
        **claims: Any,
    ) -> str:
        now = int(time.time())
        payload = {"iss": self.authority, "aud": AUDIENCE, "sub": "alice", "iat": now}
        payload["exp"] = now + 300
        payload.update(claims)
        header: dict[str, Any] = dict(headers or {})
        if kid is not None:
            header["kid"] = kid or key.kid
        return sign_compact(payload, key, alg, headers=header)

    def config(self, **kw: Any) -> TokenValidationConfig:
        kw.setdefault("audience", AUDIENCE)
        return TokenValidationConfig(perform_disco=True, **kw)

    def client(self, api: Any) -> Any:
        return api.mock_client(self.handler)

    def validate(self, api: Any, jwt: str, cfg: TokenValidationConfig) -> dict[str, Any]:
        result: dict[str, Any] = api.validate_token(jwt, cfg, self.authority, self.client(api))
        return result

    def reject(
        self, api: Any, jwt: str, cfg: TokenValidationConfig, expected: type[Exception]
    ) -> Exception:
        with pytest.raises(expected) as info:
            self.validate(api, jwt, cfg)
        assert isinstance(info.value, PyIdentityModelException)
        return info.value


def random_kid_token(op: FakeOp) -> str:
    return op.token(ATTACKER, kid=f"unknown-{uuid.uuid4().hex}")


def validate_concurrently(
    api: Any, op: FakeOp, tokens: list[str], cfg: TokenValidationConfig
) -> list[Any]:
    """Validate every token at once (threads for sync, one event loop for async).

    Returns the claims or the exception of each call, in order.
    """
    if api.is_async:
        client = httpx.AsyncClient(transport=httpx.MockTransport(op.async_handler))

        async def run() -> list[Any]:
            calls = [aio.validate_token(t, cfg, op.authority, client) for t in tokens]
            return list(await asyncio.gather(*calls, return_exceptions=True))

        return asyncio.run(run())
    client = httpx.Client(transport=httpx.MockTransport(op.handler))
    barrier = threading.Barrier(len(tokens))

    def one(jwt: str) -> Any:
        barrier.wait()
        try:
            return py_identity_model.validate_token(jwt, cfg, op.authority, client)
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(max_workers=len(tokens)) as pool:
        return list(pool.map(one, tokens))


# ------------------------------------------------------------------ warm path


def test_warm_path_makes_no_requests(api: Any) -> None:
    op = FakeOp()
    cfg = op.config()
    claims = op.validate(api, op.token(), cfg)
    assert claims["iss"] == op.authority
    assert claims["sub"] == "alice"
    assert (op.disco, op.jwks) == (1, 1)
    for i in range(20):
        assert op.validate(api, op.token(sub=f"user-{i}"), cfg)["sub"] == f"user-{i}"
    # Another config for the same authority shares the process-wide caches.
    assert op.validate(api, op.token(), op.config())["aud"] == AUDIENCE
    # Claim rejections on the warm path make no requests either.
    op.reject(api, op.token(aud="urn:other"), cfg, InvalidAudienceException)
    assert (op.disco, op.jwks) == (1, 1)
    # A signature that fails with the cached key of its kid may mean the key was rotated
    # under the same kid: one refetch, then none within the cooldown.
    op.reject(api, op.token(ATTACKER), cfg, SignatureVerificationException)
    op.reject(api, op.token(ATTACKER), cfg, SignatureVerificationException)
    assert (op.disco, op.jwks) == (1, 2)
    assert set(op.hosts) == {httpx.URL(op.authority).host}


def test_issuer_comes_from_discovery(api: Any) -> None:
    op = FakeOp()
    cfg = op.config()
    assert op.validate(api, op.token(), cfg)["iss"] == op.authority
    op.reject(api, op.token(iss="https://evil.example"), cfg, InvalidIssuerException)
    op.reject(api, op.token(iss=op.authority + "/"), cfg, InvalidIssuerException)
    # An explicit issuer replaces the discovered one.
    pinned = op.config(issuer="https://pinned.example")
    op.reject(api, op.token(), pinned, InvalidIssuerException)
    assert op.validate(api, op.token(iss="https://pinned.example"), pinned)["sub"] == "alice"


def test_token_without_kid_tries_the_fitting_keys(api: Any) -> None:
    op = FakeOp([EC_KEY, RSA_KEY, EC_KEY_2])
    cfg = op.config(jwks_refresh_cooldown=0)
    assert op.validate(api, op.token(EC_KEY_2, kid=None), cfg)["sub"] == "alice"
    assert op.validate(api, op.token(RSA_KEY, "PS256", kid=None), cfg)["sub"] == "alice"
    assert op.jwks == 1
    # A kid-less forgery fails without refetching (there is no kid to look for).
    op.reject(api, op.token(ATTACKER, kid=None), cfg, SignatureVerificationException)
    assert op.jwks == 1


# ---------------------------------------------------------------- unknown kid


def test_unknown_kid_refetches_once_then_key_not_found(api: Any) -> None:
    op = FakeOp()
    cfg = op.config(jwks_refresh_cooldown=0)
    op.validate(api, op.token(), cfg)
    assert op.jwks == 1
    op.reject(api, op.token(EC_KEY_2), cfg, KeyNotFoundException)
    assert op.jwks == 2  # exactly one refetch for the miss
    assert op.disco == 1


def test_jwks_refresh_cooldown_zero_allows_a_refetch_per_miss(api: Any) -> None:
    op = FakeOp()
    cfg = op.config(jwks_refresh_cooldown=0)
    op.validate(api, op.token(), cfg)
    for i in range(5):
        op.reject(api, random_kid_token(op), cfg, KeyNotFoundException)
        assert op.jwks == 2 + i
    assert op.disco == 1


def test_key_rotation_is_picked_up_with_one_refetch(api: Any) -> None:
    op = FakeOp([EC_KEY])
    cfg = op.config(jwks_refresh_cooldown=0)
    op.validate(api, op.token(), cfg)
    op.serve_keys([EC_KEY_2])  # the authority rotates
    assert op.validate(api, op.token(EC_KEY_2), cfg)["sub"] == "alice"
    assert op.jwks == 2
    # The new set is cached now: no more requests, and the retired key is gone.
    assert op.validate(api, op.token(EC_KEY_2), cfg)["sub"] == "alice"
    assert op.jwks == 2
    op.reject(api, op.token(EC_KEY), cfg, KeyNotFoundException)
    assert op.jwks == 3


def test_refetches_are_limited_to_one_per_cooldown(api: Any) -> None:
    cooldown = 0.5
    op = FakeOp([EC_KEY])
    cfg = op.config(jwks_refresh_cooldown=cooldown)
    op.validate(api, op.token(), cfg)
    time.sleep(cooldown + 0.05)
    op.serve_keys([EC_KEY, EC_KEY_2])
    # The first miss after the cooldown refetches and finds the rotated key...
    assert op.validate(api, op.token(EC_KEY_2), cfg)["sub"] == "alice"
    assert op.jwks == 2
    refetched = time.monotonic()
    # ... and the misses that follow within the cooldown do not refetch.
    for _ in range(10):
        op.reject(api, random_kid_token(op), cfg, KeyNotFoundException)
    if time.monotonic() - refetched < cooldown:  # (a very slow machine may need longer)
        assert op.jwks == 2
    time.sleep(cooldown + 0.05)
    op.reject(api, random_kid_token(op), cfg, KeyNotFoundException)
    assert op.jwks == 3
    assert op.disco == 1


def test_fifty_random_kids_sequentially_cause_at_most_two_refetches(api: Any) -> None:
    op = FakeOp()
    cfg = op.config()  # the library's default cooldown
    op.validate(api, op.token(), cfg)
    for _ in range(50):
        op.reject(api, random_kid_token(op), cfg, KeyNotFoundException)
    assert op.jwks - 1 <= 2
    assert op.disco == 1
    assert op.validate(api, op.token(), cfg)["sub"] == "alice"


def test_fifty_random_kids_concurrently_cause_at_most_two_refetches(api: Any) -> None:
    op = FakeOp(delay=0.005)
    cfg = op.config()
    op.validate(api, op.token(), cfg)
    results = validate_concurrently(api, op, [random_kid_token(op) for _ in range(50)], cfg)
    assert all(isinstance(r, KeyNotFoundException) for r in results), results
    assert op.jwks - 1 <= 2
    assert op.disco == 1


def test_fifty_random_kids_concurrently_after_the_cooldown_cause_one_refetch(api: Any) -> None:
    cooldown = 0.5
    op = FakeOp(delay=0.005)
    cfg = op.config(jwks_refresh_cooldown=cooldown)
    op.validate(api, op.token(), cfg)
    time.sleep(cooldown + 0.05)
    tokens = [random_kid_token(op) for _ in range(50)]
    results = validate_concurrently(api, op, tokens, cfg)
    assert all(isinstance(r, KeyNotFoundException) for r in results), results
    assert op.jwks == 2


def test_failed_refetch_keeps_the_cached_keys(api: Any) -> None:
    op = FakeOp()
    cfg = op.config(jwks_refresh_cooldown=0)
    op.validate(api, op.token(), cfg)
    op.jwks_response = lambda: httpx.Response(500, text="down")
    exc = op.reject(api, op.token(EC_KEY_2), cfg, TokenValidationException)
    assert isinstance(exc, (KeyNotFoundException, JwksException))
    assert op.jwks == 2
    # The keys fetched before are still used.
    assert op.validate(api, op.token(), cfg)["sub"] == "alice"
    op.jwks_response = lambda: httpx.ConnectError("unreachable")
    op.reject(api, op.token(EC_KEY_2), cfg, PyIdentityModelException)
    assert op.validate(api, op.token(), cfg)["sub"] == "alice"
    op.jwks_response = lambda: httpx.Response(
        200, text="not json", headers={"content-type": "text/plain"}
    )
    op.reject(api, op.token(EC_KEY_2), cfg, PyIdentityModelException)
    assert op.validate(api, op.token(), cfg)["sub"] == "alice"


def test_failing_refetches_are_rate_limited_too(api: Any) -> None:
    """The cooldown counts from the latest refetch *attempt*: a failing JWKS endpoint is not
    hit once per unknown-kid token (it was, when only successful fetches counted)."""
    cooldown = 0.2
    op = FakeOp()
    cfg = op.config(jwks_refresh_cooldown=cooldown)
    op.validate(api, op.token(), cfg)
    time.sleep(cooldown + 0.05)
    op.jwks_response = lambda: httpx.Response(500, text="down")
    started = time.monotonic()
    for _ in range(20):
        op.reject(api, random_kid_token(op), cfg, PyIdentityModelException)
    allowed = 1 + int((time.monotonic() - started) // cooldown)
    assert op.validate(api, op.token(), cfg)["sub"] == "alice"
    assert op.jwks - 1 <= allowed, f"{op.jwks - 1} JWKS refetches, at most {allowed} allowed"


# ---------------------------------------------------------------- failures


@pytest.mark.parametrize(
    "failure",
    [
        lambda: httpx.Response(500, text="boom"),
        lambda: httpx.Response(404),
        lambda: httpx.Response(200, text="<html>", headers={"content-type": "text/html"}),
        lambda: httpx.Response(
            200, content=b"{not json", headers={"content-type": "application/json"}
        ),
        lambda: httpx.Response(302, headers={"location": "https://elsewhere.example/"}),
        lambda: httpx.ConnectError("refused"),
        lambda: httpx.ReadTimeout("slow"),
        lambda: httpx.RemoteProtocolError("garbage"),
    ],
    ids=["500", "404", "html", "bad-json", "redirect", "connect", "timeout", "protocol"],
)
def test_discovery_failure_is_a_discovery_exception(api: Any, failure: Any) -> None:
    op = FakeOp()
    op.disco_response = failure
    exc = op.reject(api, op.token(), op.config(), DiscoveryException)
    assert isinstance(exc, NetworkException)
    assert not isinstance(exc, httpx.HTTPError)
    assert exc.__cause__ is None or not isinstance(exc.__cause__, httpx.HTTPError)
    assert op.jwks == 0
    # The authority recovers: the next validation fetches again and succeeds.
    op.disco_response = None
    assert op.validate(api, op.token(), op.config())["sub"] == "alice"


@pytest.mark.parametrize(
    "document",
    [
        {"issuer": "https://other.example"},
        {"jwks_uri": None},
        {"jwks_uri": "https://attacker.example/jwks"},
        {"issuer": None},
    ],
    ids=["issuer-mismatch", "no-jwks_uri", "foreign-jwks_uri", "no-issuer"],
)
def test_invalid_discovery_documents_are_rejected(api: Any, document: dict[str, Any]) -> None:
    op = FakeOp()
    body = {k: v for k, v in {**op.document(), **document}.items() if v is not None}
    op.disco_response = lambda: httpx.Response(200, json=body)
    exc = op.reject(api, op.token(), op.config(), NetworkException)
    assert isinstance(exc, (DiscoveryException, JwksException))
    assert "attacker.example" not in op.hosts
    assert op.jwks == 0


@pytest.mark.parametrize(
    "failure",
    [
        lambda: httpx.Response(500, text="boom"),
        lambda: httpx.Response(200, text="<html>", headers={"content-type": "text/html"}),
        lambda: httpx.Response(200, json={"no": "keys"}),
        lambda: httpx.Response(200, json=["not", "a", "set"]),
        lambda: httpx.ConnectError("refused"),
        lambda: httpx.ReadTimeout("slow"),
    ],
    ids=["500", "html", "no-keys", "array", "connect", "timeout"],
)
def test_cold_jwks_failure_is_a_jwks_exception(api: Any, failure: Any) -> None:
    op = FakeOp()
    op.jwks_response = failure
    exc = op.reject(api, op.token(), op.config(), JwksException)
    assert isinstance(exc, NetworkException)
    assert op.disco == 1


def test_http_authority_is_never_contacted(api: Any) -> None:
    op = FakeOp()
    plain = op.authority.replace("https://", "http://")
    with pytest.raises(PyIdentityModelException):
        api.validate_token(op.token(iss=plain), op.config(), plain, op.client(api))
    assert op.hosts == []


def test_disco_mode_needs_an_address(api: Any) -> None:
    op = FakeOp()
    with pytest.raises(ConfigurationException):
        api.validate_token(op.token(), op.config(), None, op.client(api))
    assert op.hosts == []


# ------------------------------------------------------------- remote keys


def test_remote_oct_key_is_never_usable(api: Any) -> None:
    op = FakeOp([HMAC_KEY, EC_KEY])
    hs256 = op.token(HMAC_KEY, "HS256")
    op.reject(api, hs256, op.config(), InvalidAlgorithmException)
    # Allowing HS256 with nothing but a JWKS can never work: refused as misuse, up front.
    with pytest.raises(ConfigurationException, match="HS256 needs a shared key"):
        op.validate(api, hs256, op.config(algorithms=["HS256", "ES256"]))
    # With a client secret, HS256 tokens are verified with that secret only: the oct key
    # the JWKS publishes is never used, even when it is the key the token was MACed with.
    secret = "s" * 40
    with_secret = op.config(algorithms=["HS256", "ES256"], client_secret=secret)
    op.reject(api, hs256, with_secret, SignatureVerificationException)
    op.reject(
        api, op.token(HMAC_KEY, "HS256", kid=None), with_secret, SignatureVerificationException
    )
    # The asymmetric key of the same set still works.
    assert op.validate(api, op.token(), with_secret)["sub"] == "alice"


def test_header_keys_and_urls_are_never_used_or_fetched(api: Any) -> None:
    op = FakeOp()
    cfg = op.config(jwks_refresh_cooldown=0)
    headers = {
        "jwk": ATTACKER.public_jwk().to_dict(),
        "jku": "https://attacker.example/jwks",
        "x5u": "https://attacker.example/cert.pem",
    }
    forged = op.token(ATTACKER, headers=headers)
    op.reject(api, forged, cfg, SignatureVerificationException)
    forged_new_kid = op.token(ATTACKER, kid="attacker-kid", headers=headers)
    op.reject(api, forged_new_kid, cfg, KeyNotFoundException)
    assert "attacker.example" not in op.hosts
    assert set(op.hosts) == {httpx.URL(op.authority).host}
    # A genuine token with the same header members validates.
    assert op.validate(api, op.token(headers=headers), cfg)["sub"] == "alice"


# ----------------------------------------------------------- TokenValidator


def _validator_call(api: Any, validator: TokenValidator, jwt: str) -> dict[str, Any]:
    if api.is_async:
        return asyncio.run(validator.avalidate(jwt))
    return validator.validate(jwt)


def test_token_validator_owns_its_caches(api: Any) -> None:
    op = FakeOp()
    op.validate(api, op.token(), op.config())  # warms the shared caches
    assert (op.disco, op.jwks) == (1, 1)
    validator = TokenValidator(
        op.config(), disco_doc_address=op.authority, http_client=op.client(api)
    )
    assert _validator_call(api, validator, op.token())["sub"] == "alice"
    assert (op.disco, op.jwks) == (2, 2)  # its own caches: fetched once more
    for i in range(10):
        assert _validator_call(api, validator, op.token(sub=f"u{i}"))["sub"] == f"u{i}"
    assert (op.disco, op.jwks) == (2, 2)
    with pytest.raises(InvalidAudienceException):
        _validator_call(api, validator, op.token(aud="urn:other"))
    with pytest.raises(SignatureVerificationException):
        _validator_call(api, validator, op.token(ATTACKER))
    assert (op.disco, op.jwks) == (2, 3)  # one refetch: the key may have rotated
    validator.invalidate()
    assert _validator_call(api, validator, op.token())["sub"] == "alice"
    assert (op.disco, op.jwks) == (3, 4)
    assert op.authority in repr(validator)


def test_token_validator_for_authority(api: Any) -> None:
    op = FakeOp([EC_KEY, RSA_KEY])
    validator = TokenValidator.for_authority(
        op.authority,
        audience=AUDIENCE,
        algorithms=["PS256"],
        http_client=op.client(api),
        required_scopes=["api:read"],
    )
    jwt = op.token(RSA_KEY, "PS256", scope="api:read")
    assert _validator_call(api, validator, jwt)["scope"] == "api:read"
    with pytest.raises(InvalidAlgorithmException):
        _validator_call(api, validator, op.token())
    with pytest.raises(TokenValidationException):
        _validator_call(api, validator, op.token(RSA_KEY, "PS256", scope="api:write"))
    assert (op.disco, op.jwks) == (1, 1)
    with pytest.raises(ConfigurationException):
        TokenValidator(op.config())  # perform_disco=True without an address


def test_token_validator_unknown_kid_refetch(api: Any) -> None:
    op = FakeOp([EC_KEY])
    validator = TokenValidator(
        op.config(jwks_refresh_cooldown=0),
        disco_doc_address=op.authority,
        http_client=op.client(api),
    )
    _validator_call(api, validator, op.token())
    op.serve_keys([EC_KEY_2])
    assert _validator_call(api, validator, op.token(EC_KEY_2))["sub"] == "alice"
    assert op.jwks == 2


# ------------------------------------------------------------ cold stampede


def test_a_thousand_concurrent_async_validations_fetch_once() -> None:
    op = FakeOp(delay=0.01)
    cfg = op.config()
    tokens = [op.token(sub=f"user-{i % 10}") for i in range(1000)]
    client = httpx.AsyncClient(transport=httpx.MockTransport(op.async_handler))

    async def run() -> list[Any]:
        calls = [aio.validate_token(t, cfg, op.authority, client) for t in tokens]
        return list(await asyncio.gather(*calls, return_exceptions=True))

    results = asyncio.run(run())
    assert all(isinstance(r, dict) for r in results), [
        r for r in results if not isinstance(r, dict)
    ][:3]
    assert [r["sub"] for r in results[:10]] == [f"user-{i}" for i in range(10)]
    assert (op.disco, op.jwks) == (1, 1)


def test_a_thousand_concurrent_token_validator_calls_fetch_once() -> None:
    op = FakeOp(delay=0.01)
    client = httpx.AsyncClient(transport=httpx.MockTransport(op.async_handler))
    validator = TokenValidator(op.config(), disco_doc_address=op.authority, http_client=client)
    jwt = op.token()

    async def run() -> list[Any]:
        return list(
            await asyncio.gather(
                *(validator.avalidate(jwt) for _ in range(1000)), return_exceptions=True
            )
        )

    results = asyncio.run(run())
    assert all(isinstance(r, dict) and r["sub"] == "alice" for r in results)
    assert (op.disco, op.jwks) == (1, 1)


def test_fifty_threads_cold_fetch_once() -> None:
    op = FakeOp(delay=0.01)
    cfg = op.config()
    tokens = [op.token(sub=f"t{i}") for i in range(50)]
    results = validate_concurrently(_SYNC, op, tokens, cfg)
    assert [r["sub"] for r in results] == [f"t{i}" for i in range(50)]
    assert (op.disco, op.jwks) == (1, 1)


def test_fifty_threads_cold_with_failing_discovery_all_fail_cleanly() -> None:
    op = FakeOp(delay=0.01)
    op.disco_response = lambda: httpx.Response(500, text="down")
    results = validate_concurrently(_SYNC, op, [op.token() for _ in range(50)], op.config())
    assert all(isinstance(r, DiscoveryException) for r in results), results[:3]
    # Callers that waited for a failed fetch share its failure instead of queueing more.
    assert op.disco < 50


class _Sync:
    is_async = False


_SYNC = _Sync()
