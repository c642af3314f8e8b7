"""What verification must refuse: alg none, key confusion, weak or unfit keys, forged
signatures, allow-list misuse. Parsing refusals are in test_jose_parse_rejections."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from jose_support import b64, b64json, jwk_for, private_key_for, verifying_jwk

from py_identity_model.exceptions import (
    ConfigurationException,
    InvalidAlgorithmException,
    InvalidKeyException,
    MalformedTokenException,
    SignatureVerificationException,
)
from py_identity_model.jose import (
    ALGORITHMS,
    CompactJws,
    JsonWebKey,
    get_algorithm,
    parse_compact,
    sign_compact,
    verify_compact,
)

CLAIMS = {"sub": "alice", "exp": 2000000000}
PAYLOAD = b64json(CLAIMS)


def _token(header: object, payload: str = PAYLOAD, signature: str = "c2ln") -> str:
    return f"{b64json(header)}.{payload}.{signature}"


# ------------------------------------------------------------------------ alg none


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
def test_alg_none_is_refused_in_any_case(alg: str) -> None:
    with pytest.raises(InvalidAlgorithmException):
        parse_compact(_token({"alg": alg}))
    with pytest.raises(MalformedTokenException):  # the classic form: empty signature
        parse_compact(_token({"alg": alg}, signature=""))
    with pytest.raises(InvalidAlgorithmException):
        get_algorithm(alg)
    # Even a caller who lists it, with a hand-made parse result, gets no further.
    forged = CompactJws({"alg": alg}, b"{}", b"x.y", b"", "x.y.")
    with pytest.raises(InvalidAlgorithmException):
        verify_compact(forged, verifying_jwk("HS256"), algorithms=[alg], allow_symmetric=True)


# --------------------------------------------------------------- key and algorithm


def test_hs256_token_against_rsa_key_is_key_confusion() -> None:
    rsa_jwk = verifying_jwk("RS256")
    pem = rsa_jwk.to_public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    forged = sign_compact(CLAIMS, JsonWebKey.from_key(pem), "HS256")  # MAC keyed with the PEM
    jws = parse_compact(forged)
    for allow_symmetric in (False, True):
        with pytest.raises(InvalidAlgorithmException):
            verify_compact(
                jws, rsa_jwk, algorithms=["HS256", "RS256"], allow_symmetric=allow_symmetric
            )


def test_remote_oct_key_needs_explicit_opt_in() -> None:
    key = verifying_jwk("HS256")
    jws = parse_compact(sign_compact(CLAIMS, key, "HS256"))
    with pytest.raises(InvalidAlgorithmException, match="allow_symmetric"):
        verify_compact(jws, key, algorithms=["HS256"])
    verify_compact(jws, key, algorithms=["HS256"], allow_symmetric=True)


def test_rsa_key_of_1024_bits_is_refused() -> None:
    private = rsa.generate_private_key(65537, 1024)
    signing_input = f"{b64json({'alg': 'RS256'})}.{PAYLOAD}"
    signature = private.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    small = JsonWebKey.from_key(private.public_key())
    assert small.key_size == 1024
    with pytest.raises(InvalidKeyException, match="2048"):
        verify_compact(
            parse_compact(f"{signing_input}.{b64(signature)}"), small, algorithms=["RS256"]
        )
    with pytest.raises(InvalidKeyException):
        sign_compact(CLAIMS, JsonWebKey.from_key(private), "RS256")


def test_es256_with_a_p384_key_is_refused() -> None:
    p384 = JsonWebKey.from_key(ec.generate_private_key(ec.SECP384R1()))
    jws = parse_compact(sign_compact(CLAIMS, p384, "ES384"))
    jws.header["alg"] = "ES256"
    with pytest.raises(InvalidAlgorithmException, match="P-256"):
        verify_compact(jws, p384.public_jwk(), algorithms=["ES256"])
    with pytest.raises(InvalidAlgorithmException):
        sign_compact(CLAIMS, p384, "ES256")


def test_es256_signature_of_wrong_length_or_der_is_refused() -> None:
    key = jwk_for("ES256")
    token = sign_compact(CLAIMS, key, "ES256")
    jws = parse_compact(token)
    assert len(jws.signature) == 64
    der = key.to_private_key().sign(jws.signing_input, ec.ECDSA(hashes.SHA256()))
    head = token.rsplit(".", 1)[0]
    for signature in (der, jws.signature[:63], jws.signature + b"\0", b"\0" + jws.signature, b""):
        if not signature:
            continue  # an empty signature is refused by the parser already (see below)
        with pytest.raises(SignatureVerificationException):
            verify_compact(
                parse_compact(f"{head}.{b64(signature)}"), key.public_jwk(), algorithms=["ES256"]
            )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"use": "enc"}, "use"),
        ({"key_ops": ["encrypt"]}, "key_ops"),
        ({"key_ops": ["sign"]}, "key_ops"),
        ({"alg": "RS384"}, "alg"),
        ({"use": "sig", "key_ops": ["encrypt"]}, "key_ops"),  # both kept; checked at use
    ],
)
def test_key_use_key_ops_and_alg_must_permit_verification(
    changes: dict[str, object], message: str
) -> None:
    key = jwk_for("RS256")
    jws = parse_compact(sign_compact(CLAIMS, key, "RS256"))
    restricted = JsonWebKey.from_dict({**key.public_jwk().to_dict(), **changes})
    assert not restricted.usable_for_verification("RS256")
    with pytest.raises(InvalidKeyException, match=message):
        verify_compact(jws, restricted, algorithms=["RS256"])


def test_alg_outside_the_allow_list_is_refused() -> None:
    key = verifying_jwk("PS256")
    jws = parse_compact(sign_compact(CLAIMS, jwk_for("PS256"), "PS256"))
    with pytest.raises(InvalidAlgorithmException, match="not allowed"):
        verify_compact(jws, key, algorithms=["RS256"])
    with pytest.raises(ConfigurationException):  # "PS256" would match by substring
        verify_compact(jws, key, algorithms="PS256")


def test_attacker_jwk_in_header_is_ignored() -> None:
    attacker = jwk_for("ES256", kid="attacker")
    victim = JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()), kid="victim")
    token = sign_compact(
        CLAIMS,
        attacker,
        "ES256",
        headers={
            "kid": "victim",
            "jwk": attacker.public_jwk().to_dict(),
            "jku": "https://evil",
            "x5u": "https://evil",
        },
    )
    with pytest.raises(SignatureVerificationException):
        verify_compact(parse_compact(token), victim.public_jwk(), algorithms=["ES256"])


def test_tampered_payload_fails_the_signature() -> None:
    key = jwk_for("EdDSA")
    header, _, signature = sign_compact(CLAIMS, key, "EdDSA").split(".")
    tampered = f"{header}.{b64json({**CLAIMS, 'sub': 'mallory'})}.{signature}"
    with pytest.raises(SignatureVerificationException):
        verify_compact(parse_compact(tampered), key.public_jwk(), algorithms=["EdDSA"])


def test_unknown_algorithm_is_refused() -> None:
    with pytest.raises(InvalidAlgorithmException, match="unsupported"):
        verify_compact(
            parse_compact(_token({"alg": "ES256K"})), verifying_jwk("ES256"), algorithms=["ES256K"]
        )


def test_registry_verify_functions_never_raise() -> None:
    """Wrong key types, wrong lengths, junk: False, never a cryptography exception."""
    junk_keys = [
        None,
        b"",
        b"short",
        "text",
        42,
        private_key_for("RS256"),
        private_key_for("ES256"),
    ]
    for alg, record in sorted(ALGORITHMS.items()):
        for key in [*junk_keys, verifying_jwk(alg).verification_material()]:
            for signature in (b"", b"\0" * 64, b"\xff" * 512):
                assert record.verify(key, b"data", signature) is False


def test_json_dump_of_unusual_payload_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationException):
        sign_compact({"n": float("nan")}, jwk_for("HS256"), "HS256")
    with pytest.raises(ConfigurationException):
        sign_compact({"s": {1, 2}}, jwk_for("HS256"), "HS256")
    with pytest.raises(ConfigurationException):
        sign_compact(CLAIMS, jwk_for("HS256"), "HS256", headers={"alg": "HS512"})
    assert (
        json.loads(parse_compact(sign_compact(CLAIMS, jwk_for("HS256"), "HS256")).payload) == CLAIMS
    )
    for payload in ("text", ["a"], 7):
        with pytest.raises(ConfigurationException):
            sign_compact(payload, jwk_for("HS256"), "HS256")  # type: ignore[arg-type]


@pytest.mark.parametrize("algorithms", [None, 5, "HS256", b"HS256"])
def test_allow_list_must_be_a_collection(algorithms: object) -> None:
    jws = parse_compact(sign_compact(CLAIMS, jwk_for("HS256"), "HS256"))
    with pytest.raises(ConfigurationException):
        verify_compact(jws, jwk_for("HS256"), algorithms=algorithms, allow_symmetric=True)  # type: ignore[arg-type]


def test_registry_sign_functions_refuse_unfit_keys() -> None:
    es256 = ALGORITHMS["ES256"]
    with pytest.raises(InvalidKeyException, match="P-256"):
        es256.sign(private_key_for("ES384"), b"data")
    with pytest.raises(InvalidKeyException, match="Edwards"):
        ALGORITHMS["Ed448"].sign(private_key_for("EdDSA"), b"data")
    with pytest.raises(InvalidKeyException, match="32 bytes"):
        ALGORITHMS["HS256"].sign(b"short", b"data")


def test_signing_needs_a_key_whose_usage_permits_it() -> None:
    verify_only = JsonWebKey.from_dict({**jwk_for("ES256").to_dict(), "key_ops": ["verify"]})
    with pytest.raises(InvalidKeyException, match="sign"):
        sign_compact(CLAIMS, verify_only, "ES256")
    with pytest.raises(ConfigurationException, match="mapping"):
        sign_compact(CLAIMS, jwk_for("ES256"), "ES256", headers=[("kid", "x")])  # type: ignore[arg-type]
