"""Tests for OidcConstants, JwtClaimTypes and the protocol enumerations behind them."""

from __future__ import annotations

import re
from enum import Enum
from typing import cast

import pytest

from py_identity_model import constants
from py_identity_model.constants import (
    JwtClaimTypes,
    OidcConstants,
    oidc_errors,
    oidc_http,
    oidc_parameters,
    oidc_values,
)
from py_identity_model.constants.discovery import Discovery


def _namespaces() -> dict[str, type[Enum]]:
    return {
        name: value
        for name, value in vars(OidcConstants).items()
        if isinstance(value, type) and issubclass(value, Enum)
    }


def _aliases(enum_cls: type[Enum]) -> set[str]:
    """Member names that are aliases of an earlier member with the same value."""
    return {name for name, member in enum_cls.__members__.items() if member.name != name}


# --------------------------------------------------------------------------- api-compat


def test_api_compat_examples() -> None:
    assert OidcConstants.GrantTypes.CLIENT_CREDENTIALS.value == "client_credentials"
    assert OidcConstants.TokenRequest.CLIENT_ID.value == "client_id"
    assert OidcConstants.Discovery.ISSUER.value == "issuer"
    assert OidcConstants.StandardScopes.OFFLINE_ACCESS.value == "offline_access"
    assert JwtClaimTypes.Subject.value == "sub"
    assert JwtClaimTypes.Name.value == "name"
    assert JwtClaimTypes.EmailVerified.value == "email_verified"


def test_enums_are_plain_enums_with_str_returning_the_value() -> None:
    member = OidcConstants.GrantTypes.AUTHORIZATION_CODE
    # Plain Enum, as in py-identity-model 4.x: compare through ``.value``.
    assert not isinstance(member, str)
    assert cast(object, member) != "authorization_code"
    assert str(member) == "authorization_code"
    assert f"{member}" == "authorization_code"
    assert format(JwtClaimTypes.Subject) == "sub"
    assert OidcConstants.GrantTypes("authorization_code") is member
    assert isinstance(JwtClaimTypes.Subject, Enum)


