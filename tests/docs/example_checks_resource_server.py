"""Output checks of docs/examples/resource_server_sync.py and resource_server_async.py
(collected by tests/docs/test_docs_examples.py): provider tokens judged by ResourceServer."""

from __future__ import annotations

from collections.abc import Callable

from tests.provider.fixture import RunningProvider

META = 'resource_metadata="https://orders.example.com/.well-known/oauth-protected-resource"'


def check_resource_server_sync(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "JWT: 200 JWT client=client-basic scopes=['api:read']\n" in out
    assert "again (from the cache): 200 JWT client=client-basic scopes=['api:read']\n" in out
    assert "cache hits: 1\n" in out
    assert (
        "no token: 401 {'error_description': 'An access token is required'} | "
        f'Bearer realm="urn:test:api", {META}\n'
    ) in out
    assert (
        "missing scope: 403 {'error': 'insufficient_scope', 'error_description': "
        "'The access token lacks a required scope'} | Bearer realm=\"urn:test:api\", "
        'error="insufficient_scope", error_description="The access token lacks a required '
        f'scope", scope="api:write", {META}\n'
    ) in out
    assert "tampered: 401 {'error': 'invalid_token'" in out
    assert "opaque: 200 opaque client=client-basic scopes=['api:read']\n" in out
    assert (
        "metadata at /.well-known/oauth-protected-resource {'resource': 'urn:test:api', "
        f"'authorization_servers': ['{provider.issuer}'], "
        "'scopes_supported': ['api:read', 'api:write'], 'bearer_methods_supported': ['header']"
    ) in out


def check_resource_server_async(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "token_type: DPoP\n" in out
    assert "with a proof: 200 DPoP jkt=True\n" in out
    assert "without a proof: 401 invalid_dpop_proof\n" in out
    assert "as Bearer: 401 invalid_token\n" in out
    assert "20 concurrent requests: ['200 DPoP jkt=True']\n" in out
    assert "step-up: 401 insufficient_user_authentication\n" in out


CHECKS: dict[str, Callable[[str, RunningProvider], None]] = {
    "resource_server_async": check_resource_server_async,
    "resource_server_sync": check_resource_server_sync,
}
