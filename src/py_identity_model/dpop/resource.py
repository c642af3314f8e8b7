r"""DPoP on the resource server: verify a proof (RFC 9449 §4.3) and a token's binding (§7).

:class:`DPoPProofValidator` is the reusable object a framework integration keeps for the
life of the application: it owns its replay store and, optionally, a server-nonce source.
:meth:`~DPoPProofValidator.validate` (threads) and :meth:`~DPoPProofValidator.avalidate`
(event loops) take the ``DPoP`` header value(s), the request's method and URL and, for a
protected resource, the access token and the thumbprint it is bound to; they return a
:class:`DPoPProof` or raise :class:`~py_identity_model.exceptions.DPoPProofException`, whose
``error`` is what to answer in ``WWW-Authenticate: DPoP`` (:meth:`~DPoPProofValidator.challenge`
builds those headers).

The checks, in this order (every rejection names the rule, never echoes the proof):

1. exactly one ``DPoP`` header value, at most ``max_proof_size`` characters, a compact JWS;
2. header: ``typ`` = ``dpop+jwt``; ``alg`` in the allow-list (asymmetric only: ``none`` and
   ``HS*`` can never be configured); ``jwk`` a public key (a private member is refused) that
   fits the ``alg`` (key type, curve, RSA size, through the JOSE registry's key policy);
3. the signature verifies with that ``jwk``;
4. claims: ``jti`` (a string), ``htm`` equal to the method, ``htu`` equal to the request URL
   after RFC 3986 normalisation, query and fragment ignored; ``iat`` within
   ``[now - max_age - leeway, now + leeway]``;
5. with an access token: ``ath`` required and equal to base64url(SHA-256(token)), and the
   proof key's RFC 7638 thumbprint equal to ``expected_jkt`` (the token's ``cnf.jkt``), both
   compared in constant time;
6. with a nonce source: ``nonce`` present and valid, else ``use_dpop_nonce`` with a fresh one;
7. last, once everything else passed, the ``jti`` is recorded for the rest of the window
   (keyed by thumbprint and ``jti``, so nobody can squat another key's values): a second use
   is a replay.

:func:`~py_identity_model.dpop.binding.check_dpop_binding` decides, from validated
access-token claims and the ``Authorization`` scheme, whether a proof is needed and which key
it must be made with; :mod:`~py_identity_model.dpop.server_nonces` issues nonces.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Collection, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..caching.replay import MemoryReplayStore, ReplayStore
from ..constants.jose import JwtTypes
from ..errors import ErrorCodes
from ..exceptions import (
    ConfigurationException,
    DPoPProofException,
    PyIdentityModelException,
    ReplayStoreFullError,
)
from ..jose import ASYMMETRIC_ALGORITHMS, CompactJws, JsonWebKey, parse_compact, verify_compact
from ..jose.jwk_members import PRIVATE_MEMBERS
from ..utils.encoding import b64url_encode
from ..utils.memo import BoundedMemo
from ..utils.security import constant_time_equals, sha256_b64url
from ..utils.urls import NormalizedUrl, normalize_url
from .server_nonces import DPoPNonceSource

__all__ = ["DEFAULT_DPOP_ALGORITHMS", "DPoPProof", "DPoPProofValidator", "RecordProof"]

DEFAULT_DPOP_ALGORITHMS: tuple[str, ...] = (
    "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "EdDSA", "Ed25519",
)  # fmt: skip
"""The proof algorithms accepted by default: every asymmetric JWS algorithm in common use."""

_MAX_JTI = 256
_MAX_NONCE = 512
_TYP = "dpop+jwt"


@dataclass(frozen=True, slots=True)
class DPoPProof:
    """A verified DPoP proof: what a resource server may rely on."""

    jkt: str
    """RFC 7638 SHA-256 thumbprint of the proof key (compare with the token's ``cnf.jkt``)."""
    jti: str
    iat: float
    htm: str
    htu: str
    algorithm: str
    public_key: JsonWebKey
    """The proof's ``jwk`` (public members only)."""
    nonce: str | None = None
    ath: str | None = None
    claims: dict[str, Any] = field(default_factory=dict, repr=False)
    header: dict[str, Any] = field(default_factory=dict, repr=False)


def _positive(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def _reject(message: str, part: str | None = "payload", **kw: Any) -> DPoPProofException:
    return DPoPProofException(f"DPoP proof: {message}", part, **kw)


def _header_value(proof: object) -> str:
    """The one proof among the ``DPoP`` header values; RFC 9449 §4.3 step 1."""
    if isinstance(proof, (list, tuple)):
        if len(proof) != 1:
            raise _reject(f"exactly one DPoP header is required, got {len(proof)}", None)
        proof = proof[0]
    if isinstance(proof, (bytes, bytearray)):
        try:
            proof = bytes(proof).decode("ascii")
        except UnicodeDecodeError:
            raise _reject("the DPoP header is not ASCII", None) from None
    if not isinstance(proof, str):
        raise _reject("the DPoP header must be a string", None)
    proof = proof.strip(" \t")
    if not proof:
        raise _reject("the DPoP header is missing or empty", None)
    if "," in proof:  # a proxy or framework joined several header lines
        raise _reject("exactly one DPoP header is required (values joined by ',')", None)
    return proof


def _string_claim(claims: Mapping[str, Any], name: str, limit: int) -> str:
    value = claims.get(name)
    if value is None:
        raise _reject(f"the {name!r} claim is required")
    if not isinstance(value, str) or not value or len(value) > limit:
        raise _reject(f"the {name!r} claim must be a non-empty string of at most {limit} chars")
    return value


def _check_call(
    method: object, url: object, access_token: object, expected_jkt: object
) -> tuple[str, NormalizedUrl]:
    """The caller's arguments (misuse raises ConfigurationException)."""
    if not isinstance(method, str) or not method:
        raise ConfigurationException("method must be the request's HTTP method")
    target = normalize_url(url) if isinstance(url, str) else None
    if target is None:
        raise ConfigurationException("url must be the request's absolute http(s) URL")
    if access_token is not None:
        if not isinstance(access_token, str) or not access_token:
            raise ConfigurationException("access_token must be a non-empty string")
        if expected_jkt is None:
            raise ConfigurationException(
                "with access_token, pass expected_jkt (the token's cnf.jkt): a proof "
                "must be made with the key the token is bound to"
            )
    if expected_jkt is not None and (not isinstance(expected_jkt, str) or not expected_jkt):
        raise ConfigurationException("expected_jkt must be a non-empty string")
    return method, target


def _check_binding(ath: object, jkt: str, access_token: object, expected_jkt: object) -> str | None:
    """RFC 9449 §4.3 steps 11-12: ``ath`` is the token's hash, the key is the token's key."""
    if isinstance(access_token, str):
        if ath is None:
            raise _reject("the 'ath' claim is required with an access token")
        if not isinstance(ath, str) or not constant_time_equals(ath, sha256_b64url(access_token)):
            raise _reject("ath is not the hash of the access token")
    if isinstance(expected_jkt, str) and not constant_time_equals(jkt, expected_jkt):
        raise _reject(
            "the proof key is not the key the access token is bound to (cnf.jkt)",
            "header",
            error_code=ErrorCodes.DPOP_BINDING_MISMATCH,
        )
    return ath if isinstance(ath, str) else None


def _store_full(exc: ReplayStoreFullError) -> DPoPProofException:
    return _reject(exc.message, None, error_code=ErrorCodes.REPLAY_STORE_FULL)


@dataclass(frozen=True, slots=True)
class RecordProof:
    """The one I/O step of a proof check: record its ``jti`` in the replay store.

    Answered with True when the ``jti`` was new; :meth:`run` (threads) and :meth:`arun`
    (event loops) do it, a full store being the proof's rejection.
    """

    store: ReplayStore
    key: str
    ttl: float

    def run(self) -> bool:
        try:
            return self.store.add(self.key, self.ttl)
        except ReplayStoreFullError as exc:
            raise _store_full(exc) from None

    async def arun(self) -> bool:
        try:
            return await self.store.aadd(self.key, self.ttl)
        except ReplayStoreFullError as exc:
            raise _store_full(exc) from None


class DPoPProofValidator:
    """Verifies DPoP proofs for one resource server; owns its replay store (see the module).

    * ``algorithms``: accepted proof algorithms (asymmetric only);
    * ``max_age``, ``leeway``: a proof is accepted from ``max_age + leeway`` seconds after its
      ``iat`` down to ``leeway`` seconds before it (clock skew);
    * ``replay_store``: where used ``jti``\\ s are kept for the window (default: a bounded
      :class:`~py_identity_model.caching.replay.MemoryReplayStore`; pass a shared one for a
      fleet of processes);
    * ``nonces``: a :class:`DPoPNonceSource` to require server-issued nonces (RFC 9449 §9);
    * ``max_proof_size``: the longest ``DPoP`` header accepted, in characters;
    * ``clock``: seconds since the epoch (tests pass a fixed one).
    """

    def __init__(
        self,
        *,
        algorithms: Collection[str] = DEFAULT_DPOP_ALGORITHMS,
        max_age: float = 300.0,
        leeway: float = 5.0,
        replay_store: ReplayStore | None = None,
        nonces: DPoPNonceSource | None = None,
        max_proof_size: int = 8192,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if isinstance(algorithms, (str, bytes)) or not algorithms:
            raise ConfigurationException("algorithms must be a non-empty collection of names")
        refused = [a for a in algorithms if a not in ASYMMETRIC_ALGORITHMS]
        if refused:
            raise ConfigurationException(
                f"DPoP proofs use asymmetric algorithms only; not {sorted(map(str, refused))}"
            )
        if not _positive(max_age):
            raise ConfigurationException("max_age must be a positive number of seconds")
        if not (_positive(leeway) or leeway == 0) or isinstance(leeway, bool):
            raise ConfigurationException("leeway must be a non-negative number of seconds")
        if isinstance(max_proof_size, bool) or not isinstance(max_proof_size, int):
            raise ConfigurationException("max_proof_size must be an integer")
        if max_proof_size < 256:
            raise ConfigurationException("max_proof_size must be at least 256")
        if not callable(clock):
            raise ConfigurationException("clock must be a callable returning seconds")
        if replay_store is not None and not isinstance(replay_store, ReplayStore):
            raise ConfigurationException("replay_store must be a ReplayStore (add and aadd)")
        if nonces is not None and not (
            callable(getattr(nonces, "current", None))
            and callable(getattr(nonces, "is_valid", None))
        ):
            raise ConfigurationException("nonces must have current() and is_valid(nonce)")
        self.algorithms: tuple[str, ...] = tuple(dict.fromkeys(algorithms))
        self._allowed = frozenset(self.algorithms)
        self.max_age = float(max_age)
        self.leeway = float(leeway)
        self.replay_store: ReplayStore = (
            replay_store if replay_store is not None else MemoryReplayStore()
        )
        self.nonces = nonces
        self._keys: BoundedMemo[tuple[tuple[str, Any], ...], tuple[JsonWebKey, str]] = BoundedMemo(
            1024
        )
        self.max_proof_size = max_proof_size
        self._clock = clock

    # ------------------------------------------------------------------ public API

    def validate(
        self,
        proof: str | bytes | list[str] | tuple[str, ...],
        *,
        method: str,
        url: str,
        access_token: str | None = None,
        expected_jkt: str | None = None,
    ) -> DPoPProof:
        """Verify ``proof`` for ``method url``: the ``DPoP`` header's value, or the list (or
        tuple) of its values, which must hold exactly one.

        With ``access_token`` (the token of the ``Authorization: DPoP`` header) the proof
        must carry its ``ath`` and be made with the key whose thumbprint is
        ``expected_jkt`` (the token's ``cnf.jkt``, required then). Raises
        :class:`~py_identity_model.exceptions.DPoPProofException`, or
        ``ConfigurationException`` for a wrong call.
        """
        plan = self.plan(
            proof, method=method, url=url, access_token=access_token, expected_jkt=expected_jkt
        )
        step = next(plan)
        try:
            plan.send(step.run())
        except StopIteration as done:
            verified: DPoPProof = done.value
            return verified
        raise AssertionError("the plan records one proof")  # pragma: no cover

    async def avalidate(
        self,
        proof: str | bytes | list[str] | tuple[str, ...],
        *,
        method: str,
        url: str,
        access_token: str | None = None,
        expected_jkt: str | None = None,
    ) -> DPoPProof:
        """Async twin of :meth:`validate` (awaits the replay store's ``aadd``)."""
        plan = self.plan(
            proof, method=method, url=url, access_token=access_token, expected_jkt=expected_jkt
        )
        step = next(plan)
        try:
            plan.send(await step.arun())
        except StopIteration as done:
            verified: DPoPProof = done.value
            return verified
        raise AssertionError("the plan records one proof")  # pragma: no cover

    def plan(
        self,
        proof: str | bytes | list[str] | tuple[str, ...],
        *,
        method: str,
        url: str,
        access_token: str | None = None,
        expected_jkt: str | None = None,
    ) -> Generator[RecordProof, bool, DPoPProof]:
        """:meth:`validate` written once: checks the proof, yields the one
        :class:`RecordProof` step (answered with whether the ``jti`` was new) and returns the
        proof. :meth:`validate` and :meth:`avalidate` drive it, and so does a caller that
        folds the proof check into a larger plan (the resource server's)."""
        verified, key, ttl = self._verify(proof, method, url, access_token, expected_jkt)
        first = yield RecordProof(self.replay_store, key, ttl)
        return self._recorded(verified, first)

    def challenge(
        self, error: DPoPProofException | None = None, *, realm: str | None = None
    ) -> dict[str, str]:
        """The headers of a 401 answer (RFC 9449 §7.1): ``WWW-Authenticate: DPoP`` with
        ``algs`` (and ``error``, ``error_description`` for a rejection), plus ``DPoP-Nonce``
        when a nonce is due (a ``use_dpop_nonce`` rejection, or a nonce source)."""
        params: list[tuple[str, str]] = []
        if realm is not None:
            params.append(("realm", realm))
        if error is not None:
            params.append(("error", error.error))
            params.append(("error_description", error.message))
        params.append(("algs", " ".join(self.algorithms)))
        headers = {"WWW-Authenticate": "DPoP " + ", ".join(f'{n}="{_quote(v)}"' for n, v in params)}
        nonce = error.nonce if error is not None else None
        if nonce is None and self.nonces is not None:
            nonce = self.nonces.current()
        if nonce is not None:
            headers["DPoP-Nonce"] = nonce
        return headers

    # ---------------------------------------------------------------- the checks

    def _verify(
        self,
        proof: object,
        method: object,
        url: object,
        access_token: object,
        expected_jkt: object,
    ) -> tuple[DPoPProof, str, float]:
        method, target = _check_call(method, url, access_token, expected_jkt)
        jws = self._parse(_header_value(proof))
        key, jkt = self._proof_key(jws)
        try:
            verify_compact(jws, key, algorithms=self._allowed, allow_symmetric=False)
        except PyIdentityModelException as exc:
            raise _reject(exc.message, "signature") from None
        claims = jws.claims or {}
        jti = _string_claim(claims, "jti", _MAX_JTI)
        htm = _string_claim(claims, "htm", 64)
        if htm != method:
            raise _reject(f"htm {htm[:16]!r} is not the request method {method[:16]!r}")
        htu = _string_claim(claims, "htu", 8192)
        claimed = normalize_url(htu)
        if claimed is None or claimed[:4] != target[:4]:
            raise _reject("htu is not the request URL (query and fragment ignored)")
        now = self._clock()
        iat = self._check_iat(claims.get("iat"), now)
        ath = _check_binding(claims.get("ath"), jkt, access_token, expected_jkt)
        nonce = self._check_nonce(claims.get("nonce"))
        verified = DPoPProof(
            jkt=jkt,
            jti=jti,
            iat=iat,
            htm=htm,
            htu=htu,
            algorithm=jws.alg,
            public_key=key,
            nonce=nonce,
            ath=ath,
            claims=claims,
            header=jws.header,
        )
        replay_key = "dpop:" + b64url_encode(hashlib.sha256(f"{jkt}\x00{jti}".encode()).digest())
        ttl = max(1.0, iat + self.max_age + self.leeway - now)
        return verified, replay_key, ttl

    def _check_iat(self, iat: object, now: float) -> float:
        if isinstance(iat, bool) or not isinstance(iat, (int, float)) or not math.isfinite(iat):
            raise _reject("the 'iat' claim must be a number")
        if iat > now + self.leeway:
            raise _reject("iat is in the future")
        if iat < now - self.max_age - self.leeway:
            raise _reject(f"iat is older than {self.max_age:g} s")
        return iat

    def _check_nonce(self, nonce: object) -> str | None:
        if self.nonces is None:
            return nonce if isinstance(nonce, str) else None
        if not isinstance(nonce, str) or len(nonce) > _MAX_NONCE or not self.nonces.is_valid(nonce):
            raise _reject(
                "a fresh server nonce is required" if nonce is None else "stale nonce",
                error="use_dpop_nonce",
                error_code=ErrorCodes.DPOP_NONCE_REQUIRED,
                nonce=self.nonces.current(),
            )
        return nonce

    def _parse(self, proof: str) -> CompactJws:
        if len(proof) > self.max_proof_size:
            raise _reject(f"the proof is longer than {self.max_proof_size} characters", None)
        try:
            jws = parse_compact(proof, max_length=self.max_proof_size)
        except PyIdentityModelException as exc:
            raise _reject(exc.message, getattr(exc, "token_part", None)) from None
        typ = jws.header.get("typ")
        if not isinstance(typ, str) or JwtTypes.normalise(typ) != _TYP:
            raise _reject(f"typ must be {_TYP!r}", "header")
        if jws.header["alg"] not in self._allowed:
            raise _reject(f"alg {str(jws.header['alg'])[:32]!r} is not allowed", "header")
        return jws

    def _proof_key(self, jws: CompactJws) -> tuple[JsonWebKey, str]:
        jwk = jws.header.get("jwk")
        if not isinstance(jwk, dict):
            raise _reject("the 'jwk' header must be a JSON object (the public key)", "header")
        if PRIVATE_MEMBERS.intersection(jwk):
            raise _reject("the 'jwk' header must not contain private key members", "header")
        if jwk.get("kty") not in ("RSA", "EC", "OKP"):
            raise _reject("the 'jwk' header must be an asymmetric public key", "header")
        # Clients sign many proofs with one key: a parsed key (point checks, thumbprint) is
        # reused by its members, in a bounded memo.
        memo_key = (
            tuple(sorted(jwk.items())) if all(isinstance(v, str) for v in jwk.values()) else None
        )
        if memo_key is not None:
            known = self._keys.get(memo_key)
            if known is not None:
                return known
        try:
            key = JsonWebKey.from_dict(jwk)
            found = key, key.thumbprint()
        except PyIdentityModelException as exc:
            raise _reject(
                f"the 'jwk' header is not a usable key: {exc.message}", "header"
            ) from None
        if memo_key is not None:
            self._keys.put(memo_key, found)
        return found

    @staticmethod
    def _recorded(verified: DPoPProof, first: bool) -> DPoPProof:
        if not first:
            raise _reject(
                "replayed: this jti was already used with this key",
                error_code=ErrorCodes.DPOP_PROOF_REPLAYED,
            )
        return verified

    def __repr__(self) -> str:
        return (
            f"DPoPProofValidator(algorithms={list(self.algorithms)!r}, max_age={self.max_age:g}, "
            f"nonces={self.nonces is not None})"
        )


def _quote(value: str) -> str:
    # RFC 9110 §5.6.4 quoted-string: printable ASCII, '"' and '\' escaped.
    text = "".join(ch if " " <= ch <= "~" else "?" for ch in value[:256])
    return text.replace("\\", "\\\\").replace('"', '\\"')
