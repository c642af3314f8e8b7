"""UserInfo (OIDC Core §5.3) against django-oauth-toolkit, a second, independent provider
(tests/provider_dot), through both shells (``api``).

DOT answers ``/o/userinfo/`` with plain JSON, for GET and POST, and its claims come from the
test validator (``preferred_username``, ``name``, ``email``, filtered by scope). A request
without a valid token gets DOT's 401 with a ``WWW-Authenticate: Bearer`` challenge.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from py_identity_model import UserInfoRequest
from py_identity_model.login import LoginResult, OidcClient, OidcClientOptions
from tests.provider_dot.fixture import CALLBACK_URL, RunningDotProvider, dot_login


def _login(api: Any, dot: RunningDotProvider, *, load_user_info: bool = True) -> LoginResult:
    client = dot.client("dot-rs256")
    options = OidcClientOptions(
        dot.issuer,
        client.client_id,
        CALLBACK_URL,
        "openid profile email",
        client.client_secret,
        load_user_info=load_user_info,
    )
    oidc = OidcClient(options)
    if api.is_async:
        state = asyncio.run(oidc.aprepare_login())
        return asyncio.run(oidc.aprocess_response(dot_login(state.url), state))
    state = oidc.prepare_login()
    return oidc.process_response(dot_login(state.url), state)


def _userinfo(dot: RunningDotProvider) -> str:
    address = dot.metadata["userinfo_endpoint"]
    assert isinstance(address, str)
    return address


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_userinfo_with_the_login_access_token(
    api: Any, dot_provider: RunningDotProvider, method: str
) -> None:
    dot = dot_provider
    login = _login(api, dot, load_user_info=False)
    assert login.is_successful, (login.error_code, login.error, dot.server_errors())
    assert login.access_token is not None
    request = UserInfoRequest(_userinfo(dot), login.access_token, dot.user_sub, method=method)
    response = api.get_userinfo(request)
    assert response.is_successful, (response.error_code, response.error, dot.server_errors())
    assert response.signed is False
    assert response.claims["sub"] == dot.user_sub
    assert response.claims["email"] == "alice@example.com"
    assert response.claims["preferred_username"] == "alice"
    assert response.http_status == 200


def test_another_subject_is_sub_mismatch(api: Any, dot_provider: RunningDotProvider) -> None:
    login = _login(api, dot_provider, load_user_info=False)
    assert login.access_token is not None
    response = api.get_userinfo(
        UserInfoRequest(_userinfo(dot_provider), login.access_token, "someone-else")
    )
    assert response.is_successful is False
    assert response.error_code == "sub_mismatch"


def test_unknown_token_is_a_parsed_401(api: Any, dot_provider: RunningDotProvider) -> None:
    response = api.get_userinfo(UserInfoRequest(_userinfo(dot_provider), "not-a-dot-token"))
    assert response.is_successful is False
    # DOT's challenge: WWW-Authenticate: Bearer error="invalid_token", error_description=...
    assert response.http_status == 401
    assert response.error == "invalid_token" and response.error_code == "invalid_token"
    assert response.error_description is not None and "invalid" in response.error_description
    assert response.claims is None


def test_login_merges_dot_user_info(api: Any, dot_provider: RunningDotProvider) -> None:
    result = _login(api, dot_provider)
    assert result.is_successful, (result.error_code, result.error, dot_provider.server_errors())
    assert result.user_info is not None and result.user_info.sub == dot_provider.user_sub
    assert result.claims is not None and result.claims["name"] == "Alice Liddell"
