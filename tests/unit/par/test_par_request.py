"""Pushed authorization requests (RFC 9126 §2.1) on the wire: the 4.x field order, the form
(every authorize parameter by the front channel's rules), client authentication of every
kind, DPoP (proof, nonce resend, ``dpop_jkt``), request objects, and misuse (sync and async)."""

from __future__ import annotations

import inspect
import json
from typing import Any

import httpx
import pytest
from par_support import (
    PAR_URL,
    REDIRECT_URI,
    Recorder,
    RecordingProver,
    private_jwk,
    public_jwks,
    pushed,
)
from tests.provider.jws import verify_jwt

from py_identity_model import (
    AuthorizationDetail,
    Client,
    ClientSecretJwt,
    ConfigurationException,
    ErrorType,
    PrivateKeyJwt,
    PushedAuthorizationRequest,
    create_request_object,
)

SECRET = "s3cret"


def _push(api: Any, *answers: Any, **fields: Any) -> tuple[Any, Recorder]:
    handler = Recorder(*answers)
    address = fields.pop("address", PAR_URL)
    redirect_uri = fields.pop("redirect_uri", REDIRECT_URI)
    request = PushedAuthorizationRequest(address, "cid", redirect_uri, **fields)
    response = api.push_authorization_request(request, http_client=api.mock_client(handler))
    return response, handler


def test_fields_follow_4x() -> None:
    params = list(inspect.signature(PushedAuthorizationRequest).parameters.values())
    positional = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert positional == [
        "address", "client_id", "redirect_uri", "scope", "response_type", "state", "nonce",
        "code_challenge", "code_challenge_method", "client_secret", "private_key_jwt",
        "dpop_key", "mtls", "response_mode", "client_auth_method",
    ]  # fmt: skip
    defaults = {p.name: p.default for p in params}
    assert defaults["scope"] == "openid"
    assert defaults["response_type"] == "code"
    keyword_only = {p.name for p in params if p.kind is p.KEYWORD_ONLY}
    assert {"authorization_details", "request", "dpop_jkt", "prompt", "resource"} <= keyword_only
    assert {"parameters", "client", "policy", "headers"} <= keyword_only
    request = PushedAuthorizationRequest(
        PAR_URL, "cid", REDIRECT_URI, "openid api", "code", "st", "no", "ch", "S256", SECRET
    )
    assert (request.state, request.client_secret) == ("st", SECRET)


def test_basic_client_sends_every_parameter_and_its_client_id(api: Any) -> None:
    response, handler = _push(
        api, pushed(), scope="openid profile", state="st", nonce="no", code_challenge="ch",
        code_challenge_method="S256", client_secret=SECRET, response_mode="form_post",
        prompt=["login", "consent"], max_age=0, resource=["https://a", "https://b"],
        claims={"id_token": {"acr": None}}, login_hint="alice",
    )  # fmt: skip
    assert response.is_successful, response.error
    sent = handler.requests[0]
    assert sent.method == "POST" and str(sent.url) == PAR_URL
    assert sent.headers["authorization"].startswith("Basic ")
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert handler.fields() == {
        "client_id": ["cid"], "redirect_uri": [REDIRECT_URI], "scope": ["openid profile"],
        "response_type": ["code"], "state": ["st"], "nonce": ["no"], "code_challenge": ["ch"],
        "code_challenge_method": ["S256"], "response_mode": ["form_post"],
        "prompt": ["login consent"], "max_age": ["0"], "login_hint": ["alice"],
        "claims": ['{"id_token":{"acr":null}}'], "resource": ["https://a", "https://b"],
    }  # fmt: skip


