"""validate_id_token_claims: OIDC Core §3.1.3.7 rules, accept and reject sides."""

from __future__ import annotations

import base64
import hashlib
import math
from typing import Any

import pytest

from py_identity_model.exceptions import (
    ConfigurationException,
    IdTokenValidationException,
    InvalidAudienceException,
    TokenValidationException,
)
from py_identity_model.validation.id_token import IdTokenExpectations, validate_id_token_claims

NOW = 1_700_000_000
LEEWAY = 60
CLIENT = "s6BhdRkqt3"
NONCE = "n-0S6_WzA2Mj"
ACCESS_TOKEN = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"
CODE = "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk"
STATE = "af0ifjsldkj"


def half(value: str, digest_name: str = "sha256") -> str:
    digest = hashlib.new(digest_name, value.encode()).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).decode().rstrip("=")


def id_token(**overrides: Any) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": "https://server.example.com",
        "sub": "248289761001",
        "aud": CLIENT,
        "exp": NOW + 300,
        "iat": NOW - 5,
        "nonce": NONCE,
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


_EXPECTATIONS = ("nonce", "access_token", "code", "state", "max_age", "acr_values")


def check(payload: dict[str, Any], **kwargs: Any) -> None:
    """The rules with what the client expects (one IdTokenExpectations) and the context."""
    expected = IdTokenExpectations(**{k: kwargs.pop(k) for k in _EXPECTATIONS if k in kwargs})
    options: dict[str, Any] = {
        "alg": "RS256",
        "client_id": CLIENT,
        "now": NOW,
        "leeway": LEEWAY,
    }
    options.update(kwargs)
    validate_id_token_claims(payload, expected, **options)


def test_minimal_valid_id_token() -> None:
    check(id_token())


# ------------------------------------------------------------------------ sub / iat


@pytest.mark.parametrize("bad", [None, "", 123, ["a"]])
def test_sub_required_non_empty_string(bad: Any) -> None:
    payload = id_token(sub=bad) if bad is not None else id_token(sub=None)
    with pytest.raises(IdTokenValidationException) as info:
        check(payload)
    assert "sub" in str(info.value)


def test_iat_required_and_numeric() -> None:
    with pytest.raises(IdTokenValidationException, match="iat"):
        check(id_token(iat=None))
    with pytest.raises(IdTokenValidationException, match="iat"):
        check(id_token(iat="yesterday"))
    with pytest.raises(IdTokenValidationException):
        check(id_token(iat=True))
    check(id_token(iat=NOW - 5.5))


# ---------------------------------------------------------------------------- aud


def test_aud_must_contain_client_id() -> None:
    check(id_token(aud=[CLIENT]))
    with pytest.raises(InvalidAudienceException):
        check(id_token(aud="someone-else"))
    with pytest.raises(InvalidAudienceException):
        check(id_token(aud=None))
    with pytest.raises(InvalidAudienceException):
        check(id_token(aud=5))


def test_client_id_none_skips_aud_comparison() -> None:
    check(id_token(aud="someone-else"), client_id=None)


# ---------------------------------------------------------------------------- azp


def test_multiple_audiences_require_azp() -> None:
    check(id_token(aud=[CLIENT, "api"], azp=CLIENT))
    with pytest.raises(InvalidAudienceException, match="azp"):
        check(id_token(aud=[CLIENT, "api"]))


def test_multiple_audiences_require_azp_even_without_client_id() -> None:
    with pytest.raises(InvalidAudienceException, match="azp"):
        check(id_token(aud=[CLIENT, "api"]), client_id=None)
    check(id_token(aud=[CLIENT, "api"], azp="anything"), client_id=None)


def test_duplicate_audience_is_not_multiple() -> None:
    check(id_token(aud=[CLIENT, CLIENT]))


