"""Output checks of docs/examples/par_sync.py and par_async.py (collected by
tests/docs/test_docs_examples.py)."""

from __future__ import annotations

from collections.abc import Callable

from tests.provider.fixture import RunningProvider


def check_par_sync(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "PAR required for every client: False\n" in out
    assert "pushed: http_status=201 expires_in=60\n" in out
    assert "request_uri is a URN: True\n" in out
    assert "usable for another 30 s: True\n" in out
    assert "browser URL parameters: ['client_id', 'request_uri']\n" in out
    assert "JAR URL parameters: ['client_id', 'request', 'response_type', 'scope']\n" in out
    assert "request object pushed: is_successful=True\n" in out
    assert "encrypted: segments=5 alg=A256KW enc=A256GCM\n" in out
    assert "wrong secret: error_code=invalid_client http_status=401\n" in out
    assert "request_uri=[redacted]" in out and "urn:ietf:params:oauth:request_uri:" not in out


def check_par_async(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "login URL parameters: ['client_id', 'request_uri']\n" in out
    assert "pushed: [True, True, True]\n" in out
    assert "distinct request_uris: 3\n" in out
    assert "details pushed: is_successful=True\n" in out
    assert "granted: [('payment_initiation', '123.50')]\n" in out
    assert "unregistered type: error_code=invalid_authorization_details\n" in out


CHECKS: dict[str, Callable[[str, RunningProvider], None]] = {
    "par_async": check_par_async,
    "par_sync": check_par_sync,
}
