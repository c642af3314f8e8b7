"""The DPoP hook of token requests (RFC 9449 §8): one ``use_dpop_nonce`` resend, no loop."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tokens_support import (
    JWT_BEARER_ASSERTION,
    TOKEN_URL,
    Recorder,
    key_in_form,
    ok,
    parse_jwt,
)

from py_identity_model import (
    AuthorizationCodeTokenRequest,
    ClientCredentialsTokenRequest,
    ConfigurationException,
    ErrorType,
    PrivateKeyJwt,
)


class ProofFactory:
    """Records its calls and returns a distinct proof string each time."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str | None]] = []

    def __call__(self, method: str, url: str, nonce: str | None) -> str:
        self.calls.append((method, url, nonce))
        return f"proof-{len(self.calls)}-nonce-{nonce}"


def use_dpop_nonce(nonce: str | None = "n1", status: int = 400) -> httpx.Response:
    headers = {"DPoP-Nonce": nonce} if nonce else {}
    return httpx.Response(
        status,
        json={"error": "use_dpop_nonce", "error_description": "nonce required"},
        headers=headers,
    )


def _pkjwt_request(factory: Any = None) -> ClientCredentialsTokenRequest:
    pkjwt = PrivateKeyJwt(key_in_form("EC", "pem-str"), "ES256")
    return ClientCredentialsTokenRequest(
        TOKEN_URL, "client-dpop", private_key_jwt=pkjwt, dpop_proof_factory=factory
    )


def test_use_dpop_nonce_is_answered_once_with_fresh_proof_and_assertion(api: Any) -> None:
    factory = ProofFactory()
    handler = Recorder(use_dpop_nonce("n1"), ok(**{"DPoP-Nonce": "n2"}))
    response = api.request_client_credentials_token(
        _pkjwt_request(factory), http_client=api.mock_client(handler)
    )
    assert response.is_successful, response.error
    assert handler.calls == 2
    assert factory.calls == [("POST", TOKEN_URL, None), ("POST", TOKEN_URL, "n1")]
    assert handler.requests[0].headers["dpop"] == "proof-1-nonce-None"
    assert handler.requests[1].headers["dpop"] == "proof-2-nonce-n1"
    first, second = (parse_jwt(handler.one("client_assertion", i)) for i in (0, 1))
    assert (first.claims or {})["jti"] != (second.claims or {})["jti"]
    assert handler.one("client_assertion_type", 1) == JWT_BEARER_ASSERTION
    assert handler.form(0) != handler.form(1)
    assert response.dpop_nonce == "n2"


def test_retry_resends_the_same_grant(api: Any) -> None:
    factory = ProofFactory()
    handler = Recorder(use_dpop_nonce("n1"), ok())
    request = AuthorizationCodeTokenRequest(
        TOKEN_URL,
        "cid",
        "code-1",
        "https://app.example/cb",
        "v" * 43,
        "sec",
        dpop_proof_factory=factory,
        resource=["urn:a", "urn:b"],
    )
    response = api.request_authorization_code_token(request, http_client=api.mock_client(handler))
    assert response.is_successful
    assert handler.calls == 2
    assert handler.form(0) == handler.form(1)
    assert (
        handler.requests[0].headers["authorization"] == handler.requests[1].headers["authorization"]
    )


def test_second_use_dpop_nonce_is_returned_not_looped(api: Any) -> None:
    factory = ProofFactory()
    handler = Recorder(use_dpop_nonce("n1"), use_dpop_nonce("n2"), ok())
    response = api.request_client_credentials_token(
        _pkjwt_request(factory), http_client=api.mock_client(handler)
    )
    assert response.is_successful is False
    assert response.error == "use_dpop_nonce"
    assert response.error_type is ErrorType.PROTOCOL
    assert response.dpop_nonce == "n2"
    assert handler.calls == 2
    assert [call[2] for call in factory.calls] == [None, "n1"]


