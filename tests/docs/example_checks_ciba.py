"""Output checks of docs/examples/ciba_{sync,async}.py (see test_docs_examples)."""

from __future__ import annotations

from collections.abc import Callable

from tests.provider.fixture import RunningProvider


def check_ciba_sync(out: str, provider: RunningProvider) -> None:
    endpoint = provider.endpoint("backchannel_authentication_endpoint")
    assert f"backchannel_authentication_endpoint: {endpoint}\n" in out
    assert "delivery modes: ['poll']\n" in out
    assert "started: expires_in=600 interval=5\n" in out
    assert "first poll: is_successful=False error_code=authorization_pending\n" in out
    assert "tokens: token_type=Bearer expires_in=3600 scope=openid profile\n" in out
    assert "id token: sub=alice aud=client-ciba\n" in out
    assert "unknown user: error_code=unknown_user_id error_type=protocol\n" in out


def check_ciba_async(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "denied: is_successful=False error_code=access_denied\n" in out
    assert "short-lived: expires_in=1\n" in out
    assert "expired: is_successful=False error_code=expired_token\n" in out
    assert "two hints: ConfigurationException\n" in out


CHECKS: dict[str, Callable[[str, RunningProvider], None]] = {
    "ciba_sync": check_ciba_sync,
    "ciba_async": check_ciba_async,
}
