"""state (RFC 6749 §10.12) and iss (RFC 9207) checks on authorization callbacks."""

from __future__ import annotations

import itertools
from unittest import mock

import pytest

from py_identity_model.exceptions import AuthorizeCallbackException, ConfigurationException
from py_identity_model.frontchannel import (
    AuthorizeCallbackResponse,
    AuthorizeCallbackValidationResult as Result,
    StateValidationResult,
    parse_authorize_callback_response as parse,
    validate_authorize_callback,
    validate_authorize_callback_issuer,
    validate_authorize_callback_state,
)

ISS = "https://as.example.com"


def test_result_values() -> None:
    assert [m.name for m in Result] == [
        "SUCCESS",
        "STATE_MISMATCH",
        "MISSING_STATE",
        "ERROR_RESPONSE",
        "ISSUER_MISMATCH",
        "MISSING_ISSUER",
    ]
    assert Result.SUCCESS.value == "success"


def test_state_result_shape() -> None:
    result = StateValidationResult(is_valid=True, result=Result.SUCCESS)
    assert (result.error, result.error_description) == (None, None)


# ----------------------------------------------------------------------- state


def test_state_match() -> None:
    result = validate_authorize_callback_state(parse("?code=c&state=abc"), "abc")
    assert result == StateValidationResult(True, Result.SUCCESS)


def test_state_match_non_ascii() -> None:
    result = validate_authorize_callback_state(parse("?code=c&state=%C3%A9t%C3%A9"), "été")
    assert result.is_valid


@pytest.mark.parametrize("received", ["abd", "ab", "abcd", "ABC", "abc%20", "%20abc", "abc+"])
def test_state_mismatch(received: str) -> None:
    result = validate_authorize_callback_state(parse(f"?code=c&state={received}"), "abc")
    assert not result.is_valid
    assert result.result is Result.STATE_MISMATCH
    assert result.error == "state_mismatch"


@pytest.mark.parametrize("url", ["?code=c", "?code=c&state=", "?code=c&state"])
def test_state_missing_in_callback(url: str) -> None:
    result = validate_authorize_callback_state(parse(url), "abc")
    assert result.result is Result.MISSING_STATE
    assert result.error == "missing_state"


@pytest.mark.parametrize("expected", [None, "", 123])
def test_expected_state_missing(expected: object) -> None:
    result = validate_authorize_callback_state(parse("?code=c&state=abc"), expected)  # type: ignore[arg-type]
    assert result.result is Result.MISSING_STATE
    assert "expired" in (result.error_description or "")


def test_error_response_reported_and_state_readable() -> None:
    response = parse("?error=access_denied&error_description=no&state=abc")
    result = validate_authorize_callback_state(response, "abc")
    assert result.result is Result.ERROR_RESPONSE
    assert (result.error, result.error_description) == ("access_denied", "no")
    assert response.state == "abc"


def test_state_compared_in_constant_time() -> None:
    with mock.patch(
        "py_identity_model.frontchannel.callback.constant_time_equals", return_value=True
    ) as spy:
        validate_authorize_callback_state(parse("?code=c&state=abc"), "abc")
    spy.assert_called_once_with("abc", "abc")


# ---------------------------------------------------------------------- issuer
# RFC 9207 §2.4: a present iss must match; an absent one fails when the AS advertises
# support (authorization_response_iss_parameter_supported) or the client requires it.

ISS_CASES = list(
    itertools.product(
        ["match", "mismatch", "empty", "absent"],  # iss in the callback
        [False, True],  # iss_parameter_supported
        [False, True],  # require
    )
)


def _callback(kind: str, extra: str = "code=c&state=s") -> AuthorizeCallbackResponse:
    iss = {"match": f"&iss={ISS}", "mismatch": "&iss=https://evil.example", "empty": "&iss="}
    return parse(f"?{extra}{iss.get(kind, '')}")


@pytest.mark.parametrize(("kind", "supported", "require"), ISS_CASES)
def test_issuer_table_success_responses(kind: str, supported: bool, require: bool) -> None:
    result = validate_authorize_callback_issuer(
        _callback(kind), ISS, iss_parameter_supported=supported, require=require
    )
    if kind == "match":
        expected = Result.SUCCESS
    elif kind in ("mismatch", "empty"):
        expected = Result.ISSUER_MISMATCH
    else:
        expected = Result.MISSING_ISSUER if (supported or require) else Result.SUCCESS
    assert result.result is expected
    assert result.is_valid is (expected is Result.SUCCESS)
    if not result.is_valid:
        assert result.error == expected.value


@pytest.mark.parametrize(("kind", "supported", "require"), ISS_CASES)
def test_issuer_table_error_responses(kind: str, supported: bool, require: bool) -> None:
    result = validate_authorize_callback_issuer(
        _callback(kind, "error=access_denied&state=s"),
        ISS,
        iss_parameter_supported=supported,
        require=require,
    )
    # The issuer is checked first: an error must not be trusted as coming from the
    # intended server (RFC 9207 §2.4).
    if kind in ("mismatch", "empty"):
        expected = Result.ISSUER_MISMATCH
    elif kind == "absent" and (supported or require):
        expected = Result.MISSING_ISSUER
    else:
        expected = Result.ERROR_RESPONSE
    assert result.result is expected
    assert not result.is_valid


