"""The client certificate the Flask and Django integrations read (``_framework``): every source.

:func:`~py_identity_model.integrations._framework.server_certificate` reads what the WSGI
server verified (``SSL_CLIENT_CERT``, Werkzeug's TLS socket);
:func:`~py_identity_model.integrations._framework.incoming_request` prefers it to the trusted
proxy's header and turns an unreadable certificate from either into the core's 401. The TLS
sockets here are real: a socket pair with a finished handshake, certificates from trustme.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from flask_django_op import AUDIENCE, ISSUER, FakeOp
from tests.provider.tls import CertificateFiles, TlsMaterial, make_tls_material

from py_identity_model.exceptions import InvalidCertificateError
from py_identity_model.integrations._framework import incoming_request, server_certificate
from py_identity_model.resource_server import ResourceRejection, ResourceServer

HEADER = "X-Client-Cert"
UNREADABLE = "The client certificate is not readable"


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsMaterial:
    directory: Path = tmp_path_factory.mktemp("framework-certs")
    return make_tls_material(directory)


@pytest.fixture
def server() -> ResourceServer:
    return ResourceServer(issuer=ISSUER, audience=AUDIENCE, http_client=FakeOp().client())


def certificate(files: CertificateFiles) -> x509.Certificate:
    return x509.load_pem_x509_certificate(files.certificate.read_bytes())


def der(files: CertificateFiles) -> bytes:
    return certificate(files).public_bytes(serialization.Encoding.DER)


def _contexts(
    tls: TlsMaterial, presented: CertificateFiles | None
) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    # As a WSGI server asks for client certificates: CERT_OPTIONAL and the CA to check them.
    server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_side.load_cert_chain(tls.server.certificate, tls.server.private_key)
    server_side.load_verify_locations(tls.ca_file)
    server_side.verify_mode = ssl.CERT_OPTIONAL
    client_side = ssl.create_default_context(cafile=str(tls.ca_file))
    if presented is not None:
        client_side.load_cert_chain(presented.certificate, presented.private_key)
    return server_side, client_side


class TlsPair:
    """A connected socket pair; ``server`` is the server's :class:`ssl.SSLSocket`."""

    def __init__(self, tls: TlsMaterial, presented: CertificateFiles | None) -> None:
        server_context, client_context = _contexts(tls, presented)
        one, two = socket.socketpair()
        self.server = server_context.wrap_socket(
            one, server_side=True, do_handshake_on_connect=False
        )
        self.client = client_context.wrap_socket(
            two, server_hostname="127.0.0.1", do_handshake_on_connect=False
        )

    def handshake(self) -> TlsPair:
        # Each side blocks until the other answers: the client's half runs on a thread.
        client = threading.Thread(target=self.client.do_handshake)
        client.start()
        self.server.do_handshake()
        client.join(10)
        return self

    def close(self) -> None:
        self.client.close()
        self.server.close()


@pytest.fixture
def pairs(tls: TlsMaterial) -> Iterator[list[TlsPair]]:
    opened: list[TlsPair] = []
    yield opened
    for pair in opened:
        pair.close()


def tls_socket(
    pairs: list[TlsPair], tls: TlsMaterial, presented: CertificateFiles | None
) -> ssl.SSLSocket:
    pair = TlsPair(tls, presented).handshake()
    pairs.append(pair)
    return pair.server


# ------------------------------------------------------------------ server_certificate


def test_ssl_client_cert_pem(tls: TlsMaterial) -> None:
    assert server_certificate({"SSL_CLIENT_CERT": tls.client.pem}) == certificate(tls.client)


def test_ssl_client_cert_pem_bytes(tls: TlsMaterial) -> None:
    environ = {"SSL_CLIENT_CERT": tls.client.certificate.read_bytes()}
    assert server_certificate(environ) == certificate(tls.client)


@pytest.mark.parametrize("value", ["", "  \n", b""], ids=["empty", "blank", "empty-bytes"])
def test_empty_ssl_client_cert_is_no_certificate(value: str | bytes) -> None:
    # mod_ssl exports an empty SSL_CLIENT_CERT when the client sent no certificate.
    assert server_certificate({"SSL_CLIENT_CERT": value}) is None


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        "caf\u00e9",
        b"\x30\x03\x02\x01\x01",
        "A" * 70_000,
        42,
    ],
    ids=["text", "bad-base64", "not-der", "not-ascii", "bad-der", "too-large", "not-text"],
)
def test_unreadable_ssl_client_cert_raises(value: Any) -> None:
    with pytest.raises(InvalidCertificateError):
        server_certificate({"SSL_CLIENT_CERT": value})


def test_werkzeug_tls_socket_peer_certificate(tls: TlsMaterial, pairs: list[TlsPair]) -> None:
    connection = tls_socket(pairs, tls, tls.client)
    assert connection.getpeercert(binary_form=True) == der(tls.client)
    assert server_certificate({"werkzeug.socket": connection}) == certificate(tls.client)


def test_werkzeug_tls_socket_without_a_client_certificate(
    tls: TlsMaterial, pairs: list[TlsPair]
) -> None:
    connection = tls_socket(pairs, tls, None)
    assert server_certificate({"werkzeug.socket": connection}) is None


