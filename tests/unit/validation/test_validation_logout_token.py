"""validate_logout_token_claims: OIDC Back-Channel Logout 1.0 §2.4 / §2.6."""

from __future__ import annotations

from typing import Any

import pytest

from py_identity_model.exceptions import (
    LogoutTokenValidationException,
    TokenExpiredException,
    TokenNotYetValidException,
)
from py_identity_model.validation.logout_token import (
    BACKCHANNEL_LOGOUT_EVENT,
    validate_logout_token_claims,
)

NOW = 1_700_000_000
LEEWAY = 60


def logout_token(**overrides: Any) -> dict[str, Any]:
    # Back-Channel Logout 1.0 §2.4 example, re-timed.
    claims: dict[str, Any] = {
        "iss": "https://server.example.com",
        "sub": "248289761001",
        "aud": "s6BhdRkqt3",
        "iat": NOW - 5,
        "exp": NOW + 120,
        "jti": "bWJq",
        "sid": "08a5019c-17e1-4977-8f42-65a12843ea02",
        "events": {BACKCHANNEL_LOGOUT_EVENT: {}},
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def check(payload: Any, *, now: float = NOW) -> None:
    validate_logout_token_claims(payload, now=now, leeway=LEEWAY)


def test_spec_example_is_valid() -> None:
    check(logout_token())


def test_event_with_members_and_other_events_accepted() -> None:
    check(
        logout_token(events={BACKCHANNEL_LOGOUT_EVENT: {"reason": "x"}, "https://other/event": {}})
    )


@pytest.mark.parametrize(
    "events",
    [
        None,
        "backchannel-logout",
        [BACKCHANNEL_LOGOUT_EVENT],
        {},
        {"http://schemas.openid.net/event/backchannel-logout/": {}},
        {BACKCHANNEL_LOGOUT_EVENT: None},
        {BACKCHANNEL_LOGOUT_EVENT: "yes"},
        {BACKCHANNEL_LOGOUT_EVENT: []},
        {BACKCHANNEL_LOGOUT_EVENT: True},
    ],
)
def test_events_rules(events: Any) -> None:
    with pytest.raises(LogoutTokenValidationException, match="event"):
        check(logout_token(events=events))


@pytest.mark.parametrize("bad", [None, "", 42, ["id"]])
def test_jti_required_non_empty_string(bad: Any) -> None:
    with pytest.raises(LogoutTokenValidationException, match="jti"):
        check(logout_token(jti=bad))


@pytest.mark.parametrize("claim", ["iat", "exp"])
def test_iat_and_exp_required(claim: str) -> None:
    with pytest.raises(LogoutTokenValidationException, match=claim):
        check(logout_token(**{claim: None}))
    with pytest.raises(LogoutTokenValidationException, match=claim):
        check(logout_token(**{claim: "soon"}))
    with pytest.raises(LogoutTokenValidationException, match=claim):
        check(logout_token(**{claim: True}))


def test_exp_boundaries() -> None:
    check(logout_token(exp=NOW), now=NOW + LEEWAY - 1)
    with pytest.raises(TokenExpiredException):
        check(logout_token(exp=NOW), now=NOW + LEEWAY)


def test_iat_in_future() -> None:
    check(logout_token(iat=NOW + LEEWAY))
    with pytest.raises(TokenNotYetValidException):
        check(logout_token(iat=NOW + LEEWAY + 1))


def test_sub_or_sid_required() -> None:
    check(logout_token(sid=None))  # sub only
    check(logout_token(sub=None))  # sid only
    with pytest.raises(LogoutTokenValidationException, match="sub"):
        check(logout_token(sub=None, sid=None))


@pytest.mark.parametrize("claim", ["sub", "sid"])
@pytest.mark.parametrize("bad", ["", 5, ["x"]])
def test_sub_and_sid_must_be_non_empty_strings(claim: str, bad: Any) -> None:
    with pytest.raises(LogoutTokenValidationException, match=claim):
        check(logout_token(**{claim: bad}))


@pytest.mark.parametrize("nonce", ["n-0S6_WzA2Mj", "", None, 0])
def test_nonce_forbidden_whatever_its_value(nonce: Any) -> None:
    payload = logout_token()
    payload["nonce"] = nonce
    with pytest.raises(LogoutTokenValidationException, match="nonce"):
        check(payload)


def test_id_token_shaped_payload_is_rejected() -> None:
    id_token = {
        "iss": "https://server.example.com",
        "sub": "248289761001",
        "aud": "s6BhdRkqt3",
        "iat": NOW,
        "exp": NOW + 300,
        "nonce": "n-0S6_WzA2Mj",
    }
    with pytest.raises(LogoutTokenValidationException):
        check(id_token)


def test_payload_must_be_mapping() -> None:
    with pytest.raises(LogoutTokenValidationException):
        check([("events", {})])


def test_errors_carry_token_part() -> None:
    with pytest.raises(LogoutTokenValidationException) as info:
        check(logout_token(jti=None))
    assert info.value.token_part == "payload"
    assert info.value.details == {"claim": "jti"}