# Member names of py-identity-model 4.1.1's ``oidc_constants`` enumerations.
UPSTREAM_MEMBER_NAMES = {
    "AuthorizeRequest": "SCOPE RESPONSE_TYPE CLIENT_ID REDIRECT_URI STATE RESPONSE_MODE NONCE "
    "DISPLAY PROMPT MAX_AGE UI_LOCALES ID_TOKEN_HINT LOGIN_HINT ACR_VALUES CODE_CHALLENGE "
    "CODE_CHALLENGE_METHOD REQUEST REQUEST_URI RESOURCE DPOP_KEY_THUMBPRINT",
    "AuthorizeErrors": "INVALID_REQUEST UNAUTHORIZED_CLIENT ACCESS_DENIED "
    "UNSUPPORTED_RESPONSE_TYPE INVALID_SCOPE SERVER_ERROR TEMPORARILY_UNAVAILABLE "
    "UNMET_AUTHENTICATION_REQUIREMENTS INTERACTION_REQUIRED LOGIN_REQUIRED "
    "ACCOUNT_SELECTION_REQUIRED CONSENT_REQUIRED INVALID_REQUEST_URI INVALID_REQUEST_OBJECT "
    "REQUEST_NOT_SUPPORTED REQUEST_URI_NOT_SUPPORTED REGISTRATION_NOT_SUPPORTED INVALID_TARGET",
    "AuthorizeResponse": "SCOPE CODE ACCESS_TOKEN EXPIRES_IN TOKEN_TYPE REFRESH_TOKEN "
    "IDENTITY_TOKEN STATE SESSION_STATE ISSUER ERROR ERROR_DESCRIPTION",
    "DeviceAuthorizationResponse": "DEVICE_CODE USER_CODE VERIFICATION_URI "
    "VERIFICATION_URI_COMPLETE EXPIRES_IN INTERVAL",
    "EndSessionRequest": "ID_TOKEN_HINT POST_LOGOUT_REDIRECT_URI STATE SID ISSUER UI_LOCALES",
    "TokenRequest": "GRANT_TYPE REDIRECT_URI CLIENT_ID CLIENT_SECRET CLIENT_ASSERTION "
    "CLIENT_ASSERTION_TYPE ASSERTION CODE REFRESH_TOKEN SCOPE USER_NAME PASSWORD CODE_VERIFIER "
    "TOKEN_TYPE ALGORITHM KEY DEVICE_CODE RESOURCE AUDIENCE REQUESTED_TOKEN_TYPE SUBJECT_TOKEN "
    "SUBJECT_TOKEN_TYPE ACTOR_TOKEN ACTOR_TOKEN_TYPE AUTHENTICATION_REQUEST_ID",
    "BackchannelAuthenticationRequest": "SCOPE CLIENT_NOTIFICATION_TOKEN ACR_VALUES "
    "LOGIN_HINT_TOKEN ID_TOKEN_HINT LOGIN_HINT BINDING_MESSAGE USER_CODE REQUESTED_EXPIRY "
    "REQUEST RESOURCE DPOP_KEY_THUMBPRINT",
    "BackchannelAuthenticationRequestErrors": "INVALID_REQUEST_OBJECT INVALID_REQUEST "
    "INVALID_SCOPE EXPIRED_LOGIN_HINT_TOKEN UNKNOWN_USER_ID UNAUTHORIZED_CLIENT "
    "MISSING_USER_CODE INVALID_USER_CODE INVALID_BINDING_MESSAGE INVALID_CLIENT ACCESS_DENIED "
    "INVALID_TARGET",
    "TokenRequestTypes": "BEARER POP",
    "TokenErrors": "INVALID_REQUEST INVALID_CLIENT INVALID_GRANT UNAUTHORIZED_CLIENT "
    "UNSUPPORTED_GRANT_TYPE UNSUPPORTED_RESPONSE_TYPE INVALID_SCOPE AUTHORIZATION_PENDING "
    "ACCESS_DENIED SLOW_DOWN EXPIRED_TOKEN INVALID_TARGET INVALID_DPOP_PROOF USE_DPOP_NONCE",
    "TokenResponse": "ACCESS_TOKEN EXPIRES_IN TOKEN_TYPE REFRESH_TOKEN IDENTITY_TOKEN ERROR "
    "ERROR_DESCRIPTION BEARER_TOKEN_TYPE DPOP_TOKEN_TYPE ISSUED_TOKEN_TYPE SCOPE",
    "BackchannelAuthenticationResponse": "AUTHENTICATION_REQUEST_ID EXPIRES_IN INTERVAL",
    "PushedAuthorizationRequestResponse": "EXPIRES_IN REQUEST_URI",
    "TokenIntrospectionRequest": "TOKEN TOKEN_TYPE_HINT",
    "RegistrationResponse": "ERROR ERROR_DESCRIPTION CLIENT_ID CLIENT_SECRET "
    "REGISTRATION_ACCESS_TOKEN REGISTRATION_CLIENT_URI CLIENT_ID_ISSUED_AT "
    "CLIENT_SECRET_EXPIRES_AT SOFTWARE_STATEMENT",
    "ClientMetadata": "REDIRECT_URIS RESPONSE_TYPES GRANT_TYPES APPLICATION_TYPE CONTACTS "
    "CLIENT_NAME LOGO_URI CLIENT_URI POLICY_URI TOS_URI JWKS_URI JWKS SECTOR_IDENTIFIER_URI "
    "SCOPE POST_LOGOUT_REDIRECT_URIS FRONT_CHANNEL_LOGOUT_URI "
    "FRONT_CHANNEL_LOGOUT_SESSION_REQUIRED BACKCHANNEL_LOGOUT_URI "
    "BACKCHANNEL_LOGOUT_SESSION_REQUIRED SOFTWARE_ID SOFTWARE_STATEMENT SOFTWARE_VERSION "
    "SUBJECT_TYPE TOKEN_ENDPOINT_AUTHENTICATION_METHOD "
    "TOKEN_ENDPOINT_AUTHENTICATION_SIGNING_ALGORITHM DEFAULT_MAX_AGE REQUIRE_AUTHENTICATION_TIME "
    "DEFAULT_ACR_VALUES INITIATE_LOGIN_URI REQUEST_URIS IDENTITY_TOKEN_SIGNED_RESPONSE_ALGORITHM "
    "IDENTITY_TOKEN_ENCRYPTED_RESPONSE_ALGORITHM IDENTITY_TOKEN_ENCRYPTED_RESPONSE_ENCRYPTION "
    "USERINFO_SIGNED_RESPONSE_ALGORITHM USER_INFO_ENCRYPTED_RESPONSE_ALGORITHM "
    "USERINFO_ENCRYPTED_RESPONSE_ENCRYPTION REQUEST_OBJECT_SIGNING_ALGORITHM "
    "REQUEST_OBJECT_ENCRYPTION_ALGORITHM REQUEST_OBJECT_ENCRYPTION_ENCRYPTION "
    "REQUIRE_SIGNED_REQUEST_OBJECT ALWAYS_USE_DPOP_BOUND_ACCESS_TOKENS "
    "INTROSPECTION_SIGNED_RESPONSE_ALGORITHM INTROSPECTION_ENCRYPTED_RESPONSE_ALGORITHM "
    "INTROSPECTION_ENCRYPTED_RESPONSE_ENCRYPTION",
    "TokenTypes": "ACCESS_TOKEN IDENTITY_TOKEN REFRESH_TOKEN",
    "TokenTypeIdentifiers": "ACCESS_TOKEN IDENTITY_TOKEN REFRESH_TOKEN SAML11 SAML2 JWT",
    "AuthenticationSchemes": "AUTHORIZATION_HEADER_BEARER AUTHORIZATION_HEADER_DPOP "
    "FORM_POST_BEARER QUERY_STRING_BEARER AUTHORIZATION_HEADER_POP FORM_POST_POP "
    "QUERY_STRING_POP",
    "GrantTypes": "PASSWORD AUTHORIZATION_CODE CLIENT_CREDENTIALS REFRESH_TOKEN IMPLICIT "
    "SAML2_BEARER JWT_BEARER DEVICE_CODE TOKEN_EXCHANGE CIBA",
    "ClientAssertionTypes": "JWT_BEARER SAML_BEARER",
    "ResponseTypes": "CODE TOKEN ID_TOKEN ID_TOKEN_TOKEN CODE_ID_TOKEN CODE_TOKEN "
    "CODE_ID_TOKEN_TOKEN",
    "ResponseModes": "FORM_POST QUERY FRAGMENT",
    "DisplayModes": "PAGE POPUP TOUCH WAP",
    "PromptModes": "NONE LOGIN CONSENT SELECT_ACCOUNT CREATE",
    "CodeChallengeMethods": "PLAIN SHA256",
    "ProtectedResourceErrors": "INVALID_TOKEN EXPIRED_TOKEN INVALID_REQUEST INSUFFICIENT_SCOPE",
    "EndpointAuthenticationMethods": "POST_BODY BASIC_AUTHENTICATION PRIVATE_KEY_JWT "
    "TLS_CLIENT_AUTH SELF_SIGNED_TLS_CLIENT_AUTH",
    "AuthenticationMethods": "FACIAL_RECOGNITION FINGERPRINT_BIOMETRIC GEOLOCATION "
    "PROOF_OF_POSSESSION_HARDWARE_SECURED_KEY IRIS_SCAN_BIOMETRIC "
    "KNOWLEDGE_BASED_AUTHENTICATION MULTIPLE_CHANNEL_AUTHENTICATION MULTI_FACTOR_AUTHENTICATION "
    "ONE_TIME_PASSWORD PERSONAL_IDENTIFICATION_OR_PATTERN PROOF_OF_POSSESSION_KEY PASSWORD "
    "RISK_BASED_AUTHENTICATION RETINA_SCAN_BIOMETRIC SMART_CARD CONFIRMATION_BY_SMS "
    "PROOF_OF_POSSESSION_SOFTWARE_SECURED_KEY CONFIRMATION_BY_TELEPHONE USER_PRESENCE_TEST "
    "VOICE_BIOMETRIC WINDOWS_INTEGRATED_AUTHENTICATION",
    "SymmetricAlgorithms": "HS256 HS384 HS512",
    "AsymmetricAlgorithms": "RS256 RS384 RS512 ES256 ES384 ES512 PS256 PS384 PS512",
    "Algorithms": "NONE",
    "Discovery": "ISSUER AUTHORIZATION_ENDPOINT DEVICE_AUTHORIZATION_ENDPOINT TOKEN_ENDPOINT "
    "USER_INFO_ENDPOINT INTROSPECTION_ENDPOINT REVOCATION_ENDPOINT DISCOVERY_ENDPOINT JWKS_URI "
    "END_SESSION_ENDPOINT CHECK_SESSION_IFRAME REGISTRATION_ENDPOINT MTLS_ENDPOINT_ALIASES "
    "PUSHED_AUTHORIZATION_REQUEST_ENDPOINT FRONT_CHANNEL_LOGOUT_SUPPORTED "
    "FRONT_CHANNEL_LOGOUT_SESSION_SUPPORTED BACK_CHANNEL_LOGOUT_SUPPORTED "
    "BACK_CHANNEL_LOGOUT_SESSION_SUPPORTED GRANT_TYPES_SUPPORTED "
    "CODE_CHALLENGE_METHODS_SUPPORTED SCOPES_SUPPORTED SUBJECT_TYPES_SUPPORTED "
    "RESPONSE_MODES_SUPPORTED RESPONSE_TYPES_SUPPORTED CLAIMS_SUPPORTED "
    "TOKEN_ENDPOINT_AUTHENTICATION_METHODS_SUPPORTED CLAIMS_LOCALES_SUPPORTED "
    "CLAIMS_PARAMETER_SUPPORTED CLAIM_TYPES_SUPPORTED DISPLAY_VALUES_SUPPORTED "
    "ACR_VALUES_SUPPORTED ID_TOKEN_ENCRYPTION_ALGORITHMS_SUPPORTED "
    "ID_TOKEN_ENCRYPTION_ENC_VALUES_SUPPORTED ID_TOKEN_SIGNING_ALGORITHMS_SUPPORTED "
    "OP_POLICY_URI OP_TOS_URI REQUEST_OBJECT_ENCRYPTION_ALGORITHMS_SUPPORTED "
    "REQUEST_OBJECT_ENCRYPTION_ENC_VALUES_SUPPORTED REQUEST_OBJECT_SIGNING_ALGORITHMS_SUPPORTED "
    "REQUEST_PARAMETER_SUPPORTED REQUEST_URI_PARAMETER_SUPPORTED "
    "REQUIRE_REQUEST_URI_REGISTRATION SERVICE_DOCUMENTATION "
    "TOKEN_ENDPOINT_AUTH_SIGNING_ALGORITHMS_SUPPORTED UI_LOCALES_SUPPORTED "
    "USER_INFO_ENCRYPTION_ALGORITHMS_SUPPORTED USER_INFO_ENCRYPTION_ENC_VALUES_SUPPORTED "
    "USER_INFO_SIGNING_ALGORITHMS_SUPPORTED TLS_CLIENT_CERTIFICATE_BOUND_ACCESS_TOKENS "
    "AUTHORIZATION_RESPONSE_ISS_PARAMETER_SUPPORTED PROMPT_VALUES_SUPPORTED "
    "INTROSPECTION_SIGNING_ALGORITHMS_SUPPORTED INTROSPECTION_ENCRYPTION_ALGORITHMS_SUPPORTED "
    "INTROSPECTION_ENCRYPTION_ENC_VALUES_SUPPORTED BACKCHANNEL_TOKEN_DELIVERY_MODES_SUPPORTED "
    "BACKCHANNEL_AUTHENTICATION_ENDPOINT "
    "BACKCHANNEL_AUTHENTICATION_REQUEST_SIGNING_ALG_VALUES_SUPPORTED "
    "BACKCHANNEL_USER_CODE_PARAMETER_SUPPORTED DPOP_SIGNING_ALGORITHMS_SUPPORTED "
    "REQUIRE_PUSHED_AUTHORIZATION_REQUESTS",
    "BackchannelTokenDeliveryModes": "POLL PING PUSH",
    "Events": "BACK_CHANNEL_LOGOUT",
    "BackChannelLogoutRequest": "LOGOUT_TOKEN",
    "StandardScopes": "OPENID PROFILE EMAIL ADDRESS PHONE OFFLINE_ACCESS",
    "HttpHeaders": "DPOP DPOP_NONCE",
}


