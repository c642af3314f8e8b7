"""Finding the JARM ``response`` JWT in a callback (pure: no keys, no I/O).

Query (``query.jwt``), fragment (``fragment.jwt``), a form body or form fields
(``form_post.jwt``); exactly one ``response``; no unsigned authorization response parameters
beside it; the callback size bound of the plain parser; and the verified claims turned into
the same ``AuthorizeCallbackResponse`` a plain callback gives.
"""

from __future__ import annotations

from typing import Any

import pytest

from py_identity_model import (
    JARM_RESPONSE_MODES,
    MAX_CALLBACK_LENGTH,
    AuthorizeCallbackException,
    JarmValidationException,
    extract_jarm_response_jwt,
    is_jarm_response,
    parse_authorize_callback_response,
)
from py_identity_model.jarm.response import callback_from_claims, callback_text, is_jarm_mode

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln"
CALLBACK = "https://app.example/callback"


class MultiDict(dict[str, str]):
    """A form mapping that keeps repeated fields, as werkzeug's and starlette's do."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        super().__init__()
        self.pairs = pairs
        for name, value in pairs:
            self.setdefault(name, value)

    def getlist(self, name: str) -> list[str]:
        return [value for key, value in self.pairs if key == name]


@pytest.mark.parametrize(
    "callback",
    [
        f"{CALLBACK}?response={JWT}",
        f"{CALLBACK}#response={JWT}",
        f"{CALLBACK}?response={JWT}#_=_",
        f"response={JWT}",
        f"response={JWT}".encode(),
        bytearray(f"response={JWT}".encode()),
        {"response": JWT},
        {"response": [JWT]},
        MultiDict([("response", JWT)]),
        f"com.example.app:/callback?response={JWT}",
    ],
    ids=[
        "query", "fragment", "query+facebook-fragment", "form-body", "form-bytes",
        "form-bytearray", "form-fields", "parse_qs-fields", "multidict", "private-scheme",
    ],
)  # fmt: skip
def test_the_response_jwt_is_found_wherever_the_mode_puts_it(callback: Any) -> None:
    assert is_jarm_response(callback) is True
    assert extract_jarm_response_jwt(callback) == JWT


@pytest.mark.parametrize(
    "callback",
    [
        f"{CALLBACK}?code=abc&state=xyz",
        f"{CALLBACK}",
        "",
        b"",
        {"code": "abc"},
        {},
        MultiDict([]),
        JWT,  # the bare JWT is not a callback (that is is_jwt=True)
        "javascript:alert(1)//?response=x",
        "x" * (MAX_CALLBACK_LENGTH + 1),
    ],
    ids=[
        "plain", "no-params", "empty", "empty-bytes", "plain-fields", "no-fields",
        "empty-multidict", "bare-jwt", "dangerous-scheme", "oversize",
    ],
)  # fmt: skip
def test_what_is_not_a_jarm_response(callback: Any) -> None:
    assert is_jarm_response(callback) is False
    with pytest.raises(JarmValidationException) as caught:
        extract_jarm_response_jwt(callback)
    assert caught.value.code == "invalid_jarm_response"
    assert caught.value.details["reason"] == "invalid_callback"


@pytest.mark.parametrize(
    "callback",
    [
        f"{CALLBACK}?response={JWT}&response={JWT}x",
        f"{CALLBACK}?response={JWT}#response={JWT}",
        f"response={JWT}&response=other",
        {"response": [JWT, "other"]},
        MultiDict([("response", JWT), ("response", "other")]),
    ],
    ids=["query-twice", "query-and-fragment", "form-twice", "list-of-two", "multidict-twice"],
)
def test_two_response_parameters_are_refused(callback: Any) -> None:
    with pytest.raises(JarmValidationException, match="duplicate parameter: response"):
        extract_jarm_response_jwt(callback)


@pytest.mark.parametrize("name", ["code", "state", "iss", "error", "access_token", "id_token"])
def test_unsigned_parameters_beside_the_jwt_are_refused(name: str) -> None:
    for callback in (f"{CALLBACK}?response={JWT}&{name}=injected", {"response": JWT, name: "x"}):
        with pytest.raises(JarmValidationException, match=f"unsigned parameters .*{name}"):
            extract_jarm_response_jwt(callback)


def test_other_parameters_beside_the_jwt_are_ignored() -> None:
    assert extract_jarm_response_jwt(f"{CALLBACK}?response={JWT}&utm_source=mail") == JWT


def test_an_oversize_response_is_refused_unparsed() -> None:
    big = "a" * MAX_CALLBACK_LENGTH
    with pytest.raises(JarmValidationException, match="too large"):
        extract_jarm_response_jwt(f"{CALLBACK}?response={big}")
    with pytest.raises(JarmValidationException, match="too large"):
        extract_jarm_response_jwt({"response": big + "a"})
    with pytest.raises(JarmValidationException, match="too large"):
        extract_jarm_response_jwt(("response=" + big).encode())


@pytest.mark.parametrize("callback", [f"{CALLBACK}?response=", {"response": "  "}])
def test_an_empty_response_is_refused(callback: Any) -> None:
    with pytest.raises(JarmValidationException, match="empty"):
        extract_jarm_response_jwt(callback)


@pytest.mark.parametrize("value", [None, 42, ["a", 1]])
def test_a_non_string_form_value_is_refused(value: Any) -> None:
    with pytest.raises(JarmValidationException):
        extract_jarm_response_jwt({"response": value})


@pytest.mark.parametrize("bad", [None, 42, ["response=x"], object()])
def test_another_input_type_is_a_typed_error(bad: Any) -> None:
    for function in (is_jarm_response, extract_jarm_response_jwt):
        with pytest.raises(JarmValidationException, match="URL, a form body"):
            function(bad)


def test_the_exception_is_a_callback_exception() -> None:
    assert issubclass(JarmValidationException, AuthorizeCallbackException)
    assert JarmValidationException.code == "invalid_jarm_response"


def test_the_jarm_modes() -> None:
    assert frozenset({"jwt", "query.jwt", "fragment.jwt", "form_post.jwt"}) == JARM_RESPONSE_MODES
    assert is_jarm_mode("form_post.jwt") and not is_jarm_mode("form_post")
    assert not is_jarm_mode(None) and not is_jarm_mode("query")


# ------------------------------------------------------------------ claims → callback

ISSUER = "https://op.example"


def test_claims_become_the_callback_a_plain_response_gives() -> None:
    claims = {
        "iss": ISSUER, "aud": ["app", "other"], "exp": 1_900_000_000, "code": "c+1 2",
        "state": "s&=1", "session_state": "ss",
    }  # fmt: skip
    response = callback_from_claims(claims, "the-raw-callback")
    plain = parse_authorize_callback_response(
        f"{CALLBACK}?code=c%2B1+2&state=s%26%3D1&iss={ISSUER}&session_state=ss"
    )
    for name in ("is_successful", "code", "state", "issuer", "session_state", "error"):
        assert getattr(response, name) == getattr(plain, name), name
    assert response.raw == "the-raw-callback"
    # string and integer claims are values; a list (aud) is not a form value
    assert response.values["exp"] == "1900000000" and "aud" not in response.values
    assert response.malformed is False


def test_an_error_in_the_jwt_is_an_error_response() -> None:
    claims = {
        "iss": ISSUER, "aud": "app", "exp": 1, "error": "access_denied",
        "error_description": "End-User aborted", "state": "s1",
    }  # fmt: skip
    response = callback_from_claims(claims, "")
    assert response.is_successful is False
    assert (response.error, response.error_description) == ("access_denied", "End-User aborted")
    assert response.state == "s1" and response.issuer == ISSUER


def test_expires_in_may_be_a_number() -> None:
    response = callback_from_claims({"iss": ISSUER, "access_token": "t", "expires_in": 300}, "")
    assert response.expires_in == 300


@pytest.mark.parametrize(
    "claims",
    [{"code": 5}, {"state": ["a"]}, {"iss": 1}, {"error": None}, {"expires_in": True}],
    ids=["code-int", "state-list", "iss-int", "error-null", "expires_in-bool"],
)
def test_a_response_parameter_of_the_wrong_type_is_refused(claims: dict[str, Any]) -> None:
    with pytest.raises(JarmValidationException, match="must be a string") as caught:
        callback_from_claims({"iss": ISSUER, **claims}, "")
    assert caught.value.details["reason"] == "invalid_claims"


def test_a_blank_error_is_refused() -> None:
    with pytest.raises(JarmValidationException, match="malformed"):
        callback_from_claims({"iss": ISSUER, "error": " "}, "")


def test_callback_text() -> None:
    assert callback_text(b"response=a") == "response=a"
    assert callback_text({"response": ["a"], "x": "b c"}) == "response=a&x=b+c"
    assert callback_text("https://app/cb?response=a") == "https://app/cb?response=a"
