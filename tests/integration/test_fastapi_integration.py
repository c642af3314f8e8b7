"""The FastAPI example (examples/fastapi_app) under a real uvicorn process, driven over HTTP.

The shared tests are :class:`~tests.integration.example_app_contract.ExampleAppContract`'s
(tokens from the real provider: valid, tampered, expired, wrong audience and issuer, opaque
without introspection, missing scope, DPoP-bound with and without a valid proof; challenges
compared exactly). Here, on top: what only FastAPI has (the OpenAPI document, the exact
rejection body), repeated headers, a replayed proof, and a second app
(tests/integration/fastapi_test_app.py) with the middleware, excluded paths, introspection of
opaque tokens, required DPoP with server nonces and a trusted proxy; and, against the
provider's TLS mode, certificate-bound tokens (RFC 8705) issued over real mTLS, their
certificate forwarded by the trusted proxy's header.
"""

from __future__ import annotations

import dataclasses
import json
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi.dependencies.models import Dependant

from py_identity_model import DPoPKey
from tests.integration.example_app_contract import (
    AUDIENCE,
    METADATA_PATH,
    ExampleAppContract,
    challenge,
    client_credentials,
    example_env,
    expected_challenge,
    get,
)
from tests.provider.fixture import RunningProvider
from tests.provider.jws import decode_jwt
from tests.uvicorn_fixture import RunningApp, serve_asgi_app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "fastapi_app"
TEST_APP = Path(__file__).resolve().parent
# FastAPI lists scopes of non-OAuth2 schemes in OpenAPI only since Dependant.own_oauth_scopes.
LISTS_HTTP_SCOPES = "own_oauth_scopes" in {f.name for f in dataclasses.fields(Dependant)}


@pytest.fixture(scope="module")
def app(provider: RunningProvider) -> Iterator[RunningApp]:
    with serve_asgi_app(EXAMPLE, "app:app", example_env(provider)) as running:
        yield running


class TestFastAPIExample(ExampleAppContract):
    def test_served_by_uvicorn(self, app: RunningApp) -> None:
        assert httpx.get(app.url("/health"), timeout=10).headers["server"] == "uvicorn"

    def test_rejection_body_is_the_cores(self, app: RunningApp) -> None:
        response = get(app, "/me")
        assert response.json() == {"error_description": "An access token is required"}

    def test_openapi_lists_the_scheme(self, app: RunningApp) -> None:
        document = get(app, "/openapi.json").json()
        scheme = document["components"]["securitySchemes"]["AccessTokenBearer"]
        assert (scheme["type"], scheme["scheme"], scheme["bearerFormat"]) == (
            "http", "bearer", "JWT",
        )  # fmt: skip
        assert "DPoP" in scheme["description"] and METADATA_PATH in scheme["description"]
        paths = document["paths"]
        assert paths["/me"]["get"]["security"] == [{"AccessTokenBearer": []}]
        listed = ["api:write"] if LISTS_HTTP_SCOPES else []
        assert paths["/admin"]["get"]["security"] == [{"AccessTokenBearer": listed}]
        assert "security" not in paths["/health"]["get"]

    def test_two_authorization_headers_are_refused(
        self, app: RunningApp, provider: RunningProvider
    ) -> None:
        token = client_credentials(provider)
        response = httpx.get(
            app.url("/me"),
            headers=[("Authorization", f"Bearer {token}"), ("Authorization", f"Bearer {token}")],
            timeout=10,
        )
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_request"

    def test_replayed_proof_is_refused(self, app: RunningApp, provider: RunningProvider) -> None:
        key = DPoPKey()
        token = client_credentials(provider, client_id="client-dpop", dpop_key=key)
        headers = {
            "Authorization": f"DPoP {token}",
            "DPoP": key.create_proof("GET", app.url("/me"), access_token=token),
        }
        assert httpx.get(app.url("/me"), headers=headers, timeout=10).status_code == 200
        again = httpx.get(app.url("/me"), headers=headers, timeout=10)
        assert again.status_code == 401
        assert again.json()["error"] == "invalid_dpop_proof"

    def test_dpop_token_lacking_the_scope(self, app: RunningApp, provider: RunningProvider) -> None:
        key = DPoPKey()
        token = client_credentials(provider, client_id="client-dpop", dpop_key=key)
        proof = key.create_proof("GET", app.url("/admin"), access_token=token)
        response = httpx.get(
            app.url("/admin"), headers={"Authorization": f"DPoP {token}", "DPoP": proof}, timeout=10
        )
        assert response.status_code == 403
        assert challenge(response) == expected_challenge(
            app,
            error="insufficient_scope",
            error_description="The access token lacks a required scope",
            scope="api:write",
        )


