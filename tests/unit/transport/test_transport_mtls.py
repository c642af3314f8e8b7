"""Per-request client certificates (mTLS, RFC 8705) over real TLS on 127.0.0.1 (trustme).

The certificate travels as a transport option of the request, chosen by the endpoint: the
same HTTPClient presents it to one endpoint and not to another.
"""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
import trustme

import py_identity_model
from py_identity_model import ClientCredentialsTokenRequest, MtlsClientAuth, aio
from py_identity_model.http.messages import (
    ClientCertificate,
    HttpRequest,
    HttpResponse,
    TransportFailure,
    TransportOptions,
)
from py_identity_model.transport.async_client import AsyncHTTPClient
from py_identity_model.transport.sync_client import HTTPClient


class TlsServer:
    """A TLS server on 127.0.0.1 that asks for (and records) a client certificate."""

    def __init__(self, ca: trustme.CA, *, require_certificate: bool) -> None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        ca.configure_trust(context)
        context.verify_mode = ssl.CERT_REQUIRED if require_certificate else ssl.CERT_OPTIONAL
        self.context = context
        self.peers: list[str | None] = []
        self.bodies: list[bytes] = []
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self.url = f"https://127.0.0.1:{self._sock.getsockname()[1]}/token"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                raw, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._handle, args=(raw,), daemon=True).start()

    def _handle(self, raw: socket.socket) -> None:
        raw.settimeout(5)
        try:
            conn = self.context.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            self.peers.append("handshake refused")
            raw.close()
            return
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ),
                0,
            )
            while len(body) < length:
                body += conn.recv(4096)
            peer = conn.getpeercert()
            subject = dict(item[0] for item in peer["subject"]) if peer else None
            self.peers.append(subject.get("commonName") if subject else None)
            self.bodies.append(body)
            answer = json.dumps(
                {"access_token": "AT", "token_type": "Bearer", "peer": self.peers[-1]}
            ).encode()
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + b"Content-Length: %d\r\n\r\n" % len(answer)
                + answer
            )

    def close(self) -> None:
        self._stop.set()
        self._sock.close()
        self._thread.join(2)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def files(ca: trustme.CA, tmp_path: Path) -> dict[str, str]:
    client = ca.issue_cert("worker@example.test", common_name="orders-worker")
    paths = {
        "ca": tmp_path / "ca.pem",
        "cert": tmp_path / "client.pem",
        "key": tmp_path / "client.key",
    }
    ca.cert_pem.write_to_path(str(paths["ca"]))
    client.cert_chain_pems[0].write_to_path(str(paths["cert"]))
    client.private_key_pem.write_to_path(str(paths["key"]))
    return {name: str(path) for name, path in paths.items()}


@pytest.fixture
def server(ca: trustme.CA) -> Iterator[TlsServer]:
    running = TlsServer(ca, require_certificate=False)
    yield running
    running.close()


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def send(mode: str, requests: list[HttpRequest], verify: str) -> list[Any]:
    if mode == "sync":
        with HTTPClient(verify=verify) as client:
            return [client.send_request(request) for request in requests]

    async def go() -> list[Any]:
        async with AsyncHTTPClient(verify=verify) as client:
            return [await client.send_request(request) for request in requests]

    return asyncio.run(go())


def test_certificate_is_presented_only_where_the_request_asks(
    mode: str, server: TlsServer, files: dict[str, str]
) -> None:
    certificate = ClientCertificate(files["cert"], files["key"])
    with_cert = HttpRequest.post_form(server.url, b"a=b", options=TransportOptions(certificate))
    without = HttpRequest.post_form(server.url, b"a=b")
    outcomes = send(mode, [without, with_cert, without, with_cert], files["ca"])
    assert all(isinstance(outcome, HttpResponse) and outcome.status == 200 for outcome in outcomes)
    assert server.peers == [None, "orders-worker", None, "orders-worker"]


