"""Managed default clients, ``configure()`` and the client constructors' validation."""

from __future__ import annotations

import asyncio
import ssl
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import certifi
import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from py_identity_model.drivers.aio import run_async
from py_identity_model.drivers.sync import run_sync
from py_identity_model.exceptions import ConfigurationException
from py_identity_model.http.flow import Flow
from py_identity_model.http.messages import HttpRequest
from py_identity_model.http.readers import JsonBody, read_json_object
from py_identity_model.http.results import Failure
from py_identity_model.options import LibraryOptions, RetryPolicy, configure, get_options
from py_identity_model.transport import async_client, sync_client
from py_identity_model.transport.async_client import (
    AsyncHTTPClient,
    default_async_client,
    resolve_async,
)
from py_identity_model.transport.common import TransportSettings, checked_verify, client_kwargs
from py_identity_model.transport.stacks import get_stack
from py_identity_model.transport.sync_client import (
    HTTPClient,
    default_sync_client,
    resolve_sync,
)


def json_flow(url: str) -> Flow[JsonBody | Failure]:
    outcome = yield HttpRequest.get(url)
    return read_json_object(outcome, what="Test document")


# ------------------------------------------------------------------ sync default


def test_sync_default_is_created_once_and_reused(json_server: Any) -> None:
    first = default_sync_client()
    assert default_sync_client() is first
    assert resolve_sync(None) == (first, first.settings.retry)
    for _ in range(2):
        result = run_sync(json_flow(json_server.url), None)
        assert isinstance(result, JsonBody)
    assert default_sync_client() is first
    assert json_server.counters["requests"] == 2


def test_sync_default_shared_across_threads() -> None:
    sync_client.reset_default_sync_client()
    barrier = threading.Barrier(16)
    seen: list[HTTPClient] = []

    def worker() -> None:
        barrier.wait()
        seen.append(default_sync_client())

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert len(seen) == 16
    assert len({id(client) for client in seen}) == 1


def test_sync_default_used_from_threads_with_real_server(json_server: Any) -> None:
    results: list[object] = []

    def worker() -> None:
        results.append(run_sync(json_flow(json_server.url)))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(results) == 8
    assert all(isinstance(r, JsonBody) for r in results)


def test_sync_default_takes_current_options() -> None:
    configure(timeout=7.5, max_response_bytes=4321)
    client = default_sync_client()
    assert client.settings.timeout == 7.5
    assert client.settings.max_response_bytes == 4321


def test_configure_replaces_sync_default_without_closing_it() -> None:
    old = default_sync_client()
    options = configure(timeout=12.0)
    assert options.timeout == 12.0
    assert get_options() is options
    # The old client is forgotten, not closed: a call in flight may still be using it.
    assert old.client.is_closed is False
    new = default_sync_client()
    assert new is not old
    assert new.settings.timeout == 12.0
    old.close()


def test_configure_resets_async_defaults() -> None:
    async def grab() -> AsyncHTTPClient:
        return default_async_client()

    loop = asyncio.new_event_loop()
    try:
        before = loop.run_until_complete(grab())
        assert loop.run_until_complete(grab()) is before
        configure(timeout=9.0)
        after = loop.run_until_complete(grab())
        assert after is not before
        assert after.settings.timeout == 9.0
        loop.run_until_complete(after.aclose())
        loop.run_until_complete(before.aclose())
    finally:
        loop.close()


def test_configure_rejects_unknown_and_invalid_options() -> None:
    before = get_options()
    with pytest.raises(ConfigurationException, match="Unknown option"):
        configure(timeuot=5)
    with pytest.raises(ConfigurationException, match="timeout must be a finite, positive number"):
        configure(timeout=0)
    with pytest.raises(
        ConfigurationException, match="max_response_bytes must be a finite, positive"
    ):
        configure(max_response_bytes=0)
    with pytest.raises(ConfigurationException, match="min_cache_duration exceeds"):
        configure(min_cache_duration=10, max_cache_duration=5)
    with pytest.raises(ConfigurationException, match="clock_skew"):
        configure(clock_skew=-1)
    assert get_options() is before


