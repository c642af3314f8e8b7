"""Encrypted request objects (RFC 9101 §6.1, OIDC Core §10.2): the server's key chosen from
its JWKS (``use``, ``key_ops``, ``alg``, type, size) and its advertised algorithms, the
client-secret keys derived as the server derives them, the nested-JWT header, and misuse.
Each token is decrypted again with the library's own JWE decryption."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from py_identity_model import (
    ConfigurationException,
    JsonWebKey,
    JsonWebKeySet,
    create_request_object,
    encrypt_request_object,
)
from py_identity_model.jar.encryption import select_encryption_key
from py_identity_model.jose.jwe import decrypt_compact
from py_identity_model.utils.encoding import b64url_decode
from py_identity_model.utils.strict_json import loads_object

pytest.importorskip("joserfc")

ISSUER = "https://idp.example"
_RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_EC = ec.generate_private_key(ec.SECP256R1())


def _private(key: Any, **members: Any) -> JsonWebKey:
    jwk = JsonWebKey.from_key(key)
    for name, value in members.items():
        setattr(jwk, name, value)
    return jwk


RSA_ENC = _private(_RSA, kid="rsa-enc", use="enc")
EC_ENC = _private(_EC, kid="ec-enc", use="enc")


def _public(jwk: JsonWebKey) -> JsonWebKey:
    return jwk.public_jwk()


def _signed() -> str:
    secret = base64.urlsafe_b64encode(b"k" * 32).rstrip(b"=").decode()
    return create_request_object(
        {"kty": "oct", "k": secret}, "HS256", "cid", ISSUER, "https://app.example/cb", state="st"
    )


def _header(token: str) -> dict[str, Any]:
    return loads_object(b64url_decode(token.split(".", maxsplit=1)[0]))


def _round_trip(token: str, key: JsonWebKey, signed: str, **allow: Any) -> None:
    assert token.count(".") == 4
    assert decrypt_compact(token, [key], max_length=10**6, **allow).decode() == signed


def test_to_an_ec_key_prefers_ecdh_es_with_key_wrap() -> None:
    signed = _signed()
    token = encrypt_request_object(signed, [_public(RSA_ENC), _public(EC_ENC)])
    header = _header(token)
    assert header.pop("epk")["crv"] == "P-256"  # the sender's ephemeral key
    assert header == {"alg": "ECDH-ES+A256KW", "enc": "A256GCM", "cty": "JWT", "kid": "ec-enc"}
    _round_trip(token, EC_ENC, signed)


def test_the_servers_lists_decide() -> None:
    signed = _signed()
    keys = JsonWebKeySet([_public(RSA_ENC), _public(EC_ENC)])
    token = encrypt_request_object(
        signed, keys, alg_values_supported=["RSA-OAEP-256", "A128KW"],
        enc_values_supported=["A128CBC-HS256"],
    )  # fmt: skip
    assert _header(token)["alg"] == "RSA-OAEP-256"
    assert _header(token)["enc"] == "A128CBC-HS256"
    assert _header(token)["kid"] == "rsa-enc"
    _round_trip(token, RSA_ENC, signed)


def test_a_jwks_dict_and_an_explicit_algorithm() -> None:
    signed = _signed()
    jwks = {"keys": [_public(RSA_ENC).to_dict()]}
    token = encrypt_request_object(signed, jwks, algorithm="RSA-OAEP", encryption="A128GCM")
    assert (_header(token)["alg"], _header(token)["enc"]) == ("RSA-OAEP", "A128GCM")
    _round_trip(token, RSA_ENC, signed, algorithms=["RSA-OAEP"])


def test_keys_not_meant_for_encryption_are_skipped() -> None:
    signing = _private(rsa.generate_private_key(public_exponent=65537, key_size=2048), use="sig")
    verify_only = _private(_RSA, key_ops=["verify"])
    other_alg = _private(_EC, alg="ECDH-ES")
    small = _private(rsa.generate_private_key(public_exponent=65537, key_size=1024))
    candidates = [_public(k) for k in (signing, verify_only, other_alg, small)]
    key, alg = select_encryption_key([*candidates, _public(RSA_ENC)])
    assert key.kid == "rsa-enc" and alg == "RSA-OAEP-256"
    key, alg = select_encryption_key(candidates)  # the EC key serves its own alg only
    assert alg == "ECDH-ES" and key.kty == "EC"
    with pytest.raises(ConfigurationException, match="no encryption key"):
        select_encryption_key([_public(k) for k in (signing, verify_only, small)])


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"alg_values_supported": ["RSA1_5"]}, "both sides"),
        ({"alg_values_supported": "RSA-OAEP-256"}, "not a string"),
        ({"algorithm": "RSA1_5"}, "RSA1_5"),
        ({"algorithm": "A256KW"}, "public-key"),
        ({"enc_values_supported": ["A512XYZ"]}, "both sides"),
        ({"encryption": "A512XYZ"}, "content encryption"),
    ],
)
def test_nothing_fits(kw: dict[str, Any], match: str) -> None:
    with pytest.raises(ConfigurationException, match=match):
        encrypt_request_object(_signed(), [_public(RSA_ENC)], **kw)


def _derived(secret: str, length: int) -> JsonWebKey:
    digest = "sha256" if length <= 32 else "sha384" if length <= 48 else "sha512"
    key = hashlib.new(digest, secret.encode()).digest()[:length]
    return JsonWebKey.from_key(key)


@pytest.mark.parametrize(
    ("alg", "enc", "length"),
    [
        ("A256KW", "A256GCM", 32),
        ("A128KW", "A128GCM", 16),
        ("A192KW", "A256GCM", 24),
        ("dir", "A128GCM", 16),
        ("dir", "A128CBC-HS256", 32),
        ("dir", "A192CBC-HS384", 48),
        ("dir", "A256CBC-HS512", 64),
    ],
)
def test_with_the_client_secret(alg: str, enc: str, length: int) -> None:
    secret, signed = "client-secret-value", _signed()
    token = encrypt_request_object(signed, client_secret=secret, algorithm=alg, encryption=enc)
    assert _header(token) == {"alg": alg, "enc": enc, "cty": "JWT"}
    _round_trip(token, _derived(secret, length), signed, algorithms=[alg])


def test_client_secret_default_and_server_lists() -> None:
    token = encrypt_request_object(_signed(), client_secret="s")
    assert (_header(token)["alg"], _header(token)["enc"]) == ("A256KW", "A256GCM")
    token = encrypt_request_object(
        _signed(), client_secret="s", alg_values_supported=["A128KW", "dir"],
        enc_values_supported=["A128CBC-HS256", "A256GCM"],
    )  # fmt: skip
    assert (_header(token)["alg"], _header(token)["enc"]) == ("A128KW", "A256GCM")


@pytest.mark.parametrize(
    ("args", "kw", "match"),
    [
        ((), {}, "one"),
        (([],), {"client_secret": "s"}, "one"),
        ((), {"client_secret": ""}, "non-empty"),
        ((), {"client_secret": "s", "algorithm": "RSA-OAEP"}, "client-secret"),
        ((), {"client_secret": "s", "alg_values_supported": ["RSA-OAEP-256"]}, "both sides"),
        (("not a jwks",), {}, "JsonWebKeySet"),
        (({"keys": "x"},), {}, "JWKS"),
    ],
)
def test_misuse(args: tuple[Any, ...], kw: dict[str, Any], match: str) -> None:
    with pytest.raises(ConfigurationException, match=match):
        encrypt_request_object(_signed(), *args, **kw)


@pytest.mark.parametrize("value", ["a.b.c.d.e", "not-a-jws", 5])
def test_only_a_signed_object_is_encrypted(value: Any) -> None:
    with pytest.raises(ConfigurationException, match="signed"):
        encrypt_request_object(value, client_secret="s")
