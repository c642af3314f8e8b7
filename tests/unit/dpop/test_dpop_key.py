"""DPoPKey: generation, persistence (PEM, JWK), inference of the algorithm, refusals, repr."""

from __future__ import annotations

import copy
import json
import pickle
import threading

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from dpop_client_support import PRIVATE_MEMBERS, THUMBPRINT_MEMBERS, thumbprint, verify_proof

from py_identity_model import (
    ConfigurationException,
    DPoPKey,
    DPoPNonceStore,
    JsonWebKey,
    generate_dpop_key,
)
from py_identity_model.endpoints.client import DPoPProver
from py_identity_model.userinfo.models import ResourceDPoPProver

URL = "https://as.example/token"
# RFC 9449 §4.1 (the example proof's jwk) and §6.1 (its thumbprint as cnf.jkt).
RFC_JWK = {
    "kty": "EC",
    "x": "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs",
    "y": "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA",
    "crv": "P-256",
}
RFC_JKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"

GENERATED = [
    ("ES256", "EC", "P-256"),
    ("ES384", "EC", "P-384"),
    ("ES512", "EC", "P-521"),
    ("PS256", "RSA", None),
    ("RS256", "RSA", None),
    ("EdDSA", "OKP", "Ed25519"),
    ("Ed25519", "OKP", "Ed25519"),
    ("Ed448", "OKP", "Ed448"),
]


@pytest.fixture(scope="module")
def keys() -> dict[str, DPoPKey]:
    return {alg: DPoPKey(alg) for alg, _, _ in GENERATED}


def _pem(private: object) -> str:
    return private.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def test_default_is_es256_on_p256() -> None:
    key = DPoPKey()
    assert key.algorithm == "ES256"
    assert key.public_jwk["crv"] == "P-256"
    assert generate_dpop_key().algorithm == "ES256"
    assert generate_dpop_key("PS256").algorithm == "PS256"


@pytest.mark.parametrize(("alg", "kty", "crv"), GENERATED)
def test_generated_key_signs_proofs_an_independent_verifier_accepts(
    keys: dict[str, DPoPKey], alg: str, kty: str, crv: str | None
) -> None:
    key = keys[alg]
    assert key.algorithm == alg
    jwk = key.public_jwk
    assert set(jwk) == set(THUMBPRINT_MEMBERS[kty])  # the public members only
    assert jwk["kty"] == kty and jwk.get("crv") == crv
    if kty == "RSA":
        assert len(jwk["n"]) >= 342  # 2048 bits in base64url
    assert key.jwk_thumbprint == thumbprint(jwk)
    header, claims = verify_proof(key.create_proof("POST", URL))
    assert header == {"alg": alg, "typ": "dpop+jwt", "jwk": jwk}
    assert claims["htu"] == URL


def test_public_jwk_is_a_copy() -> None:
    key = DPoPKey()
    key.public_jwk["x"] = "tampered"
    assert key.public_jwk["x"] != "tampered"
    assert verify_proof(key.create_proof("GET", URL))


def test_the_rfc_example_thumbprint() -> None:
    assert thumbprint(RFC_JWK) == RFC_JKT
    assert JsonWebKey.from_dict(RFC_JWK).thumbprint() == RFC_JKT


@pytest.mark.parametrize(
    "algorithm", ["HS256", "HS512", "none", "NONE", "ES256K", "es256", "RSA-OAEP", "", 256, None]
)
def test_a_bad_algorithm_is_configuration_error(algorithm: object) -> None:
    with pytest.raises(ConfigurationException, match="asymmetric JWS algorithm"):
        DPoPKey(algorithm)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationException):
        generate_dpop_key(algorithm)  # type: ignore[arg-type]


def test_satisfies_both_prover_protocols() -> None:
    key = DPoPKey()
    assert isinstance(key, DPoPProver)
    assert isinstance(key, ResourceDPoPProver)


# ------------------------------------------------------------------------------ persistence


@pytest.mark.parametrize("alg", ["ES256", "ES384", "EdDSA", "Ed448", "PS256"])
def test_pem_round_trip_keeps_the_key(keys: dict[str, DPoPKey], alg: str) -> None:
    key = keys[alg]
    pem = key.private_key_pem
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    explicit = alg if alg in ("PS256", "Ed448") else None  # RSA: ambiguous; Ed448: EdDSA
    loaded = DPoPKey.from_pem(pem, explicit)
    assert loaded.jwk_thumbprint == key.jwk_thumbprint
    assert loaded.algorithm == alg
    assert loaded.public_jwk == key.public_jwk
    assert verify_proof(loaded.create_proof("POST", URL))[0]["jwk"] == key.public_jwk


