"""The Django example (examples/django_app) under ``manage.py runserver``, driven over HTTP.

The tests are :class:`~tests.integration.example_app_contract.ExampleAppContract`'s (tokens
from the real provider: valid, tampered, expired, wrong audience and issuer, opaque, missing
scope, DPoP-bound with and without a valid proof; challenges compared exactly). ``/me`` is a
plain Django view behind the middleware; ``/admin`` a DRF view whose authentication class
reuses the middleware's principal and whose ``HasScopes`` permission answers 403. Then opaque
tokens, and certificate-bound tokens (RFC 8705) against the provider's TLS mode: Django's WSGI
application under Werkzeug over real TLS that asks for client certificates, and the example
under runserver behind a proxy's certificate header.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from tests.integration.example_app_contract import (
    ExampleAppContract,
    client_credentials,
    example_env,
    get,
)
from tests.integration.example_app_server import RunningApp, serve_example
from tests.integration.mtls_wsgi import (
    HEADER,
    MISFIT,
    UNREADABLE,
    assert_refused,
    certificate_bound_token,
    check_binding_over_tls,
    check_tls_wins_over_header,
    client_context,
    mtls_base_address,
    serve_django_tls,
    tls_get,
)
from tests.provider.fixture import RunningProvider
from tests.provider.jws import decode_jwt


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


# ------------------------------------------------------------------------------------------
# Certificate-bound tokens (RFC 8705), issued by the provider's TLS mode to client-mtls-bound:
# the example (django_mtls_settings.py: its HTTPS issuer) as Django's WSGI application under
# Werkzeug's server over real TLS, which asks for client certificates and exports the one it
# verified as SSL_CLIENT_CERT; and under runserver behind a proxy's header
# (OIDC_CERTIFICATE_HEADER, a URL-encoded PEM). /me answers the token's claims.
# ------------------------------------------------------------------------------------------

MTLS_SETTINGS = "tests.integration.django_mtls_settings"


def mtls_env(provider: RunningProvider) -> dict[str, str]:
    assert provider.tls is not None
    return {
        **example_env(provider),
        "TEST_CA_FILE": str(provider.tls.ca_file),
        "TEST_MTLS_BASE_ADDRESS": mtls_base_address(provider),
    }


@pytest.fixture(scope="module")
def tls_app(provider_mtls: RunningProvider) -> Iterator[RunningApp]:
    assert provider_mtls.tls is not None
    # The header is configured too: the certificate of the TLS connection must win over it.
    env = {**mtls_env(provider_mtls), "OIDC_CERTIFICATE_HEADER": HEADER}
    with serve_django_tls(MTLS_SETTINGS, env, provider_mtls.tls) as running:
        yield running


def test_served_by_werkzeug_over_tls(tls_app: RunningApp, provider_mtls: RunningProvider) -> None:
    assert provider_mtls.tls is not None
    verify = client_context(provider_mtls.tls, None)
    response = httpx.get(tls_app.url("/health"), verify=verify, timeout=10)
    assert response.headers["server"].startswith("Werkzeug/")


def test_certificate_bound_token_over_tls(
    tls_app: RunningApp, provider_mtls: RunningProvider
) -> None:
    check_binding_over_tls(tls_app, provider_mtls, lambda me: me["cnf"]["x5t#S256"])


def test_tls_certificate_wins_over_the_header(
    tls_app: RunningApp, provider_mtls: RunningProvider
) -> None:
    check_tls_wins_over_header(tls_app, provider_mtls)


def test_drf_view_over_tls(tls_app: RunningApp, provider_mtls: RunningProvider) -> None:
    # /admin is DRF's: it reuses the middleware's principal, so a bound token passes the
    # certificate check once and then meets HasScopes (api:write is missing: 403).
    tls = provider_mtls.tls
    assert tls is not None
    token = certificate_bound_token(provider_mtls)
    response = tls_get(tls_app.base_url, "/admin", token, tls, tls.client)
    assert response.status_code == 403, response.text
    assert response.json()["error"] == "insufficient_scope"
    refused = tls_get(tls_app.base_url, "/admin", token, tls, tls.other)
    assert_refused(tls_app, refused, MISFIT)


@pytest.fixture(scope="module")
def proxied_app(provider_mtls: RunningProvider) -> Iterator[RunningApp]:
    env = {
        **mtls_env(provider_mtls),
        "OIDC_CERTIFICATE_HEADER": HEADER,
        "DJANGO_SETTINGS_MODULE": MTLS_SETTINGS,
    }
    with serve_example("django", env) as running:
        yield running


def test_certificate_bound_token_from_the_proxy_header(
    proxied_app: RunningApp, provider_mtls: RunningProvider
) -> None:
    tls = provider_mtls.tls
    assert tls is not None
    token = certificate_bound_token(provider_mtls)
    accepted = get(proxied_app, "/me", token, X_Client_Cert=quote(tls.client.pem))
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["cnf"] == decode_jwt(token)[1]["cnf"]
    assert_refused(proxied_app, get(proxied_app, "/me", token), MISFIT)
    other = quote(tls.other.pem)
    assert_refused(proxied_app, get(proxied_app, "/me", token, X_Client_Cert=other), MISFIT)
    garbage = get(proxied_app, "/me", token, X_Client_Cert="not a certificate")
    assert_refused(proxied_app, garbage, UNREADABLE)
