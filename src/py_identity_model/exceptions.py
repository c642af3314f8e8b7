"""The one exception hierarchy of py-identity-model.

Exceptions are reserved for *misuse* (bad configuration, invalid arguments) and for
validation APIs that promise to raise (``validate_token`` and friends). I/O functions
never raise for HTTP, network or response problems: they return a result whose
``is_successful`` is ``False``.

Every class derives from :class:`PyIdentityModelException`; no third-party exception
(httpx, json, binascii, cryptography, ...) escapes the public API. Each class carries a
stable machine-readable ``code`` beside the human message, so callers can branch on
``exc.code`` without parsing text. Messages name the failing claim or parameter but never
echo tokens or secrets. ``docs/errors.md`` documents the tree and every code.

When a validator cannot obtain the keys, it raises :class:`DiscoveryUnavailableError` or
:class:`JwksUnavailableError`: each is a network exception (``DiscoveryException`` /
``JwksException``) *and* a :class:`TokenValidationException`, so code written as
``except TokenValidationException`` (py-identity-model 4.x) and code that tells outages
apart (``except NetworkException``) both work. Their ``error_code`` is the failed result's.

The 4.x exception names that nothing raises any more live in
:mod:`py_identity_model.compat`.
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "AuthorizeCallbackException",
    "ClaimsValidationError",
    "ConfigurationException",
    "DiscoveryException",
    "DiscoveryHTTPSRequiredError",
    "DiscoveryMissingFieldsError",
    "DiscoveryParseError",
    "DiscoveryUnavailableError",
    "FrontChannelConfigurationError",
    "IdTokenValidationException",
    "InvalidAlgorithmException",
    "InvalidAudienceException",
    "InvalidIssuerException",
    "InvalidJwkException",
    "InvalidKeyException",
    "InvalidTokenTypeException",
    "JwksException",
    "JwksUnavailableError",
    "KeyNotFoundException",
    "LogoutStateValidationException",
    "LogoutTokenValidationException",
    "MalformedTokenException",
    "MissingClaimException",
    "NetworkException",
    "PyIdentityModelException",
    "SignatureVerificationException",
    "TokenDecryptionException",
    "TokenExpiredException",
    "TokenNotYetValidException",
    "TokenValidationException",
    "ValidationException",
]


class PyIdentityModelException(Exception):
    """Base class of every exception raised by py-identity-model."""

    code: ClassVar[str] = "py_identity_model_error"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        # Subclasses pass ``details`` by keyword: a class may derive from two branches.
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = dict(details) if details else {}

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


# --------------------------------------------------------------------------- misuse


class ConfigurationException(PyIdentityModelException):
    """The library was configured or called incorrectly (a programming error)."""

    code = "configuration_error"


class FrontChannelConfigurationError(ConfigurationException, ValueError):
    """A front-channel helper (PKCE, authorize or end-session URL) was called wrongly.

    It is a :class:`ConfigurationException` and, for drop-in compatibility with
    py-identity-model 4.x (which raised ``ValueError`` from these helpers), a ``ValueError``.
    """

    code = "configuration_error"


class DiscoveryHTTPSRequiredError(ConfigurationException):
    """A discovery address uses plain HTTP on a non-loopback host."""

    code = "https_required"


# --------------------------------------------------------------------- validation


class ValidationException(PyIdentityModelException):
    """A validation API rejected its input."""

    code = "validation_error"


class TokenValidationException(ValidationException):
    """A token was rejected. ``token_part`` names where: ``header``, ``payload``, ``signature``."""

    code = "invalid_token"

    def __init__(
        self,
        message: str,
        token_part: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, details=details)
        self.token_part = token_part


class MalformedTokenException(TokenValidationException):
    """The token is not a well-formed compact JWS/JWE (segments, base64url, JSON, size)."""

    code = "malformed_token"


class InvalidAlgorithmException(TokenValidationException):
    """The ``alg`` is not allowed, is ``none``, or does not fit the key."""

    code = "invalid_algorithm"


class KeyNotFoundException(TokenValidationException):
    """No key matches the token's ``kid``/``alg`` (after at most one JWKS refresh)."""

    code = "key_not_found"


class InvalidKeyException(TokenValidationException):
    """A key is unusable: malformed, too small, wrong curve, or ``use``/``key_ops`` forbid it."""

    code = "invalid_key"


