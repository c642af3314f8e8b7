"""validate_claims / ClaimRules: every rule accepted and rejected, at a fixed clock."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Mapping
from typing import Any

import pytest

from py_identity_model.exceptions import (
    ClaimsValidationError,
    ConfigurationException,
    InvalidAudienceException,
    InvalidIssuerException,
    MissingClaimException,
    PyIdentityModelException,
    TokenExpiredException,
    TokenNotYetValidException,
    TokenValidationException,
)
from py_identity_model.validation.claims import ClaimRules, validate_claims

NOW = 1_700_000_000
LEEWAY = 60
ISS = "https://op.example"
AUD = "api://orders"
ENTRA = "https://login.microsoftonline.com/{tenantid}/v2.0"
TID = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def token(**overrides: Any) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": ISS,
        "sub": "user-1",
        "aud": AUD,
        "exp": NOW + 300,
        "iat": NOW - 10,
        "nbf": NOW - 10,
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def check(payload: Mapping[str, Any], now: float = NOW, **rules: Any) -> None:
    validate_claims(payload, ClaimRules(**rules), now=now)


# ----------------------------------------------------------------------------- exp


def test_valid_token_passes_with_all_rules() -> None:
    check(
        token(scope="read write", azp="client", tid=TID),
        issuers=(ISS,),
        audiences=(AUD,),
        subject="user-1",
        required_claims=("sub",),
        required_scopes=("read",),
        authorized_party="client",
        max_token_age=600,
    )


def test_exp_is_required() -> None:
    with pytest.raises(MissingClaimException) as info:
        check(token(exp=None))
    assert "exp" in str(info.value)
    assert info.value.token_part == "payload"
    assert info.value.details == {"claim": "exp"}


def test_exp_optional_when_require_exp_off_but_checked_when_present() -> None:
    check(token(exp=None), require_exp=False)
    with pytest.raises(TokenExpiredException):
        check(token(exp=NOW - 3600), require_exp=False)


@pytest.mark.parametrize(
    ("now", "expired"),
    [
        (NOW - 1, False),  # before exp
        (NOW, False),  # exactly at exp: inside the leeway
        (NOW + LEEWAY - 1, False),  # last second of the leeway
        (NOW + LEEWAY, True),  # "on or after" exp + leeway
        (NOW + LEEWAY + 1, True),
    ],
)
def test_exp_leeway_boundaries(now: int, expired: bool) -> None:
    payload = token(exp=NOW, iat=NOW - 100, nbf=None)
    if expired:
        with pytest.raises(TokenExpiredException):
            check(payload, now=now, leeway=LEEWAY)
    else:
        check(payload, now=now, leeway=LEEWAY)


def test_exp_zero_leeway_is_on_or_after() -> None:
    payload = token(exp=NOW, iat=NOW - 100, nbf=None)
    check(payload, now=NOW - 1, leeway=0)
    with pytest.raises(TokenExpiredException):
        check(payload, now=NOW, leeway=0)


def test_exp_as_float() -> None:
    check(token(exp=NOW + 0.5), now=NOW + LEEWAY, leeway=LEEWAY)
    with pytest.raises(TokenExpiredException):
        check(token(exp=NOW + 0.5), now=NOW + LEEWAY + 0.5, leeway=LEEWAY)


@pytest.mark.parametrize("bad", [True, False, "tomorrow", str(NOW + 300), [NOW + 300], {"t": 1}])
def test_exp_must_be_a_number(bad: Any) -> None:
    with pytest.raises(ClaimsValidationError) as info:
        check(token(exp=bad))
    assert "exp" in str(info.value)


@pytest.mark.parametrize("bad", [math.inf, math.nan, -math.inf, 10**400])
def test_exp_must_be_finite(bad: Any) -> None:
    # inf/NaN would make "now >= exp" never true; 10**400 overflows float.
    with pytest.raises(ClaimsValidationError):
        check(token(exp=bad))


# ----------------------------------------------------------------------------- nbf


def test_nbf_boundaries() -> None:
    check(token(nbf=NOW + LEEWAY, iat=NOW))  # now + leeway == nbf: valid
    with pytest.raises(TokenNotYetValidException):
        check(token(nbf=NOW + LEEWAY + 1, iat=NOW))


def test_nbf_absent_is_fine_and_must_be_numeric() -> None:
    check(token(nbf=None))
    with pytest.raises(ClaimsValidationError):
        check(token(nbf="now"))
    with pytest.raises(ClaimsValidationError):
        check(token(nbf=False))


# ----------------------------------------------------------------------------- iat


def test_iat_in_the_future_beyond_leeway() -> None:
    check(token(iat=NOW + LEEWAY, nbf=None))
    with pytest.raises(TokenNotYetValidException):
        check(token(iat=NOW + LEEWAY + 1, nbf=None))


def test_iat_must_be_numeric_when_present() -> None:
    check(token(iat=None))
    with pytest.raises(ClaimsValidationError):
        check(token(iat="yesterday"))
    with pytest.raises(ClaimsValidationError):
        check(token(iat=True))


def test_max_token_age() -> None:
    check(token(iat=NOW - 600 - LEEWAY, nbf=None), max_token_age=600)
    with pytest.raises(TokenExpiredException) as info:
        check(token(iat=NOW - 600 - LEEWAY - 1, nbf=None), max_token_age=600)
    assert "iat" in str(info.value)


def test_max_token_age_requires_iat() -> None:
    with pytest.raises(MissingClaimException):
        check(token(iat=None), max_token_age=600)


# ----------------------------------------------------------------------------- iss


def test_issuer_exact_match() -> None:
    check(token(), issuers=("https://other.example", ISS))
    for wrong in (ISS + "/", ISS.upper(), "https://op.example.evil", ""):
        with pytest.raises(InvalidIssuerException) as info:
            check(token(iss=wrong), issuers=(ISS,))
        assert ISS in str(info.value)  # expected issuers are named


def test_issuer_not_checked_when_no_issuers_configured() -> None:
    check(token(iss="https://anyone.example"))
    check(token(iss=None))


def test_issuer_missing_when_required() -> None:
    with pytest.raises(MissingClaimException):
        check(token(iss=None), issuers=(ISS,))


@pytest.mark.parametrize("bad", [["a"], 5, {"iss": ISS}, True])
def test_issuer_must_be_a_string(bad: Any) -> None:
    with pytest.raises(InvalidIssuerException):
        check(token(iss=bad), issuers=(ISS,))
    with pytest.raises(InvalidIssuerException):  # even when not compared
        check(token(iss=bad))


def test_issuer_single_string_is_not_split_into_characters() -> None:
    rules = ClaimRules(issuers=ISS)  # type: ignore[arg-type]
    assert rules.issuers == (ISS,)
    with pytest.raises(InvalidIssuerException):
        validate_claims(token(iss="h"), rules, now=NOW)


def test_long_unexpected_issuer_is_truncated_in_message() -> None:
    secretish = "https://evil.example/" + "x" * 500
    with pytest.raises(InvalidIssuerException) as info:
        check(token(iss=secretish), issuers=(ISS,))
    assert "x" * 100 not in str(info.value)
    assert len(str(info.value)) < 200


# ----------------------------------------------------------------------- templates


def test_issuer_template_matches_tid() -> None:
    iss = f"https://login.microsoftonline.com/{TID}/v2.0"
    check(token(iss=iss, tid=TID), issuer_templates=(ENTRA,))


def test_issuer_template_requires_tid_to_equal_the_tenant_in_iss() -> None:
    other = "00000000-0000-0000-0000-000000000001"
    iss = f"https://login.microsoftonline.com/{other}/v2.0"
    with pytest.raises(InvalidIssuerException):
        check(token(iss=iss, tid=TID), issuer_templates=(ENTRA,))


def test_issuer_template_without_tid_fails() -> None:
    iss = f"https://login.microsoftonline.com/{TID}/v2.0"
    with pytest.raises(InvalidIssuerException) as info:
        check(token(iss=iss), issuer_templates=(ENTRA,))
    assert "tid" in str(info.value)


def test_issuer_template_is_not_a_wildcard() -> None:
    with pytest.raises(InvalidIssuerException):
        check(
            token(iss="https://login.microsoftonline.com/{tenantid}/v2.0", tid="{tenantid}"),
            issuer_templates=(ENTRA,),
        )
    with pytest.raises(InvalidIssuerException):
        check(
            token(iss=f"https://login.microsoftonline.com/{TID}/v2.0/extra", tid=TID),
            issuer_templates=(ENTRA,),
        )


@pytest.mark.parametrize(
    "tid",
    [
        "x/v2.0/../evil",  # path traversal: iss would be ".../x/v2.0/../evil/v2.0"
        "..",
        "a..b",
        "evil.example/",
        "t?x=",
        "t#frag",
        "user@evil.example",
        "evil.example:443",
        "%2e%2e",
        "t\\x",
        "t x",
        "",
        "a" * 129,
    ],
)
def test_issuer_template_refuses_tids_that_reshape_the_url(tid: str) -> None:
    # The substitution is exact, so the attacker can craft an iss that equals the filled-in
    # template; the tid itself must therefore be a plain identifier.
    crafted_iss = ENTRA.replace("{tenantid}", tid)
    with pytest.raises(InvalidIssuerException) as info:
        check(token(iss=crafted_iss, tid=tid), issuer_templates=(ENTRA,))
    assert "tid" in str(info.value)


def test_issuer_template_host_position_cannot_be_hijacked() -> None:
    template = "https://{tenantid}.ciamlogin.example/{tenantid}/v2.0"
    tid = "evil.example/x?"
    with pytest.raises(InvalidIssuerException):
        check(token(iss=template.replace("{tenantid}", tid), tid=tid), issuer_templates=(template,))
    ok = "contoso"
    check(token(iss=template.replace("{tenantid}", ok), tid=ok), issuer_templates=(template,))


def test_issuer_template_non_string_tid() -> None:
    with pytest.raises(InvalidIssuerException):
        check(
            token(iss="https://login.microsoftonline.com/5/v2.0", tid=5), issuer_templates=(ENTRA,)
        )


def test_issuers_and_templates_combine() -> None:
    rules: dict[str, Any] = {"issuers": (ISS,), "issuer_templates": (ENTRA,)}
    check(token(), **rules)
    check(token(iss=f"https://login.microsoftonline.com/{TID}/v2.0", tid=TID), **rules)


# ----------------------------------------------------------------------------- aud


def test_audience_string_and_list() -> None:
    check(token(aud=AUD), audiences=(AUD,))
    check(token(aud=["other", AUD]), audiences=(AUD,))
    check(token(aud=["other"]), audiences=("x", "other"))


def test_audience_mismatch() -> None:
    with pytest.raises(InvalidAudienceException) as info:
        check(token(aud="api://payments"), audiences=(AUD,))
    assert AUD in str(info.value)
    with pytest.raises(InvalidAudienceException):
        check(token(aud=["api://payments", "x"]), audiences=(AUD,))
    with pytest.raises(InvalidAudienceException):
        check(token(aud=[]), audiences=(AUD,))
    with pytest.raises(InvalidAudienceException):  # no substring matching
        check(token(aud="api://orders-admin"), audiences=(AUD,))


def test_audience_missing_when_required() -> None:
    with pytest.raises(MissingClaimException):
        check(token(aud=None), audiences=(AUD,))


def test_audience_not_checked_when_not_configured() -> None:
    check(token(aud="anything"))
    check(token(aud=None))


@pytest.mark.parametrize("bad", [5, True, {"aud": AUD}, [AUD, 5], [[AUD]]])
def test_audience_must_be_string_or_list_of_strings(bad: Any) -> None:
    with pytest.raises(InvalidAudienceException):
        check(token(aud=bad), audiences=(AUD,))
    with pytest.raises(InvalidAudienceException):
        check(token(aud=bad))


# ----------------------------------------------------------------------- sub / azp


def test_subject() -> None:
    check(token(), subject="user-1")
    with pytest.raises(ClaimsValidationError) as info:
        check(token(sub="user-2"), subject="user-1")
    assert "user-2" not in str(info.value)
    with pytest.raises(MissingClaimException):
        check(token(sub=None), subject="user-1")


def test_sub_and_jti_must_be_strings_when_present() -> None:
    with pytest.raises(ClaimsValidationError):
        check(token(sub=123))
    with pytest.raises(ClaimsValidationError):
        check(token(jti=["a"]))
    check(token(jti="abc"))


def test_authorized_party() -> None:
    check(token(azp="client"), authorized_party="client")
    check(token(), authorized_party="client")  # absent azp is accepted here
    check(token(aud=["client", "api"], azp="client"), authorized_party="client")
    with pytest.raises(InvalidAudienceException):
        check(token(azp="other"), authorized_party="client")
    with pytest.raises(InvalidAudienceException):
        check(token(aud=["client", "api"], azp="api"), authorized_party="client")
    with pytest.raises(InvalidAudienceException):
        check(token(azp=["client"]), authorized_party="client")


def test_azp_not_checked_without_authorized_party() -> None:
    check(token(azp="whatever"))


# ---------------------------------------------------------------- required claims


def test_required_claims() -> None:
    check(token(tenant="t1", flag=False), required_claims=("tenant", "flag"))
    with pytest.raises(MissingClaimException) as info:
        check(token(), required_claims=("tenant",))
    assert "tenant" in str(info.value)
    assert info.value.details == {"claim": "tenant"}
    with pytest.raises(MissingClaimException):  # JSON null counts as absent
        check({**token(), "tenant": None}, required_claims=("tenant",))


# -------------------------------------------------------------------------- scopes


def test_scopes_from_scope_string() -> None:
    check(token(scope="openid read write"), required_scopes=("read", "write"))
    with pytest.raises(ClaimsValidationError) as info:
        check(token(scope="openid read"), required_scopes=("read", "write"))
    assert "write" in str(info.value)


def test_scopes_are_whole_tokens() -> None:
    with pytest.raises(ClaimsValidationError):
        check(token(scope="reader"), required_scopes=("read",))


def test_scopes_from_scp_array_and_string() -> None:
    check(token(scp=["read", "write"]), required_scopes=("read", "write"))
    check(token(scp="read write"), required_scopes=("write",))
    with pytest.raises(ClaimsValidationError):
        check(token(scp=["read"]), required_scopes=("write",))


def test_scopes_combine_scope_and_scp() -> None:
    check(token(scope="read", scp=["write"]), required_scopes=("read", "write"))


def test_scopes_missing_claim() -> None:
    with pytest.raises(ClaimsValidationError):
        check(token(), required_scopes=("read",))


@pytest.mark.parametrize("claim", ["scope", "scp"])
@pytest.mark.parametrize("bad", [5, {"read": True}, ["read", 5], True])
def test_scopes_malformed(claim: str, bad: Any) -> None:
    with pytest.raises(ClaimsValidationError):
        check(token(**{claim: bad}), required_scopes=("read",))


def test_scopes_not_parsed_when_none_required() -> None:
    check(token(scope=5))


# ---------------------------------------------------------------- custom validator


def test_custom_validator_accepts() -> None:
    seen: list[Mapping[str, Any]] = []
    check(token(), claims_validator=seen.append)
    assert seen[0]["sub"] == "user-1"
    check(token(), claims_validator=lambda claims: True)


def test_custom_validator_raising_is_wrapped_with_cause() -> None:
    def reject(claims: Mapping[str, Any]) -> None:
        raise ValueError("tenant not allowed")

    with pytest.raises(ClaimsValidationError) as info:
        check(token(), claims_validator=reject)
    assert isinstance(info.value.__cause__, ValueError)
    assert "tenant not allowed" in str(info.value)


def test_custom_validator_library_exception_passes_through() -> None:
    def reject(claims: Mapping[str, Any]) -> None:
        raise InvalidAudienceException("custom audience rule")

    with pytest.raises(InvalidAudienceException, match="custom audience rule"):
        check(token(), claims_validator=reject)


def test_custom_validator_returning_false_rejects() -> None:
    with pytest.raises(ClaimsValidationError):
        check(token(), claims_validator=lambda claims: False)


def test_custom_validator_cannot_mutate_payload() -> None:
    payload = token()

    def mutate(claims: Any) -> None:
        claims["sub"] = "admin"

    check(payload, claims_validator=mutate)
    assert payload["sub"] == "user-1"


def test_custom_async_validator_is_refused_not_skipped() -> None:
    async def hook(claims: Mapping[str, Any]) -> None:
        raise AssertionError("never awaited")

    with pytest.raises(ClaimsValidationError, match="awaitable"):
        check(token(), claims_validator=hook)
    # the coroutine was closed: no "never awaited" warning leaks
    assert asyncio.iscoroutinefunction(hook)


def test_custom_validator_not_run_when_earlier_rule_fails() -> None:
    calls: list[object] = []
    with pytest.raises(TokenExpiredException):
        check(token(exp=NOW - 3600), claims_validator=calls.append)
    assert calls == []


# ------------------------------------------------------------------ configuration


@pytest.mark.parametrize("bad", [math.nan, math.inf, -1, "60"])
def test_bad_leeway_is_a_configuration_error(bad: Any) -> None:
    with pytest.raises(ConfigurationException):
        ClaimRules(leeway=bad)


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_bad_now_is_a_configuration_error(bad: float) -> None:
    with pytest.raises(ConfigurationException):
        validate_claims(token(), ClaimRules(), now=bad)


def test_empty_issuer_or_audience_entries_are_refused() -> None:
    with pytest.raises(ConfigurationException):
        ClaimRules(issuers=("",))
    with pytest.raises(ConfigurationException):
        ClaimRules(audiences=(AUD, None))  # type: ignore[arg-type]


def test_rules_are_frozen() -> None:
    rules = ClaimRules()
    with pytest.raises(AttributeError):
        rules.leeway = 0  # type: ignore[misc]


def test_lists_are_normalised_to_tuples() -> None:
    rules = ClaimRules(issuers=[ISS], audiences=[AUD])  # type: ignore[arg-type]
    assert rules.issuers == (ISS,)
    assert rules.audiences == (AUD,)


def test_payload_must_be_a_mapping() -> None:
    with pytest.raises(ClaimsValidationError):
        validate_claims(["exp"], ClaimRules(), now=NOW)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"exp": "x"}, ClaimsValidationError),
        ({"aud": 5}, InvalidAudienceException),
        ({"iss": ["a"]}, InvalidIssuerException),
        ({"nbf": []}, ClaimsValidationError),
        ({"iat": {}}, ClaimsValidationError),
        ({"scope": 1.5}, ClaimsValidationError),
        ({"tid": ["x"], "iss": "https://login.microsoftonline.com/x/v2.0"}, InvalidIssuerException),
    ],
)
def test_type_errors_never_escape_as_type_error(
    overrides: dict[str, Any], expected: type[TokenValidationException]
) -> None:
    payload = {"iss": ISS, "aud": AUD, "exp": NOW + 10, **overrides}
    rules: dict[str, Any] = {"issuers": (ISS,), "issuer_templates": (ENTRA,), "audiences": (AUD,)}
    with pytest.raises(expected) as info:
        check(payload, required_scopes=("x",), **rules)
    assert isinstance(info.value, PyIdentityModelException)
    assert info.value.token_part == "payload"


def test_malformed_rule_fields_are_configuration_errors() -> None:
    with pytest.raises(ConfigurationException):
        ClaimRules(issuers=5)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationException):
        ClaimRules(claims_validator="not callable")  # type: ignore[arg-type]
