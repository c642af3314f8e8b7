"""JWT introspection responses (RFC 9701): verified with the server's key, ``typ``, ``iss``,
``aud`` = the client, ``iat``; decrypted first when encrypted; ``token_introspection``
unwrapped and checked like a JSON answer; a JSON answer refused unless allowed."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from introspection_support import (
    CLIENT_ID,
    INTROSPECTION_URL,
    ISSUER,
    Recorder,
    active_json,
    introspection_jwt,
    jwt_answer,
    ok_json,
    other_key,
    validation,
)

from py_identity_model import ErrorType, JwtResponseValidation, TokenIntrospectionRequest
from py_identity_model.jose import JsonWebKey


def _call(api: Any, *answers: Any, **options: Any) -> tuple[Any, Recorder]:
    handler = Recorder(*answers)
    options.setdefault("jwt_response", validation())
    request = TokenIntrospectionRequest(
        INTROSPECTION_URL, "tok", CLIENT_ID, client_secret="s", **options
    )
    return api.introspect_token(request, http_client=api.mock_client(handler)), handler


def _rejected(response: Any, code: str = "invalid_jwt_response") -> None:
    assert response.is_successful is False
    assert response.error, response
    assert response.error_code == code, (response.error_code, response.error)
    assert response.active is False
    assert response.claims is None


def test_verified_jwt_is_unwrapped(api: Any) -> None:
    inner = active_json(scope=["a", "b"], cnf={"jkt": "x"})
    token = introspection_jwt(inner)
    response, handler = _call(api, jwt_answer(token))
    assert response.is_successful, (response.error_code, response.error)
    assert handler.calls == 1  # a static key: no discovery, no JWKS
    assert response.claims == inner
    assert response.active is True
    assert response.scope == "a b"
    assert response.sub == "alice"
    assert response.cnf == {"jkt": "x"}
    assert response.jwt_claims is not None
    assert response.jwt_claims["iss"] == ISSUER
    assert response.jwt_claims["aud"] == CLIENT_ID
    assert response.raw == token
    assert response.json is None


def test_content_type_with_charset_and_trailing_newline(api: Any) -> None:
    answer = httpx.Response(
        200,
        content=(introspection_jwt() + "\n").encode(),
        headers={"Content-Type": "application/token-introspection+jwt; charset=utf-8"},
    )
    response, _ = _call(api, answer)
    assert response.is_successful, response.error


def test_inactive_jwt_answer_is_a_success(api: Any) -> None:
    response, _ = _call(api, jwt_answer(introspection_jwt({"active": False})))
    assert response.is_successful, response.error
    assert response.claims == {"active": False}
    assert response.active is False


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda: introspection_jwt(aud="another-client"), "aud"),
        (lambda: introspection_jwt(aud=["another-client"]), "aud"),
        (lambda: introspection_jwt(drop=("aud",)), "aud"),
        (lambda: introspection_jwt(iss="https://evil.example"), "iss"),
        (lambda: introspection_jwt(drop=("iss",)), "iss"),
        (lambda: introspection_jwt(drop=("iat",)), "iat"),
        (lambda: introspection_jwt(typ="JWT"), "typ"),
        (lambda: introspection_jwt(typ=None), "typ"),
        (lambda: introspection_jwt(typ="at+jwt"), "typ"),
        (lambda: introspection_jwt(key=other_key()), "signature"),
        (lambda: introspection_jwt(exp=int(time.time()) - 3600), "exp"),
        (lambda: introspection_jwt(nbf=int(time.time()) + 3600), "nbf"),
        (lambda: _tampered(introspection_jwt({"active": False})), "tampered"),
    ],
    ids=[
        "wrong-aud",
        "wrong-aud-list",
        "no-aud",
        "wrong-iss",
        "no-iss",
        "no-iat",
        "typ-JWT",
        "no-typ",
        "typ-at+jwt",
        "forged",
        "expired",
        "not-yet-valid",
        "tampered",
    ],
)
def test_rejected_jwt_responses(api: Any, make: Any, why: str) -> None:
    response, _ = _call(api, jwt_answer(make()))
    _rejected(response)
    assert response.error_type is ErrorType.POLICY
    assert response.http_status == 200


def _tampered(token: str) -> str:
    import base64
    import json

    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["token_introspection"] = active_json()
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_unsigned_alg_none_is_rejected(api: Any) -> None:
    import base64
    import json

    def b64(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    token = ".".join(
        [
            b64({"alg": "none", "typ": "token-introspection+jwt"}),
            b64(
                {
                    "iss": ISSUER,
                    "aud": CLIENT_ID,
                    "iat": int(time.time()),
                    "token_introspection": active_json(),
                }
            ),
            "",
        ]
    )
    response, _ = _call(api, jwt_answer(token))
    assert response.is_successful is False
    assert response.error_code in ("invalid_jwt_response", "invalid_jwt")


@pytest.mark.parametrize(
    ("inner", "code"),
    [
        (None, "missing_fields"),
        ("active", "invalid_response"),
        ([{"active": True}], "invalid_response"),
        ({"scope": "a"}, "missing_fields"),
        ({"active": "yes"}, "invalid_response"),
        ({"active": True, "exp": "soon"}, "invalid_number"),
    ],
    ids=["absent", "string", "array", "no-active", "active-string", "bad-exp"],
)
def test_bad_token_introspection_claim(api: Any, inner: Any, code: str) -> None:
    drop = ("token_introspection",) if inner is None else ()
    token = introspection_jwt(inner if inner is not None else {}, drop=drop)
    response, _ = _call(api, jwt_answer(token))
    _rejected(response, code)
    assert response.error_type is ErrorType.INVALID_RESPONSE


@pytest.mark.parametrize(
    "body",
    [b"not-a-jwt", b"a.b", b"eyJ.e30.x.y", b"<html>", b""],
    ids=["word", "two-parts", "four-parts", "html", "empty"],
)
def test_malformed_jwt_body(api: Any, body: bytes) -> None:
    answer = httpx.Response(
        200, content=body, headers={"Content-Type": "application/token-introspection+jwt"}
    )
    response, _ = _call(api, answer)
    _rejected(response, "invalid_jwt")


def test_json_answer_to_a_jwt_request_is_refused_by_default(api: Any) -> None:
    response, handler = _call(api, ok_json())
    _rejected(response, "wrong_content_type")
    assert "require_jwt_response" in response.error
    assert handler.calls == 1


def test_json_answer_accepted_when_allowed(api: Any) -> None:
    response, _ = _call(api, ok_json(), require_jwt_response=False)
    assert response.is_successful, response.error
    assert response.active is True
    assert response.jwt_claims is None


def test_json_answer_when_allowed_is_still_checked(api: Any) -> None:
    response, _ = _call(api, ok_json({"scope": "a"}), require_jwt_response=False)
    _rejected(response, "missing_fields")


def test_other_content_type_is_refused(api: Any) -> None:
    answer = httpx.Response(200, text="x", headers={"Content-Type": "text/plain"})
    response, _ = _call(api, answer)
    _rejected(response, "wrong_content_type")


def test_oauth_error_to_a_jwt_request(api: Any) -> None:
    response, _ = _call(api, httpx.Response(401, json={"error": "invalid_client"}))
    _rejected(response, "invalid_client")
    assert response.error == "invalid_client"
    assert response.error_type is ErrorType.PROTOCOL


def test_keys_from_discovery_unavailable(api: Any) -> None:
    # The discovery document cannot be fetched: a failed result with the fetch's code.
    token = introspection_jwt()

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/introspect"):
            return jwt_answer(token)
        return httpx.Response(500, text="down")

    keys = JwtResponseValidation(
        disco_doc_address="https://idp.example/.well-known/openid-configuration"
    )
    response, handler = _call(api, answer, jwt_response=keys)
    assert response.is_successful is False
    assert response.error
    assert response.error_code not in (None, "invalid_jwt_response")
    assert handler.calls >= 2


# ------------------------------------------------------------------------- encrypted


def _encrypt(plaintext: str, key: JsonWebKey, alg: str, enc: str) -> str:
    from joserfc import jwe, jwk

    native: Any = jwk.import_key(key.public_jwk().to_dict())
    protected = {"alg": alg, "enc": enc, "cty": "JWT", "kid": key.kid}
    registry = jwe.JWERegistry(algorithms=[alg, enc], strict_check_header=False)
    return jwe.encrypt_compact(protected, plaintext, native, registry=registry)


def _client_key(kid: str = "client-enc-1") -> JsonWebKey:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return JsonWebKey.from_key(
        rsa.generate_private_key(public_exponent=65537, key_size=2048), kid=kid
    )


def test_encrypted_answer_is_decrypted_then_verified(api: Any) -> None:
    pytest.importorskip("joserfc")
    key = _client_key()
    token = _encrypt(introspection_jwt(), key, "RSA-OAEP-256", "A256GCM")
    assert token.count(".") == 4
    response, _ = _call(api, jwt_answer(token), jwt_response=validation(decryption_keys=[key]))
    assert response.is_successful, (response.error_code, response.error)
    assert response.active is True
    assert response.sub == "alice"


def test_encrypted_answer_with_the_wrong_key_is_rejected(api: Any) -> None:
    pytest.importorskip("joserfc")
    token = _encrypt(introspection_jwt(), _client_key(), "RSA-OAEP-256", "A256GCM")
    wrong = _client_key()
    response, _ = _call(api, jwt_answer(token), jwt_response=validation(decryption_keys=[wrong]))
    _rejected(response)


def test_encrypted_answer_without_decryption_keys_is_rejected(api: Any) -> None:
    pytest.importorskip("joserfc")
    token = _encrypt(introspection_jwt(), _client_key(), "RSA-OAEP-256", "A256GCM")
    response, _ = _call(api, jwt_answer(token))
    _rejected(response)


def test_encrypted_forgery_is_rejected(api: Any) -> None:
    # Encrypting to the client proves nothing: the inner JWS must still be the server's.
    pytest.importorskip("joserfc")
    key = _client_key()
    token = _encrypt(introspection_jwt(key=other_key()), key, "RSA-OAEP-256", "A256GCM")
    response, _ = _call(api, jwt_answer(token), jwt_response=validation(decryption_keys=[key]))
    _rejected(response)
