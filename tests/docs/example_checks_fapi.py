"""Output checks of docs/examples/fapi_sync.py and fapi_async.py (collected by
tests/docs/test_docs_examples.py)."""

from __future__ import annotations

from collections.abc import Callable

from tests.provider.fixture import RunningProvider


def check_fapi_sync(out: str, provider: RunningProvider) -> None:
    assert "browser URL parameters: ['client_id', 'request_uri']\n" in out
    assert "token_type: DPoP\n" in out
    assert "ID token alg: PS256\n" in out
    assert "userinfo sub: alice\n" in out
    assert "shared secret: refused (FAPI 2.0 Security Profile §5.3.2.1)\n" in out
    assert "no DPoP key: refused (FAPI 2.0 Security Profile §5.3.2.1)\n" in out
    assert "RS256 ID tokens: refused (FAPI 2.0 Security Profile §5.4.1)\n" in out


def check_fapi_async(out: str, provider: RunningProvider) -> None:
    assert "logged in: alice\n" in out
    assert "signed userinfo: True\n" in out
    assert "unsigned introspection: refused (FAPI 2.0 Message Signing §5.5)\n" in out
    assert "signed introspection: active=True bound=['jkt']\n" in out


CHECKS: dict[str, Callable[[str, RunningProvider], None]] = {
    "fapi_async": check_fapi_async,
    "fapi_sync": check_fapi_sync,
}
