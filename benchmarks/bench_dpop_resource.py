"""What DPoP costs a resource server: a DPoP-bound request against a plain bearer request.

Run::

    .venv/bin/python benchmarks/bench_dpop_resource.py [--rounds N] [--batch N] [--instructions]

Both contenders validate the same RFC 9068-style access token (ES256 by default, static key,
``validate_token``). The DPoP contender then does what a resource server must do for
``Authorization: DPoP``: :func:`~py_identity_model.check_dpop_binding` on the claims and
:meth:`~py_identity_model.DPoPProofValidator.validate` of a fresh proof (typ, alg, jwk,
signature, htm, htu, iat, ath, cnf.jkt, replay store). Every call gets its own proof (a
replayed one would be refused), signed before timing starts.

* **Wall clock**, one interleaved run: each round times a batch of each contender, the
  order alternating, the garbage collector off during a batch; reported as ns per call and
  the ratio DPoP / bearer (median, best, and paired per round).
* **Instructions** (``--instructions``, needs valgrind, ~1 minute): each contender runs
  under callgrind twice, with 0 and N validations (the N proofs are signed in both runs),
  and the difference per call is compared; noise does not move these.

The ratio is the headline: the proof's public-key verification roughly doubles the work of
an ES256 token (two signatures instead of one); everything else is small.
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
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "benchmarks") not in sys.path:
    sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_validation import AUDIENCE, ISSUER, realistic_claims  # noqa: E402

from py_identity_model import (  # noqa: E402
    DPoPProofValidator,
    JsonWebKey,
    TokenValidationConfig,
    check_dpop_binding,
    validate_token,
)
from py_identity_model.jose import sign_compact  # noqa: E402
from py_identity_model.utils.security import sha256_b64url  # noqa: E402

URL = "https://orders.example.com/api/orders/42"
KTY = {"ES256": "EC", "EdDSA": "OKP", "RS256": "RSA", "PS256": "RSA"}


def _key(file: str, kty: str) -> JsonWebKey:
    keys = json.loads((ROOT / "tests" / "provider" / file).read_text("utf-8"))["keys"]
    return JsonWebKey.from_dict(next(k for k in keys if k["kty"] == kty))


@dataclass
class Scenario:
    token: str
    proofs: list[str]
    bearer: Callable[[str], Any]
    dpop: Callable[[str, str], Any]


def build(token_alg: str, proof_alg: str, proofs: int) -> Scenario:
    """The token, ``proofs`` fresh proofs, and the two contenders (checked once)."""
    issuer_key = _key("keys.json", KTY[token_alg])
    client_key = _key("client-keys.json", KTY[proof_alg])
    proof_jwk = client_key.public_jwk().to_dict()
    for member in ("kid", "use", "alg"):
        proof_jwk.pop(member, None)
    now = int(time.time())
    claims = {**realistic_claims(now), "cnf": {"jkt": client_key.thumbprint()}}
    token = sign_compact(
        claims, issuer_key, token_alg, headers={"typ": "at+jwt", "kid": issuer_key.kid}
    )
    ath = sha256_b64url(token)
    header = {"typ": "dpop+jwt", "jwk": proof_jwk}
    signed = [
        sign_compact(
            {"jti": uuid.uuid4().hex, "htm": "GET", "htu": URL, "iat": now, "ath": ath},
            client_key,
            proof_alg,
            headers=header,
        )
        for _ in range(proofs)
    ]
    public = issuer_key.public_jwk().to_dict()
    config = TokenValidationConfig(False, public, AUDIENCE, [token_alg], ISSUER)
    validator = DPoPProofValidator(algorithms=[proof_alg])

    def bearer(access_token: str) -> Any:
        return validate_token(access_token, config)

    def dpop(access_token: str, proof: str) -> Any:
        validated = validate_token(access_token, config)
        jkt = check_dpop_binding(validated, scheme="DPoP")
        validator.validate(
            proof, method="GET", url=URL, access_token=access_token, expected_jkt=jkt
        )
        return validated

    return Scenario(token, signed, bearer, dpop)


def _time_batch(call: Callable[[], Any], batch: int) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        for _ in range(batch):
            call()
        return (time.perf_counter_ns() - start) / batch
    finally:
        gc.enable()


def wall_clock(token_alg: str, proof_alg: str, rounds: int, batch: int) -> dict[str, float]:
    scenario = build(token_alg, proof_alg, rounds * batch + 1)
    proofs = iter(scenario.proofs)
    token = scenario.token
    assert scenario.dpop(token, next(proofs)) == scenario.bearer(token)  # both accept
    bearer_samples: list[float] = []
    dpop_samples: list[float] = []
    for index in range(rounds):
        order = ("bearer", "dpop") if index % 2 == 0 else ("dpop", "bearer")
        for name in order:
            if name == "bearer":
                bearer_samples.append(_time_batch(lambda: scenario.bearer(token), batch))
            else:
                dpop_samples.append(_time_batch(lambda: scenario.dpop(token, next(proofs)), batch))
    return {
        "bearer_ns": statistics.median(bearer_samples),
        "dpop_ns": statistics.median(dpop_samples),
        "ratio_median": statistics.median(dpop_samples) / statistics.median(bearer_samples),
        "ratio_min": min(dpop_samples) / min(bearer_samples),
        "ratio_paired": statistics.median(
            d / b for d, b in zip(dpop_samples, bearer_samples, strict=True)
        ),
    }


CHILD = r"""
import sys
sys.path.insert(0, {bench!r})
import bench_dpop_resource as b
token_alg, proof_alg, contender, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
calls = int(sys.argv[5])
s = b.build(token_alg, proof_alg, calls + 1)
s.dpop(s.token, s.proofs[-1])
s.bearer(s.token)
if contender == "bearer":
    for _ in range(n):
        s.bearer(s.token)
