"""``OidcClient`` with a DPoP key, request objects (JAR) and a FAPI 2.0 policy, against a
mocked provider (PAR endpoint, DPoP-aware token endpoint), sync and async (``mode``)."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from login_support import CLIENT_ID, EC_KEY, REDIRECT_URI, RSA_KEY, FakeOp, Mode, query_of

from py_identity_model import (
    ConfigurationException,
    DPoPKey,
    FapiPolicy,
    FapiProfile,
    FapiViolationError,
    JsonWebKey,
    PrivateKeyJwt,
)
from py_identity_model.jose import parse_compact, verify_compact

REQUEST_URI = "urn:ietf:params:oauth:request_uri:fapi-1"
CLIENT_KEY = JsonWebKey.from_key(EC_KEY.to_private_key(), kid="client-ec")


class FapiOp(FakeOp):
    """A provider with a PAR endpoint, ES256 ID tokens and DPoP-bound tokens."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(algs=("RS256", "ES256", "PS256"), **kw)
        self.metadata["pushed_authorization_request_endpoint"] = f"{self.authority}/par"
        self.signer, self.alg = EC_KEY, "ES256"
        self.token_type = "DPoP"
        self.pushes: list[httpx.Request] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/par":
            self.pushes.append(request)
            return httpx.Response(201, json={"request_uri": REQUEST_URI, "expires_in": 60})
        return super().handler(request)

    def _token(self) -> httpx.Response:
        response = super()._token()
        body = response.json()
        body["token_type"] = self.token_type
        return httpx.Response(200, json=body, headers={"Cache-Control": "no-store"})

    def pushed_form(self) -> dict[str, str]:
        return dict(parse_qsl(self.pushes[-1].content.decode(), keep_blank_values=True))

    def fapi_options(self, **kw: Any) -> dict[str, Any]:
        kw.setdefault(
            "private_key_jwt", PrivateKeyJwt(CLIENT_KEY, "ES256", audience=self.authority)
        )
        kw.setdefault("dpop_key", DPoPKey())
        kw.setdefault("fapi", FapiPolicy())
        return kw


def _pushed_login(mode: Mode, op: FapiOp, **options: Any) -> Any:
    client = mode.client(op, **options)
    state = mode.prepare(client)
    assert set(query_of(state.url)) == {"client_id", "request_uri"}
    form = op.pushed_form()
    op.nonce = form.get("nonce") or _object_claims(form).get("nonce")
    return state, mode.process(client, op.callback(state), state)


def _object_claims(form: dict[str, str]) -> dict[str, Any]:
    return parse_compact(form["request"]).claims or {} if "request" in form else {}


# ------------------------------------------------------------------ DPoP


def test_fapi_login_binds_code_and_tokens_to_the_dpop_key(mode: Mode) -> None:
    op = FapiOp()
    options = op.fapi_options()
    state, result = _pushed_login(mode, op, **options)
    assert result.is_successful, (result.error_code, result.error, result.error_description)
    form = op.pushed_form()
    assert form["code_challenge_method"] == "S256" and form["code_challenge"]
    assert form["dpop_jkt"] == options["dpop_key"].jwk_thumbprint  # RFC 9449 §10
    assert "DPoP" in op.pushes[-1].headers  # the push is DPoP-bound too
    token_request = op.token_requests[-1]
    assert "dpop" in token_request.headers
    assert result.token_response is not None and result.token_response.token_type == "DPoP"
    del state


def test_fapi_refuses_an_unbound_bearer_token(mode: Mode) -> None:
    op = FapiOp()
    op.token_type = "Bearer"
    _, result = _pushed_login(mode, op, **op.fapi_options())
    assert result.is_successful is False
    assert result.error_code == "invalid_token_type"
    assert "is not DPoP (OIDC Core §3.1.3.3, RFC 9449 §5)" in (result.error or "")


@pytest.mark.parametrize("token_type", ["Bearer", "DPoP"])
def test_without_fapi_a_dpop_client_takes_either_token_type(mode: Mode, token_type: str) -> None:
    op = FapiOp()
    op.token_type = token_type
    key = DPoPKey()
    client = mode.client(op, client_secret="secret", dpop_key=key)
    state, result = mode.login(client, op)
    assert result.is_successful, (result.error_code, result.error)
    assert query_of(state.url)["dpop_jkt"] == key.jwk_thumbprint
    assert "dpop" in op.token_requests[-1].headers


def test_a_bearer_only_client_still_refuses_dpop_tokens(mode: Mode) -> None:
    op = FapiOp()
    _, result = mode.login(mode.client(op, client_secret="secret"), op)
    assert result.is_successful is False and result.error_code == "invalid_token_type"
    assert "is not Bearer (OIDC Core §3.1.3.3)" in (result.error or "")


@pytest.mark.parametrize("bad", [object(), "key", 42])
def test_dpop_key_must_make_proofs(bad: object) -> None:
    with pytest.raises(ConfigurationException, match="dpop_key must be a DPoPKey"):
        FakeOp().options(client_secret="s", dpop_key=bad)


# ------------------------------------------------------------------ FAPI metadata and keys


