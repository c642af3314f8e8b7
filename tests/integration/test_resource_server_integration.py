"""The resource-server core against the real provider, through both shells (``api``).

Tokens come from the test provider (tests/provider): JWT access tokens (``at+jwt``) for
``urn:test:api`` by client credentials (``client-basic``); DPoP-bound ones (``client-dpop`` +
``DPoPKey``); opaque ones for ``urn:test:api:opaque``, introspected with ``client-basic``'s
own credentials; tokens of a second issuer (``provider_dpop_nonce``, the same signing keys,
another ``iss``); an expired copy re-signed with the provider's own test key. Each request
goes through ``ResourceServer.authenticate`` (sync) or ``aauthenticate`` (async).
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from py_identity_model import (
    DPoPKey,
    IncomingRequest,
    IntrospectionSettings,
    ResourceRejection,
    ResourceServer,
)
from py_identity_model.errors import ErrorCodes
from tests.integration.example_app_contract import client_credentials, expired_copy, tampered
from tests.provider.fixture import RunningProvider

AUDIENCE = "urn:test:api"
OPAQUE = "urn:test:api:opaque"
URL = "https://api.example.com/orders/42"


def authenticate(api: Any, rs: ResourceServer, req: IncomingRequest, **options: Any) -> Any:
    if api.is_async:
        return asyncio.run(rs.aauthenticate(req, **options))
    return rs.authenticate(req, **options)


def refused(
    api: Any, rs: ResourceServer, req: IncomingRequest, **options: Any
) -> ResourceRejection:
    with pytest.raises(ResourceRejection) as info:
        authenticate(api, rs, req, **options)
    return info.value


def bearer(token: str) -> IncomingRequest:
    return IncomingRequest("GET", URL, {"Authorization": f"Bearer {token}"})


def server(provider: RunningProvider, **options: Any) -> ResourceServer:
    options.setdefault("issuer", provider.issuer)
    options.setdefault("audience", AUDIENCE)
    return ResourceServer(**options)


def introspection(provider: RunningProvider, **options: Any) -> IntrospectionSettings:
    client = provider.client("client-basic")
    return IntrospectionSettings(
        provider.endpoint("introspection_endpoint"),
        client_id=client.client_id,
        client_secret=client.client_secret,
        **options,
    )


def test_a_provider_jwt_is_accepted_then_answered_from_the_cache(
    api: Any, provider: RunningProvider
) -> None:
    rs = server(provider)
    token = client_credentials(provider, scope="api:read api:write")
    principal = authenticate(api, rs, bearer(token), scopes=["api:write"])
    assert (principal.issuer, principal.client_id, principal.audience) == (
        provider.issuer, "client-basic", (AUDIENCE,),
    )  # fmt: skip
    assert principal.scopes >= {"api:read", "api:write"}
    assert not principal.is_opaque
    again = authenticate(api, rs, bearer(token))
    assert again.claims == principal.claims
    cache = rs.validated_token_cache
    assert cache is not None and cache.hits == 1


@pytest.mark.parametrize("case", ["expired", "tampered", "audience", "opaque-unconfigured"])
def test_provider_tokens_that_are_refused(api: Any, provider: RunningProvider, case: str) -> None:
    token = {
        "expired": lambda: expired_copy(client_credentials(provider)),
        "tampered": lambda: tampered(client_credentials(provider)),
        "audience": lambda: client_credentials(provider, resource="urn:test:api:rs256"),
        "opaque-unconfigured": lambda: client_credentials(provider, resource=OPAQUE),
    }[case]()
    rejection = refused(api, server(provider), bearer(token))
    assert (rejection.status, rejection.error) == (401, "invalid_token")
    values = [v for n, v in rejection.headers if n == "WWW-Authenticate"]
    assert values[0].startswith(f'Bearer realm="{AUDIENCE}", error="invalid_token"')
    assert token not in str(rejection.headers) and token not in rejection.description


def test_another_issuers_token_is_refused_and_accepted_when_configured(
    api: Any, provider: RunningProvider, provider_dpop_nonce: RunningProvider
) -> None:
    token = client_credentials(provider_dpop_nonce)
    rejection = refused(api, server(provider), bearer(token))
    assert (rejection.error, rejection.reason) == ("invalid_token", "invalid_issuer")
    both = ResourceServer(issuers=[provider.issuer, provider_dpop_nonce.issuer], audience=AUDIENCE)
    assert authenticate(api, both, bearer(token)).issuer == provider_dpop_nonce.issuer
    assert authenticate(api, both, bearer(client_credentials(provider))).issuer == provider.issuer


def test_missing_scope_is_403(api: Any, provider: RunningProvider) -> None:
    rejection = refused(
        api, server(provider), bearer(client_credentials(provider)), scopes=["api:write"]
    )
    assert (rejection.status, rejection.error) == (403, "insufficient_scope")
    assert 'scope="api:write"' in rejection.headers[0][1]


def test_step_up_for_a_token_without_acr(api: Any, provider: RunningProvider) -> None:
    rejection = refused(
        api, server(provider), bearer(client_credentials(provider)), acr_values=["urn:gold"]
    )
    assert (rejection.status, rejection.error) == (401, "insufficient_user_authentication")
    assert 'acr_values="urn:gold"' in rejection.headers[0][1]


def test_opaque_token_by_introspection(api: Any, provider: RunningProvider) -> None:
    # The provider's introspection answers aud = the opaque resource.
    settings = introspection(provider, max_ttl=0)
    rs = server(provider, audience=[AUDIENCE, OPAQUE], introspection=settings)
    token = client_credentials(provider, resource=OPAQUE)
    only_jwt_audience = server(provider, introspection=settings)
    assert refused(api, only_jwt_audience, bearer(token)).error == "invalid_token"
    principal = authenticate(api, rs, bearer(token))
    assert (principal.is_opaque, principal.client_id) == (True, "client-basic")
    assert "api:read" in principal.scopes
    client = provider.client("client-basic")
    assert client.client_secret is not None
    revoked = httpx.post(
        provider.endpoint("revocation_endpoint"),
        data={"token": token},
        auth=(client.client_id, client.client_secret),
        timeout=10,
    )
    assert revoked.status_code == 200
    rejection = refused(api, rs, bearer(token))
    assert (rejection.error, rejection.error_code) == (
        "invalid_token", ErrorCodes.ACCESS_TOKEN_INACTIVE,
    )  # fmt: skip
    garbage = refused(api, rs, bearer("not-a-token-the-provider-issued"))
    assert garbage.error == "invalid_token"


def test_introspection_with_wrong_client_credentials_is_503(
    api: Any, provider: RunningProvider
) -> None:
    settings = IntrospectionSettings(
        provider.endpoint("introspection_endpoint"), client_id="client-basic", client_secret="x"
    )
    rs = server(provider, introspection=settings)
    rejection = refused(api, rs, bearer(client_credentials(provider, resource=OPAQUE)))
    assert (rejection.status, rejection.error) == (503, "temporarily_unavailable")


def test_dpop_bound_provider_token(api: Any, provider: RunningProvider) -> None:
    rs = server(provider)
    key = DPoPKey()
    token = client_credentials(provider, client_id="client-dpop", dpop_key=key)
    proof = key.create_proof("GET", URL, access_token=token)
    lines = [("Authorization", f"DPoP {token}"), ("DPoP", proof)]
    principal = authenticate(api, rs, IncomingRequest("GET", URL, lines))
    assert (principal.token_type, principal.dpop_jkt) == ("DPoP", key.jwk_thumbprint)
    no_proof = IncomingRequest("GET", URL, {"Authorization": f"DPoP {token}"})
    assert refused(api, rs, no_proof).error == "invalid_dpop_proof"
    assert refused(api, rs, bearer(token)).error_code == "dpop_binding_mismatch"
    other = DPoPKey().create_proof("GET", URL, access_token=token)
    wrong_key = IncomingRequest("GET", URL, [("Authorization", f"DPoP {token}"), ("DPoP", other)])
    assert refused(api, rs, wrong_key).error == "invalid_dpop_proof"


def test_metadata_document_names_the_provider(provider: RunningProvider) -> None:
    rs = server(provider, scopes_supported=["api:read", "api:write"])
    document = rs.metadata_document()
    assert document["resource"] == AUDIENCE
    assert document["authorization_servers"] == [provider.issuer]
    assert document["scopes_supported"] == ["api:read", "api:write"]
