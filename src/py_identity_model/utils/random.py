"""Cryptographically random identifiers (``state``, ``nonce``, ``jti``, PKCE verifiers)."""

from __future__ import annotations

import secrets

from ..exceptions import ConfigurationException
from .encoding import b64url_encode

__all__ = ["random_id", "random_token"]


def random_token(num_bytes: int = 32) -> str:
    """``num_bytes`` of OS randomness as base64url text (32 bytes → 43 characters, 256 bits)."""
    if num_bytes < 16:
        raise ConfigurationException("random_token needs at least 16 bytes (128 bits) of entropy")
    return b64url_encode(secrets.token_bytes(num_bytes))


def random_id() -> str:
    """A unique identifier with 128 bits of randomness, e.g. for ``jti`` claims."""
    return b64url_encode(secrets.token_bytes(16))
