"""``process_jarm_response`` (sync and async, through ``api``) against a mocked server.

A :class:`FakeOp` serves discovery and a JWKS (httpx ``MockTransport``) and counts requests,
so each test breaks one rule of JARM §2.4 and sees it refused: signature, algorithm (``none``,
HMAC with the public key, not the registered one), ``iss``, ``aud``, ``exp``, decryption;
and sees the rest work: every mode's callback, static keys, key rotation (one refetch for an
unknown ``kid``), error responses wrapped in the JWT, the loopback HTTP exception.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from py_identity_model import (
    ConfigurationException,
    DiscoveryHTTPSRequiredError,
    DiscoveryUnavailableError,
    JarmValidationException,
    JwksUnavailableError,
    NetworkException,
    validate_authorize_callback,
)
from py_identity_model.jose import JsonWebKey, sign_compact
from py_identity_model.validation.key_source import clear_shared_key_sources

CLIENT = "jarm-app"
CALLBACK = "https://app.example/callback"
RSA_PRIVATE = rsa.generate_private_key(public_exponent=65537, key_size=2048)
RSA_KEY = JsonWebKey.from_key(RSA_PRIVATE, kid="rsa-1")
RSA_KEY_2 = JsonWebKey.from_key(
    rsa.generate_private_key(public_exponent=65537, key_size=2048), kid="rsa-2"
)
EC_KEY = JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()), kid="ec-1")
FORGER = JsonWebKey.from_key(
    rsa.generate_private_key(public_exponent=65537, key_size=2048), kid="rsa-1"
)


@pytest.fixture(autouse=True)
def _fresh_key_sources() -> Iterator[None]:
    clear_shared_key_sources()
    yield
    clear_shared_key_sources()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class FakeOp:
    """Discovery + JWKS of a mocked authorization server, with request counts."""

    def __init__(self, *keys: JsonWebKey) -> None:
        self.issuer = f"https://op-{uuid.uuid4().hex[:12]}.example"
        self.keys = [k.public_jwk().to_dict() for k in (keys or (RSA_KEY, EC_KEY))]
        self.counts: Counter[str] = Counter()
        self.jwks_status = 200

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.counts[request.url.path] += 1
        if request.url.path == "/.well-known/openid-configuration":
            return httpx.Response(
                200,
                json={
                    "issuer": self.issuer,
                    "jwks_uri": f"{self.issuer}/jwks",
                    "authorization_endpoint": f"{self.issuer}/authorize",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "response_modes_supported": ["query", "jwt", "query.jwt"],
                    "authorization_signing_alg_values_supported": ["RS256", "ES256"],
                },
            )
        if request.url.path == "/jwks":
            return httpx.Response(self.jwks_status, json={"keys": self.keys})
        return httpx.Response(404)

    def claims(self, **changes: Any) -> dict[str, Any]:
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": CLIENT,
            "exp": int(time.time()) + 120,
            "code": "the-code",
            "state": "the-state",
        }
        for name, value in changes.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        return claims

    def jwt(self, key: JsonWebKey = RSA_KEY, alg: str = "RS256", **changes: Any) -> str:
        return sign_compact(self.claims(**changes), key, alg, headers={"kid": key.kid})


def process(api: Any, op: FakeOp, callback: Any, **kw: Any) -> Any:
    kw.setdefault("disco_doc_address", op.issuer)
    return api.process_jarm_response(
        callback, client_id=CLIENT, http_client=api.mock_client(op.handler), **kw
    )


def rejected(api: Any, op: FakeOp, callback: Any, **kw: Any) -> JarmValidationException:
    with pytest.raises(JarmValidationException) as caught:
        process(api, op, callback, **kw)
    return caught.value


# ------------------------------------------------------------------ accepted


@pytest.mark.parametrize("where", ["query", "fragment", "form-body", "form-bytes", "fields"])
def test_a_valid_response_gives_the_plain_callback(api: Any, where: str) -> None:
    op = FakeOp()
    token = op.jwt()
    callback: Any = {
        "query": f"{CALLBACK}?response={token}",
        "fragment": f"{CALLBACK}#response={token}",
        "form-body": f"response={token}",
        "form-bytes": f"response={token}".encode(),
        "fields": {"response": token},
    }[where]
    response = process(api, op, callback)
    assert response.is_successful is True
    assert (response.code, response.state, response.issuer) == (
        "the-code",
        "the-state",
        op.issuer,
    )
    assert response.values["aud"] == CLIENT
    # the plain callback checks apply unchanged
    validate_authorize_callback(
        response,
        expected_state="the-state",
        expected_issuer=op.issuer,
        iss_parameter_supported=True,
    )
    assert op.counts["/jwks"] == 1


def test_the_issuer_alone_locates_discovery(api: Any) -> None:
    op = FakeOp()
    response = process(
        api, op, f"{CALLBACK}?response={op.jwt()}", disco_doc_address=None, issuer=op.issuer
    )
    assert response.code == "the-code"


def test_is_jwt_takes_the_jwt_itself(api: Any) -> None:
    op = FakeOp()
    token = op.jwt()
    response = process(api, op, token, is_jwt=True)
    assert response.code == "the-code" and response.raw == token
    assert process(api, op, token.encode(), is_jwt=True).state == "the-state"


def test_static_keys_with_their_issuer(api: Any) -> None:
    op = FakeOp()
    jwks = {"keys": op.keys}
    response = process(
        api, op, f"response={op.jwt()}", disco_doc_address=None, issuer=op.issuer, jwks=jwks
    )
    assert response.code == "the-code"
    assert sum(op.counts.values()) == 0  # no request at all
    one_key = process(
        api, op, f"response={op.jwt()}", disco_doc_address=None, issuer=op.issuer,
        jwks=RSA_KEY.public_jwk(),
    )  # fmt: skip
    assert one_key.code == "the-code"


def test_repeated_calls_share_the_cached_keys(api: Any) -> None:
    op = FakeOp()
    for _ in range(3):
        process(api, op, f"response={op.jwt()}")
    assert op.counts["/jwks"] == 1 and op.counts["/.well-known/openid-configuration"] == 1


def test_an_error_wrapped_in_the_jwt(api: Any) -> None:
    op = FakeOp()
    token = op.jwt(code=None, error="access_denied", error_description="End-User aborted")
    response = process(api, op, f"{CALLBACK}?response={token}")
    assert response.is_successful is False
    assert response.error == "access_denied"
    assert response.error_description == "End-User aborted"
    assert response.state == "the-state" and response.code is None


def test_leeway_accepts_a_just_expired_response(api: Any) -> None:
    op = FakeOp()
    token = op.jwt(exp=int(time.time()) - 5)
    assert process(api, op, f"response={token}", leeway=30).code == "the-code"
    assert rejected(api, op, f"response={token}").details["reason"] == "token_expired"


def test_an_unknown_kid_refetches_the_keys_once(api: Any) -> None:
    op = FakeOp(RSA_KEY)
    process(api, op, f"response={op.jwt()}")  # warm: rsa-1 only
    op.keys = [RSA_KEY_2.public_jwk().to_dict()]  # the server rotates
    response = process(api, op, f"response={op.jwt(RSA_KEY_2)}")
    assert response.code == "the-code"
    assert op.counts["/jwks"] == 2


def test_an_unknown_kid_that_stays_unknown(api: Any) -> None:
    op = FakeOp(RSA_KEY)
    stranger = JsonWebKey.from_key(
        rsa.generate_private_key(public_exponent=65537, key_size=2048), kid="nobody"
    )
    error = rejected(api, op, f"response={op.jwt(stranger)}")
    assert error.details["reason"] == "key_not_found"
    assert op.counts["/jwks"] == 2  # one refetch, then the refusal


def test_a_loopback_http_issuer_is_allowed(api: Any) -> None:
    op = FakeOp()
    op.issuer = "http://127.0.0.1:8123"
    response = process(api, op, f"response={op.jwt()}")
    assert response.issuer == "http://127.0.0.1:8123"


def test_require_https_false_allows_a_remote_http_issuer(api: Any) -> None:
    op = FakeOp()
    op.issuer = "http://op.example"
    with pytest.raises(DiscoveryHTTPSRequiredError):
        process(api, op, f"response={op.jwt()}")
    with pytest.raises(DiscoveryHTTPSRequiredError):
        process(
            api,
            op,
            f"response={op.jwt()}",
            disco_doc_address=None,
            issuer=op.issuer,
            jwks={"keys": op.keys},
        )
    response = process(api, op, f"response={op.jwt()}", require_https=False)
    assert response.code == "the-code"


# ------------------------------------------------------------------ rejected


def test_a_tampered_payload(api: Any) -> None:
    op = FakeOp()
    header, _, signature = op.jwt().split(".")
    forged = b64(json.dumps(op.claims(code="attacker-code")).encode())
    error = rejected(api, op, f"response={header}.{forged}.{signature}")
    assert error.details["reason"] == "invalid_signature"
    assert error.__cause__ is not None


def test_a_response_signed_by_another_key_under_the_same_kid(api: Any) -> None:
    op = FakeOp()
    error = rejected(api, op, f"response={op.jwt(FORGER)}")
    assert error.details["reason"] in ("invalid_signature", "key_not_found")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"aud": "another-client"}, "invalid_audience"),
        ({"aud": ["x", "y"]}, "invalid_audience"),
        ({"aud": None}, "missing_claim"),
        ({"iss": "https://evil.example"}, "invalid_issuer"),
        ({"iss": None}, "missing_claim"),
        ({"exp": None}, "missing_claim"),
        ({"exp": int(time.time()) - 60}, "token_expired"),
        ({"exp": "tomorrow"}, "invalid_claims"),
        ({"nbf": int(time.time()) + 600}, "token_not_yet_valid"),
    ],
    ids=[
        "wrong-aud", "aud-without-client", "no-aud", "wrong-iss", "no-iss", "no-exp",
        "expired", "exp-not-a-number", "not-yet-valid",
    ],
)  # fmt: skip
def test_a_claim_rule_is_broken(api: Any, changes: dict[str, Any], reason: str) -> None:
    op = FakeOp()
    error = rejected(api, op, f"response={op.jwt(**changes)}")
    assert error.details["reason"] == reason
    assert error.code == "invalid_jarm_response"


def test_the_audience_may_be_a_list_containing_the_client(api: Any) -> None:
    op = FakeOp()
    assert process(api, op, f"response={op.jwt(aud=['other', CLIENT])}").code == "the-code"


def test_the_configured_issuer_must_match_too(api: Any) -> None:
    op = FakeOp()
    error = rejected(api, op, f"response={op.jwt()}", issuer="https://expected.example")
    assert error.details["reason"] == "invalid_issuer"


def test_alg_none_is_refused(api: Any) -> None:
    op = FakeOp()
    header = b64(json.dumps({"alg": "none"}).encode())
    unsigned = f"{header}.{b64(json.dumps(op.claims()).encode())}."
    error = rejected(api, op, f"response={unsigned}")
    assert error.details["reason"] in ("invalid_algorithm", "malformed_token")


def test_hs256_with_the_public_key_as_secret_is_refused(api: Any) -> None:
    import hashlib
    import hmac

    op = FakeOp()
    public_pem = RSA_PRIVATE.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = (
        f"{b64(json.dumps({'alg': 'HS256', 'kid': 'rsa-1'}).encode())}."
        f"{b64(json.dumps(op.claims()).encode())}"
    )
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    error = rejected(api, op, f"response={signing_input}.{b64(mac)}")
    assert error.details["reason"] == "invalid_algorithm"
    # ...and HMAC can never be allowed with keys from a JWKS.
    with pytest.raises(ConfigurationException):
        process(api, op, f"response={signing_input}.{b64(mac)}", algorithms=["HS256"])


def test_the_registered_algorithm_is_the_only_one_accepted(api: Any) -> None:
    op = FakeOp()
    assert process(api, op, f"response={op.jwt(EC_KEY, 'ES256')}").code == "the-code"
    error = rejected(api, op, f"response={op.jwt(EC_KEY, 'ES256')}", algorithms=["RS256"])
    assert error.details["reason"] == "invalid_algorithm"
    assert process(api, op, f"response={op.jwt()}", algorithms=["RS256"]).code == "the-code"


def test_an_algorithm_bound_to_another_key_type_is_refused(api: Any) -> None:
    op = FakeOp()
    # ES256 in the header, signed by the RSA key: the registry binds ES256 to EC keys.
    header = b64(json.dumps({"alg": "ES256", "kid": "rsa-1"}).encode())
    _, payload, signature = op.jwt().split(".")
    error = rejected(api, op, f"response={header}.{payload}.{signature}")
    assert error.details["reason"] in ("invalid_signature", "key_not_found", "invalid_algorithm")


@pytest.mark.parametrize("typ", ["logout+jwt", "at+jwt", "application/token-introspection+jwt"])
def test_another_kind_of_jwt_is_not_a_jarm_response(api: Any, typ: str) -> None:
    op = FakeOp()
    token = sign_compact(op.claims(), RSA_KEY, "RS256", headers={"kid": "rsa-1", "typ": typ})
    assert rejected(api, op, f"response={token}").details["reason"] == "invalid_token_type"
    plain = sign_compact(op.claims(), RSA_KEY, "RS256", headers={"kid": "rsa-1", "typ": "JWT"})
    assert process(api, op, f"response={plain}").code == "the-code"


def test_a_malformed_jwt(api: Any) -> None:
    op = FakeOp()
    assert rejected(api, op, "response=not.a.jwt").details["reason"] == "malformed_token"
    assert rejected(api, op, "response=abc").details["reason"] == "malformed_token"


def test_an_oversize_jwt_is_refused_before_decoding(api: Any) -> None:
    op = FakeOp()
    token = op.jwt(code="x" * 300_000)
    error = rejected(api, op, token, is_jwt=True)
    assert error.details["reason"] == "malformed_token"
    assert sum(op.counts.values()) == 0


def test_a_plain_callback_is_not_a_jarm_response(api: Any) -> None:
    op = FakeOp()
    error = rejected(api, op, f"{CALLBACK}?code=abc&state=the-state")
    assert "no response parameter" in str(error)
    assert sum(op.counts.values()) == 0  # refused before any request


def test_claims_of_the_wrong_type_are_refused(api: Any) -> None:
    op = FakeOp()
    assert rejected(api, op, f"response={op.jwt(state=7)}").details["reason"] == "invalid_claims"


# ------------------------------------------------------------------ keys unavailable


def test_unavailable_keys_are_an_outage_not_a_forgery(api: Any) -> None:
    op = FakeOp()
    op.jwks_status = 500
    with pytest.raises(JwksUnavailableError) as caught:
        process(api, op, f"response={op.jwt()}")
    assert isinstance(caught.value, NetworkException)
    assert not isinstance(caught.value, JarmValidationException)
    down = FakeOp()
    with pytest.raises(DiscoveryUnavailableError):
        api.process_jarm_response(
            f"response={down.jwt()}",
            client_id=CLIENT,
            disco_doc_address=down.issuer,
            http_client=api.mock_client(lambda request: httpx.Response(503)),
        )


# ------------------------------------------------------------------ encrypted


def _client_key() -> JsonWebKey:
    return JsonWebKey.from_key(
        rsa.generate_private_key(public_exponent=65537, key_size=2048), kid="client-enc"
    )


def _encrypt(plaintext: str, key: JsonWebKey) -> str:
    from joserfc import jwe, jwk

    native: Any = jwk.import_key(key.public_jwk().to_dict())
    protected = {"alg": "RSA-OAEP-256", "enc": "A256GCM", "cty": "JWT", "kid": key.kid}
    registry = jwe.JWERegistry(algorithms=["RSA-OAEP-256", "A256GCM"], strict_check_header=False)
    return jwe.encrypt_compact(protected, plaintext, native, registry=registry)


def test_an_encrypted_response_is_decrypted_then_verified(api: Any) -> None:
    pytest.importorskip("joserfc")
    op = FakeOp()
    key = _client_key()
    token = _encrypt(op.jwt(), key)
    response = process(api, op, f"{CALLBACK}?response={token}", decryption_keys=[key])
    assert response.code == "the-code" and response.issuer == op.issuer
    as_dict = process(api, op, f"response={token}", decryption_keys=[key.to_dict()])
    assert as_dict.state == "the-state"


def test_an_encrypted_response_without_keys_says_so(api: Any) -> None:
    pytest.importorskip("joserfc")
    op = FakeOp()
    error = rejected(api, op, f"response={_encrypt(op.jwt(), _client_key())}")
    assert error.details["reason"] == "decryption_keys_required"
    assert "decryption_keys" in str(error)
    assert sum(op.counts.values()) == 0


@pytest.mark.parametrize("case", ["wrong-key", "forged-inside", "expired-inside"])
def test_a_bad_encrypted_response_is_refused(api: Any, case: str) -> None:
    pytest.importorskip("joserfc")
    op = FakeOp()
    key = _client_key()
    inner = {
        "wrong-key": op.jwt(),
        "forged-inside": op.jwt(FORGER),
        "expired-inside": op.jwt(exp=int(time.time()) - 60),
    }[case]
    decryption = _client_key() if case == "wrong-key" else key
    error = rejected(api, op, f"response={_encrypt(inner, key)}", decryption_keys=[decryption])
    expected = {
        "wrong-key": {"decryption_failed", "key_not_found"},
        "forged-inside": {"invalid_signature", "key_not_found"},
        "expired-inside": {"token_expired"},
    }[case]
    assert error.details["reason"] in expected


# ------------------------------------------------------------------ misuse


@pytest.mark.parametrize(
    "kw",
    [
        {"disco_doc_address": None},
        {"jwks": {"keys": []}, "issuer": "https://op.example"},
        {"jwks": {"keys": [RSA_KEY.public_jwk().to_dict()]}},
        {"jwks": "not-a-key", "disco_doc_address": None, "issuer": "https://op.example"},
        {"algorithms": "RS256"},
        {"algorithms": ["none"]},
        {"algorithms": ["XX999"]},
        {"leeway": -1},
        {"leeway": float("nan")},
        {"leeway": True},
        {"leeway": "5"},
        {"algorithms": ["RS256", 5]},
        {"require_https": "yes"},
        {"is_jwt": "no"},
        {"issuer": "not a url"},
        {"issuer": ""},
        {"decryption_keys": "key"},
        {"decryption_keys": ["key"]},
        {"disco_doc_address": "not a url"},
    ],
    ids=[
        "no-source", "jwks-and-disco", "jwks-without-issuer", "jwks-not-a-key",
        "algorithms-str", "alg-none", "alg-unknown", "negative-leeway", "nan-leeway", "bool-leeway", "str-leeway", "alg-not-str",
        "require-https-str", "is-jwt-str", "issuer-not-url", "issuer-empty",
        "decryption-keys-str", "decryption-keys-items", "bad-disco-address",
    ],
)  # fmt: skip
def test_misuse_raises_a_configuration_error(api: Any, kw: dict[str, Any]) -> None:
    op = FakeOp()
    with pytest.raises(ConfigurationException):
        process(api, op, f"response={op.jwt()}", **kw)
    assert sum(op.counts.values()) == 0


@pytest.mark.parametrize("client_id", ["", None, 5])
def test_client_id_is_required(api: Any, client_id: Any) -> None:
    op = FakeOp()
    with pytest.raises(ConfigurationException, match="client_id"):
        api.process_jarm_response(
            f"response={op.jwt()}", client_id=client_id, disco_doc_address=op.issuer
        )


def test_a_wrong_callback_type_is_a_jarm_error(api: Any) -> None:
    op = FakeOp()
    with pytest.raises(JarmValidationException):
        process(api, op, 12345)
    with pytest.raises(JarmValidationException, match="is_jwt=True"):
        process(api, op, {"response": "x"}, is_jwt=True)
