"""X.509 certificates as RFC 8705 uses them: read strictly, within limits, and thumbprinted.

``x5t#S256`` (RFC 8705 §3.1) is base64url (no padding) of the SHA-256 digest of the
certificate's DER encoding. A certificate is accepted as

* a ``cryptography`` :class:`~cryptography.x509.Certificate`;
* PEM text or bytes (the first ``CERTIFICATE`` block: a chain file starts with its leaf);
* DER bytes;
* a file of either (:func:`certificate_thumbprint_from_file`);
* the value of a header set by a TLS-terminating proxy (:func:`parse_certificate_header`):
  RFC 9440 ``Client-Cert`` (``:<base64 DER>:``) or a URL-encoded PEM (nginx
  ``$ssl_client_escaped_cert``, AWS ALB ``X-Amzn-Mtls-Clientcert``). Take such a header
  only from a proxy you configured to set it, and that removes it from client requests.

Everything that cannot be read raises :class:`~py_identity_model.exceptions.InvalidCertificateError`
(also a ``ValueError``), with ``error_code`` ``invalid_certificate`` or
``certificate_too_large``; no ``cryptography`` or ``binascii`` exception escapes.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from urllib.parse import unquote

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from ..errors import ErrorCodes
from ..exceptions import InvalidCertificateError
from ..utils.encoding import b64url_encode

__all__ = [
    "MAX_CERTIFICATE_BYTES",
    "MAX_CERTIFICATE_HEADER_LENGTH",
    "CertificateInput",
    "certificate_thumbprint_from_file",
    "compute_certificate_thumbprint",
    "load_certificate",
    "parse_certificate_header",
]

MAX_CERTIFICATE_BYTES = 64 * 1024
"""The largest certificate input (PEM or DER, a file included) that is read at all."""

MAX_CERTIFICATE_HEADER_LENGTH = 16 * 1024
"""The default limit of a proxy's certificate header value (one certificate, encoded)."""

CertificateInput = x509.Certificate | str | bytes
"""What the functions here accept as a certificate."""

_PEM_BLOCK = re.compile(
    rb"-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----"
)
_PEM_MARKER = b"-----BEGIN"
_SPACE = re.compile(rb"\s+")


def _invalid(message: str, code: str = ErrorCodes.INVALID_CERTIFICATE) -> InvalidCertificateError:
    return InvalidCertificateError(message, error_code=code)


def _check_size(length: int, limit: int, what: str) -> None:
    if length > limit:
        raise _invalid(f"{what} is larger than {limit} bytes", ErrorCodes.CERTIFICATE_TOO_LARGE)