def test_werkzeug_tls_socket_that_cannot_tell(tls: TlsMaterial, pairs: list[TlsPair]) -> None:
    before_handshake = TlsPair(tls, tls.client)
    pairs.append(before_handshake)
    with pytest.raises(ValueError):  # what the stdlib says; read as no certificate
        before_handshake.server.getpeercert(binary_form=True)
    assert server_certificate({"werkzeug.socket": before_handshake.server}) is None
    server_context, _ = _contexts(tls, None)
    with server_context.wrap_socket(socket.socket(), server_side=True) as unconnected:
        assert server_certificate({"werkzeug.socket": unconnected}) is None
    closed = tls_socket(pairs, tls, tls.client)
    closed.close()
    assert server_certificate({"werkzeug.socket": closed}) is None


def test_plain_socket_or_anything_else_is_no_certificate() -> None:
    one, two = socket.socketpair()
    with one, two:
        assert server_certificate({"werkzeug.socket": one}) is None
    assert server_certificate({"werkzeug.socket": object()}) is None
    assert server_certificate({"werkzeug.socket": None}) is None
    assert server_certificate({}) is None


def test_ssl_client_cert_wins_over_the_socket(tls: TlsMaterial, pairs: list[TlsPair]) -> None:
    environ = {
        "SSL_CLIENT_CERT": tls.other.pem,
        "werkzeug.socket": tls_socket(pairs, tls, tls.client),
    }
    assert server_certificate(environ) == certificate(tls.other)
    environ["SSL_CLIENT_CERT"] = ""
    assert server_certificate(environ) == certificate(tls.client)


# ------------------------------------------------------------------ incoming_request


def build(
    server: ResourceServer, environ: dict[str, Any], *, header: str | None = None, **sent: str
) -> Any:
    lines = [
        ("Host", "api.example"),
        *((name.replace("_", "-"), value) for name, value in sent.items()),
    ]
    return incoming_request(
        server, "GET", "https://api.example/me", lines, environ=environ, certificate_header=header
    )


def assert_unreadable(info: pytest.ExceptionInfo[ResourceRejection]) -> None:
    rejection = info.value
    assert (rejection.status, rejection.error, rejection.description) == (
        401,
        "invalid_token",
        UNREADABLE,
    )
    assert rejection.body == {"error": "invalid_token", "error_description": UNREADABLE}
    challenges = [value for name, value in rejection.headers if name == "WWW-Authenticate"]
    assert challenges and all('error="invalid_token"' in value for value in challenges)


def test_server_certificate_is_the_requests(server: ResourceServer, tls: TlsMaterial) -> None:
    request = build(server, {"SSL_CLIENT_CERT": tls.client.pem})
    assert request.client_certificate == certificate(tls.client)
    assert (request.method, request.url) == ("GET", "https://api.example/me")


def test_server_certificate_wins_over_the_header(
    server: ResourceServer, tls: TlsMaterial, pairs: list[TlsPair]
) -> None:
    forwarded = {"X_Client_Cert": quote(tls.other.pem)}
    from_environ = build(server, {"SSL_CLIENT_CERT": tls.client.pem}, header=HEADER, **forwarded)
    assert from_environ.client_certificate == certificate(tls.client)
    from_socket = build(
        server, {"werkzeug.socket": tls_socket(pairs, tls, tls.client)}, header=HEADER, **forwarded
    )
    assert from_socket.client_certificate == certificate(tls.client)


def test_unreadable_header_is_not_read_when_the_server_gave_one(
    server: ResourceServer, tls: TlsMaterial
) -> None:
    request = build(server, {"SSL_CLIENT_CERT": tls.client.pem}, header=HEADER, X_Client_Cert="x")
    assert request.client_certificate == certificate(tls.client)


def test_header_when_the_server_gave_none(
    server: ResourceServer, tls: TlsMaterial, pairs: list[TlsPair]
) -> None:
    forwarded = {"X_Client_Cert": quote(tls.other.pem)}
    for environ in ({}, {"SSL_CLIENT_CERT": ""}, {"werkzeug.socket": tls_socket(pairs, tls, None)}):
        request = build(server, environ, header=HEADER, **forwarded)
        assert request.client_certificate == certificate(tls.other)


def test_header_is_not_read_unless_named(server: ResourceServer, tls: TlsMaterial) -> None:
    request = build(server, {}, X_Client_Cert=quote(tls.other.pem))
    assert request.client_certificate is None
    assert build(server, {}, header=HEADER).client_certificate is None  # named, not sent


def test_unreadable_server_certificate_is_the_cores_401(
    server: ResourceServer, tls: TlsMaterial
) -> None:
    # No falling back to the proxy's header: the server said there is a certificate.
    with pytest.raises(ResourceRejection) as info:
        build(
            server,
            {"SSL_CLIENT_CERT": "garbage"},
            header=HEADER,
            X_Client_Cert=quote(tls.client.pem),
        )
    assert_unreadable(info)


def test_unreadable_header_is_the_cores_401(server: ResourceServer) -> None:
    with pytest.raises(ResourceRejection) as info:
        build(server, {}, header=HEADER, X_Client_Cert="garbage")
    assert_unreadable(info)
