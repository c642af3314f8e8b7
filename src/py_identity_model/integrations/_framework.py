"""What the Flask and Django integrations share; no framework is imported here.

* :func:`resource_server_from_settings`: a settings mapping whose keys are
  :class:`~py_identity_model.resource_server.ResourceServer`'s keyword names (any letter
  case, ``AUTHORITY`` as another name for ``issuer``) turned into the server, with a
  :class:`~py_identity_model.exceptions.ConfigurationException` naming the bad key;
* :func:`incoming_request`: the core's request value from what a framework read (the method,
  the URL the client used, every header line, and the client certificate only from the one
  header the application declared trusted);
* :func:`carries_token`: whether a request presents a Bearer or DPoP token at all (the core's
  own reading of ``Authorization``), for DRF, whose classes must not judge other schemes.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Iterable, Mapping
from typing import Any

from py_identity_model.errors import ErrorCodes
from py_identity_model.exceptions import ConfigurationException, InvalidCertificateError
from py_identity_model.resource_server import IncomingRequest, ResourceServer
from py_identity_model.resource_server.presentation import PresentationError, read_presentation

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


def incoming_request(
    server: ResourceServer,
    method: str,
    url: str,
    headers: Iterable[tuple[str, str]],
    *,
    certificate_header: str | None,
) -> IncomingRequest:
    """The core's request value; the certificate is read only from ``certificate_header``.

    An unreadable certificate in that header is the core's 401 (raised as its
    :class:`~py_identity_model.resource_server.ResourceRejection`), never a crash.
    """
    lines = list(headers)
    request = IncomingRequest(method, url, lines)
    if certificate_header is None:
        return request
    values = request.header_values(certificate_header)
    if not values:
        return request
    try:
        certificate = IncomingRequest.certificate_from_header(", ".join(values))
    except InvalidCertificateError:
        raise server.reject(
            401,
            "invalid_token",
            "The client certificate is not readable",
            error_code=ErrorCodes.INVALID_CERTIFICATE,
            request=request,
        ) from None
    return IncomingRequest(method, url, lines, client_certificate=certificate)


def carries_token(server: ResourceServer, request: IncomingRequest) -> bool:
    """Whether ``request`` presents a Bearer or DPoP token (a malformed one counts)."""
    try:
        return read_presentation(request, max_size=server.max_token_size) is not None
    except PresentationError:
        return True
