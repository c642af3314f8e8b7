"""The registered authorization-server metadata names and their JSON types.

Sources: OpenID Connect Discovery 1.0 §3, RFC 8414 §2, and the registrations of
Session Management, Front-/Back-Channel Logout, RP-Initiated Logout, RFC 8628 (device),
RFC 8705 (mTLS), RFC 9126 (PAR), RFC 9101 (JAR), RFC 9207 (iss), RFC 9449 (DPoP),
RFC 9396 (RAR), RFC 9701 (JWT introspection), CIBA and JARM.

The order of :data:`METADATA_FIELDS` is the positional order of
:class:`~py_identity_model.DiscoveryDocumentResponse` (after ``is_successful, error``);
the first names keep py-identity-model 4.x's order.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["ENDPOINT_FIELDS", "METADATA_FIELDS", "NOT_VALIDATED_URLS", "MetadataKind"]

MetadataKind = Literal["url", "str", "strings", "bool", "aliases"]

METADATA_FIELDS: dict[str, MetadataKind] = {
    # py-identity-model 4.x order
    "issuer": "str",
    "jwks_uri": "url",
    "authorization_endpoint": "url",
    "token_endpoint": "url",
    "response_types_supported": "strings",
    "subject_types_supported": "strings",
    "id_token_signing_alg_values_supported": "strings",
    "userinfo_endpoint": "url",
    "registration_endpoint": "url",
    "scopes_supported": "strings",
    "response_modes_supported": "strings",
    "grant_types_supported": "strings",
    "acr_values_supported": "strings",
    "id_token_encryption_alg_values_supported": "strings",
    "id_token_encryption_enc_values_supported": "strings",
    "userinfo_signing_alg_values_supported": "strings",
    "userinfo_encryption_alg_values_supported": "strings",
    "userinfo_encryption_enc_values_supported": "strings",
    "request_object_signing_alg_values_supported": "strings",
    "request_object_encryption_alg_values_supported": "strings",
    "request_object_encryption_enc_values_supported": "strings",
    "token_endpoint_auth_methods_supported": "strings",
    "token_endpoint_auth_signing_alg_values_supported": "strings",
    "display_values_supported": "strings",
    "claim_types_supported": "strings",
    "claims_supported": "strings",
    "claims_locales_supported": "strings",
    "ui_locales_supported": "strings",
    "claims_parameter_supported": "bool",
    "request_parameter_supported": "bool",
    "request_uri_parameter_supported": "bool",
    "require_request_uri_registration": "bool",
    "service_documentation": "url",
    "op_policy_uri": "url",
    "op_tos_uri": "url",
    # Session management, logout
    "check_session_iframe": "url",
    "end_session_endpoint": "url",
    "frontchannel_logout_supported": "bool",
    "frontchannel_logout_session_supported": "bool",
    "backchannel_logout_supported": "bool",
    "backchannel_logout_session_supported": "bool",
    # RFC 8414 / RFC 7009 / RFC 7662
    "revocation_endpoint": "url",
    "revocation_endpoint_auth_methods_supported": "strings",
    "revocation_endpoint_auth_signing_alg_values_supported": "strings",
    "introspection_endpoint": "url",
    "introspection_endpoint_auth_methods_supported": "strings",
    "introspection_endpoint_auth_signing_alg_values_supported": "strings",
    "code_challenge_methods_supported": "strings",
    "signed_metadata": "str",
    # RFC 8628 device authorization
    "device_authorization_endpoint": "url",
    # RFC 8705 mTLS
    "tls_client_certificate_bound_access_tokens": "bool",
    "mtls_endpoint_aliases": "aliases",
    # RFC 9126 PAR, RFC 9101 JAR
    "pushed_authorization_request_endpoint": "url",
    "require_pushed_authorization_requests": "bool",
    "require_signed_request_object": "bool",
    # RFC 9207
    "authorization_response_iss_parameter_supported": "bool",
    # RFC 9449 DPoP
    "dpop_signing_alg_values_supported": "strings",
    # CIBA
    "backchannel_authentication_endpoint": "url",
    "backchannel_token_delivery_modes_supported": "strings",
    "backchannel_authentication_request_signing_alg_values_supported": "strings",
    "backchannel_user_code_parameter_supported": "bool",
    # JARM
    "authorization_signing_alg_values_supported": "strings",
    "authorization_encryption_alg_values_supported": "strings",
    "authorization_encryption_enc_values_supported": "strings",
    # RFC 9396, RFC 9701, prompt=create
    "authorization_details_types_supported": "strings",
    "introspection_signing_alg_values_supported": "strings",
    "introspection_encryption_alg_values_supported": "strings",
    "introspection_encryption_enc_values_supported": "strings",
    "prompt_values_supported": "strings",
}

# URLs that are documentation, not endpoints the client calls: never host-checked.
NOT_VALIDATED_URLS = frozenset({"service_documentation", "op_policy_uri", "op_tos_uri"})

ENDPOINT_FIELDS = tuple(
    name
    for name, kind in METADATA_FIELDS.items()
    if kind == "url" and name not in NOT_VALIDATED_URLS
)
