"""The Flask example (examples/flask_app) under Werkzeug's server process, driven over HTTP.

The tests are :class:`~tests.integration.example_app_contract.ExampleAppContract`'s (tokens
from the real provider: valid, tampered, expired, wrong audience and issuer, opaque, missing
scope, DPoP-bound with and without a valid proof; challenges compared exactly).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest
from flask import Flask
from werkzeug.serving import make_server

from py_identity_model.integrations.flask import ProtectedResource, current_token, require_token
from py_identity_model.resource_server import IntrospectionSettings
from tests.integration.example_app_contract import (
    ExampleAppContract,
    client_credentials,
    example_env,
)
from tests.integration.example_app_server import RunningApp, serve_example
from tests.provider.fixture import RunningProvider


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
