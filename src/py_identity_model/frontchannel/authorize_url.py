"""Authorization request URLs (RFC 6749 §4.1.1, OIDC Core §3.1.2.1).

:func:`build_authorization_url` is the py-identity-model 4.x function; :class:`AuthorizeRequest`
is the full, keyword-only form. Both share one set of rules:

* ``None`` omits a parameter; other values are sent as given, URL-encoded;
* an existing query on the endpoint is kept, and a parameter it already carries may not be
  added again (RFC 6749 §3.1: parameters MUST NOT repeat); the endpoint must be an absolute
  http(s) URL without a fragment;
* lists: ``scope``, ``response_type``, ``prompt``, ``ui_locales``, ``claims_locales`` and
  ``acr_values`` are joined with spaces; ``resource`` (RFC 8707) and unknown names repeat;
* ``claims`` (an object) and ``authorization_details`` (RFC 9396: an array of objects with a
  ``type``; a single object is sent as a one-element array) become compact JSON;
* ``max_age`` must be a non-negative integer;
* ``code_challenge`` and ``code_challenge_method`` come together (the method is never left
  for the server to default to ``plain``); ``request`` and ``request_uri`` exclude each other;
* back-channel credentials (``client_secret``, ``client_assertion``, ``code_verifier``, ...)
  are refused: they must never travel through the browser.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ..constants.oidc_parameters import AuthorizeRequest as _P
from ..constants.oidc_values import CodeChallengeMethods
from ..endpoints.policy import EndpointPolicy
from ..exceptions import FrontChannelConfigurationError
from ..rar.details import AuthorizationDetailsInput
from ..utils.parameters import Parameters
from ._params import (
    ParameterInput,
    add_parameter,
    build_url,
    check_endpoint,
    check_extra_names,
    check_redirect_uri,
    redacted_repr,
)

__all__ = ["AuthorizeRequest", "build_authorization_url"]

# Wire order: the 4.x order first (client_id ... code_challenge_method), then the rest.
_FIELD_ORDER = (
    _P.CLIENT_ID,
    _P.REDIRECT_URI,
    _P.SCOPE,
    _P.RESPONSE_TYPE,
    _P.STATE,
    _P.NONCE,
    _P.CODE_CHALLENGE,
    _P.CODE_CHALLENGE_METHOD,
    _P.RESPONSE_MODE,
    _P.PROMPT,
    _P.MAX_AGE,
    _P.UI_LOCALES,
    _P.CLAIMS_LOCALES,
    _P.LOGIN_HINT,
    _P.ACR_VALUES,
    _P.ID_TOKEN_HINT,
    _P.DISPLAY,
    _P.CLAIMS,
    _P.REQUEST,
    _P.REQUEST_URI,
    _P.RESOURCE,
    _P.AUTHORIZATION_DETAILS,
    _P.DPOP_KEY_THUMBPRINT,
)
# Each wire name is also the dataclass field name.
_FIELD_NAMES = frozenset(member.value for member in _FIELD_ORDER)
_PKCE_METHODS = frozenset({CodeChallengeMethods.S256.value, CodeChallengeMethods.PLAIN.value})
_HIDDEN = frozenset({"state", "nonce", "code_challenge", "id_token_hint", "login_hint", "request"})


def _is_blank(value: object) -> bool:
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return not value
    return value is None


@dataclass(frozen=True, kw_only=True, repr=False)
class AuthorizeRequest:
    """Every parameter of an authorization request; build it with :meth:`to_url`.

    ``to_parameters`` gives the same pairs as a :class:`~py_identity_model.Parameters`
    (for a pushed authorization request body, RFC 9126). ``extra`` carries further
    parameters; it may use a typed field's name only while that field is ``None``.
    ``repr`` hides ``state``, ``nonce``, ``code_challenge``, ``id_token_hint``,
    ``login_hint``, ``request`` and ``extra``.
    """

    client_id: str
    redirect_uri: str | None = None
    response_type: str | Sequence[str] = "code"
    scope: str | Sequence[str] | None = "openid"
    state: str | None = None
    nonce: str | None = None
    response_mode: str | None = None
    code_challenge: str | None = None
    code_challenge_method: str | CodeChallengeMethods | None = None
    prompt: str | Sequence[str] | None = None
    max_age: int | None = None
    ui_locales: str | Sequence[str] | None = None
    claims_locales: str | Sequence[str] | None = None
    login_hint: str | None = None
    acr_values: str | Sequence[str] | None = None
    id_token_hint: str | None = None
    display: str | None = None
    claims: str | Mapping[str, Any] | None = None
    request: str | None = None
    request_uri: str | None = None
    resource: str | Sequence[str] | None = None
    authorization_details: AuthorizationDetailsInput | None = None
    dpop_jkt: str | None = None
    extra: Mapping[str, ParameterInput] | None = None

    def _validate(self) -> None:
        for name in (_P.CLIENT_ID.value, _P.RESPONSE_TYPE.value):
            if _is_blank(getattr(self, name)):
                raise FrontChannelConfigurationError(f"Parameter is required: {name}")
        if (self.code_challenge is None) != (self.code_challenge_method is None):
            raise FrontChannelConfigurationError(
                "code_challenge and code_challenge_method must be given together "
                "(without a method the server would assume 'plain', RFC 7636 §4.3)"
            )
        method = self.code_challenge_method
        if isinstance(method, Enum):
            method = method.value
        if method is not None and method not in _PKCE_METHODS:
            raise FrontChannelConfigurationError(
                f"Unsupported code_challenge_method {method!r}: use 'S256' (or 'plain')"
            )
        if self.request is not None and self.request_uri is not None:
            raise FrontChannelConfigurationError(
                "request and request_uri must not both be used (OIDC Core §6)"
            )
        if self.redirect_uri is not None:
            check_redirect_uri(self.redirect_uri)
            if "#" in self.redirect_uri:
                raise FrontChannelConfigurationError(
                    "redirect_uri must not contain a fragment (RFC 6749 §3.1.2)"
                )
        extra = self.extra or {}
        check_extra_names(extra)
        clashes = sorted(
            name for name in extra if name in _FIELD_NAMES and getattr(self, name) is not None
        )
        if clashes:
            raise FrontChannelConfigurationError(
                f"extra repeats parameters already set: {', '.join(clashes)}"
            )

    def to_parameters(self) -> Parameters:
        """The request's parameters, in wire order; raises on an invalid combination."""
        self._validate()
        params = Parameters()
        for member in _FIELD_ORDER:
            add_parameter(params, member.value, getattr(self, member.value))
        for name, value in (self.extra or {}).items():
            add_parameter(params, name, value)
        return params

    def to_url(self, authorization_endpoint: str, *, policy: EndpointPolicy | None = None) -> str:
        """The URL to send the user agent to.

        ``authorization_endpoint`` must pass the endpoint ``policy`` (HTTPS except on
        loopback by default), as every URL the library calls or builds does.
        """
        endpoint = check_endpoint(authorization_endpoint, "authorization_endpoint", policy)
        return build_url(endpoint, self.to_parameters())

    def __repr__(self) -> str:
        return redacted_repr(self, _HIDDEN | {"extra"})


def build_authorization_url(  # noqa: PLR0917  (the positional 4.x signature)
    authorization_endpoint: str,
    client_id: str,
    redirect_uri: str,
    scope: str | Sequence[str] = "openid",
    response_type: str | Sequence[str] = "code",
    state: str | None = None,
    nonce: str | None = None,
    code_challenge: str | None = None,
    code_challenge_method: str | CodeChallengeMethods | None = None,
    **extra_params: ParameterInput,
) -> str:
    """Build an authorization endpoint URL (the py-identity-model 4.x signature).

    Parameters appear in argument order, then ``extra_params`` in the order given; see the
    module documentation for how values are encoded. Raises
    :class:`~py_identity_model.frontchannel.FrontChannelConfigurationError` (a
    ``ConfigurationException`` and a ``ValueError``) for an invalid endpoint or argument.
    """
    request = AuthorizeRequest(
        client_id=client_id,
        redirect_uri=redirect_uri,
        scope=scope,
        response_type=response_type,
        state=state,
        nonce=nonce,
        code_challenge=code_challenge,
        code_challenge_method=code_challenge_method,
        extra=extra_params,
    )
    return request.to_url(authorization_endpoint)
