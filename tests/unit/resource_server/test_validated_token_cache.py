"""The validated-token cache: hits skip the signature, exp/nbf re-checked, rotation, differential."""

from __future__ import annotations

import random
import time
from typing import Any

import pytest
from fake_op import AUDIENCE, ISSUER, KEY, STRANGER, URL, FakeOp, mint, new_key

from py_identity_model import IncomingRequest, ResourceRejection, ResourceServer
from py_identity_model.exceptions import ConfigurationException
from py_identity_model.jose import JsonWebKeySet
from py_identity_model.resource_server import ValidatedTokenCache


def request(token: str) -> IncomingRequest:
    return IncomingRequest("GET", URL, {"Authorization": f"Bearer {token}"})


def answer(rs: ResourceServer, token: str) -> tuple[str, Any]:
    try:
        return "ok", dict(rs.authenticate(request(token)).claims)
    except ResourceRejection as rejection:
        return "rejected", (rejection.status, rejection.error, rejection.reason)


@pytest.fixture
def op() -> FakeOp:
    return FakeOp()


def test_a_repeated_token_skips_the_signature_check(
    op: FakeOp, monkeypatch: pytest.MonkeyPatch
) -> None:
    rs = ResourceServer(issuer=ISSUER, audience=AUDIENCE, http_client=op.client())
    token = mint()
    rs.authenticate(request(token))
    cache = rs.validated_token_cache
    assert cache is not None and len(cache) == 1
    uncached = ResourceServer(
        issuer=ISSUER, audience=AUDIENCE, http_client=op.client(), validated_token_cache=None
    )
    uncached.authenticate(request(token))

    def no_signature_check(*args: object, **kwargs: object) -> None:
        raise AssertionError("the signature was checked again")

    monkeypatch.setattr(JsonWebKeySet, "verify", no_signature_check)
    for _ in range(3):
        assert rs.authenticate(request(token)).subject == "alice"
    assert cache.hits == 3
    with pytest.raises(AssertionError, match="checked again"):
        uncached.authenticate(request(token))  # the uncached path does verify every time
    # keyed by the exact token: one character changed is a miss, validated in full
    near = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    with pytest.raises(AssertionError, match="checked again"):
        rs.authenticate(request(near))
    assert cache.hits == 3


def test_hits_recheck_expiry_and_not_before() -> None:
    clock = [1000.0]
    cache = ValidatedTokenCache(8, leeway=5, clock=lambda: clock[0])
    cache.put("t1", {"exp": 1010, "nbf": 990}, KEY, None)
    assert cache.get("t1") == {"exp": 1010, "nbf": 990}
    clock[0] = 1014.9
    assert cache.get("t1") is not None
    clock[0] = 1015.0
    assert cache.get("t1") is None and len(cache) == 0  # expired: dropped
    cache.put("t2", {"nbf": 2000}, KEY, None)
    assert cache.get("t2") is None and len(cache) == 1  # not yet valid: not answered


def test_expired_token_is_rejected_after_being_cached(op: FakeOp) -> None:
    rs = ResourceServer(issuer=ISSUER, audience=AUDIENCE, http_client=op.client(), leeway=0)
    token = mint(lifetime=2)
    rs.authenticate(request(token))
    time.sleep(2.1)
    with pytest.raises(ResourceRejection) as info:
        rs.authenticate(request(token))
    assert info.value.reason == "token_expired"


def test_bounded_least_recently_used_first() -> None:
    cache = ValidatedTokenCache(2)
    for name in ("a", "b"):
        cache.put(name, {}, KEY, None)
    assert cache.get("a") is not None
    cache.put("c", {}, KEY, None)
    assert len(cache) == 2
    assert cache.get("b") is None and cache.get("a") is not None
    cache.clear()
    assert len(cache) == 0
    assert "max_entries=2" in repr(cache)
    with pytest.raises(ConfigurationException):
        ValidatedTokenCache(0)