@pytest.mark.parametrize("namespace", sorted(UPSTREAM_MEMBER_NAMES))
def test_upstream_namespaces_and_member_names_are_available(namespace: str) -> None:
    enum_cls = getattr(OidcConstants, namespace)
    missing = set(UPSTREAM_MEMBER_NAMES[namespace].split()) - set(enum_cls.__members__)
    assert not missing


@pytest.mark.parametrize(
    ("member", "value"),
    [
        (OidcConstants.GrantTypes.DEVICE_CODE, "urn:ietf:params:oauth:grant-type:device_code"),
        (
            OidcConstants.GrantTypes.TOKEN_EXCHANGE,
            "urn:ietf:params:oauth:grant-type:token-exchange",
        ),
        (OidcConstants.GrantTypes.JWT_BEARER, "urn:ietf:params:oauth:grant-type:jwt-bearer"),
        (OidcConstants.GrantTypes.SAML2_BEARER, "urn:ietf:params:oauth:grant-type:saml2-bearer"),
        (OidcConstants.GrantTypes.CIBA, "urn:openid:params:grant-type:ciba"),
        (
            OidcConstants.ClientAssertionTypes.JWT_BEARER,
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ),
        (
            OidcConstants.TokenTypeIdentifiers.ACCESS_TOKEN,
            "urn:ietf:params:oauth:token-type:access_token",
        ),
        (OidcConstants.AuthorizeRequest.DPOP_KEY_THUMBPRINT, "dpop_jkt"),
        (OidcConstants.AuthorizeResponse.IDENTITY_TOKEN, "id_token"),
        (OidcConstants.AuthorizeResponse.ISSUER, "iss"),
        (OidcConstants.TokenRequest.USER_NAME, "username"),
        (OidcConstants.TokenRequest.AUTHENTICATION_REQUEST_ID, "auth_req_id"),
        (OidcConstants.TokenResponse.DPOP_TOKEN_TYPE, "DPoP"),
        (OidcConstants.CodeChallengeMethods.SHA256, "S256"),
        (OidcConstants.Discovery.USER_INFO_ENDPOINT, "userinfo_endpoint"),
        (OidcConstants.Discovery.DISCOVERY_ENDPOINT, ".well-known/openid-configuration"),
        (
            OidcConstants.Events.BACK_CHANNEL_LOGOUT,
            "http://schemas.openid.net/event/backchannel-logout",
        ),
        (OidcConstants.HttpHeaders.DPOP_NONCE, "DPoP-Nonce"),
        (
            OidcConstants.ClientMetadata.ALWAYS_USE_DPOP_BOUND_ACCESS_TOKENS,
            "dpop_bound_access_tokens",
        ),
    ],
)
def test_selected_values(member: Enum, value: str) -> None:
    assert member.value == value