def test_client_id_appears_once_with_every_other_authentication(api: Any) -> None:
    _, post = _push(api, pushed(), client_secret=SECRET, client_auth_method="client_secret_post")
    assert post.fields()["client_id"] == ["cid"] and post.fields()["client_secret"] == [SECRET]
    assert "authorization" not in post.requests[0].headers
    _, public = _push(api, pushed())
    assert public.fields()["client_id"] == ["cid"]
    _, pkjwt = _push(api, pushed(), private_key_jwt=PrivateKeyJwt(private_jwk("EC"), "ES256"))
    fields = pkjwt.fields()
    assert fields["client_id"] == ["cid"]
    assert fields["client_assertion_type"] == [
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    ]
    claims = verify_jwt(fields["client_assertion"][0], public_jwks())
    assert claims["aud"] == PAR_URL and claims["iss"] == claims["sub"] == "cid"
    jwt_secret = "x" * 32
    _, jwt = _push(api, pushed(), client=Client("cid", ClientSecretJwt(jwt_secret)))
    assert jwt.fields()["client_id"] == ["cid"]


def test_authorization_details_are_compact_json(api: Any) -> None:
    detail = AuthorizationDetail("payment_initiation", actions=["initiate"], extra={"amount": "5"})
    _, handler = _push(
        api, pushed(), authorization_details=[detail, {"type": "account_information"}]
    )
    sent = json.loads(handler.fields()["authorization_details"][0])
    assert sent == [
        {"type": "payment_initiation", "actions": ["initiate"], "amount": "5"},
        {"type": "account_information"},
    ]
    assert " " not in handler.fields()["authorization_details"][0]


def test_extra_parameters_merge_but_may_not_repeat_fields(api: Any) -> None:
    _, handler = _push(api, pushed(), parameters={"ui_locales": "de", "resource": "https://c"})
    assert handler.fields()["ui_locales"] == ["de"]
    with pytest.raises(ConfigurationException, match="state"):
        _push(api, pushed(), state="st", parameters={"state": "other"})


def test_dpop_proof_and_one_nonce_resend(api: Any) -> None:
    prover = RecordingProver()
    challenge = httpx.Response(
        400, json={"error": "use_dpop_nonce"}, headers={"DPoP-Nonce": "server-nonce"}
    )
    response, handler = _push(api, challenge, pushed(), dpop_key=prover)
    assert response.is_successful, response.error
    assert handler.calls == 2
    assert [r.headers["dpop"] for r in handler.requests] == ["proof-1", "proof-2"]
    assert prover.calls == [("POST", PAR_URL, None), ("POST", PAR_URL, "server-nonce")]


def test_dpop_jkt_from_the_key_or_given(api: Any) -> None:
    prover = RecordingProver()
    _, handler = _push(api, pushed(), dpop_key=prover, dpop_jkt=True)
    assert handler.fields()["dpop_jkt"] == [prover.jwk_thumbprint]
    _, handler = _push(api, pushed(), client=Client("cid", dpop=prover), dpop_jkt=True)
    assert handler.fields()["dpop_jkt"] == [prover.jwk_thumbprint]
    _, handler = _push(api, pushed(), dpop_jkt="given-thumbprint")
    assert handler.fields()["dpop_jkt"] == ["given-thumbprint"]
    _, handler = _push(api, pushed(), dpop_key=prover)
    assert "dpop_jkt" not in handler.fields()


@pytest.mark.parametrize("value", [True, "", 1])
def test_dpop_jkt_misuse(api: Any, value: Any) -> None:
    with pytest.raises(ConfigurationException, match="dpop_jkt"):
        _push(api, pushed(), dpop_jkt=value)


def _object(**kw: Any) -> str:
    return create_request_object(
        private_jwk("EC"), "ES256", kw.pop("client_id", "cid"), "https://idp.example",
        kw.pop("redirect_uri", REDIRECT_URI), **kw,
    )  # fmt: skip


def test_request_object_is_pushed_alone(api: Any) -> None:
    request_object = _object(state="inside")
    _, handler = _push(api, pushed(), request=request_object, client_secret=SECRET)
    assert handler.fields() == {"client_id": ["cid"], "request": [request_object]}
    _, handler = _push(api, pushed(), request=request_object, client_auth_method="none")
    assert handler.fields() == {"client_id": ["cid"], "request": [request_object]}