@pytest.mark.parametrize(
    ("private", "algorithm"),
    [
        (ec.generate_private_key(ec.SECP256R1()), "ES256"),
        (ec.generate_private_key(ec.SECP384R1()), "ES384"),
        (ec.generate_private_key(ec.SECP521R1()), "ES512"),
        (ed25519.Ed25519PrivateKey.generate(), "EdDSA"),
    ],
    ids=["P-256", "P-384", "P-521", "Ed25519"],
)
def test_from_pem_infers_what_the_curve_fixes(private: object, algorithm: str) -> None:
    assert DPoPKey.from_pem(_pem(private)).algorithm == algorithm
    assert DPoPKey.from_pem(_pem(private).encode()).algorithm == algorithm


def test_an_rsa_pem_needs_the_algorithm(keys: dict[str, DPoPKey]) -> None:
    pem = keys["RS256"].private_key_pem
    with pytest.raises(ConfigurationException, match="pass algorithm="):
        DPoPKey.from_pem(pem)
    assert DPoPKey.from_pem(pem, "RS256").jwk_thumbprint == keys["RS256"].jwk_thumbprint
    assert DPoPKey.from_pem(pem, "PS384").algorithm == "PS384"


def test_an_algorithm_that_does_not_fit_the_key_is_refused(keys: dict[str, DPoPKey]) -> None:
    with pytest.raises(ConfigurationException, match="P-384"):
        DPoPKey.from_pem(keys["ES256"].private_key_pem, "ES384")
    with pytest.raises(ConfigurationException):
        DPoPKey.from_pem(keys["ES256"].private_key_pem, "PS256")
    with pytest.raises(ConfigurationException, match="asymmetric"):
        DPoPKey.from_pem(keys["ES256"].private_key_pem, "HS256")


def test_an_rsa_key_below_2048_bits_is_refused() -> None:
    small = rsa.generate_private_key(65537, 1024)
    with pytest.raises(ConfigurationException, match="2048"):
        DPoPKey.from_pem(_pem(small), "PS256")
    with pytest.raises(ConfigurationException, match="2048"):
        DPoPKey.from_jwk({**JsonWebKey.from_key(small).to_dict(), "alg": "RS256"})


def _tamper(pem: str) -> str:
    lines = pem.splitlines()
    body = lines[1]
    lines[1] = body[:10] + ("A" if body[10] != "A" else "B") + body[11:]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "damage",
    [
        _tamper,
        lambda pem: pem[: len(pem) // 2],
        lambda pem: pem.replace("PRIVATE KEY", "PUBLIC KEY"),
        lambda pem: "not a pem at all",
        lambda pem: "",
    ],
    ids=["flipped-byte", "truncated", "wrong-label", "garbage", "empty"],
)
def test_a_damaged_pem_is_configuration_error(keys: dict[str, DPoPKey], damage) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigurationException):
        DPoPKey.from_pem(damage(keys["ES256"].private_key_pem))


