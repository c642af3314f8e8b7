"""``OidcClient`` loading UserInfo after the ID token (``OidcClientOptions.load_user_info``):
when it is fetched, with which token, how its claims merge (Duende OidcClient's rules), and
how a UserInfo failure fails the login. Sync and async (``mode``)."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from tests.unit.login.login_support import CLIENT_ID, RSA_KEY, FakeOp, Mode

from py_identity_model import (
    ConfigurationException,
    DiscoveryException,
    ErrorType,
    OidcClientOptions,
)
from py_identity_model.jose import sign_compact
from py_identity_model.login.flows import PROTOCOL_CLAIMS, merge_user_info_claims


class UserInfoOp(FakeOp):
    """The mocked provider, with a UserInfo endpoint."""

    def __init__(self, *, advertise: bool = True) -> None:
        super().__init__()
        if advertise:
            self.metadata["userinfo_endpoint"] = f"{self.authority}/userinfo"
        self.user_info: dict[str, Any] = {"sub": "alice", "name": "Alice", "email": "a@x.example"}
        self.user_info_reply: Any = None
        self.user_info_requests: list[httpx.Request] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != "/userinfo":
            return super().handler(request)
        self.user_info_requests.append(request)
        if self.user_info_reply is not None:
            reply: httpx.Response = self.user_info_reply()
            return reply
        return httpx.Response(200, json=self.user_info)


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> Mode:
    return Mode(request.param)


@pytest.fixture
def op() -> UserInfoOp:
    return UserInfoOp()


def test_user_info_is_loaded_by_default_when_advertised(mode: Mode, op: UserInfoOp) -> None:
    _, result = mode.login(mode.client(op), op)
    assert result.is_successful, (result.error_code, result.error)
    assert len(op.user_info_requests) == 1
    sent = op.user_info_requests[0]
    assert sent.method == "GET" and sent.headers["authorization"] == f"Bearer {op.access_token}"
    assert result.claims is not None and result.claims["name"] == "Alice"
    assert result.claims["email"] == "a@x.example"
    assert result.id_token_claims is not None and "name" not in result.id_token_claims
    assert result.user_info is not None and result.user_info.claims == op.user_info
    assert result.principal is not None
    assert result.principal.find_first("name") is not None


def test_not_loaded_when_the_provider_has_no_endpoint(mode: Mode) -> None:
    op = UserInfoOp(advertise=False)
    _, result = mode.login(mode.client(op), op)
    assert result.is_successful and result.user_info is None
    assert op.user_info_requests == []
    assert result.claims == result.id_token_claims


def test_not_loaded_when_switched_off(mode: Mode, op: UserInfoOp) -> None:
    _, result = mode.login(mode.client(op, load_user_info=False), op)
    assert result.is_successful and result.user_info is None
    assert op.user_info_requests == []


def test_required_without_an_endpoint_fails_the_login(mode: Mode) -> None:
    op = UserInfoOp(advertise=False)
    _, result = mode.login(mode.client(op, load_user_info=True), op)
    assert result.is_successful is False and result.error_code == "missing_fields"
    assert "userinfo_endpoint" in (result.error or "")
    assert result.access_token is None and result.claims is None


def test_user_info_for_another_subject_fails_the_login(mode: Mode, op: UserInfoOp) -> None:
    op.user_info = {"sub": "mallory", "name": "Mallory"}
    _, result = mode.login(mode.client(op), op)
    assert result.is_successful is False and result.error_code == "sub_mismatch"
    assert result.error_type is ErrorType.POLICY
    assert result.claims is None and result.principal is None and result.access_token is None
    assert result.user_info is not None and result.user_info.error_code == "sub_mismatch"


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        (
            lambda: httpx.Response(
                401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
            ),
            "invalid_token",
        ),
        (lambda: httpx.Response(200, json={"name": "no sub"}), "missing_fields"),
        (lambda: httpx.Response(500, content=b"down"), "http_error"),
        (
            lambda: httpx.Response(
                200, content=b"x.y.z", headers={"Content-Type": "application/jwt"}
            ),
            "invalid_jwt_response",
        ),
    ],
)
def test_a_user_info_failure_fails_the_login_with_its_code(
    mode: Mode, op: UserInfoOp, reply: Any, code: str
) -> None:
    op.user_info_reply = reply
    _, result = mode.login(mode.client(op), op)
    assert result.is_successful is False and result.error_code == code
    assert result.error


def test_a_signed_user_info_answer_is_verified_with_the_providers_keys(
    mode: Mode, op: UserInfoOp
) -> None:
    def reply() -> httpx.Response:
        claims = {
            "iss": op.authority, "aud": CLIENT_ID, "iat": int(time.time()),
            "sub": "alice", "nickname": "ally",
        }  # fmt: skip
        token = sign_compact(claims, RSA_KEY, "RS256", headers={"kid": RSA_KEY.kid})
        return httpx.Response(
            200, content=token.encode(), headers={"Content-Type": "application/jwt"}
        )

    op.user_info_reply = reply
    _, result = mode.login(mode.client(op), op)
    assert result.is_successful, (result.error_code, result.error)
    assert result.user_info is not None and result.user_info.signed is True
    assert result.claims is not None and result.claims["nickname"] == "ally"
    # the answer's iss/aud/iat never replace the ID token's
    assert result.id_token_claims is not None
    assert result.claims["iat"] == result.id_token_claims["iat"]


def test_merge_keeps_the_id_token_claims_and_skips_protocol_claims(
    mode: Mode, op: UserInfoOp
) -> None:
    op.claim_changes = {"name": "Alice (ID token)", "acr": "urn:loa:2"}
    op.user_info = {
        "sub": "alice", "name": "Alice (userinfo)", "email": "a@x.example",
        "iss": "https://evil.example", "aud": "other", "nonce": "n", "acr": "urn:loa:0",
        "amr": ["pwd"], "auth_time": 1, "sid": "s", "exp": 1, "azp": "other",
    }  # fmt: skip
    _, result = mode.login(mode.client(op), op)
    assert result.is_successful, (result.error_code, result.error)
    claims = result.claims
    assert claims is not None and result.id_token_claims is not None
    assert claims["name"] == "Alice (ID token)" and claims["acr"] == "urn:loa:2"
    assert claims["email"] == "a@x.example"
    for name in ("iss", "aud", "nonce", "exp"):
        assert claims[name] == result.id_token_claims[name]
    for name in ("amr", "auth_time", "sid", "azp"):
        assert name not in claims


def test_merge_function() -> None:
    merged = merge_user_info_claims(
        {"sub": "a", "name": "ID"}, {"sub": "b", "name": "UI", "email": "e", "at_hash": "x"}
    )
    assert merged == {"sub": "a", "name": "ID", "email": "e"}
    assert {"iss", "aud", "sub", "nonce", "at_hash", "c_hash", "sid"} <= PROTOCOL_CLAIMS


def test_a_plain_http_user_info_endpoint_is_refused_before_any_request(
    mode: Mode, op: UserInfoOp
) -> None:
    # Discovery already refuses the metadata (the endpoint policy), so no token can go there.
    op.metadata["userinfo_endpoint"] = "http://op.example/userinfo"
    with pytest.raises(DiscoveryException, match="userinfo_endpoint"):
        mode.login(mode.client(op), op)
    assert op.user_info_requests == []


def test_load_user_info_must_be_a_bool() -> None:
    with pytest.raises(ConfigurationException):
        OidcClientOptions(
            "https://op.example", "c", "https://app.example/cb",
            load_user_info="yes",  # type: ignore[arg-type]
        )  # fmt: skip


def test_the_result_repr_hides_the_user_info_claims(mode: Mode, op: UserInfoOp) -> None:
    op.user_info = {"sub": "alice", "email": "secret-mail@x.example"}
    _, result = mode.login(mode.client(op), op)
    assert result.is_successful
    assert "secret-mail" not in repr(result)
