"""Token-validation benchmarks: py-identity-model against a hand-written floor and PyJWT,
joserfc and Authlib; import time; concurrent cold-cache validation against a real provider.

Run::

    .venv/bin/python benchmarks/bench_validation.py [--rounds N] [--batch N] [--json out.json]

Three parts (each can be skipped, see ``--help``):

1. **Latency**, one interleaved run: every round times a batch of calls of every
   (algorithm, contender) pair, rotating the starting pair each round, with the garbage
   collector disabled during a batch. Reported as ratios to the *floor*, the minimal
   correct work (split, 3 x base64url, 2 x ``json.loads``, one ``cryptography`` verify with a
   pre-loaded key, and the exp/nbf/iss/aud checks), so the numbers travel between machines.
2. **Import time** of ``from py_identity_model import validate_token`` vs ``import jwt``, each
   measured in fresh interpreters, plus the list of heavy modules the import pulls in.
3. **Concurrency**: 1000 concurrent ``aio.validate_token`` calls (and a ``TokenValidator``,
   a flood of unknown ``kid`` values, 50 sync threads) with cold caches against the test
   OpenID provider on 127.0.0.1, counting discovery and JWKS requests.

``benchmarks/test_bench_validation.py`` exposes the same contenders to pytest-benchmark
(``make bench``). See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import gc
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make ``tests.provider`` importable
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature  # noqa: E402

from py_identity_model import (  # noqa: E402
    HTTPClient,
    JsonWebKey,
    TokenValidationConfig,
    TokenValidator,
    validate_token,
)
from py_identity_model.jose import sign_compact  # noqa: E402

ALGS = ("RS256", "ES256", "EdDSA")
CONTENDERS = (
    "floor",
    "ours (discovery, warm)",
    "ours (TokenValidator)",
    "ours (static key)",
    "PyJWT",
    "joserfc",
    "Authlib",
)
ISSUER = "https://login.example.com/3f2b8c1e-6d1a-4b7e-9a55-0c8e7d2f4a91/v2.0"
DISCOVERY_URL = f"{ISSUER}/.well-known/openid-configuration"
JWKS_URI = f"{ISSUER}/discovery/keys"
AUDIENCE = "api://orders-service.example.com"

Validate = Callable[[str], Any]


# --------------------------------------------------------------------------------------------
# Keys, tokens and the local discovery source
# --------------------------------------------------------------------------------------------


def new_private_key(alg: str) -> Any:
    if alg == "RS256":
        return rsa.generate_private_key(65537, 2048)
    if alg == "ES256":
        return ec.generate_private_key(ec.SECP256R1())
    if alg == "EdDSA":
        return ed25519.Ed25519PrivateKey.generate()
    raise ValueError(alg)


def realistic_claims(now: int) -> dict[str, Any]:
    """An RFC 9068-style access token payload of about 400 bytes."""
    return {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "exp": now + 3600,
        "iat": now,
        "nbf": now - 5,
        "sub": "b6f1a3d2-8c4e-4f7a-9d21-5e3c7a8b9f10",
        "scope": "openid profile email orders:read orders:write inventory:read",
        "client_id": "0b9f6c2e-4d3a-4c1b-8e7f-5a6b7c8d9e0f",
        "jti": "2c1d4e6f8a0b2c4d6e8f0a1b3c5d7e9f",
        "tid": "3f2b8c1e-6d1a-4b7e-9a55-0c8e7d2f4a91",
    }


@dataclass
class Fixture:
    """Everything one algorithm's contenders need, built once."""

    alg: str
    private_key: Any
    jwk: JsonWebKey  # private
    public_jwk: dict[str, Any]
    token: str
    claims: dict[str, Any]

    @property
    def public_key(self) -> Any:
        return self.private_key.public_key()


