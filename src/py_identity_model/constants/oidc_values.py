"""Registered parameter *values*: grant types, response types and modes, token types, ...

Sources:

* RFC 6749 (OAuth 2.0) sections 4 and 7.1; RFC 7521/7522/7523 (assertion grants and
  client assertions); RFC 8628 section 3.4 (device code grant); RFC 8693 sections 2.1
  and 3 (token exchange grant and token type identifiers); CIBA Core 1.0 section 10.1.
* OAuth 2.0 Multiple Response Type Encoding Practices; OAuth 2.0 Form Post Response Mode;
  JWT Secured Authorization Response Mode (JARM) section 2.3.
* OpenID Connect Core 1.0 sections 3.1.2.1, 5.4, 8 and 9; Initiating User Registration
  via OpenID Connect 1.0 (``prompt=create``); OpenID Connect Registration 1.0 section 2.
* RFC 7636 (PKCE) section 4.2; RFC 7591 section 2 and RFC 8705 section 2
  (client authentication methods); RFC 8176 (``amr`` values).
* CIBA Core 1.0 section 5 (token delivery modes); Back-Channel Logout 1.0 section 2.4.
"""

from __future__ import annotations

from enum import unique

from ._base import ConstantEnum

__all__ = [
    "ApplicationTypes",
    "AuthenticationMethods",
    "BackchannelTokenDeliveryModes",
    "ClientAssertionTypes",
    "ClientAuthenticationMethods",
    "CodeChallengeMethods",
    "DisplayModes",
    "EndpointAuthenticationMethods",
    "Events",
    "GrantTypes",
    "PromptModes",
    "ResponseModes",
    "ResponseTypes",
    "StandardScopes",
    "SubjectTypes",
    "TokenRequestTypes",
    "TokenTypeIdentifiers",
    "TokenTypes",
]


@unique
class GrantTypes(ConstantEnum):
    """``grant_type`` values (RFC 6749, RFC 7522, RFC 7523, RFC 8628, RFC 8693, CIBA)."""

    PASSWORD = "password"
    AUTHORIZATION_CODE = "authorization_code"
    CLIENT_CREDENTIALS = "client_credentials"
    REFRESH_TOKEN = "refresh_token"
    IMPLICIT = "implicit"
    SAML2_BEARER = "urn:ietf:params:oauth:grant-type:saml2-bearer"
    JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
    DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code"
    TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
    CIBA = "urn:openid:params:grant-type:ciba"


@unique
class ClientAssertionTypes(ConstantEnum):
    """``client_assertion_type`` values (RFC 7523 section 2.2, RFC 7522 section 2.2)."""

    JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    SAML_BEARER = "urn:ietf:params:oauth:client-assertion-type:saml2-bearer"


@unique
class ResponseTypes(ConstantEnum):
    """``response_type`` values (RFC 6749, OAuth 2.0 Multiple Response Type Encoding)."""

    CODE = "code"
    TOKEN = "token"
    ID_TOKEN = "id_token"
    ID_TOKEN_TOKEN = "id_token token"
    CODE_ID_TOKEN = "code id_token"
    CODE_TOKEN = "code token"
    CODE_ID_TOKEN_TOKEN = "code id_token token"
    NONE = "none"


@unique
class ResponseModes(ConstantEnum):
    """``response_mode`` values (Multiple Response Type Encoding, Form Post, JARM)."""

    FORM_POST = "form_post"
    QUERY = "query"
    FRAGMENT = "fragment"
    # JARM
    JWT = "jwt"
    QUERY_JWT = "query.jwt"
    FRAGMENT_JWT = "fragment.jwt"
    FORM_POST_JWT = "form_post.jwt"


@unique
class DisplayModes(ConstantEnum):
    """``display`` values (OpenID Connect Core 1.0 section 3.1.2.1)."""

    PAGE = "page"
    POPUP = "popup"
    TOUCH = "touch"
    WAP = "wap"


@unique
class PromptModes(ConstantEnum):
    """``prompt`` values (OIDC Core 3.1.2.1, Initiating User Registration 1.0)."""

    NONE = "none"
    LOGIN = "login"
    CONSENT = "consent"
    SELECT_ACCOUNT = "select_account"
    CREATE = "create"


class CodeChallengeMethods(ConstantEnum):
    """PKCE ``code_challenge_method`` values (RFC 7636 section 4.2).

    ``S256`` is an alias of ``SHA256`` (the py-identity-model 4.x name).
    """

    PLAIN = "plain"
    SHA256 = "S256"
    S256 = "S256"


@unique
class StandardScopes(ConstantEnum):
    """Scope values (OpenID Connect Core 1.0 sections 5.4 and 11)."""

    OPENID = "openid"
    PROFILE = "profile"
    EMAIL = "email"
    ADDRESS = "address"
    PHONE = "phone"
    OFFLINE_ACCESS = "offline_access"


