"""Output checks of docs/examples/mtls_sync.py and mtls_async.py (collected by
tests/docs/test_docs_examples.py). They run against the provider's TLS mode
(``provider_mtls``) and get its alias base address, CA bundle and ``client-mtls``'s
certificate and key as arguments (``EXTRA_ARGS``)."""

from __future__ import annotations

from collections.abc import Callable

from tests.provider.fixture import RunningProvider


def tls_arguments(provider: RunningProvider) -> list[str]:
    assert provider.tls is not None
    return [
        f"https://127.0.0.1:{provider.mtls_port}",
        str(provider.tls.ca_file),
        str(provider.tls.client.certificate),
        str(provider.tls.client.private_key),
    ]


def check_mtls_sync(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "certificate-bound tokens: True\n" in out
    assert "token endpoint is the mTLS alias: True\n" in out
    assert "jwks_uri stays conventional: True\n" in out
    assert "token_type: Bearer\n" in out
    assert "cnf x5t#S256 is the certificate's thumbprint: True\n" in out
    assert "binding with the client's certificate: accepted\n" in out
    assert (
        "binding with another certificate: rejected "
        "error_code=certificate_binding_mismatch error=invalid_token\n"
    ) in out
    assert "binding without a certificate: rejected error_code=missing_client_certificate\n" in out
    assert "no certificate: error_code=invalid_client http_status=401\n" in out
    assert "unexpectedly" not in out


def check_mtls_async(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "token: is_successful=True at /token\n" in out
    assert "introspection: active = True\n" in out
    assert "bound to the presented certificate: True\n" in out
    assert "revocation: is_successful = True\n" in out
    assert "after revocation: active = False\n" in out
    assert "untrusted server certificate: error_code=tls_error error_type=network\n" in out


CHECKS: dict[str, Callable[[str, RunningProvider], None]] = {
    "mtls_async": check_mtls_async,
    "mtls_sync": check_mtls_sync,
}
EXTRA_ARGS: dict[str, Callable[[RunningProvider], list[str]]] = {
    "mtls_async": tls_arguments,
    "mtls_sync": tls_arguments,
}
PROVIDER_FIXTURES: dict[str, str] = {"mtls_async": "provider_mtls", "mtls_sync": "provider_mtls"}
