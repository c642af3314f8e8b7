"""httpx2 through the transport seam: the same core, driven over httpx2's clients.

httpx2 (the maintained continuation of httpx) is accepted wherever an httpx client is,
and ``configure(http_stack="httpx2")`` makes it the stack of the managed default clients.
The whole integration suite also runs on it (``PYIDM_TEST_HTTP_STACK=httpx2``).
"""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Iterator
from typing import Any

import pytest

httpx2 = pytest.importorskip("httpx2", reason="httpx2 needs Python >= 3.11 (the [httpx2] extra)")

import py_identity_model  # noqa: E402
from py_identity_model import (  # noqa: E402
    ClientCredentialsTokenRequest,
    ConfigurationException,
    DiscoveryDocumentRequest,
    HTTPClient,
    aio,
    configure,
    get_options,
    options as options_module,
)
from py_identity_model.http.messages import HttpRequest, HttpResponse, TransportFailure  # noqa: E402
from py_identity_model.transport import async_client, sync_client  # noqa: E402
from py_identity_model.transport.async_client import AsyncHTTPClient  # noqa: E402

AUTHORITY = "https://op.example"
DOCUMENT = {
    "issuer": AUTHORITY,
    "jwks_uri": f"{AUTHORITY}/jwks",
    "token_endpoint": f"{AUTHORITY}/token",
}


def handler(request: Any) -> Any:
    if request.url.path.endswith("openid-configuration"):
        return httpx2.Response(200, json=DOCUMENT)
    if request.url.path == "/token":
        return httpx2.Response(
            200, json={"access_token": "AT", "token_type": "Bearer", "expires_in": 60}
        )
    return httpx2.Response(404)


@pytest.fixture(autouse=True)
def restore() -> Iterator[None]:
    saved = get_options()
    yield
    options_module._options = saved
    sync_client.reset_default_sync_client()
    async_client.reset_default_async_clients()


def test_sync_functions_accept_an_httpx2_client() -> None:
    with httpx2.Client(transport=httpx2.MockTransport(handler)) as raw:
        disco = py_identity_model.get_discovery_document(
            DiscoveryDocumentRequest(AUTHORITY), http_client=raw
        )
        token = py_identity_model.request_client_credentials_token(
            ClientCredentialsTokenRequest(f"{AUTHORITY}/token", "c", "s"), http_client=raw
        )
        wrapped = HTTPClient(raw)
    assert disco.is_successful, disco.error
    assert token.is_successful and token.access_token == "AT"
    assert wrapped.stack == "httpx2"


def test_async_functions_accept_an_httpx2_async_client() -> None:
    async def mock(request: Any) -> Any:
        return handler(request)

    async def go() -> Any:
        async with httpx2.AsyncClient(transport=httpx2.MockTransport(mock)) as raw:
            return await aio.get_discovery_document(
                DiscoveryDocumentRequest(AUTHORITY), http_client=raw
            )

    assert asyncio.run(go()).is_successful


def test_kinds_are_not_mixed_up() -> None:
    with pytest.raises(ConfigurationException, match="async client"):
        py_identity_model.get_discovery_document(
            DiscoveryDocumentRequest(AUTHORITY), http_client=httpx2.AsyncClient()
        )
    with pytest.raises(ConfigurationException, match="sync client"):
        asyncio.run(
            aio.get_discovery_document(
                DiscoveryDocumentRequest(AUTHORITY), http_client=httpx2.Client()
            )
        )


def test_configure_makes_httpx2_the_default_stack(json_server: Any) -> None:
    configure(http_stack="httpx2")
    with HTTPClient() as client:
        assert client.stack == "httpx2"
        assert isinstance(client.client, httpx2.Client)
        outcome = client.send_request(HttpRequest.get(json_server.url))
    assert isinstance(outcome, HttpResponse) and outcome.status == 200

    async def go() -> Any:
        async with AsyncHTTPClient() as client:
            assert client.stack == "httpx2"
            return await client.send_request(HttpRequest.get(json_server.url))

    assert isinstance(asyncio.run(go()), HttpResponse)


def test_unknown_stack_is_refused() -> None:
    with pytest.raises(ConfigurationException, match="http_stack"):
        configure(http_stack="requests")


def test_sync_deadline_is_enforced_per_socket_operation_on_httpx2(serve: Any) -> None:
    def trickle(conn: Any, server: Any) -> None:
        server.read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        while server.pause(0.1):
            conn.sendall(b"a")

    slow = serve(trickle)
    configure(http_stack="httpx2")
    with HTTPClient(timeout=0.5) as client:
        outcome = client.send_request(HttpRequest.get(slow.url))
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "timeout"


def test_bounded_decoding_on_httpx2(serve: Any) -> None:
    bomb = gzip.compress(b"\0" * (8 * 1024 * 1024))

    def answer(conn: Any, server: Any) -> None:
        server.read_request(conn)
        server.respond(conn, body=bomb, extra="Content-Encoding: gzip\r\n")

    configure(http_stack="httpx2")
    with HTTPClient(timeout=5) as client:
        outcome = client.send_request(HttpRequest.get(serve(answer).url))
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "response_too_large"


def test_exceptions_of_httpx2_become_failures() -> None:
    def broken(request: Any) -> Any:
        raise httpx2.ConnectError("refused", request=request)

    with httpx2.Client(transport=httpx2.MockTransport(broken)) as raw:
        outcome = HTTPClient(raw).send_request(HttpRequest.get(f"{AUTHORITY}/x"))
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "network_error"
    assert json.dumps(outcome.message)  # a plain, printable message