# --------------------------------------------------------------------------------------------
# A second app: middleware with excluded paths, introspection, required DPoP, trusted proxy.
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def strict_app(provider_dpop_nonce: RunningProvider) -> Iterator[RunningApp]:
    client = provider_dpop_nonce.client("client-basic")
    config = {
        "issuer": provider_dpop_nonce.issuer,
        "audience": [AUDIENCE, "urn:test:api:opaque"],
        "introspection_endpoint": provider_dpop_nonce.endpoint("introspection_endpoint"),
        "client_id": client.client_id,
        "client_secret": client.client_secret,
    }
    env = {"FASTAPI_TEST_APP_CONFIG": json.dumps(config)}
    with serve_asgi_app(TEST_APP, "fastapi_test_app:app", env) as running:
        yield running


def _dpop_get(
    app: RunningApp, path: str, token: str, key: DPoPKey, *, nonce: str | None = None, **extra: str
) -> httpx.Response:
    proof = key.create_proof("GET", app.url(path), access_token=token, nonce=nonce)
    headers = {"Authorization": f"DPoP {token}", "DPoP": proof, **extra}
    return httpx.get(app.url(path), headers=headers, timeout=10)


def test_middleware_excludes_paths(strict_app: RunningApp) -> None:
    assert get(strict_app, "/health").status_code == 200
    assert get(strict_app, "/public/info").json() == {"public": True}
    assert get(strict_app, METADATA_PATH).status_code == 200
    refused = get(strict_app, "/me")
    assert refused.status_code == 401
    # DPoP required: only the DPoP challenge is offered, with the nonce to use.
    metadata = strict_app.url(METADATA_PATH)
    assert refused.headers.get_list("www-authenticate") == [
        f'DPoP algs="ES256 EdDSA PS256 RS256", resource_metadata="{metadata}"'
    ]
    assert refused.headers["dpop-nonce"]
    assert refused.json() == {"error_description": "An access token is required"}
    document = get(strict_app, METADATA_PATH).json()
    assert document["dpop_bound_access_tokens_required"] is True


def test_bearer_refused_when_dpop_is_required(
    strict_app: RunningApp, provider_dpop_nonce: RunningProvider
) -> None:
    token = client_credentials(provider_dpop_nonce)
    response = get(strict_app, "/me", token)
    assert response.status_code == 401
    metadata = strict_app.url(METADATA_PATH)
    assert response.headers.get_list("www-authenticate") == [
        'DPoP algs="ES256 EdDSA PS256 RS256", error="invalid_token", '
        'error_description="This resource requires DPoP-bound tokens", '
        f'resource_metadata="{metadata}"'
    ]


def _nonce_token(provider: RunningProvider, key: DPoPKey, resource: str = AUDIENCE) -> str:
    # the nonce provider wants a server nonce in the token request's proof too
    client = provider.client("client-dpop")
    assert client.client_secret is not None
    data = {"grant_type": "client_credentials", "scope": "api:read", "resource": resource}
    auth = (client.client_id, client.client_secret)
    first = httpx.post(
        provider.token_endpoint,
        data=data,
        headers={"DPoP": key.create_proof("POST", provider.token_endpoint)},
        auth=auth,
        timeout=10,
    )
    nonce = first.headers.get("dpop-nonce")
    assert first.status_code == 400 and nonce, first.text
    proof = key.create_proof("POST", provider.token_endpoint, nonce=nonce)
    second = httpx.post(
        provider.token_endpoint, data=data, headers={"DPoP": proof}, auth=auth, timeout=10
    )
    assert second.status_code == 200, second.text
    return str(second.json()["access_token"])


def test_dpop_with_the_servers_nonce(
    strict_app: RunningApp, provider_dpop_nonce: RunningProvider
) -> None:
    key = DPoPKey()
    token = _nonce_token(provider_dpop_nonce, key)
    first = _dpop_get(strict_app, "/me", token, key)
    assert first.status_code == 401
    assert first.json()["error"] == "use_dpop_nonce"
    nonce = first.headers["dpop-nonce"]
    assert 'error="use_dpop_nonce"' in first.headers["www-authenticate"]
    second = _dpop_get(strict_app, "/me", token, key, nonce=nonce)
    assert second.status_code == 200, second.text
    assert second.json()["token_type"] == "DPoP"
    assert second.json()["dpop_jkt"] == key.jwk_thumbprint


def test_trusted_proxy_url_is_believed_only_from_the_proxy(
    strict_app: RunningApp, provider_dpop_nonce: RunningProvider
) -> None:
    # The app trusts 127.0.0.1 as its proxy (see fastapi_test_app): a proof for the public
    # URL the proxy names is accepted.
    key = DPoPKey()
    token = _nonce_token(provider_dpop_nonce, key)
    nonce = _dpop_get(strict_app, "/me", token, key).headers["dpop-nonce"]
    public = "https://api.example.com/me"
    proof = key.create_proof("GET", public, access_token=token, nonce=nonce)
    response = httpx.get(
        strict_app.url("/me"),
        headers={
            "Authorization": f"DPoP {token}",
            "DPoP": proof,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "api.example.com",
        },
        timeout=10,
    )
    assert response.status_code == 200, response.text
    # two values (a client-supplied one appended by the proxy) are not believed
    proof = key.create_proof("GET", public, access_token=token, nonce=nonce)
    response = httpx.get(
        strict_app.url("/me"),
        headers={
            "Authorization": f"DPoP {token}",
            "DPoP": proof,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "api.example.com, evil.example",
        },
        timeout=10,
    )
    assert response.status_code == 401


