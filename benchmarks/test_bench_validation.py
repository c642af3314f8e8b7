"""pytest-benchmark view of ``bench_validation.py`` (``make bench``).

Each (algorithm, contender) pair is one benchmark in the group ``validate <alg>``; the
``conftest.py`` summary prints every median as a ratio to that group's ``floor``. These runs
are sequential, not interleaved: for numbers to quote, run the script (see README.md).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import warnings
from functools import cache
from typing import Any

import pytest
from bench_validation import (
    ALGS,
    CONTENDERS,
    IMPORTS,
    ROOT,
    Fixture,
    _async_scenarios,
    build_contenders,
    build_fixture,
    mock_http_client,
    provider_token,
)

pytestmark = pytest.mark.benchmark


@cache
def _setup() -> tuple[dict[str, Fixture], dict[str, dict[str, Any]]]:
    fixtures = {alg: build_fixture(alg) for alg in ALGS}
    http_client, _ = mock_http_client(list(fixtures.values()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        contenders = {alg: build_contenders(fx, http_client) for alg, fx in fixtures.items()}
    return fixtures, contenders


@pytest.mark.filterwarnings("ignore")  # joserfc warns on each "EdDSA" decode (RFC 9864)
@pytest.mark.parametrize("contender", CONTENDERS)
@pytest.mark.parametrize("alg", ALGS)
def test_validate(benchmark: Any, alg: str, contender: str) -> None:
    fixtures, contenders = _setup()
    validate, token = contenders[alg][contender], fixtures[alg].token
    benchmark.group = f"validate {alg}"
    benchmark.extra_info.update(alg=alg, contender=contender, baseline="floor")
    claims = benchmark(validate, token)
    assert dict(claims) == fixtures[alg].claims


@pytest.mark.parametrize(
    "name", ["py_identity_model validate_token", "PyJWT", "py_identity_model (bare)"]
)
def test_import_fresh_interpreter(benchmark: Any, name: str) -> None:
    """Whole interpreter start + import; the script reports the import alone."""
    command = [sys.executable, "-W", "ignore", "-c", IMPORTS[name]]
    subprocess.run(command, check=True, cwd=ROOT)  # compile .pyc files first
    benchmark.group = "import (fresh interpreter, incl. startup)"
    benchmark.extra_info.update(contender=name, baseline="PyJWT")
    benchmark.pedantic(subprocess.run, args=(command,), kwargs={"check": True}, rounds=10)


def test_concurrency_single_flight(benchmark: Any, provider: Any) -> None:
    """1000 concurrent cold-cache validations: one discovery and one JWKS request each."""
    token = provider_token(provider)
    results: list[dict[str, Any]] = []

    def run() -> None:
        results.append(asyncio.run(_async_scenarios(provider, token, 1000)))

    benchmark.group = "concurrency (1000 async calls, cold caches)"
    benchmark.pedantic(run, rounds=1, iterations=1)
    scenarios = results[-1]
    benchmark.extra_info.update(
        {name: info["requests"] for name, info in scenarios.items()}, contender="all"
    )
    for name, info in scenarios.items():
        assert info["requests"].get("discovery") == 1, (name, info)
        assert info["requests"].get("jwks") == 1, (name, info)