class InvalidJwkException(InvalidKeyException, ConfigurationException):
    """A JWK could not be read (``JsonWebKey.from_json`` / ``from_dict`` / ``jwks_from_dict``).

    An :class:`InvalidKeyException` and, as py-identity-model 4.x callers catch it, a
    :class:`ConfigurationException`.
    """

    code = "invalid_key"


class SignatureVerificationException(TokenValidationException):
    """The signature does not verify."""

    code = "invalid_signature"


class TokenExpiredException(TokenValidationException):
    """``exp`` is in the past (beyond the allowed leeway)."""

    code = "token_expired"


class TokenNotYetValidException(TokenValidationException):
    """``nbf`` (or ``iat``) is in the future (beyond the allowed leeway)."""

    code = "token_not_yet_valid"


class InvalidAudienceException(TokenValidationException):
    """``aud`` does not contain the expected audience (or ``azp`` is wrong)."""

    code = "invalid_audience"


class InvalidIssuerException(TokenValidationException):
    """``iss`` is not the expected issuer."""

    code = "invalid_issuer"


class InvalidTokenTypeException(TokenValidationException):
    """The ``typ`` header is not the expected one (for example ``at+jwt``)."""

    code = "invalid_token_type"


class MissingClaimException(TokenValidationException):
    """A required claim is absent."""

    code = "missing_claim"


class ClaimsValidationError(TokenValidationException):
    """A claim has a wrong value or type, or a custom claims validator rejected the token."""

    code = "invalid_claims"


class IdTokenValidationException(TokenValidationException):
    """An ID token broke an OpenID Connect Core §3.1.3.7 rule (nonce, at_hash, auth_time, ...)."""

    code = "invalid_id_token"


class LogoutTokenValidationException(TokenValidationException):
    """A back-channel logout token broke an OIDC Back-Channel Logout rule."""

    code = "invalid_logout_token"


class TokenDecryptionException(TokenValidationException):
    """An encrypted token (JWE) could not be decrypted or is not acceptable."""

    code = "decryption_failed"


class LogoutStateValidationException(ValidationException):
    """The state returned to a post-logout redirect does not match."""

    code = "invalid_logout_state"


class AuthorizeCallbackException(ValidationException):
    """An authorization callback is invalid (state, issuer mix-up, error response)."""

    code = "invalid_callback"


# ------------------------------------------------------------------------- network


class NetworkException(PyIdentityModelException):
    """An HTTP exchange failed. Raised only by APIs that promise to raise (validators)."""

    code = "network_error"

    def __init__(
        self,
        message: str,
        url: str | None = None,
        status_code: int | None = None,
        details: dict[str, Any] | None = None,
        *,
        error_code: str | None = None,
    ) -> None:
        super().__init__(message, details=details)
        self.url = url
        self.status_code = status_code
        self.error_code = error_code
        """The ``error_code`` of the failed result behind it (``timeout``, ``https_required``,
        ``missing_fields``, ...), when there is one."""


class DiscoveryException(NetworkException):
    """The discovery document could not be obtained or is invalid."""

    code = "discovery_failed"


class JwksException(NetworkException):
    """The JWKS could not be obtained or is invalid."""

    code = "jwks_failed"


class _KeysUnavailable(NetworkException, TokenValidationException):
    """A validator could not obtain what it verifies with: both an outage and a rejection."""


class DiscoveryUnavailableError(_KeysUnavailable, DiscoveryException):
    """A validator could not use the discovery document (network, HTTP, policy, content).

    Catchable as :class:`DiscoveryException` and as :class:`TokenValidationException`.
    """

    code = "discovery_failed"


class DiscoveryParseError(DiscoveryUnavailableError):
    """The discovery document is not JSON, not an object, or has members of the wrong type."""

    code = "discovery_parse_error"


class DiscoveryMissingFieldsError(DiscoveryUnavailableError):
    """The discovery document lacks required metadata (``issuer``, ``jwks_uri``)."""

    code = "discovery_missing_fields"


class JwksUnavailableError(_KeysUnavailable, JwksException):
    """A validator could not obtain the key set (network, HTTP, policy, content).

    Catchable as :class:`JwksException` and as :class:`TokenValidationException`.
    """

    code = "jwks_failed"
