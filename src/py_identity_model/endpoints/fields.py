"""The request fields of py-identity-model 4.x, each declared once.

The 4.x request types share their fields (``address``, ``client_id``, ``client_secret``,
``scope``, ``private_key_jwt``, ``mtls``, ...) but not their positional order:
``ClientCredentialsTokenRequest(address, client_id, client_secret, scope, ...)`` and
``RefreshTokenRequest(address, client_id, refresh_token, scope, client_secret, ...)``.
Each field is therefore a one-field dataclass here, and a request type lists the ones it
has in the order 4.x gives them: a dataclass takes its fields from its bases in reverse
method-resolution order, so

    class RefreshTokenRequest(TokenRequestOptions, AuthMethodField, MtlsField,
                              PrivateKeyJwtField, ClientSecretField, ScopeField,
                              RefreshTokenGrantFields, EndpointFields): ...

has the fields ``address, client_id, refresh_token, scope, client_secret,
private_key_jwt, mtls, client_auth_method`` — the bases read right to left. Every endpoint
of 4.x (token, introspection, revocation, device authorization, PAR) composes its request
type this way; the credential fields become one
:class:`~py_identity_model.endpoints.client.Client` with ``Client.from_credentials``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .client_auth import MtlsClientAuth, PrivateKeyJwt

__all__ = [
    "AuthMethodField",
    "ClientSecretField",
    "DPoPKeyField",
    "EndpointFields",
    "MtlsField",
    "PrivateKeyJwtField",
    "ScopeField",
]


@dataclass(repr=False)
class EndpointFields:
    """``address`` (the endpoint URL) and ``client_id``: always first."""

    address: str
    client_id: str


@dataclass(repr=False)
class ClientSecretField:
    client_secret: str | None = None


@dataclass(repr=False)
class ScopeField:
    scope: str | None = None


@dataclass(repr=False)
class PrivateKeyJwtField:
    private_key_jwt: PrivateKeyJwt | None = None


@dataclass(repr=False)
class DPoPKeyField:
    """A DPoP key (anything with ``create_proof(method, url, nonce=None)``, RFC 9449)."""

    dpop_key: object | None = None


@dataclass(repr=False)
class MtlsField:
    mtls: MtlsClientAuth | None = None


@dataclass(repr=False)
class AuthMethodField:
    """``client_auth_method``: the extension field every request ends with."""

    client_auth_method: str | None = None
