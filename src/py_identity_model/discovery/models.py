"""Discovery request, policy and response types (OpenID Connect Discovery 1.0, RFC 8414)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import KW_ONLY, dataclass, field
from typing import Any, Literal

from ..endpoints.policy import EndpointPolicy
from ..errors import ErrorType
from ..exceptions import ConfigurationException
from ..http.results import ProtocolResponse

__all__ = [
    "DiscoveryDocumentRequest",
    "DiscoveryDocumentResponse",
    "DiscoveryErrorKind",
    "DiscoveryPolicy",
]

AuthorityValidation = Literal["string", "url"]
MetadataFormat = Literal["openid", "oauth"]


@dataclass
class DiscoveryPolicy:
    """What a discovery document must satisfy (Duende.IdentityModel semantics, secure defaults).

    Attributes:
        require_https: the discovery URL, the issuer and every endpoint must use HTTPS...
        allow_http_on_loopback: ...except on ``localhost``, ``127.0.0.0/8`` and ``::1``.
        validate_issuer: the document's ``issuer`` must equal the authority.
        validate_endpoints: every endpoint must be on the authority's scheme, host and port
            and under its path, unless it starts with one of
            ``additional_endpoint_base_addresses`` or its name is in
            ``endpoint_validation_excludes``.
        require_key_set: ``jwks_uri`` must be present.
        authority: the expected issuer when it differs from the discovery address.
        allow_loopback_endpoints: accept endpoints on any loopback host (local development
            with mixed ``localhost``/``127.0.0.1`` names).
        authority_validation: ``"string"`` compares issuer and authority as strings
            (ignoring one trailing slash); ``"url"`` compares them as URLs, so
            ``https://a:443/t/`` equals ``https://a/t``.
        endpoint_validation_excludes: metadata names never host-checked.
    """

    require_https: bool = True
    allow_http_on_loopback: bool = True
    validate_issuer: bool = True
    validate_endpoints: bool = True
    require_key_set: bool = True
    additional_endpoint_base_addresses: list[str] = field(default_factory=list)
    authority: str | None = None
    allow_loopback_endpoints: bool = False
    _: KW_ONLY
    authority_validation: AuthorityValidation = "string"
    endpoint_validation_excludes: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for name in (
            "require_https",
            "allow_http_on_loopback",
            "validate_issuer",
            "validate_endpoints",
            "require_key_set",
            "allow_loopback_endpoints",
        ):
            if not isinstance(getattr(self, name), bool):
                raise ConfigurationException(f"DiscoveryPolicy.{name} must be True or False")
        if self.authority is not None and not isinstance(self.authority, str):
            raise ConfigurationException("DiscoveryPolicy.authority must be a URL string")
        if self.authority_validation not in ("string", "url"):
            raise ConfigurationException("authority_validation must be 'string' or 'url'")
        excludes = self.endpoint_validation_excludes
        if isinstance(excludes, str) or not isinstance(excludes, Iterable):
            raise ConfigurationException("endpoint_validation_excludes must be a set of names")
        self.endpoint_validation_excludes = frozenset(excludes)
        self.endpoint_policy  # noqa: B018 - validates the base addresses now, not at first use

    @property
    def endpoint_policy(self) -> EndpointPolicy:
        """The URL rules this policy applies to the discovery URL, the issuer and endpoints."""
        bases = self.additional_endpoint_base_addresses
        return EndpointPolicy(
            require_https=self.require_https,
            allow_http_on_loopback=self.allow_http_on_loopback,
            allowed_base_addresses=tuple(bases) if isinstance(bases, (list, tuple)) else bases,
            allow_loopback_endpoints=self.allow_loopback_endpoints,
        )


@dataclass
class DiscoveryDocumentRequest:
    """Where to find the metadata, and the policy it must satisfy.

    ``address`` is the full ``.well-known`` URL or the authority (issuer) itself, as
    Duende accepts; the well-known path is then added. ``metadata_format="oauth"`` asks for
    RFC 8414's ``/.well-known/oauth-authorization-server``, inserted between host and path
    for an issuer with a path (RFC 8414 §3.1).
    """

    address: str
    policy: DiscoveryPolicy | None = None
    _: KW_ONLY
    metadata_format: MetadataFormat = "openid"


DiscoveryErrorKind = ErrorType
"""py-identity-model 4.x's name for the failure class of a discovery result: the library's
one :class:`~py_identity_model.errors.ErrorType`. The finer reason (``issuer_mismatch``,
``missing_fields``, ``endpoint_not_allowed``, ...) is the result's ``error_code``."""


