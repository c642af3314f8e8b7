"""OAuth 2.0 / OpenID Connect error codes (values of the ``error`` parameter).

Per-endpoint enumerations mirror py-identity-model 4.x / Duende.IdentityModel; the
:class:`Errors` enumeration is the union of every code, for callers that only need
to recognise a code whatever endpoint returned it.  Sources (all registered in the
IANA "OAuth Extensions Error Registry" unless noted):

* RFC 6749 sections 4.1.2.1 and 5.2; RFC 6750 section 3.1 (bearer token usage).
* OpenID Connect Core 1.0 section 3.1.2.6; OpenID Connect Core Unmet Authentication
  Requirements 1.0 (``unmet_authentication_requirements``).
* RFC 8628 section 3.5 (device flow); CIBA Core 1.0 sections 11-13.
* RFC 7009 section 2.2.1 (``unsupported_token_type``); RFC 7591 section 3.2.2.
* RFC 8707 section 2 (``invalid_target``); RFC 9449 sections 5, 7.1 and 8 (DPoP);
  RFC 9396 section 5 (``invalid_authorization_details``); RFC 9470 section 3
  (``insufficient_user_authentication``).
* ``expired_token`` for protected resources is a Duende.IdentityModel convention.
"""

from __future__ import annotations

from enum import unique

from ._base import ConstantEnum

__all__ = [
    "AuthorizeErrors",
    "BackchannelAuthenticationRequestErrors",
    "DeviceAuthorizationErrors",
    "Errors",
    "ProtectedResourceErrors",
    "RegistrationErrors",
    "RevocationErrors",
    "TokenErrors",
]


@unique
class AuthorizeErrors(ConstantEnum):
    """Authorization endpoint error codes (RFC 6749 4.1.2.1, OIDC Core 3.1.2.6)."""

    # OAuth 2.0
    INVALID_REQUEST = "invalid_request"
    UNAUTHORIZED_CLIENT = "unauthorized_client"
    ACCESS_DENIED = "access_denied"
    UNSUPPORTED_RESPONSE_TYPE = "unsupported_response_type"
    INVALID_SCOPE = "invalid_scope"
    SERVER_ERROR = "server_error"
    TEMPORARILY_UNAVAILABLE = "temporarily_unavailable"
    UNMET_AUTHENTICATION_REQUIREMENTS = "unmet_authentication_requirements"
    # OpenID Connect
    INTERACTION_REQUIRED = "interaction_required"
    LOGIN_REQUIRED = "login_required"
    ACCOUNT_SELECTION_REQUIRED = "account_selection_required"
    CONSENT_REQUIRED = "consent_required"
    INVALID_REQUEST_URI = "invalid_request_uri"
    INVALID_REQUEST_OBJECT = "invalid_request_object"
    REQUEST_NOT_SUPPORTED = "request_not_supported"
    REQUEST_URI_NOT_SUPPORTED = "request_uri_not_supported"
    REGISTRATION_NOT_SUPPORTED = "registration_not_supported"
    # RFC 8707 (resource indicators)
    INVALID_TARGET = "invalid_target"


@unique
class TokenErrors(ConstantEnum):
    """Token endpoint error codes (RFC 6749 5.2, RFC 8628 3.5, RFC 8707, RFC 9449)."""

    INVALID_REQUEST = "invalid_request"
    INVALID_CLIENT = "invalid_client"
    INVALID_GRANT = "invalid_grant"
    UNAUTHORIZED_CLIENT = "unauthorized_client"
    UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type"
    UNSUPPORTED_RESPONSE_TYPE = "unsupported_response_type"
    INVALID_SCOPE = "invalid_scope"
    AUTHORIZATION_PENDING = "authorization_pending"
    ACCESS_DENIED = "access_denied"
    SLOW_DOWN = "slow_down"
    EXPIRED_TOKEN = "expired_token"
    INVALID_TARGET = "invalid_target"
    INVALID_DPOP_PROOF = "invalid_dpop_proof"
    USE_DPOP_NONCE = "use_dpop_nonce"


@unique
class DeviceAuthorizationErrors(ConstantEnum):
    """Device access token polling error codes (RFC 8628 section 3.5)."""

    AUTHORIZATION_PENDING = "authorization_pending"
    SLOW_DOWN = "slow_down"
    ACCESS_DENIED = "access_denied"
    EXPIRED_TOKEN = "expired_token"


@unique
class BackchannelAuthenticationRequestErrors(ConstantEnum):
    """CIBA backchannel authentication error codes (CIBA Core 1.0 section 13)."""

    INVALID_REQUEST_OBJECT = "invalid_request_object"
    INVALID_REQUEST = "invalid_request"
    INVALID_SCOPE = "invalid_scope"
    EXPIRED_LOGIN_HINT_TOKEN = "expired_login_hint_token"
    UNKNOWN_USER_ID = "unknown_user_id"
    UNAUTHORIZED_CLIENT = "unauthorized_client"
    MISSING_USER_CODE = "missing_user_code"
    INVALID_USER_CODE = "invalid_user_code"
    INVALID_BINDING_MESSAGE = "invalid_binding_message"
    INVALID_CLIENT = "invalid_client"
    ACCESS_DENIED = "access_denied"
    INVALID_TARGET = "invalid_target"


