"""Round trips: sign -> parse -> verify for every algorithm; key -> JWK -> key; thumbprints."""

from __future__ import annotations

import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa, x448, x25519
from cryptography.x509.oid import NameOID
from jose_support import ALL_ALGORITHMS, jwk_for, new_private_key

from py_identity_model.exceptions import SignatureVerificationException
from py_identity_model.jose import JsonWebKey, parse_compact, sign_compact, verify_compact

CLAIMS = {"iss": "https://issuer.example", "sub": "alice", "aud": ["a", "b"], "exp": 2000000000,
          "nested": {"roles": ["x"], "n": 1.5}, "name": "Zo\u00eb \u2603"}  # fmt: skip


@pytest.mark.parametrize("alg", ALL_ALGORITHMS)
def test_sign_parse_verify_every_algorithm(alg: str) -> None:
    signer = jwk_for(alg, kid=f"{alg}-key")
    # The relying party's copy went through JSON, as if fetched from a JWKS.
    published = signer if signer.kty == "oct" else signer.public_jwk()
    verifier = JsonWebKey.from_json(published.to_json())
    token = sign_compact(CLAIMS, signer, alg, headers={"kid": signer.kid, "typ": "JWT"})
    jws = parse_compact(token)
    assert jws.header == {"alg": alg, "kid": f"{alg}-key", "typ": "JWT"}
    assert (jws.alg, jws.kid, jws.typ) == (alg, f"{alg}-key", "JWT")
    assert jws.claims == CLAIMS
    verify_compact(jws, verifier, algorithms=[alg], allow_symmetric=verifier.kty == "oct")
    # A different key of the same kind does not verify it.
    other = JsonWebKey.from_key(new_private_key(alg))
    other = other if other.kty == "oct" else other.public_jwk()
    with pytest.raises(SignatureVerificationException):
        verify_compact(jws, other, algorithms=[alg], allow_symmetric=True)


def _crypto_keys() -> list[object]:
    return [
        rsa.generate_private_key(65537, 2048),
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP384R1()),
        ec.generate_private_key(ec.SECP521R1()),
        ed25519.Ed25519PrivateKey.generate(),
        ed448.Ed448PrivateKey.generate(),
        x25519.X25519PrivateKey.generate(),
        x448.X448PrivateKey.generate(),
    ]


@pytest.mark.parametrize("private", _crypto_keys(), ids=lambda k: type(k).__name__)
def test_from_key_to_dict_from_dict(private: object) -> None:
    for crypto_key in (private, private.public_key()):  # type: ignore[attr-defined]
        jwk = JsonWebKey.from_key(crypto_key, kid="k", use="sig")
        again = JsonWebKey.from_dict(jwk.to_dict())
        assert again == jwk
        assert again.to_dict() == jwk.to_dict()
        assert JsonWebKey.from_json(jwk.to_json()) == jwk
        assert again.has_private_key is (crypto_key is private)
        # The rebuilt key is the same key.
        der = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        assert again.to_public_key().public_bytes(*der) == jwk.to_public_key().public_bytes(*der)


@pytest.mark.parametrize("private", _crypto_keys(), ids=lambda k: type(k).__name__)
def test_thumbprint_is_the_same_for_public_and_private_forms(private: object) -> None:
    full = JsonWebKey.from_key(private, kid="a", alg="x", use="sig")
    public = JsonWebKey.from_key(private.public_key())  # type: ignore[attr-defined]
    for hash_name in ("sha256", "sha384", "sha512"):
        assert full.thumbprint(hash_name) == public.thumbprint(hash_name)
        assert full.public_jwk().thumbprint(hash_name) == public.thumbprint(hash_name)


def test_rsa_private_jwk_with_only_d_recovers_the_primes() -> None:
    full = jwk_for("RS256")
    members = {k: v for k, v in full.to_dict().items() if k not in ("p", "q", "dp", "dq", "qi")}
    minimal = JsonWebKey.from_dict(members)
    token = sign_compact({"sub": "x"}, minimal, "RS256")
    verify_compact(parse_compact(token), full.public_jwk(), algorithms=["RS256"])


def test_unknown_members_round_trip() -> None:
    members = {
        "kty": "oct",
        "k": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
        "kid": "1",
        "x5t_s256": "literal",  # not the x5t#S256 member: an unknown one
        "custom": {"a": [1, 2]},
    }
    key = JsonWebKey.from_dict(members)
    assert key.extra == {"x5t_s256": "literal", "custom": {"a": [1, 2]}}
    assert key.x5t_s256 is None
    assert key.to_dict() == members
    assert JsonWebKey.from_json(key.to_json()).to_dict() == members


@pytest.mark.parametrize("password", [None, b"secret", "secret"])
def test_pem_round_trip(password: bytes | str | None) -> None:
    private = ec.generate_private_key(ec.SECP384R1())
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(
            password.encode() if isinstance(password, str) else password
        )
        if password
        else serialization.NoEncryption()
    )
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    jwk = JsonWebKey.from_pem(pem, password, kid="pem", alg="ES384")
    assert (jwk.kid, jwk.alg, jwk.crv, jwk.has_private_key) == ("pem", "ES384", "P-384", True)
    assert jwk == JsonWebKey.from_key(private, kid="pem", alg="ES384")
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert JsonWebKey.from_pem(public_pem.decode()) == JsonWebKey.from_key(private.public_key())
    token = sign_compact({"sub": "x"}, jwk, "ES384")
    verify_compact(parse_compact(token), JsonWebKey.from_pem(public_pem), algorithms=["ES384"])


def test_pem_certificate_gives_its_public_key() -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "jose test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(private, hashes.SHA256())
    )
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    assert JsonWebKey.from_pem(pem, kid="cert") == JsonWebKey.from_key(
        private.public_key(), kid="cert"
    )
