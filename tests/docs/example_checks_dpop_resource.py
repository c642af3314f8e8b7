"""Output checks of docs/examples/dpop_resource_sync.py and dpop_resource_async.py (collected
by tests/docs/test_docs_examples.py): a DPoP-bound token from ``client-dpop`` presented to
the example's resource server."""

from __future__ import annotations

from collections.abc import Callable

from tests.provider.fixture import RunningProvider


def check_dpop_resource_sync(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "token_type: DPoP\n" in out
    assert "DPoP request: 200 {'X-Subject': 'client-dpop'}\n" in out
    assert "  refused: dpop_proof_replayed: DPoP proof: replayed" in out
    assert '  status: 401 DPoP error="invalid_dpop_proof"\n' in out
    assert "  refused: dpop_binding_mismatch: a DPoP-bound access token must be presented" in out
    assert "  refused: invalid_dpop_proof: DPoP proof: htu is not the request URL" in out
    assert "  refused: dpop_binding_mismatch: DPoP proof: the proof key is not the key" in out
    assert out.count("  status: 401") == 4, out


def check_dpop_resource_async(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert 'without a nonce: 401 DPoP error="use_dpop_nonce"\n' in out
    assert "DPoP-Nonce received: True\n" in out
    assert "with the nonce: 200\n" in out
    assert "concurrent requests: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]\n" in out
    assert "no DPoP header: 401\n" in out


CHECKS: dict[str, Callable[[str, RunningProvider], None]] = {
    "dpop_resource_async": check_dpop_resource_async,
    "dpop_resource_sync": check_dpop_resource_sync,
}