def test_issuer_exact_string_comparison() -> None:
    for variant in [ISS + "/", ISS.upper(), "https://AS.example.com", ISS + "%20"]:
        response = parse("?code=c&iss=" + variant.replace("%", "%25"))
        assert validate_authorize_callback_issuer(response, ISS).result is Result.ISSUER_MISMATCH
    response = parse("?code=c&iss=https%3A%2F%2Fas.example.com")  # form-decoded first
    assert validate_authorize_callback_issuer(response, ISS).is_valid


@pytest.mark.parametrize("expected", [None, ""])
def test_issuer_present_but_nothing_expected_fails_closed(expected: str | None) -> None:
    result = validate_authorize_callback_issuer(parse(f"?code=c&iss={ISS}"), expected)
    assert result.result is Result.ISSUER_MISMATCH


# ------------------------------------------------------------------ convenience


def test_validate_callback_success_returns_response() -> None:
    response = parse(f"?code=c&state=s&iss={ISS}")
    assert (
        validate_authorize_callback(response, expected_state="s", expected_issuer=ISS) is response
    )
    without_iss = parse("?code=c&state=s")
    assert validate_authorize_callback(without_iss, expected_state="s") is without_iss


@pytest.mark.parametrize("iss", [ISS, "https://evil.example", ""])
def test_an_iss_is_never_ignored_even_without_expected_issuer(iss: str) -> None:
    # RFC 9207 §2.4: a callback naming an issuer cannot be checked without an expected
    # issuer, so it fails closed (it used to be accepted).
    response = parse(f"?code=c&state=s&iss={iss}")
    with pytest.raises(AuthorizeCallbackException) as caught:
        validate_authorize_callback(response, expected_state="s")
    assert caught.value.details["result"] is Result.ISSUER_MISMATCH


@pytest.mark.parametrize(
    ("url", "kwargs", "result"),
    [
        ("?code=c&state=t", {}, Result.STATE_MISMATCH),
        ("?code=c", {}, Result.MISSING_STATE),
        ("?error=access_denied&state=s", {}, Result.ERROR_RESPONSE),
        (f"?code=c&state=s&iss={ISS}x", {"expected_issuer": ISS}, Result.ISSUER_MISMATCH),
        (
            "?code=c&state=s",
            {"expected_issuer": ISS, "iss_parameter_supported": True},
            Result.MISSING_ISSUER,
        ),
        # mix-up is reported before the (untrusted) error
        (
            "?error=access_denied&state=s&iss=https://evil",
            {"expected_issuer": ISS},
            Result.ISSUER_MISMATCH,
        ),
        # a forged state is reported even with a genuine issuer
        (f"?code=c&state=x&iss={ISS}", {"expected_issuer": ISS}, Result.STATE_MISMATCH),
    ],
)
def test_validate_callback_raises(url: str, kwargs: dict[str, object], result: Result) -> None:
    with pytest.raises(AuthorizeCallbackException) as info:
        validate_authorize_callback(parse(url), expected_state="s", **kwargs)  # type: ignore[arg-type]
    assert info.value.details["result"] is result


def test_validate_callback_error_details() -> None:
    response = parse("?error=access_denied&error_description=User+said+no&state=s")
    with pytest.raises(AuthorizeCallbackException) as info:
        validate_authorize_callback(response, expected_state="s")
    details = info.value.details
    assert details["error"] == "access_denied"
    assert details["error_description"] == "User said no"
    assert details["state_matches"] is True
    assert "access_denied" in str(info.value)
    assert "User said no" not in str(info.value)

    with pytest.raises(AuthorizeCallbackException) as info:
        validate_authorize_callback(parse("?error=x&state=forged"), expected_state="s")
    assert info.value.details["state_matches"] is False


def test_validate_callback_long_error_code_truncated() -> None:
    response = parse("?error=" + "e" * 5000 + "&state=s")
    with pytest.raises(AuthorizeCallbackException) as info:
        validate_authorize_callback(response, expected_state="s")
    assert len(str(info.value)) < 200


def test_validate_callback_duplicate_state_is_refused() -> None:
    response = parse("?code=c&state=s&state=s")
    with pytest.raises(AuthorizeCallbackException) as info:
        validate_authorize_callback(response, expected_state="s")
    assert info.value.details["error_description"] == "duplicate parameter: state"


def test_validate_callback_supported_without_expected_issuer_is_misuse() -> None:
    with pytest.raises(ConfigurationException):
        validate_authorize_callback(
            parse("?code=c&state=s"), expected_state="s", iss_parameter_supported=True
        )


def test_validate_callback_does_not_leak_state_in_message() -> None:
    with pytest.raises(AuthorizeCallbackException) as info:
        validate_authorize_callback(parse("?code=c&state=ATTACKER"), expected_state="SECRET")
    assert "SECRET" not in str(info.value)
    assert "ATTACKER" not in str(info.value)
