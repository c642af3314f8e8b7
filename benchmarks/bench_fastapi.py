"""Requests per second of the FastAPI example with token validation against the same app without.

Run::

    .venv/bin/python benchmarks/bench_fastapi.py [--rounds N] [--batch N] [--json out.json]

The app is the example's own (``examples/fastapi_app/app.py``, ``create_app``) driven in
process through its ASGI interface (one event loop, no sockets: what is measured is the app,
not the network), its authority mocked (discovery + JWKS of ``https://op.example`` from
``tests/unit/resource_server/fake_op.py``, fetched once before timing). Contenders, each a
``GET /me`` answered 200 with the token's claims as JSON:

* ``no validation``: the same route returning the same claims, without the dependency;
* ``validated (cache)``: the example as shipped (validated-token cache on: a repeated token
  skips the signature check, ``exp``/``nbf`` re-checked);
* ``validated (no cache)``: ``validated_token_cache=None`` (parse, ES256 signature, claims);
* ``DPoP-bound (cache)``: ``Authorization: DPoP`` with a fresh proof per request (proofs
  are never cached: one ES256 verification per request), signed before timing.

Each round times a batch of every contender (order rotating, garbage collector off during a
batch); reported: requests per second (median over rounds) and the ratio to ``no
validation``. Not a test: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import gc
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "src", ROOT / "examples" / "fastapi_app"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

os.environ.setdefault("OIDC_AUTHORITY", "https://op.example")
os.environ.setdefault("OIDC_AUDIENCE", "https://api.example/orders")
os.environ.setdefault("OIDC_REQUIRED_SCOPE", "orders:write")

from app import create_app  # noqa: E402  (the example itself)
from fastapi import FastAPI  # noqa: E402
from tests.unit.resource_server.fake_op import AUDIENCE, ISSUER, FakeOp, mint  # noqa: E402

from py_identity_model import DPoPKey  # noqa: E402
from py_identity_model.resource_server import ResourceServer  # noqa: E402

BASE_HOST = "api.example"
URL = f"https://{BASE_HOST}/me"

Headers = list[tuple[bytes, bytes]]


def _scope(headers: Headers) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "https",
        "server": (BASE_HOST, 443),
        "client": ("127.0.0.1", 50000),
        "root_path": "",
        "path": "/me",
        "raw_path": b"/me",
        "query_string": b"",
        "headers": [(b"host", BASE_HOST.encode()), *headers],
    }


async def _call(app: Any, headers: Headers) -> int:
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(_scope(headers), receive, send)
    return status


def _baseline(claims: dict[str, Any]) -> FastAPI:
    app = FastAPI()

    @app.get("/me")
    async def me() -> dict[str, Any]:
        return dict(claims)

    return app


def _server(op: FakeOp, **options: Any) -> ResourceServer:
    return ResourceServer(
        issuer=ISSUER, audience=AUDIENCE, http_client=op.async_client(), **options
    )


class Contender:
    def __init__(self, name: str, app: Any, headers: Callable[[int], Headers]) -> None:
        self.name, self.app, self.headers = name, app, headers
        self.samples: list[float] = []


def _contenders(batch: int, rounds: int) -> list[Contender]:
    op = FakeOp()
    token = mint(lifetime=3600)
    payload = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    bearer = [(b"authorization", f"Bearer {token}".encode())]
    key = DPoPKey()
    bound = mint(lifetime=3600, cnf={"jkt": key.jwk_thumbprint})
    proofs = [key.create_proof("GET", URL, access_token=bound) for _ in range(batch * (rounds + 1))]
    used = iter(proofs)

    def dpop(_: int) -> Headers:
        return [
            (b"authorization", f"DPoP {bound}".encode()),
            (b"dpop", next(used).encode()),
        ]

    cached = create_app(_server(op), "orders:write")
    uncached = create_app(_server(op, validated_token_cache=None), "orders:write")
    return [
        Contender("no validation", _baseline(claims), lambda _: []),
        Contender("validated (cache)", cached, lambda _: bearer),
        Contender("validated (no cache)", uncached, lambda _: bearer),
        Contender("DPoP-bound (cache)", cached, dpop),
    ]


async def _batch(contender: Contender, batch: int) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        for index in range(batch):
            status = await _call(contender.app, contender.headers(index))
            if status != 200:
                raise RuntimeError(f"{contender.name}: status {status}")
        elapsed = time.perf_counter_ns() - start
    finally:
        gc.enable()
    return batch / (elapsed / 1e9)


async def _run(rounds: int, batch: int) -> list[Contender]:
    contenders = _contenders(batch, rounds)
    for contender in contenders:  # warm: discovery, JWKS, caches, first-call costs
        await _batch(contender, min(batch, 50))
    for round_index in range(rounds):
        shift = round_index % len(contenders)
        for contender in contenders[shift:] + contenders[:shift]:
            contender.samples.append(await _batch(contender, batch))
    return contenders


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--batch", type=int, default=300)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    contenders = asyncio.run(_run(args.rounds, args.batch))
    base = statistics.median(contenders[0].samples)
    rows = []
    print(f"{'contender':<24}{'req/s (median)':>16}{'req/s (best)':>14}{'x no-validation':>17}")
    for contender in contenders:
        median = statistics.median(contender.samples)
        rows.append(
            {"name": contender.name, "rps_median": median, "rps_best": max(contender.samples),
             "ratio": median / base}
        )  # fmt: skip
        print(
            f"{contender.name:<24}{median:>16,.0f}{max(contender.samples):>14,.0f}"
            f"{median / base:>16.2f}x"
        )
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
