"""The device authorization grant (RFC 8628) against the real provider, through both shells.

A confidential (``client-basic``) and a public (``public-native``) client request a device
code, poll once (``authorization_pending``), then ``wait_for_device_token`` polls while a
thread plays the user with :func:`complete_device_flow`; denying consent gives
``access_denied``, a redeemed device code is spent, and a caller's timeout ends the polling.
The provider sends no ``interval`` (5 s by default), so the tests ask for a short one.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from py_identity_model import (
    DeviceAuthorizationRequest,
    DeviceTokenRequest,
    ErrorType,
    TokenValidationConfig,
)
from tests.provider.fixture import RunningProvider, complete_device_flow

pytestmark = pytest.mark.integration

CLIENTS = ["client-basic", "public-native"]


def _authorize(api: Any, provider: RunningProvider, client_id: str, **kwargs: Any) -> Any:
    client = provider.client(client_id)
    request = DeviceAuthorizationRequest(
        provider.endpoint("device_authorization_endpoint"),
        client.client_id,
        kwargs.pop("scope", "openid profile"),
        client.client_secret,
        **kwargs,
    )
    return api.request_device_authorization(request)


def _token_request(provider: RunningProvider, client_id: str, device_code: str) -> Any:
    client = provider.client(client_id)
    return DeviceTokenRequest(
        provider.token_endpoint, client.client_id, device_code, client.client_secret
    )


def _approve_later(started: Any, **kwargs: Any) -> tuple[threading.Thread, list[BaseException]]:
    """Play the user in a thread, after the first polls have been made."""
    errors: list[BaseException] = []

    def user() -> None:
        try:
            time.sleep(0.3)
            complete_device_flow(started.verification_uri, started.user_code, **kwargs)
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)

    thread = threading.Thread(target=user, daemon=True)
    thread.start()
    return thread, errors


def test_discovery_advertises_the_device_flow(provider: RunningProvider) -> None:
    assert provider.metadata["device_authorization_endpoint"]
    assert (
        "urn:ietf:params:oauth:grant-type:device_code"
        in (provider.metadata["grant_types_supported"])
    )


@pytest.mark.parametrize("client_id", CLIENTS)
def test_authorize_pending_approve_tokens(
    api: Any, provider: RunningProvider, client_id: str
) -> None:
    started = _authorize(api, provider, client_id)
    assert started.is_successful, started.error
    assert started.device_code and started.user_code
    assert started.verification_uri.startswith(provider.issuer)
    assert started.verification_uri_complete.startswith(started.verification_uri)
    assert 0 < started.expires_in <= 600
    assert started.interval == 5  # the provider sends none: RFC 8628 §3.2 default
    assert started.expires_at == pytest.approx(time.time() + started.expires_in, abs=5)

    request = _token_request(provider, client_id, started.device_code)
    pending = api.poll_device_token(request)
    assert pending.is_successful is False
    assert pending.error_code == "authorization_pending"
    assert pending.error_type is ErrorType.PROTOCOL
    assert pending.interval == 5

    progress: list[Any] = []
    thread, errors = _approve_later(started)
    done = api.wait_for_device_token(
        request,
        interval=0.2,
        expires_in=started.expires_in,
        timeout=30,
        on_progress=progress.append,
    )
    thread.join(10)
    assert errors == []
    assert done.is_successful, done.error
    assert done.access_token and done.token_type
    assert done.id_token
    assert progress, "the user answered after at least one pending poll"
    assert progress[0].attempt == 1

    claims = api.validate_id_token(
        done.id_token,
        TokenValidationConfig(perform_disco=True, audience=client_id),
        provider.issuer,
    )
    assert claims["sub"] == "alice"

    again = api.poll_device_token(request)  # a device code redeems once
    assert again.is_successful is False
    assert again.error_code in ("invalid_grant", "expired_token")


def test_denied_consent_gives_access_denied(api: Any, provider: RunningProvider) -> None:
    started = _authorize(api, provider, "client-basic")
    assert started.is_successful, started.error
    request = _token_request(provider, "client-basic", started.device_code)
    thread, errors = _approve_later(started, consent=False)
    done = api.wait_for_device_token(request, interval=0.2, timeout=30)
    thread.join(10)
    # The helper stops at the provider's "The Sign-in request was interrupted" page (it
    # expects a success page): that page is the user's "no", which is what is tested here.
    assert all("interrupted" in str(error) for error in errors), errors
    assert done.is_successful is False
    assert done.error_code == "access_denied"
    assert done.error_type is ErrorType.PROTOCOL


def test_caller_timeout_ends_the_polling(api: Any, provider: RunningProvider) -> None:
    started = _authorize(api, provider, "public-native", scope="openid")
    request = _token_request(provider, "public-native", started.device_code)
    begun = time.monotonic()
    done = api.wait_for_device_token(
        request, interval=0.2, expires_in=started.expires_in, timeout=1
    )
    assert time.monotonic() - begun < 5
    assert done.is_successful is False
    assert done.error_code == "polling_timeout"


def test_wrong_client_secret(api: Any, provider: RunningProvider) -> None:
    request = DeviceAuthorizationRequest(
        provider.endpoint("device_authorization_endpoint"), "client-basic", client_secret="nope"
    )
    response = api.request_device_authorization(request)
    assert response.is_successful is False
    assert response.error_code == "invalid_client"
    assert response.error_type is ErrorType.PROTOCOL


def test_unknown_device_code(api: Any, provider: RunningProvider) -> None:
    response = api.poll_device_token(_token_request(provider, "client-basic", "not-a-code"))
    assert response.is_successful is False
    assert response.error_code == "invalid_grant"
