"""Authorization server / OpenID provider metadata names (discovery documents).

Each value is a member name of the JSON metadata document served at
``/.well-known/openid-configuration`` or ``/.well-known/oauth-authorization-server``,
as registered in the IANA "OAuth Authorization Server Metadata" registry by:

* OpenID Connect Discovery 1.0 section 3 (provider metadata);
* RFC 8414 (OAuth 2.0 Authorization Server Metadata) sections 2 and 2.1;
* OpenID Connect Session Management 1.0, RP-Initiated Logout 1.0, Front-Channel
  Logout 1.0 and Back-Channel Logout 1.0;
* OpenID Connect CIBA Core 1.0 section 4; JWT Secured Authorization Response Mode (JARM);
  Initiating User Registration via OpenID Connect 1.0 (``prompt_values_supported``);
* RFC 8628 (device flow), RFC 8705 (mutual TLS), RFC 9101 (JAR), RFC 9126 (PAR),
  RFC 9207 (issuer identification), RFC 9396 (RAR), RFC 9449 (DPoP),
  RFC 9701 (JWT introspection responses) and RFC 9728 (``protected_resources``).

Registrations specific to other ecosystems (OpenID Federation, Identity Assurance,
FAPI Grant Management, ETSI NFV) are not included.

Canonical member names are those of py-identity-model 4.x (for example
``USER_INFO_ENDPOINT`` and ``ID_TOKEN_SIGNING_ALGORITHMS_SUPPORTED``).  Every member
is also reachable under the upper-cased metadata name (``USERINFO_ENDPOINT``,
``ID_TOKEN_SIGNING_ALG_VALUES_SUPPORTED``): ``Discovery[name.upper()]`` always works
for a registered name.  ``DISCOVERY_ENDPOINT`` is the one member that is not a
metadata name: it is the relative well-known path kept for 4.x compatibility (see
:class:`~py_identity_model.constants.routes.ProtocolRoutePaths`).

Note: type checkers model the spec-named aliases as distinct members, so code that
relies on narrowing (``match`` statements, ``is`` between two literal members)
should use the canonical names or compare ``.value``.
"""

from __future__ import annotations

from ._base import ConstantEnum

__all__ = ["Discovery"]