@unique
class ProtectedResourceErrors(ConstantEnum):
    """Resource server ``WWW-Authenticate`` error codes (RFC 6750 3.1, RFC 9449, RFC 9470)."""

    INVALID_TOKEN = "invalid_token"
    EXPIRED_TOKEN = "expired_token"
    INVALID_REQUEST = "invalid_request"
    INSUFFICIENT_SCOPE = "insufficient_scope"
    INVALID_DPOP_PROOF = "invalid_dpop_proof"
    USE_DPOP_NONCE = "use_dpop_nonce"
    INSUFFICIENT_USER_AUTHENTICATION = "insufficient_user_authentication"


@unique
class RevocationErrors(ConstantEnum):
    """Revocation endpoint error code in addition to RFC 6749 5.2 (RFC 7009 2.2.1)."""

    UNSUPPORTED_TOKEN_TYPE = "unsupported_token_type"


@unique
class RegistrationErrors(ConstantEnum):
    """Dynamic client registration error codes (RFC 7591 section 3.2.2)."""

    INVALID_REDIRECT_URI = "invalid_redirect_uri"
    INVALID_CLIENT_METADATA = "invalid_client_metadata"
    INVALID_SOFTWARE_STATEMENT = "invalid_software_statement"
    UNAPPROVED_SOFTWARE_STATEMENT = "unapproved_software_statement"


@unique
class Errors(ConstantEnum):
    """Every error code known to this library, whichever endpoint returns it."""

    # RFC 6749
    INVALID_REQUEST = "invalid_request"
    INVALID_CLIENT = "invalid_client"
    INVALID_GRANT = "invalid_grant"
    UNAUTHORIZED_CLIENT = "unauthorized_client"
    UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type"
    UNSUPPORTED_RESPONSE_TYPE = "unsupported_response_type"
    INVALID_SCOPE = "invalid_scope"
    ACCESS_DENIED = "access_denied"
    SERVER_ERROR = "server_error"
    TEMPORARILY_UNAVAILABLE = "temporarily_unavailable"
    # RFC 6750, RFC 9470
    INVALID_TOKEN = "invalid_token"
    INSUFFICIENT_SCOPE = "insufficient_scope"
    INSUFFICIENT_USER_AUTHENTICATION = "insufficient_user_authentication"
    # OpenID Connect Core
    INTERACTION_REQUIRED = "interaction_required"
    LOGIN_REQUIRED = "login_required"
    ACCOUNT_SELECTION_REQUIRED = "account_selection_required"
    CONSENT_REQUIRED = "consent_required"
    INVALID_REQUEST_URI = "invalid_request_uri"
    INVALID_REQUEST_OBJECT = "invalid_request_object"
    REQUEST_NOT_SUPPORTED = "request_not_supported"
    REQUEST_URI_NOT_SUPPORTED = "request_uri_not_supported"
    REGISTRATION_NOT_SUPPORTED = "registration_not_supported"
    UNMET_AUTHENTICATION_REQUIREMENTS = "unmet_authentication_requirements"
    # RFC 8628 (device flow); ``expired_token`` also used by resource servers
    AUTHORIZATION_PENDING = "authorization_pending"
    SLOW_DOWN = "slow_down"
    EXPIRED_TOKEN = "expired_token"
    # RFC 8707, RFC 9396
    INVALID_TARGET = "invalid_target"
    INVALID_AUTHORIZATION_DETAILS = "invalid_authorization_details"
    # RFC 9449 (DPoP)
    INVALID_DPOP_PROOF = "invalid_dpop_proof"
    USE_DPOP_NONCE = "use_dpop_nonce"
    # RFC 7009
    UNSUPPORTED_TOKEN_TYPE = "unsupported_token_type"
    # RFC 7591
    INVALID_REDIRECT_URI = "invalid_redirect_uri"
    INVALID_CLIENT_METADATA = "invalid_client_metadata"
    INVALID_SOFTWARE_STATEMENT = "invalid_software_statement"
    UNAPPROVED_SOFTWARE_STATEMENT = "unapproved_software_statement"
    # CIBA
    EXPIRED_LOGIN_HINT_TOKEN = "expired_login_hint_token"
    UNKNOWN_USER_ID = "unknown_user_id"
    MISSING_USER_CODE = "missing_user_code"
    INVALID_USER_CODE = "invalid_user_code"
    INVALID_BINDING_MESSAGE = "invalid_binding_message"
    TRANSACTION_FAILED = "transaction_failed"