def test_configure_changes_new_client_defaults() -> None:
    policy = RetryPolicy(max_retries=0)
    configure(timeout=3.0, max_response_bytes=2048, retry=policy)
    for client in (HTTPClient(), AsyncHTTPClient()):
        assert client.settings.timeout == 3.0
        assert client.settings.max_response_bytes == 2048
        assert client.settings.retry is policy
    explicit = HTTPClient(timeout=1, max_response_bytes=10, retry=RetryPolicy())
    assert explicit.settings.timeout == 1.0
    assert isinstance(explicit.settings.timeout, float)
    assert explicit.settings.max_response_bytes == 10
    assert explicit.settings.retry == RetryPolicy()


def test_library_option_defaults() -> None:
    options = LibraryOptions()
    assert options.timeout == 30.0
    assert options.max_response_bytes == 1024 * 1024
    assert options.retry == RetryPolicy()


def test_configure_during_in_flight_call_does_not_break_it(
    serve: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def handler(conn: Any, server: Any) -> None:
        server.read_request(conn)
        server.count("requests")
        if server.counters["requests"] == 1:
            server.respond(conn, 503, b"", extra="Retry-After: 0\r\n")
        else:
            server.respond(conn)

    server = serve(handler)

    class ConfiguringTime:
        """Another thread calling configure() while this call waits to retry."""

        def sleep(self, seconds: float) -> None:
            configure(timeout=5.0)

        def __getattr__(self, name: str) -> Any:
            import time

            return getattr(time, name)

    monkeypatch.setattr(sync_client, "time", ConfiguringTime())
    # Regression: configure() used to close the managed client under this call, and the
    # retry died with httpx's RuntimeError("client has been closed").
    result = run_sync(json_flow(server.url), None)
    assert isinstance(result, JsonBody)
    assert server.counters["requests"] == 2


# ------------------------------------------------------------------ async default


def test_async_default_survives_consecutive_asyncio_runs(json_server: Any) -> None:
    async def call() -> tuple[JsonBody | Failure, AsyncHTTPClient, asyncio.AbstractEventLoop]:
        result = await run_async(json_flow(json_server.url))
        client = default_async_client()
        assert default_async_client() is client  # same loop, same client
        assert resolve_async(None)[0] is client
        return result, client, asyncio.get_running_loop()

    first, client1, loop1 = asyncio.run(call())
    second, client2, loop2 = asyncio.run(call())
    assert isinstance(first, JsonBody)
    assert isinstance(second, JsonBody)
    assert client1 is not client2
    assert loop1.is_closed()
    # The closed loop's entry was dropped when the second loop made its client.
    assert [entry[0] for entry in async_client._defaults.values()] == [loop2]
    assert json_server.counters["requests"] == 2


def test_concurrent_loops_get_different_clients() -> None:
    barrier = threading.Barrier(2)
    clients: dict[str, AsyncHTTPClient] = {}

    def in_loop(name: str) -> None:
        async def body() -> None:
            clients[name] = default_async_client()
            barrier.wait(5)  # both loops are alive at the same time
            assert default_async_client() is clients[name]

        asyncio.run(body())

    threads = [threading.Thread(target=in_loop, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert set(clients) == {"a", "b"}
    assert clients["a"] is not clients["b"]


def test_default_async_client_needs_running_loop() -> None:
    with pytest.raises(RuntimeError):
        default_async_client()


async def test_async_default_within_test_loop(json_server: Any) -> None:
    results = await asyncio.gather(*(run_async(json_flow(json_server.url)) for _ in range(5)))
    assert all(isinstance(r, JsonBody) for r in results)
    assert json_server.counters["requests"] == 5


# -------------------------------------------------------------- constructor checks


@pytest.mark.parametrize("cls", [HTTPClient, AsyncHTTPClient])
def test_constructor_accepts_valid_settings(cls: type[Any]) -> None:
    client = cls(timeout=2, verify=False, max_response_bytes=100, retry=RetryPolicy(max_retries=1))
    assert client.settings.timeout == 2.0
    assert client.settings.max_response_bytes == 100
    assert client.settings.retry.max_retries == 1
    cls(verify=True)
    cls(verify=ssl.create_default_context())


@pytest.mark.parametrize("cls", [HTTPClient, AsyncHTTPClient])
def test_verify_ca_bundle_path_is_loaded_up_front(cls: type[Any], tmp_path: Path) -> None:
    bundle = certifi.where()
    cls(verify=bundle)
    cls(verify=Path(bundle))  # os.PathLike
    cls(verify=str(tmp_path))  # a directory is a capath
    broken = tmp_path / "not-a-bundle.pem"
    broken.write_text("this is not a certificate")
    with pytest.raises(ConfigurationException, match="cannot load CA bundle"):
        cls(verify=str(broken))


def _private_ca_pem(path: Path) -> Path:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "py-identity-model test private CA")])
    now = datetime.now(timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def test_verify_path_trusts_only_that_bundle(tmp_path: Path) -> None:
    if ssl.create_default_context().cert_store_stats()["x509_ca"] == 0:
        pytest.skip("no system CA store here: the difference cannot be observed")
    bundle = _private_ca_pem(tmp_path / "private-ca.pem")
    settings = TransportSettings(None, None, None)
    context = client_kwargs(get_stack("httpx"), settings, checked_verify(str(bundle)))["verify"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    assert context.cert_store_stats()["x509_ca"] == 1


@pytest.mark.parametrize("cls", [HTTPClient, AsyncHTTPClient])
@pytest.mark.parametrize("bogus", [object(), "httpx.Client", httpx.Timeout(3)])
def test_constructor_rejects_non_httpx_client(cls: type[Any], bogus: object) -> None:
    with pytest.raises(ConfigurationException, match="needs an httpx"):
        cls(client=bogus)


@pytest.mark.parametrize("cls", [HTTPClient, AsyncHTTPClient])
@pytest.mark.parametrize(
    "kwargs",
    [
        {"timeout": 0},
        {"timeout": -1},
        {"timeout": float("nan")},
        {"timeout": "soon"},
        {"timeout": float("inf")},
        {"timeout": True},
        {"max_response_bytes": 0},
        {"max_response_bytes": -1},
        {"max_response_bytes": 1.5},
        {"max_response_bytes": True},
        {"retry": 3},
    ],
    ids=[
        "timeout-0",
        "timeout-neg",
        "timeout-nan",
        "timeout-str",
        "timeout-inf",
        "timeout-bool",
        "max-bytes-0",
        "max-bytes-neg",
        "max-bytes-float",
        "max-bytes-bool",
        "retry-int",
    ],
)
def test_constructor_rejects_invalid_settings(cls: type[Any], kwargs: dict[str, Any]) -> None:
    # Regression: these were accepted silently (or raised a bare ValueError).
    with pytest.raises(ConfigurationException):
        cls(**kwargs)


@pytest.mark.parametrize("cls", [HTTPClient, AsyncHTTPClient])
@pytest.mark.parametrize(
    ("verify", "message"),
    [
        ("/nonexistent/ca-bundle.pem", "does not exist"),
        (123, "must be a bool"),
        (b"/etc/ssl", "must be a bool"),
    ],
    ids=["missing-file", "int", "bytes"],
)
def test_constructor_rejects_unusable_verify(cls: type[Any], verify: object, message: str) -> None:
    # Regression: a missing file raised FileNotFoundError from ssl; an int was accepted.
    with pytest.raises(ConfigurationException, match=message):
        cls(verify=verify)
