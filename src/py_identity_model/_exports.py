"""The public names of the top-level package and of ``aio``, and where each lives.

Exports are resolved lazily (PEP 562 ``__getattr__``): ``import py_identity_model`` stays
cheap and a process that only validates tokens never imports the HTTP stack it does not
use. A test guards this table so the public API changes only on purpose.
"""

from __future__ import annotations

# Names shared by both APIs: models, constants, exceptions, helpers.
COMMON: dict[str, str] = {
    # discovery
    "DiscoveryCache": "py_identity_model.discovery.cache",
    "DiscoveryDocumentRequest": "py_identity_model.discovery.models",
    "DiscoveryDocumentResponse": "py_identity_model.discovery.models",
    "DiscoveryErrorKind": "py_identity_model.discovery.models",
    "DiscoveryPolicy": "py_identity_model.discovery.models",
    "DiscoveryEndpoint": "py_identity_model.discovery.policy",
    "parse_discovery_url": "py_identity_model.discovery.policy",
    # jwks / jose
    "JwksRequest": "py_identity_model.jwks.models",
    "JwksResponse": "py_identity_model.jwks.models",
    "JsonWebKey": "py_identity_model.jose",
    "JsonWebKeySet": "py_identity_model.jose",
    "jwks_from_dict": "py_identity_model.jose.keyset",
    # front channel
    "MAX_CALLBACK_LENGTH": "py_identity_model.frontchannel",
    "MAX_VERIFIER_LENGTH": "py_identity_model.frontchannel",
    "MIN_VERIFIER_LENGTH": "py_identity_model.frontchannel",
    "AuthorizeCallbackResponse": "py_identity_model.frontchannel",
    "AuthorizeCallbackValidationResult": "py_identity_model.frontchannel",
    "AuthorizeRequest": "py_identity_model.frontchannel",
    "StateValidationResult": "py_identity_model.frontchannel",
    "build_authorization_url": "py_identity_model.frontchannel",
    "build_end_session_url": "py_identity_model.frontchannel",
    "generate_code_challenge": "py_identity_model.frontchannel",
    "generate_code_verifier": "py_identity_model.frontchannel",
    "generate_pkce_pair": "py_identity_model.frontchannel",
    "parse_authorize_callback_response": "py_identity_model.frontchannel",
    "validate_authorize_callback": "py_identity_model.frontchannel",
    "validate_authorize_callback_issuer": "py_identity_model.frontchannel",
    "validate_authorize_callback_state": "py_identity_model.frontchannel",
    "validate_post_logout_state": "py_identity_model.frontchannel",
    # login
    "AuthorizeState": "py_identity_model.login",
    "LoginResult": "py_identity_model.login",
    "OidcClient": "py_identity_model.login",
    "OidcClientOptions": "py_identity_model.login",
    # token requests
    "AuthorizationCodeTokenRequest": "py_identity_model.tokens.models",
    "AuthorizationCodeTokenResponse": "py_identity_model.tokens.models",
    "ClientCredentialsTokenRequest": "py_identity_model.tokens.models",
    "ClientCredentialsTokenResponse": "py_identity_model.tokens.models",
    "JwtBearerTokenRequest": "py_identity_model.tokens.models",
    "PasswordTokenRequest": "py_identity_model.tokens.models",
    "RefreshTokenRequest": "py_identity_model.tokens.models",
    "RefreshTokenResponse": "py_identity_model.tokens.models",
    "TokenExchangeRequest": "py_identity_model.tokens.models",
    "TokenExchangeResponse": "py_identity_model.tokens.models",
    "TokenRequest": "py_identity_model.tokens.models",
    "TokenResponse": "py_identity_model.tokens.models",
    # clients and endpoints
    "Client": "py_identity_model.endpoints.client",
    "ClientAssertion": "py_identity_model.endpoints.client_auth",
    "ClientSecretBasic": "py_identity_model.endpoints.client_auth",
    "ClientSecretJwt": "py_identity_model.endpoints.client_auth",
    "ClientSecretPost": "py_identity_model.endpoints.client_auth",
    "MtlsClientAuth": "py_identity_model.endpoints.client_auth",
    "NoClientAuth": "py_identity_model.endpoints.client_auth",
    "PrivateKeyJwt": "py_identity_model.endpoints.client_auth",
    "EndpointPolicy": "py_identity_model.endpoints.policy",
    # introspection and revocation
    "TokenIntrospectionRequest": "py_identity_model.introspection.models",
    "TokenIntrospectionResponse": "py_identity_model.introspection.models",
    "TokenRevocationRequest": "py_identity_model.revocation.models",
    "TokenRevocationResponse": "py_identity_model.revocation.models",
    "JwtResponseValidation": "py_identity_model.validation.jwt_response",
    # userinfo
    "UserInfoRequest": "py_identity_model.userinfo.models",
    "UserInfoResponse": "py_identity_model.userinfo.models",
    # device flow and CIBA
    "DeviceAuthorizationRequest": "py_identity_model.device.models",
    "DeviceAuthorizationResponse": "py_identity_model.device.models",
    "DeviceTokenRequest": "py_identity_model.device.models",
    "DeviceTokenResponse": "py_identity_model.device.models",
    "PollingProgress": "py_identity_model.device.polling",
    "BackchannelAuthenticationRequest": "py_identity_model.ciba.models",
    "BackchannelAuthenticationResponse": "py_identity_model.ciba.models",
    "BackchannelTokenRequest": "py_identity_model.ciba.models",
    "BackchannelTokenResponse": "py_identity_model.ciba.models",
    # token exchange and registration
    "ClientDeleteRequest": "py_identity_model.registration.models",
    "ClientDeleteResponse": "py_identity_model.registration.models",
    "ClientReadRequest": "py_identity_model.registration.models",
    "ClientRegistrationRequest": "py_identity_model.registration.models",
    "ClientRegistrationResponse": "py_identity_model.registration.models",
    "ClientUpdateRequest": "py_identity_model.registration.models",
    # protected resource metadata
    "AuthorizationServerDiscoveryRequest": "py_identity_model.resource_metadata.models",
    "AuthorizationServerDiscoveryResponse": "py_identity_model.resource_metadata.models",
    "ProtectedResourceMetadataRequest": "py_identity_model.resource_metadata.models",
    "ProtectedResourceMetadataResponse": "py_identity_model.resource_metadata.models",
    "protected_resource_metadata_url": "py_identity_model.resource_metadata.models",
    "Challenge": "py_identity_model.http.challenges",
    "parse_www_authenticate": "py_identity_model.http.challenges",
    # dpop (client)
    "DPoPKey": "py_identity_model.dpop.key",
    "generate_dpop_key": "py_identity_model.dpop.key",
    "build_dpop_headers": "py_identity_model.dpop.proof",
    "compute_ath": "py_identity_model.dpop.proof",
    "create_dpop_proof": "py_identity_model.dpop.proof",
    "DPoPNonceStore": "py_identity_model.dpop.nonces",
    "extract_dpop_nonce": "py_identity_model.dpop.nonces",
    # dpop (resource server) and back-channel logout
    "DPoPProof": "py_identity_model.dpop.resource",
    "DPoPProofValidator": "py_identity_model.dpop.resource",
    "DPoPNonceSource": "py_identity_model.dpop.server_nonces",
    "DPoPServerNonces": "py_identity_model.dpop.server_nonces",
    "check_dpop_binding": "py_identity_model.dpop.binding",
    "ReplayStore": "py_identity_model.caching.replay",
    "MemoryReplayStore": "py_identity_model.caching.replay",
    "BackchannelLogoutResponse": "py_identity_model.validation.backchannel_logout",
    "DPoPProofException": "py_identity_model.exceptions",
    "ReplayStoreFullError": "py_identity_model.exceptions",
    # par, jar and rar
    "PushedAuthorizationRequest": "py_identity_model.par.models",
    "PushedAuthorizationResponse": "py_identity_model.par.models",
    "build_par_authorization_url": "py_identity_model.par.models",
    "build_jar_authorization_url": "py_identity_model.jar.request_object",
    "create_request_object": "py_identity_model.jar.request_object",
    "encrypt_request_object": "py_identity_model.jar.encryption",
    "AuthorizationDetail": "py_identity_model.rar.details",
    "PushedAuthorizationException": "py_identity_model.exceptions",
    # jarm
    "JARM_RESPONSE_MODES": "py_identity_model.jarm",
    "extract_jarm_response_jwt": "py_identity_model.jarm",
    "is_jarm_response": "py_identity_model.jarm",
    "JarmValidationException": "py_identity_model.exceptions",
    # mtls
    "ClientCertificate": "py_identity_model.http.messages",
    "MAX_CERTIFICATE_HEADER_LENGTH": "py_identity_model.mtls.certificates",
    "certificate_thumbprint_from_file": "py_identity_model.mtls.certificates",
    "compute_certificate_thumbprint": "py_identity_model.mtls.certificates",
    "parse_certificate_header": "py_identity_model.mtls.certificates",
    "validate_certificate_binding": "py_identity_model.mtls.binding",
    "endpoint_for_client": "py_identity_model.mtls.aliases",
    "resolve_mtls_endpoint": "py_identity_model.mtls.aliases",
    "CertificateBindingError": "py_identity_model.exceptions",
    "InvalidCertificateError": "py_identity_model.exceptions",
    # fapi
    "FAPI_ALGORITHMS": "py_identity_model.fapi.profile",
    "FapiPolicy": "py_identity_model.fapi.profile",
    "FapiProfile": "py_identity_model.fapi.profile",
    "FapiViolation": "py_identity_model.fapi.profile",
    "FapiViolationError": "py_identity_model.exceptions",
    "SecurityProfile": "py_identity_model.endpoints.client",
    # token validation
    "TokenValidationConfig": "py_identity_model.validation.config",
    "TokenValidator": "py_identity_model.validation.validator",
    "IdTokenExpectations": "py_identity_model.validation.id_token",
    "JsonWebToken": "py_identity_model.validation.jwt",
    # identity
    "Claim": "py_identity_model.identity",
    "ClaimValueTypes": "py_identity_model.identity",
    "ClaimsIdentity": "py_identity_model.identity",
    "ClaimsPrincipal": "py_identity_model.identity",
    "to_principal": "py_identity_model.identity",
    # http
    "ErrorCodes": "py_identity_model.errors",
    "ErrorType": "py_identity_model.errors",
    "ProtocolResponse": "py_identity_model.http.results",
    "BaseResponse": "py_identity_model.http.results",
    "RetryPolicy": "py_identity_model.options",
    "LibraryOptions": "py_identity_model.options",
    "configure": "py_identity_model.options",
    "get_options": "py_identity_model.options",
    # constants
    "OidcConstants": "py_identity_model.constants",
    "JwtClaimTypes": "py_identity_model.constants",
    "JwtHeaderParameterNames": "py_identity_model.constants",
    "ProtocolRoutePaths": "py_identity_model.constants",
    # utilities
    "Parameters": "py_identity_model.utils.parameters",
    # exceptions
    **dict.fromkeys(
        (
            "AuthorizeCallbackException",
            "ClaimsValidationError",
            "ConfigurationException",
            "DiscoveryException",
            "DiscoveryHTTPSRequiredError",
            "DiscoveryMissingFieldsError",
            "DiscoveryParseError",
            "DiscoveryUnavailableError",
            "FrontChannelConfigurationError",
            "IdTokenValidationException",
            "InvalidAlgorithmException",
            "InvalidAudienceException",
            "InvalidIssuerException",
            "InvalidJwkException",
            "InvalidKeyException",
            "InvalidTokenTypeException",
            "JwksException",
            "JwksUnavailableError",
            "KeyNotFoundException",
            "LogoutStateValidationException",
            "LogoutTokenValidationException",
            "MalformedTokenException",
            "MissingClaimException",
            "NetworkException",
            "PyIdentityModelException",
            "SignatureVerificationException",
            "TokenDecryptionException",
            "TokenExpiredException",
            "TokenNotYetValidException",
            "TokenValidationException",
            "ValidationException",
        ),
        "py_identity_model.exceptions",
    ),
    # 4.x exception names nothing raises any more
    **dict.fromkeys(
        ("UserInfoException",),
        "py_identity_model.compat",
    ),
    # token management
    "TokenRequestException": "py_identity_model.exceptions",
    "ManagedToken": "py_identity_model.token_management.models",
    "CachedToken": "py_identity_model.token_management.models",
    "TokenCache": "py_identity_model.token_management.cache",
    "InMemoryTokenCache": "py_identity_model.token_management.cache",
    "RedisTokenCache": "py_identity_model.transport.redis_token_cache",
    "FileTokenCache": "py_identity_model.token_management.file_cache",
    "TokenEncryption": "py_identity_model.token_management.encryption",
    "TokenEvent": "py_identity_model.token_management.events",
    "TokenEventName": "py_identity_model.token_management.events",
    "TokenCounters": "py_identity_model.token_management.events",
    "add_token_listener": "py_identity_model.token_management.events",
    "remove_token_listener": "py_identity_model.token_management.events",
    "OpenTelemetryTokenMetrics": "py_identity_model.token_management.otel",
    # resource server
    **dict.fromkeys(
        (
            "ResourceServer",
            "IncomingRequest",
            "AccessTokenPrincipal",
            "ResourceRejection",
            "IntrospectionSettings",
            "ValidatedTokenCache",
        ),
        "py_identity_model.resource_server",
    ),
}

