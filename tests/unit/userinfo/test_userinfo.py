"""UserInfo (OpenID Connect Core §5.3): how the token is presented, every answer shape, and
misuse refused before anything is sent. Every I/O test runs through both shells (``api``)."""

from __future__ import annotations

import base64
import inspect
import json
import time
from functools import cache
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from py_identity_model import (
    ConfigurationException,
    ErrorType,
    JwtResponseValidation,
    UserInfoRequest,
    UserInfoResponse,
)
from py_identity_model.jose import JsonWebKey, sign_compact

URL = "https://op.example/userinfo"
ISSUER = "https://op.example"
CLIENT = "client-1"
TOKEN = "ACCESS-TOKEN-VALUE"


class Recorder:
    def __init__(self, *answers: httpx.Response) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        request.read()
        return self.answers[min(len(self.requests), len(self.answers)) - 1]


@cache
def server_key() -> JsonWebKey:
    return JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()), kid="op-1")


@cache
def forger_key() -> JsonWebKey:
    return JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()), kid="op-1")


def validation() -> JwtResponseValidation:
    return JwtResponseValidation(
        key=server_key().public_jwk().to_dict(), issuer=ISSUER, algorithms=["ES256"]
    )


def signed(key: JsonWebKey | None = None, **claims: Any) -> str:
    payload = {"iss": ISSUER, "aud": CLIENT, "iat": int(time.time()), "sub": "alice", **claims}
    return sign_compact(payload, key or server_key(), "ES256", headers={"kid": "op-1"})


def json_answer(body: Any, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def jwt_answer(token: str) -> httpx.Response:
    return httpx.Response(200, content=token.encode(), headers={"Content-Type": "application/jwt"})


def call(api: Any, request: UserInfoRequest, *answers: httpx.Response) -> tuple[Any, Recorder]:
    recorder = Recorder(*answers)
    return api.get_userinfo(request, http_client=api.mock_client(recorder)), recorder


class FakeDPoP:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str | None, str | None]] = []

    def create_proof(
        self, method: str, url: str, *, nonce: str | None = None, access_token: str | None = None
    ) -> str:
        self.calls.append((method, url, nonce, access_token))
        return f"proof-{len(self.calls)}"


def test_positional_fields_follow_4x() -> None:
    assert list(inspect.signature(UserInfoRequest).parameters)[:5] == [
        "address", "token", "expected_sub", "dpop_key", "mtls",
    ]  # fmt: skip
    assert list(inspect.signature(UserInfoResponse).parameters)[:4] == [
        "is_successful", "error", "claims", "raw",
    ]  # fmt: skip
    response = UserInfoResponse(True, None, {"sub": "a"}, '{"sub":"a"}')
    assert response.claims == {"sub": "a"} and response.raw == '{"sub":"a"}'


def test_json_claims_with_a_bearer_token(api: Any) -> None:
    response, recorder = call(
        api, UserInfoRequest(URL, TOKEN), json_answer({"sub": "alice", "name": "Alice"})
    )
    assert response.is_successful, response.error
    assert response.claims == {"sub": "alice", "name": "Alice"}
    assert response.sub == "alice" and response.signed is False
    assert response.raw and '"alice"' in response.raw
    sent = recorder.requests[0]
    assert sent.method == "GET"
    assert sent.headers["authorization"] == f"Bearer {TOKEN}"
    assert "application/jwt" in sent.headers["accept"]
    assert TOKEN not in str(sent.url)


def test_post_sends_the_token_in_the_header_not_the_body(api: Any) -> None:
    request = UserInfoRequest(URL, TOKEN, method="POST")
    response, recorder = call(api, request, json_answer({"sub": "alice"}))
    assert response.is_successful
    sent = recorder.requests[0]
    assert sent.method == "POST" and sent.headers["authorization"] == f"Bearer {TOKEN}"
    assert TOKEN.encode() not in sent.content


def test_caller_headers_cannot_replace_the_authorization(api: Any) -> None:
    request = UserInfoRequest(URL, TOKEN, headers={"authorization": "Bearer other", "X-Trace": "1"})
    _, recorder = call(api, request, json_answer({"sub": "alice"}))
    sent = recorder.requests[0]
    assert sent.headers["authorization"] == f"Bearer {TOKEN}" and sent.headers["x-trace"] == "1"
    assert "other" not in repr(request) and TOKEN not in repr(request)


def test_expected_sub_mismatch_is_a_failure(api: Any) -> None:
    response, _ = call(api, UserInfoRequest(URL, TOKEN, "bob"), json_answer({"sub": "alice"}))
    assert response.is_successful is False
    assert response.error_code == "sub_mismatch" and response.error_type is ErrorType.POLICY
    assert response.claims is None