def test_opaque_token_is_introspected(
    strict_app: RunningApp, provider_dpop_nonce: RunningProvider
) -> None:
    key = DPoPKey()
    token = _nonce_token(provider_dpop_nonce, key, resource="urn:test:api:opaque")
    nonce = _dpop_get(strict_app, "/me", token, key).headers["dpop-nonce"]
    response = _dpop_get(strict_app, "/me", token, key, nonce=nonce)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["is_opaque"] is True
    assert body["client_id"] == "client-dpop"


def test_claim_requirement(strict_app: RunningApp, provider_dpop_nonce: RunningProvider) -> None:
    key = DPoPKey()
    token = _nonce_token(provider_dpop_nonce, key)
    nonce = _dpop_get(strict_app, "/me", token, key).headers["dpop-nonce"]
    allowed = _dpop_get(strict_app, "/client-dpop-only", token, key, nonce=nonce)
    assert allowed.status_code == 200, allowed.text
    refused = _dpop_get(strict_app, "/client-basic-only", token, key, nonce=nonce)
    assert refused.status_code == 403, refused.text
    assert refused.json() == {
        "error": "access_denied",
        "error_description": "The access token lacks a claim this resource requires",
    }


def test_scopes_after_the_middleware(
    strict_app: RunningApp, provider_dpop_nonce: RunningProvider
) -> None:
    # The middleware consumed the proof; the route's Security scopes are judged on its
    # principal (a second validation would refuse the proof as a replay).
    key = DPoPKey()
    token = _nonce_token(provider_dpop_nonce, key)
    nonce = _dpop_get(strict_app, "/me", token, key).headers["dpop-nonce"]
    assert _dpop_get(strict_app, "/read", token, key, nonce=nonce).status_code == 200
    refused = _dpop_get(strict_app, "/write", token, key, nonce=nonce)
    assert refused.status_code == 403
    metadata = strict_app.url(METADATA_PATH)
    assert refused.headers.get_list("www-authenticate") == [
        'DPoP algs="ES256 EdDSA PS256 RS256", error="insufficient_scope", '
        'error_description="The access token lacks a required scope", scope="api:write", '
        f'resource_metadata="{metadata}"'
    ]


# --------------------------------------------------------------------------------------------
# Certificate-bound tokens (RFC 8705): the provider's TLS mode, the certificate forwarded by
# the trusted proxy (uvicorn does not pass the TLS peer certificate to the app).
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mtls_app(provider_mtls: RunningProvider) -> Iterator[RunningApp]:
    assert provider_mtls.tls is not None
    config = {
        "issuer": provider_mtls.issuer,
        "audience": [AUDIENCE],
        "dpop": "allowed",
        "ca_file": str(provider_mtls.tls.ca_file),
        "certificate_header": "X-Client-Cert",
        "additional_endpoint_base_addresses": [f"https://127.0.0.1:{provider_mtls.mtls_port}"],
    }
    env = {"FASTAPI_TEST_APP_CONFIG": json.dumps(config)}
    with serve_asgi_app(TEST_APP, "fastapi_test_app:app", env) as running:
        yield running


def _certificate_bound_token(provider: RunningProvider) -> str:
    tls = provider.tls
    assert tls is not None
    aliases = provider.metadata["mtls_endpoint_aliases"]
    context = ssl.create_default_context(cafile=str(tls.ca_file))
    context.load_cert_chain(str(tls.client.certificate), str(tls.client.private_key))
    response = httpx.post(
        aliases["token_endpoint"],
        data={"grant_type": "client_credentials", "scope": "api:read", "resource": AUDIENCE},
        auth=("client-mtls-bound", "client-mtls-bound-secret"),
        verify=context,
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def test_certificate_bound_token(mtls_app: RunningApp, provider_mtls: RunningProvider) -> None:
    assert provider_mtls.tls is not None
    token = _certificate_bound_token(provider_mtls)
    certificate = quote(provider_mtls.tls.client.pem)
    accepted = get(mtls_app, "/me", token, X_Client_Cert=certificate)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["certificate_thumbprint"] == decode_jwt(token)[1]["cnf"]["x5t#S256"]
    # without the certificate, or with another one, the binding fails
    for headers in ({}, {"X_Client_Cert": quote(provider_mtls.tls.other.pem)}):
        refused = get(mtls_app, "/me", token, **headers)
        assert refused.status_code == 401, refused.text
        assert refused.json() == {
            "error": "invalid_token",
            "error_description": (
                "The access token's certificate binding does not fit the client certificate"
            ),
        }