def build_fixture(alg: str, now: int | None = None) -> Fixture:
    private_key = new_private_key(alg)
    kid = f"bench-{alg.lower()}"
    jwk = JsonWebKey.from_key(private_key, kid=kid, alg=alg, use="sig")
    claims = realistic_claims(int(time.time()) if now is None else now)
    token = sign_compact(claims, jwk, alg, headers={"typ": "at+jwt", "kid": kid})
    return Fixture(alg, private_key, jwk, jwk.public_jwk().to_dict(), token, claims)


def mock_http_client(fixtures: list[Fixture]) -> tuple[HTTPClient, Counter[str]]:
    """An HTTPClient whose httpx MockTransport serves discovery and the JWKS locally."""
    discovery = {
        "issuer": ISSUER,
        "jwks_uri": JWKS_URI,
        "authorization_endpoint": f"{ISSUER}/oauth2/authorize",
        "token_endpoint": f"{ISSUER}/oauth2/token",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [f.alg for f in fixtures],
    }
    jwks = {"keys": [f.public_jwk for f in fixtures]}
    hits: Counter[str] = Counter()

    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        headers = {"Cache-Control": "public, max-age=86400"}
        if url == DISCOVERY_URL:
            hits["discovery"] += 1
            return httpx.Response(200, json=discovery, headers=headers)
        if url == JWKS_URI:
            hits["jwks"] += 1
            return httpx.Response(200, json=jwks, headers=headers)
        hits["other"] += 1
        return httpx.Response(404)

    return HTTPClient(httpx.Client(transport=httpx.MockTransport(handler))), hits


# --------------------------------------------------------------------------------------------
# Contenders
# --------------------------------------------------------------------------------------------