@dataclass(repr=False)
class DiscoveryDocumentResponse(ProtocolResponse):
    """The discovery document, with every registered metadata field typed.

    Fields not registered in the specs are available through ``json``.
    """

    issuer: str | None = None
    jwks_uri: str | None = None
    authorization_endpoint: str | None = None
    token_endpoint: str | None = None
    response_types_supported: list[str] | None = None
    subject_types_supported: list[str] | None = None
    id_token_signing_alg_values_supported: list[str] | None = None
    userinfo_endpoint: str | None = None
    registration_endpoint: str | None = None
    scopes_supported: list[str] | None = None
    response_modes_supported: list[str] | None = None
    grant_types_supported: list[str] | None = None
    acr_values_supported: list[str] | None = None
    id_token_encryption_alg_values_supported: list[str] | None = None
    id_token_encryption_enc_values_supported: list[str] | None = None
    userinfo_signing_alg_values_supported: list[str] | None = None
    userinfo_encryption_alg_values_supported: list[str] | None = None
    userinfo_encryption_enc_values_supported: list[str] | None = None
    request_object_signing_alg_values_supported: list[str] | None = None
    request_object_encryption_alg_values_supported: list[str] | None = None
    request_object_encryption_enc_values_supported: list[str] | None = None
    token_endpoint_auth_methods_supported: list[str] | None = None
    token_endpoint_auth_signing_alg_values_supported: list[str] | None = None
    display_values_supported: list[str] | None = None
    claim_types_supported: list[str] | None = None
    claims_supported: list[str] | None = None
    claims_locales_supported: list[str] | None = None
    ui_locales_supported: list[str] | None = None
    claims_parameter_supported: bool | None = None
    request_parameter_supported: bool | None = None
    request_uri_parameter_supported: bool | None = None
    require_request_uri_registration: bool | None = None
    service_documentation: str | None = None
    op_policy_uri: str | None = None
    op_tos_uri: str | None = None
    check_session_iframe: str | None = None
    end_session_endpoint: str | None = None
    frontchannel_logout_supported: bool | None = None
    frontchannel_logout_session_supported: bool | None = None
    backchannel_logout_supported: bool | None = None
    backchannel_logout_session_supported: bool | None = None
    revocation_endpoint: str | None = None
    revocation_endpoint_auth_methods_supported: list[str] | None = None
    revocation_endpoint_auth_signing_alg_values_supported: list[str] | None = None
    introspection_endpoint: str | None = None
    introspection_endpoint_auth_methods_supported: list[str] | None = None
    introspection_endpoint_auth_signing_alg_values_supported: list[str] | None = None
    code_challenge_methods_supported: list[str] | None = None
    signed_metadata: str | None = None
    device_authorization_endpoint: str | None = None
    tls_client_certificate_bound_access_tokens: bool | None = None
    mtls_endpoint_aliases: dict[str, str] | None = None
    pushed_authorization_request_endpoint: str | None = None
    require_pushed_authorization_requests: bool | None = None
    require_signed_request_object: bool | None = None
    authorization_response_iss_parameter_supported: bool | None = None
    dpop_signing_alg_values_supported: list[str] | None = None
    backchannel_authentication_endpoint: str | None = None
    backchannel_token_delivery_modes_supported: list[str] | None = None
    backchannel_authentication_request_signing_alg_values_supported: list[str] | None = None
    backchannel_user_code_parameter_supported: bool | None = None
    authorization_signing_alg_values_supported: list[str] | None = None
    authorization_encryption_alg_values_supported: list[str] | None = None
    authorization_encryption_enc_values_supported: list[str] | None = None
    authorization_details_types_supported: list[str] | None = None
    introspection_signing_alg_values_supported: list[str] | None = None
    introspection_encryption_alg_values_supported: list[str] | None = None
    introspection_encryption_enc_values_supported: list[str] | None = None
    prompt_values_supported: list[str] | None = None
    _: KW_ONLY
    error_kind: ErrorType | None = None
    """4.x alias of ``error_type`` (kept in step with it)."""
    status_code: int | None = None
    """4.x alias of ``http_status`` (kept in step with it)."""
    missing_fields: list[str] | None = None

    def __post_init__(self) -> None:
        # The 4.x names are aliases: whichever was given fills the other.
        if self.error_kind is None:
            self.error_kind = self.error_type
        elif self.error_type is None:
            self.error_type = self.error_kind
        if self.status_code is None:
            self.status_code = self.http_status
        elif self.http_status is None:
            self.http_status = self.status_code

    def get(self, name: str, default: Any = None) -> Any:
        """Any metadata member by its JSON name, registered or not."""
        return (self.json or {}).get(name, default)

    def endpoint(self, name: str, *, mtls: bool = False) -> str | None:
        """An endpoint URL by metadata name; with ``mtls=True`` its RFC 8705 alias if one exists."""
        if mtls and self.mtls_endpoint_aliases and name in self.mtls_endpoint_aliases:
            return self.mtls_endpoint_aliases[name]
        value = self.get(name)
        return value if isinstance(value, str) else None
