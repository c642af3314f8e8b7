"""pytest-benchmark glue: the test provider fixture and a "ratio to baseline" summary."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def provider() -> Iterator[Any]:
    """The local OpenID provider (Node.js); the concurrency benchmark skips without it."""
    from tests.provider.fixture import ProviderError, start_provider

    try:
        context = start_provider()
        running = context.__enter__()
    except ProviderError as exc:
        pytest.skip(f"test provider unavailable: {exc}")
    try:
        yield running
    finally:
        context.__exit__(None, None, None)


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """After pytest-benchmark's table: each median as a ratio to its group's baseline."""
    session = getattr(config, "_benchmarksession", None)
    if session is None:
        return
    groups: dict[str, dict[str, float]] = defaultdict(dict)
    baselines: dict[str, str] = {}
    for bench in session.benchmarks:
        if not bench or "contender" not in bench.extra_info:
            continue
        info = bench.extra_info
        groups[bench.group][info["contender"]] = statistics.median(bench.stats.data)
        if "baseline" in info:
            baselines[bench.group] = info["baseline"]
    if not any(baselines.get(g) in medians for g, medians in groups.items()):
        return
    write = terminalreporter.write_line
    terminalreporter.section("ratios to baseline (median / baseline median)")
    for group, medians in groups.items():
        baseline = baselines.get(group)
        if baseline not in medians:
            continue
        parts = [
            f"{name}/{baseline} = {value / medians[baseline]:.2f}x"
            for name, value in medians.items()
            if name != baseline
        ]
        write(f"{group}: " + ", ".join(parts))
    write("(sequential runs; `python benchmarks/bench_validation.py` interleaves them)")
