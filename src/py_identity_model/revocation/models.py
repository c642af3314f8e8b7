"""Token revocation requests and responses (RFC 7009).

The request fields follow py-identity-model 4.x:
``TokenRevocationRequest(address, token, client_id, token_type_hint=None, client_secret=None,
private_key_jwt=None, mtls=None, client_auth_method=None)`` plus the keyword-only
:class:`~py_identity_model.endpoints.options.ClientRequestOptions`. The ``token`` comes
*between* ``address`` and ``client_id`` there, unlike the token requests, so the one-field
bases below (:class:`AddressField`, :class:`TokenField`, :class:`ClientIdField`,
:class:`TokenTypeHintField`) are declared here; token introspection (RFC 7662 §2.1 reuses
RFC 7009's ``token`` and ``token_type_hint``) composes its request from the same ones.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass

from ..constants.oidc_values import TokenTypes
from ..endpoints.fields import AuthMethodField, ClientSecretField, MtlsField, PrivateKeyJwtField
from ..endpoints.options import ClientRequestOptions
from ..http.results import ProtocolResponse
from ..utils.parameters import Parameters

__all__ = [
    "ACCESS_TOKEN_HINT",
    "REFRESH_TOKEN_HINT",
    "AddressField",
    "ClientIdField",
    "TokenField",
    "TokenRevocationRequest",
    "TokenRevocationResponse",
    "TokenTypeHintField",
    "token_parameters",
]

ACCESS_TOKEN_HINT = TokenTypes.ACCESS_TOKEN.value
"""``token_type_hint`` for an access token (RFC 7009 §2.1): ``"access_token"``."""
REFRESH_TOKEN_HINT = TokenTypes.REFRESH_TOKEN.value
"""``token_type_hint`` for a refresh token (RFC 7009 §2.1): ``"refresh_token"``."""


@dataclass(repr=False)
class AddressField:
    """``address``: the endpoint URL, always first."""

    address: str


@dataclass(repr=False)
class TokenField:
    """``token``: the token the request is about (hidden in ``repr``)."""

    token: str


@dataclass(repr=False)
class ClientIdField:
    """``client_id``: the client that authenticates the request."""

    client_id: str


@dataclass(repr=False)
class TokenTypeHintField:
    """``token_type_hint``: ``"access_token"`` or ``"refresh_token"`` (or an extension
    value); a hint only, which the server may ignore (RFC 7009 §2.1)."""

    token_type_hint: str | None = None


def token_parameters(token: str, token_type_hint: str | None) -> Parameters:
    """The form of a request about one token: ``token`` (required) and ``token_type_hint``."""
    params = Parameters().add_required("token", token)
    return params.add_optional("token_type_hint", token_type_hint)


@dataclass(repr=False)
class TokenRevocationRequest(
    ClientRequestOptions,
    AuthMethodField,
    MtlsField,
    PrivateKeyJwtField,
    ClientSecretField,
    TokenTypeHintField,
    ClientIdField,
    TokenField,
    AddressField,
):
    """Revoke a refresh or access token (RFC 7009 §2.1).

    Fields: ``address, token, client_id, token_type_hint, client_secret, private_key_jwt,
    mtls, client_auth_method``, then the keyword-only
    :class:`~py_identity_model.endpoints.options.ClientRequestOptions`. Revoking a refresh
    token usually revokes the access tokens of the same grant too (RFC 7009 §2.1).
    """

    def endpoint_parameters(self) -> Parameters:
        return token_parameters(self.token, self.token_type_hint)


@dataclass(repr=False)
class TokenRevocationResponse(ProtocolResponse):
    """The answer of the revocation endpoint.

    Success means the server no longer honours the token, or never knew it: RFC 7009 §2.2
    answers 200 for an invalid token too, so revoking twice succeeds twice and a client
    cannot learn from the answer whether a token existed. ``retry_after`` is the server's
    ``Retry-After`` in seconds on a 503 (RFC 7009 §2.2.1); the library never resends a
    revocation by itself.
    """

    _: KW_ONLY
    retry_after: float | None = None