# ------------------------------------------------------------------ namespace structure

ALLOWED_ALIASES: dict[str, set[str]] = {
    "AuthenticationSchemes": {"QUERY_STRING_BEARER", "QUERY_STRING_POP"},
    "CodeChallengeMethods": {"S256"},
    "Discovery": {
        "USERINFO_ENDPOINT",
        "FRONTCHANNEL_LOGOUT_SUPPORTED",
        "FRONTCHANNEL_LOGOUT_SESSION_SUPPORTED",
        "BACKCHANNEL_LOGOUT_SUPPORTED",
        "BACKCHANNEL_LOGOUT_SESSION_SUPPORTED",
        "TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED",
        "ID_TOKEN_ENCRYPTION_ALG_VALUES_SUPPORTED",
        "ID_TOKEN_SIGNING_ALG_VALUES_SUPPORTED",
        "REQUEST_OBJECT_ENCRYPTION_ALG_VALUES_SUPPORTED",
        "REQUEST_OBJECT_SIGNING_ALG_VALUES_SUPPORTED",
        "TOKEN_ENDPOINT_AUTH_SIGNING_ALG_VALUES_SUPPORTED",
        "USERINFO_ENCRYPTION_ALG_VALUES_SUPPORTED",
        "USERINFO_ENCRYPTION_ENC_VALUES_SUPPORTED",
        "USERINFO_SIGNING_ALG_VALUES_SUPPORTED",
        "INTROSPECTION_SIGNING_ALG_VALUES_SUPPORTED",
        "INTROSPECTION_ENCRYPTION_ALG_VALUES_SUPPORTED",
        "DPOP_SIGNING_ALG_VALUES_SUPPORTED",
    },
}


