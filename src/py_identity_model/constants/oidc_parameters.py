"""Request and response parameter names of the OAuth 2.0 / OpenID Connect endpoints.

Member names follow py-identity-model 4.x (upper-case ports of the
Duende.IdentityModel ``OidcConstants`` fields); values are the names used on the
wire.  Sources:

* RFC 6749 (OAuth 2.0) sections 4.1-4.4 and 5 - authorization and token endpoint parameters.
* OpenID Connect Core 1.0 sections 3.1.2.1, 3.2.2.5, 5.5 and 6 - authentication request.
* RFC 7636 (PKCE) section 4; RFC 8707 (Resource Indicators) section 2;
  RFC 9449 (DPoP) section 10 (``dpop_jkt``); RFC 9101 (JAR); RFC 9126 (PAR) section 2.2;
  RFC 9207 (``iss`` authorization response parameter); RFC 9396 (Rich Authorization Requests).
* JWT Secured Authorization Response Mode (JARM) section 2.1 (``response``).
* OpenID Connect RP-Initiated Logout 1.0 section 2; Back-Channel Logout 1.0 section 2.5.
* RFC 8628 (Device Authorization Grant) sections 3.1 and 3.2.
* RFC 8693 (Token Exchange) sections 2.1 and 2.2.1.
* OpenID Connect CIBA Core 1.0 sections 7.1 and 7.3.
* RFC 7662 (Token Introspection) sections 2.1 and 2.2; RFC 7009 (Token Revocation) section 2.1.
* RFC 7591 (Dynamic Client Registration) sections 2 and 3.2.1, OpenID Connect Dynamic
  Client Registration 1.0 section 2 and the IANA "OAuth Dynamic Client Registration
  Metadata" registry.
"""

from __future__ import annotations

from enum import unique

from ._base import ConstantEnum

__all__ = [
    "AuthorizeRequest",
    "AuthorizeResponse",
    "BackChannelLogoutRequest",
    "BackchannelAuthenticationRequest",
    "BackchannelAuthenticationResponse",
    "ClientMetadata",
    "DeviceAuthorizationRequest",
    "DeviceAuthorizationResponse",
    "EndSessionRequest",
    "IntrospectionResponse",
    "PushedAuthorizationRequestResponse",
    "RegistrationResponse",
    "TokenIntrospectionRequest",
    "TokenRequest",
    "TokenResponse",
    "TokenRevocationRequest",
]


@unique
class AuthorizeRequest(ConstantEnum):
    """Authorization endpoint request parameters (RFC 6749 4.1.1, OIDC Core 3.1.2.1)."""

    SCOPE = "scope"
    RESPONSE_TYPE = "response_type"
    CLIENT_ID = "client_id"
    REDIRECT_URI = "redirect_uri"
    STATE = "state"
    RESPONSE_MODE = "response_mode"
    NONCE = "nonce"
    DISPLAY = "display"
    PROMPT = "prompt"
    MAX_AGE = "max_age"
    UI_LOCALES = "ui_locales"
    CLAIMS_LOCALES = "claims_locales"
    ID_TOKEN_HINT = "id_token_hint"
    LOGIN_HINT = "login_hint"
    ACR_VALUES = "acr_values"
    CLAIMS = "claims"
    CODE_CHALLENGE = "code_challenge"
    CODE_CHALLENGE_METHOD = "code_challenge_method"
    REQUEST = "request"
    REQUEST_URI = "request_uri"
    RESOURCE = "resource"
    DPOP_KEY_THUMBPRINT = "dpop_jkt"
    AUTHORIZATION_DETAILS = "authorization_details"


@unique
class AuthorizeResponse(ConstantEnum):
    """Authorization response parameters (RFC 6749 4.1.2/4.2.2, OIDC Core, RFC 9207, JARM)."""

    SCOPE = "scope"
    CODE = "code"
    ACCESS_TOKEN = "access_token"
    EXPIRES_IN = "expires_in"
    TOKEN_TYPE = "token_type"
    REFRESH_TOKEN = "refresh_token"
    IDENTITY_TOKEN = "id_token"
    STATE = "state"
    SESSION_STATE = "session_state"
    ISSUER = "iss"
    ERROR = "error"
    ERROR_DESCRIPTION = "error_description"
    ERROR_URI = "error_uri"
    RESPONSE = "response"


