"""``JsonWebKey``: one JWK (RFC 7517), its thumbprint (RFC 7638) and its ``cryptography`` key.

The dataclass keeps py-identity-model 4.x's field order. Unknown members survive in
``extra`` so :meth:`JsonWebKey.to_dict` round-trips. The ``cryptography`` objects are built
once and cached on the instance outside the dataclass fields (equality, hashing and pickling
ignore the cache); assigning any field drops the cache.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass, field
from typing import Any

from cryptography.hazmat.primitives.serialization import (
    load_pem_private_key,
    load_pem_public_key,
)

from py_identity_model.exceptions import (
    ConfigurationException,
    InvalidJwkException,
    InvalidKeyException,
)
from py_identity_model.utils.encoding import b64url_encode

from ..utils.strict_json import StrictJsonError, dumps_compact, loads_object
from .curves import CURVES
from .jwk_members import (
    FIELD_NAMES,
    JSON_NAMES,
    PRIVATE_MEMBERS,
    THUMBPRINT_MEMBERS,
    check_members,
    decode_member,
)
from .key_conversion import (
    PrivateKey,
    PublicKey,
    members_from_key,
    private_key_from_members,
    public_key_from_members,
)
from .registry import ALGORITHMS, EDDSA_ALGORITHMS

__all__ = ["JsonWebKey"]

_CACHE = ("_cached_public", "_cached_private", "_cached_secret", "_cached_size")
_FIELDS = frozenset(FIELD_NAMES.values()) | {"extra"}
_PRIVATE_FIELDS: dict[str, Any] = {FIELD_NAMES[m]: None for m in PRIVATE_MEMBERS}
_THUMBPRINT_HASHES = frozenset({"sha256", "sha384", "sha512"})


@dataclass(repr=False)
class JsonWebKey:
    """A JSON Web Key. Build it with :meth:`from_dict`, :meth:`from_key` or :meth:`from_pem`."""

    kty: str
    use: str | None = None
    key_ops: list[str] | None = None
    alg: str | None = None
    kid: str | None = None
    x5u: str | None = None
    x5c: list[str] | None = None
    x5t: str | None = None
    x5t_s256: str | None = None
    crv: str | None = None
    x: str | None = None
    y: str | None = None
    d: str | None = None
    n: str | None = None
    e: str | None = None
    p: str | None = None
    q: str | None = None
    dp: str | None = None
    dq: str | None = None
    qi: str | None = None
    oth: list[dict[str, Any]] | None = None
    k: str | None = None
    _: KW_ONLY
    extra: dict[str, Any] = field(default_factory=dict)

    # ----------------------------------------------------------------- object protocol

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if name in _FIELDS:
            for slot in _CACHE:
                self.__dict__.pop(slot, None)

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={getattr(self, name)!r}"
            for name in ("kty", "kid", "alg", "use")
            if getattr(self, name) is not None
        )
        return f"JsonWebKey({shown})"

    def __hash__(self) -> int:
        required = THUMBPRINT_MEMBERS.get(self.kty, ())
        return hash((self.kid, *(getattr(self, FIELD_NAMES[m]) for m in required)))

    def __getstate__(self) -> dict[str, Any]:
        return {name: value for name, value in self.__dict__.items() if name not in _CACHE}

    # --------------------------------------------------------------------- JSON forms

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JsonWebKey:
        """Validate and build a key from its JSON members; InvalidKeyException if unusable.

        Public keys are converted at once (EC points checked against their curve, RSA
        moduli against ROCA), so a key that parses is a key that can verify.
        """
        if not isinstance(data, Mapping) or not all(isinstance(name, str) for name in data):
            raise InvalidJwkException("a JWK must be a JSON object")
        try:
            check_members(data)
            known = {FIELD_NAMES[n]: _copy(data[n]) for n in JSON_NAMES if data.get(n) is not None}
            extra = {name: value for name, value in data.items() if name not in FIELD_NAMES}
            key = cls(**known, extra=extra)
            if key.kty != "oct":
                key.to_public_key()
        except InvalidJwkException:
            raise
        except InvalidKeyException as exc:
            raise InvalidJwkException(exc.message, details=exc.details) from None
        return key

    @classmethod
    def from_json(cls, text: str | bytes) -> JsonWebKey:
        """Parse one JWK from JSON text (strict: no duplicate members)."""
        try:
            data = loads_object(text)
        except (StrictJsonError, TypeError) as exc:
            raise InvalidJwkException(f"JWK is not a valid JSON object: {exc}") from None
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        """The JSON members (``x5t#S256`` spelled as in RFC 7517), unknown members last."""
        members = {
            n: _copy(v) for n in JSON_NAMES if (v := getattr(self, FIELD_NAMES[n])) is not None
        }
        for name, value in self.extra.items():
            members.setdefault(name, value)
        return members

    def as_dict(self) -> dict[str, Any]:
        """py-identity-model 4.x's name for :meth:`to_dict`."""
        return self.to_dict()

    def to_json(self) -> str:
        """Compact JSON text of :meth:`to_dict`."""
        try:
            return dumps_compact(self.to_dict()).decode("utf-8")
        except StrictJsonError as exc:
            raise InvalidKeyException(f"JWK is not JSON-serialisable: {exc}") from None

    # ------------------------------------------------------------------- key material

    @property
    def has_private_key(self) -> bool:
        """Whether the key carries secret material (``d``, or ``k`` for a symmetric key)."""
        return self.d is not None or (self.kty == "oct" and self.k is not None)

    @property
    def key_size(self) -> int:
        """Modulus bits (RSA), curve bits (EC, OKP) or key bits (oct)."""
        size: int | None = self.__dict__.get("_cached_size")
        if size is None:
            members = self._members()
            if self.kty == "RSA":
                size = int.from_bytes(decode_member(members, "n"), "big").bit_length()
            elif self.kty == "oct":
                size = 8 * len(decode_member(members, "k"))
            else:
                size = CURVES[members["crv"]].bits
            self.__dict__["_cached_size"] = size
        return size

    def to_public_key(self) -> PublicKey:
        """The ``cryptography`` public key (cached); InvalidKeyException for oct or bad keys."""
        key: PublicKey | None = self.__dict__.get("_cached_public")
        if key is None:
            key = public_key_from_members(self._members())
            self.__dict__["_cached_public"] = key
        return key

    def to_private_key(self) -> PrivateKey:
        """The ``cryptography`` private key (cached); it must match the public members."""
        key: PrivateKey | None = self.__dict__.get("_cached_private")
        if key is None:
            public = self.to_public_key()
            key = private_key_from_members(self._members(), public)
            self.__dict__["_cached_private"] = key
        return key

    def verification_material(self) -> Any:
        """What an algorithm's ``verify`` takes: the public key, or the secret for oct."""
        if self.kty == "oct":
            return self._secret()
        return self.to_public_key()

    def signing_material(self) -> Any:
        """What an algorithm's ``sign`` takes: the private key, or the secret for oct."""
        if self.kty == "oct":
            return self._secret()
        return self.to_private_key()

    def thumbprint(self, hash_name: str = "sha256") -> str:
        """RFC 7638 thumbprint: base64url hash of the required members, sorted, no spaces."""
        if hash_name not in _THUMBPRINT_HASHES:
            raise ConfigurationException(f"unsupported thumbprint hash {hash_name!r}")
        members = self._members()
        canonical = {name: members[name] for name in THUMBPRINT_MEMBERS[self.kty]}
        return b64url_encode(hashlib.new(hash_name, dumps_compact(canonical)).digest())

    def public_jwk(self) -> JsonWebKey:
        """A copy without private (and without unknown) members; oct keys have none."""
        if self.kty == "oct":
            raise InvalidKeyException("a symmetric (oct) key has no public form")
        public = dataclasses.replace(self, **_PRIVATE_FIELDS, extra={})
        if "_cached_public" in self.__dict__:
            public.__dict__["_cached_public"] = self.__dict__["_cached_public"]
        return public

    # ------------------------------------------------------------------ constructors

    @classmethod
    def from_key(
        cls,
        crypto_key: Any,
        *,
        kid: str | None = None,
        alg: str | None = None,
        use: str | None = None,
    ) -> JsonWebKey:
        """A JWK for a ``cryptography`` key (RSA, EC P-256/384/521, Ed25519, Ed448, X25519,
        X448; public or private) or for ``bytes`` (a symmetric oct key)."""
        if isinstance(crypto_key, (bytes, bytearray)):
            members = {"kty": "oct", "k": b64url_encode(bytes(crypto_key))}
        else:
            members = members_from_key(crypto_key)
        key = cls.from_dict({**members, **_present(kid=kid, alg=alg, use=use)})
        if key.d is not None:
            key.__dict__["_cached_private"] = crypto_key
        return key

    @classmethod
    def from_pem(
        cls, pem: str | bytes, password: str | bytes | None = None, **kw: str | None
    ) -> JsonWebKey:
        """A JWK from a PEM private key, public key or certificate; ``kw`` as for from_key."""
        data = pem.encode("ascii", "replace") if isinstance(pem, str) else pem
        secret = password.encode("utf-8") if isinstance(password, str) else password
        loaders = (
            lambda: load_pem_private_key(data, secret),
            lambda: load_pem_public_key(data),
            lambda: _load_certificate_key(data),
        )
        loaded: Any = None
        for loader in loaders:
            # ValueError, TypeError, UnsupportedAlgorithm: try the next form.
            with contextlib.suppress(Exception):
                loaded = loader()
                break
        if loaded is None:
            raise InvalidKeyException(
                "PEM is not a supported key or certificate (or the password is wrong)"
            )
        return cls.from_key(loaded, **kw)

    # ----------------------------------------------------------------- usage policy

    def verification_refusal(self, alg: str) -> str | None:
        """Why ``use``/``key_ops``/``alg`` forbid verifying ``alg`` with this key, or None."""
        return self._refusal(alg, "verify")

    def signing_refusal(self, alg: str) -> str | None:
        """Why ``use``/``key_ops``/``alg`` forbid signing with ``alg``, or None."""
        return self._refusal(alg, "sign")

    def usable_for_verification(self, alg: str) -> bool:
        """``use`` absent or "sig", ``key_ops`` absent or with "verify", ``alg`` absent or equal."""
        return self._refusal(alg, "verify") is None

    def usable_for_signing(self, alg: str) -> bool:
        """``use`` absent or "sig", ``key_ops`` absent or with "sign", ``alg`` absent or equal."""
        return self._refusal(alg, "sign") is None

    def _refusal(self, alg: str, operation: str) -> str | None:
        if self.use is not None and self.use != "sig":
            return f"key use is {str(self.use)[:16]!r}, not 'sig'"
        if self.key_ops is not None and (
            not isinstance(self.key_ops, (list, tuple)) or operation not in self.key_ops
        ):
            return f"key_ops does not include {operation!r}"
        if self.alg is not None and self.alg != alg and not self._same_eddsa(alg):
            return f"key is for alg {str(self.alg)[:32]!r}, not {str(alg)[:32]!r}"
        return None

    def _same_eddsa(self, alg: str) -> bool:
        # A key marked "EdDSA" serves "Ed25519" on an Ed25519 curve, and the reverse.
        if self.alg not in EDDSA_ALGORITHMS or alg not in EDDSA_ALGORITHMS:
            return False
        return self.crv in ALGORITHMS[self.alg].curves & ALGORITHMS[alg].curves

    # ---------------------------------------------------------------------- helpers

    def _members(self) -> dict[str, Any]:
        members = self.to_dict()
        check_members(members)
        return members

    def _secret(self) -> bytes:
        secret: bytes | None = self.__dict__.get("_cached_secret")
        if secret is None:
            if self.kty != "oct":
                raise InvalidKeyException(f"a {self.kty} key is not a symmetric key")
            secret = decode_member(self._members(), "k")
            self.__dict__["_cached_secret"] = secret
        return secret


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def _present(**values: str | None) -> dict[str, str]:
    return {name: value for name, value in values.items() if value is not None}


def _load_certificate_key(data: bytes) -> Any:
    # x509 is imported on demand: it costs ~13 ms and only from_pem with a certificate needs it.
    from cryptography.x509 import load_pem_x509_certificate

    return load_pem_x509_certificate(data).public_key()
