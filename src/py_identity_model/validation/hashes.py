"""Left-half hashes for ID token ``at_hash``, ``c_hash`` and ``s_hash``.

OpenID Connect Core 1.0 §3.1.3.6 / §3.3.2.11 (and FAPI 1.0 Advanced §5.1 for
``s_hash``): hash the ASCII octets of the value with the hash of the ID token's JWS
``alg``, keep the left-most half, base64url-encode it without padding.

The hash per algorithm:

* ``HS256``, ``RS256``, ``PS256``, ``ES256``, ``ES256K``: SHA-256;
* ``*384``: SHA-384; ``*512``: SHA-512;
* ``EdDSA`` and ``Ed25519``: SHA-512 (OpenID Foundation guidance for Ed25519);
* ``Ed448``, or ``EdDSA`` with ``crv="Ed448"``: SHAKE256 with a 114-byte output.

The table is the JOSE registry's (``token_hash`` in
:mod:`py_identity_model.constants.jose_algorithms`). Any other ``alg`` (including ``none``)
raises :class:`~py_identity_model.exceptions.IdTokenValidationException`.
"""

from __future__ import annotations

from ..exceptions import IdTokenValidationException
from ..jose.registry import HashFunction, token_hash_function
from ..utils.encoding import b64url_encode
from .claims import _shown

__all__ = ["HashFunction", "hash_for_alg", "left_half_hash"]


def hash_for_alg(alg: str, *, crv: str | None = None) -> HashFunction:
    """The digest function that ``*_hash`` claims use for a JWS ``alg``.

    ``crv`` matters only for ``EdDSA``: pass the signing key's curve so that an Ed448 key
    selects SHAKE256 (the default for ``EdDSA`` is Ed25519's SHA-512).

    Raises:
        IdTokenValidationException: ``alg`` is unknown, ``none`` or not a string.
    """
    function = token_hash_function(alg, crv) if isinstance(alg, str) else None
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
