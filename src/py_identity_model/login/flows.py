"""The two legs of an OpenID Connect login, written once as flows.

``prepare_login_flow``: discovery → authorize URL with state, nonce and PKCE (S256).
``process_response_flow``: parse the callback → check ``iss`` (RFC 9207) and ``state`` →
redeem the code → validate the ID token (signature always, nonce, at_hash, auth_time) →
optionally load UserInfo with the access token (its ``sub`` must be the ID token's, OIDC
Core §5.3.4) and merge its claims → claims and principal. Failures become an unsuccessful
:class:`LoginResult`.
"""

from __future__ import annotations

from typing import Any

from ..discovery.models import DiscoveryDocumentResponse
from ..errors import ErrorCodes, ErrorType
from ..exceptions import DiscoveryException, NetworkException, PyIdentityModelException
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
from ..http.results import Failure
from ..identity import to_principal
from ..jose import ASYMMETRIC_ALGORITHMS, SYMMETRIC_ALGORITHMS
from ..mtls.aliases import endpoint_for_client
from ..tokens.flow import token_request_flow
from ..tokens.models import AuthorizationCodeTokenRequest, AuthorizationCodeTokenResponse
from ..userinfo.flow import userinfo_flow
from ..userinfo.models import UserInfoRequest, UserInfoResponse
from ..utils.random import random_token
from ..validation.config import TokenValidationConfig, compiled
from ..validation.flow import validation_flow
from ..validation.id_token import IdTokenExpectations
from ..validation.key_source import RemoteKeySource
from ..validation.operations import id_token_check
from .jarm import jarm_callback_flow
from .models import AuthorizeState, LoginResult, OidcClientOptions
from .par import authorization_url_flow

__all__ = ["prepare_login_flow", "process_response_flow"]

_CALLBACK_ERRORS = {
    AuthorizeCallbackValidationResult.STATE_MISMATCH: ErrorCodes.INVALID_STATE,
    AuthorizeCallbackValidationResult.MISSING_STATE: ErrorCodes.INVALID_STATE,
    AuthorizeCallbackValidationResult.ISSUER_MISMATCH: ErrorCodes.ISSUER_MISMATCH,
    AuthorizeCallbackValidationResult.MISSING_ISSUER: ErrorCodes.MISSING_ISSUER,
}
# OIDC Core §3.1.3.3, RFC 6749 §7.1: a login yields a Bearer token (DPoP-bound: DPoP).
_TOKEN_TYPES = frozenset({"bearer"})
_TOKEN_TYPE_NAMES = {"bearer": "Bearer", "dpop": "DPoP"}


def _failed(
    code: str,
    message: str,
    description: str | None = None,
    error_type: ErrorType | None = None,
    **extra: Any,
) -> LoginResult:
    failure = Failure(code, message, error_description=description, error_type=error_type)
    return LoginResult.from_failure(failure, **extra)


def _discovery(source: RemoteKeySource) -> Flow[DiscoveryDocumentResponse]:
    disco: DiscoveryDocumentResponse = source.discovery.peek() or (yield Fetch(source.discovery))
    return disco


def prepare_login_flow(
    options: OidcClientOptions, source: RemoteKeySource, extra: dict[str, Any]
) -> Flow[AuthorizeState]:
    """Build the authorize URL; raises DiscoveryException when metadata is unavailable."""
    disco = yield from _discovery(source)
    if not disco.is_successful or not disco.authorization_endpoint:
        raise DiscoveryException(
            f"Discovery failed: {disco.error or 'no authorization_endpoint'}",
            url=source.address,
            status_code=disco.http_status,
            error_code=disco.error_code if not disco.is_successful else ErrorCodes.MISSING_FIELDS,
        )
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
        dpop_jkt=_dpop_thumbprint(options),
        extra={**options.extra_parameters, **extra},
    )
    url = yield from authorization_url_flow(options, disco, request)  # by value, or PAR
    return AuthorizeState(url, state, nonce, verifier, options.redirect_uri, max_age)


