"""The client's DPoP key (RFC 9449 §4, §5): make it, save it, load it, sign proofs with it.

``DPoPKey()`` generates a fresh ES256 (P-256) key; ``ES384``, ``ES512``, ``PS256``,
``RS256`` (and the other RSA algorithms, 2048-bit keys), ``EdDSA`` (Ed25519) and ``Ed448``
work too: any asymmetric algorithm of the JOSE registry. A DPoP-bound refresh token stays
usable only with the key it was bound to, so a long-lived client saves the key and loads it
again after a restart::

    key = DPoPKey()
    store(key.private_key_pem)              # or key.to_jwk(), or key.to_pem(password)
    ...
    key = DPoPKey.from_pem(load())          # the algorithm is read from an EC or OKP key;
                                            # an RSA key needs algorithm="PS256" (or RS256)

The key is a :class:`~py_identity_model.endpoints.client.DPoPProver` and a
:class:`~py_identity_model.userinfo.models.ResourceDPoPProver`: pass it as
``Client(..., dpop=key)`` or ``dpop_key=key``. It also carries the
per-origin nonce memory those calls use (:attr:`DPoPKey.nonce_store`, see
:mod:`py_identity_model.dpop.nonces`). ``repr`` shows the algorithm and thumbprint, never
private material.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    KeySerializationEncryption,
    NoEncryption,
    PrivateFormat,
)

from ..exceptions import ConfigurationException, PyIdentityModelException
from ..jose.curves import CURVES
from ..jose.jwk import JsonWebKey
from ..jose.jwk_members import THUMBPRINT_MEMBERS
from ..jose.key_policy import check_signing_key
from ..jose.registry import (
    ALGORITHMS,
    ASYMMETRIC_ALGORITHMS,
    EDDSA_ALGORITHMS,
    MIN_RSA_KEY_BITS,
    JwsAlgorithm,
)
from .nonces import DPoPNonceStore
from .proof import proof_claims, sign_dpop_proof

__all__ = ["DEFAULT_DPOP_ALGORITHM", "DPoPKey", "generate_dpop_key"]

DEFAULT_DPOP_ALGORITHM = "ES256"
"""The algorithm of a generated key when none is named: ES256 on P-256 (RFC 9449 examples;
the one every DPoP server supports)."""


def _record(algorithm: object) -> JwsAlgorithm:
    if isinstance(algorithm, str) and algorithm in ASYMMETRIC_ALGORITHMS:
        return ALGORITHMS[algorithm]
    shown = repr(algorithm[:32]) if isinstance(algorithm, str) else type(algorithm).__name__
    raise ConfigurationException(
        f"DPoP proofs need an asymmetric JWS algorithm, not {shown}; use one of "
        f"{sorted(ASYMMETRIC_ALGORITHMS)}"
    )


def _generate(record: JwsAlgorithm) -> Any:
    """A fresh private key for ``record``: RSA at the registry's minimum size or more, the
    algorithm's curve for EC, Ed25519 for EdDSA (its Edwards curve for Ed25519/Ed448)."""
    if record.kty == "RSA":
        return rsa.generate_private_key(65537, max(MIN_RSA_KEY_BITS, record.min_key_bits))
    if record.kty == "EC":
        (crv,) = record.curves
        curve = CURVES[crv].ec_curve
        assert curve is not None
        return ec.generate_private_key(curve())
    if "Ed25519" in record.curves:
        return ed25519.Ed25519PrivateKey.generate()
    return ed448.Ed448PrivateKey.generate()


def _infer_algorithm(jwk: JsonWebKey) -> str:
    """The one algorithm a key can sign with: the JWK's ``alg``, else what its curve fixes."""
    if jwk.alg is not None:
        return jwk.alg
    fits = sorted(
        name
        for name, record in ALGORITHMS.items()
        if not record.symmetric
        and record.kty == jwk.kty
        and (not record.curves or jwk.crv in record.curves)
    )
    if fits and set(fits) <= EDDSA_ALGORITHMS:
        return "EdDSA"  # one signature scheme under several names: the widely supported one
    if len(fits) == 1:
        return fits[0]
    if not fits:
        raise ConfigurationException(f"an {jwk.kty} key cannot sign DPoP proofs")
    raise ConfigurationException(
        f"an {jwk.kty} key can sign with any of {fits}: pass algorithm= (e.g. 'PS256')"
    )


