"""Left-half hashes for ID token ``at_hash``, ``c_hash`` and ``s_hash``.

OpenID Connect Core 1.0 §3.1.3.6 / §3.3.2.11 (and FAPI 1.0 Advanced §5.1 for
``s_hash``): hash the ASCII octets of the value with the hash of the ID token's JWS
``alg``, keep the left-most half, base64url-encode it without padding.

The hash per algorithm:

* ``HS256``, ``RS256``, ``PS256``, ``ES256``, ``ES256K``: SHA-256;
* ``*384``: SHA-384; ``*512``: SHA-512;
* ``EdDSA`` and ``Ed25519``: SHA-512 (OpenID Foundation guidance for Ed25519);
* ``Ed448``, or ``EdDSA`` with ``crv="Ed448"``: SHAKE256 with a 114-byte output.

Any other ``alg`` (including ``none``) raises
:class:`~py_identity_model.exceptions.IdTokenValidationException`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from ..exceptions import IdTokenValidationException
from ..utils.encoding import b64url_encode
from .claims import _shown

__all__ = ["HashFunction", "hash_for_alg", "left_half_hash"]

HashFunction = Callable[[bytes], bytes]
"""Maps the value's octets to the full digest."""

_SHAKE256_OUTPUT_BYTES = 114  # RFC 8032 §5.2: Ed448 uses SHAKE256 with 114 octets


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _sha384(data: bytes) -> bytes:
    return hashlib.sha384(data).digest()


def _sha512(data: bytes) -> bytes:
    return hashlib.sha512(data).digest()


def _shake256_114(data: bytes) -> bytes:
    return hashlib.shake_256(data).digest(_SHAKE256_OUTPUT_BYTES)


_HASH_BY_ALG: dict[str, HashFunction] = {
    **{f"{family}256": _sha256 for family in ("HS", "RS", "PS", "ES")},
    **{f"{family}384": _sha384 for family in ("HS", "RS", "PS", "ES")},
    **{f"{family}512": _sha512 for family in ("HS", "RS", "PS", "ES")},
    "ES256K": _sha256,
    "EdDSA": _sha512,
    "Ed25519": _sha512,
    "Ed448": _shake256_114,
}


def hash_for_alg(alg: str, *, crv: str | None = None) -> HashFunction:
    """The digest function that ``*_hash`` claims use for a JWS ``alg``.

    ``crv`` matters only for ``EdDSA``: pass the signing key's curve so that an Ed448 key
    selects SHAKE256 (the default for ``EdDSA`` is Ed25519's SHA-512).

    Raises:
        IdTokenValidationException: ``alg`` is unknown, ``none`` or not a string.
    """
    if alg == "EdDSA" and crv == "Ed448":
        return _shake256_114
    function = _HASH_BY_ALG.get(alg) if isinstance(alg, str) else None
    if function is None:
        raise IdTokenValidationException(
            f"Cannot compute a token hash for the signing algorithm {_shown(alg)}",
            token_part="header",
            details={"alg": _shown(alg)},
        )
    return function


def left_half_hash(value: str, alg: str, *, crv: str | None = None) -> str:
    """``base64url(left_half(hash_alg(value)))``, the ``at_hash``/``c_hash``/``s_hash`` value.

    The value is hashed as UTF-8 (identical to ASCII for every valid token, code and state).
    """
    digest = hash_for_alg(alg, crv=crv)(value.encode("utf-8"))
    return b64url_encode(digest[: len(digest) // 2])
