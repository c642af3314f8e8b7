"""check_dpop_binding (RFC 9449 §7.1: which scheme a token's cnf.jkt demands) and the
stateless server nonces (§8, §9)."""

from __future__ import annotations

from typing import Any

import pytest

from py_identity_model import (
    ConfigurationException,
    DPoPProofException,
    DPoPServerNonces,
    check_dpop_binding,
)

JKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"


@pytest.mark.parametrize("scheme", ["DPoP", "dpop", "DPOP"])
def test_bound_token_with_dpop_scheme_gives_the_thumbprint(scheme: str) -> None:
    assert check_dpop_binding({"sub": "a", "cnf": {"jkt": JKT}}, scheme=scheme) == JKT


@pytest.mark.parametrize("claims", [{"sub": "a"}, {"cnf": {"x5t#S256": "abc"}}])
def test_unbound_token_as_bearer_needs_no_proof(claims: dict[str, Any]) -> None:
    assert check_dpop_binding(claims, scheme="Bearer") is None
    assert check_dpop_binding(claims, scheme="bearer") is None


def _refused(claims: Any, scheme: Any) -> DPoPProofException:
    with pytest.raises(DPoPProofException) as info:
        check_dpop_binding(claims, scheme=scheme)
    assert info.value.error == "invalid_token"
    assert info.value.error_code == "dpop_binding_mismatch"
    return info.value


def test_bound_token_presented_as_bearer_is_refused() -> None:
    assert "DPoP scheme" in _refused({"cnf": {"jkt": JKT}}, "Bearer").message


@pytest.mark.parametrize("claims", [{"sub": "a"}, {"cnf": {"x5t#S256": "abc"}}])
def test_unbound_token_presented_as_dpop_is_refused(claims: dict[str, Any]) -> None:
    assert "not DPoP-bound" in _refused(claims, "DPoP").message


@pytest.mark.parametrize(
    "cnf", ["jkt", ["jkt"], {"jkt": ""}, {"jkt": 5}, {"jkt": {"x": 1}}], ids=str
)
def test_malformed_cnf_is_refused(cnf: Any) -> None:
    _refused({"cnf": cnf}, "DPoP")


@pytest.mark.parametrize("scheme", ["Basic", "", None, "MAC"])
def test_other_schemes_are_refused(scheme: Any) -> None:
    _refused({"cnf": {"jkt": JKT}}, scheme)


def test_claims_must_be_a_mapping() -> None:
    with pytest.raises(ConfigurationException):
        check_dpop_binding("claims", scheme="DPoP")  # type: ignore[arg-type]


# ----------------------------------------------------------------------- nonces


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_nonce_valid_in_its_window_and_the_next() -> None:
    clock = Clock(6000.0)
    nonces = DPoPServerNonces(b"k" * 32, lifetime=60, clock=clock)
    first = nonces.current()
    assert nonces.is_valid(first)
    clock.now += 59.9
    assert nonces.current() == first
    clock.now += 0.2  # next window: a new nonce, the previous still accepted
    assert nonces.current() != first
    assert nonces.is_valid(first) and nonces.is_valid(nonces.current())
    clock.now += 60
    assert not nonces.is_valid(first)


def test_nonce_from_the_future_is_refused() -> None:
    clock = Clock(6000.0)
    nonces = DPoPServerNonces(b"k" * 32, lifetime=60, clock=clock)
    clock.now += 120
    future = nonces.current()
    clock.now -= 120
    assert not nonces.is_valid(future)


def test_processes_sharing_a_secret_accept_each_other() -> None:
    clock = Clock(6000.0)
    one = DPoPServerNonces(b"shared-secret-32-bytes-long-....", clock=clock)
    two = DPoPServerNonces(b"shared-secret-32-bytes-long-....", clock=clock)
    other = DPoPServerNonces(clock=clock)  # a random secret
    assert two.is_valid(one.current())
    assert not other.is_valid(one.current())


@pytest.mark.parametrize(
    "nonce", ["", "short", "A" * 32, "!" * 32, 5, None, "A" * 31 + "=", "a" * 64]
)
def test_malformed_nonces_are_invalid(nonce: Any) -> None:
    assert not DPoPServerNonces(b"k" * 32).is_valid(nonce)


def test_tampered_nonce_is_invalid() -> None:
    nonces = DPoPServerNonces(b"k" * 32)
    good = nonces.current()
    flipped = good[:-2] + ("A" if good[-2] != "A" else "B") + good[-1]
    assert not nonces.is_valid(flipped)


@pytest.mark.parametrize(
    "kw",
    [{"secret": b"short"}, {"secret": "a-str-secret-of-32-characters..."}, {"lifetime": 0},
     {"lifetime": float("nan")}, {"lifetime": True}],
)  # fmt: skip
def test_bad_nonce_configuration(kw: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationException):
        DPoPServerNonces(**kw)


def test_repr_hides_the_secret() -> None:
    assert repr(DPoPServerNonces(b"k" * 32, lifetime=30)) == "DPoPServerNonces(lifetime=30)"
