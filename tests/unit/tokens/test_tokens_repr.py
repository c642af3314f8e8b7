"""repr/str never show secrets (api-compat §3), and the upstream positional field order."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest
from tokens_support import TOKEN_URL, key_in_form, private_pem

from py_identity_model import (
    AuthorizationCodeTokenRequest,
    AuthorizationCodeTokenResponse,
    ClientCredentialsTokenRequest,
    ClientCredentialsTokenResponse,
    JwtBearerTokenRequest,
    PasswordTokenRequest,
    PrivateKeyJwt,
    RefreshTokenRequest,
    RefreshTokenResponse,
    TokenRequest,
    TokenResponse,
)
from py_identity_model.endpoints.client import Client
from py_identity_model.endpoints.client_auth import (
    ClientAssertion,
    ClientSecretBasic,
    ClientSecretJwt,
    ClientSecretPost,
    MtlsClientAuth,
)

SECRET = "SECRET-s3cr3t-value"
CODE = "CODE-auth-code-value"
VERIFIER = "VERIFIER-" + "v" * 40
REFRESH = "REFRESH-token-value"
PASSWORD = "PASSWORD-hunter2"
ASSERTION = "ASSERTION-eyJ.grant.assertion"
CLIENT_ASSERTION = "CLIENTASSERTION-eyJ.client.assertion"
SENTINELS = (SECRET, CODE, VERIFIER, REFRESH, PASSWORD, ASSERTION, CLIENT_ASSERTION)


def _pem_markers() -> list[str]:
    pem = private_pem("RSA").decode()
    body = pem.splitlines()[1:-1]
    return [body[0], body[len(body) // 2], "PRIVATE KEY"]


def _pkjwt() -> PrivateKeyJwt:
    return PrivateKeyJwt(key_in_form("RSA", "pem-str"), "PS256", kid="k1")


REQUESTS: dict[str, Callable[[], Any]] = {
    "ClientCredentialsTokenRequest": lambda: ClientCredentialsTokenRequest(
        TOKEN_URL, "cid", SECRET, "api", client_assertion=None
    ),
    "ClientCredentialsTokenRequest+pkjwt": lambda: ClientCredentialsTokenRequest(
        TOKEN_URL, "cid", private_key_jwt=_pkjwt()
    ),
    "ClientCredentialsTokenRequest+assertion": lambda: ClientCredentialsTokenRequest(
        TOKEN_URL, "cid", client_assertion=CLIENT_ASSERTION
    ),
    "AuthorizationCodeTokenRequest": lambda: AuthorizationCodeTokenRequest(
        TOKEN_URL, "cid", CODE, "https://app/cb", VERIFIER, SECRET, "openid", _pkjwt()
    ),
    "RefreshTokenRequest": lambda: RefreshTokenRequest(
        TOKEN_URL, "cid", REFRESH, "openid", SECRET, _pkjwt()
    ),
    "PasswordTokenRequest": lambda: PasswordTokenRequest(
        TOKEN_URL, "cid", "alice", PASSWORD, "openid", SECRET, client_assertion=CLIENT_ASSERTION
    ),
    "JwtBearerTokenRequest": lambda: JwtBearerTokenRequest(
        TOKEN_URL, "cid", ASSERTION, "api", SECRET
    ),
    "TokenRequest": lambda: TokenRequest(
        TOKEN_URL, "cid", "urn:x", SECRET, "api", client_assertion=CLIENT_ASSERTION
    ),
}


@pytest.mark.parametrize("name", list(REQUESTS))
def test_request_repr_and_str_hide_secrets(name: str) -> None:
    request = REQUESTS[name]()
    for text in (repr(request), str(request), f"{request}", f"{request!r}"):
        for sentinel in SENTINELS:
            assert sentinel not in text, (sentinel, text)
        for marker in _pem_markers():
            assert marker not in text
        assert "cid" in text  # still useful for debugging
        assert type(request).__name__ in text


def test_request_repr_marks_redacted_fields() -> None:
    text = repr(REQUESTS["AuthorizationCodeTokenRequest"]())
    assert "[redacted]" in text
    assert "code=" in text and "client_secret=" in text


@pytest.mark.parametrize("form", ["pem-str", "pem-bytes", "jwk-dict", "JsonWebKey"])
@pytest.mark.parametrize("kind", ["RSA", "EC", "OKP"])
def test_private_key_jwt_repr_hides_key(kind: str, form: str) -> None:
    key = key_in_form(kind, form)
    pkjwt = PrivateKeyJwt(key, "PS256", kid="kid-1", audience="https://issuer")
    text = repr(pkjwt) + str(pkjwt)
    if isinstance(key, dict):
        assert key["d"] not in text
    if form.startswith("pem"):
        body = private_pem(kind).decode().splitlines()[1]
        assert body not in text
        assert "PRIVATE KEY" not in text
    assert "kid-1" in text
    pkjwt.signing_key()  # loading the key must not make it show up either
    assert repr(pkjwt) == repr(PrivateKeyJwt(key, "PS256", kid="kid-1", audience="https://issuer"))


def test_client_auth_values_hide_secrets() -> None:
    values = [
        ClientSecretBasic(SECRET),
        ClientSecretPost(SECRET),
        ClientAssertion(lambda endpoint: CLIENT_ASSERTION),
        ClientAssertion(CLIENT_ASSERTION),
        ClientSecretJwt(SECRET + "-long-enough-for-hs256-0123456789"),
        MtlsClientAuth("/tmp/client.pem", "/tmp/client-key.pem", password=SECRET),
    ]
    for value in values:
        client = Client("cid", value)
        text = repr(value) + str(value) + repr(client) + str(client)
        assert SECRET not in text
        assert CLIENT_ASSERTION not in text
        assert "cid" in repr(client)


RESPONSE_TYPES = [
    TokenResponse,
    ClientCredentialsTokenResponse,
    AuthorizationCodeTokenResponse,
    RefreshTokenResponse,
]


@pytest.mark.parametrize("cls", RESPONSE_TYPES)
def test_response_repr_hides_tokens(cls: type[TokenResponse]) -> None:
    token = {
        "access_token": "ACCESS-at-value",
        "refresh_token": REFRESH,
        "id_token": "IDTOKEN-eyJ.id.token",
        "token_type": "Bearer",
    }
    response = cls(True, None, token, raw=json.dumps(token), json=token, http_status=200)
    for text in (repr(response), str(response)):
        for sentinel in ("ACCESS-at-value", REFRESH, "IDTOKEN-eyJ.id.token"):
            assert sentinel not in text
        assert cls.__name__ in text


# ------------------------------------------------------------------ field order


def _positional_names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls) if f.init and not f.kw_only]


def test_client_credentials_field_order() -> None:
    assert _positional_names(ClientCredentialsTokenRequest) == [
        "address",
        "client_id",
        "client_secret",
        "scope",
        "private_key_jwt",
        "mtls",
        "client_auth_method",
    ]
    pk = _pkjwt()
    mtls = object()
    request = ClientCredentialsTokenRequest(
        "https://a/t", "cid", "sec", "s1", pk, mtls, "client_secret_post"
    )
    assert (request.address, request.client_id, request.client_secret, request.scope) == (
        "https://a/t",
        "cid",
        "sec",
        "s1",
    )
    assert request.private_key_jwt is pk
    assert request.mtls is mtls
    assert request.client_auth_method == "client_secret_post"
    defaults = ClientCredentialsTokenRequest("https://a/t", "cid")
    assert defaults.client_secret is None and defaults.scope is None
    assert defaults.private_key_jwt is None and defaults.mtls is None
    assert defaults.client_auth_method is None


def test_authorization_code_field_order() -> None:
    assert _positional_names(AuthorizationCodeTokenRequest) == [
        "address",
        "client_id",
        "code",
        "redirect_uri",
        "code_verifier",
        "client_secret",
        "scope",
        "private_key_jwt",
        "dpop_key",
        "mtls",
        "client_auth_method",
    ]
    pk, dpop, mtls = _pkjwt(), object(), object()
    request = AuthorizationCodeTokenRequest(
        "https://a/t", "cid", "c", "https://r", "ver", "sec", "sc", pk, dpop, mtls, "none"
    )
    assert (
        request.address,
        request.client_id,
        request.code,
        request.redirect_uri,
        request.code_verifier,
        request.client_secret,
        request.scope,
        request.private_key_jwt,
        request.dpop_key,
        request.mtls,
        request.client_auth_method,
    ) == ("https://a/t", "cid", "c", "https://r", "ver", "sec", "sc", pk, dpop, mtls, "none")


def test_refresh_field_order() -> None:
    assert _positional_names(RefreshTokenRequest) == [
        "address",
        "client_id",
        "refresh_token",
        "scope",
        "client_secret",
        "private_key_jwt",
        "mtls",
        "client_auth_method",
    ]
    pk, mtls = _pkjwt(), object()
    request = RefreshTokenRequest("https://a/t", "cid", "rt", "sc", "sec", pk, mtls, "x")
    assert (
        request.address,
        request.client_id,
        request.refresh_token,
        request.scope,
        request.client_secret,
        request.private_key_jwt,
        request.mtls,
        request.client_auth_method,
    ) == ("https://a/t", "cid", "rt", "sc", "sec", pk, mtls, "x")


@pytest.mark.parametrize(
    "cls",
    [
        ClientCredentialsTokenRequest,
        AuthorizationCodeTokenRequest,
        RefreshTokenRequest,
        PasswordTokenRequest,
        JwtBearerTokenRequest,
        TokenRequest,
    ],
)
def test_options_are_keyword_only_and_client_auth_method_last(cls: type) -> None:
    names = _positional_names(cls)
    assert names[:2] == ["address", "client_id"]
    assert names[-1] == "client_auth_method"
    kw_only = {f.name for f in dataclasses.fields(cls) if f.kw_only}
    assert {
        "resource",
        "parameters",
        "client_assertion",
        "client_assertion_factory",
        "dpop_proof_factory",
        "headers",
    } <= kw_only


def test_private_key_jwt_field_order() -> None:
    key = key_in_form("EC", "pem-str")
    pkjwt = PrivateKeyJwt(key, "ES256", "kid-9", "https://issuer", 120)
    assert (pkjwt.private_key, pkjwt.algorithm, pkjwt.kid, pkjwt.audience, pkjwt.lifetime) == (
        key,
        "ES256",
        "kid-9",
        "https://issuer",
        120,
    )
    default = PrivateKeyJwt(key)
    assert (default.algorithm, default.kid, default.audience, default.lifetime) == (
        "PS256",
        None,
        None,
        300,
    )


@pytest.mark.parametrize("cls", RESPONSE_TYPES)
def test_response_positional_order(cls: type[TokenResponse]) -> None:
    token = {"access_token": "a", "token_type": "Bearer"}
    response = cls(True, None, token)
    assert response.is_successful is True
    assert response.error is None
    assert response.token == token
    failed = cls(False, "invalid_grant")
    assert failed.is_successful is False
    assert failed.error == "invalid_grant"
    assert failed.token is None
    assert _positional_names(cls)[:3] == ["is_successful", "error", "token"]


def test_request_is_settable_by_keyword() -> None:
    request = RefreshTokenRequest(
        address=TOKEN_URL,
        client_id="cid",
        refresh_token="rt",
        client_secret="s",
        client_auth_method="client_secret_post",
    )
    assert request.client_auth_method == "client_secret_post"
    request.scope = "openid"
    assert request.scope == "openid"


def test_parameters_object_repr_shows_names_only() -> None:
    from py_identity_model import Parameters

    request = TokenRequest(
        TOKEN_URL,
        "cid",
        "urn:ietf:params:oauth:grant-type:token-exchange",
        parameters=Parameters([("subject_token", "SUBJECT-token-value")]),
    )
    assert "SUBJECT-token-value" not in repr(request)
    assert "subject_token" in repr(request)


def test_dict_parameters_and_extra_headers_are_redacted() -> None:
    request = TokenRequest(
        TOKEN_URL,
        "cid",
        "urn:ietf:params:oauth:grant-type:token-exchange",
        parameters={"subject_token": "SUBJECT-token-value", "actor_token": "ACTOR-value"},
        headers={"Authorization": "Bearer HEADER-secret", "DPoP": "DPOP-proof-value"},
    )
    text = repr(request)
    for secret in ("SUBJECT-token-value", "ACTOR-value", "HEADER-secret", "DPOP-proof-value"):
        assert secret not in text, text
