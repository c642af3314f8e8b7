"""Signed request objects (RFC 9101 §4) and the authorization URL carrying one (§5.1):
the claims, the header, every key form and algorithm, the authorize URL's rules, and misuse.
Signatures are checked with the test suite's independent verifier (tests/provider/jws.py)."""

from __future__ import annotations

import base64
import inspect
import json
import time
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from tests.provider.jws import decode_jwt, public_jwk, verify_jwt

from py_identity_model import (
    AuthorizationDetail,
    ConfigurationException,
    FrontChannelConfigurationError,
    JsonWebKey,
    build_jar_authorization_url,
    create_request_object,
)
from py_identity_model.jar.request_object import REQUEST_OBJECT_TYPE

ISSUER = "https://idp.example"
REDIRECT_URI = "https://app.example/callback"
AUTHORIZE_URL = "https://idp.example/authorize"
_KEYS = json.loads(
    (
        __import__("pathlib").Path(__file__).resolve().parents[2] / "provider" / "client-keys.json"
    ).read_text("utf-8")
)["keys"]


def _jwk(kty: str) -> dict[str, Any]:
    return dict(next(k for k in _KEYS if k["kty"] == kty))


def _verify(token: str, kty: str) -> dict[str, Any]:
    return verify_jwt(token, {"keys": [public_jwk(_jwk(kty))]})


def _create(**kw: Any) -> str:
    args: dict[str, Any] = {
        "private_key": _jwk("EC"), "algorithm": "ES256", "client_id": "cid",
        "audience": ISSUER, "redirect_uri": REDIRECT_URI,
    }  # fmt: skip
    args.update(kw)
    return create_request_object(**args)


def test_signature_matches_api_compat() -> None:
    names = list(inspect.signature(create_request_object).parameters)
    assert names == [
        "private_key", "algorithm", "client_id", "audience", "redirect_uri", "scope",
        "response_type", "state", "nonce", "code_challenge", "code_challenge_method",
        "lifetime", "kid", "extra_claims",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("kty", "alg"), [("RSA", "RS256"), ("RSA", "PS256"), ("EC", "ES256"), ("OKP", "EdDSA")]
)
def test_claims_and_header(kty: str, alg: str) -> None:
    before = int(time.time())
    token = create_request_object(
        _jwk(kty), alg, "cid", ISSUER, REDIRECT_URI, "openid profile", "code", "st", "no",
        "challenge", "S256", 120,
    )  # fmt: skip
    header, _ = decode_jwt(token)
    assert header == {"alg": alg, "typ": REQUEST_OBJECT_TYPE, "kid": _jwk(kty)["kid"]}
    claims = _verify(token, kty)
    assert claims["iss"] == claims["client_id"] == "cid"
    assert claims["aud"] == ISSUER
    assert before <= claims["iat"] == claims["nbf"] <= int(time.time())
    assert claims["exp"] == claims["iat"] + 120
    assert isinstance(claims["jti"], str) and len(claims["jti"]) >= 16
    assert {k: claims[k] for k in ("response_type", "redirect_uri", "scope", "state", "nonce")} == {
        "response_type": "code", "redirect_uri": REDIRECT_URI, "scope": "openid profile",
        "state": "st", "nonce": "no",
    }  # fmt: skip
    assert (claims["code_challenge"], claims["code_challenge_method"]) == ("challenge", "S256")


def test_jti_is_unique_and_none_values_are_omitted() -> None:
    first, second = _create(), _create()
    assert _verify(first, "EC")["jti"] != _verify(second, "EC")["jti"]
    claims = _verify(first, "EC")
    assert not {"state", "nonce", "code_challenge", "code_challenge_method"} & set(claims)
    assert claims["scope"] == "openid"


def test_pem_and_jsonwebkey_keys_and_explicit_kid() -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    token = _create(private_key=pem, kid="my-kid")
    header, _ = decode_jwt(token)
    assert header["kid"] == "my-kid"
    public = JsonWebKey.from_key(private.public_key()).to_dict()
    verify_jwt(token, {"keys": [{**public, "kid": "my-kid"}]})
    token = _create(private_key=pem.decode("ascii"))
    assert "kid" not in decode_jwt(token)[0]
    assert _verify(_create(private_key=JsonWebKey.from_dict(_jwk("EC"))), "EC")["iss"] == "cid"


def test_hs256_with_a_long_client_secret() -> None:
    secret = b"s" * 32
    key = {"kty": "oct", "k": base64.urlsafe_b64encode(secret).rstrip(b"=").decode()}
    token = _create(private_key=key, algorithm="HS256")
    assert decode_jwt(token)[0]["alg"] == "HS256"


