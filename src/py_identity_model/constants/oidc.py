"""``OidcConstants``: one namespace for every OAuth 2.0 / OpenID Connect protocol constant.

This mirrors Duende.IdentityModel's static ``OidcConstants`` class: each attribute is
an :class:`~enum.Enum` with UPPER_CASE members whose values are the strings used on
the wire, so code written against py-identity-model 4.x (which exposed the same
enumerations from ``py_identity_model.oidc_constants``) keeps working::

    >>> from py_identity_model.constants import OidcConstants
    >>> OidcConstants.GrantTypes.CLIENT_CREDENTIALS.value
    'client_credentials'
    >>> str(OidcConstants.Discovery.ISSUER)
    'issuer'

The enumerations are defined in :mod:`.oidc_parameters` (request/response
parameter names), :mod:`.oidc_errors` (error codes), :mod:`.oidc_values` (grant types,
response types and other registered values), :mod:`.oidc_http` (HTTP-level names),
:mod:`.discovery` (provider metadata) and :mod:`.jose` (algorithms); see those modules
for the RFCs each one follows.  A few attributes are second names for the same enum
(``RegistrationRequest`` is ``ClientMetadata``, ``IntrospectionRequest`` is
``TokenIntrospectionRequest``, ``RevocationRequest`` is ``TokenRevocationRequest``).
"""

from __future__ import annotations

from typing import final

from . import (
    discovery as _discovery,
    jose as _jose,
    oidc_errors as _errors,
    oidc_http as _http,
    oidc_parameters as _params,
    oidc_values as _values,
)

__all__ = ["OidcConstants"]


@final
class OidcConstants:
    """Namespace of the OAuth 2.0 / OpenID Connect protocol constant enumerations.

    Not meant to be instantiated; use the class attributes, e.g.
    ``OidcConstants.TokenRequest.CLIENT_ID.value == "client_id"``.
    """

    __slots__ = ()

    # Request / response parameter names
    AuthorizeRequest = _params.AuthorizeRequest
    AuthorizeResponse = _params.AuthorizeResponse
    EndSessionRequest = _params.EndSessionRequest
    TokenRequest = _params.TokenRequest
    TokenResponse = _params.TokenResponse
    DeviceAuthorizationRequest = _params.DeviceAuthorizationRequest
    DeviceAuthorizationResponse = _params.DeviceAuthorizationResponse
    BackchannelAuthenticationRequest = _params.BackchannelAuthenticationRequest
    BackchannelAuthenticationResponse = _params.BackchannelAuthenticationResponse
    PushedAuthorizationRequestResponse = _params.PushedAuthorizationRequestResponse
    TokenIntrospectionRequest = _params.TokenIntrospectionRequest
    IntrospectionRequest = _params.TokenIntrospectionRequest
    IntrospectionResponse = _params.IntrospectionResponse
    TokenRevocationRequest = _params.TokenRevocationRequest
    RevocationRequest = _params.TokenRevocationRequest
    BackChannelLogoutRequest = _params.BackChannelLogoutRequest
    ClientMetadata = _params.ClientMetadata
    RegistrationRequest = _params.ClientMetadata
    RegistrationResponse = _params.RegistrationResponse

    # Error codes
    Errors = _errors.Errors
    AuthorizeErrors = _errors.AuthorizeErrors
    TokenErrors = _errors.TokenErrors
    DeviceAuthorizationErrors = _errors.DeviceAuthorizationErrors
    BackchannelAuthenticationRequestErrors = _errors.BackchannelAuthenticationRequestErrors
    ProtectedResourceErrors = _errors.ProtectedResourceErrors
    RevocationErrors = _errors.RevocationErrors
    RegistrationErrors = _errors.RegistrationErrors

    # Registered values
    GrantTypes = _values.GrantTypes
    ClientAssertionTypes = _values.ClientAssertionTypes
    ResponseTypes = _values.ResponseTypes
    ResponseModes = _values.ResponseModes
    DisplayModes = _values.DisplayModes
    PromptModes = _values.PromptModes
    CodeChallengeMethods = _values.CodeChallengeMethods
    StandardScopes = _values.StandardScopes
    TokenTypes = _values.TokenTypes
    TokenTypeIdentifiers = _values.TokenTypeIdentifiers
    TokenRequestTypes = _values.TokenRequestTypes
    ClientAuthenticationMethods = _values.ClientAuthenticationMethods
    EndpointAuthenticationMethods = _values.EndpointAuthenticationMethods
    AuthenticationMethods = _values.AuthenticationMethods
    BackchannelTokenDeliveryModes = _values.BackchannelTokenDeliveryModes
    Events = _values.Events
    SubjectTypes = _values.SubjectTypes
    ApplicationTypes = _values.ApplicationTypes

    # HTTP
    AuthenticationSchemes = _http.AuthenticationSchemes
    HttpHeaders = _http.HttpHeaders
    HttpMethods = _http.HttpMethods
    MediaTypes = _http.MediaTypes

    # Discovery metadata
    Discovery = _discovery.Discovery

    # Algorithms (py-identity-model 4.x names; see jose.SigningAlgorithms for all of them)
    Algorithms = _jose.Algorithms
    SymmetricAlgorithms = _jose.SymmetricAlgorithms
    AsymmetricAlgorithms = _jose.AsymmetricAlgorithms
