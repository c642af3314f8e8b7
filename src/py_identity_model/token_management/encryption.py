"""Encryption of cached tokens at rest: AES-GCM with a key id, so keys can rotate.

A stored value is ``pyidm-enc1.<kid>.<base64url(nonce || ciphertext || tag)>``; the cache
key is the additional authenticated data, so an entry copied under another key does not
decrypt. Values are encrypted with the current key and decrypted with whichever key their
``kid`` names: add the new key, make it current, drop the old one once its entries
expired.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from typing import Any

from ..exceptions import ConfigurationException
from ..utils.encoding import b64url_decode, b64url_encode

__all__ = ["TokenEncryption", "encryption_from"]

_PREFIX = "pyidm-enc1."
_NONCE = 12


def _check_key(key: object, kid: str) -> bytes:
    if not isinstance(key, (bytes, bytearray)) or len(key) not in (16, 24, 32):
        raise ConfigurationException(
            f"encryption key {kid!r} must be 16, 24 or 32 bytes (AES-128/192/256)"
        )
    return bytes(key)


def key_id(key: bytes) -> str:
    """The default id of a key: the start of its SHA-256 (no key material revealed)."""
    return hashlib.sha256(b"py-identity-model token cache key id" + key).hexdigest()[:16]


class TokenEncryption:
    """AES-GCM keys by id; ``current`` encrypts, any of them decrypts.

    ``TokenEncryption(key)`` for one key; ``TokenEncryption({"2026-12": new, "2026-06":
    old}, current="2026-12")`` while rotating.
    """

    def __init__(self, keys: bytes | Mapping[str, bytes], *, current: str | None = None) -> None:
        if isinstance(keys, (bytes, bytearray)):
            single = _check_key(keys, "encryption_key")
            keys = {key_id(single): single}
        if not isinstance(keys, Mapping) or not keys:
            raise ConfigurationException("keys must be bytes or a non-empty mapping of id to key")
        checked: dict[str, bytes] = {}
        for kid, key in keys.items():
            if not isinstance(kid, str) or not kid or "." in kid or len(kid) > 64:
                raise ConfigurationException("a key id must be a short string without '.'")
            checked[kid] = _check_key(key, kid)
        if current is None:
            if len(checked) > 1:
                raise ConfigurationException("name the current key id when giving several keys")
            current = next(iter(checked))
        if current not in checked:
            raise ConfigurationException("current must be one of the key ids")
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._ciphers: dict[str, Any] = {kid: AESGCM(key) for kid, key in checked.items()}
        self.current = current

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(self._ciphers)

    def encrypt(self, plaintext: str, context: str) -> str:
        nonce = os.urandom(_NONCE)
        sealed = self._ciphers[self.current].encrypt(nonce, plaintext.encode(), context.encode())
        return f"{_PREFIX}{self.current}.{b64url_encode(nonce + sealed)}"

    def decrypt(self, value: str, context: str) -> str:
        """The plaintext; ``ValueError`` for an unknown key id, a tampered or foreign value."""
        if not value.startswith(_PREFIX):
            raise ValueError("the stored value is not encrypted")
        kid, _, body = value[len(_PREFIX) :].partition(".")
        cipher = self._ciphers.get(kid)
        if cipher is None:
            raise ValueError("the stored value was encrypted with an unknown key id")
        try:
            data = b64url_decode(body)
        except Exception as exc:
            raise ValueError("the stored value is not base64url") from exc
        if len(data) < _NONCE + 16:
            raise ValueError("the stored value is too short")
        from cryptography.exceptions import InvalidTag

        try:
            plain: bytes = cipher.decrypt(data[:_NONCE], data[_NONCE:], context.encode())
        except InvalidTag:
            raise ValueError("the stored value does not decrypt (tampered or moved)") from None
        return plain.decode()

    def __repr__(self) -> str:
        return f"TokenEncryption(key_ids={list(self._ciphers)!r}, current={self.current!r})"


def encryption_from(value: object) -> TokenEncryption | None:
    """``encryption_key`` as given to a cache: None, bytes, or a TokenEncryption."""
    if value is None or isinstance(value, TokenEncryption):
        return value
    if isinstance(value, (bytes, bytearray)):
        return TokenEncryption(bytes(value))
    raise ConfigurationException("encryption_key must be bytes (16, 24 or 32) or TokenEncryption")
