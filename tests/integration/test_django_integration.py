"""The Django example (examples/django_app) under ``manage.py runserver``, driven over HTTP.

The tests are :class:`~tests.integration.example_app_contract.ExampleAppContract`'s (tokens
from the real provider: valid, tampered, expired, wrong audience and issuer, opaque, missing
scope, DPoP-bound with and without a valid proof; challenges compared exactly). ``/me`` is a
plain Django view behind the middleware; ``/admin`` a DRF view whose authentication class
reuses the middleware's principal and whose ``HasScopes`` permission answers 403.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.integration.example_app_contract import (
    ExampleAppContract,
    client_credentials,
    example_env,
)
from tests.integration.example_app_server import RunningApp, serve_example
from tests.provider.fixture import RunningProvider


@pytest.fixture(scope="module")
def app(provider: RunningProvider) -> Iterator[RunningApp]:
    with serve_example("django", example_env(provider)) as running:
        yield running


class TestDjangoExample(ExampleAppContract):
    def test_served_by_django_runserver(self, app: RunningApp) -> None:
        assert httpx.get(app.url("/health"), timeout=10).headers["server"].startswith("WSGIServer/")

    def test_host_outside_allowed_hosts_is_refused(self, app: RunningApp) -> None:
        response = httpx.get(app.url("/me"), headers={"Host": "evil.example"}, timeout=10)
        assert response.status_code == 400


# ------------------------------------------------------------------------------------------
# Opaque tokens: the same example with introspection added (django_opaque_settings.py).
# ------------------------------------------------------------------------------------------

OPAQUE = "urn:test:api:opaque"


@pytest.fixture(scope="module")
def opaque_app(provider: RunningProvider) -> Iterator[RunningApp]:
    client = provider.client("client-basic")
    assert client.client_secret is not None
    env = {
        **example_env(provider),
        "OIDC_AUDIENCE": OPAQUE,
        "DJANGO_SETTINGS_MODULE": "tests.integration.django_opaque_settings",
        "TEST_INTROSPECTION_ENDPOINT": provider.endpoint("introspection"),
        "TEST_INTROSPECTION_CLIENT_ID": client.client_id,
        "TEST_INTROSPECTION_CLIENT_SECRET": client.client_secret,
    }
    with serve_example("django", env) as running:
        yield running


def test_opaque_token_is_introspected(opaque_app: RunningApp, provider: RunningProvider) -> None:
    token = client_credentials(provider, resource=OPAQUE, scope="api:read api:write")
    me = httpx.get(opaque_app.url("/me"), headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200, me.text
    assert (me.json()["active"], me.json()["client_id"]) == (True, "client-basic")
    admin = httpx.get(opaque_app.url("/admin"), headers={"Authorization": f"Bearer {token}"})
    assert admin.status_code == 200, admin.text


def test_revoked_opaque_token_is_refused(opaque_app: RunningApp, provider: RunningProvider) -> None:
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
    response = httpx.get(opaque_app.url("/me"), headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
