"""Encrypted request objects (RFC 9101 §6.1; OIDC Core §6.1, §10.2), with joserfc (``[jwe]``).

A signed request object is encrypted to the authorization server (a nested JWT: the JWS is
the JWE's plaintext, ``cty: JWT``), so only the server reads the authorization parameters:

* **to the server's public key**: a key of its JWKS meant for encryption (``use`` ``enc``
  or no ``use``; ``key_ops`` allowing ``encrypt``/``wrapKey``/``deriveKey``), of a type that
  fits the algorithm. The algorithm is the first of :data:`PREFERRED_ALGORITHMS` (or the
  caller's) that the server lists in ``request_object_encryption_alg_values_supported``
  and that a key serves; the content encryption likewise from
  ``request_object_encryption_enc_values_supported``.
* **with the client secret** (``A128KW``/``A192KW``/``A256KW``, or ``dir``): the key is the
  left-truncated SHA-2 hash of the secret (OIDC Core §10.2), as the server derives it.

RSA1_5 (Bleichenbacher) is never used. Misuse and "no key fits" raise
:class:`~py_identity_model.ConfigurationException` before anything is sent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from ..exceptions import ConfigurationException, PyIdentityModelException
from ..jose import JsonWebKey, JsonWebKeySet
from ..jose.jwe import _check_joserfc
from ..jose.registry import CONTENT_ENCRYPTION, KEY_MANAGEMENT

__all__ = [
    "PREFERRED_ALGORITHMS",
    "PREFERRED_ENCRYPTIONS",
    "SECRET_ALGORITHMS",
    "encrypt_request_object",
    "select_encryption_key",
]

PREFERRED_ALGORITHMS = ("ECDH-ES+A256KW", "ECDH-ES+A128KW", "RSA-OAEP-256", "ECDH-ES", "RSA-OAEP")
"""Key management to a public key, best first (never RSA1_5)."""

PREFERRED_ENCRYPTIONS = ("A256GCM", "A128GCM", "A256CBC-HS512", "A128CBC-HS256")
"""Content encryption, best first."""

SECRET_ALGORITHMS = ("A256KW", "A192KW", "A128KW", "dir")
"""Key management with a key derived from the client secret, best first."""

_ENCRYPT_OPS = frozenset({"encrypt", "wrapKey", "deriveKey", "deriveBits"})
_NATIVE = {"RSA": "RSAKey", "EC": "ECKey", "OKP": "OKPKey", "oct": "OctKey"}


def _names(value: Collection[str] | None, what: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, Collection):
        raise ConfigurationException(f"{what} must be a collection of names, not a string")
    return tuple(v for v in value if isinstance(v, str))


def _choose(
    preferred: Sequence[str], given: str | None, supported: Collection[str] | None, what: str
) -> list[str]:
    if given is not None:
        if not isinstance(given, str):
            raise ConfigurationException(f"{what} must be a name")
        candidates: list[str] = [given]
    else:
        candidates = list(preferred)
    listed = _names(supported, f"{what}_values_supported")
    if listed is not None:
        candidates = [name for name in candidates if name in listed]
    if not candidates:
        raise ConfigurationException(
            f"no request object {what} that both sides support (server: {sorted(listed or ())[:8]})"
        )
    return candidates


def _key_list(keys: JsonWebKeySet | Sequence[JsonWebKey] | Mapping[str, Any]) -> list[JsonWebKey]:
    if isinstance(keys, JsonWebKeySet):
        return list(keys.keys)
    if isinstance(keys, Mapping):
        try:
            return list(JsonWebKeySet.from_dict(keys).keys)
        except PyIdentityModelException as exc:
            raise ConfigurationException(f"keys: not a usable JWKS: {exc}") from None
    if isinstance(keys, (list, tuple)) and all(isinstance(k, JsonWebKey) for k in keys):
        return list(keys)
    raise ConfigurationException(
        "keys must be a JsonWebKeySet, a JWKS dict or a list of JsonWebKey"
    )


def _serves(key: JsonWebKey, alg: str) -> bool:
    facts = KEY_MANAGEMENT[alg]
    if key.kty == "oct" or key.kty not in facts.key_types:
        return False
    if key.use is not None and key.use != "enc":
        return False
    if key.key_ops is not None and _ENCRYPT_OPS.isdisjoint(key.key_ops):
        return False
    if key.alg is not None and key.alg != alg:
        return False
    if facts.family == "RSA":
        try:
            return key.key_size >= 2048
        except PyIdentityModelException:
            return False
    return True


def select_encryption_key(
    keys: JsonWebKeySet | Sequence[JsonWebKey] | Mapping[str, Any],
    *,
    algorithm: str | None = None,
    alg_values_supported: Collection[str] | None = None,
) -> tuple[JsonWebKey, str]:
    """The server's key to encrypt to and the key management algorithm (see the module).

    ``alg_values_supported`` is the server's ``request_object_encryption_alg_values_supported``;
    ``algorithm`` forces one. Raises ConfigurationException when no key fits.
    """
    available = _key_list(keys)
    for alg in _choose(PREFERRED_ALGORITHMS, algorithm, alg_values_supported, "alg"):
        if alg not in KEY_MANAGEMENT or KEY_MANAGEMENT[alg].family not in ("RSA", "ECDH-ES"):
            raise ConfigurationException(f"{alg!r} is not a public-key JWE algorithm")
        if alg == "RSA1_5":
            raise ConfigurationException("RSA1_5 is never used (Bleichenbacher's attack)")
        for key in available:
            if _serves(key, alg):
                return key, alg
    raise ConfigurationException(
        "the server publishes no encryption key (use 'enc') that fits the request object "
        "encryption algorithms"
    )


def _secret_key(client_secret: str, alg: str, enc: str) -> bytes:
    facts = KEY_MANAGEMENT[alg]
    length = CONTENT_ENCRYPTION[enc].key_bytes if facts.direct else facts.key_bytes
    assert length is not None
    digest = "sha256" if length <= 32 else "sha384" if length <= 48 else "sha512"
    return hashlib.new(digest, client_secret.encode("utf-8")).digest()[:length]


def encrypt_request_object(
    request_object: str,
    keys: JsonWebKeySet | Sequence[JsonWebKey] | Mapping[str, Any] | None = None,
    *,
    client_secret: str | None = None,
    algorithm: str | None = None,
    encryption: str | None = None,
    alg_values_supported: Collection[str] | None = None,
    enc_values_supported: Collection[str] | None = None,
) -> str:
    """Encrypt a signed request object to the authorization server (a compact JWE).

    Give the server's ``keys`` (its JWKS) or the ``client_secret``, not both;
    ``alg_values_supported``/``enc_values_supported`` are the server's
    ``request_object_encryption_*_values_supported``. Raises ConfigurationException for
    misuse, when nothing fits, or without the ``[jwe]`` extra.
    """
    if (keys is None) == (client_secret is None):
        raise ConfigurationException("encrypt to the server's keys or with client_secret: one")
    if not isinstance(request_object, str) or request_object.count(".") != 2:
        raise ConfigurationException("request_object must be a signed request object (a JWS)")
    enc = _choose(PREFERRED_ENCRYPTIONS, encryption, enc_values_supported, "enc")[0]
    if enc not in CONTENT_ENCRYPTION:
        raise ConfigurationException(f"unsupported content encryption {enc[:32]!r}")
    if client_secret is not None:
        if not isinstance(client_secret, str) or not client_secret:
            raise ConfigurationException("client_secret must be a non-empty string")
        alg = _choose(SECRET_ALGORITHMS, algorithm, alg_values_supported, "alg")[0]
        if alg not in SECRET_ALGORITHMS:
            raise ConfigurationException(f"{alg!r} is not a client-secret JWE algorithm")
        material: Any = _secret_key(client_secret, alg, enc)
        kty, header_kid = "oct", None
    else:
        assert keys is not None
        key, alg = select_encryption_key(
            keys, algorithm=algorithm, alg_values_supported=alg_values_supported
        )
        material, kty, header_kid = key.to_dict(), key.kty, key.kid
    protected: dict[str, Any] = {"alg": alg, "enc": enc, "cty": "JWT"}
    if header_kid:
        protected["kid"] = header_kid
    return _encrypt(protected, request_object, material, kty)


def _encrypt(protected: dict[str, Any], plaintext: str, material: Any, kty: str) -> str:
    try:
        from joserfc import jwe as joserfc_jwe, jwk as joserfc_jwk
    except ImportError:
        raise ConfigurationException(
            "encrypting request objects needs joserfc: install py-identity-model[jwe]"
        ) from None
    _check_joserfc()
    registry = joserfc_jwe.JWERegistry(algorithms=[protected["alg"], protected["enc"]])
    try:
        native = getattr(joserfc_jwk, _NATIVE[kty]).import_key(material)
        return str(joserfc_jwe.encrypt_compact(protected, plaintext, native, registry=registry))
    except Exception as exc:  # a joserfc or cryptography error: the key cannot serve
        raise ConfigurationException(
            f"the request object could not be encrypted with {protected['alg']}: "
            f"{type(exc).__name__}"
        ) from None
