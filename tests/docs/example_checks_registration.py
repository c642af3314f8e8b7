"""Output checks of docs/examples/registration_sync.py and registration_async.py (collected
by tests/docs/test_docs_examples.py). Registration is open at the test provider."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.provider.fixture import RunningProvider


def check_registration_sync(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "registered: http_status=201 has client_id: True\n" in out
    assert "client_secret issued: True\n" in out
    assert "client_secret_expires_at: 0\n" in out
    assert "metadata id_token_signed_response_alg: ES256\n" in out
    response = re.search(r"^response: (.*)$", out, re.MULTILINE)
    assert response, out
    for hidden in ("client_secret", "registration_access_token", "metadata", "raw", "json"):
        assert f"{hidden}=[redacted]" in response.group(1), hidden
    assert f"registration_client_uri='{provider.issuer}/reg/" in response.group(1)
    assert "read: is_successful=True client_name: Docs example\n" in out
    assert (
        "updated redirect_uris: ['http://127.0.0.1:8400/callback', "
        "'http://127.0.0.1:8400/second']\n"
    ) in out
    assert "registration access token rotated: True\n" in out
    assert "read with the old token: http_status=401 error_code=invalid_token\n" in out
    assert "deleted: is_successful=True http_status=204\n" in out
    assert "read after delete: is_successful=False http_status=401\n" in out
    assert "bad redirect URI: error_code=invalid_redirect_uri http_status=400\n" in out


def check_registration_async(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "registered: [True, True, True]\n" in out
    assert "distinct client_ids: 3\n" in out
    assert "tokens: [True, True, True]\n" in out
    assert "deleted: [204, 204, 204]\n" in out
    assert "tokens after delete: ['invalid_client', 'invalid_client', 'invalid_client']\n" in out


CHECKS: dict[str, Callable[[str, RunningProvider], None]] = {
    "registration_async": check_registration_async,
    "registration_sync": check_registration_sync,
}