class Discovery(ConstantEnum):
    """Provider metadata names (OIDC Discovery 1.0 section 3, RFC 8414 section 2)."""

    ISSUER = "issuer"
    # endpoints
    AUTHORIZATION_ENDPOINT = "authorization_endpoint"
    DEVICE_AUTHORIZATION_ENDPOINT = "device_authorization_endpoint"
    TOKEN_ENDPOINT = "token_endpoint"
    USER_INFO_ENDPOINT = "userinfo_endpoint"
    INTROSPECTION_ENDPOINT = "introspection_endpoint"
    REVOCATION_ENDPOINT = "revocation_endpoint"
    DISCOVERY_ENDPOINT = ".well-known/openid-configuration"
    JWKS_URI = "jwks_uri"
    END_SESSION_ENDPOINT = "end_session_endpoint"
    CHECK_SESSION_IFRAME = "check_session_iframe"
    REGISTRATION_ENDPOINT = "registration_endpoint"
    MTLS_ENDPOINT_ALIASES = "mtls_endpoint_aliases"
    PUSHED_AUTHORIZATION_REQUEST_ENDPOINT = "pushed_authorization_request_endpoint"
    # common capabilities
    FRONT_CHANNEL_LOGOUT_SUPPORTED = "frontchannel_logout_supported"
    FRONT_CHANNEL_LOGOUT_SESSION_SUPPORTED = "frontchannel_logout_session_supported"
    BACK_CHANNEL_LOGOUT_SUPPORTED = "backchannel_logout_supported"
    BACK_CHANNEL_LOGOUT_SESSION_SUPPORTED = "backchannel_logout_session_supported"
    GRANT_TYPES_SUPPORTED = "grant_types_supported"
    CODE_CHALLENGE_METHODS_SUPPORTED = "code_challenge_methods_supported"
    SCOPES_SUPPORTED = "scopes_supported"
    SUBJECT_TYPES_SUPPORTED = "subject_types_supported"
    RESPONSE_MODES_SUPPORTED = "response_modes_supported"
    RESPONSE_TYPES_SUPPORTED = "response_types_supported"
    CLAIMS_SUPPORTED = "claims_supported"
    TOKEN_ENDPOINT_AUTHENTICATION_METHODS_SUPPORTED = "token_endpoint_auth_methods_supported"
    # more capabilities
    CLAIMS_LOCALES_SUPPORTED = "claims_locales_supported"
    CLAIMS_PARAMETER_SUPPORTED = "claims_parameter_supported"
    CLAIM_TYPES_SUPPORTED = "claim_types_supported"
    DISPLAY_VALUES_SUPPORTED = "display_values_supported"
    ACR_VALUES_SUPPORTED = "acr_values_supported"
    ID_TOKEN_ENCRYPTION_ALGORITHMS_SUPPORTED = "id_token_encryption_alg_values_supported"
    ID_TOKEN_ENCRYPTION_ENC_VALUES_SUPPORTED = "id_token_encryption_enc_values_supported"
    ID_TOKEN_SIGNING_ALGORITHMS_SUPPORTED = "id_token_signing_alg_values_supported"
    OP_POLICY_URI = "op_policy_uri"
    OP_TOS_URI = "op_tos_uri"
    REQUEST_OBJECT_ENCRYPTION_ALGORITHMS_SUPPORTED = (
        "request_object_encryption_alg_values_supported"
    )
    REQUEST_OBJECT_ENCRYPTION_ENC_VALUES_SUPPORTED = (
        "request_object_encryption_enc_values_supported"
    )
    REQUEST_OBJECT_SIGNING_ALGORITHMS_SUPPORTED = "request_object_signing_alg_values_supported"
    REQUEST_PARAMETER_SUPPORTED = "request_parameter_supported"
    REQUEST_URI_PARAMETER_SUPPORTED = "request_uri_parameter_supported"
    REQUIRE_REQUEST_URI_REGISTRATION = "require_request_uri_registration"
    SERVICE_DOCUMENTATION = "service_documentation"
    TOKEN_ENDPOINT_AUTH_SIGNING_ALGORITHMS_SUPPORTED = (
        "token_endpoint_auth_signing_alg_values_supported"
    )
    UI_LOCALES_SUPPORTED = "ui_locales_supported"
    USER_INFO_ENCRYPTION_ALGORITHMS_SUPPORTED = "userinfo_encryption_alg_values_supported"
    USER_INFO_ENCRYPTION_ENC_VALUES_SUPPORTED = "userinfo_encryption_enc_values_supported"
    USER_INFO_SIGNING_ALGORITHMS_SUPPORTED = "userinfo_signing_alg_values_supported"
    TLS_CLIENT_CERTIFICATE_BOUND_ACCESS_TOKENS = "tls_client_certificate_bound_access_tokens"
    AUTHORIZATION_RESPONSE_ISS_PARAMETER_SUPPORTED = (
        "authorization_response_iss_parameter_supported"
    )
    PROMPT_VALUES_SUPPORTED = "prompt_values_supported"
    INTROSPECTION_SIGNING_ALGORITHMS_SUPPORTED = "introspection_signing_alg_values_supported"
    INTROSPECTION_ENCRYPTION_ALGORITHMS_SUPPORTED = "introspection_encryption_alg_values_supported"
    INTROSPECTION_ENCRYPTION_ENC_VALUES_SUPPORTED = "introspection_encryption_enc_values_supported"
    # CIBA
    BACKCHANNEL_TOKEN_DELIVERY_MODES_SUPPORTED = "backchannel_token_delivery_modes_supported"
    BACKCHANNEL_AUTHENTICATION_ENDPOINT = "backchannel_authentication_endpoint"
    BACKCHANNEL_AUTHENTICATION_REQUEST_SIGNING_ALG_VALUES_SUPPORTED = (
        "backchannel_authentication_request_signing_alg_values_supported"
    )
    BACKCHANNEL_USER_CODE_PARAMETER_SUPPORTED = "backchannel_user_code_parameter_supported"
    # DPoP (RFC 9449)
    DPOP_SIGNING_ALGORITHMS_SUPPORTED = "dpop_signing_alg_values_supported"
    # PAR (RFC 9126)
    REQUIRE_PUSHED_AUTHORIZATION_REQUESTS = "require_pushed_authorization_requests"
    # RFC 8414: revocation / introspection client authentication, signed metadata
    REVOCATION_ENDPOINT_AUTH_METHODS_SUPPORTED = "revocation_endpoint_auth_methods_supported"
    REVOCATION_ENDPOINT_AUTH_SIGNING_ALG_VALUES_SUPPORTED = (
        "revocation_endpoint_auth_signing_alg_values_supported"
    )
    INTROSPECTION_ENDPOINT_AUTH_METHODS_SUPPORTED = "introspection_endpoint_auth_methods_supported"
    INTROSPECTION_ENDPOINT_AUTH_SIGNING_ALG_VALUES_SUPPORTED = (
        "introspection_endpoint_auth_signing_alg_values_supported"
    )
    SIGNED_METADATA = "signed_metadata"
    # JARM
    AUTHORIZATION_SIGNING_ALG_VALUES_SUPPORTED = "authorization_signing_alg_values_supported"
    AUTHORIZATION_ENCRYPTION_ALG_VALUES_SUPPORTED = "authorization_encryption_alg_values_supported"
    AUTHORIZATION_ENCRYPTION_ENC_VALUES_SUPPORTED = "authorization_encryption_enc_values_supported"
    # RFC 9101 (JAR), RFC 9396 (RAR), RFC 9728
    REQUIRE_SIGNED_REQUEST_OBJECT = "require_signed_request_object"
    AUTHORIZATION_DETAILS_TYPES_SUPPORTED = "authorization_details_types_supported"
    PROTECTED_RESOURCES = "protected_resources"

    # Aliases spelled exactly like the registered metadata names.
    USERINFO_ENDPOINT = "userinfo_endpoint"
    FRONTCHANNEL_LOGOUT_SUPPORTED = "frontchannel_logout_supported"
    FRONTCHANNEL_LOGOUT_SESSION_SUPPORTED = "frontchannel_logout_session_supported"
    BACKCHANNEL_LOGOUT_SUPPORTED = "backchannel_logout_supported"
    BACKCHANNEL_LOGOUT_SESSION_SUPPORTED = "backchannel_logout_session_supported"
    TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED = "token_endpoint_auth_methods_supported"
    ID_TOKEN_ENCRYPTION_ALG_VALUES_SUPPORTED = "id_token_encryption_alg_values_supported"
    ID_TOKEN_SIGNING_ALG_VALUES_SUPPORTED = "id_token_signing_alg_values_supported"
    REQUEST_OBJECT_ENCRYPTION_ALG_VALUES_SUPPORTED = (
        "request_object_encryption_alg_values_supported"
    )
    REQUEST_OBJECT_SIGNING_ALG_VALUES_SUPPORTED = "request_object_signing_alg_values_supported"
    TOKEN_ENDPOINT_AUTH_SIGNING_ALG_VALUES_SUPPORTED = (
        "token_endpoint_auth_signing_alg_values_supported"
    )
    USERINFO_ENCRYPTION_ALG_VALUES_SUPPORTED = "userinfo_encryption_alg_values_supported"
    USERINFO_ENCRYPTION_ENC_VALUES_SUPPORTED = "userinfo_encryption_enc_values_supported"
    USERINFO_SIGNING_ALG_VALUES_SUPPORTED = "userinfo_signing_alg_values_supported"
    INTROSPECTION_SIGNING_ALG_VALUES_SUPPORTED = "introspection_signing_alg_values_supported"
    INTROSPECTION_ENCRYPTION_ALG_VALUES_SUPPORTED = "introspection_encryption_alg_values_supported"
    DPOP_SIGNING_ALG_VALUES_SUPPORTED = "dpop_signing_alg_values_supported"

    @property
    def is_endpoint(self) -> bool:
        """Whether the metadata value is a URL the client may send requests to.

        True for every ``*_endpoint``, ``jwks_uri`` and ``check_session_iframe``;
        these are the values a discovery policy checks against the issuer's
        authority.  Human-readable pages (``op_policy_uri``, ``op_tos_uri``,
        ``service_documentation``) are not endpoints, and ``mtls_endpoint_aliases``
        (RFC 8705 section 5) is an object whose *members* are endpoints.
        """
        value: str = self.value
        return value.endswith("_endpoint") or value in ("jwks_uri", "check_session_iframe")
