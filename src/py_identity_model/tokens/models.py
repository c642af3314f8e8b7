"""Token requests and responses (RFC 6749 §4-§6, RFC 7523, RFC 8707).

Field order follows py-identity-model 4.x (drop-in); each request type is composed from
the one-field bases of :mod:`py_identity_model.endpoints.fields`, so no credential field is
declared twice. What is new is keyword-only and shared through
:class:`TokenRequestOptions`. ``repr`` never shows secrets, codes, verifiers or tokens.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass
from typing import Any, ClassVar

from ..endpoints.fields import (
    AuthMethodField,
    ClientSecretField,
    DPoPKeyField,
    EndpointFields,
    MtlsField,
    PrivateKeyJwtField,
    ScopeField,
)
from ..endpoints.options import ClientRequestOptions, DPoPProofFactory
from ..exceptions import ConfigurationException
from ..http.results import ProtocolResponse
from ..rar.details import AuthorizationDetailsInput, authorization_details_json
from ..utils.parameters import Parameters

__all__ = [
    "MAX_EXPIRES_IN",
    "AuthorizationCodeTokenRequest",
    "AuthorizationCodeTokenResponse",
    "ClientCredentialsTokenRequest",
    "ClientCredentialsTokenResponse",
    "DPoPProofFactory",
    "JwtBearerTokenRequest",
    "PasswordTokenRequest",
    "RefreshTokenRequest",
    "RefreshTokenResponse",
    "TokenRequest",
    "TokenExchangeRequest",
    "TokenExchangeResponse",
    "TokenRequestOptions",
    "TokenResponse",
]

MAX_EXPIRES_IN = 10 * 365 * 24 * 3600
"""The largest ``expires_in`` accepted from a server (ten years): beyond it, the value is
not a lifetime but an attack or a bug, and arithmetic on it must never overflow."""


@dataclass(repr=False)
class TokenRequestOptions(ClientRequestOptions):
    """Keyword-only settings every token request accepts: those of
    :class:`~py_identity_model.endpoints.options.ClientRequestOptions` and

    Attributes:
        resource: RFC 8707 resource indicator(s); a list sends several.
        authorization_details: RFC 9396 authorization details (``AuthorizationDetail``
            values or objects, each with a string ``type``), sent as compact JSON: ask for
            (part of) what the grant allows (RFC 9396 §6).
    """

    _: KW_ONLY
    resource: str | Sequence[str] | None = None
    authorization_details: AuthorizationDetailsInput | None = None

    repeatable_parameters: ClassVar[frozenset[str]] = frozenset({"resource", "audience"})

    def grant_parameters(self) -> Parameters:  # pragma: no cover - every subclass overrides
        """The grant's own form fields (``grant_type`` and what the grant needs)."""
        raise NotImplementedError

    def endpoint_parameters(self) -> Parameters:
        params = self.grant_parameters()
        resource = self.resource
        if isinstance(resource, str):
            params.add_optional("resource", resource)
        elif resource is not None:
            for item in resource:
                params.add_required("resource", item, allow_duplicates=True)
        if self.authorization_details is not None:
            params.add_required(
                "authorization_details", authorization_details_json(self.authorization_details)
            )
        return params


@dataclass(repr=False)
class _CodeGrantFields:
    code: str
    redirect_uri: str
    code_verifier: str | None = None


@dataclass(repr=False)
class _RefreshGrantFields:
    refresh_token: str


@dataclass(repr=False)
class _PasswordGrantFields:
    username: str
    password: str


@dataclass(repr=False)
class _JwtBearerGrantFields:
    assertion: str


@dataclass(repr=False)
class _TokenExchangeFields:
    subject_token: str
    subject_token_type: str
    actor_token: str | None = None
    actor_token_type: str | None = None
    resource: str | Sequence[str] | None = None
    audience: str | Sequence[str] | None = None


@dataclass(repr=False)
class _RequestedTokenTypeField:
    requested_token_type: str | None = None


@dataclass(repr=False)
class _ExtensionGrantFields:
    grant_type: str


@dataclass(repr=False)
class ClientCredentialsTokenRequest(
    TokenRequestOptions,
    AuthMethodField,
    MtlsField,
    PrivateKeyJwtField,
    ScopeField,
    ClientSecretField,
    EndpointFields,
):
    """``client_credentials`` grant (RFC 6749 §4.4).

    Fields: ``address, client_id, client_secret, scope, private_key_jwt, mtls,
    client_auth_method``.
    """

    def grant_parameters(self) -> Parameters:
        return Parameters([("grant_type", "client_credentials")]).add_optional("scope", self.scope)