def test_expected_sub_match(api: Any) -> None:
    response, _ = call(api, UserInfoRequest(URL, TOKEN, "alice"), json_answer({"sub": "alice"}))
    assert response.is_successful


@pytest.mark.parametrize("body", [{}, {"sub": ""}, {"sub": 5}, {"name": "x"}])
def test_missing_sub_is_a_failure(api: Any, body: dict[str, Any]) -> None:
    response, _ = call(api, UserInfoRequest(URL, TOKEN), json_answer(body))
    assert response.is_successful is False and response.error_code == "missing_fields"


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        (
            lambda: httpx.Response(
                200, content=b"not json", headers={"Content-Type": "application/json"}
            ),
            "invalid_json",
        ),
        (
            lambda: httpx.Response(200, content=b"<html>", headers={"Content-Type": "text/html"}),
            "wrong_content_type",
        ),
        (lambda: httpx.Response(200, json=["sub"]), "invalid_json"),
        (lambda: httpx.Response(500, content=b"boom"), "http_error"),
        (
            lambda: httpx.Response(302, headers={"Location": "https://evil.example/"}),
            "redirect_not_followed",
        ),
        (
            lambda: httpx.Response(
                200, content=b"a.b", headers={"Content-Type": "application/jwt"}
            ),
            "invalid_jwt",
        ),
    ],
)
def test_unusable_answers_are_failures(api: Any, answer: Any, code: str) -> None:
    # a factory: an httpx.Response is consumed by the first shell that reads it
    response, _ = call(api, UserInfoRequest(URL, TOKEN), answer())
    assert response.is_successful is False and response.error_code == code
    assert response.error


@pytest.mark.parametrize("scheme", ["Bearer", "DPoP"])
def test_a_401_challenge_gives_its_error(api: Any, scheme: str) -> None:
    challenge = f'{scheme} realm="op", error="invalid_token", error_description="The token expired"'
    answer = httpx.Response(401, headers={"WWW-Authenticate": challenge})
    response, _ = call(api, UserInfoRequest(URL, TOKEN), answer)
    assert response.is_successful is False
    assert (response.error, response.error_code) == ("invalid_token", "invalid_token")
    assert response.error_description == "The token expired"
    assert response.error_type is ErrorType.PROTOCOL and response.http_status == 401


def test_a_403_insufficient_scope(api: Any) -> None:
    answer = httpx.Response(
        403, headers={"WWW-Authenticate": 'Bearer error="insufficient_scope", scope="openid"'}
    )
    response, _ = call(api, UserInfoRequest(URL, TOKEN), answer)
    assert response.error_code == "insufficient_scope" and response.http_status == 403


def test_a_401_without_an_error_is_an_http_failure(api: Any) -> None:
    answer = httpx.Response(401, headers={"WWW-Authenticate": 'Bearer realm="op"'})
    response, _ = call(api, UserInfoRequest(URL, TOKEN), answer)
    assert response.is_successful is False and response.error_code == "http_error"


def test_dpop_presents_the_token_with_a_proof_and_answers_one_nonce_challenge(api: Any) -> None:
    key = FakeDPoP()
    nonce_challenge = httpx.Response(
        401, headers={"WWW-Authenticate": 'DPoP error="use_dpop_nonce"', "DPoP-Nonce": "n-1"}
    )
    response, recorder = call(
        api,
        UserInfoRequest(URL, TOKEN, dpop_key=key),
        nonce_challenge,
        json_answer({"sub": "alice"}),
    )
    assert response.is_successful, response.error
    assert [c[2] for c in key.calls] == [None, "n-1"]
    assert all(c[:2] == ("GET", URL) and c[3] == TOKEN for c in key.calls)
    assert [r.headers["dpop"] for r in recorder.requests] == ["proof-1", "proof-2"]
    assert recorder.requests[0].headers["authorization"] == f"DPoP {TOKEN}"


def test_a_second_nonce_challenge_is_reported(api: Any) -> None:
    challenge = httpx.Response(
        401, headers={"WWW-Authenticate": 'DPoP error="use_dpop_nonce"', "DPoP-Nonce": "n"}
    )
    response, recorder = call(api, UserInfoRequest(URL, TOKEN, dpop_key=FakeDPoP()), challenge)
    assert response.error_code == "use_dpop_nonce" and len(recorder.requests) == 2