class DPoPKey:
    """A DPoP key pair and its algorithm (see the module).

    Args:
        algorithm: the JWS algorithm of the proofs (``ES256`` by default); a key is
            generated for it.
        nonce_store: where the server nonces this key learns are kept (one bounded
            :class:`~py_identity_model.dpop.nonces.DPoPNonceStore` per key by default; pass
            one store to several keys to share it).
    """

    __slots__ = ("_algorithm", "_jkt", "_key", "_public", "nonce_store")

    _algorithm: str
    _jkt: str
    _key: JsonWebKey
    _public: dict[str, Any]
    nonce_store: DPoPNonceStore
    """The per-origin server nonces this key's requests use and refresh."""

    def __init__(
        self,
        algorithm: str = DEFAULT_DPOP_ALGORITHM,
        *,
        nonce_store: DPoPNonceStore | None = None,
    ) -> None:
        record = _record(algorithm)
        self._setup(JsonWebKey.from_key(_generate(record)), record.name, nonce_store)

    def _setup(self, key: JsonWebKey, algorithm: str, nonce_store: DPoPNonceStore | None) -> None:
        record = _record(algorithm)
        if not key.has_private_key:
            raise ConfigurationException("a DPoP key needs its private key")
        try:
            check_signing_key(record, key)
            key.to_private_key()  # built once, and checked against the public members
        except PyIdentityModelException as exc:
            raise ConfigurationException(f"unusable DPoP key: {exc.message}") from None
        if nonce_store is not None and not isinstance(nonce_store, DPoPNonceStore):
            raise ConfigurationException("nonce_store must be a DPoPNonceStore")
        members = key.public_jwk().to_dict()
        self._key = key
        self._algorithm = record.name
        self._public = {name: members[name] for name in THUMBPRINT_MEMBERS[key.kty]}
        self._jkt = key.thumbprint()
        self.nonce_store = nonce_store if nonce_store is not None else DPoPNonceStore()

    # ------------------------------------------------------------------ loading

    @classmethod
    def _from_jwk_key(
        cls, key: JsonWebKey, algorithm: str | None, nonce_store: DPoPNonceStore | None
    ) -> DPoPKey:
        instance = cls.__new__(cls)
        chosen = algorithm if algorithm is not None else _infer_algorithm(key)
        instance._setup(key, chosen, nonce_store)
        return instance

    @classmethod
    def from_pem(
        cls,
        pem: str | bytes,
        algorithm: str | None = None,
        *,
        password: str | bytes | None = None,
        nonce_store: DPoPNonceStore | None = None,
    ) -> DPoPKey:
        """Load a private key saved with :attr:`private_key_pem` or :meth:`to_pem`.

        ``algorithm`` may be left out for EC keys (the curve fixes it) and Ed25519/Ed448
        keys (``EdDSA``); an RSA key needs it (``PS256``, ``RS256``, ...). A public key, a
        certificate, a damaged PEM or a wrong ``password`` raise ConfigurationException.
        """
        if not isinstance(pem, (str, bytes)):
            raise ConfigurationException("pem must be the PEM text of a private key")
        if algorithm is not None:
            _record(algorithm)
        try:
            key = JsonWebKey.from_pem(pem, password)
        except PyIdentityModelException as exc:
            raise ConfigurationException(f"DPoPKey.from_pem: {exc.message}") from None
        if not key.has_private_key:
            raise ConfigurationException(
                "DPoPKey.from_pem needs a private key, not a public key or a certificate"
            )
        return cls._from_jwk_key(key, algorithm, nonce_store)

    @classmethod
    def from_jwk(
        cls,
        jwk: Mapping[str, Any] | str | JsonWebKey,
        algorithm: str | None = None,
        *,
        nonce_store: DPoPNonceStore | None = None,
    ) -> DPoPKey:
        """Load a private JWK (a dict, its JSON text or a JsonWebKey) saved with
        :meth:`to_jwk`. The algorithm is the JWK's ``alg``, else ``algorithm``, else what the
        curve fixes; ConfigurationException for a public or unusable key."""
        try:
            if isinstance(jwk, JsonWebKey):
                key = JsonWebKey.from_dict(jwk.to_dict())
            elif isinstance(jwk, str):
                key = JsonWebKey.from_json(jwk)
            elif isinstance(jwk, Mapping):
                key = JsonWebKey.from_dict(jwk)
            else:
                raise ConfigurationException("jwk must be a JWK: a dict, JSON text or JsonWebKey")
        except ConfigurationException:
            raise
        except PyIdentityModelException as exc:
            raise ConfigurationException(f"DPoPKey.from_jwk: {exc.message}") from None
        if algorithm is not None:
            _record(algorithm)
        return cls._from_jwk_key(key, algorithm, nonce_store)

    # ---------------------------------------------------------------- properties

    @property
    def algorithm(self) -> str:
        """The JWS ``alg`` of this key's proofs."""
        return self._algorithm

    @property
    def public_jwk(self) -> dict[str, Any]:
        """The public key as the proofs' ``jwk`` header carries it: the required public
        members only (``kty``, ``crv``, ``x``, ``y`` / ``kty``, ``n``, ``e``), a fresh copy."""
        return dict(self._public)

    @property
    def jwk_thumbprint(self) -> str:
        """The RFC 7638 SHA-256 thumbprint: the ``cnf.jkt`` of tokens bound to this key, and
        the ``dpop_jkt`` of authorization requests (RFC 9449 §10)."""
        return self._jkt

    @property
    def private_key_pem(self) -> str:
        """The private key as unencrypted PKCS#8 PEM: keep it secret (see :meth:`to_pem`)."""
        return self.to_pem()

    def to_pem(self, password: str | bytes | None = None) -> str:
        """The private key as PKCS#8 PEM, encrypted with ``password`` when given."""
        encryption: KeySerializationEncryption = NoEncryption()
        if password is not None:
            secret = password.encode("utf-8") if isinstance(password, str) else password
            if not isinstance(secret, bytes) or not secret:
                raise ConfigurationException("password must be a non-empty str or bytes")
            encryption = BestAvailableEncryption(secret)
        private = self._key.to_private_key()
        return private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, encryption).decode("ascii")

    def to_jwk(self) -> dict[str, Any]:
        """The private JWK with its ``alg``: what :meth:`from_jwk` loads. Keep it secret."""
        return {**self._key.to_dict(), "alg": self._algorithm}

    # -------------------------------------------------------------------- proofs

    def create_proof(
        self,
        method: str,
        url: str,
        *,
        nonce: str | None = None,
        access_token: str | None = None,
    ) -> str:
        """A fresh proof for ``method url`` (unique ``jti``, ``iat`` now); ``nonce`` is the
        server's ``DPoP-Nonce``; ``access_token`` adds its ``ath`` (requests to a resource).
        ConfigurationException for a bad method, URL, nonce or token."""
        claims = proof_claims(method, url, nonce=nonce, access_token=access_token)
        return sign_dpop_proof(self._key, self._algorithm, dict(self._public), claims)

    def __repr__(self) -> str:
        return f"DPoPKey(algorithm={self._algorithm!r}, jkt={self._jkt!r})"

    def __copy__(self) -> DPoPKey:
        return self  # immutable key material: a copy would be the same key

    def __deepcopy__(self, memo: dict[int, Any]) -> DPoPKey:
        return self

    def __reduce__(self) -> Any:
        raise TypeError(
            "a DPoPKey is not pickled (it would copy the private key implicitly): save "
            "to_jwk() or to_pem(password) and load it with from_jwk/from_pem"
        )


def generate_dpop_key(algorithm: str = DEFAULT_DPOP_ALGORITHM) -> DPoPKey:
    """A fresh DPoP key for ``algorithm`` (ES256 by default)."""
    return DPoPKey(algorithm)
