"""What the Flask and Django integrations share; no framework is imported here.

* :func:`resource_server_from_settings`: a settings mapping whose keys are
  :class:`~py_identity_model.resource_server.ResourceServer`'s keyword names (any letter
  case, ``AUTHORITY`` as another name for ``issuer``) turned into the server, with a
  :class:`~py_identity_model.exceptions.ConfigurationException` naming the bad key;
* :func:`incoming_request`: the core's request value from what a framework read (the method,
  the URL the client used, every header line, the WSGI environ) with the client certificate
  the WSGI server verified (:func:`server_certificate`), or else the one from the header the
  application declared trusted;
* :func:`server_certificate`: the TLS client certificate a WSGI server put in the environ
  (``SSL_CLIENT_CERT``, or Werkzeug's ``werkzeug.socket``);
* :func:`carries_token`: whether a request presents a Bearer or DPoP token at all (the core's
  own reading of ``Authorization``), for DRF, whose classes must not judge other schemes.
"""

from __future__ import annotations

import functools
import inspect
import ssl
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from py_identity_model.errors import ErrorCodes
from py_identity_model.exceptions import ConfigurationException, InvalidCertificateError
from py_identity_model.mtls.certificates import load_certificate
from py_identity_model.resource_server import IncomingRequest, ResourceServer
from py_identity_model.resource_server.presentation import PresentationError, read_presentation

if TYPE_CHECKING:
    from cryptography import x509

#: Setting names that are another name for a ``ResourceServer`` keyword.
ALIASES = {"authority": "issuer"}


@functools.cache
def _keywords() -> frozenset[str]:
    parameters = inspect.signature(ResourceServer).parameters.values()
    return frozenset(p.name for p in parameters if p.kind is p.KEYWORD_ONLY)


def setting_names() -> frozenset[str]:
    """Every setting name :func:`resource_server_keywords` accepts (lower case)."""
    return _keywords() | frozenset(ALIASES)


def resource_server_keywords(settings: Mapping[str, Any], *, where: str) -> dict[str, Any]:
    """``settings`` as ``ResourceServer`` keyword arguments; an unknown key is refused."""
    known = _keywords()
    keywords: dict[str, Any] = {}
    for key, value in settings.items():
        name = key.lower()
        name = ALIASES.get(name, name)
        if name not in known:
            raise ConfigurationException(
                f"{where}: unknown setting {key!r} (ResourceServer accepts: "
                f"{', '.join(sorted(known))})"
            )
        if name in keywords:
            raise ConfigurationException(f"{where}: {key!r} is given twice")
        keywords[name] = value
    return keywords


def resource_server_from_settings(settings: Mapping[str, Any], *, where: str) -> ResourceServer:
    """Build the server from ``settings`` (see :func:`resource_server_keywords`)."""
    return ResourceServer(**resource_server_keywords(settings, where=where))


def _socket_certificate(connection: object) -> bytes | None:
    # Only a TLS socket has a peer certificate; anything else (a plain socket, a test
    # client's stand-in) has none to give.
    if not isinstance(connection, ssl.SSLSocket):
        return None
    try:
        return connection.getpeercert(binary_form=True)
    except (ValueError, OSError, AttributeError):
        # No finished handshake (ValueError), not connected (OSError) or closed (the stdlib
        # raises AttributeError): Werkzeug itself then serves the request without a
        # certificate, and so does this.
        return None


def server_certificate(environ: Mapping[str, Any]) -> x509.Certificate | None:
    """The client certificate the WSGI server took from the TLS handshake, or ``None``.

    ``SSL_CLIENT_CERT`` (PEM, as mod_ssl/mod_wsgi, Werkzeug's server and others set it) is
    read first, then Werkzeug's ``werkzeug.socket`` when it is an :class:`ssl.SSLSocket`
    (its peer certificate, DER). A client cannot set either: request headers reach the
    environ only as ``HTTP_*`` keys. An empty ``SSL_CLIENT_CERT`` (mod_ssl's value when the
    client sent no certificate) is none; an unreadable one raises
    :class:`~py_identity_model.exceptions.InvalidCertificateError`.
    """
    value = environ.get("SSL_CLIENT_CERT")
    if isinstance(value, (str, bytes)) and not value.strip():
        value = None
    if value is None:
        value = _socket_certificate(environ.get("werkzeug.socket"))
    return None if value is None else load_certificate(value)


def _header_certificate(
    request: IncomingRequest, certificate_header: str | None
) -> x509.Certificate | None:
    values = [] if certificate_header is None else request.header_values(certificate_header)
    return IncomingRequest.certificate_from_header(", ".join(values)) if values else None


def incoming_request(
    server: ResourceServer,
    method: str,
    url: str,
    headers: Iterable[tuple[str, str]],
    *,
    environ: Mapping[str, Any],
    certificate_header: str | None,
) -> IncomingRequest:
    """The core's request value, with the client certificate of the TLS connection.

    The certificate the WSGI server verified (:func:`server_certificate` of ``environ``)
    wins; only when the server gave none is ``certificate_header`` read (the header of a
    TLS-terminating proxy, when the application named one), as the Starlette integration
    does. An unreadable certificate, from either, is the core's 401 (raised as its
    :class:`~py_identity_model.resource_server.ResourceRejection`), never a crash.
    """
    lines = list(headers)
    request = IncomingRequest(method, url, lines)
    try:
        certificate = server_certificate(environ)
        if certificate is None:
            certificate = _header_certificate(request, certificate_header)
    except InvalidCertificateError:
        raise server.reject(
            401,
            "invalid_token",
            "The client certificate is not readable",
            error_code=ErrorCodes.INVALID_CERTIFICATE,
            request=request,
        ) from None
    if certificate is None:
        return request
    return IncomingRequest(method, url, lines, client_certificate=certificate)


def carries_token(server: ResourceServer, request: IncomingRequest) -> bool:
    """Whether ``request`` presents a Bearer or DPoP token (a malformed one counts)."""
    try:
        return read_presentation(request, max_size=server.max_token_size) is not None
    except PresentationError:
        return True