def test_server_requiring_a_certificate_refuses_requests_without_one(
    mode: str, ca: trustme.CA, files: dict[str, str]
) -> None:
    strict = TlsServer(ca, require_certificate=True)
    try:
        certificate = ClientCertificate(files["cert"], files["key"])
        outcomes = send(
            mode,
            [
                HttpRequest.get(strict.url),
                HttpRequest.get(strict.url, options=TransportOptions(certificate)),
            ],
            files["ca"],
        )
    finally:
        strict.close()
    assert isinstance(outcomes[0], TransportFailure)
    assert outcomes[0].code in ("tls_error", "network_error")
    assert isinstance(outcomes[1], HttpResponse)


def test_unloadable_certificate_is_a_tls_failure_before_sending(
    mode: str, server: TlsServer, files: dict[str, str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.pem"
    broken.write_text("not a certificate")
    request = HttpRequest.get(
        server.url, options=TransportOptions(ClientCertificate(str(broken), files["key"]))
    )
    (outcome,) = send(mode, [request], files["ca"])
    assert isinstance(outcome, TransportFailure)
    assert outcome.code == "tls_error"
    assert server.peers == []


def test_token_request_with_mtls_client_auth(
    mode: str, server: TlsServer, files: dict[str, str]
) -> None:
    request = ClientCredentialsTokenRequest(
        server.url,
        "orders-worker",
        scope="orders",
        mtls=MtlsClientAuth(files["cert"], files["key"]),
    )
    if mode == "sync":
        with HTTPClient(verify=files["ca"]) as client:
            response = py_identity_model.request_client_credentials_token(
                request, http_client=client
            )
    else:

        async def go() -> Any:
            async with AsyncHTTPClient(verify=files["ca"]) as client:
                return await aio.request_client_credentials_token(request, http_client=client)

        response = asyncio.run(go())
    assert response.is_successful, response.error
    assert server.peers == ["orders-worker"]
    form = dict(parse_qsl(server.bodies[0].decode()))
    assert form == {
        "grant_type": "client_credentials",
        "scope": "orders",
        "client_id": "orders-worker",
    }


def test_mtls_contradicting_other_credentials_is_misuse(files: dict[str, str]) -> None:
    mtls = MtlsClientAuth(files["cert"], files["key"])
    with pytest.raises(py_identity_model.ConfigurationException):
        ClientCredentialsTokenRequest(
            "https://idp.example/token", "c", "secret", mtls=mtls
        ).resolved_client()
    with pytest.raises(py_identity_model.ConfigurationException):
        ClientCredentialsTokenRequest(
            "https://idp.example/token", "c", mtls=mtls, client_auth_method="private_key_jwt"
        ).resolved_client()
    with pytest.raises(py_identity_model.ConfigurationException):
        MtlsClientAuth(files["cert"], files["key"], auth_method="client_secret_basic")


def test_a_client_of_yours_is_used_as_configured_and_the_gap_is_logged_once(
    mode: str, server: TlsServer, files: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    # A wrapped client is never reconfigured: the request goes out without the certificate
    # (the server sees no peer), and a warning says why, once per HTTPClient.
    certificate = ClientCertificate(files["cert"], files["key"])
    request = HttpRequest.post_form(server.url, b"a=b", options=TransportOptions(certificate))
    caplog.set_level("WARNING", logger="py_identity_model")
    if mode == "sync":
        import httpx

        context = ssl.create_default_context(cafile=files["ca"])
        with httpx.Client(verify=context) as own, HTTPClient(client=own) as client:
            outcomes = [client.send_request(request) for _ in range(2)]
    else:
        import httpx

        async def go() -> list[Any]:
            context = ssl.create_default_context(cafile=files["ca"])
            async with httpx.AsyncClient(verify=context) as own:
                client = AsyncHTTPClient(client=own)
                return [await client.send_request(request) for _ in range(2)]

        outcomes = asyncio.run(go())
    assert all(isinstance(outcome, HttpResponse) for outcome in outcomes)
    assert server.peers == [None, None]
    warnings = [r for r in caplog.records if "TLS client certificate" in r.getMessage()]
    assert len(warnings) == 1
    assert "set the certificate on that client" in warnings[0].getMessage()
    assert files["key"] not in warnings[0].getMessage()
