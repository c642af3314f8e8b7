"""Output checks of docs/examples/introspection_sync.py and introspection_async.py
(collected by tests/docs/test_docs_examples.py)."""

from __future__ import annotations

from collections.abc import Callable

from tests.provider.fixture import RunningProvider


def check_introspection_sync(out: str, provider: RunningProvider) -> None:
    issuer = provider.issuer
    assert f"issuer: {issuer}\n" in out
    assert "access token segments: 1\n" in out
    assert "active=True scope=api:read client_id=client-basic sub=None\n" in out
    assert "aud: urn:test:api:opaque\n" in out
    assert "lifetime: 3600 s\n" in out
    assert "jwt response: is_successful=True active=True\n" in out
    assert f"  signed for: client-basic by {issuer}\n" in out
    assert "revoked: is_successful=True http_status=200\n" in out
    assert "after revocation: is_successful=True active=False\n" in out
    assert "claims: {'active': False}\n" in out
    assert "revoke a JWT: error_code=unsupported_token_type error_type=protocol\n" in out
    assert "token=[redacted]" in out and "client_secret=[redacted]" in out
    assert "client-basic-secret" not in out


def check_introspection_async(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "verified=True active=True scopes=['api:read']\n" in out
    assert "verified=True active=True scopes=['api:write']\n" in out
    assert "verified=True active=True scopes=['api:read', 'api:write']\n" in out
    assert "verified=True active=False scopes=[]\n" in out
    assert "revoked: [True, True, True]\n" in out
    assert "active after revocation: [False, False, False]\n" in out


CHECKS: dict[str, Callable[[str, RunningProvider], None]] = {
    "introspection_async": check_introspection_async,
    "introspection_sync": check_introspection_sync,
}
