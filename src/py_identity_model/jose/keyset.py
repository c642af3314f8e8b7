"""``JsonWebKeySet``: a JWK Set (RFC 7517 §5) that tolerates bad members and never guesses.

Parsing a set skips each key that fails validation (with a warning on the
``py_identity_model.jose`` logger naming its index, kid and reason) instead of failing the
whole set, so one exotic key from a provider cannot break sign-in. Lookups by ``kid`` are a
dict access. When several keys could verify a token that names a ``kid``, the set refuses
rather than trying them in turn (RFC 7517 §4.5 allows shared kids only across key types).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from py_identity_model.exceptions import (
    InvalidAlgorithmException,
    InvalidKeyException,
    KeyNotFoundException,
    SignatureVerificationException,
)

from .._logging import get_logger
from ..utils.strict_json import StrictJsonError, loads_object
from .jwk import JsonWebKey
from .jws import CompactJws, is_allowed, verify_compact
from .key_policy import key_fits
from .registry import ALGORITHMS, get_algorithm

__all__ = ["DEFAULT_MAX_KEYS", "JsonWebKeySet", "SkippedKey", "jwks_from_dict"]


DEFAULT_MAX_KEYS = 1000


@dataclass(frozen=True, slots=True)
class SkippedKey:
    """A member of ``keys`` that was left out, and why."""

    index: int
    kid: str | None
    reason: str
    kty: str | None = None


class JsonWebKeySet:
    """An immutable collection of :class:`JsonWebKey` with O(1) lookup by ``kid``."""

    __slots__ = ("_ambiguous", "_by_kid", "_keys", "skipped")

    def __init__(self, keys: list[JsonWebKey], *, skipped: tuple[SkippedKey, ...] = ()) -> None:
        self._keys = tuple(keys)
        self.skipped = skipped
        by_kid: dict[str, list[JsonWebKey]] = {}
        for key in self._keys:
            if key.kid is not None:
                by_kid.setdefault(key.kid, []).append(key)
        self._by_kid = {kid: tuple(found) for kid, found in by_kid.items()}
        # A skipped key of the same type under a kept key's kid makes that kid ambiguous: the
        # issuer may well sign with the key we could not read.
        self._ambiguous = frozenset(
            s.kid
            for s in skipped
            if s.kid is not None and any(k.kty == s.kty for k in by_kid.get(s.kid, ()))
        )

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, max_keys: int = DEFAULT_MAX_KEYS
    ) -> JsonWebKeySet:
        """Build from ``{"keys": [...]}``, skipping (and logging) invalid keys.

        Raises InvalidKeyException only when ``data`` is not a JWK Set at all.
        """
        if not isinstance(data, Mapping) or not isinstance(data.get("keys"), list):
            raise InvalidKeyException("a JWK Set must be a JSON object with a 'keys' array")
        keys: list[JsonWebKey] = []
        skipped: list[SkippedKey] = []
        for index, member in enumerate(data["keys"]):
            kid = _string_member(member, "kid")
            if index >= max_keys:
                reason = f"the set has more than {max_keys} keys"
            else:
                try:
                    keys.append(JsonWebKey.from_dict(member))
                    continue
                except InvalidKeyException as exc:
                    reason = exc.message
                except Exception as exc:  # a set never fails because of one member
                    reason = f"unusable key ({type(exc).__name__})"
            skipped.append(SkippedKey(index, kid, reason, _string_member(member, "kty")))
            get_logger("jose").warning(
                "JWKS key %d (kid %r) skipped: %s", index, kid and kid[:64], reason
            )
        return cls(keys, skipped=tuple(skipped))

    @classmethod
    def from_json(cls, text: str | bytes, *, max_keys: int = DEFAULT_MAX_KEYS) -> JsonWebKeySet:
        """Parse a JWK Set from JSON text (strict: no duplicate members)."""
        try:
            data = loads_object(text)
        except StrictJsonError as exc:
            raise InvalidKeyException(f"JWK Set is not a valid JSON object: {exc}") from None
        return cls.from_dict(data, max_keys=max_keys)

    def to_dict(self) -> dict[str, Any]:
        """``{"keys": [...]}`` of the keys kept."""
        return {"keys": [key.to_dict() for key in self._keys]}

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[JsonWebKey]:
        return iter(self._keys)

    def __repr__(self) -> str:
        kids = ", ".join(repr(key.kid) for key in self._keys[:8])
        more = ", ..." if len(self._keys) > 8 else ""
        return f"JsonWebKeySet({len(self._keys)} keys: {kids}{more})"

    @property
    def keys(self) -> tuple[JsonWebKey, ...]:
        """The keys kept, in document order."""
        return self._keys

    def keys_with_kid(self, kid: str) -> tuple[JsonWebKey, ...]:
        """Every key whose ``kid`` is ``kid`` (usually one)."""
        return self._by_kid.get(kid, ())

    def find_by_kid(self, kid: str) -> JsonWebKey | None:
        """The one key with this ``kid``; None when absent or ambiguous (several keys)."""
        found = self._by_kid.get(kid, ())
        return found[0] if len(found) == 1 and kid not in self._ambiguous else None

    def is_ambiguous(self, kid: str) -> bool:
        """Whether several keys of one type (kept or skipped) share ``kid``."""
        if kid in self._ambiguous:
            return True
        ktys = [key.kty for key in self._by_kid.get(kid, ())]
        return len(ktys) != len(set(ktys))

    def candidates(
        self, alg: str, kid: str | None = None, *, allow_symmetric: bool = False
    ) -> tuple[JsonWebKey, ...]:
        """Keys (with ``kid``, if given) whose type, curve, use, key_ops and alg permit ``alg``.

        Symmetric keys qualify only with ``allow_symmetric=True``; ``none`` and unknown
        algorithms have no candidates.
        """
        record = ALGORITHMS.get(alg)
        if record is None:
            return ()
        pool = self._keys if kid is None else self._by_kid.get(kid, ())
        return tuple(k for k in pool if key_fits(record, k, allow_symmetric=allow_symmetric))

    def verify(
        self,
        jws: CompactJws,
        *,
        algorithms: Collection[str],
        allow_symmetric: bool = False,
    ) -> JsonWebKey:
        """Verify ``jws`` with the key it designates; return that key or raise.

        With a header ``kid``: exactly one key must fit (KeyNotFoundException otherwise).
        Without one: each fitting key is tried in turn. With ``allow_symmetric``, a set that
        mixes secret and public keys is refused (InvalidKeyException): that is a
        misconfiguration which invites key confusion.
        """
        name = jws.header.get("alg")
        record = get_algorithm(name)
        if not is_allowed(name, algorithms):
            raise InvalidAlgorithmException(f"alg {record.name} is not allowed here", "header")
        if allow_symmetric and self._mixes_symmetric_and_asymmetric():
            raise InvalidKeyException("the key set mixes symmetric and asymmetric keys")
        kid = jws.kid
        if kid is not None:
            return self._verify_with_kid(jws, kid, algorithms, allow_symmetric)
        candidates = self.candidates(record.name, allow_symmetric=allow_symmetric)
        if not candidates:
            raise KeyNotFoundException(f"no key in the set fits alg {record.name}")
        for key in candidates:
            try:
                verify_compact(jws, key, algorithms=algorithms, allow_symmetric=allow_symmetric)
            except SignatureVerificationException:
                continue
            return key
        raise SignatureVerificationException(
            "no key in the set verifies the signature", "signature"
        )

    def _verify_with_kid(
        self, jws: CompactJws, kid: str, algorithms: Collection[str], allow_symmetric: bool
    ) -> JsonWebKey:
        with_kid = self._by_kid.get(kid, ())
        if not with_kid:
            raise KeyNotFoundException(f"no key with kid {kid[:64]!r}")
        if kid in self._ambiguous:
            raise KeyNotFoundException(f"kid {kid[:64]!r} is shared with a key that was skipped")
        if len(with_kid) == 1:
            key = with_kid[0]  # verify_compact reports precisely why it does not fit, if so
        else:
            fitting = self.candidates(jws.alg, kid, allow_symmetric=allow_symmetric)
            if len(fitting) != 1:
                raise KeyNotFoundException(
                    f"{len(fitting)} keys with kid {kid[:64]!r} fit alg {jws.alg}: ambiguous"
                )
            key = fitting[0]
        verify_compact(jws, key, algorithms=algorithms, allow_symmetric=allow_symmetric)
        return key

    def _mixes_symmetric_and_asymmetric(self) -> bool:
        kinds = {key.kty == "oct" for key in self._keys}
        return len(kinds) == 2


def _string_member(member: object, name: str) -> str | None:
    value = member.get(name) if isinstance(member, Mapping) else None
    return value if isinstance(value, str) else None


def jwks_from_dict(keys_dict: Mapping[str, Any]) -> JsonWebKey:
    """py-identity-model 4.x's reader of one JWK from its JSON members.

    The same as :meth:`JsonWebKey.from_dict`: raises
    :class:`~py_identity_model.exceptions.InvalidJwkException` (a ``ConfigurationException``)
    for a key that cannot be used.
    """
    return JsonWebKey.from_dict(keys_dict)
