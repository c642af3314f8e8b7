"""Certificate-bound access tokens on the resource side (RFC 8705 §3)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.provider.tls import TlsMaterial

import py_identity_model.mtls.binding as binding_module
from py_identity_model import (
    CertificateBindingError,
    ConfigurationException,
    InvalidCertificateError,
    TokenValidationException,
    compute_certificate_thumbprint,
    parse_certificate_header,
    validate_certificate_binding,
)
from py_identity_model.mtls.binding import certificate_binding


def bound(certs: TlsMaterial, **extra: Any) -> dict[str, Any]:
    return {
        "sub": "client-mtls",
        "cnf": {"x5t#S256": compute_certificate_thumbprint(certs.client.pem), **extra},
    }


def test_the_presented_certificate_matches(certs: TlsMaterial) -> None:
    claims = bound(certs)
    expected = claims["cnf"]["x5t#S256"]
    assert validate_certificate_binding(claims, certs.client.pem) == expected
    assert validate_certificate_binding(claims, certs.client.pem.encode()) == expected
    header = parse_certificate_header(certs.client.pem)
    assert validate_certificate_binding(claims, header, required=False) == expected
    # a token bound by DPoP as well keeps its certificate binding
    assert validate_certificate_binding(bound(certs, jkt="abc"), certs.client.pem) == expected


def test_another_certificate_is_rejected(certs: TlsMaterial) -> None:
    for other in (certs.other, certs.stranger, certs.self_signed, certs.server):
        for required in (True, False):
            with pytest.raises(CertificateBindingError) as rejected:
                validate_certificate_binding(bound(certs), other.pem, required=required)
            assert rejected.value.error_code == "certificate_binding_mismatch"


def test_the_comparison_is_constant_time(
    certs: TlsMaterial, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[object, object]] = []
    real = binding_module.constant_time_equals

    def spy(a: str | bytes | None, b: str | bytes | None) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(binding_module, "constant_time_equals", spy)
    validate_certificate_binding(bound(certs), certs.client.pem)
    thumbprint = compute_certificate_thumbprint(certs.client.pem)
    assert compared == [(thumbprint, thumbprint)]


def test_an_unbound_token_is_rejected_when_binding_is_required(certs: TlsMaterial) -> None:
    for claims in ({"sub": "x"}, {"sub": "x", "cnf": {"jkt": "abc"}}, {"cnf": {}}):
        with pytest.raises(CertificateBindingError) as rejected:
            validate_certificate_binding(claims, certs.client.pem)
        assert rejected.value.error_code == "missing_certificate_binding"
        # and passes when it is not required, with or without a certificate
        assert validate_certificate_binding(claims, certs.client.pem, required=False) is None
        assert validate_certificate_binding(claims, None, required=False) is None


def test_a_bound_token_without_a_certificate_is_rejected(certs: TlsMaterial) -> None:
    for required in (True, False):
        with pytest.raises(CertificateBindingError) as rejected:
            validate_certificate_binding(bound(certs), None, required=required)
        assert rejected.value.error_code == "missing_client_certificate"


@pytest.mark.parametrize(
    "cnf",
    [
        "x5t",
        ["x5t#S256"],
        None,
        {"x5t#S256": None},
        {"x5t#S256": 42},
        {"x5t#S256": ["abc"]},
        {"x5t#S256": ""},
        {"x5t#S256": "not base64url!"},
        {"x5t#S256": "A" * 42},  # 31.5 bytes
        {"x5t#S256": "A" * 44},  # 33 bytes
        {"x5t#S256": "A" * 43 + "="},  # padded
        {"x5t#S256": "AAAA"},  # a digest of 3 bytes
        {"x5t#S256": "é" * 43},
    ],
)
def test_a_malformed_binding_is_a_typed_rejection(certs: TlsMaterial, cnf: object) -> None:
    claims = {"sub": "x", "cnf": cnf}
    for required in (True, False):
        with pytest.raises(CertificateBindingError) as rejected:
            validate_certificate_binding(claims, certs.client.pem, required=required)
        assert rejected.value.error_code == "malformed_certificate_binding"


def test_the_exception_speaks_for_a_resource_server(certs: TlsMaterial) -> None:
    with pytest.raises(TokenValidationException) as rejected:
        validate_certificate_binding(bound(certs), certs.other.pem)
    error = rejected.value
    assert isinstance(error, CertificateBindingError)
    assert error.code == "invalid_certificate_binding"
    assert error.error == "invalid_token"  # RFC 8705 §3 / RFC 6750 §3.1
    assert error.token_part == "payload"
    assert compute_certificate_thumbprint(certs.client.pem) not in str(error)


def test_misuse_is_a_configuration_error(certs: TlsMaterial) -> None:
    for claims in (None, "claims", ["cnf"]):
        with pytest.raises(ConfigurationException, match="mapping"):
            validate_certificate_binding(claims, certs.client.pem)  # type: ignore[arg-type]
    for required in (None, 1, "yes"):
        with pytest.raises(ConfigurationException, match="required"):
            validate_certificate_binding(bound(certs), certs.client.pem, required=required)  # type: ignore[arg-type]


def test_an_unreadable_certificate_is_its_own_error(certs: TlsMaterial) -> None:
    with pytest.raises(InvalidCertificateError):
        validate_certificate_binding(bound(certs), "not a certificate")


def test_certificate_binding_reads_the_claim(certs: TlsMaterial) -> None:
    assert certificate_binding({"sub": "x"}) is None
    assert certificate_binding({"cnf": {"jkt": "abc"}}) is None
    claims = bound(certs)
    assert certificate_binding(claims) == claims["cnf"]["x5t#S256"]
