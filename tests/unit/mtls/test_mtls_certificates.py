"""Reading certificates and their RFC 8705 §3.1 ``x5t#S256`` thumbprints, strictly."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from urllib.parse import quote

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from tests.provider.tls import TlsMaterial

from py_identity_model import (
    MAX_CERTIFICATE_HEADER_LENGTH,
    InvalidCertificateError,
    ValidationException,
    certificate_thumbprint_from_file,
    compute_certificate_thumbprint,
    parse_certificate_header,
)
from py_identity_model.mtls.certificates import MAX_CERTIFICATE_BYTES, load_certificate


def der_of(pem: str) -> bytes:
    return x509.load_pem_x509_certificate(pem.encode()).public_bytes(serialization.Encoding.DER)


def independent_thumbprint(der: bytes) -> str:
    """base64url(SHA-256(DER)) without padding, computed without the library."""
    return base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode()


def test_every_input_form_gives_the_rfc8705_thumbprint(certs: TlsMaterial) -> None:
    pem = certs.client.pem
    der = der_of(pem)
    expected = independent_thumbprint(der)
    assert len(expected) == 43 and "=" not in expected
    for form in (pem, pem.encode(), der, x509.load_der_x509_certificate(der)):
        assert compute_certificate_thumbprint(form) == expected
    assert certificate_thumbprint_from_file(certs.client.certificate) == expected
    assert certificate_thumbprint_from_file(str(certs.client.certificate)) == expected


def test_different_certificates_have_different_thumbprints(certs: TlsMaterial) -> None:
    thumbprints = {
        compute_certificate_thumbprint(files.pem)
        for files in (certs.client, certs.other, certs.self_signed, certs.stranger, certs.server)
    }
    assert len(thumbprints) == 5


def test_a_chain_is_read_from_its_leaf(certs: TlsMaterial, tmp_path: Path) -> None:
    chain = certs.client.pem + certs.ca_file.read_text()
    expected = compute_certificate_thumbprint(certs.client.pem)
    assert compute_certificate_thumbprint(chain) == expected
    path = tmp_path / "chain.pem"
    path.write_text("Bag Attributes: openssl text before the block\n" + chain)
    assert certificate_thumbprint_from_file(path) == expected


def test_a_der_file_is_read(certs: TlsMaterial, tmp_path: Path) -> None:
    der = der_of(certs.client.pem)
    path = tmp_path / "client.der"
    path.write_bytes(der)
    assert certificate_thumbprint_from_file(path) == independent_thumbprint(der)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   \n",
        b"",
        "not a certificate",
        b"\x30\x03\x02\x01\x01",  # DER, but not a certificate
        b"garbage bytes that are not DER",
        "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n",  # base64, not DER
        "-----BEGIN PRIVATE KEY-----\nQUJD\n-----END PRIVATE KEY-----\n",
        "-----BEGIN CERTIFICATE-----\nMIIB",  # no END line
        "-----BEGIN CERTIFICATE-----\nMIIBé\n-----END CERTIFICATE-----\n",  # not ASCII
    ],
)
def test_what_is_not_a_certificate_is_refused(value: str | bytes) -> None:
    with pytest.raises(InvalidCertificateError) as refused:
        compute_certificate_thumbprint(value)
    assert refused.value.error_code == "invalid_certificate"
    assert refused.value.code == "invalid_certificate"
    # 4.x raised ValueError here; both catch it
    assert isinstance(refused.value, ValueError)
    assert isinstance(refused.value, ValidationException)


@pytest.mark.parametrize("value", [None, 42, ["pem"], object()])
def test_a_wrong_type_is_refused(value: object) -> None:
    with pytest.raises(InvalidCertificateError, match="not "):
        load_certificate(value)  # type: ignore[arg-type]


def test_an_oversized_input_is_refused_before_parsing(certs: TlsMaterial) -> None:
    huge = certs.client.pem + " " * MAX_CERTIFICATE_BYTES
    with pytest.raises(InvalidCertificateError) as refused:
        compute_certificate_thumbprint(huge)
    assert refused.value.error_code == "certificate_too_large"


def test_file_failures_are_typed(certs: TlsMaterial, tmp_path: Path) -> None:
    for path in ("", "   ", None):
        with pytest.raises(InvalidCertificateError, match="non-empty file path"):
            certificate_thumbprint_from_file(path)  # type: ignore[arg-type]
    with pytest.raises(InvalidCertificateError, match="Cannot read"):
        certificate_thumbprint_from_file(tmp_path / "missing.pem")
    with pytest.raises(InvalidCertificateError, match="Cannot read"):
        certificate_thumbprint_from_file(tmp_path)  # a directory
    big = tmp_path / "big.pem"
    big.write_bytes(b"x" * (MAX_CERTIFICATE_BYTES + 1))
    with pytest.raises(InvalidCertificateError) as refused:
        certificate_thumbprint_from_file(big)
    assert refused.value.error_code == "certificate_too_large"
    key = certs.client.private_key  # a PEM, but a key
    with pytest.raises(InvalidCertificateError, match="no CERTIFICATE block"):
        certificate_thumbprint_from_file(key)


# ------------------------------------------------------------------ proxy header values


def test_header_forms_a_proxy_sends(certs: TlsMaterial) -> None:
    pem = certs.client.pem
    der = der_of(pem)
    expected = independent_thumbprint(der)
    forms = [
        f":{base64.b64encode(der).decode()}:",  # RFC 9440 Client-Cert
        quote(pem),  # nginx $ssl_client_escaped_cert
        quote(pem, safe="+=/"),  # AWS ALB: URL-encoded with + = / kept
        pem,
        pem.replace("\n", " "),  # line breaks turned into spaces
        pem.replace("\n", "\t"),
        f"  {pem}  ",
        quote(pem).encode(),  # an ASGI header value
    ]
    for form in forms:
        certificate = parse_certificate_header(form)
        assert isinstance(certificate, x509.Certificate)
        assert compute_certificate_thumbprint(certificate) == expected, form


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        ":",
        "::",
        ":abc",  # no closing colon
        ":!!!:",  # not base64
        ":QUJD:",  # base64, not a certificate
        "abc:",
        "MIIBIjANBgkq",  # bare base64: not an accepted form
        "Bearer abc",
        "%FF%FE",  # URL-encoded, not UTF-8
        "%C3%A9",  # URL-encoded, not ASCII
        "é",
        b"\xff\xfe",
    ],
)
def test_header_values_that_are_refused(value: str | bytes) -> None:
    with pytest.raises(InvalidCertificateError) as refused:
        parse_certificate_header(value)
    assert refused.value.error_code == "invalid_certificate"


def test_a_header_with_two_certificates_or_extra_text_is_refused(certs: TlsMaterial) -> None:
    pem = certs.client.pem
    for value in (pem + certs.other.pem, quote(pem + certs.other.pem), pem + "trailing", "x" + pem):
        with pytest.raises(InvalidCertificateError):
            parse_certificate_header(value)


def test_header_size_limit(certs: TlsMaterial) -> None:
    value = quote(certs.client.pem)
    assert len(value) < MAX_CERTIFICATE_HEADER_LENGTH
    assert parse_certificate_header(value, max_length=len(value))
    with pytest.raises(InvalidCertificateError) as refused:
        parse_certificate_header(value, max_length=len(value) - 1)
    assert refused.value.error_code == "certificate_too_large"
    with pytest.raises(InvalidCertificateError) as refused:
        parse_certificate_header(" " * (MAX_CERTIFICATE_HEADER_LENGTH + 1))
    assert refused.value.error_code == "certificate_too_large"
    for limit in (0, -1, True, 1.5, "100"):
        with pytest.raises(InvalidCertificateError, match="max_length"):
            parse_certificate_header(value, max_length=limit)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [None, 42, ["x"]])
def test_a_header_value_of_a_wrong_type_is_refused(value: object) -> None:
    with pytest.raises(InvalidCertificateError, match="text"):
        parse_certificate_header(value)  # type: ignore[arg-type]
