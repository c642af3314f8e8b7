"""The validated-token cache: a repeated access token against the uncached path and the floor.

Run::

    .venv/bin/python benchmarks/bench_resource_server.py [--rounds N] [--batch N] [--instructions]

Per algorithm (RS256, ES256, EdDSA; the test provider's fixed keys), the same RFC 9068-style
token as ``bench_validation.py`` is judged by three contenders:

* ``floor``: ``bench_validation.floor_validator``: split, base64, JSON, one pre-built
  ``cryptography`` verify, the exp/nbf/iss/aud checks: the minimal correct work;
* ``uncached``: ``ResourceServer(..., validated_token_cache=None).authenticate(request)``:
  the whole resource-server path (Authorization header, warm discovery and JWKS from an
  ``httpx.MockTransport``, signature, claims, binding checks, the principal);
* ``cached``: the same with the validated-token cache (the default): after the first call,
  the exact token string is found, ``exp``/``nbf`` and the key's presence re-checked, no
  signature verified; the rest of ``authenticate`` (building the ``IncomingRequest``, header
  parsing, binding and scope checks, the principal) still runs;
* ``lookup``: the validation step alone on a hit (``ValidatedTokenCache.get``: look-up,
  ``exp``/``nbf``, key still published): what replaces the floor's work for a repeated
  token.

Before timing, every contender must accept the token and reject a tampered copy, and the
cached and uncached servers must give the same answer on a set of hold-out tokens (valid,
expired, wrong audience, wrong issuer, tampered, foreign key). Reported: ns per call, the
ratios to the floor (median, best, paired per round), and with ``--instructions`` the
instruction counts under callgrind (0 and N calls per child, the difference per call).
Target: ``cached`` under 0.1x the floor.
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "benchmarks") not in sys.path:
    sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_validation import (  # noqa: E402
    AUDIENCE,
    DISCOVERY_URL,
    ISSUER,
    JWKS_URI,
    floor_validator,
    new_private_key,
    realistic_claims,
)

from py_identity_model import (  # noqa: E402
    IncomingRequest,
    JsonWebKey,
    ResourceRejection,
    ResourceServer,
)
from py_identity_model.jose import sign_compact  # noqa: E402

ALGS = ("RS256", "ES256", "EdDSA")
KTY = {"RS256": "RSA", "ES256": "EC", "EdDSA": "OKP"}
CONTENDERS = ("floor", "uncached", "cached", "lookup")
URL = "https://orders.example.com/api/orders/42"


def provider_key(alg: str) -> JsonWebKey:
    keys = json.loads((ROOT / "tests" / "provider" / "keys.json").read_text("utf-8"))["keys"]
    return JsonWebKey.from_dict(next(k for k in keys if k["kty"] == KTY[alg]))


def _client(public: dict[str, Any], alg: str) -> httpx.Client:
    discovery = {
        "issuer": ISSUER,
        "jwks_uri": JWKS_URI,
        "authorization_endpoint": f"{ISSUER}/oauth2/authorize",
        "token_endpoint": f"{ISSUER}/oauth2/token",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [alg],
    }

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"Cache-Control": "public, max-age=86400"}
        if str(request.url) == DISCOVERY_URL:
            return httpx.Response(200, json=discovery, headers=headers)
        if str(request.url) == JWKS_URI:
            return httpx.Response(200, json={"keys": [public]}, headers=headers)
        return httpx.Response(404)

    return httpx.Client(transport=httpx.MockTransport(handler))


def _sign(key: JsonWebKey, alg: str, **claims: Any) -> str:
    payload = {**realistic_claims(int(time.time())), **claims}
    return sign_compact(payload, key, alg, headers={"typ": "at+jwt", "kid": key.kid})


def _tampered(token: str) -> str:
    head, payload, signature = token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    return f"{head}.{payload}.{flipped}"


def build(
    alg: str, *, holdout: bool = True
) -> tuple[str, dict[str, Callable[[str], Any]], list[str]]:
    """The token, the contenders (each takes a token) and the hold-out tokens (with
    ``holdout``: they need a freshly generated foreign key, whose cost varies)."""
    key = provider_key(alg)
    public = key.public_jwk().to_dict()
    token = _sign(key, alg)

    def server(**options: Any) -> ResourceServer:
        return ResourceServer(
            issuer=ISSUER, audience=AUDIENCE, algorithms=[alg], http_client=_client(public, alg),
            **options,
        )  # fmt: skip

    uncached = server(validated_token_cache=None)
    cached = server()

    def through(rs: ResourceServer) -> Callable[[str], Any]:
        def call(access_token: str) -> Any:
            request = IncomingRequest("GET", URL, {"Authorization": f"Bearer {access_token}"})
            return rs.authenticate(request).claims

        return call

    floor = floor_validator(alg, key.to_public_key(), ISSUER, AUDIENCE)
    cache = cached.validated_token_cache
    assert cache is not None

    def lookup(access_token: str) -> Any:
        claims = cache.get(access_token)
        if claims is None:  # first sight (or a rejected token): the full path decides
            return through(cached)(access_token)
        return claims

    contenders = {
        "floor": floor,
        "uncached": through(uncached),
        "cached": through(cached),
        "lookup": lookup,
    }
    if not holdout:
        return token, contenders, []
    foreign = JsonWebKey.from_key(new_private_key(alg), kid=key.kid)  # same kid, other key
    tokens = [
        token,
        _sign(key, alg, exp=int(time.time()) - 3600),
        _sign(key, alg, aud="api://someone-else"),
        _sign(key, alg, iss="https://evil.example.com"),
        _tampered(token),
        _sign(key, alg, sub="another-subject"),
        _sign(foreign, alg),
        _sign(key, alg, nbf=int(time.time()) + 3600),
    ]
    return token, contenders, tokens


def _answer(call: Callable[[str], Any], token: str) -> Any:
    try:
        return ("ok", dict(call(token)))
    except ResourceRejection as rejection:
        return ("rejected", rejection.status, rejection.error, rejection.reason)
    except Exception as exc:  # the floor raises its own errors
        return ("rejected", type(exc).__name__)


def check(token: str, contenders: dict[str, Callable[[str], Any]], holdout: list[str]) -> None:
    for name, call in contenders.items():
        assert _answer(call, token)[0] == "ok", name
        assert _answer(call, _tampered(token))[0] == "rejected", name
    for _ in range(3):  # first sight, then answers from the cache
        for candidate in holdout:
            expected = _answer(contenders["uncached"], candidate)
            assert _answer(contenders["cached"], candidate) == expected, candidate[:40]


def time_batch(call: Callable[[str], Any], token: str, batch: int) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        for _ in range(batch):
            call(token)
        return (time.perf_counter_ns() - start) / batch
    finally:
        gc.enable()


def wall_clock(alg: str, rounds: int, batch: int) -> dict[str, Any]:
    token, contenders, holdout = build(alg)
    check(token, contenders, holdout)
    samples: dict[str, list[float]] = {name: [] for name in CONTENDERS}
    for index in range(rounds):
        shift = index % len(CONTENDERS)
        for name in CONTENDERS[shift:] + CONTENDERS[:shift]:
            samples[name].append(time_batch(contenders[name], token, batch))
    floor = samples["floor"]
    row: dict[str, Any] = {}
    for name in CONTENDERS:
        mine = samples[name]
        row[name] = {
            "ns": statistics.median(mine),
            "xfloor_median": statistics.median(mine) / statistics.median(floor),
            "xfloor_min": min(mine) / min(floor),
            "xfloor_paired": statistics.median(m / f for m, f in zip(mine, floor, strict=True)),
        }
    return row


CHILD = r"""
import sys
sys.path.insert(0, {bench!r})
import bench_resource_server as b
alg, contender, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
token, contenders, _ = b.build(alg, holdout=False)
call = contenders[contender]
call(token)
call(token)
for _ in range(n):
    call(token)
