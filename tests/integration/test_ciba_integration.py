"""CIBA (poll mode) against the real provider, through both shells (``api``).

The provider's ``/test/ciba/approve`` and ``/test/ciba/deny`` routes play the user's
authentication device (tests/provider/README.md). Covered: start → authorization_pending →
approve → tokens (and a valid ID token); deny → access_denied; a short requested_expiry →
expired_token; binding_message and user_code reach the device; unknown users, a wrong client
secret and a refused binding message are the server's errors; a signed request object.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from py_identity_model import (
    BackchannelAuthenticationRequest,
    BackchannelTokenRequest,
    ErrorType,
    TokenValidationConfig,
)
from tests.provider.fixture import RunningProvider
from tests.provider.jws import sign_jwt

CLIENT = "client-ciba"


def _start(api: Any, provider: RunningProvider, **options: Any) -> Any:
    client = provider.client(CLIENT)
    scope = options.pop("scope", "openid profile")
    request = BackchannelAuthenticationRequest(
        provider.endpoint("backchannel_authentication_endpoint"),
        client.client_id,
        scope,
        options.pop("client_secret", client.client_secret),
        **options,
    )
    return api.request_backchannel_authentication(request)


def _poll(api: Any, provider: RunningProvider, auth_req_id: str) -> Any:
    client = provider.client(CLIENT)
    request = BackchannelTokenRequest(
        provider.token_endpoint, client.client_id, auth_req_id, client.client_secret
    )
    return api.poll_backchannel_token(request)


def _device(provider: RunningProvider, action: str, auth_req_id: str) -> None:
    answer = httpx.post(provider.url(f"/test/ciba/{action}"), data={"auth_req_id": auth_req_id})
    assert answer.status_code == 200, answer.text


def _shown(provider: RunningProvider, auth_req_id: str) -> dict[str, Any]:
    requests = httpx.get(provider.url("/test/ciba/requests")).json()["requests"]
    return next(r for r in requests if r["auth_req_id"] == auth_req_id)


def test_discovery_advertises_ciba_poll_mode(provider: RunningProvider) -> None:
    assert provider.metadata["backchannel_authentication_endpoint"]
    assert provider.metadata["backchannel_token_delivery_modes_supported"] == ["poll"]
    assert "urn:openid:params:grant-type:ciba" in provider.metadata["grant_types_supported"]


def test_start_pending_approve_tokens(api: Any, provider: RunningProvider) -> None:
    started = _start(api, provider, login_hint="alice", binding_message="W4SCT", user_code="42")
    assert started.is_successful, started.error
    assert started.auth_req_id
    assert 0 < started.expires_in <= 600
    assert started.interval == 5  # the provider sends none: CIBA §7.3 default
    assert started.expires_at == pytest.approx(time.time() + started.expires_in, abs=5)
    shown = _shown(provider, started.auth_req_id)
    assert shown["account_id"] == "alice"
    assert shown["binding_message"] == "W4SCT"
    assert shown["user_code"] == "42"
    assert shown["scope"] == "openid profile"

    pending = _poll(api, provider, started.auth_req_id)
    assert pending.is_successful is False
    assert pending.error_code == "authorization_pending"
    assert pending.error_type is ErrorType.PROTOCOL

    _device(provider, "approve", started.auth_req_id)
    done = _poll(api, provider, started.auth_req_id)
    assert done.is_successful, done.error
    assert done.access_token and done.token_type
    assert done.id_token

    claims = api.validate_id_token(
        done.id_token,
        TokenValidationConfig(perform_disco=True, audience=CLIENT),
        provider.issuer,
    )
    assert claims["sub"] == "alice"
    assert claims["iss"] == provider.issuer

    again = _poll(api, provider, started.auth_req_id)  # auth_req_id is single-use
    assert again.is_successful is False
    assert again.error_code == "invalid_grant"


def test_deny_gives_access_denied(api: Any, provider: RunningProvider) -> None:
    started = _start(api, provider, login_hint="bob")
    assert started.is_successful, started.error
    _device(provider, "deny", started.auth_req_id)
    denied = _poll(api, provider, started.auth_req_id)
    assert denied.is_successful is False
    assert denied.error_code == "access_denied"
    assert denied.error == "access_denied"


def test_short_requested_expiry_gives_expired_token(api: Any, provider: RunningProvider) -> None:
    started = _start(api, provider, login_hint="alice", requested_expiry=1)
    assert started.is_successful, started.error
    assert started.expires_in == 1
    time.sleep(1.6)
    expired = _poll(api, provider, started.auth_req_id)
    assert expired.is_successful is False
    assert expired.error_code == "expired_token"


def test_unknown_user_is_the_servers_error(api: Any, provider: RunningProvider) -> None:
    response = _start(api, provider, login_hint="nobody-here")
    assert response.is_successful is False
    assert response.error_code == "unknown_user_id"
    assert response.http_status == 400


def test_binding_message_the_server_refuses(api: Any, provider: RunningProvider) -> None:
    response = _start(
        api, provider, login_hint="alice", binding_message="far too long for a device"
    )
    assert response.is_successful is False
    assert response.error_code == "invalid_binding_message"


def test_wrong_client_secret(api: Any, provider: RunningProvider) -> None:
    response = _start(api, provider, login_hint="alice", client_secret="wrong")
    assert response.is_successful is False
    assert response.error_code == "invalid_client"
    assert response.http_status == 401


def test_signed_request_object(api: Any, provider: RunningProvider) -> None:
    client = provider.client(CLIENT)
    assert client.client_secret is not None
    now = int(time.time())
    request_object = sign_jwt(
        {
            "iss": client.client_id,
            "aud": provider.issuer,
            "iat": now,
            "nbf": now,
            "exp": now + 300,
            "jti": f"jti-{now}-{api}",
            "scope": "openid",
            "login_hint": "bob",
            "binding_message": "JAR-1",
        },
        client.client_secret,
    )
    started = _start(api, provider, scope=None, request=request_object)
    assert started.is_successful, started.error
    shown = _shown(provider, started.auth_req_id)
    assert shown["account_id"] == "bob"
    assert shown["binding_message"] == "JAR-1"
    _device(provider, "approve", started.auth_req_id)
    done = _poll(api, provider, started.auth_req_id)
    assert done.is_successful, done.error


def test_wait_for_backchannel_token_until_the_device_approves(
    api: Any, provider: RunningProvider
) -> None:
    """The polling helper: pending polls until the user approves on the device, then tokens."""
    import threading

    from py_identity_model import PollingProgress

    started = _start(api, provider, login_hint="alice")
    assert started.is_successful, started.error
    client = provider.client(CLIENT)
    request = BackchannelTokenRequest(
        provider.token_endpoint, client.client_id, started.auth_req_id, client.client_secret
    )
    progress: list[PollingProgress] = []
    approver = threading.Timer(0.6, _device, (provider, "approve", started.auth_req_id))
    approver.start()
    try:
        done = api.wait_for_backchannel_token(
            request,
            interval=0.2,  # the caller's explicit choice: this test's device answers at once
            expires_in=started.expires_in,
            on_progress=progress.append,
        )
    finally:
        approver.join()
    assert done.is_successful, done.error
    assert done.access_token and done.id_token
    assert progress and progress[0].attempt == 1
    assert {p.last_error_code for p in progress} <= {None, "authorization_pending"}


def test_wait_for_backchannel_token_gives_up_at_the_callers_timeout(
    api: Any, provider: RunningProvider
) -> None:
    started = _start(api, provider, login_hint="bob")
    assert started.is_successful, started.error
    client = provider.client(CLIENT)
    request = BackchannelTokenRequest(
        provider.token_endpoint, client.client_id, started.auth_req_id, client.client_secret
    )
    waited = api.wait_for_backchannel_token(request, interval=0.2, timeout=0.7)
    assert waited.is_successful is False
    assert waited.error_code == "polling_timeout"
