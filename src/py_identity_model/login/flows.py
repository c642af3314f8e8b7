"""The two legs of an OpenID Connect login, written once as flows.

``prepare_login_flow``: discovery → authorize URL with state, nonce and PKCE (S256).
``process_response_flow``: parse the callback → check ``iss`` (RFC 9207) and ``state`` →
redeem the code → validate the ID token (signature always, nonce, at_hash, auth_time) →
claims and principal. Failures become an unsuccessful :class:`LoginResult`.
"""

from __future__ import annotations

from typing import Any

from ..discovery.models import DiscoveryDocumentResponse
from ..exceptions import NetworkException, PyIdentityModelException
from ..frontchannel import (
    AuthorizeCallbackValidationResult,
    AuthorizeRequest,
    generate_pkce_pair,
    parse_authorize_callback_response,
    validate_authorize_callback_issuer,
    validate_authorize_callback_state,
)
from ..http.flow import Flow
from ..http.messages import Fetch
from ..http.results import ErrorType, Failure
from ..identity import to_principal
from ..jose import ASYMMETRIC_ALGORITHMS
from ..tokens.flow import token_request_flow
from ..tokens.models import AuthorizationCodeTokenRequest, AuthorizationCodeTokenResponse
from ..utils.random import random_token
from ..validation.config import TokenValidationConfig, compiled
from ..validation.flow import validation_flow
from ..validation.key_source import RemoteKeySource
from ..validation.validator import id_token_check
from .models import AuthorizeState, LoginResult, OidcClientOptions

__all__ = ["prepare_login_flow", "process_response_flow"]

_CALLBACK_ERRORS = {
    AuthorizeCallbackValidationResult.STATE_MISMATCH: "invalid_state",
    AuthorizeCallbackValidationResult.MISSING_STATE: "invalid_state",
    AuthorizeCallbackValidationResult.ISSUER_MISMATCH: "issuer_mismatch",
    AuthorizeCallbackValidationResult.MISSING_ISSUER: "missing_issuer",
}


def _failed(
    error: str, description: str | None, error_type: ErrorType, **extra: Any
) -> LoginResult:
    return LoginResult.from_failure(
        Failure(error, error_type, error_description=description), **extra
    )


def _discovery(source: RemoteKeySource) -> Flow[DiscoveryDocumentResponse]:
    disco: DiscoveryDocumentResponse = source.discovery.peek() or (yield Fetch(source.discovery))
    return disco


def prepare_login_flow(
    options: OidcClientOptions, source: RemoteKeySource, extra: dict[str, Any]
) -> Flow[AuthorizeState]:
    """Build the authorize URL; raises DiscoveryException when metadata is unavailable."""
    disco = yield from _discovery(source)
    if not disco.is_successful or not disco.authorization_endpoint:
        from ..exceptions import DiscoveryException

        raise DiscoveryException(f"Discovery failed: {disco.error or 'no authorization_endpoint'}")
    state, nonce = random_token(), random_token()
    verifier, challenge = generate_pkce_pair()
    max_age = extra.pop("max_age", options.max_age)
    request = AuthorizeRequest(
        client_id=options.client_id,
        redirect_uri=options.redirect_uri,
        scope=options.scope,
        response_type="code",
        state=state,
        nonce=nonce,
        code_challenge=challenge,
        code_challenge_method="S256",
        response_mode=options.response_mode,
        max_age=max_age,
        prompt=extra.pop("prompt", options.prompt),
        ui_locales=extra.pop("ui_locales", options.ui_locales),
        acr_values=extra.pop("acr_values", options.acr_values),
        login_hint=extra.pop("login_hint", options.login_hint),
        resource=_as_list(options.resource),
        extra={**options.extra_parameters, **extra},
    )
    url = request.to_url(disco.authorization_endpoint)
    return AuthorizeState(url, state, nonce, verifier, options.redirect_uri, max_age)


def _as_list(value: str | Any | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def process_response_flow(
    options: OidcClientOptions,
    source: RemoteKeySource,
    callback: str | bytes,
    state: AuthorizeState,
) -> Flow[LoginResult]:
    """Complete a login from the callback the browser brought back."""
    response = parse_authorize_callback_response(callback)
    disco = yield from _discovery(source)
    if not disco.is_successful or not disco.issuer or not disco.token_endpoint:
        return _failed("discovery_failed", disco.error, disco.error_type or ErrorType.NETWORK)
    issuer_check = validate_authorize_callback_issuer(
        response,
        disco.issuer,
        iss_parameter_supported=bool(disco.authorization_response_iss_parameter_supported),
    )
    if not issuer_check.is_valid and issuer_check.result in _CALLBACK_ERRORS:
        return _failed(
            _CALLBACK_ERRORS[issuer_check.result], issuer_check.error_description, ErrorType.POLICY
        )
    if not response.is_successful:
        # An error the provider sent (access_denied, login_required, ...).
        return _failed(
            response.error or "invalid_callback", response.error_description, ErrorType.PROTOCOL
        )
    state_check = validate_authorize_callback_state(response, state.state)
    if not state_check.is_valid:
        return _failed("invalid_state", state_check.error_description, ErrorType.POLICY)
    if not response.code:
        return _failed(
            "invalid_callback", "the callback carries no authorization code", ErrorType.PROTOCOL
        )

    token_request = AuthorizationCodeTokenRequest(
        disco.token_endpoint,
        options.client_id,
        response.code,
        state.redirect_uri,
        state.code_verifier,
        options.client_secret,
        private_key_jwt=options.private_key_jwt,
        client_auth_method=options.client_auth_method,
        resource=options.resource,
    )
    tokens = yield from token_request_flow(token_request, AuthorizationCodeTokenResponse)
    if not tokens.is_successful:
        return LoginResult(
            False,
            tokens.error,
            error_description=tokens.error_description,
            error_type=tokens.error_type,
            http_status=tokens.http_status,
            raw=tokens.raw,
            json=tokens.json,
            token_response=tokens,
        )
    if not tokens.id_token:
        return _failed(
            "invalid_id_token", "the token response has no id_token", ErrorType.INVALID_RESPONSE
        )

    config = TokenValidationConfig(
        perform_disco=True,
        audience=options.client_id,
        algorithms=_id_token_algorithms(options, disco),
        leeway=options.clock_skew,
    )
    access_token = tokens.access_token

    check = id_token_check(
        client_id=options.client_id,
        nonce=state.nonce,
        access_token=access_token,
        code=response.code,
        max_age=state.max_age,
    )

    try:
        claims = yield from validation_flow(tokens.id_token, compiled(config), source, check)
    except NetworkException as exc:  # discovery or JWKS unavailable: not the token's fault
        return _failed("invalid_id_token", str(exc), ErrorType.NETWORK, token_response=None)
    except PyIdentityModelException as exc:
        return _failed("invalid_id_token", str(exc), ErrorType.POLICY, token_response=None)
    return LoginResult(
        True,
        None,
        claims=claims,
        principal=to_principal(claims, authentication_type="OpenIdConnect"),
        token_response=tokens,
    )


def _id_token_algorithms(options: OidcClientOptions, disco: DiscoveryDocumentResponse) -> list[str]:
    if options.id_token_algorithms:
        return list(options.id_token_algorithms)
    advertised = [
        alg
        for alg in (disco.id_token_signing_alg_values_supported or [])
        if alg in ASYMMETRIC_ALGORITHMS
    ]
    return advertised or ["RS256"]
