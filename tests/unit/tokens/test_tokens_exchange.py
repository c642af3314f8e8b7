"""Token exchange (RFC 8693): the 4.x field order, the form, the answer's issued_token_type,
and misuse refused before anything is sent. I/O tests run through both shells (``api``)."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from tokens_support import TOKEN_URL, Recorder, decode_basic, oauth_error, ok, token_json

from py_identity_model import (
    ConfigurationException,
    OidcConstants,
    TokenExchangeRequest,
    TokenExchangeResponse,
)

ACCESS = OidcConstants.TokenTypeIdentifiers.ACCESS_TOKEN.value
JWT = OidcConstants.TokenTypeIdentifiers.JWT.value
GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"


def _request(**extra: Any) -> TokenExchangeRequest:
    return TokenExchangeRequest(TOKEN_URL, "client", "SUBJECT-TOKEN", ACCESS, **extra)


def _exchange(api: Any, request: TokenExchangeRequest, *answers: Any) -> tuple[Any, Recorder]:
    recorder = Recorder(*answers)
    return api.exchange_token(request, http_client=api.mock_client(recorder)), recorder


def test_positional_fields_follow_4x() -> None:
    assert list(inspect.signature(TokenExchangeRequest).parameters)[:14] == [
        "address", "client_id", "subject_token", "subject_token_type", "actor_token",
        "actor_token_type", "resource", "audience", "scope", "requested_token_type",
        "client_secret", "private_key_jwt", "mtls", "client_auth_method",
    ]  # fmt: skip
    assert list(inspect.signature(TokenExchangeResponse).parameters)[:4] == [
        "is_successful", "error", "token", "issued_token_type",
    ]  # fmt: skip
    positional = TokenExchangeRequest(
        TOKEN_URL, "c", "S", ACCESS, "A", ACCESS, "urn:r", "aud", "read", JWT, "secret"
    )
    assert positional.resource == "urn:r" and positional.audience == "aud"
    assert positional.requested_token_type == JWT and positional.client_secret == "secret"


def test_the_form_carries_every_field_and_repeats_resource_and_audience(api: Any) -> None:
    request = _request(
        actor_token="ACTOR",
        actor_token_type=ACCESS,
        resource=["urn:a", "urn:b"],
        audience=("svc-1", "svc-2"),
        scope="read write",
        requested_token_type=JWT,
        client_secret="secret",
    )
    response, recorder = _exchange(api, request, ok(token_json(issued_token_type=JWT)))
    assert response.is_successful, response.error
    assert response.issued_token_type == JWT
    assert response.access_token == "AT-value"
    form = recorder.form()
    assert ("grant_type", GRANT) in form
    assert ("subject_token", "SUBJECT-TOKEN") in form and ("subject_token_type", ACCESS) in form
    assert ("actor_token", "ACTOR") in form and ("actor_token_type", ACCESS) in form
    assert [v for k, v in form if k == "resource"] == ["urn:a", "urn:b"]
    assert [v for k, v in form if k == "audience"] == ["svc-1", "svc-2"]
    assert ("scope", "read write") in form and ("requested_token_type", JWT) in form
    assert decode_basic(recorder.last) == ("client", "secret")


def test_n_a_token_type_is_accepted_for_non_access_tokens(api: Any) -> None:
    body = {"access_token": "eyJ.x.y", "token_type": "N_A", "issued_token_type": JWT}
    response, _ = _exchange(api, _request(client_secret="s"), ok(body))
    assert response.is_successful and response.token_type == "N_A"


@pytest.mark.parametrize("issued", [None, "", 5])
def test_an_answer_without_issued_token_type_fails(api: Any, issued: Any) -> None:
    body = token_json() if issued is None else token_json(issued_token_type=issued)
    response, _ = _exchange(api, _request(client_secret="s"), ok(body))
    assert response.is_successful is False
    assert response.error_code == "missing_fields"
    assert "issued_token_type" in response.error
    assert response.http_status == 200


def test_the_servers_error_is_reported(api: Any) -> None:
    response, recorder = _exchange(
        api, _request(client_secret="s"), oauth_error("invalid_grant", description="bad subject")
    )
    assert response.is_successful is False
    assert (response.error, response.error_code) == ("invalid_grant", "invalid_grant")
    assert response.error_description == "bad subject"
    assert recorder.calls == 1  # never resent


def test_no_subject_token_goes_to_remote_http(api: Any) -> None:
    request = TokenExchangeRequest("http://idp.example/token", "c", "SUBJECT", ACCESS)
    response, recorder = _exchange(api, request)
    assert response.is_successful is False and response.error_code == "https_required"
    assert recorder.calls == 0


@pytest.mark.parametrize(
    "extra",
    [
        {"actor_token": "A"},
        {"actor_token_type": ACCESS},
        {"audience": 5},
        {"resource": [1]},
        {"parameters": {"subject_token": "again"}},
    ],
)
def test_misuse_is_refused_before_any_request(api: Any, extra: dict[str, Any]) -> None:
    recorder = Recorder()
    with pytest.raises(ConfigurationException):
        api.exchange_token(_request(**extra), http_client=api.mock_client(recorder))
    assert recorder.calls == 0


def test_repr_hides_the_tokens() -> None:
    text = repr(_request(actor_token="ACTOR-SECRET", actor_token_type=ACCESS, client_secret="CS"))
    assert "SUBJECT-TOKEN" not in text and "ACTOR-SECRET" not in text and "CS'" not in text
    response = TokenExchangeResponse(True, None, token_json(), ACCESS)
    assert "AT-value" not in repr(response)
