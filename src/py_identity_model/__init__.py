"""py-identity-model: an OAuth 2.0 and OpenID Connect client library (sync API).

The async twin of every I/O function lives in :mod:`py_identity_model.aio`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._exports import SYNC as _EXPORTS
from ._version import __version__

if TYPE_CHECKING:
    from py_identity_model.constants import (
        JwtClaimTypes as JwtClaimTypes,
    )
    from py_identity_model.constants import (
        JwtHeaderParameterNames as JwtHeaderParameterNames,
    )
    from py_identity_model.constants import (
        OidcConstants as OidcConstants,
    )
    from py_identity_model.constants import (
        ProtocolRoutePaths as ProtocolRoutePaths,
    )
    from py_identity_model.discovery.cache import (
        DiscoveryCache as DiscoveryCache,
    )
    from py_identity_model.discovery.models import (
        DiscoveryDocumentRequest as DiscoveryDocumentRequest,
    )
    from py_identity_model.discovery.models import (
        DiscoveryDocumentResponse as DiscoveryDocumentResponse,
    )
    from py_identity_model.discovery.models import (
        DiscoveryErrorKind as DiscoveryErrorKind,
    )
    from py_identity_model.discovery.models import (
        DiscoveryPolicy as DiscoveryPolicy,
    )
    from py_identity_model.exceptions import (
        AuthorizeCallbackException as AuthorizeCallbackException,
    )
    from py_identity_model.exceptions import (
        CertificateBindingError as CertificateBindingError,
    )
    from py_identity_model.exceptions import (
        ClaimsValidationError as ClaimsValidationError,
    )
    from py_identity_model.exceptions import (
        ConfigurationException as ConfigurationException,
    )
    from py_identity_model.exceptions import (
        DiscoveryException as DiscoveryException,
    )
    from py_identity_model.exceptions import (
        DiscoveryHTTPSRequiredError as DiscoveryHTTPSRequiredError,
    )
    from py_identity_model.exceptions import (
        DiscoveryMissingFieldsError as DiscoveryMissingFieldsError,
    )
    from py_identity_model.exceptions import (
        DiscoveryParseError as DiscoveryParseError,
    )
    from py_identity_model.exceptions import (
        IdTokenValidationException as IdTokenValidationException,
    )
    from py_identity_model.exceptions import (
        InvalidAlgorithmException as InvalidAlgorithmException,
    )
    from py_identity_model.exceptions import (
        InvalidAudienceException as InvalidAudienceException,
    )
    from py_identity_model.exceptions import (
        InvalidIssuerException as InvalidIssuerException,
    )
    from py_identity_model.exceptions import (
        InvalidKeyException as InvalidKeyException,
    )
    from py_identity_model.exceptions import (
        InvalidTokenTypeException as InvalidTokenTypeException,
    )
    from py_identity_model.exceptions import (
        JarmValidationException as JarmValidationException,
    )
    from py_identity_model.exceptions import (
        JwksException as JwksException,
    )
    from py_identity_model.exceptions import (
        KeyNotFoundException as KeyNotFoundException,
    )
    from py_identity_model.exceptions import (
        LogoutStateValidationException as LogoutStateValidationException,
    )
    from py_identity_model.exceptions import (
        LogoutTokenValidationException as LogoutTokenValidationException,
    )
    from py_identity_model.exceptions import (
        MalformedTokenException as MalformedTokenException,
    )
    from py_identity_model.exceptions import (
        MissingClaimException as MissingClaimException,
    )
    from py_identity_model.exceptions import (
        NetworkException as NetworkException,
    )
    from py_identity_model.exceptions import (
        PyIdentityModelException as PyIdentityModelException,
    )
    from py_identity_model.exceptions import (
        SignatureVerificationException as SignatureVerificationException,
    )
    from py_identity_model.exceptions import (
        TokenDecryptionException as TokenDecryptionException,
    )
    from py_identity_model.exceptions import (
        TokenExpiredException as TokenExpiredException,
    )
    from py_identity_model.exceptions import (
        TokenNotYetValidException as TokenNotYetValidException,
    )
    from py_identity_model.exceptions import (
        TokenRequestException as TokenRequestException,
    )
    from py_identity_model.exceptions import (
        TokenValidationException as TokenValidationException,
    )
    from py_identity_model.exceptions import (
        UserInfoException as UserInfoException,
    )
    from py_identity_model.exceptions import (
        ValidationException as ValidationException,
    )
    from py_identity_model.http.results import (
        ErrorType as ErrorType,
    )
    from py_identity_model.http.results import (
        ProtocolResponse as ProtocolResponse,
    )
    from py_identity_model.http.sync_client import (
        HTTPClient as HTTPClient,
    )
    from py_identity_model.identity import (
        Claim as Claim,
    )
    from py_identity_model.identity import (
        ClaimsIdentity as ClaimsIdentity,
    )
    from py_identity_model.identity import (
        ClaimsPrincipal as ClaimsPrincipal,
    )
    from py_identity_model.identity import (
        ClaimValueTypes as ClaimValueTypes,
    )
    from py_identity_model.identity import (
        to_principal as to_principal,
    )
    from py_identity_model.jose import (
        JsonWebKey as JsonWebKey,
    )
    from py_identity_model.jose import (
        JsonWebKeySet as JsonWebKeySet,
    )
    from py_identity_model.jwks.models import (
        JwksRequest as JwksRequest,
    )
    from py_identity_model.jwks.models import (
        JwksResponse as JwksResponse,
    )
    from py_identity_model.options import (
        LibraryOptions as LibraryOptions,
    )
    from py_identity_model.options import (
        RetryPolicy as RetryPolicy,
    )
    from py_identity_model.options import (
        configure as configure,
    )
    from py_identity_model.options import (
        get_options as get_options,
    )
    from py_identity_model.sync.discovery import (
        get_discovery_document as get_discovery_document,
    )
    from py_identity_model.sync.jwks import (
        get_jwks as get_jwks,
    )
    from py_identity_model.sync.validation import (
        validate_id_token as validate_id_token,
    )
    from py_identity_model.sync.validation import (
        validate_logout_token as validate_logout_token,
    )
    from py_identity_model.sync.validation import (
        validate_token as validate_token,
    )
    from py_identity_model.utils.parameters import (
        Parameters as Parameters,
    )
    from py_identity_model.validation.config import (
        TokenValidationConfig as TokenValidationConfig,
    )
    from py_identity_model.validation.jwt import (
        JsonWebToken as JsonWebToken,
    )
    from py_identity_model.validation.validator import (
        TokenValidator as TokenValidator,
    )

__all__ = ["__version__", *sorted(_EXPORTS)]  # noqa: PLE0604


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # resolve once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
