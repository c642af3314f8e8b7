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
    "CertificateBindingError",
    "ClaimsValidationError",
    "ConfigurationException",
    "DPoPProofException",
    "DiscoveryException",
    "DiscoveryHTTPSRequiredError",
    "DiscoveryMissingFieldsError",
    "DiscoveryParseError",
    "DiscoveryUnavailableError",
    "FrontChannelConfigurationError",
    "IdTokenValidationException",
    "InvalidAlgorithmException",
    "InvalidAudienceException",
    "InvalidCertificateError",
    "InvalidIssuerException",
    "InvalidJwkException",
    "InvalidKeyException",
    "InvalidTokenTypeException",
    "JarmValidationException",
    "JwksException",
    "JwksUnavailableError",
    "KeyNotFoundException",
    "LogoutStateValidationException",
    "LogoutTokenValidationException",
    "MalformedTokenException",
    "MissingClaimException",
    "NetworkException",
    "PushedAuthorizationException",
    "PyIdentityModelException",
    "ReplayStoreFullError",
    "SignatureVerificationException",
    "TokenDecryptionException",
    "FapiViolationError",
    "TokenExpiredException",
    "TokenNotYetValidException",
    "TokenRequestException",
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


class FapiViolationError(ConfigurationException):
    """A request or configuration breaks the FAPI 2.0 profile the client was given
    (:class:`~py_identity_model.FapiPolicy`), found before anything was sent.

    ``violations`` lists every broken clause (``clause``, ``message``); the message names
    them all, ``clause`` is the first.
    """

    code = "fapi_violation"

    def __init__(self, violations: Any) -> None:
        self.violations: tuple[Any, ...] = tuple(violations)
        super().__init__(
            "; ".join(str(v) for v in self.violations),
            details={"clauses": [v.clause for v in self.violations]},
        )

    @property
    def clause(self) -> str:
        """The first broken clause."""
        return str(self.violations[0].clause)


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


class DPoPProofException(TokenValidationException):
    """A DPoP proof (RFC 9449 §4.3) or a token's DPoP binding (§7) was rejected.

    ``error`` is the code a resource server answers in its ``WWW-Authenticate: DPoP``
    challenge (§7.1): ``invalid_dpop_proof``, ``use_dpop_nonce`` (§9; ``nonce`` is then
    the nonce to send in ``DPoP-Nonce``) or ``invalid_token`` (a binding that does not fit
    the presentation). ``error_code`` is the library's finer code (``invalid_dpop_proof``,
    ``dpop_proof_replayed``, ``dpop_nonce_required``, ``dpop_binding_mismatch``,
    ``replay_store_full``).
    """

    code = "invalid_dpop_proof"

    def __init__(
        self,
        message: str,
        token_part: str | None = None,
        details: dict[str, Any] | None = None,
        *,
        error: str = "invalid_dpop_proof",
        error_code: str = "invalid_dpop_proof",
        nonce: str | None = None,
    ) -> None:
        super().__init__(message, token_part, details=details)
        self.error = error
        self.error_code = error_code
        self.nonce = nonce


class TokenDecryptionException(TokenValidationException):
    """An encrypted token (JWE) could not be decrypted or is not acceptable."""

    code = "decryption_failed"


class ReplayStoreFullError(PyIdentityModelException):
    """A replay store holds only unexpired entries and refuses to forget one.

    Raised by :class:`~py_identity_model.caching.replay.MemoryReplayStore`; the validators
    turn it into their rejection with ``error_code="replay_store_full"`` (fail closed).
    """

    code = "replay_store_full"


class CertificateBindingError(TokenValidationException):
    """A certificate-bound access token (RFC 8705 §3) does not fit the presented certificate.

    Raised by :func:`~py_identity_model.mtls.binding.validate_certificate_binding`.
    ``error_code`` says why (``certificate_binding_mismatch``,
    ``missing_certificate_binding``, ``malformed_certificate_binding``,
    ``missing_client_certificate``); ``error`` is what a resource server answers in its
    ``WWW-Authenticate`` challenge (``invalid_token``, RFC 8705 §3, RFC 6750 §3.1).
    """

    code = "invalid_certificate_binding"

    def __init__(
        self,
        message: str,
        token_part: str | None = None,
        details: dict[str, Any] | None = None,
        *,
        error_code: str = "certificate_binding_mismatch",
    ) -> None:
        super().__init__(message, token_part, details=details)
        self.error = "invalid_token"
        self.error_code = error_code


class InvalidCertificateError(ValidationException, ValueError):
    """An X.509 certificate (PEM, DER, a file or a proxy header value) cannot be read.

    A :class:`ValidationException` and, as py-identity-model 4.x raised ``ValueError`` from
    ``compute_certificate_thumbprint``, a ``ValueError``. ``error_code`` is
    ``invalid_certificate`` or ``certificate_too_large``.
    """

    code = "invalid_certificate"

    def __init__(
        self,
        message: str,
        details: dict[str, Any] | None = None,
        *,
        error_code: str = "invalid_certificate",
    ) -> None:
        super().__init__(message, details=details)
        self.error_code = error_code


class LogoutStateValidationException(ValidationException):
    """The state returned to a post-logout redirect does not match."""

    code = "invalid_logout_state"


class AuthorizeCallbackException(ValidationException):
    """An authorization callback is invalid (state, issuer mix-up, error response)."""

    code = "invalid_callback"


class JarmValidationException(AuthorizeCallbackException):
    """A JARM response (``response=<JWT>``) was rejected: signature, ``alg``, ``iss``,
    ``aud``, ``exp``, decryption, or a malformed callback or claim.

    ``details["reason"]`` is the code of the check that failed (``invalid_signature``,
    ``invalid_audience``, ``token_expired``, ...); the exception that said so is its
    ``__cause__``.
    """

    code = "invalid_jarm_response"


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


class PushedAuthorizationException(NetworkException):
    """``OidcClient.prepare_login`` could not push its authorization request (RFC 9126).

    ``response`` is the failed :class:`~py_identity_model.PushedAuthorizationResponse`
    (the server's error, or why the answer was refused); ``error_code`` is its code.
    """

    code = "par_failed"

    def __init__(
        self,
        message: str,
        url: str | None = None,
        status_code: int | None = None,
        details: dict[str, Any] | None = None,
        *,
        error_code: str | None = None,
        response: Any = None,
    ) -> None:
        super().__init__(message, url, status_code, details, error_code=error_code)
        self.response = response


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


class TokenRequestException(NetworkException):
    """A token manager could not get a token (``get_access_token`` promises one or raises).

    ``error`` is the server's OAuth ``error`` (``invalid_client``, ``invalid_grant``, ...)
    or the library's code; ``error_code`` the stable code of the failed result
    (``timeout``, ``http_error``, ...); ``error_description`` the server's description.
    ``relogin_required`` is true when the user's refresh token is no longer accepted
    (``invalid_grant``) or there is none: the user must sign in again. The message never
    contains a token or a secret.
    """

    code = "token_request_failed"

    def __init__(
        self,
        message: str,
        *,
        error: str | None = None,
        error_code: str | None = None,
        error_description: str | None = None,
        status_code: int | None = None,
        url: str | None = None,
        relogin_required: bool = False,
    ) -> None:
        super().__init__(message, url, status_code, error_code=error_code)
        self.error = error
        self.error_description = error_description
        self.relogin_required = relogin_required