def _dpop_thumbprint(options: OidcClientOptions) -> str | None:
    # RFC 9449 §10: bind the authorization code to the DPoP key, so a stolen code cannot
    # be redeemed with another key (a prover without a thumbprint sends none).
    thumbprint = getattr(options.dpop_key, "jwk_thumbprint", None)
    return thumbprint if isinstance(thumbprint, str) and thumbprint else None


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
    if options.uses_jarm:  # the signed response JWT, verified first (JARM §2.4)
        verified = yield from jarm_callback_flow(options, source, callback)
        if isinstance(verified, LoginResult):
            return verified
        response = verified
    else:
        response = parse_authorize_callback_response(callback)
    if response.malformed:
        # Refused by the parser, before anything is asked of the provider: not its error.
        return _failed(
            ErrorCodes.INVALID_CALLBACK, "The callback is malformed", response.error_description
        )
    disco = yield from _discovery(source)
    if not disco.is_successful or not disco.issuer or not disco.token_endpoint:
        if disco.is_successful:
            return _failed(
                ErrorCodes.MISSING_FIELDS,
                "Discovery failed",
                "the provider's metadata has no token_endpoint",
                ErrorType.INVALID_RESPONSE,
            )
        return _failed(
            disco.error_code or ErrorCodes.NETWORK_ERROR,
            "Discovery failed",
            disco.error,
            disco.error_type,
        )
    issuer_check = validate_authorize_callback_issuer(
        response,
        disco.issuer,
        # FAPI 2.0 SP §5.3.2.2: iss is checked on every response (not only when advertised).
        iss_parameter_supported=bool(disco.authorization_response_iss_parameter_supported)
        or options.fapi is not None,
    )
    if not issuer_check.is_valid and issuer_check.result in _CALLBACK_ERRORS:
        code = _CALLBACK_ERRORS[issuer_check.result]
        message = (
            "The callback has no iss parameter, which the provider promises (RFC 9207)"
            if code == ErrorCodes.MISSING_ISSUER
            else "The callback's issuer is not the provider's (RFC 9207)"
        )
        return _failed(code, message, issuer_check.error_description)
    if not response.is_successful:
        # An error the provider sent (access_denied, login_required, ...): its own code.
        code = response.error or ErrorCodes.INVALID_CALLBACK
        return _failed(code, code, response.error_description, ErrorType.PROTOCOL)
    state_check = validate_authorize_callback_state(response, state.state)
    if not state_check.is_valid:
        return _failed(
            ErrorCodes.INVALID_STATE,
            "The callback's state is not the one of this login",
            state_check.error_description,
        )
    if not response.code:
        return _failed(ErrorCodes.INVALID_CALLBACK, "The callback carries no authorization code")

    client = options.resolved_client()
    token_endpoint = endpoint_for_client(disco, "token_endpoint", client) or disco.token_endpoint
    token_request = AuthorizationCodeTokenRequest(
        token_endpoint,
        options.client_id,
        response.code,
        state.redirect_uri,
        state.code_verifier,
        client=client,
        resource=options.resource,
        policy=options.endpoint_policy,
    )
    tokens = yield from token_request_flow(token_request, AuthorizationCodeTokenResponse)
    if not tokens.is_successful:
        return LoginResult.from_failure(tokens.to_failure(), token_response=tokens)
    token_type = tokens.token_type or ""
    accepted = _token_types(options, client)
    if token_type.lower() not in accepted:
        wanted = " or ".join(_TOKEN_TYPE_NAMES[name] for name in sorted(accepted))
        where = "OIDC Core §3.1.3.3" + (", RFC 9449 §5" if "dpop" in accepted else "")
        return _failed(
            ErrorCodes.INVALID_TOKEN_TYPE,
            f"The token response's token_type {token_type[:32]!r} is not {wanted} ({where})",
            error_type=ErrorType.INVALID_RESPONSE,
        )
    if not tokens.id_token:
        return _failed(
            ErrorCodes.MISSING_FIELDS,
            "The token response has no id_token",
            error_type=ErrorType.INVALID_RESPONSE,
        )

    algorithms = _id_token_algorithms(options, disco)
    config = TokenValidationConfig(
        perform_disco=True,
        audience=options.client_id,
        algorithms=algorithms,
        leeway=options.clock_skew,
        client_secret=options.client_secret if set(algorithms) & SYMMETRIC_ALGORITHMS else None,
    )
    expected = IdTokenExpectations(
        nonce=state.nonce,
        access_token=tokens.access_token,
        code=response.code,
        max_age=state.max_age,
    )
    check = id_token_check(options.client_id, expected)
    try:
        claims = yield from validation_flow(tokens.id_token, compiled(config), source, check)
    except NetworkException as exc:  # discovery or JWKS unavailable: not the token's fault
        return _failed(
            ErrorCodes.INVALID_ID_TOKEN,
            "The keys to verify the ID token are unavailable",
            str(exc),
            ErrorType.NETWORK,
        )
    except PyIdentityModelException as exc:
        return _failed(
            ErrorCodes.INVALID_ID_TOKEN, f"The ID token was rejected ({exc.code})", str(exc)
        )
    user_info: UserInfoResponse | None = None
    merged = claims
    if _wants_user_info(options, disco):
        if not disco.userinfo_endpoint:
            return _failed(
                ErrorCodes.MISSING_FIELDS,
                "The provider's metadata has no userinfo_endpoint (load_user_info=True)",
                error_type=ErrorType.INVALID_RESPONSE,
            )
        assert tokens.access_token is not None  # required by the token response parser
        request = UserInfoRequest(
            endpoint_for_client(disco, "userinfo_endpoint", client) or disco.userinfo_endpoint,
            tokens.access_token,
            claims["sub"],
            # A DPoP-bound token is presented with a proof (RFC 9449 §7).
            dpop_key=options.dpop_key if token_type.lower() == "dpop" else None,
            mtls=client.client_certificate,
            client_id=options.client_id,
            jwt_response=options.user_info_validation,
            policy=options.endpoint_policy,
        )
        user_info = yield from userinfo_flow(request)
        if not user_info.is_successful:
            return LoginResult.from_failure(user_info.to_failure(), user_info=user_info)
        merged = merge_user_info_claims(claims, user_info.claims or {})
    return LoginResult(
        True,
        None,
        claims=merged,
        principal=to_principal(merged, authentication_type="OpenIdConnect"),
        token_response=tokens,
        id_token_claims=claims,
        user_info=user_info,
    )


