"""Output checks of docs/examples/dpop_sync.py and dpop_async.py (collected by
tests/docs/test_docs_examples.py)."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.provider.fixture import RunningProvider


def check_dpop_sync(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    assert "algorithm: ES256\n" in out
    assert "public jwk members: ['crv', 'kty', 'x', 'y']\n" in out
    assert re.search(r"^repr: DPoPKey\(algorithm='ES256', jkt='[\w-]{43}'\)$", out, re.M), out
    assert "token_type: DPoP\n" in out
    assert "cnf.jkt is the key's thumbprint: True\n" in out
    assert "nonce remembered for the origin: True\n" in out
    assert "second token: True DPoP\n" in out
    assert "round trips for two tokens: 2\n" in out
    assert "first proof had a nonce: False\n" in out
    assert "second proof carried the remembered nonce: True\n" in out
    assert "from encrypted PEM, same key: True\n" in out
    assert "from JWK: ES256 True\n" in out
    assert "RSA PEM without algorithm: an RSA key can sign with any of ['PS256'," in out
    assert "headers: ['Authorization', 'DPoP']\n" in out
    assert "proof typ and alg: dpop+jwt ES256\n" in out
    assert "proof claims: ['ath', 'htm', 'htu', 'iat', 'jti']\n" in out
    assert "htu: https://api.example.com/orders\n" in out  # no query
    assert "ath is the token's hash: True\n" in out
    assert "BEGIN" not in out and '"d"' not in out  # no private key material is printed


def check_dpop_async(out: str, provider: RunningProvider) -> None:
    assert f"issuer: {provider.issuer}\n" in out
    for alg in ("ES256", "PS256", "EdDSA"):
        assert f"{alg}: token_type=DPoP bound to the key: True\n" in out, alg
    assert "origins remembered: 1\n" in out
    assert "restored key: DPoP True\n" in out


CHECKS: dict[str, Callable[[str, RunningProvider], None]] = {
    "dpop_async": check_dpop_async,
    "dpop_sync": check_dpop_sync,
}