@pytest.mark.parametrize("namespace", sorted(_namespaces()))
def test_values_are_unique_except_for_documented_aliases(namespace: str) -> None:
    enum_cls = _namespaces()[namespace]
    assert _aliases(enum_cls) == ALLOWED_ALIASES.get(enum_cls.__name__, set())


@pytest.mark.parametrize("namespace", sorted(_namespaces()))
def test_namespace_members_are_upper_case_strings(namespace: str) -> None:
    enum_cls = _namespaces()[namespace]
    assert len(enum_cls) > 0
    for name, member in enum_cls.__members__.items():
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", name), name
        assert isinstance(member.value, str)
        assert member.value
        assert member.value == member.value.strip()


def test_every_protocol_enum_is_reachable_from_the_namespace() -> None:
    reachable = set(_namespaces().values())
    for module in (oidc_parameters, oidc_errors, oidc_values, oidc_http):
        for name in module.__all__:
            assert getattr(module, name) in reachable, f"{module.__name__}.{name}"
    assert Discovery in reachable


def test_second_names_refer_to_the_same_enums() -> None:
    assert OidcConstants.RegistrationRequest is OidcConstants.ClientMetadata
    assert OidcConstants.IntrospectionRequest is OidcConstants.TokenIntrospectionRequest
    assert OidcConstants.RevocationRequest is OidcConstants.TokenRevocationRequest
    # (type checkers model Enum aliases as distinct members, hence the casts)
    s256: Enum = OidcConstants.CodeChallengeMethods.S256
    assert s256 is OidcConstants.CodeChallengeMethods.SHA256
    assert OidcConstants.CodeChallengeMethods("S256") is OidcConstants.CodeChallengeMethods.SHA256