def test_extra_claims_are_json_values() -> None:
    detail = AuthorizationDetail("payment_initiation", actions=["initiate"])
    claims = _verify(
        _create(
            max_age=0, prompt=["login", "consent"], claims={"id_token": {"acr": None}},
            authorization_details=[detail], resource="https://api.example", login_hint=None,
            dpop_jkt="thumb",
        ),
        "EC",
    )  # fmt: skip
    assert claims["max_age"] == 0
    assert claims["prompt"] == "login consent"
    assert claims["claims"] == {"id_token": {"acr": None}}
    assert claims["authorization_details"] == [
        {"type": "payment_initiation", "actions": ["initiate"]}
    ]
    assert claims["resource"] == "https://api.example"
    assert claims["dpop_jkt"] == "thumb"
    assert "login_hint" not in claims


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"iss": "x"}, "itself"),
        ({"aud": "x"}, "itself"),
        ({"exp": 1}, "itself"),
        ({"jti": "x"}, "itself"),
        ({"nbf": 1}, "itself"),
        ({"request": "x"}, "RFC 9101"),
        ({"request_uri": "urn:x:y"}, "RFC 9101"),
        ({"client_secret": "x"}, "browser"),
        ({"max_age": -1}, "max_age"),
        ({"max_age": True}, "max_age"),
        ({"authorization_details": [{"actions": []}]}, "type"),
        ({"prompt": ["login", 5]}, "prompt"),
        ({"lifetime": 0}, "lifetime"),
        ({"lifetime": 3601}, "lifetime"),
        ({"lifetime": 1.5}, "lifetime"),
        ({"lifetime": True}, "lifetime"),
        ({"audience": ""}, "audience"),
        ({"algorithm": ""}, "algorithm"),
        ({"algorithm": "none"}, "none"),
        ({"algorithm": "RS256"}, "sign"),  # an EC key
        ({"algorithm": "HS256", "private_key": {"kty": "oct", "k": "c2hvcnQ"}}, "256"),
        ({"code_challenge": "c"}, "together"),
        ({"redirect_uri": "javascript:alert(1)"}, "redirect_uri"),
        ({"client_id": ""}, "client_id"),
        ({"private_key": "not a pem"}, "create_request_object"),
        ({"private_key": public_jwk(_jwk("EC"))}, "private key"),
        ({"custom": {1, 2}}, "JSON"),
    ],
)
def test_misuse_raises(kw: dict[str, Any], match: str) -> None:
    with pytest.raises(ConfigurationException, match=match):
        _create(**kw)


# ------------------------------------------------------------------ the authorization URL


def test_jar_url_carries_client_id_and_request_only() -> None:
    token = _create(state="st")
    url = build_jar_authorization_url(AUTHORIZE_URL, "cid", token)
    assert dict(parse_qsl(urlsplit(url).query)) == {"client_id": "cid", "request": token}
    url = build_jar_authorization_url(AUTHORIZE_URL, "cid", token, "openid", "code")
    assert dict(parse_qsl(urlsplit(url).query)) == {
        "client_id": "cid", "request": token, "scope": "openid", "response_type": "code",
    }  # fmt: skip
    url = build_jar_authorization_url(AUTHORIZE_URL, "cid", token, scope=["openid", "email"])
    assert dict(parse_qsl(urlsplit(url).query))["scope"] == "openid email"
    jwe = "eyJhbGciOiJkaXIifQ..aXY.Y2lwaGVy.dGFn"
    assert build_jar_authorization_url(AUTHORIZE_URL, "cid", jwe).endswith(f"request={jwe}")


@pytest.mark.parametrize(
    ("endpoint", "client_id", "request_object", "match"),
    [
        ("http://idp.example/authorize", "cid", None, "HTTPS"),
        (AUTHORIZE_URL, "", None, "client_id"),
        (AUTHORIZE_URL, "cid", "not a jwt", "compact"),
        (AUTHORIZE_URL, "cid", "a.b", "compact"),
        (AUTHORIZE_URL, "cid", "a" * 70000 + ".b.c", "compact"),
        (f"{AUTHORIZE_URL}?request=x", "cid", None, "already contains"),
    ],
)
def test_jar_url_misuse(
    endpoint: str, client_id: str, request_object: str | None, match: str
) -> None:
    token = request_object if request_object is not None else _create()
    with pytest.raises(FrontChannelConfigurationError, match=match):
        build_jar_authorization_url(endpoint, client_id, token)
