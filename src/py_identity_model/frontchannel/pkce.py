"""Proof Key for Code Exchange (RFC 7636).

The verifier is drawn from the full unreserved alphabet of RFC 7636 §4.1
(``A-Z a-z 0-9 - . _ ~``, 66 symbols): even the shortest allowed verifier (43 characters)
carries about 260 bits, above the 256 bits §7.1 recommends. ``S256`` is the default;
``plain`` is produced only when asked for by name (RFC 7636 §4.2 allows it only when
S256 cannot be used).
"""

from __future__ import annotations

import re
import secrets
import string
from enum import Enum

from ..constants.oidc_values import CodeChallengeMethods
from ..exceptions import FrontChannelConfigurationError
from ..utils.security import sha256_b64url

__all__ = [
    "MAX_VERIFIER_LENGTH",
    "MIN_VERIFIER_LENGTH",
    "generate_code_challenge",
    "generate_code_verifier",
    "generate_pkce_pair",
]

MIN_VERIFIER_LENGTH = 43
MAX_VERIFIER_LENGTH = 128

_UNRESERVED = string.ascii_letters + string.digits + "-._~"
_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}\Z")
_S256 = CodeChallengeMethods.S256.value
_PLAIN = CodeChallengeMethods.PLAIN.value


def _check_length(length: object) -> int:
    if (
        not isinstance(length, int)
        or isinstance(length, bool)
        or not MIN_VERIFIER_LENGTH <= length <= MAX_VERIFIER_LENGTH
    ):
        raise FrontChannelConfigurationError(
            f"Code verifier length must be an integer from {MIN_VERIFIER_LENGTH} "
            f"to {MAX_VERIFIER_LENGTH}"
        )
    return length


def generate_code_verifier(length: int = MAX_VERIFIER_LENGTH) -> str:
    """A cryptographically random code verifier of ``length`` unreserved characters.

    Raises :class:`FrontChannelConfigurationError` (a ``ConfigurationException`` and a
    ``ValueError``) when ``length`` is outside 43-128.
    """
    count = _check_length(length)
    return "".join(secrets.choice(_UNRESERVED) for _ in range(count))


def _method_name(method: object) -> object:
    return method.value if isinstance(method, Enum) else method


def generate_code_challenge(verifier: str, method: str | CodeChallengeMethods = _S256) -> str:
    """The ``code_challenge`` for ``verifier``: ``BASE64URL(SHA256(verifier))`` for S256.

    The verifier must match RFC 7636 §4.1 (43-128 unreserved characters); ``method`` is
    ``"S256"`` or, explicitly, ``"plain"`` (the challenge is then the verifier itself).
    The verifier never appears in error messages.
    """
    if not isinstance(verifier, str) or not _VERIFIER.match(verifier):
        raise FrontChannelConfigurationError(
            "Code verifier must be 43-128 characters from A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)"
        )
    name = _method_name(method)
    if name == _S256:
        return sha256_b64url(verifier.encode("ascii"))
    if name == _PLAIN:
        return verifier
    raise FrontChannelConfigurationError(
        f"Unsupported code_challenge_method {method!r}: use 'S256' (or 'plain')"
    )


def generate_pkce_pair(
    method: str | CodeChallengeMethods = _S256, verifier_length: int = MAX_VERIFIER_LENGTH
) -> tuple[str, str]:
    """A fresh ``(code_verifier, code_challenge)`` pair."""
    if _method_name(method) not in (_S256, _PLAIN):
        raise FrontChannelConfigurationError(
            f"Unsupported code_challenge_method {method!r}: use 'S256' (or 'plain')"
        )
    verifier = generate_code_verifier(verifier_length)
    return verifier, generate_code_challenge(verifier, method)