else:
    for proof in s.proofs[:n]:
        s.dpop(s.token, proof)
"""


def _instructions(token_alg: str, proof_alg: str, contender: str, n: int, calls: int) -> int:
    script = CHILD.format(bench=str(ROOT / "benchmarks"))
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
         "-c", script, token_alg, proof_alg, contender, str(n), str(calls)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    match = re.search(r"Collected : (\d+)", out.stderr)
    if match is None:
        raise RuntimeError(out.stderr[-2000:])
    return int(match.group(1))


def instructions_per_call(token_alg: str, proof_alg: str, contender: str, calls: int) -> float:
    full = _instructions(token_alg, proof_alg, contender, calls, calls)
    empty = _instructions(token_alg, proof_alg, contender, 0, calls)
    return (full - empty) / calls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--token-alg", default="ES256", choices=sorted(KTY))
    parser.add_argument("--proof-algs", default="ES256,EdDSA,RS256", help="comma-separated")
    parser.add_argument("--instructions", action="store_true", help="also count instructions")
    parser.add_argument("--calls", type=int, default=200, help="calls per instruction count")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args()
    results: dict[str, Any] = {"token_alg": args.token_alg, "python": sys.version.split()[0]}
    print(f"access token {args.token_alg}; {args.rounds} rounds x {args.batch} calls")
    print(f"{'proof alg':10} {'bearer':>10} {'DPoP':>10} {'xbearer(med)':>13} "
          f"{'(min)':>7} {'(paired)':>9}")  # fmt: skip
    for proof_alg in args.proof_algs.split(","):
        row = wall_clock(args.token_alg, proof_alg, args.rounds, args.batch)
        results[proof_alg] = row
        print(
            f"{proof_alg:10} {row['bearer_ns'] / 1000:8.1f}us {row['dpop_ns'] / 1000:8.1f}us "
            f"{row['ratio_median']:12.2f}x {row['ratio_min']:6.2f}x {row['ratio_paired']:8.2f}x"
        )
    if args.instructions:
        if shutil.which("valgrind") is None:
            print("valgrind is not installed: no instruction counts")
        else:
            print(f"\ninstructions per call ({args.calls} calls, callgrind)")
            for proof_alg in args.proof_algs.split(","):
                bearer = instructions_per_call(args.token_alg, proof_alg, "bearer", args.calls)
                dpop = instructions_per_call(args.token_alg, proof_alg, "dpop", args.calls)
                results[proof_alg]["instructions"] = {"bearer": bearer, "dpop": dpop}
                print(
                    f"{proof_alg:10} bearer {bearer:12,.0f}  DPoP {dpop:12,.0f}  "
                    f"x{dpop / bearer:.2f}"
                )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
