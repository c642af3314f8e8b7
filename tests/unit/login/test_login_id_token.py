"""``OidcClient.process_response`` validates the ID token (OIDC Core §3.1.3.7).

The mocked provider signs a correct ID token and each test breaks one rule: signature,
algorithm, ``iss``, ``aud``/``azp``, ``exp``/``iat``/``nbf``, ``nonce``, ``at_hash``,
``c_hash``, ``auth_time`` with ``max_age``. A broken rule gives ``invalid_id_token`` and no
tokens; sync and async alike (``mode``).
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from login_support import (
    ATTACKER_RSA_KEY,
    CLIENT_ID,
    EC_KEY,
    RSA_KEY,
    FakeOp,
    Mode,
    json_roundtrip,
)

from py_identity_model.http.results import ErrorType
from py_identity_model.jose import JsonWebKey
from py_identity_model.login import AuthorizeState, LoginResult
from py_identity_model.options import configure, get_options
from py_identity_model.validation.hashes import left_half_hash


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _assert_rejected(
    result: LoginResult, *, mentions: str | None = None, error_type: ErrorType = ErrorType.POLICY
) -> None:
    assert not result.is_successful
    assert result.error_code == "invalid_id_token", (result.error, result.error_description)
    assert result.error_type == error_type
    if mentions is not None:
        assert mentions in (result.error_description or ""), result.error_description
    # Tokens whose ID token failed validation are not handed out.
    assert result.claims is None
    assert result.principal is None
    assert result.token_response is None
    assert result.access_token is None
    assert result.refresh_token is None


def _now() -> int:
    return int(time.time())


# ------------------------------------------------------------------ claim rules


@pytest.mark.parametrize(
    ("changes", "mentions"),
    [
        pytest.param({"nonce": "some-other-nonce"}, "nonce", id="wrong-nonce"),
        pytest.param({"nonce": None}, "nonce", id="missing-nonce"),
        pytest.param({"aud": "someone-else"}, None, id="wrong-aud"),
        pytest.param({"aud": None}, None, id="missing-aud"),
        pytest.param({"aud": [CLIENT_ID, "api"]}, "azp", id="two-audiences-without-azp"),
        pytest.param({"azp": "someone-else"}, "azp", id="wrong-azp"),
        pytest.param({"iss": "https://evil.example"}, None, id="wrong-iss"),
        pytest.param({"iss": None}, None, id="missing-iss"),
        pytest.param({"sub": None}, "sub", id="missing-sub"),
        pytest.param({"sub": ""}, "sub", id="empty-sub"),
        pytest.param({"exp": _now() - 60}, None, id="expired"),
        pytest.param({"exp": None}, None, id="missing-exp"),
        pytest.param({"iat": _now() + 3600}, None, id="iat-in-future"),
        pytest.param({"iat": None}, "iat", id="missing-iat"),
        pytest.param({"nbf": _now() + 3600}, None, id="not-yet-valid"),
        pytest.param(
            {"at_hash": left_half_hash("another-access-token", "RS256")}, "at_hash", id="at-hash"
        ),
        pytest.param({"c_hash": left_half_hash("another-code", "RS256")}, "c_hash", id="c-hash"),
    ],
)
def test_broken_claim_is_rejected(
    mode: Mode, op: FakeOp, changes: dict[str, Any], mentions: str | None
) -> None:
    op.claim_changes = changes
    _, result = mode.login(mode.client(op), op)
    _assert_rejected(result, mentions=mentions)


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({}, id="as-issued"),
        pytest.param({"at_hash": None}, id="no-at-hash"),
        pytest.param({"aud": [CLIENT_ID, "api"], "azp": CLIENT_ID}, id="two-audiences-with-azp"),
        pytest.param({"aud": [CLIENT_ID]}, id="audience-array"),
        pytest.param({"auth_time": _now() - 10, "acr": "urn:mace:incommon:iap:silver"}, id="extra"),
    ],
)
def test_valid_variants_are_accepted(mode: Mode, op: FakeOp, changes: dict[str, Any]) -> None:
    op.claim_changes = changes
    state, result = mode.login(mode.client(op), op)
    assert result.is_successful, result.error_description
    assert result.claims is not None
    assert result.claims["nonce"] == state.nonce


def test_matching_c_hash_is_accepted(mode: Mode, op: FakeOp) -> None:
    op.claim_changes = {"c_hash": left_half_hash(op.code, "RS256")}
    _, result = mode.login(mode.client(op), op)
    assert result.is_successful, result.error_description


def test_nonce_of_another_login_is_rejected(mode: Mode, op: FakeOp) -> None:
    """An ID token issued for login B cannot complete login A (replay/injection)."""
    client = mode.client(op)
    first = mode.prepare(client)
    second = mode.prepare(client)
    op.nonce = second.nonce
    result = mode.process(client, op.callback(first), first)
    _assert_rejected(result, mentions="nonce")


# ------------------------------------------------------------------ time and leeway


def test_clock_skew_option_tolerates_a_recently_expired_token(mode: Mode, op: FakeOp) -> None:
    op.claim_changes = {"exp": _now() - 30}
    _, strict = mode.login(mode.client(op), op)
    _assert_rejected(strict)
    _, lenient = mode.login(mode.client(op, clock_skew=120), op)
    assert lenient.is_successful, lenient.error_description


@pytest.fixture
def library_clock_skew() -> Iterator[None]:
    before = get_options().clock_skew
    configure(clock_skew=120.0)
    yield
    configure(clock_skew=before)


def test_library_clock_skew_applies_when_the_option_is_not_set(
    mode: Mode, op: FakeOp, library_clock_skew: None
) -> None:
    op.claim_changes = {"exp": _now() - 30}
    _, result = mode.login(mode.client(op), op)
    assert result.is_successful, result.error_description


# ------------------------------------------------------------------ max_age / auth_time


def test_max_age_requires_auth_time(mode: Mode, op: FakeOp) -> None:
    _, result = mode.login(mode.client(op, max_age=300), op)
    _assert_rejected(result, mentions="auth_time")


def test_max_age_rejects_an_old_authentication(mode: Mode, op: FakeOp) -> None:
    op.claim_changes = {"auth_time": _now() - 600}
    _, result = mode.login(mode.client(op, max_age=300), op)
    _assert_rejected(result, mentions="max_age")


def test_max_age_accepts_a_recent_authentication(mode: Mode, op: FakeOp) -> None:
    op.claim_changes = {"auth_time": _now() - 10}
    _, result = mode.login(mode.client(op, max_age=300), op)
    assert result.is_successful, result.error_description
    assert result.claims is not None and "auth_time" in result.claims


def test_per_call_max_age_is_enforced(mode: Mode, op: FakeOp) -> None:
    op.claim_changes = {"auth_time": _now() - 600}
    state, result = mode.login(mode.client(op), op, max_age=60)
    assert state.max_age == 60
    _assert_rejected(result, mentions="max_age")


def test_max_age_survives_the_session_store(mode: Mode, op: FakeOp) -> None:
    op.claim_changes = {"auth_time": _now() - 600}
    client = mode.client(op)
    state = mode.prepare(client, max_age=60)
    op.nonce = state.nonce
    restored = AuthorizeState.from_dict(json_roundtrip(state.to_dict()))
    _assert_rejected(mode.process(client, op.callback(restored), restored), mentions="max_age")


def test_max_age_zero_accepts_an_authentication_in_this_second(mode: Mode, op: FakeOp) -> None:
    op.claim_changes = {"auth_time": _now()}
    _, result = mode.login(mode.client(op, max_age=0), op)
    assert result.is_successful, result.error_description


# ------------------------------------------------------------------ signature and algorithm


def test_bad_signature_is_rejected(mode: Mode, op: FakeOp) -> None:
    op.signer = ATTACKER_RSA_KEY  # same kid as the served key
    _, result = mode.login(mode.client(op), op)
    _assert_rejected(result)


def test_tampered_payload_is_rejected(mode: Mode, op: FakeOp) -> None:
    client = mode.client(op)
    state = mode.prepare(client)
    op.nonce = state.nonce
    header, _, signature = op.sign(op.claims()).split(".")
    forged = {**op.claims(), "sub": "mallory"}
    op.id_token = f"{header}.{_b64(json.dumps(forged).encode())}.{signature}"
    _assert_rejected(mode.process(client, op.callback(state), state))


def test_algorithm_not_advertised_is_rejected(mode: Mode) -> None:
    op = FakeOp(algs=("RS256",))
    op.signer, op.alg = EC_KEY, "ES256"
    _, result = mode.login(mode.client(op), op)
    _assert_rejected(result)


def test_advertised_algorithms_are_accepted_by_default(mode: Mode) -> None:
    op = FakeOp(algs=("PS256", "ES256"))
    for signer, alg in ((RSA_KEY, "PS256"), (EC_KEY, "ES256")):
        op.signer, op.alg = signer, alg
        _, result = mode.login(mode.client(op), op)
        assert result.is_successful, (alg, result.error_description)


def test_unsigned_token_is_rejected(mode: Mode) -> None:
    op = FakeOp(algs=("none", "RS256"))
    client = mode.client(op)
    state = mode.prepare(client)
    op.nonce = state.nonce
    header = _b64(b'{"alg":"none"}')
    op.id_token = f"{header}.{_b64(json.dumps(op.claims()).encode())}."
    _assert_rejected(mode.process(client, op.callback(state), state))


def test_symmetric_algorithm_is_never_accepted(mode: Mode) -> None:
    """HS256 keyed with the client secret: refused even when the provider advertises it."""
    secret = "a-client-secret-long-enough-for-hs256-0123456789"
    op = FakeOp(algs=("HS256", "RS256"))
    op.signer, op.alg = JsonWebKey.from_key(secret.encode()), "HS256"
    op.header = {}
    _, result = mode.login(mode.client(op, client_secret=secret), op)
    _assert_rejected(result)


def test_id_token_algorithms_option_restricts(mode: Mode, op: FakeOp) -> None:
    op.signer, op.alg = EC_KEY, "ES256"  # advertised by the OP
    _, result = mode.login(mode.client(op, id_token_algorithms=["RS256"]), op)
    _assert_rejected(result)

    _, result = mode.login(mode.client(op, id_token_algorithms=["ES256"]), op)
    assert result.is_successful, result.error_description

    op.signer, op.alg = RSA_KEY, "RS256"
    _, result = mode.login(mode.client(op, id_token_algorithms=["ES256"]), op)
    _assert_rejected(result)


@pytest.fixture
def no_jwks_cooldown() -> Iterator[None]:
    before = get_options().jwks_refresh_cooldown
    configure(jwks_refresh_cooldown=0.0)
    yield
    configure(jwks_refresh_cooldown=before)


def test_unknown_kid_refetches_the_jwks_once(
    mode: Mode, op: FakeOp, no_jwks_cooldown: None
) -> None:
    op.header = {"kid": "rotated-away"}
    _, result = mode.login(mode.client(op), op)
    _assert_rejected(result, mentions="kid")
    assert op.counts["/jwks"] == 2


def test_unknown_kid_refetch_is_rate_limited(mode: Mode, op: FakeOp) -> None:
    """An unknown kid right after the first fetch still refetches once (the cooldown counts
    from demanded refreshes only); within the cooldown (30 s by default) no more."""
    op.header = {"kid": "rotated-away"}
    client = mode.client(op)
    _, result = mode.login(client, op)
    _assert_rejected(result, mentions="kid")
    assert op.counts["/jwks"] == 2
    _, again = mode.login(client, op)
    _assert_rejected(again, mentions="kid")
    assert op.counts["/jwks"] == 2


def test_rotated_key_is_found_after_one_refetch(
    mode: Mode, op: FakeOp, no_jwks_cooldown: None
) -> None:
    client = mode.client(op)
    _, first = mode.login(client, op)
    assert first.is_successful, first.error_description
    new_key = JsonWebKey.from_key(EC_KEY.to_private_key(), kid="ec-2")
    op.served_keys.append(new_key.public_jwk().to_dict())
    op.signer, op.alg = new_key, "ES256"
    _, second = mode.login(client, op)
    assert second.is_successful, second.error_description
    assert op.counts["/jwks"] == 2


@pytest.mark.parametrize(
    "reply",
    [lambda: httpx.Response(404), lambda: httpx.Response(200, json={"no": "keys"})],
    ids=["http-404", "not-a-jwks"],
)
def test_jwks_failure_is_invalid_id_token(mode: Mode, op: FakeOp, reply: Any) -> None:
    op.jwks_reply = reply
    _, result = mode.login(mode.client(op), op)
    # The keys could not be obtained: reported as a network problem, not a bad token.
    _assert_rejected(result, error_type=ErrorType.NETWORK)


@pytest.mark.parametrize("token", ["not-a-jwt", "a.b.c", "e30.e30.", "x" * 300_000])
def test_malformed_id_token_is_rejected(mode: Mode, op: FakeOp, token: str) -> None:
    op.id_token = token
    _, result = mode.login(mode.client(op), op)
    _assert_rejected(result)
