"""Tests for the Discovery metadata enumeration (OidcConstants.Discovery)."""

from __future__ import annotations

from enum import Enum

from py_identity_model.constants.discovery import Discovery

# Metadata names per specification (IANA "OAuth Authorization Server Metadata" registry).
DISCOVERY_REGISTRY: dict[str, set[str]] = {
    "OpenID Connect Discovery 1.0 section 3": {
        "issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri",
        "registration_endpoint", "scopes_supported", "response_types_supported",
        "response_modes_supported", "grant_types_supported", "acr_values_supported",
        "subject_types_supported", "id_token_signing_alg_values_supported",
        "id_token_encryption_alg_values_supported", "id_token_encryption_enc_values_supported",
        "userinfo_signing_alg_values_supported", "userinfo_encryption_alg_values_supported",
        "userinfo_encryption_enc_values_supported", "request_object_signing_alg_values_supported",
        "request_object_encryption_alg_values_supported",
        "request_object_encryption_enc_values_supported", "token_endpoint_auth_methods_supported",
        "token_endpoint_auth_signing_alg_values_supported", "display_values_supported",
        "claim_types_supported", "claims_supported", "service_documentation",
        "claims_locales_supported", "ui_locales_supported", "claims_parameter_supported",
        "request_parameter_supported", "request_uri_parameter_supported",
        "require_request_uri_registration", "op_policy_uri", "op_tos_uri",
    },
    "RFC 8414 sections 2 and 2.1": {
        "issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "registration_endpoint",
        "scopes_supported", "response_types_supported", "response_modes_supported",
        "grant_types_supported", "token_endpoint_auth_methods_supported",
        "token_endpoint_auth_signing_alg_values_supported", "service_documentation",
        "ui_locales_supported", "op_policy_uri", "op_tos_uri", "revocation_endpoint",
        "revocation_endpoint_auth_methods_supported",
        "revocation_endpoint_auth_signing_alg_values_supported", "introspection_endpoint",
        "introspection_endpoint_auth_methods_supported",
        "introspection_endpoint_auth_signing_alg_values_supported",
        "code_challenge_methods_supported", "signed_metadata",
    },
    "OIDC Session Management / RP-Initiated Logout 1.0": {
        "check_session_iframe", "end_session_endpoint",
    },
    "OIDC Front-Channel Logout 1.0": {
        "frontchannel_logout_supported", "frontchannel_logout_session_supported",
    },
    "OIDC Back-Channel Logout 1.0": {
        "backchannel_logout_supported", "backchannel_logout_session_supported",
    },
    "OIDC CIBA Core 1.0": {
        "backchannel_token_delivery_modes_supported", "backchannel_authentication_endpoint",
        "backchannel_authentication_request_signing_alg_values_supported",
        "backchannel_user_code_parameter_supported",
    },
    "JARM": {
        "authorization_signing_alg_values_supported",
        "authorization_encryption_alg_values_supported",
        "authorization_encryption_enc_values_supported",
    },
    "Initiating User Registration via OIDC 1.0": {"prompt_values_supported"},
    "RFC 8628": {"device_authorization_endpoint"},
    "RFC 8705": {"tls_client_certificate_bound_access_tokens", "mtls_endpoint_aliases"},
    "RFC 9101": {"require_signed_request_object"},
    "RFC 9126": {"pushed_authorization_request_endpoint", "require_pushed_authorization_requests"},
    "RFC 9207": {"authorization_response_iss_parameter_supported"},
    "RFC 9396": {"authorization_details_types_supported"},
    "RFC 9449": {"dpop_signing_alg_values_supported"},
    "RFC 9701": {
        "introspection_signing_alg_values_supported",
        "introspection_encryption_alg_values_supported",
        "introspection_encryption_enc_values_supported",
    },
    "RFC 9728": {"protected_resources"},
}  # fmt: skip


def test_discovery_members_are_exactly_the_registered_metadata_names() -> None:
    registered = set().union(*DISCOVERY_REGISTRY.values())
    values = {member.value for member in Discovery} - {".well-known/openid-configuration"}
    assert values - registered == set(), "member not in any listed registry"
    assert registered - values == set(), "registered metadata name without a member"


def test_discovery_members_reachable_by_registered_name() -> None:
    for member in Discovery:
        if member is Discovery.DISCOVERY_ENDPOINT:
            continue
        assert Discovery[member.value.upper()] is member
    userinfo: Enum = Discovery.USERINFO_ENDPOINT
    assert userinfo is Discovery.USER_INFO_ENDPOINT
    id_token_algs: Enum = Discovery.ID_TOKEN_SIGNING_ALG_VALUES_SUPPORTED
    assert id_token_algs.name == "ID_TOKEN_SIGNING_ALGORITHMS_SUPPORTED"


def test_discovery_is_endpoint() -> None:
    endpoints = {member.value for member in Discovery if member.is_endpoint}
    assert endpoints == {
        "authorization_endpoint", "device_authorization_endpoint", "token_endpoint",
        "userinfo_endpoint", "introspection_endpoint", "revocation_endpoint", "jwks_uri",
        "end_session_endpoint", "check_session_iframe", "registration_endpoint",
        "pushed_authorization_request_endpoint", "backchannel_authentication_endpoint",
    }  # fmt: skip
    assert not Discovery.OP_POLICY_URI.is_endpoint
    assert not Discovery.MTLS_ENDPOINT_ALIASES.is_endpoint
    assert not Discovery.ISSUER.is_endpoint