@dataclass(repr=False)
class AuthorizationCodeTokenRequest(
    TokenRequestOptions,
    AuthMethodField,
    MtlsField,
    DPoPKeyField,
    PrivateKeyJwtField,
    ScopeField,
    ClientSecretField,
    _CodeGrantFields,
    EndpointFields,
):
    """``authorization_code`` grant (RFC 6749 §4.1.3) with PKCE (RFC 7636).

    Fields: ``address, client_id, code, redirect_uri, code_verifier, client_secret, scope,
    private_key_jwt, dpop_key, mtls, client_auth_method``.
    """

    def grant_parameters(self) -> Parameters:
        params = Parameters([("grant_type", "authorization_code")])
        params.add_required("code", self.code)
        params.add_required("redirect_uri", self.redirect_uri)
        params.add_optional("code_verifier", self.code_verifier)
        return params.add_optional("scope", self.scope)


@dataclass(repr=False)
class RefreshTokenRequest(
    TokenRequestOptions,
    AuthMethodField,
    MtlsField,
    PrivateKeyJwtField,
    ClientSecretField,
    ScopeField,
    _RefreshGrantFields,
    EndpointFields,
):
    """``refresh_token`` grant (RFC 6749 §6).

    Fields: ``address, client_id, refresh_token, scope, client_secret, private_key_jwt,
    mtls, client_auth_method``.
    """

    def grant_parameters(self) -> Parameters:
        params = Parameters([("grant_type", "refresh_token")])
        params.add_required("refresh_token", self.refresh_token)
        return params.add_optional("scope", self.scope)


@dataclass(repr=False)
class PasswordTokenRequest(
    TokenRequestOptions,
    AuthMethodField,
    MtlsField,
    PrivateKeyJwtField,
    ClientSecretField,
    ScopeField,
    _PasswordGrantFields,
    EndpointFields,
):
    """Resource owner ``password`` grant (RFC 6749 §4.3; discouraged by OAuth 2.0 Security BCP).

    Fields: ``address, client_id, username, password, scope, client_secret,
    private_key_jwt, mtls, client_auth_method``.
    """

    def grant_parameters(self) -> Parameters:
        params = Parameters([("grant_type", "password")])
        params.add_required("username", self.username)
        params.add_required("password", self.password, allow_empty=True)
        return params.add_optional("scope", self.scope)


@dataclass(repr=False)
class JwtBearerTokenRequest(
    TokenRequestOptions,
    AuthMethodField,
    MtlsField,
    PrivateKeyJwtField,
    ClientSecretField,
    ScopeField,
    _JwtBearerGrantFields,
    EndpointFields,
):
    """JWT bearer authorization grant (RFC 7523 §2.1).

    Fields: ``address, client_id, assertion, scope, client_secret, private_key_jwt, mtls,
    client_auth_method``.
    """

    def grant_parameters(self) -> Parameters:
        params = Parameters([("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")])
        params.add_required("assertion", self.assertion)
        return params.add_optional("scope", self.scope)


@dataclass(repr=False)
class TokenRequest(
    TokenRequestOptions,
    AuthMethodField,
    MtlsField,
    PrivateKeyJwtField,
    ScopeField,
    ClientSecretField,
    _ExtensionGrantFields,
    EndpointFields,
):
    """Any grant by ``grant_type`` (extension grants, RFC 6749 §4.5).

    Fields: ``address, client_id, grant_type, client_secret, scope, private_key_jwt, mtls,
    client_auth_method``. Put the grant's own fields in ``parameters``.
    """

    def grant_parameters(self) -> Parameters:
        params = Parameters().add_required("grant_type", self.grant_type)
        return params.add_optional("scope", self.scope)


@dataclass(repr=False)
class TokenResponse(ProtocolResponse):
    """A token endpoint answer. ``token`` is the whole JSON; typed views are properties.

    ``expires_at`` is the epoch second when the access token expires (from ``expires_in``
    and the time the response arrived). ``dpop_nonce`` is the server's ``DPoP-Nonce``.
    """

    token: dict[str, Any] | None = None
    _: KW_ONLY
    expires_at: float | None = None
    dpop_nonce: str | None = None

    def _get(self, name: str) -> Any:
        return (self.token or {}).get(name)

    @property
    def access_token(self) -> str | None:
        value = self._get("access_token")
        return value if isinstance(value, str) else None

    @property
    def token_type(self) -> str | None:
        value = self._get("token_type")
        return value if isinstance(value, str) else None

    @property
    def expires_in(self) -> int | None:
        return _as_int(self._get("expires_in"))

    @property
    def refresh_token(self) -> str | None:
        value = self._get("refresh_token")
        return value if isinstance(value, str) else None

    @property
    def id_token(self) -> str | None:
        value = self._get("id_token")
        return value if isinstance(value, str) else None

    @property
    def scope(self) -> str | None:
        value = self._get("scope")
        return value if isinstance(value, str) else None

    @property
    def issued_token_type(self) -> str | None:
        value = self._get("issued_token_type")
        return value if isinstance(value, str) else None

    @property
    def identity_token(self) -> str | None:
        """Duende's name for :attr:`id_token`."""
        return self.id_token

    @property
    def authorization_details(self) -> list[dict[str, Any]] | None:
        """The authorization details granted (RFC 9396 §7), checked when the answer arrived."""
        value = self._get("authorization_details")
        return list(value) if isinstance(value, list) else None