def test_an_entry_goes_the_moment_its_key_leaves_the_key_set(op: FakeOp) -> None:
    rs = ResourceServer(issuer=ISSUER, audience=AUDIENCE, http_client=op.client())
    old_token = mint()
    rs.authenticate(request(old_token))
    # The provider rotates: a new key, the old one withdrawn. A token signed with the new
    # key makes the validator refetch the JWKS (unknown kid).
    new = new_key("op-2")
    op.keys = [new]
    assert rs.authenticate(request(mint(key=new))).subject == "alice"
    assert op.count("/jwks") == 2
    with pytest.raises(ResourceRejection) as info:
        rs.authenticate(request(old_token))
    assert (info.value.status, info.value.reason) == (401, "key_not_found")
    cache = rs.validated_token_cache
    assert cache is not None and len(cache) == 1  # only the new token's entry is left


def test_an_entry_survives_a_refresh_that_keeps_its_key(op: FakeOp) -> None:
    rs = ResourceServer(issuer=ISSUER, audience=AUDIENCE, http_client=op.client())
    token = mint()
    rs.authenticate(request(token))
    new = new_key("op-2")
    op.keys = [KEY, new]
    rs.authenticate(request(mint(key=new)))
    cache = rs.validated_token_cache
    assert cache is not None
    hits = cache.hits
    rs.authenticate(request(token))
    assert cache.hits == hits + 1


def test_invalidated_keys_mean_a_full_validation(op: FakeOp) -> None:
    rs = ResourceServer(issuer=ISSUER, audience=AUDIENCE, http_client=op.client())
    token = mint()
    rs.authenticate(request(token))
    rs.invalidate()
    assert rs.authenticate(request(token)).subject == "alice"
    assert op.count("/jwks") == 2


def test_off_when_none(op: FakeOp) -> None:
    rs = ResourceServer(
        issuer=ISSUER, audience=AUDIENCE, http_client=op.client(), validated_token_cache=None
    )
    token = mint()
    rs.authenticate(request(token))
    assert rs.validated_token_cache is None
    assert rs.authenticate(request(token)).subject == "alice"


def _token_mix(rng: random.Random) -> list[str]:
    tokens = []
    for i in range(160):
        kind = rng.choice(
            ["valid", "expired", "soon", "aud", "iss", "typ", "stranger", "tampered", "scope"]
        )
        if kind == "valid":
            tokens.append(mint(jti=f"v{i}"))
        elif kind == "expired":
            tokens.append(mint(lifetime=-rng.randint(61, 500)))
        elif kind == "soon":
            tokens.append(mint(lifetime=-rng.randint(0, 59)))  # inside the 60 s leeway
        elif kind == "aud":
            tokens.append(mint(aud="https://other.example"))
        elif kind == "iss":
            tokens.append(mint(iss="https://evil.example"))
        elif kind == "typ":
            tokens.append(mint(typ="JWT"))
        elif kind == "stranger":
            tokens.append(mint(key=STRANGER))
        elif kind == "tampered":
            head, _, sig = mint().split(".")
            tokens.append(f"{head}.{mint(sub='mallory').split('.')[1]}.{sig}")
        else:
            tokens.append(mint(scope="other"))
    return tokens


def test_same_answers_as_the_uncached_path_on_every_token(op: FakeOp) -> None:
    rng = random.Random(12)
    tokens = _token_mix(rng)
    cached = ResourceServer(issuer=ISSUER, audience=AUDIENCE, http_client=op.client())
    uncached = ResourceServer(
        issuer=ISSUER, audience=AUDIENCE, http_client=op.client(), validated_token_cache=None
    )
    # every token three times, in a shuffled order: first sight, then (for valid ones) hits
    sequence = tokens * 3
    rng.shuffle(sequence)
    for token in sequence:
        assert answer(cached, token) == answer(uncached, token)
    cache = cached.validated_token_cache
    assert cache is not None and cache.hits > 0
    kinds = {answer(uncached, t)[0] for t in tokens}
    assert kinds == {"ok", "rejected"}
