"""The one failure taxonomy of results: a broad :class:`ErrorType` and a stable ``error_code``.

Every failed result (a ``ProtocolResponse`` with ``is_successful=False``) carries

* ``error_type``: one of five broad classes (:class:`ErrorType`), for coarse handling;
* ``error_code``: a stable, machine-readable snake_case code to branch on. For an OAuth
  error answered by the server it is the server's own ``error`` (``invalid_grant``,
  ``use_dpop_nonce``, ...); for everything the library detects itself it is one of the
  codes registered here (``https_required``, ``response_too_large``, ...);
* ``error``: a readable message (for protocol errors, the server's ``error`` as 4.x did).

The library's own codes are defined once, below, each with its error type and meaning;
``docs/errors.md`` lists them (``scripts/gen_error_codes.py`` rewrites its table; a test
keeps the two in step). Exceptions carry the same kind of code in their ``code`` attribute
(see :mod:`py_identity_model.exceptions`).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

__all__ = [
    "LIBRARY_ERROR_CODES",
    "TRANSPORT_ERROR_CODES",
    "ErrorCodeInfo",
    "ErrorCodes",
    "ErrorType",
    "error_type_of",
]


class ErrorType(str, enum.Enum):
    """The broad class of a failed result."""

    PROTOCOL = "protocol"
    """The server answered with an OAuth/OIDC error (``{"error": "invalid_grant"}``)."""
    HTTP = "http"
    """An unexpected status (404, 500, a redirect) without an OAuth error body."""
    NETWORK = "network"
    """No usable response: DNS, connection, TLS, timeout."""
    INVALID_RESPONSE = "invalid_response"
    """A response arrived but is unusable: not JSON, wrong content type, missing members."""
    POLICY = "policy"
    """The library refused: plain HTTP to a remote host, an oversized body, an issuer or
    endpoint that breaks the policy, a state or issuer mismatch."""

    def __str__(self) -> str:
        # The wire value in f-strings and logs on every Python version (3.11 changed the
        # default of mixed-in enums to "ErrorType.NETWORK").
        return str(self.value)


@dataclass(frozen=True, slots=True)
class ErrorCodeInfo:
    """One of the library's own error codes."""

    code: str
    error_type: ErrorType
    meaning: str


_REGISTRY: dict[str, ErrorCodeInfo] = {}


def _define(code: str, error_type: ErrorType, meaning: str) -> str:
    _REGISTRY[code] = ErrorCodeInfo(code, error_type, meaning)
    return code


_N, _P, _H, _I = ErrorType.NETWORK, ErrorType.POLICY, ErrorType.HTTP, ErrorType.INVALID_RESPONSE


