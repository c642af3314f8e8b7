"""The incoming request a resource server judges: method, URL, headers, client certificate.

Framework-free: an integration builds one :class:`IncomingRequest` from its framework's
request and hands it to :meth:`ResourceServer.authenticate
<py_identity_model.resource_server.ResourceServer.authenticate>`. Repeated headers are kept
(two ``Authorization`` or two ``DPoP`` headers must be refused, not merged), names are
compared case-insensitively, and nothing here ever shows a header value in its ``repr``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from ..exceptions import ConfigurationException
from ..mtls.certificates import parse_certificate_header

if TYPE_CHECKING:
    from cryptography import x509

    from ..mtls.certificates import CertificateInput

__all__ = ["IncomingRequest"]

_BAD_HEADERS = "headers must be a mapping or (name, value) pairs of strings"

HeaderSource = Mapping[str, str] | Iterable[tuple[str, str]]
"""A mapping of header names to values, or a list of ``(name, value)`` pairs."""


class IncomingRequest:
    """One HTTP request as the resource server sees it (immutable).

    Args:
        method: the HTTP method (``GET``...), the DPoP proof's ``htm``.
        url: the absolute URL the client used (scheme, host, path; the query is ignored by
            the DPoP ``htu`` check). Behind a proxy, build it only from headers of a proxy
            you trust.
        headers: a mapping, or ``(name, value)`` pairs in which a repeated header appears
            once per value.
        client_certificate: the TLS client certificate (PEM or DER bytes, or a
            ``cryptography`` certificate) from the TLS server, or from a trusted proxy's
            header through :meth:`certificate_from_header`; None when there is none.
    """

    __slots__ = ("_headers", "client_certificate", "method", "url")

    def __init__(
        self,
        method: str,
        url: str,
        headers: HeaderSource,
        *,
        client_certificate: CertificateInput | None = None,
    ) -> None:
        if not isinstance(method, str) or not method:
            raise ConfigurationException("method must be the request's HTTP method")
        if not isinstance(url, str) or "://" not in url:
            raise ConfigurationException("url must be the absolute URL of the request")
        # ``type(...) is dict`` first: the ABC check costs a fifth of a cached request.
        items: Iterable[tuple[str, str]]
        if type(headers) is dict or isinstance(headers, Mapping):
            items = headers.items()
        else:
            # Each line must be a pair: a two-character string would unpack as one.
            items = list(headers) if isinstance(headers, Iterable) else ()
            if not isinstance(headers, Iterable) or not all(
                type(pair) is tuple or isinstance(pair, (tuple, list)) for pair in items
            ):
                raise ConfigurationException(_BAD_HEADERS)
        # One comprehension (built on every request): ``str.lower`` refuses a name that is
        # not text, the conditional a value that is not; a pair that is not one fails
        # unpacking.
        try:
            lines = tuple(
                [
                    (str.lower(name), value if isinstance(value, str) else _not_text())
                    for name, value in items
                ]
            )
        except (TypeError, ValueError):
            raise ConfigurationException(_BAD_HEADERS) from None
        self.method = method.upper()
        self.url = url
        self._headers: tuple[tuple[str, str], ...] = lines
        self.client_certificate = client_certificate

    @staticmethod
    def certificate_from_header(value: str | bytes) -> x509.Certificate:
        """The client certificate a TLS-terminating proxy put in a header (RFC 9440
        ``Client-Cert``, or a URL-encoded PEM); raises ``InvalidCertificateError``.

        Only for a proxy you configured to set this header and to strip it from what
        clients send: anyone else can put any certificate in it.
        """
        return parse_certificate_header(value)

    def header_values(self, name: str) -> list[str]:
        """Every value of the header ``name`` (case-insensitive), in order."""
        wanted = name.lower()
        return [value for key, value in self._headers if key == wanted]

    @property
    def headers(self) -> tuple[tuple[str, str], ...]:
        """The headers as ``(lower-case name, value)`` pairs."""
        return self._headers

    def __repr__(self) -> str:
        names = sorted({name for name, _ in self._headers})
        return f"IncomingRequest({self.method!r}, {self.url!r}, headers={names!r})"


def _not_text() -> str:
    raise TypeError("a header value is not a string")
