"""Dynamic client registration (RFC 7591) and management (RFC 7592) against the real
provider, through both shells (``api``): register → read → update (the registration
access token rotates; the old one stops working) → delete → read fails; an invalid
redirect URI is refused with the server's RFC 7591 §3.2.2 error."""

from __future__ import annotations

from typing import Any

from py_identity_model import (
    ClientDeleteRequest,
    ClientReadRequest,
    ClientRegistrationRequest,
    ClientUpdateRequest,
)
from tests.provider.fixture import RunningProvider


def _registration_endpoint(provider: RunningProvider) -> str:
    return str(provider.metadata["registration_endpoint"])


def test_register_read_update_delete(api: Any, provider: RunningProvider) -> None:
    redirect = f"{provider.issuer}/cb"
    registered = api.register_client(
        ClientRegistrationRequest(
            _registration_endpoint(provider),
            redirect_uris=[redirect],
            grant_types=["authorization_code"],
            client_name="lifecycle",
            token_endpoint_auth_method="client_secret_basic",
        )
    )
    assert registered.is_successful, registered.error
    assert registered.http_status == 201
    assert registered.client_id and registered.client_secret
    assert registered.client_secret_expires_at is not None
    assert registered.metadata is not None and registered.metadata["client_name"] == "lifecycle"
    token, uri = registered.registration_access_token, registered.registration_client_uri
    assert token and uri

    read = api.read_client(ClientReadRequest(uri, token))
    assert read.is_successful, read.error
    assert read.client_id == registered.client_id
    assert read.metadata is not None and read.metadata["redirect_uris"] == [redirect]

    updated = api.update_client(
        ClientUpdateRequest(
            uri,
            token,
            registered.client_id,
            redirect_uris=[redirect, f"{provider.issuer}/cb2"],
            grant_types=["authorization_code"],
            client_name="renamed",
            token_endpoint_auth_method="client_secret_basic",
            client_secret=registered.client_secret,
        )
    )
    assert updated.is_successful, updated.error
    assert updated.metadata is not None and updated.metadata["client_name"] == "renamed"
    new_token = updated.registration_access_token
    assert new_token and new_token != token

    stale = api.read_client(ClientReadRequest(uri, token))
    assert not stale.is_successful and stale.http_status == 401
    assert stale.error_code == "invalid_token"

    deleted = api.delete_client(ClientDeleteRequest(uri, new_token))
    assert deleted.is_successful, deleted.error
    assert deleted.http_status == 204

    gone = api.read_client(ClientReadRequest(uri, new_token))
    assert not gone.is_successful and gone.http_status == 401


def test_an_invalid_redirect_uri_is_the_servers_error(api: Any, provider: RunningProvider) -> None:
    response = api.register_client(
        ClientRegistrationRequest(
            _registration_endpoint(provider), redirect_uris=["https://app.example/cb#fragment"]
        )
    )
    assert not response.is_successful
    assert response.error_code in ("invalid_redirect_uri", "invalid_client_metadata")
    assert response.http_status == 400
