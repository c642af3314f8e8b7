"""WSGI apps under Werkzeug's server over real TLS that asks for client certificates (RFC 8705).

For the certificate-bound token tests of test_flask_integration.py and
test_django_integration.py, against ``provider_mtls`` (the provider's TLS mode, its
certificates made by trustme: ``RunningProvider.tls``):

* :func:`server_context`: the server's TLS context: the certificate the test CA issued for
  ``127.0.0.1`` (``tls.server``), client certificates requested but optional
  (``CERT_OPTIONAL``, so a request without one reaches the app) and checked against that CA;
* :func:`serve_in_thread`: any WSGI app (Flask's) on a thread of this process, HTTP or HTTPS;
* :func:`serve_django_tls`: Django's WSGI application in a subprocess (this process has its
  own Django configuration), by running this module: ``python -m tests.integration.mtls_wsgi
  PORT`` with ``DJANGO_SETTINGS_MODULE`` and the ``TLS_*`` variables below;
* :func:`certificate_bound_token`: a token of ``client-mtls-bound`` from the mTLS alias of
  the token endpoint, bound to ``tls.client``; :func:`tls_get`: a request over HTTPS that
  presents a client certificate, or none;
* the checks both frameworks' tests make (:func:`check_binding_over_tls`,
  :func:`check_tls_wins_over_header`, :func:`assert_refused`): each framework only says how
  its ``/me`` shows the certificate thumbprint.
"""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from werkzeug.serving import make_server

from py_identity_model.mtls.certificates import compute_certificate_thumbprint
from tests.integration.example_app_contract import AUDIENCE, challenge, expected_challenge
from tests.integration.example_app_server import (
    EXAMPLES,
    ROOT,
    ExampleAppError,
    RunningApp,
    free_port,
    stop_process,
)
from tests.provider.fixture import RunningProvider
from tests.provider.jws import decode_jwt
from tests.provider.tls import CertificateFiles, TlsMaterial

#: The trusted proxy's header the tests configure.
HEADER = "X-Client-Cert"
#: The core's descriptions for a certificate that does not fit the token, or cannot be read.
MISFIT = "The access token's certificate binding does not fit the client certificate"
UNREADABLE = "The client certificate is not readable"

#: The environment variables of the subprocess: the server's certificate, key and client CA.
CERTIFICATE_VARIABLE = "TLS_SERVER_CERTIFICATE"
KEY_VARIABLE = "TLS_SERVER_KEY"
CLIENT_CA_VARIABLE = "TLS_CLIENT_CA"


