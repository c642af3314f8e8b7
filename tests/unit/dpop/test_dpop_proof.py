"""DPoP proofs (RFC 9449 §4.2): header, claims, htu normalisation, ath, nonce, headers."""

from __future__ import annotations

import time

import pytest
from cryptography.exceptions import InvalidSignature
from dpop_client_support import decode, verify_proof
from tests.provider.jws import verify_jwt

from py_identity_model import (
    ConfigurationException,
    DPoPKey,
    build_dpop_headers,
    compute_ath,
    create_dpop_proof,
)
from py_identity_model.dpop.proof import dpop_htu

URL = "https://as.example/token"
# RFC 9449 §7.1: the access token of the example and its ath.
RFC_TOKEN = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"
RFC_ATH = "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"


@pytest.fixture(scope="module")
def key() -> DPoPKey:
    return DPoPKey()


def test_the_rfc_ath_example() -> None:
    assert compute_ath(RFC_TOKEN) == RFC_ATH


def test_header_and_claims_of_a_token_endpoint_proof(key: DPoPKey) -> None:
    before = int(time.time())
    header, claims = verify_proof(key.create_proof("POST", URL))
    assert header == {"alg": "ES256", "typ": "dpop+jwt", "jwk": key.public_jwk}
    assert set(claims) == {"jti", "htm", "htu", "iat"}
    assert claims["htm"] == "POST" and claims["htu"] == URL
    assert before <= claims["iat"] <= int(time.time())
    assert isinstance(claims["iat"], int)


def test_a_resource_proof_carries_ath_and_nonce(key: DPoPKey) -> None:
    _, claims = verify_proof(
        key.create_proof("GET", "https://rs.example/r?x=1", nonce="n-1", access_token=RFC_TOKEN)
    )
    assert claims["ath"] == RFC_ATH
    assert claims["nonce"] == "n-1"
    assert claims["htu"] == "https://rs.example/r"


def test_create_dpop_proof_is_the_function_form(key: DPoPKey) -> None:
    proof = create_dpop_proof(key, "GET", "https://rs.example/r", RFC_TOKEN, "abc")
    _, claims = verify_proof(proof)
    assert (claims["htm"], claims["ath"], claims["nonce"]) == ("GET", RFC_ATH, "abc")
    _, plain = verify_proof(create_dpop_proof(key, "POST", URL))
    assert "ath" not in plain and "nonce" not in plain


@pytest.mark.parametrize("not_a_key", [None, "pem", object(), {"kty": "EC"}])
def test_create_dpop_proof_needs_a_key(not_a_key: object) -> None:
    with pytest.raises(ConfigurationException, match="DPoPKey"):
        create_dpop_proof(not_a_key, "POST", URL)  # type: ignore[arg-type]


def test_create_dpop_proof_refuses_a_prover_that_returns_no_string() -> None:
    class Broken:
        def create_proof(self, *args: object, **kwargs: object) -> object:
            return None

    with pytest.raises(ConfigurationException, match="string"):
        create_dpop_proof(Broken(), "POST", URL)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "htu"),
    [
        ("https://as.example/token", "https://as.example/token"),
        ("HTTPS://AS.Example/token", "https://as.example/token"),
        ("https://as.example:443/token", "https://as.example/token"),
        ("http://127.0.0.1:80/token", "http://127.0.0.1/token"),
        ("http://127.0.0.1:8080/token", "http://127.0.0.1:8080/token"),
        ("https://as.example:8443/token", "https://as.example:8443/token"),
        ("https://as.example/token?x=1&y=2", "https://as.example/token"),
        ("https://as.example/token#frag", "https://as.example/token"),
        ("https://as.example/token?x=1#frag", "https://as.example/token"),
        ("https://as.example", "https://as.example/"),
        ("https://as.example?x", "https://as.example/"),
        ("https://as.example/a/./b/../token", "https://as.example/a/token"),
        ("https://as.example/%7Euser/%2fx", "https://as.example/~user/%2Fx"),
        ("https://as.example/Token", "https://as.example/Token"),  # the path keeps its case
        ("https://[::1]:8443/t", "https://[::1]:8443/t"),
        ("https://[::1]:443/t", "https://[::1]/t"),
    ],
)
def test_htu_is_the_normalised_url_without_query_or_fragment(
    key: DPoPKey, url: str, htu: str
) -> None:
    assert dpop_htu(url) == htu
    assert decode(key.create_proof("GET", url))[1]["htu"] == htu