@unique
class TokenTypes(ConstantEnum):
    """Token kinds, as used in ``token_type_hint`` (RFC 7009 section 2.1, RFC 7662)."""

    ACCESS_TOKEN = "access_token"
    IDENTITY_TOKEN = "id_token"
    REFRESH_TOKEN = "refresh_token"


@unique
class TokenTypeIdentifiers(ConstantEnum):
    """Token type URIs for token exchange (RFC 8693 section 3)."""

    ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token"
    IDENTITY_TOKEN = "urn:ietf:params:oauth:token-type:id_token"
    REFRESH_TOKEN = "urn:ietf:params:oauth:token-type:refresh_token"
    SAML11 = "urn:ietf:params:oauth:token-type:saml1"
    SAML2 = "urn:ietf:params:oauth:token-type:saml2"
    JWT = "urn:ietf:params:oauth:token-type:jwt"


@unique
class TokenRequestTypes(ConstantEnum):
    """Requested token flavours (Duende.IdentityModel ``TokenRequestTypes``)."""

    BEARER = "bearer"
    POP = "pop"


@unique
class ClientAuthenticationMethods(ConstantEnum):
    """``token_endpoint_auth_method`` values (RFC 7591 2, OIDC Core 9, RFC 8705 2)."""

    CLIENT_SECRET_BASIC = "client_secret_basic"
    CLIENT_SECRET_POST = "client_secret_post"
    CLIENT_SECRET_JWT = "client_secret_jwt"
    PRIVATE_KEY_JWT = "private_key_jwt"
    TLS_CLIENT_AUTH = "tls_client_auth"
    SELF_SIGNED_TLS_CLIENT_AUTH = "self_signed_tls_client_auth"
    NONE = "none"


@unique
class EndpointAuthenticationMethods(ConstantEnum):
    """Client authentication methods under py-identity-model 4.x / Duende names.

    See :class:`ClientAuthenticationMethods` for the complete list.
    """

    POST_BODY = "client_secret_post"
    BASIC_AUTHENTICATION = "client_secret_basic"
    PRIVATE_KEY_JWT = "private_key_jwt"
    TLS_CLIENT_AUTH = "tls_client_auth"
    SELF_SIGNED_TLS_CLIENT_AUTH = "self_signed_tls_client_auth"


@unique
class AuthenticationMethods(ConstantEnum):
    """Authentication Method Reference (``amr``) values (RFC 8176 section 2)."""

    FACIAL_RECOGNITION = "face"
    FINGERPRINT_BIOMETRIC = "fpt"
    GEOLOCATION = "geo"
    PROOF_OF_POSSESSION_HARDWARE_SECURED_KEY = "hwk"
    IRIS_SCAN_BIOMETRIC = "iris"
    KNOWLEDGE_BASED_AUTHENTICATION = "kba"
    MULTIPLE_CHANNEL_AUTHENTICATION = "mca"
    MULTI_FACTOR_AUTHENTICATION = "mfa"
    ONE_TIME_PASSWORD = "otp"
    PERSONAL_IDENTIFICATION_OR_PATTERN = "pin"
    PROOF_OF_POSSESSION_KEY = "pop"
    PASSWORD = "pwd"
    RISK_BASED_AUTHENTICATION = "rba"
    RETINA_SCAN_BIOMETRIC = "retina"
    SMART_CARD = "sc"
    CONFIRMATION_BY_SMS = "sms"
    PROOF_OF_POSSESSION_SOFTWARE_SECURED_KEY = "swk"
    CONFIRMATION_BY_TELEPHONE = "tel"
    USER_PRESENCE_TEST = "user"
    VOICE_BIOMETRIC = "vbm"
    WINDOWS_INTEGRATED_AUTHENTICATION = "wia"


@unique
class BackchannelTokenDeliveryModes(ConstantEnum):
    """CIBA token delivery modes (CIBA Core 1.0 section 5)."""

    POLL = "poll"
    PING = "ping"
    PUSH = "push"


@unique
class Events(ConstantEnum):
    """Security event type URIs carried in the ``events`` claim."""

    #: Back-Channel Logout 1.0 section 2.4: the logout token's ``events`` member.
    BACK_CHANNEL_LOGOUT = "http://schemas.openid.net/event/backchannel-logout"


@unique
class SubjectTypes(ConstantEnum):
    """Subject identifier types (OpenID Connect Core 1.0 section 8)."""

    PUBLIC = "public"
    PAIRWISE = "pairwise"


@unique
class ApplicationTypes(ConstantEnum):
    """``application_type`` client metadata values (OIDC Registration 1.0 section 2)."""

    WEB = "web"
    NATIVE = "native"
