"""``authorization_details`` (RFC 9396): the typed value, the shape rules for what is sent
(authorize URL, token requests) and for what is received (token and introspection answers,
a failed result when malformed). I/O tests run sync and async (``api``)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from py_identity_model import (
    AuthorizationDetail,
    AuthorizeRequest,
    ClientCredentialsTokenRequest,
    ConfigurationException,
    ErrorType,
    FrontChannelConfigurationError,
    RefreshTokenRequest,
    TokenIntrospectionRequest,
    build_authorization_url,
)
from py_identity_model.rar.details import (
    MAX_AUTHORIZATION_DETAILS,
    authorization_details_json,
    authorization_details_list,
    authorization_details_problem,
)

TOKEN_URL = "https://idp.example/token"
INTROSPECTION_URL = "https://idp.example/introspect"
PAYMENT = {
    "type": "payment_initiation",
    "actions": ["initiate", "status"],
    "locations": ["https://bank.example/payments"],
    "instructedAmount": {"currency": "EUR", "amount": "123.50"},
}


# ------------------------------------------------------------------ the typed value


def test_detail_to_dict_keeps_common_fields_then_extra() -> None:
    detail = AuthorizationDetail(
        "payment_initiation",
        locations=("https://bank.example/payments",),
        actions=["initiate"],
        datatypes=["x"],
        identifier="acct-1",
        privileges=["admin"],
        extra={"instructedAmount": {"currency": "EUR", "amount": "1"}},
    )
    assert detail.to_dict() == {
        "type": "payment_initiation", "locations": ["https://bank.example/payments"],
        "actions": ["initiate"], "datatypes": ["x"], "identifier": "acct-1",
        "privileges": ["admin"], "instructedAmount": {"currency": "EUR", "amount": "1"},
    }  # fmt: skip
    assert AuthorizationDetail("t").to_dict() == {"type": "t"}


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"type": ""}, "type"),
        ({"type": 5}, "type"),
        ({"type": "t", "actions": "read"}, "actions"),
        ({"type": "t", "locations": [1]}, "locations"),
        ({"type": "t", "identifier": 5}, "identifier"),
        ({"type": "t", "extra": {"type": "other"}}, "common"),
        ({"type": "t", "extra": {"actions": []}}, "common"),
        ({"type": "t", "extra": ["x"]}, "mapping"),
    ],
)
def test_detail_misuse(kw: dict[str, Any], match: str) -> None:
    with pytest.raises(ConfigurationException, match=match):
        AuthorizationDetail(**kw)


# ------------------------------------------------------------------ what is sent


@pytest.mark.parametrize(
    "value",
    [
        [PAYMENT],
        (PAYMENT,),
        PAYMENT,
        [
            AuthorizationDetail(
                "payment_initiation",
                locations=PAYMENT["locations"],
                actions=PAYMENT["actions"],
                extra={"instructedAmount": PAYMENT["instructedAmount"]},
            )
        ],
        json.dumps([PAYMENT], indent=2),
    ],
    ids=["list", "tuple", "object", "typed", "json-text"],
)
def test_accepted_inputs_give_the_same_compact_json(value: Any) -> None:
    text = authorization_details_json(value)
    assert json.loads(text) == [PAYMENT]
    assert ", " not in text and ": " not in text


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ([], "empty"),
        ("[]", "empty"),
        (5, "must be"),
        (b"[]", "must be"),
        ([{"actions": ["x"]}], "type"),
        (["payment"], "object"),
        ([{"type": "t", "datatypes": "x"}], "datatypes"),
        ('{"type": "t"}', "array"),
        ("not json", "JSON array"),
        ('[{"type": "t"}], "x": 1', "JSON array"),  # text that would smuggle a member
        ('[{"type": "t", "type": "u"}]', "JSON array"),  # duplicate member
        ([{"type": "t"}] * (MAX_AUTHORIZATION_DETAILS + 1), "more than"),
        ([{"type": "t", "x": {1, 2}}], "JSON"),
        ([{1: "t"}], "names"),
    ],
)
def test_refused_inputs(value: Any, match: str) -> None:
    with pytest.raises(ConfigurationException, match=match):
        authorization_details_json(value)


def test_authorize_url_sends_compact_json_and_raises_value_errors() -> None:
    url = AuthorizeRequest(
        client_id="cid", redirect_uri="https://app.example/cb",
        authorization_details=[AuthorizationDetail("account_information", actions=["read"])],
    ).to_url("https://idp.example/authorize")  # fmt: skip
    sent = dict(parse_qsl(urlsplit(url).query))["authorization_details"]
    assert sent == '[{"type":"account_information","actions":["read"]}]'
    url = build_authorization_url(
        "https://idp.example/authorize", "cid", "https://app.example/cb",
        authorization_details=PAYMENT,
    )  # fmt: skip
    assert json.loads(dict(parse_qsl(urlsplit(url).query))["authorization_details"]) == [PAYMENT]
    with pytest.raises(FrontChannelConfigurationError) as caught:
        AuthorizeRequest(client_id="cid", authorization_details=[{"no": "type"}]).to_parameters()
    assert isinstance(caught.value, ValueError)  # the 4.x contract of the URL builders


class _Recorder:
    def __init__(self, reply: Any) -> None:
        self.reply = reply
        self.bodies: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(request.read())
        return self.reply()

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.bodies[-1].decode()))


def _tokens(**extra: Any) -> httpx.Response:
    return httpx.Response(200, json={"access_token": "AT", "token_type": "Bearer", **extra})


def test_token_request_sends_authorization_details(api: Any) -> None:
    handler = _Recorder(lambda: _tokens(authorization_details=[PAYMENT]))
    response = api.request_client_credentials_token(
        ClientCredentialsTokenRequest(
            TOKEN_URL, "cid", "secret", authorization_details=[PAYMENT], resource="urn:api"
        ),
        http_client=api.mock_client(handler),
    )
    assert response.is_successful, response.error
    assert json.loads(handler.form()["authorization_details"]) == [PAYMENT]
    assert handler.form()["resource"] == "urn:api"
    assert response.authorization_details == [PAYMENT]


def test_token_request_misuse_raises_before_any_request(api: Any) -> None:
    handler = _Recorder(_tokens)
    request = RefreshTokenRequest(TOKEN_URL, "cid", "rt", authorization_details=[{"x": 1}])
    with pytest.raises(ConfigurationException, match="type"):
        api.refresh_token(request, http_client=api.mock_client(handler))
    assert handler.bodies == []


# ------------------------------------------------------------------ what is received

MALFORMED: list[Any] = [
    {"type": "t"},
    "[]",
    [{"actions": ["x"]}],
    [{"type": ""}],
    [{"type": "t", "locations": "https://x"}],
    [{"type": "t", "identifier": 1}],
    [5],
    [{"type": "t"}] * (MAX_AUTHORIZATION_DETAILS + 1),
]


def test_problem_reader() -> None:
    assert authorization_details_problem([PAYMENT]) is None
    assert authorization_details_problem([]) is None  # nothing granted is a valid answer
    assert authorization_details_problem([], allow_empty=False) is not None
    for value in MALFORMED:
        assert authorization_details_problem(value) is not None, value
    assert authorization_details_list([PAYMENT]) == [PAYMENT]


def test_token_response_without_details(api: Any) -> None:
    response = api.request_client_credentials_token(
        ClientCredentialsTokenRequest(TOKEN_URL, "cid", "secret"),
        http_client=api.mock_client(_Recorder(_tokens)),
    )
    assert response.is_successful and response.authorization_details is None


@pytest.mark.parametrize("value", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_details_in_a_token_response_fail(api: Any, value: Any) -> None:
    response = api.request_client_credentials_token(
        ClientCredentialsTokenRequest(TOKEN_URL, "cid", "secret"),
        http_client=api.mock_client(_Recorder(lambda: _tokens(authorization_details=value))),
    )
    assert not response.is_successful
    assert response.error_code == "malformed_authorization_details"
    assert response.error_type is ErrorType.INVALID_RESPONSE
    assert response.http_status == 200


def _introspect(api: Any, **claims: Any) -> Any:
    handler = _Recorder(lambda: httpx.Response(200, json={"active": True, **claims}))
    return api.introspect_token(
        TokenIntrospectionRequest(INTROSPECTION_URL, "AT", "cid", client_secret="s"),
        http_client=api.mock_client(handler),
    )


def test_introspection_reads_authorization_details(api: Any) -> None:
    response = _introspect(api, authorization_details=[PAYMENT])
    assert response.is_successful and response.active
    assert response.authorization_details == [PAYMENT]
    assert _introspect(api).authorization_details is None


@pytest.mark.parametrize("value", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_details_in_an_introspection_fail(api: Any, value: Any) -> None:
    response = _introspect(api, authorization_details=value)
    assert not response.is_successful
    assert response.error_code == "malformed_authorization_details"
    assert "RFC 9396" in response.error