PROTOCOL_CLAIMS = frozenset(
    {
        "iss", "aud", "sub", "exp", "iat", "nbf", "nonce", "at_hash", "c_hash", "s_hash",
        "auth_time", "acr", "amr", "azp", "sid", "jti",
    }
)  # fmt: skip
"""Claims that only the ID token speaks for: never taken from UserInfo."""


def merge_user_info_claims(
    id_token_claims: dict[str, Any], user_info_claims: dict[str, Any]
) -> dict[str, Any]:
    """The user's claims: the ID token's, then each UserInfo claim it does not have.

    As Duende's OidcClient: the ID token is the verified statement of the authentication,
    so UserInfo adds profile claims but never replaces one, nor supplies a protocol claim.
    """
    merged = dict(id_token_claims)
    for name, value in user_info_claims.items():
        if name not in PROTOCOL_CLAIMS and name not in merged:
            merged[name] = value
    return merged


def _wants_user_info(options: OidcClientOptions, disco: DiscoveryDocumentResponse) -> bool:
    if options.load_user_info is None:
        return bool(disco.userinfo_endpoint)
    return options.load_user_info


def _token_types(options: OidcClientOptions, client: Any) -> frozenset[str]:
    if options.dpop_key is None:
        return _TOKEN_TYPES
    # FAPI 2.0 SP §5.3.2.1: a DPoP client's tokens must be sender-constrained; an
    # unbound Bearer token is refused unless the client also presents a certificate
    # (then the token is certificate-bound, RFC 8705 §3).
    if options.fapi is not None and client.client_certificate is None:
        return frozenset({"dpop"})
    return frozenset({"dpop", "bearer"})


def _id_token_algorithms(options: OidcClientOptions, disco: DiscoveryDocumentResponse) -> list[str]:
    if options.id_token_algorithms:
        return list(options.id_token_algorithms)
    advertised = [
        alg
        for alg in (disco.id_token_signing_alg_values_supported or [])
        if alg in ASYMMETRIC_ALGORITHMS
    ]
    if options.fapi is not None:  # FAPI 2.0 SP §5.4.1: PS256, ES256, EdDSA only
        return options.fapi.allowed(advertised) or options.fapi.allowed(None)
    return advertised or ["RS256"]