def _as_int(value: Any) -> int | None:
    """``expires_in`` as a lifetime in seconds within 0..MAX_EXPIRES_IN, else None."""
    number: int | None = None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12:
        number = int(value)  # some servers send "3600"
    if number is None or not 0 <= number <= MAX_EXPIRES_IN:
        return None
    return number


def expires_in_problem(token: Mapping[str, Any]) -> str | None:
    """Why the ``expires_in`` member is unusable (RFC 6749 §5.1), or None (also when absent)."""
    if token.get("expires_in") is None:
        return None
    if _as_int(token["expires_in"]) is None:
        return (
            f"expires_in must be a whole number of seconds from 0 to {MAX_EXPIRES_IN} "
            "(RFC 6749 §5.1)"
        )
    return None


def expires_at_from(token: Mapping[str, Any], received_at: float | None = None) -> float | None:
    """Epoch seconds when the access token expires, or None when ``expires_in`` is absent."""
    expires_in = _as_int(token.get("expires_in"))
    if expires_in is None:
        return None
    return (time.time() if received_at is None else received_at) + expires_in


@dataclass(repr=False)
class ClientCredentialsTokenResponse(TokenResponse):
    """Answer to :class:`ClientCredentialsTokenRequest`."""


@dataclass(repr=False)
class AuthorizationCodeTokenResponse(TokenResponse):
    """Answer to :class:`AuthorizationCodeTokenRequest`."""


@dataclass(repr=False)
class RefreshTokenResponse(TokenResponse):
    """Answer to :class:`RefreshTokenRequest`."""


_TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"


def _values(value: str | Sequence[str] | None, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return list(value)
    raise ConfigurationException(f"{name} must be a string or a list of strings")


@dataclass(repr=False)
class TokenExchangeRequest(
    TokenRequestOptions,
    AuthMethodField,
    MtlsField,
    PrivateKeyJwtField,
    ClientSecretField,
    _RequestedTokenTypeField,
    ScopeField,
    _TokenExchangeFields,
    EndpointFields,
):
    """Token exchange (RFC 8693 §2.1): trade ``subject_token`` for a token for another
    audience, resource or scope, optionally on behalf of ``actor_token`` (delegation).

    Fields: ``address, client_id, subject_token, subject_token_type, actor_token,
    actor_token_type, resource, audience, scope, requested_token_type, client_secret,
    private_key_jwt, mtls, client_auth_method``. ``resource`` and ``audience`` may be lists
    (one form field per value, RFC 8693 §2.1); the token types are URIs such as
    ``OidcConstants.TokenTypeIdentifiers.ACCESS_TOKEN.value``. ``actor_token_type`` is
    required with ``actor_token`` and only with it.
    """

    # Positional here (4.x order), keyword-only on other grants: redeclared so that this
    # class's own declaration (and position in _TokenExchangeFields) wins.
    resource: str | Sequence[str] | None = None

    def grant_parameters(self) -> Parameters:
        if (self.actor_token is None) != (self.actor_token_type is None):
            raise ConfigurationException(
                "actor_token and actor_token_type go together (RFC 8693 §2.1)"
            )
        params = Parameters([("grant_type", _TOKEN_EXCHANGE_GRANT)])
        params.add_required("subject_token", self.subject_token)
        params.add_required("subject_token_type", self.subject_token_type)
        params.add_optional("actor_token", self.actor_token)
        params.add_optional("actor_token_type", self.actor_token_type)
        for audience in _values(self.audience, "audience"):
            params.add_required("audience", audience, allow_duplicates=True)
        params.add_optional("scope", self.scope)
        return params.add_optional("requested_token_type", self.requested_token_type)

    def endpoint_parameters(self) -> Parameters:
        _values(self.resource, "resource")  # a wrong type is misuse, raised before I/O
        return super().endpoint_parameters()


@dataclass(repr=False)
class TokenExchangeResponse(TokenResponse):
    """Answer to :class:`TokenExchangeRequest` (RFC 8693 §2.2).

    ``issued_token_type`` (required in a successful answer) says what ``access_token``
    holds: an access token, a JWT, a SAML assertion, ...; for anything but an access token
    the ``token_type`` is usually ``N_A``.
    """

    issued_token_type: str | None = None
