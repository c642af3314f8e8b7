"""Instruction counts per validation (valgrind/callgrind): ratios that noise cannot move.

Wall-clock ratios on a shared 2-core machine move by ±0.1x between runs; instruction
counts do not. For each algorithm this runs a child process under callgrind twice — with
0 and with N validations — for the floor and for ``validate_token`` (static key and warm
discovery mode), and reports (instructions per call) / (floor instructions per call).

Usage: ``python benchmarks/instructions.py [--calls N]`` (needs ``valgrind``; ~1 minute).
Keys are fixed (the test provider's ``keys.json``) so both runs of a pair do the same work.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys, time
sys.path.insert(0, {bench!r})
import httpx
import bench_validation as b
from py_identity_model import HTTPClient, TokenValidationConfig, validate_token
from py_identity_model.jose import JsonWebKey, sign_compact

alg, contender, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
kty = {{"RS256": "RSA", "ES256": "EC", "EdDSA": "OKP"}}[alg]
keys = json.load(open({keys!r}))["keys"]
jwk = JsonWebKey.from_dict(next(k for k in keys if k["kty"] == kty))
token = sign_compact(b.realistic_claims(int(time.time())), jwk, alg,
                     headers={{"typ": "at+jwt", "kid": jwk.kid}})
public = jwk.public_jwk().to_dict()
if contender == "floor":
    run = b.floor_validator(alg, jwk.to_public_key(), b.ISSUER, b.AUDIENCE)
elif contender == "static":
    cfg = TokenValidationConfig(False, public, b.AUDIENCE, [alg], b.ISSUER)
    run = lambda t: validate_token(t, cfg)
else:
    doc = {{"issuer": b.ISSUER, "jwks_uri": b.ISSUER + "/jwks"}}
    def handler(request):
        body = doc if request.url.path.endswith("openid-configuration") else {{"keys": [public]}}
        return httpx.Response(200, json=body)
    client = HTTPClient(httpx.Client(transport=httpx.MockTransport(handler)))
    cfg = TokenValidationConfig(True, audience=b.AUDIENCE, algorithms=[alg])
    run = lambda t: validate_token(t, cfg, b.ISSUER, client)
run(token)
for _ in range(n):
    run(token)
"""


def instructions(alg: str, contender: str, calls: int) -> int:
    script = CHILD.format(
        bench=str(ROOT / "benchmarks"), keys=str(ROOT / "tests/provider/keys.json")
    )
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, "-c", script, alg, contender, str(calls)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    match = re.search(r"Collected : (\d+)", out.stderr)
    if match is None:
        raise RuntimeError(out.stderr[-2000:])
    return int(match.group(1))


def per_call(alg: str, contender: str, calls: int) -> float:
    return (instructions(alg, contender, calls) - instructions(alg, contender, 0)) / calls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--algs", default="RS256,ES256,EdDSA", help="comma-separated")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)")
        return 1
    print(f"{'alg':6} {'contender':22} {'instructions/call':>18} {'x floor':>8}")
    for alg in args.algs.split(","):
        floor = per_call(alg, "floor", args.calls)
        print(f"{alg:6} {'floor':22} {floor:18,.0f} {1.0:8.2f}")
        for contender, label in (
            ("static", "ours (static key)"),
            ("disco", "ours (discovery, warm)"),
        ):
            ours = per_call(alg, contender, args.calls)
            print(f"{alg:6} {label:22} {ours:18,.0f} {ours / floor:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