SYNC: dict[str, str] = {
    **COMMON,
    "HTTPClient": "py_identity_model.transport.sync_client",
    "get_discovery_document": "py_identity_model.sync.discovery",
    "get_jwks": "py_identity_model.sync.jwks",
    "validate_token": "py_identity_model.sync.validation",
    "validate_id_token": "py_identity_model.sync.validation",
    "validate_logout_token": "py_identity_model.sync.validation",
    "exchange_token": "py_identity_model.sync.tokens",
    "refresh_token": "py_identity_model.sync.tokens",
    "request_authorization_code_token": "py_identity_model.sync.tokens",
    "request_client_credentials_token": "py_identity_model.sync.tokens",
    "request_jwt_bearer_token": "py_identity_model.sync.tokens",
    "request_password_token": "py_identity_model.sync.tokens",
    "request_token": "py_identity_model.sync.tokens",
    # introspection and revocation
    "introspect_token": "py_identity_model.sync.introspection",
    "revoke_token": "py_identity_model.sync.revocation",
    # userinfo
    "get_userinfo": "py_identity_model.sync.userinfo",
    # device flow and CIBA
    "poll_backchannel_token": "py_identity_model.sync.ciba",
    "poll_device_token": "py_identity_model.sync.device",
    "request_device_authorization": "py_identity_model.sync.device",
    "wait_for_device_token": "py_identity_model.sync.device",
    "request_backchannel_authentication": "py_identity_model.sync.ciba",
    "wait_for_backchannel_token": "py_identity_model.sync.ciba",
    # token exchange and registration
    "delete_client": "py_identity_model.sync.registration",
    "read_client": "py_identity_model.sync.registration",
    "register_client": "py_identity_model.sync.registration",
    "update_client": "py_identity_model.sync.registration",
    # protected resource metadata
    "discover_authorization_server": "py_identity_model.sync.resource_metadata",
    "get_protected_resource_metadata": "py_identity_model.sync.resource_metadata",
    # dpop (client)
    # dpop (resource server) and back-channel logout
    "handle_backchannel_logout": "py_identity_model.sync.validation",
    # par, jar and rar
    "push_authorization_request": "py_identity_model.sync.par",
    # jarm
    "process_jarm_response": "py_identity_model.sync.jarm",
    # mtls
    # token management
    "ClientCredentialsTokenManager": "py_identity_model.sync.token_management",
    "ClientCredentialsAuth": "py_identity_model.sync.token_auth",
    "UserTokenAuth": "py_identity_model.sync.token_auth",
    "UserTokenManager": "py_identity_model.sync.token_management",
}