# ------------------------------------------------------------------------ errors/values


def test_every_endpoint_error_code_is_in_errors() -> None:
    all_codes = {member.value for member in OidcConstants.Errors}
    for enum_cls in (
        OidcConstants.AuthorizeErrors,
        OidcConstants.TokenErrors,
        OidcConstants.DeviceAuthorizationErrors,
        OidcConstants.BackchannelAuthenticationRequestErrors,
        OidcConstants.ProtectedResourceErrors,
        OidcConstants.RevocationErrors,
        OidcConstants.RegistrationErrors,
    ):
        assert {m.value for m in enum_cls} <= all_codes, enum_cls.__name__


def test_required_error_codes() -> None:
    errors = OidcConstants.Errors
    for code in (
        "use_dpop_nonce", "invalid_dpop_proof", "invalid_target", "interaction_required",
        "login_required", "consent_required", "account_selection_required", "invalid_grant",
        "invalid_client", "authorization_pending", "slow_down", "expired_token",
        "access_denied", "invalid_token", "insufficient_scope", "unsupported_token_type",
    ):  # fmt: skip
        assert errors(code).value == code
    device = {m.value for m in OidcConstants.DeviceAuthorizationErrors}
    assert device == {"authorization_pending", "slow_down", "access_denied", "expired_token"}
    assert device <= {m.value for m in OidcConstants.TokenErrors}


def test_response_modes_include_jarm() -> None:
    assert {m.value for m in OidcConstants.ResponseModes} == {
        "query", "fragment", "form_post", "jwt", "query.jwt", "fragment.jwt", "form_post.jwt",
    }  # fmt: skip


def test_client_authentication_methods() -> None:
    methods = {m.value for m in OidcConstants.ClientAuthenticationMethods}
    assert methods == {
        "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt",
        "tls_client_auth", "self_signed_tls_client_auth", "none",
    }  # fmt: skip
    assert {m.value for m in OidcConstants.EndpointAuthenticationMethods} <= methods
    assert OidcConstants.EndpointAuthenticationMethods.POST_BODY.value == "client_secret_post"


def test_token_type_identifiers_follow_rfc_8693() -> None:
    prefix = "urn:ietf:params:oauth:token-type:"
    suffixes = {m.value.removeprefix(prefix) for m in OidcConstants.TokenTypeIdentifiers}
    assert all(m.value.startswith(prefix) for m in OidcConstants.TokenTypeIdentifiers)
    assert suffixes == {"access_token", "refresh_token", "id_token", "saml1", "saml2", "jwt"}


def test_misc_value_sets() -> None:
    assert [m.value for m in OidcConstants.CodeChallengeMethods] == ["plain", "S256"]
    assert {m.value for m in OidcConstants.PromptModes} == {
        "none", "login", "consent", "select_account", "create",
    }  # fmt: skip
    assert {m.value for m in OidcConstants.DisplayModes} == {"page", "popup", "touch", "wap"}
    assert {m.value for m in OidcConstants.StandardScopes} == {
        "openid", "profile", "email", "address", "phone", "offline_access",
    }  # fmt: skip
    assert all(" " not in m.value for m in OidcConstants.StandardScopes)
    # Multi-valued response types are space-separated, registered in this order.
    assert OidcConstants.ResponseTypes.CODE_ID_TOKEN_TOKEN.value.split() == [
        "code", "id_token", "token",
    ]  # fmt: skip


def test_package_all_is_consistent() -> None:
    for name in constants.__all__:
        assert hasattr(constants, name), name
    assert constants.OidcConstants is OidcConstants
    assert constants.JwtClaimTypes is JwtClaimTypes
