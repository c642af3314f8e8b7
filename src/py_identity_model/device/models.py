"""Device flow requests and responses (OAuth 2.0 Device Authorization Grant, RFC 8628).

Field orders are py-identity-model 4.x's (drop-in):
``DeviceAuthorizationRequest(address, client_id, scope="openid", client_secret=None,
private_key_jwt=None, mtls=None, client_auth_method=None)`` and
``DeviceTokenRequest(address, client_id, device_code, client_secret=None, ...)``, each
composed from the one-field bases of :mod:`py_identity_model.endpoints.fields`; what is
new is keyword-only. ``DeviceTokenResponse(is_successful, error, token, error_code,
interval)`` keeps 4.x's positional order although ``error_code`` is keyword-only on every
other response, hence its explicit ``__init__``.

``repr`` hides the device code (whoever holds it and the client's credentials gets the
tokens), the user code and the complete verification URI (which embeds the user code: with
it a phisher can have a victim approve the attacker's device), and tokens.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass
from typing import Any, ClassVar

from ..constants.oidc_values import GrantTypes
from ..endpoints.fields import (
    AuthMethodField,
    ClientSecretField,
    EndpointFields,
    MtlsField,
    PrivateKeyJwtField,
)
from ..endpoints.options import ClientRequestOptions
from ..errors import ErrorType
from ..http.results import ProtocolResponse
from ..tokens.models import TokenRequestOptions, TokenResponse
from ..utils.parameters import Parameters
from ..utils.redaction import SECRET_FIELDS, redacted_repr

__all__ = [
    "DEFAULT_DEVICE_INTERVAL",
    "DEVICE_CODE_GRANT_TYPE",
    "MAX_DEVICE_INTERVAL",
    "DeviceAuthorizationRequest",
    "DeviceAuthorizationResponse",
    "DeviceTokenRequest",
    "DeviceTokenResponse",
]

DEVICE_CODE_GRANT_TYPE = GrantTypes.DEVICE_CODE.value
"""``urn:ietf:params:oauth:grant-type:device_code`` (RFC 8628 §3.4)."""

DEFAULT_DEVICE_INTERVAL = 5
"""Seconds between polls when the server sends no ``interval`` (RFC 8628 §3.2)."""

MAX_DEVICE_INTERVAL = 3600
"""The largest ``interval`` accepted from a server: beyond an hour it is not a polling
interval but a bug (or a way to park the client forever)."""

_HIDDEN = SECRET_FIELDS | {"user_code", "verification_uri_complete"}


def _device_repr(obj: object) -> str:
    """:meth:`ClientRequestOptions.__repr__`, hiding the device flow's secrets as well."""
    text = redacted_repr(obj, _HIDDEN)
    for name in ("parameters", "headers"):
        value = getattr(obj, name, None)
        if isinstance(value, Mapping):
            text = text.replace(f"{name}={value!r}", f"{name}=<names {sorted(value)!r}>")
    return text


@dataclass(repr=False)
class _OpenIdScopeField:
    scope: str | None = "openid"


@dataclass(repr=False)
class _DeviceCodeField:
    device_code: str


@dataclass(repr=False)
class DeviceAuthorizationRequest(
    ClientRequestOptions,
    AuthMethodField,
    MtlsField,
    PrivateKeyJwtField,
    ClientSecretField,
    _OpenIdScopeField,
    EndpointFields,
):
    """Ask for a device code and a user code (RFC 8628 §3.1).

    Fields: ``address`` (the ``device_authorization_endpoint``), ``client_id``, ``scope``
    (``"openid"`` by default; None sends none), ``client_secret``, ``private_key_jwt``,
    ``mtls``, ``client_auth_method``; then the keyword-only options of
    :class:`~py_identity_model.endpoints.options.ClientRequestOptions` and

    Attributes:
        resource: RFC 8707 resource indicator(s); a list sends several.

    A public client (no secret) sends its ``client_id`` in the form (RFC 8628 §3.1).
    """

    _: KW_ONLY
    resource: str | Sequence[str] | None = None

    repeatable_parameters: ClassVar[frozenset[str]] = frozenset({"resource"})

    def endpoint_parameters(self) -> Parameters:
        params = Parameters().add_optional("scope", self.scope)
        resource = self.resource
        if isinstance(resource, str):
            params.add_optional("resource", resource)
        elif resource is not None:
            for item in resource:
                params.add_required("resource", item, allow_duplicates=True)
        return params

    def __repr__(self) -> str:
        return _device_repr(self)