def _b64url(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def floor_validator(alg: str, public_key: Any, issuer: str, audience: str) -> Validate:
    """The minimal correct work, stdlib + ``cryptography`` with everything pre-built."""
    if alg == "RS256":
        pkcs1, sha256 = padding.PKCS1v15(), hashes.SHA256()

        def verify(signature: bytes, data: bytes) -> None:
            public_key.verify(signature, data, pkcs1, sha256)

    elif alg == "ES256":
        ecdsa = ec.ECDSA(hashes.SHA256())

        def verify(signature: bytes, data: bytes) -> None:
            if len(signature) != 64:
                raise ValueError("bad ES256 signature length")
            r = int.from_bytes(signature[:32], "big")
            s = int.from_bytes(signature[32:], "big")
            public_key.verify(encode_dss_signature(r, s), data, ecdsa)

    elif alg == "EdDSA":

        def verify(signature: bytes, data: bytes) -> None:
            public_key.verify(signature, data)

    else:
        raise ValueError(alg)

    loads = json.loads

    def validate(token: str) -> dict[str, Any]:
        header_b64, payload_b64, signature_b64 = token.split(".")
        header = loads(_b64url(header_b64))
        if header["alg"] != alg:
            raise ValueError("alg")
        claims = loads(_b64url(payload_b64))
        verify(_b64url(signature_b64), f"{header_b64}.{payload_b64}".encode("ascii"))
        now = time.time()
        if not now < claims["exp"]:
            raise ValueError("expired")
        if claims.get("nbf", 0) > now:
            raise ValueError("not yet valid")
        if claims["iss"] != issuer:
            raise ValueError("issuer")
        aud = claims["aud"]
        if aud != audience and not (isinstance(aud, list) and audience in aud):
            raise ValueError("audience")
        return claims

    return validate


def _pyjwt(fx: Fixture) -> Validate:
    import jwt

    key, alg = fx.public_key, fx.alg

    def validate(token: str) -> Any:
        return jwt.decode(token, key, algorithms=[alg], audience=AUDIENCE, issuer=ISSUER)

    return validate


def _joserfc(fx: Fixture) -> Validate:
    from joserfc import jwt as jjwt
    from joserfc.jwk import ECKey, OKPKey, RSAKey

    key_type = {"RS256": RSAKey, "ES256": ECKey, "EdDSA": OKPKey}[fx.alg]
    key = key_type.import_key(fx.public_key)
    registry = jjwt.JWTClaimsRegistry(
        iss={"essential": True, "value": ISSUER},
        aud={"essential": True, "value": AUDIENCE},
        exp={"essential": True},
    )
    algorithms = [fx.alg]

    def validate(token: str) -> Any:
        decoded = jjwt.decode(token, key, algorithms=algorithms)
        registry.validate(decoded.claims)
        return decoded.claims

    return validate


def _authlib(fx: Fixture) -> Validate:
    import authlib.deprecate  # noqa: F401 - installs an "always" filter when first imported

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "authlib.jose is deprecated, use joserfc"
        from authlib.jose import JsonWebKey as AuthlibJWK, JsonWebToken

    key = AuthlibJWK.import_key(fx.public_jwk)
    decoder = JsonWebToken([fx.alg])
    options = {
        "iss": {"essential": True, "value": ISSUER},
        "aud": {"essential": True, "value": AUDIENCE},
        "exp": {"essential": True},
    }

    def validate(token: str) -> Any:
        claims = decoder.decode(token, key, claims_options=options)
        claims.validate()
        return dict(claims)

    return validate


def build_contenders(fx: Fixture, http_client: HTTPClient) -> dict[str, Validate]:
    """Every contender for one algorithm, warmed up (caches filled, keys loaded)."""
    disco_config = TokenValidationConfig(perform_disco=True, audience=AUDIENCE, algorithms=[fx.alg])
    validator = TokenValidator(
        TokenValidationConfig(perform_disco=True, audience=AUDIENCE, algorithms=[fx.alg]),
        disco_doc_address=DISCOVERY_URL,
        http_client=http_client,
    )
    static_config = TokenValidationConfig(
        perform_disco=False,
        key=fx.public_jwk,
        audience=AUDIENCE,
        issuer=ISSUER,
        algorithms=[fx.alg],
    )

    def ours_discovery(token: str) -> Any:
        return validate_token(token, disco_config, DISCOVERY_URL, http_client)

    def ours_static(token: str) -> Any:
        return validate_token(token, static_config)

    contenders: dict[str, Validate] = {
        "floor": floor_validator(fx.alg, fx.public_key, ISSUER, AUDIENCE),
        "ours (discovery, warm)": ours_discovery,
        "ours (TokenValidator)": validator.validate,
        "ours (static key)": ours_static,
        "PyJWT": _pyjwt(fx),
        "joserfc": _joserfc(fx),
        "Authlib": _authlib(fx),
    }
    check_contenders(fx, contenders)
    return contenders


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    raw = bytearray(_b64url(signature))
    raw[len(raw) // 2] ^= 0x01
    return f"{header}.{payload}.{base64.urlsafe_b64encode(bytes(raw)).rstrip(b'=').decode()}"


def check_contenders(fx: Fixture, contenders: dict[str, Validate]) -> None:
    """Nobody may win by doing less: each accepts the token (same claims), rejects a forgery."""
    forged = _tampered(fx.token)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, validate in contenders.items():
            claims = dict(validate(fx.token))
            if claims != fx.claims:
                raise AssertionError(f"{fx.alg} {name}: unexpected claims {claims}")
            try:
                validate(forged)
            except Exception:  # every library has its own exception for a bad signature
                pass
            else:
                raise AssertionError(f"{fx.alg} {name} accepted a forged token")


# --------------------------------------------------------------------------------------------
# 1. Latency: one interleaved run
# --------------------------------------------------------------------------------------------


def time_batch(validate: Validate, token: str, batch: int) -> float:
    """Nanoseconds per call over ``batch`` calls, garbage collector off."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        for _ in range(batch):
            validate(token)
        elapsed = time.perf_counter_ns() - start
    finally:
        gc.enable()
    return elapsed / batch


@dataclass
class LatencyResult:
    alg: str
    contender: str
    samples_ns: list[float] = field(default_factory=list)
    paired_ratios: list[float] = field(default_factory=list)

    @property
    def median_ns(self) -> float:
        return statistics.median(self.samples_ns)

    @property
    def min_ns(self) -> float:
        return min(self.samples_ns)


def run_latency(
    rounds: int, batch: int, algs: tuple[str, ...] = ALGS, log: Callable[[str], None] = print
) -> dict[str, dict[str, LatencyResult]]:
    fixtures = [build_fixture(alg) for alg in algs]
    http_client, hits = mock_http_client(fixtures)
    with warnings.catch_warnings():
        # joserfc warns on every "EdDSA" decode (RFC 9864 deprecates the name); the cost of
        # issuing the warning stays in its numbers, the text stays out of the output.
        warnings.simplefilter("ignore")
        contenders = {fx.alg: build_contenders(fx, http_client) for fx in fixtures}
        tokens = {fx.alg: fx.token for fx in fixtures}
        pairs = [(alg, name) for alg in algs for name in CONTENDERS]
        results = {alg: {name: LatencyResult(alg, name) for name in CONTENDERS} for alg in algs}
        # Warm-up: one short batch of each pair (imports, caches, branch predictors).
        for alg, name in pairs:
            time_batch(contenders[alg][name], tokens[alg], max(10, batch // 10))
        fetched = dict(hits)
        for round_index in range(rounds):
            shift = round_index % len(pairs)
            order = pairs[shift:] + pairs[:shift]  # rotate so no pair always runs first
            this_round: dict[tuple[str, str], float] = {}
            for alg, name in order:
                this_round[alg, name] = time_batch(contenders[alg][name], tokens[alg], batch)
            for (alg, name), ns in this_round.items():
                results[alg][name].samples_ns.append(ns)
                results[alg][name].paired_ratios.append(ns / this_round[alg, "floor"])
            log(f"  round {round_index + 1}/{rounds} done")
    if dict(hits) != fetched:
        raise AssertionError(f"the warm path fetched during timing: {fetched} -> {dict(hits)}")
    return results


def latency_table(results: dict[str, dict[str, LatencyResult]]) -> str:
    lines = []
    header = (
        f"{'alg':<6} {'contender':<24} {'median µs':>10} {'min µs':>9} "
        f"{'xfloor(med)':>11} {'xfloor(min)':>11} {'xfloor(paired)':>14}"
    )
    lines.append(header)
    lines.append("-" * len(header))
    for alg, by_name in results.items():
        floor = by_name["floor"]
        for name, res in by_name.items():
            lines.append(
                f"{alg:<6} {name:<24} {res.median_ns / 1000:>10.2f} {res.min_ns / 1000:>9.2f} "
                f"{res.median_ns / floor.median_ns:>10.2f}x {res.min_ns / floor.min_ns:>10.2f}x "
                f"{statistics.median(res.paired_ratios):>13.2f}x"
            )
        lines.append("")
    return "\n".join(lines)


def latency_summary(results: dict[str, dict[str, LatencyResult]]) -> str:
    """One line per algorithm: ``ours/floor = 1.12x, PyJWT/floor = 2.7x, ...``."""
    lines = []
    for alg, by_name in results.items():
        floor = by_name["floor"].median_ns
        parts = [
            f"{name}/floor = {res.median_ns / floor:.2f}x"
            for name, res in by_name.items()
            if name != "floor"
        ]
        lines.append(f"{alg}: " + ", ".join(parts))
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# 2. Import time
# --------------------------------------------------------------------------------------------

IMPORTS = {
    "py_identity_model (bare)": "import py_identity_model",
    "py_identity_model validate_token": "from py_identity_model import validate_token",
    "PyJWT": "import jwt",
    "joserfc": "from joserfc import jwt",
    "Authlib": "from authlib.jose import jwt",
}
# Which modules each import pulls in (not timed). The static-key path needs no HTTP stack.
MODULE_PROBES = {
    "py_identity_model (bare)": IMPORTS["py_identity_model (bare)"],
    "py_identity_model validate_token": IMPORTS["py_identity_model validate_token"],
    "py_identity_model TokenValidationConfig": (
        "from py_identity_model import TokenValidationConfig"
    ),
    "py_identity_model.jose parse/verify": (
        "from py_identity_model.jose import parse_compact, verify_compact"
    ),
    "PyJWT": IMPORTS["PyJWT"],
}
HEAVY_MODULES = (
    "httpx",
    "httpcore",
    "h11",
    "h2",
    "anyio",
    "sniffio",
    "certifi",
    "idna",
    "ssl",
    "asyncio",
    "concurrent",
    "email",
    "http",
    "urllib",
    "cryptography",
    "hashlib",
    "hmac",
    "json",
    "typing_extensions",
    "rich",  # httpx imports its CLI's dependencies when they are installed
    "click",
    "pygments",
)


def _python(code: str, *flags: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    return subprocess.run(
        [sys.executable, *flags, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )


def _time_import(statement: str) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    return float(_python(code).stdout.strip())


def _new_modules(statement: str) -> list[str]:
    code = (
        "import sys; before = set(sys.modules); "
        f"{statement}; "
        "new = sorted(set(sys.modules) - before); "
        "import json; print(json.dumps(new))"
    )
    modules: list[str] = json.loads(_python(code).stdout)
    return modules


_IMPORTTIME = re.compile(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")


def _importtime_top(statement: str, new: set[str], top: int = 12) -> list[tuple[str, int]]:
    """The outermost imports triggered by ``statement``, by cumulative µs (-X importtime)."""
    stderr = _python(statement, "-X", "importtime").stderr
    found: list[tuple[str, int]] = []
    for line in stderr.splitlines():
        match = _IMPORTTIME.match(line)
        if match and match.group(4) in new and len(match.group(3)) <= 1:
            found.append((match.group(4), int(match.group(2))))
    return sorted(found, key=lambda item: -item[1])[:top]


def _import_chain(statement: str, module: str) -> list[str]:
    """Who first imported ``module``: its ancestors in the -X importtime tree, outermost first.

    The tree is printed children first, one indentation step per level, so a line's parent
    is the next line below it that is indented less.
    """
    entries = []
    for line in _python(statement, "-X", "importtime").stderr.splitlines():
        match = _IMPORTTIME.match(line)
        if match:
            entries.append((len(match.group(3)), match.group(4)))
    for index, (depth, name) in enumerate(entries):
        if name != module:
            continue
        chain, level = [name], depth
        for later_depth, later_name in entries[index + 1 :]:
            if later_depth < level:
                chain.append(later_name)
                level = later_depth
        return chain[::-1]
    return []


def run_imports(runs: int, log: Callable[[str], None] = print) -> dict[str, Any]:
    for statement in IMPORTS.values():  # compile .pyc files first
        _time_import(statement)
    samples: dict[str, list[float]] = {name: [] for name in IMPORTS}
    for index in range(runs):
        for name, statement in IMPORTS.items():  # interleaved
            samples[name].append(_time_import(statement))
        log(f"  import run {index + 1}/{runs} done")
    result: dict[str, Any] = {"runs": runs, "samples_s": samples}
    result["median_ms"] = {name: statistics.median(s) * 1000 for name, s in samples.items()}
    result["min_ms"] = {name: min(s) * 1000 for name, s in samples.items()}
    modules: dict[str, Any] = {}
    for name, statement in MODULE_PROBES.items():
        new = _new_modules(statement)
        tops = sorted({m.split(".")[0] for m in new})
        modules[name] = {
            "count": len(new),
            "top_level": tops,
            "heavy": [m for m in HEAVY_MODULES if m in tops],
            "importtime_top": _importtime_top(statement, set(new)),
            "httpx_chain": _import_chain(statement, "httpx") if "httpx" in tops else [],
        }
    result["modules"] = modules
    return result


def imports_table(result: dict[str, Any]) -> str:
    median, low = result["median_ms"], result["min_ms"]
    base = median["PyJWT"]
    lines = [f"{'import':<34} {'median ms':>10} {'min ms':>8} {'xPyJWT':>8}"]
    lines.append("-" * len(lines[0]))
    for name in IMPORTS:
        lines.append(
            f"{name:<34} {median[name]:>10.1f} {low[name]:>8.1f} {median[name] / base:>7.2f}x"
        )
    lines.append("")
    for name, info in result["modules"].items():
        httpx_state = "YES" if "httpx" in info["top_level"] else "no"
        lines.append(
            f"{name}: {info['count']} new modules; httpx imported: {httpx_state}; "
            f"heavy: {', '.join(info['heavy']) or '-'}"
        )
        if info["httpx_chain"]:
            lines.append(f"    httpx first imported via: {' -> '.join(info['httpx_chain'])}")
        slowest = ", ".join(f"{mod} {us / 1000:.1f} ms" for mod, us in info["importtime_top"][:8])
        lines.append(f"    slowest (cumulative, -X importtime): {slowest}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# 3. Concurrency against the real test provider
# --------------------------------------------------------------------------------------------

RESOURCE = "urn:test:api:rs256"


def _kind(url: str, jwks_uri: str) -> str:
    if url.endswith("/.well-known/openid-configuration"):
        return "discovery"
    if url == jwks_uri:
        return "jwks"
    return "other"


class CountingAsyncTransport:
    """An async transport that counts requests by kind and delegates to AsyncHTTPClient."""

    def __init__(self, jwks_uri: str) -> None:
        from py_identity_model.aio import AsyncHTTPClient

        self.inner = AsyncHTTPClient()
        self.jwks_uri = jwks_uri
        self.counts: Counter[str] = Counter()

    async def send_request(self, request: Any) -> Any:
        self.counts[_kind(request.url, self.jwks_uri)] += 1
        return await self.inner.send_request(request)


class CountingSyncTransport:
    """The sync twin of :class:`CountingAsyncTransport` (thread-safe counting)."""

    def __init__(self, jwks_uri: str) -> None:
        self.inner = HTTPClient()
        self.jwks_uri = jwks_uri
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def send_request(self, request: Any) -> Any:
        with self._lock:
            self.counts[_kind(request.url, self.jwks_uri)] += 1
        return self.inner.send_request(request)


def provider_token(provider: Any) -> str:
    client = provider.client("client-basic")
    response = httpx.post(
        provider.token_endpoint,
        data={"grant_type": "client_credentials", "resource": RESOURCE, "scope": "api:read"},
        auth=(client.client_id, client.client_secret),
        timeout=10,
    )
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


def _with_kid(token: str, kid: str) -> str:
    header_b64, payload_b64, signature_b64 = token.split(".")
    header = json.loads(_b64url(header_b64))
    header["kid"] = kid
    encoded = base64.urlsafe_b64encode(json.dumps(header, separators=(",", ":")).encode())
    return f"{encoded.rstrip(b'=').decode()}.{payload_b64}.{signature_b64}"


def _cold_config() -> TokenValidationConfig:
    from py_identity_model.validation.key_source import clear_shared_key_sources

    clear_shared_key_sources()  # validate_token shares sources per address: start cold
    return TokenValidationConfig(perform_disco=True, audience=RESOURCE, algorithms=["RS256"])


def _outcomes(results: list[Any]) -> Counter[str]:
    return Counter("ok" if isinstance(r, dict) else type(r).__name__ for r in results)


async def _async_scenarios(provider: Any, token: str, calls: int) -> dict[str, Any]:
    from py_identity_model import aio

    disco = provider.discovery_url
    jwks_uri = provider.jwks_uri
    out: dict[str, Any] = {}

    # a) aio.validate_token, cold, then the same again warm.
    transport = CountingAsyncTransport(jwks_uri)
    config = _cold_config()
    start = time.perf_counter()
    results = await asyncio.gather(
        *(aio.validate_token(token, config, disco, http_client=transport) for _ in range(calls)),
        return_exceptions=True,
    )
    cold_s = time.perf_counter() - start
    cold_counts = dict(transport.counts)
    start = time.perf_counter()
    warm = await asyncio.gather(
        *(aio.validate_token(token, config, disco, http_client=transport) for _ in range(calls)),
        return_exceptions=True,
    )
    warm_s = time.perf_counter() - start
    out["aio.validate_token"] = {
        "calls": calls,
        "wall_s": cold_s,
        "requests": cold_counts,
        "outcomes": dict(_outcomes(results)),
        "warm_wall_s": warm_s,
        "warm_extra_requests": sum(transport.counts.values()) - sum(cold_counts.values()),
        "warm_outcomes": dict(_outcomes(warm)),
    }
    await transport.inner.aclose()

    # b) one TokenValidator, cold.
    transport = CountingAsyncTransport(jwks_uri)
    validator = TokenValidator(
        TokenValidationConfig(perform_disco=True, audience=RESOURCE, algorithms=["RS256"]),
        disco_doc_address=disco,
        http_client=transport,
    )
    start = time.perf_counter()
    results = await asyncio.gather(
        *(validator.avalidate(token) for _ in range(calls)), return_exceptions=True
    )
    out["TokenValidator.avalidate"] = {
        "calls": calls,
        "wall_s": time.perf_counter() - start,
        "requests": dict(transport.counts),
        "outcomes": dict(_outcomes(results)),
    }
    await transport.inner.aclose()

    # c) a flood of unknown kids, cold: the JWKS must not be refetched per token.
    transport = CountingAsyncTransport(jwks_uri)
    config = _cold_config()
    forged = [_with_kid(token, f"unknown-{i}") for i in range(calls)]
    start = time.perf_counter()
    results = await asyncio.gather(
        *(aio.validate_token(t, config, disco, http_client=transport) for t in forged),
        return_exceptions=True,
    )
    out["aio.validate_token, unknown kids"] = {
        "calls": calls,
        "wall_s": time.perf_counter() - start,
        "requests": dict(transport.counts),
        "outcomes": dict(_outcomes(results)),
    }
    await transport.inner.aclose()
    return out


def _sync_threads(provider: Any, token: str, threads: int, per_thread: int) -> dict[str, Any]:
    from concurrent.futures import ThreadPoolExecutor

    transport = CountingSyncTransport(provider.jwks_uri)
    config = _cold_config()
    barrier = threading.Barrier(threads)
    disco = provider.discovery_url

    def work() -> list[Any]:
        barrier.wait()
        results: list[Any] = []
        for _ in range(per_thread):
            try:
                results.append(validate_token(token, config, disco, http_client=transport))
            except Exception as exc:  # counted below
                results.append(exc)
        return results

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        futures = [pool.submit(work) for _ in range(threads)]
        results = [r for f in futures for r in f.result()]
    wall = time.perf_counter() - start
    transport.inner.close()
    return {
        "threads": threads,
        "calls": threads * per_thread,
        "wall_s": wall,
        "requests": dict(transport.counts),
        "outcomes": dict(_outcomes(results)),
    }


def run_concurrency(calls: int = 1000, threads: int = 50) -> dict[str, Any]:
    from tests.provider.fixture import start_provider

    with start_provider() as provider:
        token = provider_token(provider)
        out = asyncio.run(_async_scenarios(provider, token, calls))
        out[f"sync validate_token, {threads} threads"] = _sync_threads(
            provider, token, threads, max(1, calls // threads)
        )
    return out


def concurrency_table(result: dict[str, Any]) -> str:
    lines = [
        f"{'scenario (cold caches)':<40} {'calls':>6} {'wall ms':>9} {'disco req':>9} "
        f"{'jwks req':>8} {'outcomes'}"
    ]
    lines.append("-" * (len(lines[0]) + 20))
    for name, info in result.items():
        requests = info["requests"]
        outcomes = ", ".join(f"{k}={v}" for k, v in sorted(info["outcomes"].items()))
        lines.append(
            f"{name:<40} {info['calls']:>6} {info['wall_s'] * 1000:>9.1f} "
            f"{requests.get('discovery', 0):>9} {requests.get('jwks', 0):>8} {outcomes}"
        )
        if "warm_wall_s" in info:
            lines.append(
                f"{'  same, warm':<40} {info['calls']:>6} {info['warm_wall_s'] * 1000:>9.1f} "
                f"{'+' + str(info['warm_extra_requests']):>9} {'':>8} "
                + ", ".join(f"{k}={v}" for k, v in sorted(info["warm_outcomes"].items()))
            )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    names = ("py-identity-model", "pyjwt", "joserfc", "authlib", "cryptography", "httpx")
    return {name: version(name) for name in names}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds (>= 15)")
    parser.add_argument("--batch", type=int, default=1000, help="calls per timed sample")
    parser.add_argument("--import-runs", type=int, default=10, help="fresh interpreters each")
    parser.add_argument("--calls", type=int, default=1000, help="concurrent async calls")
    parser.add_argument("--threads", type=int, default=50, help="sync threads")
    parser.add_argument("--json", type=Path, help="write the raw numbers to this file")
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--skip-imports", action="store_true")
    parser.add_argument("--skip-concurrency", action="store_true", help="(needs Node.js)")
    args = parser.parse_args(argv)

    report: dict[str, Any] = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "versions": _versions(),
        "settings": {"rounds": args.rounds, "batch": args.batch},
    }
    print(f"Python {report['python']} on {report['platform']}, {report['cpus']} CPUs")
    print(", ".join(f"{k} {v}" for k, v in report["versions"].items()))

    if not args.skip_latency:
        print(f"\n[1] latency: {args.rounds} interleaved rounds x {args.batch} calls per sample")
        latency = run_latency(args.rounds, args.batch, log=lambda m: print(m, end="\r"))
        print(" " * 40)
        print(latency_table(latency))
        print(latency_summary(latency))
        report["latency"] = {
            alg: {
                name: {
                    "samples_ns_per_call": res.samples_ns,
                    "median_ns": res.median_ns,
                    "min_ns": res.min_ns,
                    "ratio_median_to_floor": res.median_ns / by_name["floor"].median_ns,
                    "ratio_min_to_floor": res.min_ns / by_name["floor"].min_ns,
                    "ratio_paired_median_to_floor": statistics.median(res.paired_ratios),
                }
                for name, res in by_name.items()
            }
            for alg, by_name in latency.items()
        }

    if not args.skip_imports:
        print(f"\n[2] import time: {args.import_runs} fresh interpreters per statement")
        imports = run_imports(args.import_runs, log=lambda m: print(m, end="\r"))
        print(" " * 40)
        print(imports_table(imports))
        report["imports"] = imports

    if not args.skip_concurrency:
        print(f"\n[3] concurrency against the local test provider ({args.calls} calls)")
        try:
            concurrency = run_concurrency(args.calls, args.threads)
        except Exception as exc:  # no Node.js, provider failed to start, ...
            print(f"  skipped: {type(exc).__name__}: {exc}")
            report["concurrency"] = {"skipped": f"{type(exc).__name__}: {exc}"}
        else:
            print(concurrency_table(concurrency))
            report["concurrency"] = concurrency

    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
        print(f"\nraw numbers written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