@unique
class EndSessionRequest(ConstantEnum):
    """RP-Initiated Logout 1.0 request parameters (section 2)."""

    ID_TOKEN_HINT = "id_token_hint"
    POST_LOGOUT_REDIRECT_URI = "post_logout_redirect_uri"
    STATE = "state"
    SID = "sid"
    ISSUER = "iss"
    UI_LOCALES = "ui_locales"
    CLIENT_ID = "client_id"
    LOGOUT_HINT = "logout_hint"


@unique
class TokenRequest(ConstantEnum):
    """Token endpoint request parameters (RFC 6749, RFC 7523, RFC 8628, RFC 8693, CIBA)."""

    GRANT_TYPE = "grant_type"
    REDIRECT_URI = "redirect_uri"
    CLIENT_ID = "client_id"
    CLIENT_SECRET = "client_secret"
    CLIENT_ASSERTION = "client_assertion"
    CLIENT_ASSERTION_TYPE = "client_assertion_type"
    ASSERTION = "assertion"
    CODE = "code"
    REFRESH_TOKEN = "refresh_token"
    SCOPE = "scope"
    USER_NAME = "username"
    PASSWORD = "password"
    CODE_VERIFIER = "code_verifier"
    TOKEN_TYPE = "token_type"
    ALGORITHM = "alg"
    KEY = "key"
    DEVICE_CODE = "device_code"
    # RFC 8707 / RFC 8693 (token exchange)
    RESOURCE = "resource"
    AUDIENCE = "audience"
    REQUESTED_TOKEN_TYPE = "requested_token_type"
    SUBJECT_TOKEN = "subject_token"
    SUBJECT_TOKEN_TYPE = "subject_token_type"
    ACTOR_TOKEN = "actor_token"
    ACTOR_TOKEN_TYPE = "actor_token_type"
    # CIBA
    AUTHENTICATION_REQUEST_ID = "auth_req_id"


@unique
class TokenResponse(ConstantEnum):
    """Token endpoint response parameters (RFC 6749 5.1/5.2, OIDC Core 3.1.3.3, RFC 8693)."""

    ACCESS_TOKEN = "access_token"
    EXPIRES_IN = "expires_in"
    TOKEN_TYPE = "token_type"
    REFRESH_TOKEN = "refresh_token"
    IDENTITY_TOKEN = "id_token"
    ERROR = "error"
    ERROR_DESCRIPTION = "error_description"
    ERROR_URI = "error_uri"
    BEARER_TOKEN_TYPE = "Bearer"
    DPOP_TOKEN_TYPE = "DPoP"
    ISSUED_TOKEN_TYPE = "issued_token_type"
    SCOPE = "scope"


@unique
class DeviceAuthorizationRequest(ConstantEnum):
    """Device authorization request parameters (RFC 8628 section 3.1)."""

    CLIENT_ID = "client_id"
    SCOPE = "scope"


@unique
class DeviceAuthorizationResponse(ConstantEnum):
    """Device authorization response parameters (RFC 8628 section 3.2)."""

    DEVICE_CODE = "device_code"
    USER_CODE = "user_code"
    VERIFICATION_URI = "verification_uri"
    VERIFICATION_URI_COMPLETE = "verification_uri_complete"
    EXPIRES_IN = "expires_in"
    INTERVAL = "interval"


@unique
class BackchannelAuthenticationRequest(ConstantEnum):
    """CIBA backchannel authentication request parameters (CIBA Core 1.0 section 7.1)."""

    SCOPE = "scope"
    CLIENT_NOTIFICATION_TOKEN = "client_notification_token"
    ACR_VALUES = "acr_values"
    LOGIN_HINT_TOKEN = "login_hint_token"
    ID_TOKEN_HINT = "id_token_hint"
    LOGIN_HINT = "login_hint"
    BINDING_MESSAGE = "binding_message"
    USER_CODE = "user_code"
    REQUESTED_EXPIRY = "requested_expiry"
    REQUEST = "request"
    RESOURCE = "resource"
    DPOP_KEY_THUMBPRINT = "dpop_jkt"


