"""Client registration requests and responses (RFC 7591, RFC 7592).

The fields follow py-identity-model 4.x:
``ClientRegistrationRequest(address, redirect_uris=None, response_types=None, ...,
jwks_uri=None, extra_metadata=None, initial_access_token=None)``,
``ClientReadRequest(address, registration_access_token)``,
``ClientUpdateRequest(address, registration_access_token, client_id, redirect_uris=None,
<the same metadata>, client_secret=None, extra_metadata=None)``,
``ClientDeleteRequest(address, registration_access_token)``, and the answers
``ClientRegistrationResponse(is_successful, error=None, client_id=None, ...,
metadata=None)`` and ``ClientDeleteResponse(is_successful, error=None)``.

Registration is not client-authenticated: the only credentials are bearer tokens (the
initial access token of RFC 7591 §3, the registration access token of RFC 7592 §1), so
these requests take only ``headers`` and ``policy`` besides their fields, and every
``repr`` hides the tokens, the client secret, the JWKS and the software statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass, fields
from typing import Any

from ..endpoints.policy import EndpointPolicy, HasEndpointPolicy, endpoint_policy_of
from ..exceptions import ConfigurationException
from ..http.results import ProtocolResponse
from ..utils.redaction import SECRET_FIELDS, redacted_repr

__all__ = [
    "METADATA_FIELDS",
    "ClientDeleteRequest",
    "ClientDeleteResponse",
    "ClientReadRequest",
    "ClientRegistrationRequest",
    "ClientRegistrationResponse",
    "ClientUpdateRequest",
]

METADATA_FIELDS = (
    "redirect_uris",
    "response_types",
    "grant_types",
    "application_type",
    "contacts",
    "client_name",
    "logo_uri",
    "client_uri",
    "policy_uri",
    "tos_uri",
    "token_endpoint_auth_method",
    "scope",
    "jwks_uri",
)
"""The RFC 7591 §2 / OIDC Registration §2 metadata the requests name, in 4.x field order."""

_HIDDEN = SECRET_FIELDS | frozenset(
    {"initial_access_token", "software_statement", "jwks", "metadata", "extra_metadata"}
)
# extra_metadata and metadata may carry a client secret or keys: hidden whole.

_LIST_FIELDS = frozenset({"redirect_uris", "response_types", "grant_types", "contacts"})


@dataclass(repr=False)
class _RegistrationOptions:
    """Keyword-only settings of every registration request.

    Attributes:
        headers: extra HTTP headers (the library's ``Authorization`` wins).
        policy: the endpoint policy (HTTPS except on loopback by default); the address and,
            on registration, the returned ``registration_client_uri`` must pass it, since
            both receive bearer tokens.
    """

    _: KW_ONLY
    headers: Mapping[str, str] | None = None
    policy: EndpointPolicy | HasEndpointPolicy | None = None

    @property
    def endpoint_policy(self) -> EndpointPolicy:
        """The URL rules the addresses must pass (misuse raises ConfigurationException)."""
        return endpoint_policy_of(self.policy)

    def __repr__(self) -> str:
        return redacted_repr(self, _HIDDEN)


def _metadata_document(request: Any, own: dict[str, Any]) -> dict[str, Any]:
    """The JSON document: ``own`` members, the named metadata that is set, then
    ``extra_metadata`` (which may not repeat a named field: that would be ambiguous)."""
    document = dict(own)
    for name in METADATA_FIELDS:
        value = getattr(request, name)
        if value is None:
            continue
        if name in _LIST_FIELDS:
            if isinstance(value, str) or not isinstance(value, (list, tuple)):
                raise ConfigurationException(f"{name} must be a list of strings")
            value = list(value)
            if not all(isinstance(item, str) for item in value):
                raise ConfigurationException(f"{name} must be a list of strings")
        elif not isinstance(value, str):
            raise ConfigurationException(f"{name} must be a string")
        document[name] = value
    extra = request.extra_metadata
    if extra is not None:
        if not isinstance(extra, Mapping):
            raise ConfigurationException("extra_metadata must be a mapping")
        named = {f.name for f in fields(request)} | set(document)
        clash = sorted(str(name) for name in extra if name in named)
        if clash:
            raise ConfigurationException(
                f"extra_metadata repeats the request's own field(s): {clash}"
            )
        for name, value in extra.items():
            if not isinstance(name, str):
                raise ConfigurationException("extra_metadata names must be strings")
            document[name] = value
    return document


@dataclass(repr=False)
class ClientRegistrationRequest(_RegistrationOptions):
    """Register a client at the registration endpoint (RFC 7591 §3.1).

    Fields: ``address`` (the ``registration_endpoint`` of discovery), the client metadata
    of :data:`METADATA_FIELDS`, ``extra_metadata`` (any other metadata member:
    ``id_token_signed_response_alg``, ``post_logout_redirect_uris``, ...) and
    ``initial_access_token`` (sent as ``Authorization: Bearer`` when the server requires
    one, RFC 7591 §3). Keyword-only: ``software_statement`` (a signed JWT of metadata,
    RFC 7591 §2.3), ``jwks`` (the client's public keys by value; never with ``jwks_uri``,
    RFC 7591 §2), ``headers``, ``policy``.
    """

    address: str
    redirect_uris: list[str] | None = None
    response_types: list[str] | None = None
    grant_types: list[str] | None = None
    application_type: str | None = None
    contacts: list[str] | None = None
    client_name: str | None = None
    logo_uri: str | None = None
    client_uri: str | None = None
    policy_uri: str | None = None
    tos_uri: str | None = None
    token_endpoint_auth_method: str | None = None
    scope: str | None = None
    jwks_uri: str | None = None
    extra_metadata: Mapping[str, Any] | None = None
    initial_access_token: str | None = None
    _: KW_ONLY
    software_statement: str | None = None
    jwks: Mapping[str, Any] | None = None

    def metadata_document(self) -> dict[str, Any]:
        """The JSON body to POST (misuse raises ConfigurationException, before any I/O)."""
        if self.jwks is not None and self.jwks_uri is not None:
            raise ConfigurationException("jwks and jwks_uri must not both be given (RFC 7591 §2)")
        own: dict[str, Any] = {}
        if self.jwks is not None:
            if not isinstance(self.jwks, Mapping):
                raise ConfigurationException("jwks must be a JWK Set mapping")
            own["jwks"] = dict(self.jwks)
        if self.software_statement is not None:
            if not isinstance(self.software_statement, str) or not self.software_statement:
                raise ConfigurationException("software_statement must be a JWT string")
            own["software_statement"] = self.software_statement
        return _metadata_document(self, own)


@dataclass(repr=False)
class ClientReadRequest(_RegistrationOptions):
    """Read a registered client's current configuration (RFC 7592 §2.1).

    ``address`` is the ``registration_client_uri`` of the registration answer;
    ``registration_access_token`` is sent as ``Authorization: Bearer``.
    """

    address: str
    registration_access_token: str


@dataclass(repr=False)
class ClientUpdateRequest(_RegistrationOptions):
    """Replace a registered client's metadata (RFC 7592 §2.2).

    RFC 7592 §2.2 makes an update a full replacement: the body carries ``client_id`` and
    every metadata member the client keeps (a member left out may be reset or removed by
    the server), and ``client_secret`` only to confirm the current one. The answer may
    carry a new ``registration_access_token``: use it from then on, the old one may stop
    working.
    """

    address: str
    registration_access_token: str
    client_id: str
    redirect_uris: list[str] | None = None
    response_types: list[str] | None = None
    grant_types: list[str] | None = None
    application_type: str | None = None
    contacts: list[str] | None = None
    client_name: str | None = None
    logo_uri: str | None = None
    client_uri: str | None = None
    policy_uri: str | None = None
    tos_uri: str | None = None
    token_endpoint_auth_method: str | None = None
    scope: str | None = None
    jwks_uri: str | None = None
    client_secret: str | None = None
    extra_metadata: Mapping[str, Any] | None = None

    def metadata_document(self) -> dict[str, Any]:
        """The JSON body to PUT (misuse raises ConfigurationException, before any I/O)."""
        if not isinstance(self.client_id, str) or not self.client_id:
            raise ConfigurationException("client_id is required (RFC 7592 §2.2)")
        own: dict[str, Any] = {"client_id": self.client_id}
        if self.client_secret is not None:
            if not isinstance(self.client_secret, str):
                raise ConfigurationException("client_secret must be a string")
            own["client_secret"] = self.client_secret
        return _metadata_document(self, own)


@dataclass(repr=False)
class ClientDeleteRequest(_RegistrationOptions):
    """Deregister a client (RFC 7592 §2.3); its credentials stop working."""

    address: str
    registration_access_token: str


@dataclass(repr=False)
class ClientRegistrationResponse(ProtocolResponse):
    """A client information response (RFC 7591 §3.2.1, RFC 7592 §3).

    ``metadata`` is the whole answer as a dict (everything the server registered, also
    what the named fields repeat). ``client_id_issued_at`` and ``client_secret_expires_at``
    are seconds since the epoch; ``client_secret_expires_at == 0`` means the secret never
    expires. On read and update, ``registration_access_token`` is the one the server
    returned, if any (RFC 7592 §3): when it differs from the one sent, it replaces it and
    the old one may stop working; when absent, keep using yours. On failure, a server's
    RFC 7591 §3.2.2 error (``invalid_redirect_uri``, ``invalid_client_metadata``,
    ``invalid_software_statement``, ...) is the ``error_code``.
    """

    client_id: str | None = None
    client_secret: str | None = None
    client_id_issued_at: int | None = None
    client_secret_expires_at: int | None = None
    registration_access_token: str | None = None
    registration_client_uri: str | None = None
    metadata: dict[str, Any] | None = None

    def __repr__(self) -> str:
        return redacted_repr(self, _HIDDEN)


@dataclass(repr=False)
class ClientDeleteResponse(ProtocolResponse):
    """The answer to a deregistration: success is ``204 No Content`` (RFC 7592 §2.3)."""