def server_context(certificate: Path, key: Path, client_ca: Path) -> ssl.SSLContext:
    """What a WSGI server configured for mTLS uses: its certificate, client certs optional."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    context.load_verify_locations(client_ca)
    context.verify_mode = ssl.CERT_OPTIONAL
    return context


def tls_server_context(tls: TlsMaterial) -> ssl.SSLContext:
    return server_context(tls.server.certificate, tls.server.private_key, tls.ca_file)


def client_context(tls: TlsMaterial, presented: CertificateFiles | None) -> ssl.SSLContext:
    """Trusts the test CA only; presents ``presented`` when the server asks."""
    context = ssl.create_default_context(cafile=str(tls.ca_file))
    if presented is not None:
        context.load_cert_chain(presented.certificate, presented.private_key)
    return context


def tls_get(
    base_url: str,
    path: str,
    token: str,
    tls: TlsMaterial,
    presented: CertificateFiles | None,
    **headers: str,
) -> httpx.Response:
    sent = {name.replace("_", "-"): value for name, value in headers.items()}
    sent["Authorization"] = f"Bearer {token}"
    return httpx.get(
        base_url + path, headers=sent, verify=client_context(tls, presented), timeout=10
    )


def certificate_bound_token(provider: RunningProvider) -> str:
    """A client-credentials token bound (``cnf.x5t#S256``) to ``provider.tls.client``."""
    tls = provider.tls
    assert tls is not None
    aliases = provider.metadata["mtls_endpoint_aliases"]
    response = httpx.post(
        aliases["token_endpoint"],
        data={"grant_type": "client_credentials", "scope": "api:read", "resource": AUDIENCE},
        auth=("client-mtls-bound", "client-mtls-bound-secret"),
        verify=client_context(tls, tls.client),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def mtls_base_address(provider: RunningProvider) -> str:
    """The provider's mTLS alias listener (another port: the discovery policy must allow it)."""
    return f"https://127.0.0.1:{provider.mtls_port}"


def ca_verified_client(tls: TlsMaterial) -> httpx.Client:
    """The resource server's client for discovery and keys of the HTTPS provider."""
    return httpx.Client(verify=tls.ssl_context())


@dataclass(frozen=True)
class ServedApp:
    """An app on a thread of this process."""

    base_url: str

    def url(self, path: str) -> str:
        return self.base_url + path


@contextmanager
def serve_in_thread(app: Any, ssl_context: ssl.SSLContext | None = None) -> Iterator[ServedApp]:
    """Serve the WSGI ``app`` with Werkzeug on 127.0.0.1 (HTTPS when ``ssl_context``)."""
    server = make_server("127.0.0.1", 0, app, threaded=True, ssl_context=ssl_context)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    scheme = "http" if ssl_context is None else "https"
    try:
        yield ServedApp(f"{scheme}://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def serve_django_tls(
    settings_module: str, env: Mapping[str, str], tls: TlsMaterial, *, timeout: float = 30
) -> Iterator[RunningApp]:
    """Django's WSGI application (``settings_module``) under Werkzeug with TLS, in a process."""
    port = free_port()
    environment = {
        **os.environ,
        **env,
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": settings_module,
        CERTIFICATE_VARIABLE: str(tls.server.certificate),
        KEY_VARIABLE: str(tls.server.private_key),
        CLIENT_CA_VARIABLE: str(tls.ca_file),
    }
    environment["PYTHONPATH"] = os.pathsep.join(
        [
            str(ROOT / "src"),
            str(ROOT),
            str(EXAMPLES / "django_app"),  # the example's api_example package
            *filter(None, [os.environ.get("PYTHONPATH")]),
        ]
    )
    command = [sys.executable, "-m", "tests.integration.mtls_wsgi", str(port)]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=environment, cwd=ROOT
        )
        running = RunningApp(f"https://127.0.0.1:{port}", process, log)
        try:
            _wait_healthy(running, tls, timeout)
            yield running
        finally:
            stop_process(process)


def _wait_healthy(running: RunningApp, tls: TlsMaterial, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    verify = client_context(tls, None)
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise ExampleAppError(f"the server exited early:\n{running.output()}")
        try:
            if httpx.get(running.url("/health"), verify=verify, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise ExampleAppError(f"the server did not answer /health in {timeout} s:\n{running.output()}")


def main(port: int) -> None:
    from django.core.wsgi import get_wsgi_application

    context = server_context(
        Path(os.environ[CERTIFICATE_VARIABLE]),
        Path(os.environ[KEY_VARIABLE]),
        Path(os.environ[CLIENT_CA_VARIABLE]),
    )
    server = make_server(
        "127.0.0.1", port, get_wsgi_application(), threaded=True, ssl_context=context
    )
    server.serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]))


# --------------------------------------------------------------------------------------------
# The checks both frameworks make
# --------------------------------------------------------------------------------------------


def assert_refused(app: Any, response: httpx.Response, description: str) -> None:
    """A 401 ``invalid_token`` with ``description``, in the body and in the exact challenge
    (``app``: a RunningApp or ServedApp; only its ``url()`` is used)."""
    assert response.status_code == 401, response.text
    assert response.json() == {"error": "invalid_token", "error_description": description}
    assert challenge(response) == expected_challenge(
        app, error="invalid_token", error_description=description
    )


def check_binding_over_tls(
    app: Any, provider: RunningProvider, thumbprint_of: Callable[[dict[str, Any]], object]
) -> dict[str, Any]:
    """A bound token over TLS: accepted with ``tls.client`` (``/me`` shows the token's
    thumbprint, read by ``thumbprint_of``), refused without a certificate or with another
    one of the same CA. Returns what ``/me`` answered."""
    tls = provider.tls
    assert tls is not None
    token = certificate_bound_token(provider)
    bound = decode_jwt(token)[1]["cnf"]["x5t#S256"]
    assert bound == compute_certificate_thumbprint(tls.client.pem)
    accepted = tls_get(app.base_url, "/me", token, tls, tls.client)
    assert accepted.status_code == 200, accepted.text
    assert thumbprint_of(accepted.json()) == bound
    assert accepted.json()["client_id"] == "client-mtls-bound"
    for presented in (None, tls.other):
        assert_refused(app, tls_get(app.base_url, "/me", token, tls, presented), MISFIT)
    me: dict[str, Any] = accepted.json()
    return me


def check_tls_wins_over_header(app: Any, provider: RunningProvider) -> None:
    """The TLS connection's (wrong) certificate is judged, not the header's (right) one."""
    tls = provider.tls
    assert tls is not None
    token = certificate_bound_token(provider)
    refused = tls_get(
        app.base_url,
        "/me",
        token,
        tls,
        tls.other,
        **{HEADER.replace("-", "_"): quote(tls.client.pem)},
    )
    assert_refused(app, refused, MISFIT)