class ErrorCodes:
    """The codes the library itself puts in ``error_code`` (a namespace of strings)."""

    # --- transport (no usable response)
    TIMEOUT: Final = _define("timeout", _N, "No complete response within the timeout.")
    NETWORK_ERROR: Final = _define(
        "network_error", _N, "DNS, connection or protocol failure before a response."
    )
    TLS_ERROR: Final = _define(
        "tls_error", _N, "The TLS handshake failed (untrusted certificate, wrong host name)."
    )
    RESPONSE_TOO_LARGE: Final = _define(
        "response_too_large", _P, "The body (after decoding) exceeds the size limit."
    )
    UNSUPPORTED_CONTENT_ENCODING: Final = _define(
        "unsupported_content_encoding",
        _P,
        "The body uses a content coding the library does not accept (RFC 9110 §8.4).",
    )
    # --- addresses and endpoint policy (refused before any request)
    INVALID_URL: Final = _define(
        "invalid_url", _P, "The address is not an absolute http(s) URL the library may use."
    )
    HTTPS_REQUIRED: Final = _define(
        "https_required", _P, "Plain HTTP to a host that is not loopback."
    )
    ENDPOINT_NOT_ALLOWED: Final = _define(
        "endpoint_not_allowed",
        _P,
        "An endpoint lies outside the authority and the allowed base addresses.",
    )
    ISSUER_MISMATCH: Final = _define(
        "issuer_mismatch", _P, "The issuer is not the expected authority (discovery, RFC 9207)."
    )
    INVALID_ISSUER: Final = _define(
        "invalid_issuer", _P, "The issuer is not a valid issuer identifier (query, fragment)."
    )
    # --- responses
    HTTP_ERROR: Final = _define("http_error", _H, "An unexpected HTTP status, no OAuth error body.")
    REDIRECT_NOT_FOLLOWED: Final = _define(
        "redirect_not_followed", _H, "A redirect (3xx); the library never follows redirects."
    )
    WRONG_CONTENT_TYPE: Final = _define(
        "wrong_content_type", _I, "The response's content type is not the one expected."
    )
    INVALID_JSON: Final = _define(
        "invalid_json", _I, "The body is not strict UTF-8 JSON (or not the expected object)."
    )
    INVALID_JWT: Final = _define("invalid_jwt", _I, "A JWT response body is not a compact JWS/JWE.")
    INVALID_JWT_RESPONSE: Final = _define(
        "invalid_jwt_response",
        _P,
        "A JWT-formatted response (introspection, userinfo) failed verification: signature, "
        "iss, aud, typ, time claims or decryption.",
    )
    MISSING_FIELDS: Final = _define(
        "missing_fields", _I, "Required members are absent from the response."
    )
    INVALID_RESPONSE: Final = _define(
        "invalid_response", _I, "A member has the wrong type or an impossible value."
    )
    INVALID_NUMBER: Final = _define(
        "invalid_number", _I, "A numeric member is not a number in its allowed range."
    )
    # --- front channel and login
    INVALID_STATE: Final = _define(
        "invalid_state", _P, "The callback's state is missing or not the one sent."
    )
    MISSING_ISSUER: Final = _define(
        "missing_issuer", _P, "The callback lacks the iss parameter the provider promises."
    )
    INVALID_CALLBACK: Final = _define(
        "invalid_callback",
        _I,
        "The callback is malformed, or carries neither a code nor an error.",
    )
    INVALID_TOKEN_TYPE: Final = _define(
        "invalid_token_type", _I, "The token_type of a token response is not acceptable."
    )
    INVALID_ID_TOKEN: Final = _define(
        "invalid_id_token",
        _P,
        "The ID token was rejected (signature, issuer, audience, nonce, hashes, age).",
    )

    # --- introspection and revocation
    # --- userinfo
    SUB_MISMATCH: Final = _define(
        "sub_mismatch",
        _P,
        "The UserInfo answer is for another subject than expected (OIDC Core §5.3.4).",
    )
    # --- device flow and CIBA
    POLLING_TIMEOUT: Final = _define(
        "polling_timeout",
        _P,
        "Polling for a token gave up: the next poll would fall after the deadline (the "
        "device code's or request's expiry, or the caller's timeout) (RFC 8628 §3.5).",
    )
    POLLING_CANCELLED: Final = _define(
        "polling_cancelled",
        _P,
        "Polling for a token stopped because the caller cancelled it.",
    )
    INSECURE_VERIFICATION_URI: Final = _define(
        "insecure_verification_uri",
        _I,
        "The verification URI to show the user is not an absolute https URL (http only on "
        "a loopback host) (RFC 8628 §3.2).",
    )
    # --- token exchange and registration
    INVALID_REGISTRATION_CLIENT_URI: Final = _define(
        "invalid_registration_client_uri",
        _P,
        "The registration_client_uri of a registration answer is refused by the endpoint "
        "policy; the registration access token would be sent there (RFC 7592 §3).",
    )
    # --- protected resource metadata
    RESOURCE_MISMATCH: Final = _define(
        "resource_mismatch",
        _P,
        "The protected resource metadata names another resource than the one asked for "
        "(RFC 9728 §3.3).",
    )
    NO_AUTHORIZATION_SERVER: Final = _define(
        "no_authorization_server",
        _I,
        "The protected resource metadata lists no authorization server (RFC 9728 §2).",
    )
    AUTHORIZATION_SERVER_NOT_LISTED: Final = _define(
        "authorization_server_not_listed",
        _P,
        "The authorization server chosen is not one the protected resource lists.",
    )
    # --- dpop (client)
    # --- dpop (resource server) and back-channel logout
    INVALID_DPOP_PROOF: Final = _define(
        "invalid_dpop_proof",
        _P,
        "A DPoP proof was rejected: typ, alg, jwk, signature, htm, htu, iat, ath or the key "
        "binding (RFC 9449 §4.3).",
    )
    DPOP_PROOF_REPLAYED: Final = _define(
        "dpop_proof_replayed",
        _P,
        "A DPoP proof's jti was already used with the same key within its window (RFC 9449 §11.1).",
    )
    DPOP_NONCE_REQUIRED: Final = _define(
        "dpop_nonce_required",
        _P,
        "A DPoP proof lacks the server-issued nonce or carries a stale one; answer "
        "use_dpop_nonce with a fresh DPoP-Nonce (RFC 9449 §9).",
    )
    DPOP_BINDING_MISMATCH: Final = _define(
        "dpop_binding_mismatch",
        _P,
        "The access token's DPoP binding (cnf.jkt) does not fit how it was presented: a "
        "bound token as Bearer, an unbound token as DPoP (RFC 9449 §7).",
    )
    REPLAY_STORE_FULL: Final = _define(
        "replay_store_full",
        _P,
        "The replay store is full of unexpired entries and refuses more rather than forget "
        "one (fail closed).",
    )
    LOGOUT_TOKEN_REPLAYED: Final = _define(
        "logout_token_replayed",
        _P,
        "A logout token with this issuer and jti was already accepted (Back-Channel Logout "
        "1.0 §2.6).",
    )
    INVALID_LOGOUT_TOKEN: Final = _define(
        "invalid_logout_token",
        _P,
        "A back-channel logout token was rejected (signature, iss, aud, events, sid/sub, "
        "nonce, time claims).",
    )
    INVALID_LOGOUT_REQUEST: Final = _define(
        "invalid_logout_request",
        _P,
        "A back-channel logout POST is not a form with exactly one logout_token within the "
        "size limit (Back-Channel Logout 1.0 §2.5).",
    )
    # --- par, jar and rar
    MALFORMED_REQUEST_URI: Final = _define(
        "malformed_request_uri",
        _I,
        "The pushed authorization response's request_uri is not a URN of printable ASCII "
        "within the length limit (RFC 9126 §2.2).",
    )
    MALFORMED_AUTHORIZATION_DETAILS: Final = _define(
        "malformed_authorization_details",
        _I,
        "A response's authorization_details is not an array of objects, each with a string "
        "type and common fields of their RFC 9396 types (RFC 9396 §2, §7, §9.2).",
    )
    # --- jarm
    INVALID_JARM_RESPONSE: Final = _define(
        "invalid_jarm_response",
        _P,
        "A JARM authorization response (response=<JWT>) was rejected: signature, algorithm, "
        "iss, aud, exp, decryption, or malformed response parameters.",
    )
    JARM_RESPONSE_REQUIRED: Final = _define(
        "jarm_response_required",
        _P,
        "A JWT response mode (jwt, query.jwt, fragment.jwt, form_post.jwt) was requested but "
        "the callback carries no response JWT: plain, unsigned parameters are refused.",
    )
    # --- mtls
    CERTIFICATE_BINDING_MISMATCH: Final = _define(
        "certificate_binding_mismatch",
        _P,
        "The access token's cnf x5t#S256 is not the thumbprint of the presented client "
        "certificate (RFC 8705 §3).",
    )
    MISSING_CERTIFICATE_BINDING: Final = _define(
        "missing_certificate_binding",
        _P,
        "Certificate binding is required but the access token has no cnf x5t#S256 (RFC 8705 §3.1).",
    )
    MALFORMED_CERTIFICATE_BINDING: Final = _define(
        "malformed_certificate_binding",
        _I,
        "The access token's cnf claim is not an object, or its x5t#S256 is not the "
        "base64url encoding of a SHA-256 digest (RFC 8705 §3.1, RFC 7800 §3.1).",
    )
    MISSING_CLIENT_CERTIFICATE: Final = _define(
        "missing_client_certificate",
        _P,
        "The access token is certificate-bound but no client certificate was presented "
        "(RFC 8705 §3).",
    )
    INVALID_CERTIFICATE: Final = _define(
        "invalid_certificate",
        _I,
        "An X.509 certificate (PEM, DER, file or proxy header value) cannot be read.",
    )
    CERTIFICATE_TOO_LARGE: Final = _define(
        "certificate_too_large",
        _P,
        "A certificate (file or proxy header value) is larger than the size limit.",
    )
    # --- token management
    NO_REFRESH_TOKEN: Final = _define(
        "no_refresh_token",
        _P,
        "A user session has no refresh token left to renew its access token: the user must "
        "sign in again.",
    )
    UNKNOWN_SESSION: Final = _define(
        "unknown_session",
        _P,
        "No tokens are stored for this session key (never stored, expired, or logged out).",
    )
    # --- resource server
    MISSING_ACCESS_TOKEN: Final = _define(
        "missing_access_token",
        _P,
        "The request to a protected resource carries no access token in its Authorization "
        "header (answered 401 with the challenges and no error, RFC 6750 §3.1).",
    )
    MALFORMED_AUTHORIZATION: Final = _define(
        "malformed_authorization",
        _P,
        "The Authorization header is repeated, empty, too large, not a b64token, or uses a "
        "scheme the resource does not accept (Bearer with DPoP required, DPoP disabled).",
    )
    ACCESS_TOKEN_INVALID: Final = _define(
        "access_token_invalid",
        _P,
        "The access token failed validation (signature, expiry, audience, issuer, type, "
        "format); the rejection's reason names the validator's finer code.",
    )
    ACCESS_TOKEN_INACTIVE: Final = _define(
        "access_token_inactive",
        _P,
        "Introspection answered that the opaque access token is not active (or not for this "
        "audience).",
    )
    INSUFFICIENT_SCOPE: Final = _define(
        "insufficient_scope",
        _P,
        "The access token is valid but lacks a scope the resource requires (403).",
    )
    CLAIM_REQUIREMENT_FAILED: Final = _define(
        "claim_requirement_failed",
        _P,
        "The access token is valid but a claim the resource requires is missing or has "
        "another value (403 access_denied).",
    )
    STEP_UP_REQUIRED: Final = _define(
        "step_up_required",
        _P,
        "The user authentication behind the token is not strong or recent enough (acr, "
        "auth_time): 401 insufficient_user_authentication with acr_values/max_age (RFC 9470).",
    )
    AUTHORIZATION_SERVER_UNAVAILABLE: Final = _define(
        "authorization_server_unavailable",
        _N,
        "The provider's keys or the introspection endpoint could not be reached or answered "
        "badly: the resource answers 503, the token is not blamed.",
    )


LIBRARY_ERROR_CODES: Mapping[str, ErrorCodeInfo] = MappingProxyType(_REGISTRY)
"""Every code the library defines, with its error type and meaning."""

TRANSPORT_ERROR_CODES = (
    ErrorCodes.TIMEOUT,
    ErrorCodes.NETWORK_ERROR,
    ErrorCodes.TLS_ERROR,
    ErrorCodes.RESPONSE_TOO_LARGE,
    ErrorCodes.UNSUPPORTED_CONTENT_ENCODING,
    ErrorCodes.INVALID_URL,
)
"""The codes a transport may put in a ``TransportFailure``."""


def error_type_of(code: str) -> ErrorType:
    """The error type of one of the library's codes (``PROTOCOL`` for any other code)."""
    info = _REGISTRY.get(code)
    return info.error_type if info is not None else ErrorType.PROTOCOL