"""


def _instructions(alg: str, contender: str, n: int) -> int:
    script = CHILD.format(bench=str(ROOT / "benchmarks"))
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
         "-c", script, alg, contender, str(n)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    match = re.search(r"Collected : (\d+)", out.stderr)
    if match is None:
        raise RuntimeError(out.stderr[-2000:])
    return int(match.group(1))


def instructions_per_call(alg: str, contender: str, calls: int) -> float:
    return (_instructions(alg, contender, calls) - _instructions(alg, contender, 0)) / calls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--algs", default=",".join(ALGS), help="comma-separated")
    parser.add_argument("--instructions", action="store_true", help="also count instructions")
    parser.add_argument("--calls", type=int, default=200, help="calls per instruction count")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args()
    results: dict[str, Any] = {"python": sys.version.split()[0]}
    print(f"{args.rounds} rounds x {args.batch} calls; ratios to the floor (median/min/paired)")
    print(f"{'alg':6} {'contender':9} {'per call':>10} {'xfloor(med)':>12} {'(min)':>7} "
          f"{'(paired)':>9}")  # fmt: skip
    algs = args.algs.split(",")
    for alg in algs:
        row = wall_clock(alg, args.rounds, args.batch)
        results[alg] = row
        for name in CONTENDERS:
            r = row[name]
            print(
                f"{alg:6} {name:9} {r['ns'] / 1000:8.2f}us {r['xfloor_median']:11.3f}x "
                f"{r['xfloor_min']:6.3f}x {r['xfloor_paired']:8.3f}x"
            )
    if args.instructions:
        if shutil.which("valgrind") is None:
            print("valgrind is not installed: no instruction counts")
        else:
            print(f"\ninstructions per call ({args.calls} calls, callgrind)")
            for alg in algs:
                counts = {n: instructions_per_call(alg, n, args.calls) for n in CONTENDERS}
                results[alg]["instructions"] = counts
                floor = counts["floor"]
                print(
                    f"{alg:6} floor {floor:12,.0f}  uncached {counts['uncached']:12,.0f} "
                    f"(x{counts['uncached'] / floor:.2f})  cached {counts['cached']:10,.0f} "
                    f"(x{counts['cached'] / floor:.3f})  lookup {counts['lookup']:9,.0f} "
                    f"(x{counts['lookup'] / floor:.3f})"
                )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
