"""Fixtures of the ``OidcClient`` unit tests: ``mode`` (sync/async) and a fresh ``op``."""

from __future__ import annotations

import pytest
from login_support import FakeOp, Mode


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> Mode:
    return Mode(request.param)


@pytest.fixture
def op() -> FakeOp:
    return FakeOp()
