"""CIBA requests and responses (OpenID Connect CIBA Core 1.0 §7, §10, §11; poll mode).

``BackchannelAuthenticationRequest(address, client_id, scope="openid", client_secret=None,
private_key_jwt=None, mtls=None, client_auth_method=None)`` has the field order of
``DeviceAuthorizationRequest`` (the two are used alike); what identifies the user and what
the user is shown are keyword-only. ``BackchannelTokenRequest(address, client_id,
auth_req_id, ...)`` is the token grant ``urn:openid:params:grant-type:ciba`` (§10.1).

The request rules are checked before any I/O, as misuse
(:class:`~py_identity_model.ConfigurationException`): exactly one of ``login_hint``,
``login_hint_token`` and ``id_token_hint`` (§7.1), a ``scope`` with ``openid``, a positive
whole ``requested_expiry``; and with a signed ``request`` object (§7.1.1) nothing of the
authentication request beside it, because the server must take all of it from the signed
object and a parameter outside it would be unsigned and ignored (or refused).

``repr`` hides the hints that identify a user by token, the request object, the user code
and the ``auth_req_id`` (whoever holds it and the client's credentials gets the tokens).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass
from typing import ClassVar

from ..constants.oidc_values import GrantTypes
from ..endpoints.fields import (
    AuthMethodField,
    ClientSecretField,
    EndpointFields,
    MtlsField,
    PrivateKeyJwtField,
)
from ..endpoints.options import ClientRequestOptions
from ..exceptions import ConfigurationException
from ..http.results import ProtocolResponse
from ..tokens.models import TokenRequestOptions, TokenResponse
from ..utils.numbers import require_number
from ..utils.parameters import Parameters
from ..utils.redaction import SECRET_FIELDS, redacted_repr

__all__ = [
    "CIBA_GRANT_TYPE",
    "DEFAULT_CIBA_INTERVAL",
    "MAX_CIBA_INTERVAL",
    "BackchannelAuthenticationRequest",
    "BackchannelAuthenticationResponse",
    "BackchannelTokenRequest",
    "BackchannelTokenResponse",
]

CIBA_GRANT_TYPE = GrantTypes.CIBA.value
"""``urn:openid:params:grant-type:ciba`` (CIBA Core 1.0 §10.1)."""

DEFAULT_CIBA_INTERVAL = 5
"""The polling interval when the server sends none (CIBA Core 1.0 §7.3)."""

MAX_CIBA_INTERVAL = 3600
"""The largest ``interval`` accepted from a server: beyond an hour it is not a polling
interval but a bug (or a way to park the client forever)."""

_HINTS = ("login_hint_token", "id_token_hint", "login_hint")
# Authentication request parameters that belong inside a signed request object (§7.1.1).
_INSIDE_REQUEST_OBJECT = (
    *_HINTS,
    "binding_message",
    "user_code",
    "requested_expiry",
    "acr_values",
    "resource",
)
_HIDDEN = SECRET_FIELDS | {
    "login_hint_token",
    "id_token_hint",
    "request",
    "user_code",
    "auth_req_id",
}


def _ciba_repr(obj: ClientRequestOptions) -> str:
    """:meth:`ClientRequestOptions.__repr__`, hiding the CIBA secrets as well."""
    text = redacted_repr(obj, _HIDDEN)
    for name in ("parameters", "headers"):
        value = getattr(obj, name)
        if isinstance(value, Mapping):
            text = text.replace(f"{name}={value!r}", f"{name}=<names {sorted(value)!r}>")
    return text


def _is_compact_jws(value: str) -> bool:
    """Three base64url segments with a non-empty signature: a signed JWT, not ``alg: none``."""
    parts = value.split(".")
    alphabet = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    return len(parts) == 3 and all(part and set(part) <= alphabet for part in parts)


@dataclass(repr=False)
class _OpenIdScopeField:
    scope: str | None = "openid"


@dataclass(repr=False)
class _AuthReqIdField:
    auth_req_id: str


@dataclass(repr=False)
class BackchannelAuthenticationRequest(
    ClientRequestOptions,
    AuthMethodField,
    MtlsField,
    PrivateKeyJwtField,
    ClientSecretField,
    _OpenIdScopeField,
    EndpointFields,
):
    """Ask the server to authenticate a user out of band (CIBA Core 1.0 §7.1).

    Fields: ``address`` (the ``backchannel_authentication_endpoint``), ``client_id``,
    ``scope`` (must contain ``openid``), ``client_secret``, ``private_key_jwt``, ``mtls``,
    ``client_auth_method``; then the keyword-only options of
    :class:`~py_identity_model.endpoints.options.ClientRequestOptions` and

    Attributes:
        login_hint: who is to be authenticated, as the server knows them (an e-mail, a
            user name, a phone number).
        login_hint_token: a token (often a JWT) that identifies the user.
        id_token_hint: an ID token the server issued earlier for the user. Exactly one of
            these three is required (§7.1), unless ``request`` carries it.
        binding_message: a short text shown on both the consumption device and the
            authentication device, so the user can tell the requests apart (§7.1).
        user_code: a secret the user knows, when the server asks for one (§7.1).
        requested_expiry: the lifetime in seconds the client would like for
            ``auth_req_id`` (a positive whole number).
        acr_values: requested Authentication Context Class References (a string of
            space-separated values, or a list).
        request: a signed request object (§7.1.1) carrying all the parameters above and
            ``scope``; then none of them may be set beside it (``scope`` is not sent, and
            may only keep its default ``"openid"``).
        resource: RFC 8707 resource indicator(s); a list sends several.
    """

    _: KW_ONLY
    login_hint: str | None = None
    login_hint_token: str | None = None
    id_token_hint: str | None = None
    binding_message: str | None = None
    user_code: str | None = None
    requested_expiry: int | None = None
    acr_values: str | Sequence[str] | None = None
    request: str | None = None
    resource: str | Sequence[str] | None = None

    repeatable_parameters: ClassVar[frozenset[str]] = frozenset({"resource"})

    def endpoint_parameters(self) -> Parameters:
        """The form of §7.1; misuse raises ConfigurationException (before any I/O)."""
        if self.request is not None:
            return self._request_object_parameters()
        scope = self.scope
        if not isinstance(scope, str) or "openid" not in scope.split():
            raise ConfigurationException("scope must contain 'openid' (CIBA Core 1.0 §7.1)")
        given = [name for name in _HINTS if _given(getattr(self, name))]
        if len(given) != 1:
            raise ConfigurationException(
                "exactly one of login_hint, login_hint_token and id_token_hint is required "
                f"(CIBA Core 1.0 §7.1); got {given or 'none'}"
            )
        params = Parameters().add_required("scope", scope)
        params.add_optional("acr_values", _space_separated(self.acr_values, "acr_values"))
        for name in _HINTS:
            params.add_optional(name, _text(getattr(self, name), name))
        params.add_optional("binding_message", _text(self.binding_message, "binding_message"))
        params.add_optional("user_code", _text(self.user_code, "user_code"))
        if self.requested_expiry is not None:
            expiry = require_number(
                self.requested_expiry, "requested_expiry", positive=True, integer=True
            )
            params.add("requested_expiry", int(expiry))
        return _add_resource(params, self.resource)

    def _request_object_parameters(self) -> Parameters:
        request = self.request
        if not isinstance(request, str) or not _is_compact_jws(request.strip()):
            raise ConfigurationException(
                "request must be a signed request object, a compact JWS (CIBA Core 1.0 §7.1.1)"
            )
        beside = [name for name in _INSIDE_REQUEST_OBJECT if getattr(self, name) is not None]
        if self.scope not in (None, "openid"):
            beside.insert(0, "scope")
        if beside:
            raise ConfigurationException(
                f"with a signed request object, put {beside} inside it, not beside it "
                "(CIBA Core 1.0 §7.1.1)"
            )
        return Parameters().add_required("request", request.strip())

    def __repr__(self) -> str:
        return _ciba_repr(self)


@dataclass(repr=False)
class BackchannelAuthenticationResponse(ProtocolResponse):
    """The answer to a backchannel authentication request (CIBA Core 1.0 §7.3).

    ``auth_req_id`` identifies the request when polling; ``expires_in`` is its lifetime in
    seconds and ``expires_at`` the epoch second it ends (from the time the answer arrived);
    ``interval`` is how many seconds to wait between polls: 5 when the server sends none.
    """

    auth_req_id: str | None = None
    expires_in: int | None = None
    interval: int | None = None
    _: KW_ONLY
    expires_at: float | None = None

    def __repr__(self) -> str:
        return redacted_repr(self, _HIDDEN)


@dataclass(repr=False)
class BackchannelTokenRequest(
    TokenRequestOptions,
    AuthMethodField,
    MtlsField,
    PrivateKeyJwtField,
    ClientSecretField,
    _AuthReqIdField,
    EndpointFields,
):
    """Poll the token endpoint for a CIBA request's tokens (CIBA Core 1.0 §10.1).

    Fields: ``address`` (the token endpoint), ``client_id``, ``auth_req_id``,
    ``client_secret``, ``private_key_jwt``, ``mtls``, ``client_auth_method``; then the
    keyword-only options of :class:`~py_identity_model.tokens.models.TokenRequestOptions`.
    The client must authenticate as it did for the authentication request.
    """

    def grant_parameters(self) -> Parameters:
        params = Parameters([("grant_type", CIBA_GRANT_TYPE)])
        return params.add_required("auth_req_id", self.auth_req_id)

    def __repr__(self) -> str:
        return _ciba_repr(self)


@dataclass(repr=False)
class BackchannelTokenResponse(TokenResponse):
    """A token endpoint answer to :class:`BackchannelTokenRequest` (CIBA Core 1.0 §11).

    While the user has not answered, it is a failure whose ``error_code`` is
    ``authorization_pending`` (or ``slow_down``: poll 5 seconds less often); it ends as
    tokens, ``access_denied`` (the user said no) or ``expired_token`` (``auth_req_id``
    expired). Validate the ``id_token`` as any other (``validate_id_token``).
    """


def _given(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _text(value: object, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigurationException(f"{name} must be a string")
    return value


def _space_separated(value: str | Sequence[str] | None, name: str) -> str | None:
    if value is None or isinstance(value, str):
        return _text(value, name)
    items = list(value)
    if not all(isinstance(item, str) and item.strip() and " " not in item for item in items):
        raise ConfigurationException(f"{name} must be a string or a list of single values")
    return " ".join(items) or None


def _add_resource(params: Parameters, resource: str | Sequence[str] | None) -> Parameters:
    if isinstance(resource, str):
        params.add_optional("resource", resource)
    elif resource is not None:
        for item in resource:
            params.add_required("resource", item, allow_duplicates=True)
    return params