def test_azp_must_equal_client_id_when_present() -> None:
    check(id_token(azp=CLIENT))
    with pytest.raises(InvalidAudienceException):
        check(id_token(azp="other-client"))
    with pytest.raises(InvalidAudienceException):
        check(id_token(aud=[CLIENT, "api"], azp="api"))
    with pytest.raises(InvalidAudienceException):
        check(id_token(azp=[CLIENT]))


# -------------------------------------------------------------------------- nonce


def test_nonce_matches() -> None:
    check(id_token(), nonce=NONCE)


def test_nonce_mismatch_rejected_without_echo() -> None:
    with pytest.raises(IdTokenValidationException) as info:
        check(id_token(nonce="attacker-nonce"), nonce=NONCE)
    assert "attacker-nonce" not in str(info.value)
    assert NONCE not in str(info.value)


def test_nonce_required_when_sent() -> None:
    with pytest.raises(IdTokenValidationException, match="nonce"):
        check(id_token(nonce=None), nonce=NONCE)


def test_nonce_wrong_type_rejected() -> None:
    with pytest.raises(IdTokenValidationException):
        check(id_token(nonce=123), nonce="123")


def test_nonce_none_skips_check() -> None:
    check(id_token(nonce="whatever"), nonce=None)
    check(id_token(nonce=None), nonce=None)


def test_empty_expected_nonce_is_misuse() -> None:
    with pytest.raises(ConfigurationException):
        check(id_token(nonce=""), nonce="")


# --------------------------------------------------------------- at_hash / c_hash


def test_at_hash_spec_vector() -> None:
    # OIDC Core Appendix A.3
    check(id_token(at_hash="77QmUPtjPfzWtF2AnpK9RQ"), access_token=ACCESS_TOKEN)


def test_at_hash_mismatch() -> None:
    with pytest.raises(IdTokenValidationException, match="at_hash"):
        check(id_token(at_hash="77QmUPtjPfzWtF2AnpK9RQ"), access_token=ACCESS_TOKEN + "x")


def test_at_hash_absent_is_accepted() -> None:
    check(id_token(), access_token=ACCESS_TOKEN)


def test_at_hash_ignored_without_access_token() -> None:
    check(id_token(at_hash="not-checked"))


def test_at_hash_wrong_type() -> None:
    with pytest.raises(IdTokenValidationException):
        check(id_token(at_hash=["77QmUPtjPfzWtF2AnpK9RQ"]), access_token=ACCESS_TOKEN)


@pytest.mark.parametrize(
    ("alg", "digest"),
    [("RS256", "sha256"), ("ES384", "sha384"), ("PS512", "sha512"), ("EdDSA", "sha512")],
)
def test_at_hash_uses_the_algorithms_hash(alg: str, digest: str) -> None:
    check(id_token(at_hash=half(ACCESS_TOKEN, digest)), access_token=ACCESS_TOKEN, alg=alg)
    wrong = "sha256" if digest != "sha256" else "sha512"
    with pytest.raises(IdTokenValidationException):
        check(id_token(at_hash=half(ACCESS_TOKEN, wrong)), access_token=ACCESS_TOKEN, alg=alg)


def test_at_hash_unknown_alg() -> None:
    with pytest.raises(IdTokenValidationException):
        check(id_token(at_hash=half(ACCESS_TOKEN)), access_token=ACCESS_TOKEN, alg="none")


def test_c_hash_spec_vector() -> None:
    # OIDC Core Appendix A.4
    check(id_token(c_hash="LDktKdoQak3Pk0cnXxCltA"), code=CODE)
    with pytest.raises(IdTokenValidationException, match="c_hash"):
        check(id_token(c_hash="LDktKdoQak3Pk0cnXxCltA"), code="another-code")
    check(id_token(), code=CODE)  # absent c_hash accepted


def test_s_hash() -> None:
    check(id_token(s_hash=half(STATE)), state=STATE)
    check(id_token(s_hash=half(STATE, "sha384")), state=STATE, alg="PS384")
    with pytest.raises(IdTokenValidationException, match="s_hash"):
        check(id_token(s_hash=half(STATE)), state="other-state")
    check(id_token(), state=STATE)