def test_fapi_needs_a_par_endpoint_and_iss_responses(mode: Mode) -> None:
    op = FapiOp(iss_parameter_supported=False)
    del op.metadata["pushed_authorization_request_endpoint"]
    client = mode.client(op, **op.fapi_options())
    with pytest.raises(FapiViolationError) as caught:
        mode.prepare(client)
    messages = str(caught.value)
    assert "no pushed authorization request endpoint" in messages
    assert "RFC 9207" in messages
    assert op.counts["/par"] == 0  # nothing was pushed


def test_fapi_assertion_audience_must_be_the_discovered_issuer(mode: Mode) -> None:
    op = FapiOp()
    auth = PrivateKeyJwt(CLIENT_KEY, "ES256", audience=f"{op.authority}/token")
    client = mode.client(op, **op.fapi_options(private_key_jwt=auth))
    with pytest.raises(FapiViolationError, match="issuer identifier"):
        mode.prepare(client)
    assert not op.pushes


def test_fapi_narrows_id_token_algorithms(mode: Mode) -> None:
    op = FapiOp()
    op.signer, op.alg = RSA_KEY, "RS256"
    _, result = _pushed_login(mode, op, **op.fapi_options())
    assert result.is_successful is False and result.error_code == "invalid_id_token"
    assert result.error_description == "alg 'RS256' is not allowed"


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"fapi": "FAPI 2.0"}, "fapi must be a FapiPolicy"),
        ({"private_key_jwt": None, "client_secret": "s" * 32}, "private_key_jwt or mTLS"),
        ({"dpop_key": None}, "sender-constrained"),
        ({"id_token_algorithms": ["RS256"]}, "id_token_algorithms uses 'RS256'"),
        ({"redirect_uri": "http://app.example/cb"}, "redirect_uri must be https"),
    ],
)
def test_fapi_options_are_checked_when_built(options: dict[str, Any], needle: str) -> None:
    op = FapiOp()
    kw = op.fapi_options(**options)
    redirect = kw.pop("redirect_uri", REDIRECT_URI)
    from py_identity_model.login import OidcClientOptions

    with pytest.raises(ConfigurationException, match=needle):
        OidcClientOptions(op.authority, CLIENT_ID, redirect, **kw)


def test_message_signing_needs_request_objects_and_jarm() -> None:
    op = FapiOp()
    with pytest.raises(FapiViolationError) as caught:
        op.options(**op.fapi_options(fapi=FapiPolicy(FapiProfile.MESSAGE_SIGNING)))
    assert [v.clause for v in caught.value.violations] == [
        "FAPI 2.0 Message Signing §5.3",
        "FAPI 2.0 Message Signing §5.4",
    ]
    bad_alg = op.fapi_options(
        fapi=FapiPolicy(FapiProfile.MESSAGE_SIGNING),
        request_object_key=CLIENT_KEY.to_dict(),
        request_object_algorithm="ES384",
        response_mode="jwt",
    )
    with pytest.raises(ConfigurationException, match="request_object_key"):
        op.options(**bad_alg)


# ------------------------------------------------------------------ request objects (JAR)


def test_request_object_by_value(mode: Mode) -> None:
    op = FakeOp()
    client = mode.client(
        op, client_secret="secret", request_object_key=CLIENT_KEY.to_dict(),
        request_object_algorithm="ES256", max_age=600,
    )  # fmt: skip
    op.claim_changes["auth_time"] = int(time.time())  # max_age asks for it
    state = mode.prepare(client)
    query = query_of(state.url)
    assert set(query) == {"client_id", "request", "scope", "response_type"}
    assert query["scope"] == "openid profile" and query["response_type"] == "code"
    jws = parse_compact(query["request"])
    verify_compact(jws, CLIENT_KEY.public_jwk(), algorithms=["ES256"])  # raises if forged
    claims = jws.claims
    assert claims is not None and jws.header["typ"] == "oauth-authz-req+jwt"
    assert claims["iss"] == CLIENT_ID and claims["aud"] == op.authority
    assert claims["state"] == state.state and claims["nonce"] == state.nonce
    assert claims["code_challenge_method"] == "S256" and claims["max_age"] == 600
    assert claims["exp"] - claims["nbf"] == 300
    op.nonce = claims["nonce"]
    result = mode.process(client, op.callback(state), state)
    assert result.is_successful, (result.error_code, result.error)


def test_request_object_pushed_alone_with_a_short_fapi_lifetime(mode: Mode) -> None:
    op = FapiOp()
    options = op.fapi_options(
        request_object_key=CLIENT_KEY, request_object_algorithm="ES256",
        fapi=FapiPolicy(max_request_object_lifetime=120),
    )  # fmt: skip
    _, result = _pushed_login(mode, op, **options)
    assert result.is_successful, (result.error_code, result.error, result.error_description)
    form = op.pushed_form()
    assert set(form) == {"client_id", "request", "client_assertion", "client_assertion_type"}
    claims = _object_claims(form)
    assert claims["exp"] - claims["nbf"] == 120
    assert claims["dpop_jkt"] == options["dpop_key"].jwk_thumbprint


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"request_object_key": "not a key"}, "request_object_key"),
        ({"request_object_key": CLIENT_KEY, "request_object_algorithm": 7}, "must be a string"),
        (
            {"request_object_key": CLIENT_KEY, "request_object_algorithm": "RS256"},
            "request_object_key",
        ),
    ],
)
def test_request_object_options_are_checked(options: dict[str, Any], needle: str) -> None:
    with pytest.raises(ConfigurationException, match=needle):
        FakeOp().options(client_secret="s", **options)
