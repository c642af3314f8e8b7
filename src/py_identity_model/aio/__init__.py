"""The async API: ``async def`` twins of every I/O function, plus all model classes.

Usage: ``from py_identity_model import aio`` then
``await aio.get_discovery_document(req)``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .._exports import ASYNC as _EXPORTS

if TYPE_CHECKING:
    from py_identity_model.aio.ciba import (
        poll_backchannel_token as poll_backchannel_token,
        request_backchannel_authentication as request_backchannel_authentication,
        wait_for_backchannel_token as wait_for_backchannel_token,
    )
    from py_identity_model.aio.device import (
        poll_device_token as poll_device_token,
        request_device_authorization as request_device_authorization,
        wait_for_device_token as wait_for_device_token,
    )
    from py_identity_model.aio.discovery import (
        get_discovery_document as get_discovery_document,
    )
    from py_identity_model.aio.introspection import (
        introspect_token as introspect_token,
    )
    from py_identity_model.aio.jwks import (
        get_jwks as get_jwks,
    )
    from py_identity_model.aio.registration import (
        delete_client as delete_client,
        read_client as read_client,
        register_client as register_client,
        update_client as update_client,
    )
    from py_identity_model.aio.resource_metadata import (
        discover_authorization_server as discover_authorization_server,
        get_protected_resource_metadata as get_protected_resource_metadata,
    )
    from py_identity_model.aio.revocation import (
        revoke_token as revoke_token,
    )
    from py_identity_model.aio.tokens import (
        exchange_token as exchange_token,
        refresh_token as refresh_token,
        request_authorization_code_token as request_authorization_code_token,
        request_client_credentials_token as request_client_credentials_token,
        request_jwt_bearer_token as request_jwt_bearer_token,
        request_password_token as request_password_token,
        request_token as request_token,
    )
    from py_identity_model.aio.userinfo import (
        get_userinfo as get_userinfo,
    )
    from py_identity_model.aio.validation import (
        validate_id_token as validate_id_token,
        validate_logout_token as validate_logout_token,
        validate_token as validate_token,
    )
    from py_identity_model.ciba.models import (
        BackchannelAuthenticationRequest as BackchannelAuthenticationRequest,
        BackchannelAuthenticationResponse as BackchannelAuthenticationResponse,
        BackchannelTokenRequest as BackchannelTokenRequest,
        BackchannelTokenResponse as BackchannelTokenResponse,
    )
    from py_identity_model.compat import (
        CertificateBindingError as CertificateBindingError,
        JarmValidationException as JarmValidationException,
        TokenRequestException as TokenRequestException,
        UserInfoException as UserInfoException,
    )
    from py_identity_model.constants import (
        JwtClaimTypes as JwtClaimTypes,
        JwtHeaderParameterNames as JwtHeaderParameterNames,
        OidcConstants as OidcConstants,
        ProtocolRoutePaths as ProtocolRoutePaths,
    )
    from py_identity_model.device.models import (
        DeviceAuthorizationRequest as DeviceAuthorizationRequest,
        DeviceAuthorizationResponse as DeviceAuthorizationResponse,
        DeviceTokenRequest as DeviceTokenRequest,
        DeviceTokenResponse as DeviceTokenResponse,
    )
    from py_identity_model.device.polling import (
        PollingProgress as PollingProgress,
    )
    from py_identity_model.discovery.cache import (
        DiscoveryCache as DiscoveryCache,
    )
    from py_identity_model.discovery.models import (
        DiscoveryDocumentRequest as DiscoveryDocumentRequest,
        DiscoveryDocumentResponse as DiscoveryDocumentResponse,
        DiscoveryErrorKind as DiscoveryErrorKind,
        DiscoveryPolicy as DiscoveryPolicy,
    )
    from py_identity_model.discovery.policy import (
        DiscoveryEndpoint as DiscoveryEndpoint,
        parse_discovery_url as parse_discovery_url,
    )
    from py_identity_model.endpoints.client import (
        Client as Client,
    )
    from py_identity_model.endpoints.client_auth import (
        ClientAssertion as ClientAssertion,
        ClientSecretBasic as ClientSecretBasic,
        ClientSecretJwt as ClientSecretJwt,
        ClientSecretPost as ClientSecretPost,
        MtlsClientAuth as MtlsClientAuth,
        NoClientAuth as NoClientAuth,
        PrivateKeyJwt as PrivateKeyJwt,
    )
    from py_identity_model.endpoints.policy import (
        EndpointPolicy as EndpointPolicy,
    )
    from py_identity_model.errors import (
        ErrorCodes as ErrorCodes,
        ErrorType as ErrorType,
    )
    from py_identity_model.exceptions import (
        AuthorizeCallbackException as AuthorizeCallbackException,
        ClaimsValidationError as ClaimsValidationError,
        ConfigurationException as ConfigurationException,
        DiscoveryException as DiscoveryException,
        DiscoveryHTTPSRequiredError as DiscoveryHTTPSRequiredError,
        DiscoveryMissingFieldsError as DiscoveryMissingFieldsError,
        DiscoveryParseError as DiscoveryParseError,
        DiscoveryUnavailableError as DiscoveryUnavailableError,
        FrontChannelConfigurationError as FrontChannelConfigurationError,
        IdTokenValidationException as IdTokenValidationException,
        InvalidAlgorithmException as InvalidAlgorithmException,
        InvalidAudienceException as InvalidAudienceException,
        InvalidIssuerException as InvalidIssuerException,
        InvalidJwkException as InvalidJwkException,
        InvalidKeyException as InvalidKeyException,
        InvalidTokenTypeException as InvalidTokenTypeException,
        JwksException as JwksException,
        JwksUnavailableError as JwksUnavailableError,
        KeyNotFoundException as KeyNotFoundException,
        LogoutStateValidationException as LogoutStateValidationException,
        LogoutTokenValidationException as LogoutTokenValidationException,
        MalformedTokenException as MalformedTokenException,
        MissingClaimException as MissingClaimException,
        NetworkException as NetworkException,
        PyIdentityModelException as PyIdentityModelException,
        SignatureVerificationException as SignatureVerificationException,
        TokenDecryptionException as TokenDecryptionException,
        TokenExpiredException as TokenExpiredException,
        TokenNotYetValidException as TokenNotYetValidException,
        TokenValidationException as TokenValidationException,
        ValidationException as ValidationException,
    )
    from py_identity_model.frontchannel import (
        MAX_CALLBACK_LENGTH as MAX_CALLBACK_LENGTH,
        MAX_VERIFIER_LENGTH as MAX_VERIFIER_LENGTH,
        MIN_VERIFIER_LENGTH as MIN_VERIFIER_LENGTH,
        AuthorizeCallbackResponse as AuthorizeCallbackResponse,
        AuthorizeCallbackValidationResult as AuthorizeCallbackValidationResult,
        AuthorizeRequest as AuthorizeRequest,
        StateValidationResult as StateValidationResult,
        build_authorization_url as build_authorization_url,
        build_end_session_url as build_end_session_url,
        generate_code_challenge as generate_code_challenge,
        generate_code_verifier as generate_code_verifier,
        generate_pkce_pair as generate_pkce_pair,
        parse_authorize_callback_response as parse_authorize_callback_response,
        validate_authorize_callback as validate_authorize_callback,
        validate_authorize_callback_issuer as validate_authorize_callback_issuer,
        validate_authorize_callback_state as validate_authorize_callback_state,
        validate_post_logout_state as validate_post_logout_state,
    )
    from py_identity_model.http.challenges import (
        Challenge as Challenge,
        parse_www_authenticate as parse_www_authenticate,
    )
    from py_identity_model.http.results import (
        BaseResponse as BaseResponse,
        ProtocolResponse as ProtocolResponse,
    )
    from py_identity_model.identity import (
        Claim as Claim,
        ClaimsIdentity as ClaimsIdentity,
        ClaimsPrincipal as ClaimsPrincipal,
        ClaimValueTypes as ClaimValueTypes,
        to_principal as to_principal,
    )
    from py_identity_model.introspection.models import (
        TokenIntrospectionRequest as TokenIntrospectionRequest,
        TokenIntrospectionResponse as TokenIntrospectionResponse,
    )
    from py_identity_model.jose import (
        JsonWebKey as JsonWebKey,
        JsonWebKeySet as JsonWebKeySet,
    )
    from py_identity_model.jose.keyset import (
        jwks_from_dict as jwks_from_dict,
    )
    from py_identity_model.jwks.models import (
        JwksRequest as JwksRequest,
        JwksResponse as JwksResponse,
    )
    from py_identity_model.login import (
        AuthorizeState as AuthorizeState,
        LoginResult as LoginResult,
        OidcClient as OidcClient,
        OidcClientOptions as OidcClientOptions,
    )
    from py_identity_model.options import (
        LibraryOptions as LibraryOptions,
        RetryPolicy as RetryPolicy,
        configure as configure,
        get_options as get_options,
    )
    from py_identity_model.registration.models import (
        ClientDeleteRequest as ClientDeleteRequest,
        ClientDeleteResponse as ClientDeleteResponse,
        ClientReadRequest as ClientReadRequest,
        ClientRegistrationRequest as ClientRegistrationRequest,
        ClientRegistrationResponse as ClientRegistrationResponse,
        ClientUpdateRequest as ClientUpdateRequest,
    )
    from py_identity_model.resource_metadata.models import (
        AuthorizationServerDiscoveryRequest as AuthorizationServerDiscoveryRequest,
        AuthorizationServerDiscoveryResponse as AuthorizationServerDiscoveryResponse,
        ProtectedResourceMetadataRequest as ProtectedResourceMetadataRequest,
        ProtectedResourceMetadataResponse as ProtectedResourceMetadataResponse,
        protected_resource_metadata_url as protected_resource_metadata_url,
    )
    from py_identity_model.revocation.models import (
        TokenRevocationRequest as TokenRevocationRequest,
        TokenRevocationResponse as TokenRevocationResponse,
    )
    from py_identity_model.tokens.models import (
        AuthorizationCodeTokenRequest as AuthorizationCodeTokenRequest,
        AuthorizationCodeTokenResponse as AuthorizationCodeTokenResponse,
        ClientCredentialsTokenRequest as ClientCredentialsTokenRequest,
        ClientCredentialsTokenResponse as ClientCredentialsTokenResponse,
        JwtBearerTokenRequest as JwtBearerTokenRequest,
        PasswordTokenRequest as PasswordTokenRequest,
        RefreshTokenRequest as RefreshTokenRequest,
        RefreshTokenResponse as RefreshTokenResponse,
        TokenExchangeRequest as TokenExchangeRequest,
        TokenExchangeResponse as TokenExchangeResponse,
        TokenRequest as TokenRequest,
        TokenResponse as TokenResponse,
    )
    from py_identity_model.transport.async_client import (
        AsyncHTTPClient as AsyncHTTPClient,
    )
    from py_identity_model.userinfo.models import (
        UserInfoRequest as UserInfoRequest,
        UserInfoResponse as UserInfoResponse,
    )
    from py_identity_model.utils.parameters import (
        Parameters as Parameters,
    )
    from py_identity_model.validation.config import (
        TokenValidationConfig as TokenValidationConfig,
    )
    from py_identity_model.validation.id_token import (
        IdTokenExpectations as IdTokenExpectations,
    )
    from py_identity_model.validation.jwt import (
        JsonWebToken as JsonWebToken,
    )
    from py_identity_model.validation.jwt_response import (
        JwtResponseValidation as JwtResponseValidation,
    )
    from py_identity_model.validation.validator import (
        TokenValidator as TokenValidator,
    )

__all__ = [
    "AsyncHTTPClient",
    "AuthorizationCodeTokenRequest",
    "AuthorizationCodeTokenResponse",
    "AuthorizationServerDiscoveryRequest",
    "AuthorizationServerDiscoveryResponse",
    "AuthorizeCallbackException",
    "AuthorizeCallbackResponse",
    "AuthorizeCallbackValidationResult",
    "AuthorizeRequest",
    "AuthorizeState",
    "BackchannelAuthenticationRequest",
    "BackchannelAuthenticationResponse",
    "BackchannelTokenRequest",
    "BackchannelTokenResponse",
    "BaseResponse",
    "CertificateBindingError",
    "Challenge",
    "Claim",
    "ClaimValueTypes",
    "ClaimsIdentity",
    "ClaimsPrincipal",
    "ClaimsValidationError",
    "Client",
    "ClientAssertion",
    "ClientCredentialsTokenRequest",
    "ClientCredentialsTokenResponse",
    "ClientDeleteRequest",
    "ClientDeleteResponse",
    "ClientReadRequest",
    "ClientRegistrationRequest",
    "ClientRegistrationResponse",
    "ClientSecretBasic",
    "ClientSecretJwt",
    "ClientSecretPost",
    "ClientUpdateRequest",
    "ConfigurationException",
    "DeviceAuthorizationRequest",
    "DeviceAuthorizationResponse",
    "DeviceTokenRequest",
    "DeviceTokenResponse",
    "DiscoveryCache",
    "DiscoveryDocumentRequest",
    "DiscoveryDocumentResponse",
    "DiscoveryEndpoint",
    "DiscoveryErrorKind",
    "DiscoveryException",
    "DiscoveryHTTPSRequiredError",
    "DiscoveryMissingFieldsError",
    "DiscoveryParseError",
    "DiscoveryPolicy",
    "DiscoveryUnavailableError",
    "EndpointPolicy",
    "ErrorCodes",
    "ErrorType",
    "FrontChannelConfigurationError",
    "IdTokenExpectations",
    "IdTokenValidationException",
    "InvalidAlgorithmException",
    "InvalidAudienceException",
    "InvalidIssuerException",
    "InvalidJwkException",
    "InvalidKeyException",
    "InvalidTokenTypeException",
    "JarmValidationException",
    "JsonWebKey",
    "JsonWebKeySet",
    "JsonWebToken",
    "JwksException",
    "JwksRequest",
    "JwksResponse",
    "JwksUnavailableError",
    "JwtBearerTokenRequest",
    "JwtClaimTypes",
    "JwtHeaderParameterNames",
    "JwtResponseValidation",
    "KeyNotFoundException",
    "LibraryOptions",
    "LoginResult",
    "LogoutStateValidationException",
    "LogoutTokenValidationException",
    "MAX_CALLBACK_LENGTH",
    "MAX_VERIFIER_LENGTH",
    "MIN_VERIFIER_LENGTH",
    "MalformedTokenException",
    "MissingClaimException",
    "MtlsClientAuth",
    "NetworkException",
    "NoClientAuth",
    "OidcClient",
    "OidcClientOptions",
    "OidcConstants",
    "Parameters",
    "PasswordTokenRequest",
    "PollingProgress",
    "PrivateKeyJwt",
    "ProtectedResourceMetadataRequest",
    "ProtectedResourceMetadataResponse",
    "ProtocolResponse",
    "ProtocolRoutePaths",
    "PyIdentityModelException",
    "RefreshTokenRequest",
    "RefreshTokenResponse",
    "RetryPolicy",
    "SignatureVerificationException",
    "StateValidationResult",
    "TokenDecryptionException",
    "TokenExchangeRequest",
    "TokenExchangeResponse",
    "TokenExpiredException",
    "TokenIntrospectionRequest",
    "TokenIntrospectionResponse",
    "TokenNotYetValidException",
    "TokenRequest",
    "TokenRequestException",
    "TokenResponse",
    "TokenRevocationRequest",
    "TokenRevocationResponse",
    "TokenValidationConfig",
    "TokenValidationException",
    "TokenValidator",
    "UserInfoException",
    "UserInfoRequest",
    "UserInfoResponse",
    "ValidationException",
    "build_authorization_url",
    "build_end_session_url",
    "configure",
    "delete_client",
    "discover_authorization_server",
    "exchange_token",
    "generate_code_challenge",
    "generate_code_verifier",
    "generate_pkce_pair",
    "get_discovery_document",
    "get_jwks",
    "get_options",
    "get_protected_resource_metadata",
    "get_userinfo",
    "introspect_token",
    "jwks_from_dict",
    "parse_authorize_callback_response",
    "parse_discovery_url",
    "parse_www_authenticate",
    "poll_backchannel_token",
    "poll_device_token",
    "protected_resource_metadata_url",
    "read_client",
    "refresh_token",
    "register_client",
    "request_authorization_code_token",
    "request_backchannel_authentication",
    "request_client_credentials_token",
    "request_device_authorization",
    "request_jwt_bearer_token",
    "request_password_token",
    "request_token",
    "revoke_token",
    "to_principal",
    "update_client",
    "validate_authorize_callback",
    "validate_authorize_callback_issuer",
    "validate_authorize_callback_state",
    "validate_id_token",
    "validate_logout_token",
    "validate_post_logout_state",
    "validate_token",
    "wait_for_backchannel_token",
    "wait_for_device_token",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # resolve once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
