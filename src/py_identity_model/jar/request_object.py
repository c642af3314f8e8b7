"""Signed request objects (RFC 9101) and the authorization URL that carries one.

:func:`create_request_object` signs the authorization request as a JWT (``typ``
``oauth-authz-req+jwt``, RFC 9101 §10.8) with the client's key: ``iss`` and ``client_id``
are the client, ``aud`` the authorization server's issuer, ``iat``/``nbf``/``exp`` bound
its life (five minutes by default, at most an hour) and ``jti`` makes it unique. Signing
goes through the JOSE registry (:func:`~py_identity_model.jose.sign_compact`); the key is
loaded as :class:`~py_identity_model.PrivateKeyJwt` loads its own (PEM, JWK ``dict`` or
:class:`~py_identity_model.JsonWebKey`).

:func:`build_jar_authorization_url` puts the object in the URL by value. The URL
duplicates nothing the object must carry alone: ``client_id`` and ``request`` only, plus
``scope`` and ``response_type`` when the caller asks for them (OpenID Connect requires them
in the query, OIDC Core §6.1; the server then uses the object's values, RFC 9101 §5).
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from enum import Enum
from typing import Any

from ..constants.oidc_values import CodeChallengeMethods
from ..endpoints.client_auth import PrivateKeyJwt
from ..endpoints.policy import EndpointPolicy
from ..exceptions import (
    ConfigurationException,
    FrontChannelConfigurationError,
    PyIdentityModelException,
)
from ..frontchannel._params import add_parameter, build_url, check_endpoint, check_extra_names
from ..frontchannel.authorize_url import AuthorizeRequest
from ..jose import JsonWebKey, parse_compact, sign_compact
from ..rar.details import authorization_details_list
from ..utils.parameters import Parameters
from ..utils.random import random_id

__all__ = [
    "MAX_REQUEST_OBJECT_LIFETIME",
    "REQUEST_OBJECT_TYPE",
    "build_jar_authorization_url",
    "check_pushed_request_object",
    "create_request_object",
]

REQUEST_OBJECT_TYPE = "oauth-authz-req+jwt"
"""The ``typ`` of a request object (RFC 9101 §10.8)."""

MAX_REQUEST_OBJECT_LIFETIME = 3600
"""The longest ``lifetime`` accepted (FAPI 2.0 Message Signing: ``exp`` at most 60 minutes
after ``nbf``)."""

_MAX_REQUEST_OBJECT_LENGTH = 64 * 1024
_COMPACT = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2}(?:\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+)?")
_REGISTERED = frozenset({"iss", "aud", "iat", "nbf", "exp", "jti", "client_id"})
_NESTED = frozenset({"request", "request_uri"})  # RFC 9101 §4: never inside an object
_SPACE_DELIMITED = frozenset({"prompt", "ui_locales", "claims_locales", "acr_values"})


def _signing_key(
    private_key: str | bytes | dict[str, Any] | JsonWebKey, algorithm: str, kid: str | None
) -> JsonWebKey:
    try:
        return PrivateKeyJwt(private_key, algorithm, kid=kid).signing_key()
    except ConfigurationException as exc:
        message = str(exc).removeprefix("PrivateKeyJwt: ").replace("PrivateKeyJwt", "it")
        raise ConfigurationException(f"create_request_object: {message}") from None


def _joined(name: str, value: Any) -> Any:
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, (list, tuple)):
        items = [item.value if isinstance(item, Enum) else item for item in value]
        if not all(isinstance(item, str) for item in items):
            raise ConfigurationException(f"{name} must be a string or a list of strings")
        return " ".join(items)
    return value


def _claim_value(name: str, value: Any) -> Any:
    if name == "authorization_details":
        return authorization_details_list(value)
    if name == "max_age":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigurationException("max_age must be a non-negative integer")
        return value
    if name in _SPACE_DELIMITED:
        return _joined(name, value)
    return value.value if isinstance(value, Enum) else value


def _extra(extra_claims: dict[str, Any]) -> dict[str, Any]:
    reserved = sorted((_REGISTERED | _NESTED).intersection(extra_claims))
    if reserved:
        raise ConfigurationException(
            f"create_request_object sets {reserved} itself (request and request_uri never go "
            "inside a request object, RFC 9101 §4)"
        )
    check_extra_names(extra_claims)
    claims: dict[str, Any] = {}
    for name, given in extra_claims.items():
        if given is not None:
            claims[name] = _claim_value(name, given)
    return claims


def create_request_object(  # noqa: PLR0917  (the positional 4.x signature)
    private_key: str | bytes | dict[str, Any] | JsonWebKey,
    algorithm: str,
    client_id: str,
    audience: str,
    redirect_uri: str,
    scope: str | Sequence[str] = "openid",
    response_type: str | Sequence[str] = "code",
    state: str | None = None,
    nonce: str | None = None,
    code_challenge: str | None = None,
    code_challenge_method: str | CodeChallengeMethods | None = None,
    lifetime: int = 300,
    kid: str | None = None,
    **extra_claims: Any,
) -> str:
    """A signed request object (RFC 9101 §4) for an authorization request.

    ``audience`` is the authorization server's issuer identifier. ``extra_claims`` adds
    further authorization parameters as JSON values (``prompt``, ``max_age`` as a number,
    ``claims`` as an object, ``authorization_details`` as a list of objects, ``resource``,
    ``dpop_jkt``, ...); ``None`` omits one. The parameter rules are the authorize URL's
    (PKCE challenge and method together, a safe ``redirect_uri``, no back-channel
    credentials); the registered claims (``iss``, ``aud``, ``iat``, ``nbf``, ``exp``,
    ``jti``, ``client_id``) and ``request``/``request_uri`` may not be given.

    Raises :class:`~py_identity_model.ConfigurationException` for an unusable key, an
    algorithm that does not fit it (or ``none``), a bad lifetime or parameter.
    """
    if not isinstance(algorithm, str) or not algorithm:
        raise ConfigurationException("algorithm must be a JWS algorithm name such as PS256")
    if isinstance(lifetime, bool) or not isinstance(lifetime, int):
        raise ConfigurationException("lifetime must be a whole number of seconds")
    if not 1 <= lifetime <= MAX_REQUEST_OBJECT_LIFETIME:
        raise ConfigurationException(
            f"lifetime must be from 1 to {MAX_REQUEST_OBJECT_LIFETIME} seconds"
        )
    if not isinstance(audience, str) or not audience.strip():
        raise ConfigurationException("audience (the authorization server's issuer) is required")
    # The authorize URL's rules for the typed parameters (raises on misuse).
    AuthorizeRequest(
        client_id=client_id,
        redirect_uri=redirect_uri,
        response_type=response_type,
        scope=scope,
        state=state,
        nonce=nonce,
        code_challenge=code_challenge,
        code_challenge_method=code_challenge_method,
    ).to_parameters()
    extra = _extra(extra_claims)
    key = _signing_key(private_key, algorithm, kid)
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": client_id,
        "aud": audience,
        "client_id": client_id,
        "iat": now,
        "nbf": now,
        "exp": now + lifetime,
        "jti": random_id(),
        "response_type": _joined("response_type", response_type),
        "redirect_uri": redirect_uri,
    }
    for name, value in (
        ("scope", _joined("scope", scope)),
        ("state", state),
        ("nonce", nonce),
        ("code_challenge", code_challenge),
        ("code_challenge_method", _joined("code_challenge_method", code_challenge_method)),
    ):
        if value is not None:
            claims[name] = value
    claims.update(extra)
    headers: dict[str, Any] = {"typ": REQUEST_OBJECT_TYPE}
    if kid or key.kid:
        headers["kid"] = kid or key.kid
    try:
        return sign_compact(claims, key, algorithm, headers=headers)
    except ConfigurationException:
        raise
    except PyIdentityModelException as exc:
        raise ConfigurationException(f"create_request_object: cannot sign: {exc}") from None


def _check_compact(request_object: object, error: type[ConfigurationException]) -> str:
    if (
        not isinstance(request_object, str)
        or len(request_object) > _MAX_REQUEST_OBJECT_LENGTH
        or not _COMPACT.fullmatch(request_object)
    ):
        raise error(
            "request_object must be a compact JWS or JWE (create_request_object, "
            "encrypt_request_object)"
        )
    return request_object


def check_pushed_request_object(
    request_object: object, *, client_id: str, redirect_uri: str
) -> None:
    """Refuse a request object that cannot be the one meant: not compact, unsigned, or
    (when it is signed but not encrypted, so readable) issued for another client or
    redirect URI (RFC 9101 §5: ``client_id`` and ``iss`` are the client)."""
    token = _check_compact(request_object, ConfigurationException)
    if token.count(".") != 2:
        return  # encrypted: only the server can read it
    try:
        claims = parse_compact(token).claims or {}
    except PyIdentityModelException as exc:
        raise ConfigurationException(f"request must be a signed request object: {exc}") from None
    for name in ("client_id", "iss"):
        if name in claims and claims[name] != client_id:
            raise ConfigurationException(f"the request object's {name} is not the client_id")
    if "redirect_uri" in claims and claims["redirect_uri"] != redirect_uri:
        raise ConfigurationException("the request object's redirect_uri is not redirect_uri")


def build_jar_authorization_url(
    authorization_endpoint: str,
    client_id: str,
    request_object: str,
    scope: str | Sequence[str] | None = None,
    response_type: str | Sequence[str] | None = None,
    *,
    policy: EndpointPolicy | None = None,
) -> str:
    """The authorization URL carrying ``request_object`` by value (RFC 9101 §5.1).

    Only ``client_id`` and ``request`` are sent, and ``scope``/``response_type`` when given
    (OpenID Connect wants them in the query as well; they must equal the object's).
    ``authorization_endpoint`` must pass the endpoint ``policy``. Raises
    :class:`~py_identity_model.FrontChannelConfigurationError` for an invalid endpoint, an
    empty ``client_id`` or a value that is not a compact JWS/JWE.
    """
    endpoint = check_endpoint(authorization_endpoint, "authorization_endpoint", policy)
    if not isinstance(client_id, str) or not client_id.strip():
        raise FrontChannelConfigurationError("client_id is required")
    token = _check_compact(request_object, FrontChannelConfigurationError)
    params = Parameters([("client_id", client_id), ("request", token)])
    add_parameter(params, "scope", scope)
    add_parameter(params, "response_type", response_type)
    return build_url(endpoint, params)
