"""What every example API (examples/<framework>_app) must answer, over real HTTP.

:class:`ExampleAppContract` holds the tests; ``test_flask_integration.py`` and
``test_django_integration.py`` subclass it with a module fixture ``app`` that serves their
example under its real server process (``example_app_server.serve_example``).

Tokens come from the real test provider: JWT access tokens (``at+jwt``) for ``urn:test:api``
by client credentials (``client-basic``); DPoP-bound ones (``client-dpop`` + ``DPoPKey``); one
of another issuer (``provider_dpop_nonce``: a second instance with the same signing keys, so
only ``iss`` differs); one for another resource (wrong audience); an opaque one (the examples
configure no introspection, so it is refused); an expired one signed with the provider's own
test key (``tests/provider/keys.json``: the provider only issues 3600 s tokens).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx

from py_identity_model import DPoPKey
from tests.integration.example_app_server import RunningApp
from tests.provider.fixture import RunningProvider
from tests.provider.jws import b64url, b64url_decode, decode_jwt, sign_jwt

ROOT = Path(__file__).resolve().parents[2]
AUDIENCE = "urn:test:api"
SCOPE = "api:write"
PROVIDER_KEYS = json.loads((ROOT / "tests" / "provider" / "keys.json").read_text("utf-8"))["keys"]
METADATA_PATH = "/.well-known/oauth-protected-resource"


def example_env(provider: RunningProvider) -> dict[str, str]:
    return {
        "OIDC_AUTHORITY": provider.issuer,
        "OIDC_AUDIENCE": AUDIENCE,
        "OIDC_REQUIRED_SCOPE": SCOPE,
    }


def client_credentials(
    provider: RunningProvider,
    *,
    scope: str = "api:read",
    resource: str = AUDIENCE,
    client_id: str = "client-basic",
    dpop_key: DPoPKey | None = None,
) -> str:
    client = provider.client(client_id)
    assert client.client_secret is not None
    headers = {}
    if dpop_key is not None:
        headers["DPoP"] = dpop_key.create_proof("POST", provider.token_endpoint)
    response = httpx.post(
        provider.token_endpoint,
        data={"grant_type": "client_credentials", "scope": scope, "resource": resource},
        headers=headers,
        auth=(client.client_id, client.client_secret),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == ("DPoP" if dpop_key else "Bearer")
    return str(body["access_token"])


def expired_copy(token: str) -> str:
    """``token`` re-signed by the provider's own key with ``exp`` an hour ago."""
    header, claims = decode_jwt(token)
    key = next(k for k in PROVIDER_KEYS if k["kid"] == header["kid"])
    now = int(time.time())
    claims.update(iat=now - 7200, nbf=now - 7200, exp=now - 3600)
    return sign_jwt(claims, key, header["alg"], {"typ": header["typ"]})


def tampered(token: str) -> str:
    """``token`` with one claim changed and the signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(b64url_decode(payload))
    claims["scope"] = "api:read api:write admin"
    return f"{header}.{b64url(json.dumps(claims).encode())}.{signature}"


def get(app: RunningApp, path: str, token: str | None = None, **headers: str) -> httpx.Response:
    sent = {name.replace("_", "-"): value for name, value in headers.items()}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    return httpx.get(app.url(path), headers=sent, timeout=10)


def challenge(response: httpx.Response) -> str:
    """The ``WWW-Authenticate`` challenges, one comma-joined value (RFC 9110 §5.3)."""
    return ", ".join(response.headers.get_list("www-authenticate"))


def expected_challenge(app: RunningApp, **params: str) -> str:
    """The core's challenge for the example: Bearer then DPoP, the same parameters in each."""
    metadata = app.url(METADATA_PATH)
    extra = "".join(f', {name}="{value}"' for name, value in params.items())
    return (
        f'Bearer realm="{AUDIENCE}"{extra}, resource_metadata="{metadata}", '
        f'DPoP algs="ES256 EdDSA PS256 RS256"{extra}, resource_metadata="{metadata}"'
    )


