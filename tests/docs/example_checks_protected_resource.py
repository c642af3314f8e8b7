"""Output checks of docs/examples/protected_resource_{sync,async}.py (see test_docs_examples)."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.provider.fixture import RunningProvider

_API = r"http://127\.0\.0\.1:\d+/api/orders"
_METADATA = r"http://127\.0\.0\.1:\d+/\.well-known/oauth-protected-resource/api/orders"


def check_protected_resource_sync(out: str, provider: RunningProvider) -> None:
    assert re.search(rf"^GET {_API} -> 401$", out, re.MULTILINE), out
    assert "challenge: scheme=Bearer realm=orders\n" in out
    assert re.search(rf"^resource_metadata: {_METADATA}$", out, re.MULTILINE), out
    assert re.search(rf"^resource: {_API}$", out, re.MULTILINE), out
    assert f"authorization_servers: [{provider.issuer!r}]\n" in out
    assert "scopes_supported: ['api:read']\n" in out
    assert f"issuer: {provider.issuer}\n" in out
    assert f"token_endpoint: {provider.token_endpoint}\n" in out


def check_protected_resource_async(out: str, provider: RunningProvider) -> None:
    assert "challenges: ['Bearer', 'DPoP']\n" in out
    assert "DPoP algs: ['ES256']\n" in out
    assert re.search(rf"^metadata_url: {_METADATA}$", out, re.MULTILINE), out
    assert f"authorization_server: {provider.issuer}\n" in out
    assert f"issuer: {provider.issuer}\n" in out
    assert f"token_endpoint: {provider.token_endpoint}\n" in out


CHECKS: dict[str, Callable[[str, RunningProvider], None]] = {
    "protected_resource_sync": check_protected_resource_sync,
    "protected_resource_async": check_protected_resource_async,
}
