"""Encrypted tokens end to end: ``validate_token`` / ``validate_id_token`` with
``decryption_keys`` (the validation flow decrypts, then verifies the inner JWS as usual).
Each test runs against the sync and the async API (the ``api`` fixture)."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from jwe_support import (
    AUDIENCE,
    ISSUER,
    claims,
    ec_key,
    encrypt,
    oct_key,
    rsa_key,
    signed_jwt,
    signing_key,
)

from py_identity_model import TokenValidationConfig
from py_identity_model.exceptions import (
    InvalidAudienceException,
    MalformedTokenException,
    SignatureVerificationException,
    TokenDecryptionException,
)
from py_identity_model.jose import JsonWebKey, sign_compact

pytest.importorskip("joserfc")


def config(*decryption_keys: Any, **extra: Any) -> TokenValidationConfig:
    return TokenValidationConfig(
        perform_disco=False,
        key=signing_key().public_jwk().to_dict(),
        issuer=ISSUER,
        audience=AUDIENCE,
        decryption_keys=list(decryption_keys),
        **extra,
    )


@pytest.mark.parametrize(
    ("make_key", "alg", "enc"),
    [
        (rsa_key, "RSA-OAEP-256", "A256GCM"),
        (ec_key, "ECDH-ES+A256KW", "A128CBC-HS256"),
        (oct_key, "dir", "A256GCM"),
        (oct_key, "A256KW", "A256GCM"),
    ],
)
def test_validate_token_decrypts_then_verifies(api: Any, make_key: Any, alg: str, enc: str) -> None:
    key = make_key()
    token = encrypt(signed_jwt(), key, alg, enc, cty="JWT")
    # decryption keys as a JWK dict (the config form) and as a JsonWebKey
    for configured in (key.to_dict(), key):
        result = api.validate_token(token, config(configured))
        assert result["sub"] == "alice"
        assert result["iss"] == ISSUER


def test_validate_id_token_decrypts(api: Any) -> None:
    token = encrypt(signed_jwt(nonce="n-1"), rsa_key(), "RSA-OAEP", "A128CBC-HS256")
    result = api.validate_id_token(token, config(rsa_key().to_dict()), nonce="n-1")
    assert result["nonce"] == "n-1"


def test_plain_jws_still_validates_when_decryption_keys_are_configured(api: Any) -> None:
    assert api.validate_token(signed_jwt(), config(oct_key()))["sub"] == "alice"


def test_inner_signature_is_still_verified(api: Any) -> None:
    """Whoever can encrypt to us (anyone holding our public key) cannot forge claims."""
    forger = JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()), kid="sig-1")
    forged = sign_compact(claims(sub="mallory"), forger, "ES256", headers={"kid": "sig-1"})
    token = encrypt(forged, rsa_key(), "RSA-OAEP-256", "A256GCM")
    with pytest.raises(SignatureVerificationException):
        api.validate_token(token, config(rsa_key()))


def test_inner_claims_are_still_checked(api: Any) -> None:
    token = encrypt(signed_jwt(aud="someone-else"), oct_key(), "A256KW", "A256GCM")
    with pytest.raises(InvalidAudienceException):
        api.validate_token(token, config(oct_key()))


def test_unsigned_claims_in_a_jwe_are_refused(api: Any) -> None:
    token = encrypt(
        b'{"iss":"https://issuer.example","sub":"mallory"}', oct_key(), "dir", "A256GCM"
    )
    with pytest.raises(TokenDecryptionException, match="does not contain a signed JWT"):
        api.validate_token(token, config(oct_key()))


def test_wrong_decryption_key(api: Any) -> None:
    token = encrypt(signed_jwt(), rsa_key(), "RSA-OAEP-256", "A256GCM", kid=False)
    with pytest.raises(TokenDecryptionException, match="could not be decrypted"):
        api.validate_token(token, config(rsa_key("other-rsa")))


@pytest.mark.filterwarnings("ignore:.*RSA1_5.*:UserWarning")  # joserfc, when encrypting
def test_rsa1_5_is_refused_through_the_flow(api: Any) -> None:
    token = encrypt(signed_jwt(), rsa_key(), "RSA1_5", "A128GCM")
    with pytest.raises(TokenDecryptionException, match="'RSA1_5' is not allowed"):
        api.validate_token(token, config(rsa_key()))


def test_jwe_without_decryption_keys_is_malformed(api: Any) -> None:
    token = encrypt(signed_jwt(), oct_key(), "A256KW", "A256GCM")
    with pytest.raises(MalformedTokenException, match="5 segments"):
        api.validate_token(token, config())


def test_max_token_size_applies_to_the_jwe(api: Any) -> None:
    token = encrypt(signed_jwt(), oct_key(), "A256KW", "A256GCM")
    with pytest.raises(MalformedTokenException, match="longer than"):
        api.validate_token(token, config(oct_key(), max_token_size=len(token) - 1))