def test_all_hashes_together() -> None:
    payload = id_token(at_hash=half(ACCESS_TOKEN), c_hash=half(CODE), s_hash=half(STATE))
    check(payload, access_token=ACCESS_TOKEN, code=CODE, state=STATE)
    with pytest.raises(IdTokenValidationException, match="s_hash"):
        check(payload, access_token=ACCESS_TOKEN, code=CODE, state="x")


# ------------------------------------------------------------------ max_age / auth


def test_max_age_boundaries() -> None:
    # AUTH_TIME_ALLOWANCE covers auth_time's resolution and the login round trip.
    check(id_token(auth_time=NOW - 300 - LEEWAY - 5), max_age=300)
    with pytest.raises(IdTokenValidationException, match="max_age"):
        check(id_token(auth_time=NOW - 300 - LEEWAY - 6), max_age=300)


def test_max_age_zero() -> None:
    # max_age=0 ("equivalent to prompt=login") accepts the login that just happened.
    check(id_token(auth_time=NOW), max_age=0, leeway=0)
    check(id_token(auth_time=NOW - 5), max_age=0, leeway=0)
    with pytest.raises(IdTokenValidationException):
        check(id_token(auth_time=NOW - 6), max_age=0, leeway=0)


def test_max_age_requires_auth_time() -> None:
    with pytest.raises(IdTokenValidationException, match="auth_time"):
        check(id_token(), max_age=300)
    with pytest.raises(IdTokenValidationException, match="auth_time"):
        check(id_token(auth_time="recently"), max_age=300)


def test_auth_time_not_needed_without_max_age() -> None:
    check(id_token(auth_time=NOW - 10**6))


@pytest.mark.parametrize("bad", [-1, math.nan, math.inf])
def test_bad_max_age_is_misuse(bad: float) -> None:
    with pytest.raises(ConfigurationException):
        check(id_token(auth_time=NOW), max_age=bad)


# ---------------------------------------------------------------------------- acr


def test_acr_values() -> None:
    check(id_token(acr="urn:mace:incommon:iap:silver"), acr_values=["urn:mace:incommon:iap:silver"])
    check(id_token(acr="loa2"), acr_values="loa1 loa2")  # space-separated request form
    with pytest.raises(IdTokenValidationException, match="acr"):
        check(id_token(acr="loa1"), acr_values=["loa2", "loa3"])
    with pytest.raises(IdTokenValidationException, match="acr"):
        check(id_token(), acr_values=["loa2"])
    with pytest.raises(IdTokenValidationException):
        check(id_token(acr=["loa2"]), acr_values=["loa2"])


def test_acr_string_is_not_matched_as_substring() -> None:
    with pytest.raises(IdTokenValidationException):
        check(id_token(acr="loa"), acr_values="loa2")


def test_acr_not_checked_without_acr_values() -> None:
    check(id_token(acr="anything"))
    check(id_token(acr="anything"), acr_values=[])


# ------------------------------------------------------------------------- misc


@pytest.mark.parametrize("bad", [math.nan, -1])
def test_bad_leeway_is_misuse(bad: float) -> None:
    with pytest.raises(ConfigurationException):
        check(id_token(), leeway=bad)


def test_payload_not_a_mapping() -> None:
    with pytest.raises(IdTokenValidationException):
        validate_id_token_claims(
            "not a dict",  # type: ignore[arg-type]
            alg="RS256",
            client_id=CLIENT,
            now=NOW,
            leeway=LEEWAY,
        )


def test_errors_carry_payload_token_part() -> None:
    with pytest.raises(TokenValidationException) as info:
        check(id_token(nonce="x"), nonce=NONCE)
    assert info.value.token_part == "payload"
    assert info.value.details == {"claim": "nonce"}


def test_non_string_hash_input_is_misuse() -> None:
    with pytest.raises(ConfigurationException):
        check(id_token(at_hash=half(ACCESS_TOKEN)), access_token=b"bytes")