ASYNC: dict[str, str] = {
    **COMMON,
    "AsyncHTTPClient": "py_identity_model.transport.async_client",
    "get_discovery_document": "py_identity_model.aio.discovery",
    "get_jwks": "py_identity_model.aio.jwks",
    "validate_token": "py_identity_model.aio.validation",
    "validate_id_token": "py_identity_model.aio.validation",
    "validate_logout_token": "py_identity_model.aio.validation",
    "exchange_token": "py_identity_model.aio.tokens",
    "refresh_token": "py_identity_model.aio.tokens",
    "request_authorization_code_token": "py_identity_model.aio.tokens",
    "request_client_credentials_token": "py_identity_model.aio.tokens",
    "request_jwt_bearer_token": "py_identity_model.aio.tokens",
    "request_password_token": "py_identity_model.aio.tokens",
    "request_token": "py_identity_model.aio.tokens",
    # introspection and revocation
    "introspect_token": "py_identity_model.aio.introspection",
    "revoke_token": "py_identity_model.aio.revocation",
    # userinfo
    "get_userinfo": "py_identity_model.aio.userinfo",
    # device flow and CIBA
    "poll_backchannel_token": "py_identity_model.aio.ciba",
    "poll_device_token": "py_identity_model.aio.device",
    "request_device_authorization": "py_identity_model.aio.device",
    "wait_for_device_token": "py_identity_model.aio.device",
    "request_backchannel_authentication": "py_identity_model.aio.ciba",
    "wait_for_backchannel_token": "py_identity_model.aio.ciba",
    # token exchange and registration
    "delete_client": "py_identity_model.aio.registration",
    "read_client": "py_identity_model.aio.registration",
    "register_client": "py_identity_model.aio.registration",
    "update_client": "py_identity_model.aio.registration",
    # protected resource metadata
    "discover_authorization_server": "py_identity_model.aio.resource_metadata",
    "get_protected_resource_metadata": "py_identity_model.aio.resource_metadata",
    # dpop (client)
    # dpop (resource server) and back-channel logout
    "handle_backchannel_logout": "py_identity_model.aio.validation",
    # par, jar and rar
    "push_authorization_request": "py_identity_model.aio.par",
    # jarm
    "process_jarm_response": "py_identity_model.aio.jarm",
    # mtls
    # token management
    "ClientCredentialsTokenManager": "py_identity_model.aio.token_management",
    "ClientCredentialsAuth": "py_identity_model.aio.token_auth",
    "UserTokenAuth": "py_identity_model.aio.token_auth",
    "UserTokenManager": "py_identity_model.aio.token_management",
}
