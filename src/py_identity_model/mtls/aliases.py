"""Which URL a client calls for an endpoint: RFC 8705 §5 ``mtls_endpoint_aliases``.

A server may serve mutual TLS on other hosts than its conventional endpoints (so that
browsers on the conventional host are never asked for a certificate) and lists them in
``mtls_endpoint_aliases``. The rule, written once here and used by every place in the
library that takes an endpoint from discovery:

* a client that presents a certificate (``MtlsClientAuth``, or ``Client(...,
  certificate=...)`` for certificate-bound tokens) calls the alias when the server lists
  one for that endpoint, else the conventional endpoint;
* a client without a certificate always calls the conventional endpoint, never an alias;
* only the endpoints RFC 8705 §5 names can be aliased (``jwks_uri``, the authorization
  endpoint, ... never are): a certificate goes to no other URL.

The certificate itself is presented only by the requests of an endpoint chosen so: the
client-authenticated POSTs and UserInfo carry it in their
:class:`~py_identity_model.http.messages.TransportOptions`; discovery, JWKS and the
authorization endpoint never do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..exceptions import ConfigurationException

if TYPE_CHECKING:
    from ..discovery.models import DiscoveryDocumentResponse
    from ..endpoints.client import Client

__all__ = [
    "MTLS_ALIAS_ENDPOINTS",
    "endpoint_for_client",
    "resolve_mtls_endpoint",
    "select_endpoint",
]

MTLS_ALIAS_ENDPOINTS = frozenset(
    {
        "token_endpoint",
        "revocation_endpoint",
        "introspection_endpoint",
        "device_authorization_endpoint",
        "registration_endpoint",
        "userinfo_endpoint",
        "pushed_authorization_request_endpoint",
        "backchannel_authentication_endpoint",
    }
)
"""The endpoints an ``mtls_endpoint_aliases`` entry may replace (RFC 8705 §5)."""


def select_endpoint(disco: DiscoveryDocumentResponse, name: str, *, mtls: bool) -> str | None:
    """The URL to call for the metadata endpoint ``name`` (``"token_endpoint"``, ...).

    ``mtls`` says whether the client presents a certificate: then the server's alias for
    ``name`` when it lists one, else the conventional endpoint; without, always the
    conventional endpoint. None when the server has neither.
    """
    if not isinstance(name, str) or not name:
        raise ConfigurationException("name must be an endpoint metadata name")
    if not isinstance(mtls, bool):
        raise ConfigurationException("mtls must be True or False")
    if mtls and name in MTLS_ALIAS_ENDPOINTS:
        aliases = disco.mtls_endpoint_aliases
        alias = aliases.get(name) if isinstance(aliases, Mapping) else None
        if isinstance(alias, str) and alias:
            return alias
    value = disco.get(name)
    if not isinstance(value, str):  # a document built in code: its fields, not its JSON
        value = getattr(disco, name, None)
    return value if isinstance(value, str) and value else None


def endpoint_for_client(disco: DiscoveryDocumentResponse, name: str, client: Client) -> str | None:
    """The URL ``client`` calls for ``name``: the alias exactly when it presents a certificate."""
    return select_endpoint(disco, name, mtls=client.client_certificate is not None)


def resolve_mtls_endpoint(disco: DiscoveryDocumentResponse, endpoint: str) -> str | None:
    """``endpoint``'s mTLS alias when the server lists one, else the conventional URL.

    py-identity-model 4.x's helper, for a client that presents a certificate:
    ``resolve_mtls_endpoint(disco, "token_endpoint")``.
    """
    return select_endpoint(disco, endpoint, mtls=True)
