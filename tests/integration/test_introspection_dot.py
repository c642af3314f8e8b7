"""Introspection (RFC 7662) and revocation (RFC 7009) against django-oauth-toolkit, a second,
independent provider whose access tokens are opaque (tests/provider_dot), both shells.

DOT serves ``/o/introspect/`` and ``/o/revoke_token/`` (from ``oauth2_provider.urls``) but does
not list them in its discovery document, so the addresses are built from the issuer. Its
introspection accepts a confidential client's credentials (Basic or in the body).
"""

from __future__ import annotations

from typing import Any

import pytest

from py_identity_model import (
    ClientCredentialsTokenRequest,
    TokenIntrospectionRequest,
    TokenRevocationRequest,
)
from tests.provider_dot.fixture import RunningDotProvider


def _opaque_token(api: Any, dot: RunningDotProvider) -> str:
    client = dot.client("dot-cc")
    response = api.request_client_credentials_token(
        ClientCredentialsTokenRequest(
            dot.token_endpoint, client.client_id, client.client_secret, scope="read write"
        )
    )
    assert response.is_successful, (response.error, response.error_description)
    return str(response.access_token)


def _introspect(api: Any, dot: RunningDotProvider, token: str, **extra: Any) -> Any:
    client = dot.client("dot-cc")
    extra.setdefault("client_secret", client.client_secret)
    request = TokenIntrospectionRequest(
        f"{dot.issuer}/introspect/", token, client.client_id, **extra
    )
    return api.introspect_token(request)


@pytest.mark.parametrize("method", [None, "client_secret_post"])
def test_introspect_opaque_token(api: Any, dot_provider: RunningDotProvider, method: Any) -> None:
    token = _opaque_token(api, dot_provider)
    response = _introspect(
        api, dot_provider, token, token_type_hint="access_token", client_auth_method=method
    )
    assert response.is_successful, (response.error_code, response.error)
    assert response.active is True
    assert response.scopes == ("read", "write")
    assert response.client_id == dot_provider.client("dot-cc").client_id
    assert response.exp is not None


def test_unknown_token_is_inactive(api: Any, dot_provider: RunningDotProvider) -> None:
    response = _introspect(api, dot_provider, "never-issued-by-dot")
    assert response.is_successful, (response.error_code, response.error)
    assert response.claims == {"active": False}
    assert response.active is False


def test_wrong_secret_is_refused(api: Any, dot_provider: RunningDotProvider) -> None:
    response = _introspect(api, dot_provider, "whatever", client_secret="wrong")
    assert response.is_successful is False
    assert response.error
    assert response.http_status in (401, 403)


def test_revoked_token_is_inactive(api: Any, dot_provider: RunningDotProvider) -> None:
    token = _opaque_token(api, dot_provider)
    client = dot_provider.client("dot-cc")
    revoked = api.revoke_token(
        TokenRevocationRequest(
            f"{dot_provider.issuer}/revoke_token/",
            token,
            client.client_id,
            "access_token",
            client.client_secret,
        )
    )
    assert revoked.is_successful, (revoked.error_code, revoked.error)
    assert revoked.http_status == 200
    after = _introspect(api, dot_provider, token)
    assert after.is_successful, after.error
    assert after.active is False
