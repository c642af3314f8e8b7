"""Pushed authorization requests and responses (RFC 9126).

``PushedAuthorizationRequest(address, client_id, redirect_uri, scope="openid",
response_type="code", state=None, nonce=None, code_challenge=None,
code_challenge_method=None, client_secret=None, private_key_jwt=None, dpop_key=None,
mtls=None, response_mode=None, client_auth_method=None)`` keeps the 4.x field order; the
other authorization parameters (``prompt``, ``max_age``, ``claims``, ``resource``,
``authorization_details``, a request object in ``request``, ``dpop_jkt``, ...) and the options
every client-authenticated request takes
(:class:`~py_identity_model.endpoints.options.ClientRequestOptions`) are keyword-only.

The authorization parameters are built by the front channel's
:class:`~py_identity_model.AuthorizeRequest` (one set of rules for a URL and a pushed body);
the client authenticates as at the token endpoint, with any client authentication and an
optional DPoP key. The answer, :class:`PushedAuthorizationResponse`, carries the one-time
``request_uri`` and its lifetime; :func:`build_par_authorization_url` makes the URL the
browser is sent to, with ``client_id`` and ``request_uri`` only (RFC 9126 §4).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass
from typing import Any, ClassVar

from ..constants.oidc_values import CodeChallengeMethods
from ..endpoints.client import Client
from ..endpoints.client_auth import ClientSecretBasic
from ..endpoints.fields import (
    AuthMethodField,
    ClientSecretField,
    DPoPKeyField,
    EndpointFields,
    MtlsField,
    PrivateKeyJwtField,
)
from ..endpoints.options import ClientRequestOptions
from ..endpoints.policy import EndpointPolicy
from ..exceptions import ConfigurationException, FrontChannelConfigurationError
from ..frontchannel._params import add_parameter, build_url, check_endpoint, check_extra_names
from ..frontchannel.authorize_url import AuthorizeRequest
from ..http.results import ProtocolResponse
from ..rar.details import AuthorizationDetailsInput
from ..utils.parameters import Parameters
from ..utils.redaction import SECRET_FIELDS, redacted_repr

__all__ = [
    "MAX_PAR_EXPIRES_IN",
    "MAX_REQUEST_URI_LENGTH",
    "PushedAuthorizationRequest",
    "PushedAuthorizationResponse",
    "build_par_authorization_url",
    "request_uri_problem",
]

MAX_PAR_EXPIRES_IN = 86400
"""The longest ``request_uri`` lifetime accepted (a day): RFC 9126 §2.2 expects a short one
(oidc-provider: 60 s); beyond a day the value is a bug, not a lifetime."""

MAX_REQUEST_URI_LENGTH = 2048
"""The longest ``request_uri`` accepted: it travels in the authorization URL."""

# Authorization fields set on the request that a request object must carry alone.
_OBJECT_ONLY = (
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "response_mode",
    "prompt",
    "max_age",
    "ui_locales",
    "claims_locales",
    "login_hint",
    "acr_values",
    "id_token_hint",
    "display",
    "claims",
    "resource",
    "authorization_details",
    "dpop_jkt",
)
_HIDDEN = SECRET_FIELDS | {
    "state",
    "nonce",
    "code_challenge",
    "id_token_hint",
    "login_hint",
    "request",
    "request_uri",
}


@dataclass(repr=False)
class _AuthorizationFields:
    redirect_uri: str
    scope: str | Sequence[str] | None = "openid"
    response_type: str | Sequence[str] = "code"
    state: str | None = None
    nonce: str | None = None
    code_challenge: str | None = None
    code_challenge_method: str | CodeChallengeMethods | None = None


@dataclass(repr=False)
class _ResponseModeField:
    response_mode: str | None = None


@dataclass(repr=False)
class PushedAuthorizationRequest(
    ClientRequestOptions,
    AuthMethodField,
    _ResponseModeField,
    MtlsField,
    DPoPKeyField,
    PrivateKeyJwtField,
    ClientSecretField,
    _AuthorizationFields,
    EndpointFields,
):
    """Push an authorization request to the server (RFC 9126 §2.1).

    Fields: ``address`` (the ``pushed_authorization_request_endpoint``), ``client_id``,
    ``redirect_uri``, ``scope``, ``response_type``, ``state``, ``nonce``,
    ``code_challenge``, ``code_challenge_method``, ``client_secret``, ``private_key_jwt``,
    ``dpop_key``, ``mtls``, ``response_mode``, ``client_auth_method``; then the keyword-only
    options of :class:`~py_identity_model.endpoints.options.ClientRequestOptions` and the
    authorization parameters below, encoded as by :class:`~py_identity_model.AuthorizeRequest`.

    Attributes:
        request: a request object (RFC 9101, :func:`~py_identity_model.create_request_object`)
            pushed instead of the parameters: the body is then ``client_id`` and ``request``
            only. The object carries every parameter alone, so setting another authorization
            parameter beside it is refused; ``redirect_uri``, ``scope`` and
            ``response_type`` (there by the 4.x field order) are not sent. A signed (not
            encrypted) object is read before the push: its ``client_id`` and ``iss`` must be
            the request's ``client_id`` and its ``redirect_uri`` the request's.
        dpop_jkt: the DPoP key thumbprint to bind the authorization code to (RFC 9449 §10):
            ``True`` sends the thumbprint of ``dpop_key`` (or of ``client``'s DPoP key), a
            string sends that thumbprint. The DPoP proof on the push binds the code anyway.
        authorization_details: RFC 9396 authorization details (``AuthorizationDetail`` values
            or objects with a string ``type``).

    ``client_id`` is always in the body, also with HTTP Basic authentication (RFC 9126 §2.1
    makes it an authorization parameter; servers such as oidc-provider require it).
    """

    _: KW_ONLY
    prompt: str | Sequence[str] | None = None
    max_age: int | None = None
    ui_locales: str | Sequence[str] | None = None
    claims_locales: str | Sequence[str] | None = None
    login_hint: str | None = None
    acr_values: str | Sequence[str] | None = None
    id_token_hint: str | None = None
    display: str | None = None
    claims: str | Mapping[str, Any] | None = None
    resource: str | Sequence[str] | None = None
    authorization_details: AuthorizationDetailsInput | None = None
    request: str | None = None
    dpop_jkt: str | bool | None = None

    repeatable_parameters: ClassVar[frozenset[str]] = frozenset({"resource"})

    @classmethod
    def from_authorize_request(
        cls,
        address: str,
        authorize: AuthorizeRequest,
        *,
        client: Client,
        policy: EndpointPolicy | None = None,
    ) -> PushedAuthorizationRequest:
        """Push what ``authorize`` would put in a URL (its ``extra`` as extra parameters)."""
        if authorize.redirect_uri is None:
            raise ConfigurationException("A pushed authorization request needs redirect_uri")
        if authorize.request_uri is not None:
            raise ConfigurationException("request_uri cannot be pushed (RFC 9126 §2.1)")
        return cls(
            address,
            authorize.client_id,
            authorize.redirect_uri,
            authorize.scope,
            authorize.response_type,
            authorize.state,
            authorize.nonce,
            authorize.code_challenge,
            authorize.code_challenge_method,
            response_mode=authorize.response_mode,
            prompt=authorize.prompt,
            max_age=authorize.max_age,
            ui_locales=authorize.ui_locales,
            claims_locales=authorize.claims_locales,
            login_hint=authorize.login_hint,
            acr_values=authorize.acr_values,
            id_token_hint=authorize.id_token_hint,
            display=authorize.display,
            claims=authorize.claims,
            resource=authorize.resource,
            authorization_details=authorize.authorization_details,
            request=authorize.request,
            dpop_jkt=authorize.dpop_jkt,
            parameters=_authorize_extra(authorize.extra),
            client=client,
            policy=policy,
        )

    def authorize_request(self) -> AuthorizeRequest:
        """The authorization request this pushes (without a request object)."""
        return AuthorizeRequest(
            client_id=self.client_id,
            redirect_uri=self.redirect_uri,
            response_type=self.response_type,
            scope=self.scope,
            state=self.state,
            nonce=self.nonce,
            response_mode=self.response_mode,
            code_challenge=self.code_challenge,
            code_challenge_method=self.code_challenge_method,
            prompt=self.prompt,
            max_age=self.max_age,
            ui_locales=self.ui_locales,
            claims_locales=self.claims_locales,
            login_hint=self.login_hint,
            acr_values=self.acr_values,
            id_token_hint=self.id_token_hint,
            display=self.display,
            claims=self.claims,
            resource=self.resource,
            authorization_details=self.authorization_details,
            dpop_jkt=self._dpop_thumbprint(),
        )

    def _dpop_thumbprint(self) -> str | None:
        value = self.dpop_jkt
        if value is None or value is False:
            return None
        if isinstance(value, str):
            if not value.strip():
                raise ConfigurationException("dpop_jkt must be a non-empty thumbprint")
            return value
        if value is not True:
            raise ConfigurationException("dpop_jkt must be True, a thumbprint string or None")
        key = self.dpop_key if self.dpop_key is not None else getattr(self.client, "dpop", None)
        thumbprint = getattr(key, "jwk_thumbprint", None)
        if not isinstance(thumbprint, str) or not thumbprint:
            raise ConfigurationException(
                "dpop_jkt=True needs a DPoP key with a jwk_thumbprint (dpop_key, or client's)"
            )
        return thumbprint

    def endpoint_parameters(self) -> Parameters:
        params = self._object_parameters() if self.request is not None else None
        if params is None:
            params = self.authorize_request().to_parameters()
        # Every other client authentication adds client_id itself (it may appear once).
        if not isinstance(self.resolved_client().auth, ClientSecretBasic):
            params.remove("client_id")
        return params

    def _object_parameters(self) -> Parameters:
        from ..jar.request_object import check_pushed_request_object

        given = [name for name in _OBJECT_ONLY if getattr(self, name) not in (None, False)]
        if given:
            raise ConfigurationException(
                f"request carries the authorization parameters alone: drop {given} "
                "(put them in the request object, RFC 9101 §4)"
            )
        check_pushed_request_object(
            self.request, client_id=self.client_id, redirect_uri=self.redirect_uri
        )
        assert self.request is not None
        return Parameters([("client_id", self.client_id), ("request", self.request)])

    def __repr__(self) -> str:
        text = redacted_repr(self, _HIDDEN)
        for name in ("parameters", "headers"):
            value = getattr(self, name)
            if isinstance(value, Mapping):
                text = text.replace(f"{name}={value!r}", f"{name}=<names {sorted(value)!r}>")
        return text


@dataclass(repr=False)
class PushedAuthorizationResponse(ProtocolResponse):
    """The answer of the PAR endpoint (RFC 9126 §2.2).

    ``request_uri`` is a one-time reference to the pushed request; send the browser to
    :meth:`authorization_url` (or :func:`build_par_authorization_url`) before it expires.
    ``expires_in`` is its lifetime in whole seconds and ``expires_at`` the epoch second it
    ends (from the time the answer arrived); :meth:`is_expired` says whether it is past.
    ``repr`` hides ``request_uri``.
    """

    request_uri: str | None = None
    expires_in: int | None = None
    _: KW_ONLY
    expires_at: float | None = None

    def is_expired(self, *, now: float | None = None, leeway: float = 0) -> bool:
        """Whether the ``request_uri`` can no longer be used (always True on failure).

        ``leeway`` counts it expired that many seconds early: the time a browser needs to
        reach the authorization endpoint.
        """
        if not self.is_successful or self.expires_at is None:
            return True
        current = time.time() if now is None else now
        return current + leeway >= self.expires_at

    def authorization_url(
        self,
        authorization_endpoint: str,
        client_id: str,
        *,
        policy: EndpointPolicy | None = None,
    ) -> str:
        """The authorization URL for this pushed request; raises
        :class:`~py_identity_model.FrontChannelConfigurationError` when the push failed or
        the ``request_uri`` has expired (push again: it is one-time and short-lived)."""
        if not self.is_successful or self.request_uri is None:
            raise FrontChannelConfigurationError(
                "The pushed authorization request failed: there is no request_uri"
            )
        if self.is_expired():
            raise FrontChannelConfigurationError(
                "The request_uri has expired (RFC 9126 §2.2): push the request again"
            )
        return build_par_authorization_url(
            authorization_endpoint, client_id, self.request_uri, policy=policy
        )

    def __repr__(self) -> str:
        return redacted_repr(self, SECRET_FIELDS | {"request_uri"})


def _authorize_extra(extra: Mapping[str, Any] | None) -> Parameters | None:
    """The front channel's extra parameters as a form (encoded by the same rules)."""
    if not extra:
        return None
    check_extra_names(extra)
    params = Parameters()
    for name, value in extra.items():
        add_parameter(params, name, value)
    return params


def request_uri_problem(value: Any) -> str | None:
    """Why ``value`` is not a usable ``request_uri`` (a URN, RFC 9126 §2.2), or None."""
    if not isinstance(value, str) or not value:
        return "request_uri must be a non-empty string"
    if len(value) > MAX_REQUEST_URI_LENGTH:
        return f"request_uri is longer than {MAX_REQUEST_URI_LENGTH} characters"
    if not value.isascii() or not value.isprintable() or " " in value:
        return "request_uri must be printable ASCII without spaces"
    nid, colon, nss = value[4:].partition(":")
    if value[:4].lower() != "urn:" or not nid or not colon or not nss:
        return "request_uri must be a URN (urn:<namespace>:<value>, RFC 9126 §2.2)"
    return None


def build_par_authorization_url(
    authorization_endpoint: str,
    client_id: str,
    request_uri: str,
    *,
    policy: EndpointPolicy | None = None,
) -> str:
    """The authorization URL of a pushed request: ``client_id`` and ``request_uri`` only
    (RFC 9126 §4); everything else was pushed.

    ``authorization_endpoint`` must pass the endpoint ``policy`` (HTTPS except on loopback
    by default). Raises :class:`~py_identity_model.FrontChannelConfigurationError` for an
    invalid endpoint, an empty ``client_id`` or a ``request_uri`` that is not a URN.
    """
    endpoint = check_endpoint(authorization_endpoint, "authorization_endpoint", policy)
    if not isinstance(client_id, str) or not client_id.strip():
        raise FrontChannelConfigurationError("client_id is required")
    problem = request_uri_problem(request_uri)
    if problem is not None:
        raise FrontChannelConfigurationError(problem)
    return build_url(endpoint, Parameters([("client_id", client_id), ("request_uri", request_uri)]))
