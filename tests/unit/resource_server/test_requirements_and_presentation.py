"""check_requirements (every branch, the same order as authenticate), the presentation reader
(check_syntax=False and check_token_syntax), IncomingRequest's header checks, the cached
fast path of authenticate, and DPoPProofValidator.plan driven step by step."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from types import MappingProxyType
from typing import Any

import pytest
from fake_op import AUDIENCE, ISSUER, URL, FakeOp, mint

from py_identity_model import (
    DPoPKey,
    DPoPProof,
    DPoPProofException,
    DPoPProofValidator,
    IncomingRequest,
    MemoryReplayStore,
    ResourceRejection,
    ResourceServer,
)
from py_identity_model.dpop.resource import RecordProof
from py_identity_model.errors import ErrorCodes
from py_identity_model.exceptions import ConfigurationException
from py_identity_model.resource_server.presentation import (
    PresentationError,
    check_token_syntax,
    read_presentation,
)

METADATA = "https://api.example/.well-known/oauth-protected-resource/orders"


@pytest.fixture
def op() -> FakeOp:
    return FakeOp()


def server(op: FakeOp, **options: Any) -> ResourceServer:
    return ResourceServer(issuer=ISSUER, audience=AUDIENCE, http_client=op.client(), **options)


def bearer(token: str) -> IncomingRequest:
    return IncomingRequest("GET", URL, {"Authorization": f"Bearer {token}"})


def www_authenticate(rejection: ResourceRejection) -> str:
    return next(value for name, value in rejection.headers if name == "WWW-Authenticate")


# ------------------------------------------------------------------ check_requirements


def test_check_requirements_is_none_when_every_requirement_is_met(op: FakeOp) -> None:
    rs = server(op, required_scopes=["orders:read"])
    now = int(time.time())
    token = mint(scope="orders:read orders:write", roles=["admin"], acr="mfa", auth_time=now)
    req = bearer(token)
    principal = rs.authenticate(req)
    assert rs.check_requirements(principal, req) is None
    met = rs.check_requirements(
        principal, req, scopes=["orders:write"], claims={"roles": "admin"},
        acr_values=["mfa"], max_age=60,
    )  # fmt: skip
    assert met is None


def test_check_requirements_scopes_include_the_servers_required_scopes(op: FakeOp) -> None:
    rs = server(op, required_scopes=["orders:read"])
    req = bearer(mint(scope="orders:read"))
    principal = rs.authenticate(req)
    # the server's own required scope comes first, a repeated one only once
    refused = rs.check_requirements(principal, req, scopes=["orders:write", "orders:read"])
    assert refused is not None
    assert (refused.status, refused.error, refused.error_code) == (
        403, "insufficient_scope", ErrorCodes.INSUFFICIENT_SCOPE,
    )  # fmt: skip
    assert www_authenticate(refused) == (
        f'Bearer realm="{AUDIENCE}", error="insufficient_scope", error_description="The access '
        'token lacks a required scope", scope="orders:read orders:write", '
        f'resource_metadata="{METADATA}"'
    )
    # a principal of a server without required scopes, judged by one with them
    lenient = server(op)
    bare = lenient.authenticate(bearer(mint(scope="other")))
    strict = rs.check_requirements(bare)
    assert strict is not None and 'scope="orders:read"' in www_authenticate(strict)


def test_check_requirements_claims_then_step_up(op: FakeOp) -> None:
    rs = server(op)
    now = int(time.time())
    req = bearer(mint(roles=["reader"], acr="pwd", auth_time=now - 4000))
    principal = rs.authenticate(req)
    claims = rs.check_requirements(principal, req, claims={"roles": "admin"}, acr_values=["mfa"])
    assert claims is not None  # claims are judged before step-up, as in authenticate
    assert (claims.status, claims.error, claims.error_code) == (
        403, "access_denied", ErrorCodes.CLAIM_REQUIREMENT_FAILED,
    )  # fmt: skip
    acr = rs.check_requirements(principal, req, acr_values=["mfa"])
    assert acr is not None
    assert (acr.status, acr.error, acr.error_code) == (
        401, "insufficient_user_authentication", ErrorCodes.STEP_UP_REQUIRED,
    )  # fmt: skip
    assert 'acr_values="mfa"' in www_authenticate(acr)
    age = rs.check_requirements(principal, req, max_age=300)
    assert age is not None and 'max_age="300"' in www_authenticate(age)
    # scopes come before claims
    first = rs.check_requirements(principal, req, scopes=["admin"], claims={"roles": "admin"})
    assert first is not None and first.error == "insufficient_scope"


def test_check_requirements_without_a_request_uses_the_resources_metadata(op: FakeOp) -> None:
    rs = server(op, resource="https://api.example/orders")
    principal = rs.authenticate(bearer(mint()))
    refused = rs.check_requirements(principal, scopes=["admin"])
    assert refused is not None and f'resource_metadata="{METADATA}"' in www_authenticate(refused)


def test_check_requirements_misuse(op: FakeOp) -> None:
    rs = server(op)
    principal = rs.authenticate(bearer(mint()))
    with pytest.raises(ConfigurationException):
        rs.check_requirements(principal, scopes="orders:read")
    with pytest.raises(ConfigurationException):
        rs.check_requirements(principal, claims={"roles": {"nested": 1}})
    with pytest.raises(ConfigurationException):
        rs.check_requirements(principal, max_age=-1)


def test_principal_require_scopes_carries_the_full_challenge(op: FakeOp) -> None:
    rs = server(op, resource="https://api.example/orders")
    req = bearer(mint())
    principal = rs.authenticate(req)
    with pytest.raises(ResourceRejection) as info:
        principal.require_scopes(["orders:delete", "orders:delete"])
    assert info.value.status == 403
    assert www_authenticate(info.value) == (
        'Bearer realm="https://api.example/orders", error="insufficient_scope", '
        'error_description="The access token lacks a required scope", '
        f'scope="orders:delete orders:delete", resource_metadata="{METADATA}"'
    )
    with pytest.raises(ConfigurationException):
        principal.require_scopes([""])


# ------------------------------------------------------------------------- presentation


@pytest.mark.parametrize("token", ["to ken", "tok\u00e9n", "abc=def", "=abc", "ab,cd"])
def test_token_syntax_is_checked_once_asked_for(token: str) -> None:
    req = IncomingRequest("GET", URL, [("Authorization", f"Bearer {token}")])
    with pytest.raises(PresentationError) as info:
        read_presentation(req, max_size=8192)
    assert "b64token" in info.value.why and token not in info.value.why
    presented = read_presentation(req, max_size=8192, check_syntax=False)
    assert presented is not None and presented.token == token.strip()
    with pytest.raises(PresentationError):
        check_token_syntax(presented.token)


@pytest.mark.parametrize("token", ["abc", "a.b.c", "A-_~+/9==", "x" * 100])
def test_b64tokens_pass(token: str) -> None:
    check_token_syntax(token)
    req = IncomingRequest("GET", URL, [("Authorization", f"DPoP {token}"), ("DPoP", "p")])
    presented = read_presentation(req, max_size=8192)
    assert presented is not None
    assert (presented.scheme, presented.token, presented.proofs) == ("dpop", token, ("p",))
    assert token not in repr(presented)


def test_presentation_refuses_two_authorization_headers_and_oversized_tokens() -> None:
    two = IncomingRequest(
        "GET", URL, [("Authorization", "Bearer a"), ("authorization", "Bearer b")]
    )
    with pytest.raises(PresentationError):
        read_presentation(two, max_size=8192)
    big = IncomingRequest("GET", URL, {"Authorization": "Bearer " + "a" * 20})
    with pytest.raises(PresentationError):
        read_presentation(big, max_size=10)
    assert read_presentation(IncomingRequest("GET", URL, {}), max_size=10) is None


def test_a_cached_token_is_not_syntax_checked_again_but_a_new_one_is(op: FakeOp) -> None:
    rs = server(op)
    token = mint()
    rs.authenticate(bearer(token))
    assert rs.authenticate(bearer(token)).subject == "alice"
    with pytest.raises(ResourceRejection) as info:
        rs.authenticate(bearer(token + "=="))  # trailing padding: still a b64token
    assert info.value.error == "invalid_token"  # refused by the signature check instead
    with pytest.raises(ResourceRejection) as bad:
        rs.authenticate(bearer(token[:10] + "=" + token[10:]))
    assert (bad.value.status, bad.value.error) == (400, "invalid_request")


# ---------------------------------------------------------------------- IncomingRequest


@pytest.mark.parametrize(
    "headers",
    [
        [("Authorization", 1)],
        [(1, "x")],
        {"Authorization": b"Bearer x"},
        {b"Authorization": "Bearer x"},
        [("a", "b", "c")],
        [("a",)],
        ["ab"],
        [["a", "b"], "cd"],
        [None],
        5,
        None,
    ],
)
def test_incoming_request_refuses_headers_that_are_not_text_pairs(headers: Any) -> None:
    with pytest.raises(ConfigurationException) as info:
        IncomingRequest("GET", URL, headers)
    assert "headers must be a mapping or (name, value) pairs of strings" in str(info.value)


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer x"},
        MappingProxyType({"Authorization": "Bearer x"}),
        OrderedDict([("Authorization", "Bearer x")]),
        [("Authorization", "Bearer x")],
        (("Authorization", "Bearer x"),),
        iter([("Authorization", "Bearer x")]),
    ],
    ids=["dict", "mapping", "dict-subclass", "list", "tuple", "iterator"],
)
def test_incoming_request_takes_mappings_and_pairs(headers: Any) -> None:
    req = IncomingRequest("post", URL, headers)
    assert req.headers == (("authorization", "Bearer x"),)
    assert req.method == "POST"


# ---------------------------------------------------------------- the cached fast path


def test_cached_tokens_still_meet_every_requirement(op: FakeOp) -> None:
    rs = server(op, required_scopes=["orders:read"])
    token = mint(scope="orders:read", roles=["reader"])
    first = rs.authenticate(bearer(token))
    cache = rs.validated_token_cache
    assert cache is not None and cache.hits == 0
    second = rs.authenticate(bearer(token))
    assert cache.hits == 1 and second.claims == first.claims and second is not first
    for options, status in (({"scopes": ["admin"]}, 403), ({"claims": {"roles": "admin"}}, 403)):
        with pytest.raises(ResourceRejection) as info:
            rs.authenticate(bearer(token), **options)
        assert info.value.status == status
    with pytest.raises(ResourceRejection) as up:
        rs.authenticate(bearer(token), acr_values=["mfa"])
    assert up.value.error == "insufficient_user_authentication"
    assert cache.hits == 4


def test_cached_dpop_bound_token_presented_as_bearer_is_refused(op: FakeOp) -> None:
    key = DPoPKey()
    token = mint(cnf={"jkt": key.jwk_thumbprint})
    rs = server(op)
    proof = key.create_proof("GET", URL, access_token=token)
    rs.authenticate(
        IncomingRequest("GET", URL, [("Authorization", f"DPoP {token}"), ("DPoP", proof)])
    )
    with pytest.raises(ResourceRejection) as info:
        rs.authenticate(bearer(token))  # a cache hit, still bound
    assert info.value.error == "invalid_token"
    with pytest.raises(ResourceRejection) as missing:
        rs.authenticate(IncomingRequest("GET", URL, {"Authorization": f"DPoP {token}"}))
    assert missing.value.error == "invalid_dpop_proof"


async def test_async_cache_hit_gives_the_same_principal(op: FakeOp) -> None:
    rs = ResourceServer(issuer=ISSUER, audience=AUDIENCE, http_client=op.async_client())
    token = mint()
    first = await rs.aauthenticate(bearer(token))
    again = await rs.aauthenticate(bearer(token))
    assert again.claims == first.claims and again.token == token
    with pytest.raises(ResourceRejection) as info:
        await rs.aauthenticate(bearer(token), scopes=["admin"])
    assert info.value.status == 403
    cache = rs.validated_token_cache
    assert cache is not None and cache.hits == 2


# ------------------------------------------------------------- DPoPProofValidator.plan


def test_plan_yields_one_record_step_and_returns_the_proof() -> None:
    key = DPoPKey()
    validator = DPoPProofValidator(replay_store=MemoryReplayStore(10))
    value = key.create_proof("GET", URL)
    plan = validator.plan(value, method="GET", url=URL)
    step = next(plan)
    assert isinstance(step, RecordProof)
    assert step.store is validator.replay_store and step.key.startswith("dpop:")
    assert 1 <= step.ttl <= validator.max_age + validator.leeway
    with pytest.raises(StopIteration) as done:
        plan.send(step.run())
    verified = done.value.value
    assert isinstance(verified, DPoPProof) and verified.jkt == key.jwk_thumbprint
    # the same proof again: the step answers False, and the plan refuses it
    again = validator.plan(value, method="GET", url=URL)
    step = next(again)
    assert step.run() is False
    with pytest.raises(DPoPProofException) as info:
        again.send(False)
    assert info.value.error_code == "dpop_proof_replayed"


def test_plan_checks_before_yielding_and_arun_records_the_same_way() -> None:
    key = DPoPKey()
    validator = DPoPProofValidator()
    wrong = validator.plan(key.create_proof("POST", URL), method="GET", url=URL)
    with pytest.raises(DPoPProofException):
        next(wrong)  # refused before any step: nothing is recorded
    value = key.create_proof("GET", URL)
    plan = validator.plan(value, method="GET", url=URL)
    step = next(plan)
    assert asyncio.run(step.arun()) is True
    assert asyncio.run(step.arun()) is False  # recorded once
    with pytest.raises(StopIteration):
        plan.send(True)


def test_record_step_of_a_full_store_is_the_proofs_rejection() -> None:
    validator = DPoPProofValidator(replay_store=MemoryReplayStore(1))
    key = DPoPKey()
    validator.validate(key.create_proof("GET", URL), method="GET", url=URL)
    step = next(validator.plan(key.create_proof("GET", URL), method="GET", url=URL))
    for run in (step.run, lambda: asyncio.run(step.arun())):
        with pytest.raises(DPoPProofException) as info:
            run()
        assert info.value.error_code == "replay_store_full"