class ExampleAppContract:
    """The tests every example runs; subclasses provide the ``app`` fixture."""

    def test_health_is_public(self, app: RunningApp) -> None:
        response = get(app, "/health")
        assert (response.status_code, response.json()) == (200, {"status": "ok"})

    def test_metadata_document(self, app: RunningApp, provider: RunningProvider) -> None:
        response = get(app, METADATA_PATH)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")
        document: dict[str, Any] = response.json()
        assert document["resource"] == AUDIENCE
        assert document["authorization_servers"] == [provider.issuer]
        assert document["bearer_methods_supported"] == ["header"]

    def test_no_token_is_a_bare_challenge(self, app: RunningApp) -> None:
        response = get(app, "/me")
        assert response.status_code == 401
        assert challenge(response) == expected_challenge(app)
        assert "error=" not in challenge(response)

    def test_valid_token_gives_its_claims(self, app: RunningApp, provider: RunningProvider) -> None:
        token = client_credentials(provider)
        response = get(app, "/me", token)
        assert response.status_code == 200, response.text
        claims = response.json()
        assert (claims["iss"], claims["aud"], claims["client_id"]) == (
            provider.issuer, AUDIENCE, "client-basic",
        )  # fmt: skip
        assert claims == decode_jwt(token)[1]

    def test_admin_with_the_scope(self, app: RunningApp, provider: RunningProvider) -> None:
        token = client_credentials(provider, scope="api:read api:write")
        response = get(app, "/admin", token)
        assert response.status_code == 200, response.text
        assert response.json()["scopes"] == ["api:read", "api:write"]

    def test_missing_scope_is_403_insufficient_scope(
        self, app: RunningApp, provider: RunningProvider
    ) -> None:
        response = get(app, "/admin", client_credentials(provider))
        assert response.status_code == 403
        assert challenge(response) == expected_challenge(
            app,
            error="insufficient_scope",
            error_description="The access token lacks a required scope",
            scope=SCOPE,
        )
        assert response.json()["error"] == "insufficient_scope"

    def _assert_invalid_token(self, app: RunningApp, response: httpx.Response) -> None:
        assert response.status_code == 401, response.text
        value = challenge(response)
        assert value.startswith(f'Bearer realm="{AUDIENCE}", error="invalid_token"'), value
        assert response.json()["error"] == "invalid_token"

    def test_tampered_token(self, app: RunningApp, provider: RunningProvider) -> None:
        response = get(app, "/me", tampered(client_credentials(provider)))
        self._assert_invalid_token(app, response)

    def test_expired_token(self, app: RunningApp, provider: RunningProvider) -> None:
        response = get(app, "/me", expired_copy(client_credentials(provider)))
        self._assert_invalid_token(app, response)

    def test_wrong_audience(self, app: RunningApp, provider: RunningProvider) -> None:
        token = client_credentials(provider, resource="urn:test:api:rs256")
        self._assert_invalid_token(app, get(app, "/me", token))

    def test_wrong_issuer(self, app: RunningApp, provider_dpop_nonce: RunningProvider) -> None:
        token = client_credentials(provider_dpop_nonce)
        self._assert_invalid_token(app, get(app, "/me", token))

    def test_opaque_token_without_introspection(
        self, app: RunningApp, provider: RunningProvider
    ) -> None:
        token = client_credentials(provider, resource="urn:test:api:opaque")
        self._assert_invalid_token(app, get(app, "/me", token))

    def test_dpop_bound_token_with_its_proof(
        self, app: RunningApp, provider: RunningProvider
    ) -> None:
        key = DPoPKey()
        token = client_credentials(provider, client_id="client-dpop", dpop_key=key)
        proof = key.create_proof("GET", app.url("/me"), access_token=token)
        response = httpx.get(
            app.url("/me"), headers={"Authorization": f"DPoP {token}", "DPoP": proof}, timeout=10
        )
        assert response.status_code == 200, response.text
        assert response.json()["cnf"] == {"jkt": key.jwk_thumbprint}

    def test_dpop_bound_token_without_a_proof(
        self, app: RunningApp, provider: RunningProvider
    ) -> None:
        key = DPoPKey()
        token = client_credentials(provider, client_id="client-dpop", dpop_key=key)
        response = httpx.get(app.url("/me"), headers={"Authorization": f"DPoP {token}"}, timeout=10)
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_dpop_proof"

    def test_dpop_bound_token_as_bearer(self, app: RunningApp, provider: RunningProvider) -> None:
        key = DPoPKey()
        token = client_credentials(provider, client_id="client-dpop", dpop_key=key)
        self._assert_invalid_token(app, get(app, "/me", token))

    def test_dpop_proof_for_another_url(self, app: RunningApp, provider: RunningProvider) -> None:
        key = DPoPKey()
        token = client_credentials(provider, client_id="client-dpop", dpop_key=key)
        proof = key.create_proof("GET", app.url("/admin"), access_token=token)
        response = httpx.get(
            app.url("/me"), headers={"Authorization": f"DPoP {token}", "DPoP": proof}, timeout=10
        )
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_dpop_proof"

    def test_forwarded_host_is_not_believed(
        self, app: RunningApp, provider: RunningProvider
    ) -> None:
        # A proof for the URL an X-Forwarded-Host claims: the app trusts no proxy, so the
        # URL is the one it was reached at and the proof does not match.
        key = DPoPKey()
        token = client_credentials(provider, client_id="client-dpop", dpop_key=key)
        proof = key.create_proof("GET", "http://api.example.com/me", access_token=token)
        response = httpx.get(
            app.url("/me"),
            headers={
                "Authorization": f"DPoP {token}",
                "DPoP": proof,
                "X-Forwarded-Host": "api.example.com",
                "X-Forwarded-Proto": "http",
            },
            timeout=10,
        )
        assert response.status_code == 401
