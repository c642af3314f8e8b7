"""Fixtures shared by every test folder.

``api`` runs one test body against both shells: ``api.get_jwks(...)`` calls the sync
function, or drives the async twin from ``py_identity_model.aio`` to completion. Every I/O
test uses it, so sync and async never drift apart and no test is written twice.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

import py_identity_model
from py_identity_model import aio
from tests.provider.fixture import RunningProvider, start_provider

Handler = Callable[[httpx.Request], httpx.Response]

# The HTTP stack of the managed default clients for this run: ``httpx`` (the default) or
# ``httpx2``. CI runs the integration suite once more with PYIDM_TEST_HTTP_STACK=httpx2, so
# every request to the real provider also goes through httpx2.
HTTP_STACK = os.environ.get("PYIDM_TEST_HTTP_STACK", "httpx")


@pytest.fixture(autouse=True, scope="session")
def _http_stack() -> str:
    if HTTP_STACK != "httpx":
        py_identity_model.configure(http_stack=HTTP_STACK)
    return HTTP_STACK


class Api:
    """The public API in one mode, ``"sync"`` or ``"async"``."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.is_async = mode == "async"

    def __getattr__(self, name: str) -> Any:
        if not self.is_async:
            return getattr(py_identity_model, name)
        target = getattr(aio, name)
        if not asyncio.iscoroutinefunction(target):
            return target

        def run(*args: Any, **kwargs: Any) -> Any:
            return asyncio.run(target(*args, **kwargs))

        return run

    def mock_client(self, handler: Handler) -> httpx.Client | httpx.AsyncClient:
        """An httpx client of the right kind served by ``handler``."""
        if self.is_async:

            async def async_handler(request: httpx.Request) -> httpx.Response:
                return handler(request)

            return httpx.AsyncClient(transport=httpx.MockTransport(async_handler))
        return httpx.Client(transport=httpx.MockTransport(handler))

    def __repr__(self) -> str:
        return self.mode


@pytest.fixture(params=["sync", "async"])
def api(request: pytest.FixtureRequest) -> Api:
    return Api(request.param)


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


@pytest.fixture(scope="session")
def provider_mtls() -> Iterator[RunningProvider]:
    """The provider over HTTPS with mTLS (RFC 8705): certificates made by trustme for this
    run (``provider_mtls.tls``), the mTLS endpoint aliases on a second listener
    (``provider_mtls.mtls_port``). Started only by the tests that ask for it."""
    with start_provider(tls=True) as running:
        yield running