@pytest.mark.parametrize(
    "url",
    [
        "ftp://as.example/token",
        "/token",
        "as.example/token",
        "https://",
        "https://user:pw@as.example/token",
        "https://as.example:99999/token",
        "https://as.example/to ken",
        "https://as.example/\r\ntoken",
        "https://bücher.example/token",
        "",
        None,
        42,
    ],
)
def test_a_bad_url_is_configuration_error(key: DPoPKey, url: object) -> None:
    with pytest.raises(ConfigurationException, match="URL"):
        key.create_proof("POST", url)  # type: ignore[arg-type]


@pytest.mark.parametrize(("method", "htm"), [("post", "POST"), ("Get", "GET"), ("PATCH", "PATCH")])
def test_htm_is_the_method_upper_cased(key: DPoPKey, method: str, htm: str) -> None:
    assert decode(key.create_proof(method, URL))[1]["htm"] == htm


@pytest.mark.parametrize("method", ["", "GE T", "POST\r\n", 'G"ET', "X" * 33, None, 1])
def test_a_bad_method_is_configuration_error(key: DPoPKey, method: object) -> None:
    with pytest.raises(ConfigurationException, match="method"):
        key.create_proof(method, URL)  # type: ignore[arg-type]


def test_every_jti_is_unique_and_long(key: DPoPKey) -> None:
    jtis = [decode(key.create_proof("POST", URL))[1]["jti"] for _ in range(1000)]
    assert len(set(jtis)) == 1000
    assert all(len(jti) >= 22 for jti in jtis)  # 128 random bits in base64url


@pytest.mark.parametrize(
    "nonce",
    ["a" * 1024, "!#[]~", "eyJ7S_zG.eyJH0-Z.HX4w-7v", "x"],
)
def test_valid_nonces_are_signed_verbatim(key: DPoPKey, nonce: str) -> None:
    assert decode(key.create_proof("POST", URL, nonce=nonce))[1]["nonce"] == nonce


@pytest.mark.parametrize(
    "nonce",
    ["", " ", "a b", 'a"b', "a\\b", "a\nb", "é", "a" * 1025, "\x7f", 5, b"abc"],
)
def test_an_invalid_nonce_is_configuration_error(key: DPoPKey, nonce: object) -> None:
    with pytest.raises(ConfigurationException, match="nonce"):
        key.create_proof("POST", URL, nonce=nonce)  # type: ignore[arg-type]


@pytest.mark.parametrize("token", ["", "tok\nen", "tøken", "x" * 16385, 12, b"tok"])
def test_a_bad_access_token_is_configuration_error(key: DPoPKey, token: object) -> None:
    with pytest.raises(ConfigurationException, match="access_token"):
        key.create_proof("GET", URL, access_token=token)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationException, match="access_token"):
        compute_ath(token)  # type: ignore[arg-type]


def test_build_dpop_headers(key: DPoPKey) -> None:
    proof = key.create_proof("GET", URL, access_token=RFC_TOKEN)
    assert build_dpop_headers(proof) == {"DPoP": proof}
    assert build_dpop_headers(proof, RFC_TOKEN) == {
        "DPoP": proof,
        "Authorization": f"DPoP {RFC_TOKEN}",
    }


@pytest.mark.parametrize(
    "proof", ["", "a.b", "a.b.c.d", "a.b.c, d.e.f", "a.b.c\r\n", "á.b.c", None, 3]
)
def test_build_dpop_headers_refuses_what_is_not_one_proof(proof: object) -> None:
    with pytest.raises(ConfigurationException, match="proof"):
        build_dpop_headers(proof)  # type: ignore[arg-type]


def test_build_dpop_headers_refuses_a_bad_token(key: DPoPKey) -> None:
    proof = key.create_proof("GET", URL)
    with pytest.raises(ConfigurationException, match="access_token"):
        build_dpop_headers(proof, "tok\r\nX-Evil: 1")
    with pytest.raises(ConfigurationException, match="access_token"):
        build_dpop_headers(proof, "")


@pytest.mark.parametrize("alg", ["ES256", "PS256", "RS256", "EdDSA"])
def test_the_test_providers_verifier_accepts_the_proofs(alg: str) -> None:
    key = DPoPKey(alg)
    proof = key.create_proof("POST", URL, nonce="n", access_token=RFC_TOKEN)
    claims = verify_jwt(proof, {"keys": [key.public_jwk]})  # tests/provider/jws.py
    assert (claims["htu"], claims["nonce"], claims["ath"]) == (URL, "n", RFC_ATH)
    body, _, signature = proof.rpartition(".")
    forged = body.replace(body.split(".")[1], body.split(".")[1][::-1]) + "." + signature
    with pytest.raises((InvalidSignature, ValueError)):
        verify_jwt(forged, {"keys": [key.public_jwk]})
