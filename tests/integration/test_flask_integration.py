"""The Flask example (examples/flask_app) under Werkzeug's server process, driven over HTTP.

The tests are :class:`~tests.integration.example_app_contract.ExampleAppContract`'s (tokens
from the real provider: valid, tampered, expired, wrong audience and issuer, opaque, missing
scope, DPoP-bound with and without a valid proof; challenges compared exactly). Then opaque
tokens, and certificate-bound tokens (RFC 8705) against the provider's TLS mode: an app served
by Werkzeug over real TLS that asks for client certificates, and the same behind a proxy's
certificate header.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx
import pytest
from flask import Flask
from werkzeug.serving import make_server

from py_identity_model import DiscoveryPolicy
from py_identity_model.integrations.flask import ProtectedResource, current_token, require_token
from py_identity_model.resource_server import IntrospectionSettings
from tests.integration.example_app_contract import (
    AUDIENCE,
    ExampleAppContract,
    client_credentials,
    example_env,
)
from tests.integration.example_app_server import RunningApp, serve_example
from tests.integration.mtls_wsgi import (
    HEADER,
    MISFIT,
    UNREADABLE,
    ServedApp,
    assert_refused,
    ca_verified_client,
    certificate_bound_token,
    check_binding_over_tls,
    check_tls_wins_over_header,
    mtls_base_address,
    serve_in_thread,
    tls_server_context,
)
from tests.provider.fixture import RunningProvider
from tests.provider.jws import decode_jwt

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


@pytest.fixture(scope="module")
def app(provider: RunningProvider) -> Iterator[RunningApp]:
    with serve_example("flask", example_env(provider)) as running:
        yield running


class TestFlaskExample(ExampleAppContract):
    def test_served_by_werkzeug(self, app: RunningApp) -> None:
        assert httpx.get(app.url("/health"), timeout=10).headers["server"].startswith("Werkzeug/")


# ------------------------------------------------------------------------------------------
# Opaque tokens: an app configured with introspection (client-basic's credentials), served by
# Werkzeug's server on a thread; the provider introspects every new token.
# ------------------------------------------------------------------------------------------

OPAQUE = "urn:test:api:opaque"


@pytest.fixture(scope="module")
def opaque_app(provider: RunningProvider) -> Iterator[str]:
    client = provider.client("client-basic")
    flask_app = Flask("opaque")
    flask_app.config.update(
        OIDC_ISSUER=provider.issuer,
        OIDC_AUDIENCE=OPAQUE,
        OIDC_INTROSPECTION=IntrospectionSettings(
            address=provider.endpoint("introspection"),
            client_id=client.client_id,
            client_secret=client.client_secret,
        ),
    )
    ProtectedResource(flask_app)

    @flask_app.get("/me")
    @require_token(scopes=["api:read"])
    def me() -> dict[str, object]:
        token = current_token()
        return {"sub": token.subject, "opaque": token.is_opaque, "client_id": token.client_id}

    server = make_server("127.0.0.1", 0, flask_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


def test_opaque_token_is_introspected(opaque_app: str, provider: RunningProvider) -> None:
    token = client_credentials(provider, resource=OPAQUE)
    response = httpx.get(f"{opaque_app}/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    # A client-credentials token has no end-user: introspection gives no sub.
    assert response.json() == {"sub": None, "opaque": True, "client_id": "client-basic"}


def test_revoked_opaque_token_is_refused(opaque_app: str, provider: RunningProvider) -> None:
    token = client_credentials(provider, resource=OPAQUE)
    client = provider.client("client-basic")
    assert client.client_secret is not None
    revoked = httpx.post(
        provider.endpoint("revocation"),
        data={"token": token},
        auth=(client.client_id, client.client_secret),
        timeout=10,
    )
    assert revoked.status_code == 200
    response = httpx.get(f"{opaque_app}/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


# ------------------------------------------------------------------------------------------
# Certificate-bound tokens (RFC 8705), issued by the provider's TLS mode to client-mtls-bound.
# Over TLS, Werkzeug's server asks for a client certificate and the app reads the one it
# verified: SSL_CLIENT_CERT, or (with that key removed) the peer certificate of the TLS socket.
# Behind a proxy, over plain HTTP: the configured header, a URL-encoded PEM.
# ------------------------------------------------------------------------------------------


def mtls_flask_app(provider: RunningProvider, *, certificate_header: str | None) -> Flask:
    assert provider.tls is not None
    flask_app = Flask("mtls")
    flask_app.config.update(
        OIDC_ISSUER=provider.issuer,
        OIDC_AUDIENCE=AUDIENCE,
        OIDC_HTTP_CLIENT=ca_verified_client(provider.tls),
        OIDC_DISCOVERY_POLICY=DiscoveryPolicy(
            additional_endpoint_base_addresses=[mtls_base_address(provider)]
        ),
        OIDC_CLIENT_CERTIFICATE_HEADER=certificate_header,
    )
    ProtectedResource(flask_app)

    @flask_app.get("/me")
    @require_token
    def me() -> dict[str, object]:
        token = current_token()
        return {
            "client_id": token.client_id,
            "certificate_thumbprint": token.certificate_thumbprint,
        }

    return flask_app


def _socket_only(wsgi_app: WSGIApplication) -> WSGIApplication:
    # As a server that exports no SSL_CLIENT_CERT: only werkzeug.socket tells the certificate.
    def without_ssl_client_cert(environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        environ.pop("SSL_CLIENT_CERT", None)
        return wsgi_app(environ, start_response)

    return without_ssl_client_cert


@pytest.fixture(scope="module", params=["SSL_CLIENT_CERT", "werkzeug.socket"])
def tls_app(request: pytest.FixtureRequest, provider_mtls: RunningProvider) -> Iterator[ServedApp]:
    assert provider_mtls.tls is not None
    # The header is configured too: the certificate of the TLS connection must win over it.
    flask_app = mtls_flask_app(provider_mtls, certificate_header=HEADER)
    if request.param == "werkzeug.socket":
        flask_app.wsgi_app = _socket_only(flask_app.wsgi_app)  # type: ignore[method-assign]
    with serve_in_thread(flask_app, tls_server_context(provider_mtls.tls)) as served:
        yield served


def test_certificate_bound_token_over_tls(
    tls_app: ServedApp, provider_mtls: RunningProvider
) -> None:
    me = check_binding_over_tls(tls_app, provider_mtls, lambda me: me["certificate_thumbprint"])
    assert set(me) == {"client_id", "certificate_thumbprint"}


def test_tls_certificate_wins_over_the_header(
    tls_app: ServedApp, provider_mtls: RunningProvider
) -> None:
    check_tls_wins_over_header(tls_app, provider_mtls)


@pytest.fixture(scope="module")
def proxied_app(provider_mtls: RunningProvider) -> Iterator[ServedApp]:
    with serve_in_thread(mtls_flask_app(provider_mtls, certificate_header=HEADER)) as served:
        yield served


def test_certificate_bound_token_from_the_proxy_header(
    proxied_app: ServedApp, provider_mtls: RunningProvider
) -> None:
    tls = provider_mtls.tls
    assert tls is not None
    token = certificate_bound_token(provider_mtls)

    def me(**headers: str) -> httpx.Response:
        sent = {"Authorization": f"Bearer {token}", **headers}
        return httpx.get(proxied_app.url("/me"), headers=sent, timeout=10)

    accepted = me(**{HEADER: quote(tls.client.pem)})
    assert accepted.status_code == 200, accepted.text
    thumbprint = accepted.json()["certificate_thumbprint"]
    assert thumbprint == decode_jwt(token)[1]["cnf"]["x5t#S256"]
    assert_refused(proxied_app, me(), MISFIT)
    assert_refused(proxied_app, me(**{HEADER: quote(tls.other.pem)}), MISFIT)
    assert_refused(proxied_app, me(**{HEADER: "not a certificate"}), UNREADABLE)


def test_example_reads_the_certificate_header_only_when_configured(
    app: RunningApp, provider: RunningProvider
) -> None:
    # The example's OIDC_CERTIFICATE_HEADER: an unreadable certificate in that header is the
    # core's 401; the same header to the example without the variable is ignored.
    token = client_credentials(provider)
    sent = {"Authorization": f"Bearer {token}", HEADER: "not a certificate"}
    assert httpx.get(app.url("/me"), headers=sent, timeout=10).status_code == 200
    env = {**example_env(provider), "OIDC_CERTIFICATE_HEADER": HEADER}
    with serve_example("flask", env) as configured:
        refused = httpx.get(configured.url("/me"), headers=sent, timeout=10)
    assert refused.status_code == 401
    assert refused.json() == {"error": "invalid_token", "error_description": UNREADABLE}
