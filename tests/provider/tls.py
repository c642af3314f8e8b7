"""Certificates and mTLS clients of the test provider's TLS mode (RFC 8705), made per run.

:func:`make_tls_material` writes into a folder, with ``trustme`` and ``cryptography``:

* a CA (``ca.pem``) that issued the provider's server certificate for ``127.0.0.1`` and the
  CA-issued client certificates (``tls_client_auth`` trusts that CA);
* ``client-mtls``: a client certificate with the SAN DNS name ``client-mtls.test``
  (registered as ``tls_client_auth_san_dns``);
* ``client-mtls-dn``: a client certificate whose subject is registered as
  ``tls_client_auth_subject_dn``;
* ``other``: a certificate from the same CA for another name (a wrong certificate);
* ``self-signed``: a self-signed certificate whose key and ``x5c`` are the JWKS of
  ``client-mtls-self-signed`` (``self_signed_tls_client_auth``);
* ``stranger``: a self-signed certificate nobody registered;
* ``foreign-ca.pem``: another CA, which did not issue the server certificate.

``clients`` are the static clients that only exist in TLS mode (``OP_EXTRA_CLIENTS``).
"""

from __future__ import annotations

import base64
import datetime
import json
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from py_identity_model import ClientCertificate, JsonWebKey

MTLS_SAN_DNS = "client-mtls.test"
MTLS_DN_COMMON_NAME = "client-mtls-dn"
BOUND_SECRET = "client-mtls-bound-secret"
ALL_GRANTS = [
    "authorization_code",
    "refresh_token",
    "client_credentials",
    "urn:ietf:params:oauth:grant-type:device_code",
]


@dataclass(frozen=True)
class CertificateFiles:
    """A certificate and its private key, as PEM files."""

    certificate: Path
    private_key: Path

    @property
    def pem(self) -> str:
        return self.certificate.read_text("ascii")

    @property
    def client_certificate(self) -> ClientCertificate:
        return ClientCertificate(str(self.certificate), str(self.private_key))


@dataclass(frozen=True)
class TlsMaterial:
    """Everything the TLS mode needs, as files under ``directory``."""

    directory: Path
    ca_file: Path
    foreign_ca_file: Path
    server: CertificateFiles
    client: CertificateFiles
    dn_client: CertificateFiles
    other: CertificateFiles
    self_signed: CertificateFiles
    stranger: CertificateFiles
    dn_subject: str
    clients_file: Path

    @property
    def clients(self) -> list[dict[str, Any]]:
        clients: list[dict[str, Any]] = json.loads(self.clients_file.read_text("utf-8"))["clients"]
        return clients

    def ssl_context(self) -> ssl.SSLContext:
        """A context that trusts the provider's CA only."""
        return ssl.create_default_context(cafile=str(self.ca_file))


def _write(files: CertificateFiles, cert_pem: bytes, key_pem: bytes) -> CertificateFiles:
    files.certificate.write_bytes(cert_pem)
    files.private_key.write_bytes(key_pem)
    return files


def _issued(
    ca: trustme.CA, directory: Path, name: str, *identities: str, **kwargs: Any
) -> CertificateFiles:
    leaf = ca.issue_cert(*identities, **kwargs)
    files = CertificateFiles(directory / f"{name}.pem", directory / f"{name}-key.pem")
    return _write(files, leaf.cert_chain_pems[0].bytes(), leaf.private_key_pem.bytes())


def _self_signed(directory: Path, name: str, common_name: str) -> CertificateFiles:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(f"{common_name}.test")]), False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    files = CertificateFiles(directory / f"{name}.pem", directory / f"{name}-key.pem")
    return _write(files, certificate.public_bytes(serialization.Encoding.PEM), key_pem)


def _self_signed_jwks(files: CertificateFiles) -> dict[str, Any]:
    certificate = x509.load_pem_x509_certificate(files.certificate.read_bytes())
    public = JsonWebKey.from_pem(files.private_key.read_bytes()).public_jwk().to_dict()
    der = certificate.public_bytes(serialization.Encoding.DER)
    public["x5c"] = [base64.b64encode(der).decode("ascii")]
    public["use"] = "sig"
    return {"keys": [public]}


def make_tls_material(directory: Path) -> TlsMaterial:
    """Make the CA, the server and client certificates and the mTLS clients in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA()
    ca_file = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    foreign_ca_file = directory / "foreign-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(foreign_ca_file))
    server = _issued(ca, directory, "server", "127.0.0.1")
    client = _issued(ca, directory, "client", MTLS_SAN_DNS)
    dn_client = _issued(
        ca,
        directory,
        "dn-client",
        f"{MTLS_DN_COMMON_NAME}.test",
        common_name=MTLS_DN_COMMON_NAME,
        organization_name="py-identity-model tests",
        organization_unit_name="mTLS",
    )
    other = _issued(ca, directory, "other", "someone-else.test")
    self_signed = _self_signed(directory, "self-signed", "client-mtls-self-signed")
    stranger = _self_signed(directory, "stranger", "stranger")
    dn = x509.load_pem_x509_certificate(dn_client.certificate.read_bytes()).subject
    dn_subject = dn.rfc4514_string()
    clients = [
        {
            "client_id": "client-mtls",
            "token_endpoint_auth_method": "tls_client_auth",
            "tls_client_auth_san_dns": MTLS_SAN_DNS,
            "tls_client_certificate_bound_access_tokens": True,
            "grant_types": ALL_GRANTS,
            "redirect_uris": ["http://127.0.0.1/callback"],
            "response_types": ["code"],
        },
        {
            # Under the provider's FAPI 2.0 profile (its id starts with client-fapi): mTLS
            # client authentication and certificate-bound tokens instead of DPoP.
            "client_id": "client-fapi-mtls",
            "token_endpoint_auth_method": "tls_client_auth",
            "tls_client_auth_san_dns": MTLS_SAN_DNS,
            "tls_client_certificate_bound_access_tokens": True,
            "require_pushed_authorization_requests": True,
            "id_token_signed_response_alg": "PS256",
            "grant_types": ["authorization_code", "refresh_token"],
            "redirect_uris": ["http://127.0.0.1/callback"],
            "response_types": ["code"],
        },
        {
            "client_id": "client-mtls-dn",
            "token_endpoint_auth_method": "tls_client_auth",
            "tls_client_auth_subject_dn": dn_subject,
            "grant_types": ["client_credentials"],
            "redirect_uris": [],
            "response_types": [],
        },
        {
            "client_id": "client-mtls-self-signed",
            "token_endpoint_auth_method": "self_signed_tls_client_auth",
            "jwks": _self_signed_jwks(self_signed),
            "tls_client_certificate_bound_access_tokens": True,
            "grant_types": ["client_credentials"],
            "redirect_uris": [],
            "response_types": [],
        },
        {
            "client_id": "client-mtls-bound",
            "client_secret": BOUND_SECRET,
            "token_endpoint_auth_method": "client_secret_basic",
            "tls_client_certificate_bound_access_tokens": True,
            "grant_types": ALL_GRANTS,
            "redirect_uris": ["http://127.0.0.1/callback"],
        },
    ]
    clients_file = directory / "mtls-clients.json"
    clients_file.write_text(json.dumps({"clients": clients}, indent=2), "utf-8")
    return TlsMaterial(
        directory=directory,
        ca_file=ca_file,
        foreign_ca_file=foreign_ca_file,
        server=server,
        client=client,
        dn_client=dn_client,
        other=other,
        self_signed=self_signed,
        stranger=stranger,
        dn_subject=dn_subject,
        clients_file=clients_file,
    )