@unique
class BackchannelAuthenticationResponse(ConstantEnum):
    """CIBA backchannel authentication response parameters (CIBA Core 1.0 section 7.3)."""

    AUTHENTICATION_REQUEST_ID = "auth_req_id"
    EXPIRES_IN = "expires_in"
    INTERVAL = "interval"


@unique
class PushedAuthorizationRequestResponse(ConstantEnum):
    """Pushed authorization response parameters (RFC 9126 section 2.2)."""

    EXPIRES_IN = "expires_in"
    REQUEST_URI = "request_uri"


@unique
class TokenIntrospectionRequest(ConstantEnum):
    """Introspection request parameters (RFC 7662 section 2.1)."""

    TOKEN = "token"
    TOKEN_TYPE_HINT = "token_type_hint"


@unique
class IntrospectionResponse(ConstantEnum):
    """Introspection response members (RFC 7662 section 2.2, RFC 8705 section 3.2 ``cnf``)."""

    ACTIVE = "active"
    SCOPE = "scope"
    CLIENT_ID = "client_id"
    USERNAME = "username"
    TOKEN_TYPE = "token_type"
    EXPIRATION = "exp"
    ISSUED_AT = "iat"
    NOT_BEFORE = "nbf"
    SUBJECT = "sub"
    AUDIENCE = "aud"
    ISSUER = "iss"
    JWT_ID = "jti"
    CONFIRMATION = "cnf"


@unique
class TokenRevocationRequest(ConstantEnum):
    """Revocation request parameters (RFC 7009 section 2.1)."""

    TOKEN = "token"
    TOKEN_TYPE_HINT = "token_type_hint"


@unique
class BackChannelLogoutRequest(ConstantEnum):
    """Back-Channel Logout request parameter (Back-Channel Logout 1.0 section 2.5)."""

    LOGOUT_TOKEN = "logout_token"


@unique
class RegistrationResponse(ConstantEnum):
    """Client information response members (RFC 7591 sections 3.2.1 and 3.2.2, RFC 7592)."""

    ERROR = "error"
    ERROR_DESCRIPTION = "error_description"
    CLIENT_ID = "client_id"
    CLIENT_SECRET = "client_secret"
    REGISTRATION_ACCESS_TOKEN = "registration_access_token"
    REGISTRATION_CLIENT_URI = "registration_client_uri"
    CLIENT_ID_ISSUED_AT = "client_id_issued_at"
    CLIENT_SECRET_EXPIRES_AT = "client_secret_expires_at"
    SOFTWARE_STATEMENT = "software_statement"


