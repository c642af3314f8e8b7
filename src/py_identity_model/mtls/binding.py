"""Certificate-bound access tokens on the resource side (RFC 8705 §3).

A token issued to a client that authenticated with (or presented) a certificate carries
``cnf: {"x5t#S256": <thumbprint>}``. A resource server that accepts it must check that the
request came over a TLS connection with that very certificate; otherwise the token is as
good as a bearer token to whoever stole it. Run this check after the token itself was
validated (signature, ``exp``, ``aud``: :func:`~py_identity_model.validate_token`), or on
the answer of introspection (RFC 7662, whose ``cnf`` member is the same).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ErrorCodes
from ..exceptions import CertificateBindingError, ConfigurationException
from ..utils.encoding import Base64UrlError, b64url_decode
from ..utils.security import constant_time_equals
from .certificates import CertificateInput, compute_certificate_thumbprint

__all__ = ["X5T_S256", "certificate_binding", "validate_certificate_binding"]

X5T_S256 = "x5t#S256"
_SHA256_BYTES = 32


def _rejected(message: str, code: str) -> CertificateBindingError:
    return CertificateBindingError(message, "payload", error_code=code)


def certificate_binding(claims: Mapping[str, Any]) -> str | None:
    """The token's ``cnf["x5t#S256"]``, or None when it has no certificate binding.

    Raises :class:`~py_identity_model.exceptions.CertificateBindingError`
    (``malformed_certificate_binding``) when ``cnf`` is not an object or the thumbprint is
    not base64url of a SHA-256 digest (43 characters, no padding).
    """
    if not isinstance(claims, Mapping):
        raise ConfigurationException("claims must be the validated token's claims (a mapping)")
    if "cnf" not in claims:
        return None
    cnf = claims["cnf"]
    if not isinstance(cnf, Mapping):
        raise _rejected(
            "The token's cnf claim is not a JSON object (RFC 7800 §3.1)",
            ErrorCodes.MALFORMED_CERTIFICATE_BINDING,
        )
    if X5T_S256 not in cnf:
        return None
    thumbprint = cnf[X5T_S256]
    if not isinstance(thumbprint, str):
        raise _rejected(
            "The token's cnf x5t#S256 is not a string (RFC 8705 §3.1)",
            ErrorCodes.MALFORMED_CERTIFICATE_BINDING,
        )
    try:
        digest = b64url_decode(thumbprint)
    except Base64UrlError:
        digest = b""
    if len(digest) != _SHA256_BYTES:
        raise _rejected(
            "The token's cnf x5t#S256 is not base64url of a SHA-256 digest (RFC 8705 §3.1)",
            ErrorCodes.MALFORMED_CERTIFICATE_BINDING,
        )
    return thumbprint


def validate_certificate_binding(
    claims: Mapping[str, Any],
    cert: CertificateInput | None,
    *,
    required: bool = True,
) -> str | None:
    """Check a certificate-bound token against the client certificate of the request.

    Args:
        claims: the access token's validated claims (or an introspection answer).
        cert: the certificate the client presented on the TLS connection (a
            ``cryptography`` certificate, PEM or DER), or None when it presented none.
        required: a token without a certificate binding is rejected (the default). With
            ``False`` an unbound token passes, but a bound one must still match.

    Returns:
        The verified thumbprint, or None for an unbound token that was not required to be
        bound.

    Raises:
        CertificateBindingError: ``error_code`` ``missing_certificate_binding`` (no
            ``cnf["x5t#S256"]`` and ``required``), ``malformed_certificate_binding``,
            ``missing_client_certificate`` (a bound token, no certificate) or
            ``certificate_binding_mismatch`` (compared in constant time).
        InvalidCertificateError: ``cert`` is not a readable certificate.
        ConfigurationException: ``claims`` is not a mapping, ``required`` not a bool.
    """
    if not isinstance(required, bool):
        raise ConfigurationException("required must be True or False")
    bound = certificate_binding(claims)
    if bound is None:
        if required:
            raise _rejected(
                "The token is not certificate-bound: it has no cnf x5t#S256 (RFC 8705 §3.1)",
                ErrorCodes.MISSING_CERTIFICATE_BINDING,
            )
        return None
    if cert is None:
        raise _rejected(
            "The token is certificate-bound but no client certificate was presented (RFC 8705 §3)",
            ErrorCodes.MISSING_CLIENT_CERTIFICATE,
        )
    presented = compute_certificate_thumbprint(cert)
    if not constant_time_equals(bound, presented):
        raise _rejected(
            "The token is bound to another certificate than the one presented (RFC 8705 §3)",
            ErrorCodes.CERTIFICATE_BINDING_MISMATCH,
        )
    return bound
