"""Front-channel helpers: everything that travels through the user agent.

* :mod:`.pkce` - code verifiers and challenges (RFC 7636);
* :mod:`.authorize_url` - authorization request URLs (RFC 6749, OIDC Core, RFC 9396, ...);
* :mod:`.callback` - parsing the authorization response and checking ``state`` and
  ``iss`` (RFC 9207);
* :mod:`.end_session` - RP-Initiated Logout URLs.

All of it is pure computation (no I/O), shared as-is by the sync and async APIs.
"""

from __future__ import annotations

from ..exceptions import FrontChannelConfigurationError
from ._params import ParameterInput
from .authorize_url import AuthorizeRequest, build_authorization_url
from .callback import (
    MAX_CALLBACK_LENGTH,
    AuthorizeCallbackResponse,
    AuthorizeCallbackValidationResult,
    StateValidationResult,
    parse_authorize_callback_response,
    validate_authorize_callback,
    validate_authorize_callback_issuer,
    validate_authorize_callback_state,
)
from .end_session import build_end_session_url, validate_post_logout_state
from .pkce import (
    MAX_VERIFIER_LENGTH,
    MIN_VERIFIER_LENGTH,
    generate_code_challenge,
    generate_code_verifier,
    generate_pkce_pair,
)

__all__ = [
    "MAX_CALLBACK_LENGTH",
    "MAX_VERIFIER_LENGTH",
    "MIN_VERIFIER_LENGTH",
    "AuthorizeCallbackResponse",
    "AuthorizeCallbackValidationResult",
    "AuthorizeRequest",
    "FrontChannelConfigurationError",
    "ParameterInput",
    "StateValidationResult",
    "build_authorization_url",
    "build_end_session_url",
    "generate_code_challenge",
    "generate_code_verifier",
    "generate_pkce_pair",
    "parse_authorize_callback_response",
    "validate_authorize_callback",
    "validate_authorize_callback_issuer",
    "validate_authorize_callback_state",
    "validate_post_logout_state",
]