def test_a_signed_answer_is_verified(api: Any) -> None:
    request = UserInfoRequest(URL, TOKEN, "alice", client_id=CLIENT, jwt_response=validation())
    response, _ = call(api, request, jwt_answer(signed(email="a@example.com")))
    assert response.is_successful, response.error
    assert response.signed is True and response.claims["email"] == "a@example.com"
    assert response.raw and response.raw.count(".") == 2


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(lambda: signed(key=forger_key()), id="forged"),
        pytest.param(lambda: signed(aud="someone-else"), id="wrong-aud"),
        pytest.param(lambda: signed(iss="https://evil.example"), id="wrong-iss"),
        pytest.param(lambda: signed(exp=int(time.time()) - 3600), id="expired"),
    ],
)
def test_a_bad_signed_answer_is_refused(api: Any, token: Any) -> None:
    request = UserInfoRequest(URL, TOKEN, client_id=CLIENT, jwt_response=validation())
    response, _ = call(api, request, jwt_answer(token()))
    assert response.is_successful is False and response.error_code == "invalid_jwt_response"
    assert response.claims is None


def test_a_signed_answer_without_verification_settings_is_never_read(api: Any) -> None:
    response, _ = call(api, UserInfoRequest(URL, TOKEN), jwt_answer(signed()))
    assert response.is_successful is False and response.error_code == "invalid_jwt_response"
    assert "jwt_response" in response.error


def test_a_signed_answer_for_another_subject(api: Any) -> None:
    request = UserInfoRequest(URL, TOKEN, "bob", client_id=CLIENT, jwt_response=validation())
    response, _ = call(api, request, jwt_answer(signed()))
    assert response.error_code == "sub_mismatch"


def test_the_token_never_goes_to_remote_http(api: Any) -> None:
    response, recorder = call(api, UserInfoRequest("http://op.example/userinfo", TOKEN))
    assert response.is_successful is False and response.error_code == "https_required"
    assert recorder.requests == []