def test_a_public_key_pem_is_refused(keys: dict[str, DPoPKey]) -> None:
    public = (
        serialization.load_pem_private_key(keys["ES256"].private_key_pem.encode(), None)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(ConfigurationException, match="private key"):
        DPoPKey.from_pem(public)


@pytest.mark.parametrize("pem", [None, 42, ["pem"]])
def test_from_pem_wrong_type(pem: object) -> None:
    with pytest.raises(ConfigurationException):
        DPoPKey.from_pem(pem)  # type: ignore[arg-type]


def test_encrypted_pem_round_trip(keys: dict[str, DPoPKey]) -> None:
    key = keys["ES256"]
    pem = key.to_pem("correct horse")
    assert "ENCRYPTED PRIVATE KEY" in pem
    assert DPoPKey.from_pem(pem, password="correct horse").jwk_thumbprint == key.jwk_thumbprint
    assert DPoPKey.from_pem(pem, password=b"correct horse").jwk_thumbprint == key.jwk_thumbprint
    with pytest.raises(ConfigurationException, match="password"):
        DPoPKey.from_pem(pem, password="wrong")
    with pytest.raises(ConfigurationException):
        DPoPKey.from_pem(pem)
    with pytest.raises(ConfigurationException, match="password"):
        key.to_pem("")


@pytest.mark.parametrize("alg", ["ES256", "PS256", "RS256", "EdDSA", "ES512"])
def test_jwk_round_trip(keys: dict[str, DPoPKey], alg: str) -> None:
    key = keys[alg]
    saved = key.to_jwk()
    assert saved["alg"] == alg and "d" in saved
    for form in (saved, json.dumps(saved), JsonWebKey.from_dict(saved)):
        loaded = DPoPKey.from_jwk(form)
        assert loaded.algorithm == alg
        assert loaded.jwk_thumbprint == key.jwk_thumbprint
        assert verify_proof(loaded.create_proof("GET", URL))


def test_from_jwk_without_alg_infers_or_needs_it(keys: dict[str, DPoPKey]) -> None:
    ec_jwk = {k: v for k, v in keys["ES384"].to_jwk().items() if k != "alg"}
    assert DPoPKey.from_jwk(ec_jwk).algorithm == "ES384"
    rsa_jwk = {k: v for k, v in keys["PS256"].to_jwk().items() if k != "alg"}
    with pytest.raises(ConfigurationException, match="pass algorithm="):
        DPoPKey.from_jwk(rsa_jwk)
    assert DPoPKey.from_jwk(rsa_jwk, "PS256").algorithm == "PS256"
    with pytest.raises(ConfigurationException, match="not 'RS256'"):
        DPoPKey.from_jwk(keys["PS256"].to_jwk(), "RS256")  # the JWK says PS256


@pytest.mark.parametrize(
    "jwk",
    [
        RFC_JWK,  # public only
        {"kty": "oct", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTAxMjM0NTY3"},
        {"kty": "oct", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTAxMjM0NTY3", "alg": "HS256"},
        {"kty": "EC", "crv": "P-256"},
        {"kty": "nope"},
        "{not json",
        "[]",
        ["kty", "EC"],
        None,
    ],
    ids=[
        "public",
        "oct",
        "oct-hs256",
        "incomplete",
        "unknown-kty",
        "bad-json",
        "json-list",
        "list",
        "none",
    ],
)
def test_from_jwk_refuses_what_cannot_sign(jwk: object) -> None:
    with pytest.raises(ConfigurationException):
        DPoPKey.from_jwk(jwk)  # type: ignore[arg-type]


def test_from_jwk_refuses_a_private_key_of_another_public_key(keys: dict[str, DPoPKey]) -> None:
    mixed = {**keys["ES256"].to_jwk(), "d": DPoPKey().to_jwk()["d"]}
    with pytest.raises(ConfigurationException, match="does not match"):
        DPoPKey.from_jwk(mixed)


def test_from_jwk_refuses_a_key_marked_for_encryption(keys: dict[str, DPoPKey]) -> None:
    with pytest.raises(ConfigurationException, match="use"):
        DPoPKey.from_jwk({**keys["ES256"].to_jwk(), "use": "enc"})


# ------------------------------------------------------------------ secrets stay secret


@pytest.mark.parametrize("alg", ["ES256", "PS256", "EdDSA"])
def test_repr_never_shows_private_material(keys: dict[str, DPoPKey], alg: str) -> None:
    key = keys[alg]
    private = key.to_jwk()
    secrets = [private[m] for m in PRIVATE_MEMBERS if m in private]
    for text in (repr(key), str(key), f"{key!r}"):
        assert text == f"DPoPKey(algorithm={alg!r}, jkt={key.jwk_thumbprint!r})"
        assert not any(secret in text for secret in secrets)
        assert "PRIVATE" not in text
    assert not PRIVATE_MEMBERS & set(key.public_jwk)


def test_a_key_is_not_pickled_but_copies_are_the_same_key() -> None:
    key = DPoPKey()
    with pytest.raises(TypeError, match="to_jwk"):
        pickle.dumps(key)
    assert copy.copy(key) is key and copy.deepcopy({"k": key})["k"] is key


# --------------------------------------------------------------------------- nonce memory


def test_each_key_has_its_own_nonce_store_unless_one_is_shared() -> None:
    first, second = DPoPKey(), DPoPKey()
    assert isinstance(first.nonce_store, DPoPNonceStore)
    assert first.nonce_store is not second.nonce_store
    shared = DPoPNonceStore()
    assert DPoPKey(nonce_store=shared).nonce_store is shared
    pem = first.private_key_pem
    assert DPoPKey.from_pem(pem, nonce_store=shared).nonce_store is shared
    assert DPoPKey.from_jwk(first.to_jwk(), nonce_store=shared).nonce_store is shared
    with pytest.raises(ConfigurationException, match="DPoPNonceStore"):
        DPoPKey(nonce_store={})  # type: ignore[arg-type]


def test_one_key_signs_from_many_threads() -> None:
    key = DPoPKey()
    proofs: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        made = [key.create_proof("POST", URL) for _ in range(50)]
        with lock:
            proofs.extend(made)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(proofs) == 400
    jtis = {verify_proof(proof)[1]["jti"] for proof in proofs}
    assert len(jtis) == 400