def test_encrypted_request_object_is_pushed_unread(api: Any) -> None:
    jwe = "eyJhbGciOiJkaXIifQ..aXY.Y2lwaGVy.dGFn"
    _, handler = _push(api, pushed(), request=jwe)
    assert handler.fields()["request"] == [jwe]


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"state": "outside"}, "drop"),
        ({"authorization_details": [{"type": "x"}]}, "drop"),
        ({"dpop_jkt": "t"}, "drop"),
    ],
)
def test_request_object_beside_its_parameters_is_refused(
    api: Any, fields: dict[str, Any], match: str
) -> None:
    with pytest.raises(ConfigurationException, match=match):
        _push(api, pushed(), request=_object(), **fields)


@pytest.mark.parametrize(
    ("request_object", "match"),
    [
        ("not a jwt", "compact"),
        ("eyJhbGciOiJub25lIn0.eyJhIjoxfQ.", "signed"),  # unsigned
        ("eyJhbGciOiJub25lIn0.eyJhIjoxfQ.c2ln", "signed"),  # alg none
    ],
)
def test_unusable_request_objects_are_refused(api: Any, request_object: str, match: str) -> None:
    handler = Recorder()
    request = PushedAuthorizationRequest(PAR_URL, "cid", REDIRECT_URI, request=request_object)
    with pytest.raises(ConfigurationException, match=match):
        api.push_authorization_request(request, http_client=api.mock_client(handler))
    assert handler.calls == 0


def test_request_object_of_another_client_or_redirect_is_refused(api: Any) -> None:
    with pytest.raises(ConfigurationException, match="client_id"):
        _push(api, pushed(), request=_object(client_id="other"))
    with pytest.raises(ConfigurationException, match="redirect_uri"):
        _push(api, pushed(), request=_object(redirect_uri="https://app.example/other"))


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"code_challenge": "c"}, "code_challenge"),
        ({"code_challenge": "c", "code_challenge_method": "S512"}, "code_challenge_method"),
        ({"redirect_uri": "javascript:alert(1)"}, "redirect_uri"),
        ({"max_age": -1}, "max_age"),
        ({"authorization_details": [{"actions": ["x"]}]}, "type"),
        ({"client_secret": SECRET, "private_key_jwt": PrivateKeyJwt("pem", "ES256")}, "combined"),
    ],
)
def test_misuse_raises_before_any_request(api: Any, fields: dict[str, Any], match: str) -> None:
    handler = Recorder()
    fields = dict(fields)  # shared by the sync and async runs
    request = PushedAuthorizationRequest(
        PAR_URL, "cid", fields.pop("redirect_uri", REDIRECT_URI), **fields
    )
    with pytest.raises(ConfigurationException, match=match):
        api.push_authorization_request(request, http_client=api.mock_client(handler))
    assert handler.calls == 0


def test_plain_http_endpoint_is_refused_before_any_request(api: Any) -> None:
    response, handler = _push(api, pushed(), address="http://idp.example/par", client_secret=SECRET)
    assert not response.is_successful
    assert response.error_code == "https_required"
    assert response.error_type is ErrorType.POLICY
    assert handler.calls == 0


def test_loopback_http_endpoint_is_allowed(api: Any) -> None:
    response, handler = _push(api, pushed(), address="http://127.0.0.1:9/par")
    assert response.is_successful and handler.calls == 1


def test_not_a_request_type() -> None:
    import py_identity_model

    with pytest.raises(ConfigurationException):
        py_identity_model.push_authorization_request(object())  # type: ignore[arg-type]


def test_repr_hides_secrets_and_state() -> None:
    request = PushedAuthorizationRequest(
        PAR_URL, "cid", REDIRECT_URI, state="STATE-VALUE", nonce="NONCE-VALUE",
        code_challenge="CHALLENGE", code_challenge_method="S256", client_secret="TOP-SECRET",
        login_hint="alice@example.com", request=None, parameters={"x": "EXTRA-VALUE"},
    )  # fmt: skip
    text = repr(request)
    for secret in ("STATE-VALUE", "NONCE-VALUE", "CHALLENGE", "TOP-SECRET", "alice@", "EXTRA"):
        assert secret not in text
    assert "cid" in text and "parameters=<names ['x']>" in text