def test_a_timeout_is_a_failure(api: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    response = api.get_userinfo(UserInfoRequest(URL, TOKEN), http_client=api.mock_client(handler))
    assert response.is_successful is False and response.error_code == "timeout"


@pytest.mark.parametrize(
    "request_",
    [
        pytest.param(lambda: UserInfoRequest(URL, ""), id="no-token"),
        pytest.param(lambda: UserInfoRequest(URL, TOKEN, method="PUT"), id="method"),
        pytest.param(lambda: UserInfoRequest(URL, TOKEN, dpop_key=object()), id="dpop-key"),  # type: ignore[arg-type]
        pytest.param(
            lambda: UserInfoRequest(URL, TOKEN, jwt_response=validation()), id="jwt-no-client"
        ),
        pytest.param(
            lambda: UserInfoRequest(URL, TOKEN, client_id=CLIENT, jwt_response="x"), id="jwt-type"
        ),  # type: ignore[arg-type]
        pytest.param(lambda: UserInfoRequest(URL, TOKEN, expected_sub=5), id="sub-type"),  # type: ignore[arg-type]
    ],
)
def test_misuse_raises_before_any_request(api: Any, request_: Any) -> None:
    recorder = Recorder(json_answer({"sub": "a"}))
    with pytest.raises(ConfigurationException):
        api.get_userinfo(request_(), http_client=api.mock_client(recorder))
    assert recorder.requests == []


def test_a_proof_factory_presents_the_token_as_dpop(api: Any) -> None:
    calls: list[tuple[str, str, str | None]] = []

    def factory(method: str, url: str, nonce: str | None) -> str:
        calls.append((method, url, nonce))
        return f"factory-proof-{len(calls)}"

    nonce_challenge = httpx.Response(
        401, headers={"WWW-Authenticate": 'DPoP error="use_dpop_nonce"', "DPoP-Nonce": "n-2"}
    )
    request = UserInfoRequest(URL, TOKEN, method="POST", dpop_proof_factory=factory)
    response, recorder = call(api, request, nonce_challenge, json_answer({"sub": "alice"}))
    assert response.is_successful, response.error
    assert calls == [("POST", URL, None), ("POST", URL, "n-2")]
    assert [r.headers["dpop"] for r in recorder.requests] == ["factory-proof-1", "factory-proof-2"]
    assert recorder.requests[1].headers["authorization"] == f"DPoP {TOKEN}"


def test_a_bearer_request_does_not_answer_a_nonce_challenge(api: Any) -> None:
    challenge = httpx.Response(
        401, headers={"WWW-Authenticate": 'DPoP error="use_dpop_nonce"', "DPoP-Nonce": "n"}
    )
    response, recorder = call(api, UserInfoRequest(URL, TOKEN), challenge)
    assert response.error_code == "use_dpop_nonce" and len(recorder.requests) == 1


def test_the_post_body_is_an_empty_form(api: Any) -> None:
    _, recorder = call(api, UserInfoRequest(URL, TOKEN, method="POST"), json_answer({"sub": "a"}))
    sent = recorder.requests[0]
    assert sent.content == b""
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"


def test_repr_hides_the_token() -> None:
    request = UserInfoRequest(URL, TOKEN, "alice")
    assert TOKEN not in repr(request) and TOKEN not in str(request)
    response = UserInfoResponse(True, None, {"sub": "alice"}, f"{TOKEN}.x.y")
    assert TOKEN not in repr(response)


def test_dpop_key_and_factory_together_are_misuse(api: Any) -> None:
    request = UserInfoRequest(
        URL, TOKEN, dpop_key=FakeDPoP(), dpop_proof_factory=lambda m, u, n: "p"
    )
    recorder = Recorder(json_answer({"sub": "a"}))
    with pytest.raises(ConfigurationException):
        api.get_userinfo(request, http_client=api.mock_client(recorder))
    assert recorder.requests == []


# ------------------------------------------------------------------------- encrypted


def _client_key() -> JsonWebKey:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return JsonWebKey.from_key(
        rsa.generate_private_key(public_exponent=65537, key_size=2048), kid="client-enc"
    )


def _encrypt(plaintext: str, key: JsonWebKey) -> str:
    from joserfc import jwe, jwk

    native: Any = jwk.import_key(key.public_jwk().to_dict())
    protected = {"alg": "RSA-OAEP-256", "enc": "A256GCM", "cty": "JWT", "kid": key.kid}
    registry = jwe.JWERegistry(algorithms=["RSA-OAEP-256", "A256GCM"], strict_check_header=False)
    return jwe.encrypt_compact(protected, plaintext, native, registry=registry)


def _encrypted_validation(key: JsonWebKey | None) -> JwtResponseValidation:
    return JwtResponseValidation(
        key=server_key().public_jwk().to_dict(),
        issuer=ISSUER,
        algorithms=["ES256"],
        decryption_keys=None if key is None else [key],
    )


def test_an_encrypted_answer_is_decrypted_then_verified(api: Any) -> None:
    pytest.importorskip("joserfc")
    key = _client_key()
    token = _encrypt(signed(email="a@example.com"), key)
    request = UserInfoRequest(
        URL, TOKEN, "alice", client_id=CLIENT, jwt_response=_encrypted_validation(key)
    )
    response, _ = call(api, request, jwt_answer(token))
    assert response.is_successful, (response.error_code, response.error)
    assert response.signed is True and response.claims["email"] == "a@example.com"
    assert response.raw == token


@pytest.mark.parametrize("case", ["no-keys", "wrong-key", "forged-inside", "tampered"])
def test_a_bad_encrypted_answer_is_refused(api: Any, case: str) -> None:
    pytest.importorskip("joserfc")
    key = _client_key()
    inner = signed(key=forger_key()) if case == "forged-inside" else signed()
    token = _encrypt(inner, key)
    if case == "tampered":
        parts = token.split(".")
        parts[3] = parts[3][:-2] + ("AA" if parts[3][-2:] != "AA" else "BB")
        token = ".".join(parts)
    decryption = {"no-keys": None, "wrong-key": _client_key()}.get(case, key)
    request = UserInfoRequest(
        URL, TOKEN, client_id=CLIENT, jwt_response=_encrypted_validation(decryption)
    )
    response, _ = call(api, request, jwt_answer(token))
    assert response.is_successful is False and response.error_code == "invalid_jwt_response"
    assert response.claims is None


def test_a_tampered_signed_answer_is_refused(api: Any) -> None:
    header, payload, signature = signed().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "mallory"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    request = UserInfoRequest(URL, TOKEN, client_id=CLIENT, jwt_response=validation())
    response, _ = call(api, request, jwt_answer(f"{header}.{forged}.{signature}"))
    assert response.is_successful is False and response.error_code == "invalid_jwt_response"


def test_an_encrypted_but_unsigned_answer_is_refused(api: Any) -> None:
    # Anyone can encrypt to the client's public key: only the provider's signature makes
    # the claims the provider's (OIDC Core §5.3.2).
    pytest.importorskip("joserfc")
    key = _client_key()
    token = _encrypt('{"sub":"alice","iss":"https://op.example","aud":"client-1"}', key)
    request = UserInfoRequest(URL, TOKEN, client_id=CLIENT, jwt_response=_encrypted_validation(key))
    response, _ = call(api, request, jwt_answer(token))
    assert response.is_successful is False and response.error_code == "invalid_jwt_response"