@unique
class ClientMetadata(ConstantEnum):
    """Client metadata names (RFC 7591 section 2, OIDC Registration 1.0 section 2, IANA).

    This is also the body of a registration request (``OidcConstants.RegistrationRequest``).
    """

    REDIRECT_URIS = "redirect_uris"
    RESPONSE_TYPES = "response_types"
    GRANT_TYPES = "grant_types"
    APPLICATION_TYPE = "application_type"
    CONTACTS = "contacts"
    CLIENT_NAME = "client_name"
    LOGO_URI = "logo_uri"
    CLIENT_URI = "client_uri"
    POLICY_URI = "policy_uri"
    TOS_URI = "tos_uri"
    JWKS_URI = "jwks_uri"
    JWKS = "jwks"
    SECTOR_IDENTIFIER_URI = "sector_identifier_uri"
    SCOPE = "scope"
    POST_LOGOUT_REDIRECT_URIS = "post_logout_redirect_uris"
    FRONT_CHANNEL_LOGOUT_URI = "frontchannel_logout_uri"
    FRONT_CHANNEL_LOGOUT_SESSION_REQUIRED = "frontchannel_logout_session_required"
    BACKCHANNEL_LOGOUT_URI = "backchannel_logout_uri"
    BACKCHANNEL_LOGOUT_SESSION_REQUIRED = "backchannel_logout_session_required"
    SOFTWARE_ID = "software_id"
    SOFTWARE_STATEMENT = "software_statement"
    SOFTWARE_VERSION = "software_version"
    SUBJECT_TYPE = "subject_type"
    TOKEN_ENDPOINT_AUTHENTICATION_METHOD = "token_endpoint_auth_method"
    TOKEN_ENDPOINT_AUTHENTICATION_SIGNING_ALGORITHM = "token_endpoint_auth_signing_alg"
    DEFAULT_MAX_AGE = "default_max_age"
    REQUIRE_AUTHENTICATION_TIME = "require_auth_time"
    DEFAULT_ACR_VALUES = "default_acr_values"
    INITIATE_LOGIN_URI = "initiate_login_uri"
    REQUEST_URIS = "request_uris"
    IDENTITY_TOKEN_SIGNED_RESPONSE_ALGORITHM = "id_token_signed_response_alg"
    IDENTITY_TOKEN_ENCRYPTED_RESPONSE_ALGORITHM = "id_token_encrypted_response_alg"
    IDENTITY_TOKEN_ENCRYPTED_RESPONSE_ENCRYPTION = "id_token_encrypted_response_enc"
    USERINFO_SIGNED_RESPONSE_ALGORITHM = "userinfo_signed_response_alg"
    USER_INFO_ENCRYPTED_RESPONSE_ALGORITHM = "userinfo_encrypted_response_alg"
    USERINFO_ENCRYPTED_RESPONSE_ENCRYPTION = "userinfo_encrypted_response_enc"
    REQUEST_OBJECT_SIGNING_ALGORITHM = "request_object_signing_alg"
    REQUEST_OBJECT_ENCRYPTION_ALGORITHM = "request_object_encryption_alg"
    REQUEST_OBJECT_ENCRYPTION_ENCRYPTION = "request_object_encryption_enc"
    REQUIRE_SIGNED_REQUEST_OBJECT = "require_signed_request_object"
    ALWAYS_USE_DPOP_BOUND_ACCESS_TOKENS = "dpop_bound_access_tokens"
    INTROSPECTION_SIGNED_RESPONSE_ALGORITHM = "introspection_signed_response_alg"
    INTROSPECTION_ENCRYPTED_RESPONSE_ALGORITHM = "introspection_encrypted_response_alg"
    INTROSPECTION_ENCRYPTED_RESPONSE_ENCRYPTION = "introspection_encrypted_response_enc"
    # JARM
    AUTHORIZATION_SIGNED_RESPONSE_ALGORITHM = "authorization_signed_response_alg"
    AUTHORIZATION_ENCRYPTED_RESPONSE_ALGORITHM = "authorization_encrypted_response_alg"
    AUTHORIZATION_ENCRYPTED_RESPONSE_ENCRYPTION = "authorization_encrypted_response_enc"
    # RFC 8705 (mutual TLS)
    TLS_CLIENT_AUTH_SUBJECT_DN = "tls_client_auth_subject_dn"
    TLS_CLIENT_AUTH_SAN_DNS = "tls_client_auth_san_dns"
    TLS_CLIENT_AUTH_SAN_URI = "tls_client_auth_san_uri"
    TLS_CLIENT_AUTH_SAN_IP = "tls_client_auth_san_ip"
    TLS_CLIENT_AUTH_SAN_EMAIL = "tls_client_auth_san_email"
    TLS_CLIENT_CERTIFICATE_BOUND_ACCESS_TOKENS = "tls_client_certificate_bound_access_tokens"
    # RFC 9126 (PAR), RFC 9396 (RAR)
    REQUIRE_PUSHED_AUTHORIZATION_REQUESTS = "require_pushed_authorization_requests"
    AUTHORIZATION_DETAILS_TYPES = "authorization_details_types"
    # CIBA
    BACKCHANNEL_TOKEN_DELIVERY_MODE = "backchannel_token_delivery_mode"
    BACKCHANNEL_CLIENT_NOTIFICATION_ENDPOINT = "backchannel_client_notification_endpoint"
    BACKCHANNEL_AUTHENTICATION_REQUEST_SIGNING_ALGORITHM = (
        "backchannel_authentication_request_signing_alg"
    )
    BACKCHANNEL_USER_CODE_PARAMETER = "backchannel_user_code_parameter"