def test_no_retry_without_a_factory(api: Any) -> None:
    handler = Recorder(use_dpop_nonce("n1"), ok())
    response = api.request_client_credentials_token(
        _pkjwt_request(None), http_client=api.mock_client(handler)
    )
    assert response.error == "use_dpop_nonce"
    assert response.dpop_nonce == "n1"
    assert handler.calls == 1
    assert "dpop" not in handler.last.headers


def test_no_retry_without_a_nonce_header(api: Any) -> None:
    factory = ProofFactory()
    handler = Recorder(use_dpop_nonce(None), ok())
    response = api.request_client_credentials_token(
        _pkjwt_request(factory), http_client=api.mock_client(handler)
    )
    assert response.error == "use_dpop_nonce"
    assert handler.calls == 1
    assert len(factory.calls) == 1


@pytest.mark.parametrize("error", ["invalid_dpop_proof", "invalid_grant"])
def test_other_errors_are_not_retried(api: Any, error: str) -> None:
    factory = ProofFactory()
    answer = httpx.Response(400, json={"error": error}, headers={"DPoP-Nonce": "n1"})
    handler = Recorder(answer, ok())
    response = api.request_client_credentials_token(
        _pkjwt_request(factory), http_client=api.mock_client(handler)
    )
    assert response.error == error
    assert response.dpop_nonce == "n1"
    assert handler.calls == 1


def test_dpop_header_on_every_send_with_factory(api: Any) -> None:
    factory = ProofFactory()
    handler = Recorder()
    request = ClientCredentialsTokenRequest(TOKEN_URL, "c", "s", dpop_proof_factory=factory)
    response = api.request_client_credentials_token(request, http_client=api.mock_client(handler))
    assert response.is_successful
    assert handler.last.headers["dpop"] == "proof-1-nonce-None"
    assert factory.calls == [("POST", TOKEN_URL, None)]


def test_dpop_key_with_create_proof_is_adapted(api: Any) -> None:
    class StubKey:
        def __init__(self) -> None:
            self.calls: list[tuple[str, str, str | None]] = []

        def create_proof(self, method: str, url: str, nonce: str | None = None) -> str:
            self.calls.append((method, url, nonce))
            return f"stub-{nonce}"

    key = StubKey()
    handler = Recorder(use_dpop_nonce("abc"), ok())
    request = AuthorizationCodeTokenRequest(
        TOKEN_URL, "c", "code", "https://a/cb", "v" * 43, "s", dpop_key=key
    )
    response = api.request_authorization_code_token(request, http_client=api.mock_client(handler))
    assert response.is_successful
    assert key.calls == [("POST", TOKEN_URL, None), ("POST", TOKEN_URL, "abc")]
    assert [r.headers["dpop"] for r in handler.requests] == ["stub-None", "stub-abc"]


def test_unusable_dpop_key_is_refused_before_sending(api: Any) -> None:
    handler = Recorder()
    request = AuthorizationCodeTokenRequest(
        TOKEN_URL, "c", "code", "https://a/cb", dpop_key=object()
    )
    with pytest.raises(ConfigurationException):
        api.request_authorization_code_token(request, http_client=api.mock_client(handler))
    assert handler.calls == 0


def test_401_www_authenticate_challenge_is_answered(api: Any) -> None:
    factory = ProofFactory()
    challenge = httpx.Response(
        401,
        headers={
            "WWW-Authenticate": 'DPoP error="use_dpop_nonce", error_description="nonce"',
            "DPoP-Nonce": "n1",
        },
    )
    handler = Recorder(challenge, ok())
    response = api.request_client_credentials_token(
        _pkjwt_request(factory), http_client=api.mock_client(handler)
    )
    assert response.is_successful
    assert handler.calls == 2
    assert factory.calls[-1] == ("POST", TOKEN_URL, "n1")


def test_dpop_nonce_exposed_on_plain_error(api: Any) -> None:
    answer = httpx.Response(400, json={"error": "invalid_request"}, headers={"DPoP-Nonce": "zz"})
    handler = Recorder(answer)
    request = ClientCredentialsTokenRequest(TOKEN_URL, "c", "s")
    response = api.request_client_credentials_token(request, http_client=api.mock_client(handler))
    assert response.error == "invalid_request"
    assert response.dpop_nonce == "zz"