@dataclass(repr=False)
class DeviceAuthorizationResponse(ProtocolResponse):
    """The device authorization answer (RFC 8628 §3.2).

    Show the user ``verification_uri`` and ``user_code`` (or ``verification_uri_complete``,
    e.g. as a QR code), then poll with ``device_code``. Both URIs are checked to be absolute
    ``https`` URLs (``http`` only on a loopback host) before anyone shows them. ``expires_in``
    is the codes' lifetime in seconds and ``expires_at`` the epoch second it ends (from
    the time the answer arrived); ``interval`` is the seconds to wait between polls, 5 when
    the server sends none.
    """

    device_code: str | None = None
    user_code: str | None = None
    verification_uri: str | None = None
    verification_uri_complete: str | None = None
    expires_in: int | None = None
    interval: int | None = None
    _: KW_ONLY
    expires_at: float | None = None

    def __repr__(self) -> str:
        return _device_repr(self)


@dataclass(repr=False)
class DeviceTokenRequest(
    TokenRequestOptions,
    AuthMethodField,
    MtlsField,
    PrivateKeyJwtField,
    ClientSecretField,
    _DeviceCodeField,
    EndpointFields,
):
    """Poll the token endpoint for a device code's tokens (RFC 8628 §3.4).

    Fields: ``address`` (the token endpoint), ``client_id``, ``device_code``,
    ``client_secret``, ``private_key_jwt``, ``mtls``, ``client_auth_method``; then the
    keyword-only options of :class:`~py_identity_model.tokens.models.TokenRequestOptions`
    and

    Attributes:
        interval: the seconds the caller waits between polls (the authorization
            response's ``interval``; 5 when None). It is not sent: a pending answer
            reports it back as ``interval``, and a ``slow_down`` answer reports it plus 5.
    """

    _: KW_ONLY
    interval: float | None = None

    def grant_parameters(self) -> Parameters:
        params = Parameters([("grant_type", DEVICE_CODE_GRANT_TYPE)])
        return params.add_required("device_code", self.device_code)

    def __repr__(self) -> str:
        return _device_repr(self)


@dataclass(repr=False, init=False)
class DeviceTokenResponse(TokenResponse):
    """A token endpoint answer to :class:`DeviceTokenRequest` (RFC 8628 §3.5).

    Positional order (4.x): ``is_successful, error, token, error_code, interval``; the
    rest is keyword-only. While the user has not answered it is a failure whose
    ``error_code`` is ``authorization_pending`` (poll again after ``interval`` seconds) or
    ``slow_down`` (``interval`` is then the grown interval: the previous one plus 5 s,
    to use from now on); it ends as tokens, ``access_denied`` (the user said no) or
    ``expired_token`` (the device code expired: start again).
    """

    interval: float | None = None

    def __init__(
        self,
        is_successful: bool,
        error: str | None = None,
        token: dict[str, Any] | None = None,
        error_code: str | None = None,
        interval: float | None = None,
        *,
        error_description: str | None = None,
        error_type: ErrorType | None = None,
        http_status: int | None = None,
        raw: str | None = None,
        json: dict[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        expires_at: float | None = None,
        dpop_nonce: str | None = None,
    ) -> None:
        super().__init__(
            is_successful,
            error,
            token,
            error_description=error_description,
            error_type=error_type,
            error_code=error_code,
            http_status=http_status,
            raw=raw,
            json=json,
            headers=headers,
            expires_at=expires_at,
            dpop_nonce=dpop_nonce,
        )
        self.interval = interval
