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
    from py_identity_model.aio.jarm import (
        process_jarm_response as process_jarm_response,
    )
    from py_identity_model.aio.jwks import (
        get_jwks as get_jwks,
    )
    from py_identity_model.aio.par import (
        push_authorization_request as push_authorization_request,
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
    from py_identity_model.aio.token_auth import (
        ClientCredentialsAuth as ClientCredentialsAuth,
        UserTokenAuth as UserTokenAuth,
    )
    from py_identity_model.aio.token_management import (
        ClientCredentialsTokenManager as ClientCredentialsTokenManager,
        UserTokenManager as UserTokenManager,
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
        handle_backchannel_logout as handle_backchannel_logout,
        validate_id_token as validate_id_token,
        validate_logout_token as validate_logout_token,
        validate_token as validate_token,
    )
    from py_identity_model.caching.replay import (
        MemoryReplayStore as MemoryReplayStore,
        ReplayStore as ReplayStore,
    )
    from py_identity_model.ciba.models import (
        BackchannelAuthenticationRequest as BackchannelAuthenticationRequest,
        BackchannelAuthenticationResponse as BackchannelAuthenticationResponse,
        BackchannelTokenRequest as BackchannelTokenRequest,
        BackchannelTokenResponse as BackchannelTokenResponse,
    )
    from py_identity_model.compat import (
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
    from py_identity_model.dpop.binding import (
        check_dpop_binding as check_dpop_binding,
    )
    from py_identity_model.dpop.key import (
        DPoPKey as DPoPKey,
        generate_dpop_key as generate_dpop_key,
    )
    from py_identity_model.dpop.nonces import (
        DPoPNonceStore as DPoPNonceStore,
        extract_dpop_nonce as extract_dpop_nonce,
    )
    from py_identity_model.dpop.proof import (
        build_dpop_headers as build_dpop_headers,
        compute_ath as compute_ath,
        create_dpop_proof as create_dpop_proof,
    )
    from py_identity_model.dpop.resource import (
        DPoPProof as DPoPProof,
        DPoPProofValidator as DPoPProofValidator,
    )
    from py_identity_model.dpop.server_nonces import (
        DPoPNonceSource as DPoPNonceSource,
        DPoPServerNonces as DPoPServerNonces,
    )
    from py_identity_model.endpoints.client import (
        Client as Client,
        SecurityProfile as SecurityProfile,
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
        CertificateBindingError as CertificateBindingError,
        ClaimsValidationError as ClaimsValidationError,
        ConfigurationException as ConfigurationException,
        DiscoveryException as DiscoveryException,
        DiscoveryHTTPSRequiredError as DiscoveryHTTPSRequiredError,
        DiscoveryMissingFieldsError as DiscoveryMissingFieldsError,
        DiscoveryParseError as DiscoveryParseError,
        DiscoveryUnavailableError as DiscoveryUnavailableError,
        DPoPProofException as DPoPProofException,
        FapiViolationError as FapiViolationError,
        FrontChannelConfigurationError as FrontChannelConfigurationError,
        IdTokenValidationException as IdTokenValidationException,
        InvalidAlgorithmException as InvalidAlgorithmException,
        InvalidAudienceException as InvalidAudienceException,
        InvalidCertificateError as InvalidCertificateError,
        InvalidIssuerException as InvalidIssuerException,
        InvalidJwkException as InvalidJwkException,
        InvalidKeyException as InvalidKeyException,
        InvalidTokenTypeException as InvalidTokenTypeException,
        JarmValidationException as JarmValidationException,
        JwksException as JwksException,
        JwksUnavailableError as JwksUnavailableError,
        KeyNotFoundException as KeyNotFoundException,
        LogoutStateValidationException as LogoutStateValidationException,
        LogoutTokenValidationException as LogoutTokenValidationException,
        MalformedTokenException as MalformedTokenException,
        MissingClaimException as MissingClaimException,
        NetworkException as NetworkException,
        PushedAuthorizationException as PushedAuthorizationException,
        PyIdentityModelException as PyIdentityModelException,
        ReplayStoreFullError as ReplayStoreFullError,
        SignatureVerificationException as SignatureVerificationException,
        TokenDecryptionException as TokenDecryptionException,
        TokenExpiredException as TokenExpiredException,
        TokenNotYetValidException as TokenNotYetValidException,
        TokenRequestException as TokenRequestException,
        TokenValidationException as TokenValidationException,
        ValidationException as ValidationException,
    )
    from py_identity_model.fapi.profile import (
        FAPI_ALGORITHMS as FAPI_ALGORITHMS,
        FapiPolicy as FapiPolicy,
        FapiProfile as FapiProfile,
        FapiViolation as FapiViolation,
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
    from py_identity_model.http.messages import (
        ClientCertificate as ClientCertificate,
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
    from py_identity_model.jar.encryption import (
        encrypt_request_object as encrypt_request_object,
    )
    from py_identity_model.jar.request_object import (
        build_jar_authorization_url as build_jar_authorization_url,
        create_request_object as create_request_object,
    )
    from py_identity_model.jarm import (
        JARM_RESPONSE_MODES as JARM_RESPONSE_MODES,
        extract_jarm_response_jwt as extract_jarm_response_jwt,
        is_jarm_response as is_jarm_response,
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
    from py_identity_model.mtls.aliases import (
        endpoint_for_client as endpoint_for_client,
        resolve_mtls_endpoint as resolve_mtls_endpoint,
    )
    from py_identity_model.mtls.binding import (
        validate_certificate_binding as validate_certificate_binding,
    )
    from py_identity_model.mtls.certificates import (
        MAX_CERTIFICATE_HEADER_LENGTH as MAX_CERTIFICATE_HEADER_LENGTH,
        certificate_thumbprint_from_file as certificate_thumbprint_from_file,
        compute_certificate_thumbprint as compute_certificate_thumbprint,
        parse_certificate_header as parse_certificate_header,
    )
    from py_identity_model.options import (
        LibraryOptions as LibraryOptions,
        RetryPolicy as RetryPolicy,
        configure as configure,
        get_options as get_options,
    )
    from py_identity_model.par.models import (
        PushedAuthorizationRequest as PushedAuthorizationRequest,
        PushedAuthorizationResponse as PushedAuthorizationResponse,
        build_par_authorization_url as build_par_authorization_url,
    )
    from py_identity_model.rar.details import (
        AuthorizationDetail as AuthorizationDetail,
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
    from py_identity_model.resource_server import (
        AccessTokenPrincipal as AccessTokenPrincipal,
        IncomingRequest as IncomingRequest,
        IntrospectionSettings as IntrospectionSettings,
        ResourceRejection as ResourceRejection,
        ResourceServer as ResourceServer,
        ValidatedTokenCache as ValidatedTokenCache,
    )
    from py_identity_model.revocation.models import (
        TokenRevocationRequest as TokenRevocationRequest,
        TokenRevocationResponse as TokenRevocationResponse,
    )
    from py_identity_model.token_management.cache import (
        InMemoryTokenCache as InMemoryTokenCache,
        TokenCache as TokenCache,
    )
    from py_identity_model.token_management.encryption import (
        TokenEncryption as TokenEncryption,
    )
    from py_identity_model.token_management.events import (
        TokenCounters as TokenCounters,
        TokenEvent as TokenEvent,
        TokenEventName as TokenEventName,
        add_token_listener as add_token_listener,
        remove_token_listener as remove_token_listener,
    )
    from py_identity_model.token_management.file_cache import (
        FileTokenCache as FileTokenCache,
    )
    from py_identity_model.token_management.models import (
        CachedToken as CachedToken,
        ManagedToken as ManagedToken,
    )
    from py_identity_model.token_management.otel import (
        OpenTelemetryTokenMetrics as OpenTelemetryTokenMetrics,
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
    from py_identity_model.transport.redis_token_cache import (
        RedisTokenCache as RedisTokenCache,
    )
    from py_identity_model.userinfo.models import (
        UserInfoRequest as UserInfoRequest,
        UserInfoResponse as UserInfoResponse,
    )
    from py_identity_model.utils.parameters import (
        Parameters as Parameters,
    )
    from py_identity_model.validation.backchannel_logout import (
        BackchannelLogoutResponse as BackchannelLogoutResponse,
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
    "AccessTokenPrincipal",
    "AsyncHTTPClient",
    "AuthorizationCodeTokenRequest",
    "AuthorizationCodeTokenResponse",
    "AuthorizationDetail",
    "AuthorizationServerDiscoveryRequest",
    "AuthorizationServerDiscoveryResponse",
    "AuthorizeCallbackException",
    "AuthorizeCallbackResponse",
    "AuthorizeCallbackValidationResult",
    "AuthorizeRequest",
    "AuthorizeState",
    "BackchannelAuthenticationRequest",
    "BackchannelAuthenticationResponse",
    "BackchannelLogoutResponse",
    "BackchannelTokenRequest",
    "BackchannelTokenResponse",
    "BaseResponse",
    "CachedToken",
    "CertificateBindingError",
    "Challenge",
    "Claim",
    "ClaimValueTypes",
    "ClaimsIdentity",
    "ClaimsPrincipal",
    "ClaimsValidationError",
    "Client",
    "ClientAssertion",
    "ClientCertificate",
    "ClientCredentialsAuth",
    "ClientCredentialsTokenManager",
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
    "DPoPKey",
    "DPoPNonceSource",
    "DPoPNonceStore",
    "DPoPProof",
    "DPoPProofException",
    "DPoPProofValidator",
    "DPoPServerNonces",
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
    "FAPI_ALGORITHMS",
    "FapiPolicy",
    "FapiProfile",
    "FapiViolation",
    "FapiViolationError",
    "FileTokenCache",
    "FrontChannelConfigurationError",
    "IdTokenExpectations",
    "IdTokenValidationException",
    "InMemoryTokenCache",
    "IncomingRequest",
    "IntrospectionSettings",
    "InvalidAlgorithmException",
    "InvalidAudienceException",
    "InvalidCertificateError",
    "InvalidIssuerException",
    "InvalidJwkException",
    "InvalidKeyException",
    "InvalidTokenTypeException",
    "JARM_RESPONSE_MODES",
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
    "MAX_CERTIFICATE_HEADER_LENGTH",
    "MAX_VERIFIER_LENGTH",
    "MIN_VERIFIER_LENGTH",
    "MalformedTokenException",
    "ManagedToken",
    "MemoryReplayStore",
    "MissingClaimException",
    "MtlsClientAuth",
    "NetworkException",
    "NoClientAuth",
    "OidcClient",
    "OidcClientOptions",
    "OidcConstants",
    "OpenTelemetryTokenMetrics",
    "Parameters",
    "PasswordTokenRequest",
    "PollingProgress",
    "PrivateKeyJwt",
    "ProtectedResourceMetadataRequest",
    "ProtectedResourceMetadataResponse",
    "ProtocolResponse",
    "ProtocolRoutePaths",
    "PushedAuthorizationException",
    "PushedAuthorizationRequest",
    "PushedAuthorizationResponse",
    "PyIdentityModelException",
    "RedisTokenCache",
    "RefreshTokenRequest",
    "RefreshTokenResponse",
    "ReplayStore",
    "ReplayStoreFullError",
    "ResourceRejection",
    "ResourceServer",
    "RetryPolicy",
    "SecurityProfile",
    "SignatureVerificationException",
    "StateValidationResult",
    "TokenCache",
    "TokenCounters",
    "TokenDecryptionException",
    "TokenEncryption",
    "TokenEvent",
    "TokenEventName",
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
    "UserTokenAuth",
    "UserTokenManager",
    "ValidatedTokenCache",
    "ValidationException",
    "add_token_listener",
    "build_authorization_url",
    "build_dpop_headers",
    "build_end_session_url",
    "build_jar_authorization_url",
    "build_par_authorization_url",
    "certificate_thumbprint_from_file",
    "check_dpop_binding",
    "compute_ath",
    "compute_certificate_thumbprint",
    "configure",
    "create_dpop_proof",
    "create_request_object",
    "delete_client",
    "discover_authorization_server",
    "encrypt_request_object",
    "endpoint_for_client",
    "exchange_token",
    "extract_dpop_nonce",
    "extract_jarm_response_jwt",
    "generate_code_challenge",
    "generate_code_verifier",
    "generate_dpop_key",
    "generate_pkce_pair",
    "get_discovery_document",
    "get_jwks",
    "get_options",
    "get_protected_resource_metadata",
    "get_userinfo",
    "handle_backchannel_logout",
    "introspect_token",
    "is_jarm_response",
    "jwks_from_dict",
    "parse_authorize_callback_response",
    "parse_certificate_header",
    "parse_discovery_url",
    "parse_www_authenticate",
    "poll_backchannel_token",
    "poll_device_token",
    "process_jarm_response",
    "protected_resource_metadata_url",
    "push_authorization_request",
    "read_client",
    "refresh_token",
    "register_client",
    "remove_token_listener",
    "request_authorization_code_token",
    "request_backchannel_authentication",
    "request_client_credentials_token",
    "request_device_authorization",
    "request_jwt_bearer_token",
    "request_password_token",
    "request_token",
    "resolve_mtls_endpoint",
    "revoke_token",
    "to_principal",
    "update_client",
    "validate_authorize_callback",
    "validate_authorize_callback_issuer",
    "validate_authorize_callback_state",
    "validate_certificate_binding",
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
