"""RFC 8705 §5: which URL a client calls, with and without a certificate (one rule)."""

from __future__ import annotations

import pytest
from tests.provider.tls import TlsMaterial

from py_identity_model import (
    Client,
    ClientCertificate,
    ClientSecretBasic,
    ConfigurationException,
    DiscoveryDocumentResponse,
    MtlsClientAuth,
    endpoint_for_client,
    resolve_mtls_endpoint,
)
from py_identity_model.mtls.aliases import MTLS_ALIAS_ENDPOINTS, select_endpoint

ISSUER = "https://login.example.com"
MTLS = "https://mtls.login.example.com"
METADATA = {
    "issuer": ISSUER,
    "jwks_uri": f"{ISSUER}/jwks",
    "authorization_endpoint": f"{ISSUER}/authorize",
    "token_endpoint": f"{ISSUER}/token",
    "introspection_endpoint": f"{ISSUER}/introspect",
    "revocation_endpoint": f"{ISSUER}/revoke",
    "userinfo_endpoint": f"{ISSUER}/userinfo",
    "pushed_authorization_request_endpoint": f"{ISSUER}/par",
    "mtls_endpoint_aliases": {
        "token_endpoint": f"{MTLS}/token",
        "introspection_endpoint": f"{MTLS}/introspect",
        "userinfo_endpoint": f"{MTLS}/userinfo",
        "pushed_authorization_request_endpoint": f"{MTLS}/par",
        # not aliasable: ignored
        "jwks_uri": f"{MTLS}/jwks",
        "authorization_endpoint": f"{MTLS}/authorize",
    },
}


def document(metadata: dict[str, object] = METADATA) -> DiscoveryDocumentResponse:
    return DiscoveryDocumentResponse(
        True,
        json=dict(metadata),
        token_endpoint=metadata.get("token_endpoint"),  # type: ignore[arg-type]
        mtls_endpoint_aliases=metadata.get("mtls_endpoint_aliases"),  # type: ignore[arg-type]
    )


def test_with_a_certificate_the_alias_when_listed() -> None:
    disco = document()
    assert select_endpoint(disco, "token_endpoint", mtls=True) == f"{MTLS}/token"
    assert select_endpoint(disco, "userinfo_endpoint", mtls=True) == f"{MTLS}/userinfo"
    # no alias listed: the conventional endpoint (RFC 8705 §5)
    assert select_endpoint(disco, "revocation_endpoint", mtls=True) == f"{ISSUER}/revoke"


def test_without_a_certificate_never_an_alias() -> None:
    disco = document()
    for name in METADATA["mtls_endpoint_aliases"]:  # type: ignore[attr-defined]
        assert select_endpoint(disco, name, mtls=False) == METADATA[name]


def test_only_the_rfc8705_endpoints_are_aliased() -> None:
    disco = document()
    assert select_endpoint(disco, "jwks_uri", mtls=True) == f"{ISSUER}/jwks"
    assert select_endpoint(disco, "authorization_endpoint", mtls=True) == f"{ISSUER}/authorize"
    assert "jwks_uri" not in MTLS_ALIAS_ENDPOINTS
    assert "pushed_authorization_request_endpoint" in MTLS_ALIAS_ENDPOINTS


def test_missing_endpoints_and_aliases() -> None:
    disco = document({"issuer": ISSUER})
    assert select_endpoint(disco, "token_endpoint", mtls=True) is None
    assert select_endpoint(disco, "token_endpoint", mtls=False) is None
    broken = document({**METADATA, "mtls_endpoint_aliases": {"token_endpoint": 42}})
    assert select_endpoint(broken, "token_endpoint", mtls=True) == f"{ISSUER}/token"


def test_a_document_built_in_code() -> None:
    disco = DiscoveryDocumentResponse(
        True,
        token_endpoint=f"{ISSUER}/token",
        mtls_endpoint_aliases={"token_endpoint": f"{MTLS}/token"},
    )
    assert resolve_mtls_endpoint(disco, "token_endpoint") == f"{MTLS}/token"
    assert select_endpoint(disco, "token_endpoint", mtls=False) == f"{ISSUER}/token"
    assert select_endpoint(disco, "get", mtls=False) is None  # a method is no endpoint


def test_resolve_mtls_endpoint_is_the_4x_helper() -> None:
    disco = document()
    assert resolve_mtls_endpoint(disco, "token_endpoint") == f"{MTLS}/token"
    assert resolve_mtls_endpoint(disco, "revocation_endpoint") == f"{ISSUER}/revoke"


def test_misuse() -> None:
    disco = document()
    for name in ("", None, 42):
        with pytest.raises(ConfigurationException, match="name"):
            select_endpoint(disco, name, mtls=True)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationException, match="mtls"):
        select_endpoint(disco, "token_endpoint", mtls="yes")  # type: ignore[arg-type]


def test_endpoint_for_client_follows_the_certificate(certs: TlsMaterial) -> None:
    disco = document()
    files = certs.client
    certificate = ClientCertificate(str(files.certificate), str(files.private_key))
    clients = {
        "tls_client_auth": Client(
            "a", MtlsClientAuth(str(files.certificate), str(files.private_key))
        ),
        "secret + certificate": Client("b", ClientSecretBasic("s"), certificate=certificate),
        "public + certificate": Client("c", certificate=certificate),
    }
    for label, client in clients.items():
        assert endpoint_for_client(disco, "token_endpoint", client) == f"{MTLS}/token", label
        assert endpoint_for_client(disco, "jwks_uri", client) == f"{ISSUER}/jwks", label
    for client in (Client("d"), Client("e", ClientSecretBasic("s"))):
        assert endpoint_for_client(disco, "token_endpoint", client) == f"{ISSUER}/token"