def _strict_b64decode(text: bytes, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise _invalid(f"{what} is not valid base64") from None


def _from_der(der: bytes, what: str) -> x509.Certificate:
    if not der:
        raise _invalid(f"{what} is empty")
    try:
        return x509.load_der_x509_certificate(der)
    except ValueError:
        raise _invalid(f"{what} is not a DER-encoded X.509 certificate") from None


def _pem_blocks(data: bytes) -> list[bytes]:
    """The DER of each ``CERTIFICATE`` block, in order (whitespace inside a block ignored)."""
    return [
        _strict_b64decode(_SPACE.sub(b"", body), "The PEM certificate")
        for body in _PEM_BLOCK.findall(data)
    ]


def load_certificate(certificate: CertificateInput) -> x509.Certificate:
    """``certificate`` as a ``cryptography`` certificate.

    ``str`` is PEM; ``bytes`` are PEM when they contain a ``-----BEGIN`` marker, else DER.
    Of a PEM with several certificates the first (the leaf of a chain) is used.
    """
    if isinstance(certificate, x509.Certificate):
        return certificate
    if isinstance(certificate, str):
        try:
            data = certificate.encode("ascii")
        except UnicodeEncodeError:
            raise _invalid("A PEM certificate is ASCII text") from None
    elif isinstance(certificate, (bytes, bytearray, memoryview)):
        data = bytes(certificate)
    else:
        raise _invalid(
            "A certificate is a cryptography x509.Certificate, PEM text, or PEM or DER bytes, "
            f"not {type(certificate).__name__}"
        )
    _check_size(len(data), MAX_CERTIFICATE_BYTES, "The certificate")
    if not data.strip():
        raise _invalid("The certificate is empty")
    if isinstance(certificate, str) or _PEM_MARKER in data:
        blocks = _pem_blocks(data)
        if not blocks:
            raise _invalid("The PEM text holds no CERTIFICATE block")
        return _from_der(blocks[0], "The PEM certificate")
    return _from_der(data, "The certificate")


def compute_certificate_thumbprint(cert: CertificateInput) -> str:
    """The RFC 8705 §3.1 ``x5t#S256`` of ``cert``: base64url(SHA-256(DER)), no padding.

    ``cert`` is a ``cryptography`` certificate, PEM (``str``/``bytes``) or DER (``bytes``).
    Raises :class:`~py_identity_model.exceptions.InvalidCertificateError` (a
    ``ValueError``) when it is not a certificate.
    """
    return b64url_encode(load_certificate(cert).fingerprint(hashes.SHA256()))


def certificate_thumbprint_from_file(path: str | os.PathLike[str]) -> str:
    """The ``x5t#S256`` of the certificate in a PEM or DER file (the first one of a chain).

    Raises :class:`~py_identity_model.exceptions.InvalidCertificateError` when the path is
    empty, the file cannot be read, is larger than :data:`MAX_CERTIFICATE_BYTES` or holds
    no certificate.
    """
    if not isinstance(path, (str, os.PathLike)) or not os.fspath(path).strip():
        raise _invalid("path must be a non-empty file path")
    name = os.fspath(path)
    try:
        with open(name, "rb") as handle:
            data = handle.read(MAX_CERTIFICATE_BYTES + 1)
    except OSError as exc:
        raise _invalid(f"Cannot read the certificate file {name!r}: {exc.strerror}") from None
    _check_size(len(data), MAX_CERTIFICATE_BYTES, f"The certificate file {name!r}")
    return compute_certificate_thumbprint(data)


def parse_certificate_header(
    value: str | bytes, *, max_length: int = MAX_CERTIFICATE_HEADER_LENGTH
) -> x509.Certificate:
    """The client certificate a TLS-terminating proxy put in a request header.

    Accepted forms, exactly one certificate each:

    * RFC 9440 ``Client-Cert``: a structured-field byte sequence, ``:<base64 DER>:``;
    * a PEM, URL-encoded (nginx ``$ssl_client_escaped_cert``, AWS ALB) or not, whose line
      breaks a proxy may have turned into spaces.

    ``max_length`` bounds the header value (checked before anything is decoded). Raises
    :class:`~py_identity_model.exceptions.InvalidCertificateError` for anything else: an
    empty or oversized value, non-ASCII, several certificates, bad base64 or DER.
    Only read this header from a proxy that you configured to set it and that strips it
    from incoming requests: anyone else can send any certificate in it.
    """
    if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length <= 0:
        raise _invalid("max_length must be a positive number of characters")
    if isinstance(value, (bytes, bytearray)):
        raw = bytes(value)
    elif isinstance(value, str):
        try:
            raw = value.encode("ascii")
        except UnicodeEncodeError:
            raise _invalid("The certificate header value is not ASCII") from None
    else:
        raise _invalid(f"The certificate header value is text, not {type(value).__name__}")
    _check_size(len(raw), max_length, "The certificate header value")
    raw = raw.strip()
    if not raw:
        raise _invalid("The certificate header value is empty")
    if not raw.isascii():
        raise _invalid("The certificate header value is not ASCII")
    if raw.startswith(b":"):
        if len(raw) < 3 or not raw.endswith(b":"):
            raise _invalid("An RFC 9440 Client-Cert value is ':<base64>:'")
        der = _strict_b64decode(raw[1:-1], "The Client-Cert value")
        return _from_der(der, "The Client-Cert value")
    text = raw.decode("ascii")
    if "%" in text:
        try:
            text = unquote(text, errors="strict")
        except UnicodeDecodeError:
            raise _invalid("The URL-encoded certificate header value is not ASCII") from None
        if not text.isascii():
            raise _invalid("The URL-encoded certificate header value is not ASCII")
    data = text.encode("ascii")
    if not data.lstrip().startswith(b"-----BEGIN CERTIFICATE-----"):
        raise _invalid(
            "The certificate header value is neither ':<base64 DER>:' (RFC 9440) nor a PEM "
            "certificate (URL-encoded or not)"
        )
    blocks = _pem_blocks(data)
    if len(blocks) != 1 or _PEM_BLOCK.sub(b"", data).strip():
        raise _invalid("The certificate header value must hold exactly one PEM certificate")
    return _from_der(blocks[0], "The PEM certificate")
