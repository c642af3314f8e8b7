"""Shared helpers for the differential tests: one key per algorithm, three signers and
three verifiers (py-identity-model, PyJWT, joserfc) configured to the same policy.

The policy every verifier enforces: the one algorithm of the key (allow-list of one),
the issuer and audience below, ``exp`` required, no leeway. Raw signing
(:func:`sign_raw`) uses PyJWT's algorithm objects, so a token with hand-written header or
payload JSON (duplicate members, ``crit``, ...) is signed independently of our library.
"""

from __future__ import annotations

import base64
import json
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import jwt as pyjwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from hypothesis import HealthCheck, settings
from joserfc import jwt as jose_jwt
from joserfc.jwk import ECKey, OctKey, OKPKey, RSAKey

from py_identity_model import TokenValidationConfig, validate_token
from py_identity_model.exceptions import PyIdentityModelException, TokenValidationException
from py_identity_model.jose import JsonWebKey, parse_compact, sign_compact, verify_compact

ISSUER = "https://issuer.example/tenant"
AUDIENCE = "urn:differential:api"
ALGS = ("RS256", "PS256", "ES256", "EdDSA", "HS256")
REGISTERED_CLAIMS = frozenset({"iss", "sub", "aud", "exp", "nbf", "iat", "jti"})
B64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

# Deterministic and modest: the whole folder runs in well under 20 s.
SETTINGS = settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64decode_lenient(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


# --------------------------------------------------------------------------------- keys


@dataclass(frozen=True)
class KeyMaterial:
    alg: str
    kid: str
    private: Any  # cryptography private key, or bytes for HS256
    ours_private: JsonWebKey
    ours_public: dict[str, Any]  # the JWK our verifier is configured with (with kid)
    pyjwt_verify: Any
    joserfc_private: Any
    joserfc_public: Any


@cache
def _rsa() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(65537, 2048)  # shared by RS256 and PS256


@cache
def key_for(alg: str) -> KeyMaterial:
    kid = f"diff-{alg.lower()}"
    if alg in ("RS256", "PS256"):
        private: Any = _rsa()
        joserfc_type: Any = RSAKey
    elif alg == "ES256":
        private = ec.generate_private_key(ec.SECP256R1())
        joserfc_type = ECKey
    elif alg == "EdDSA":
        private = ed25519.Ed25519PrivateKey.generate()
        joserfc_type = OKPKey
    elif alg == "HS256":
        private = bytes(range(32, 64))  # exactly the 256 bits HS256 needs
        joserfc_type = OctKey
    else:
        raise ValueError(alg)
    ours_private = JsonWebKey.from_key(private, kid=kid)
    if alg == "HS256":
        ours_public = ours_private.to_dict()
        pyjwt_verify = private
        jose_private = jose_public = OctKey.import_key(private)
    else:
        ours_public = ours_private.public_jwk().to_dict()
        pyjwt_verify = private.public_key()
        jose_private = joserfc_type.import_key(ours_private.to_dict())
        jose_public = joserfc_type.import_key(ours_public)
    return KeyMaterial(
        alg, kid, private, ours_private, ours_public, pyjwt_verify, jose_private, jose_public
    )


# ------------------------------------------------------------------------------ signers


def sign_ours(alg: str, claims: Mapping[str, Any], headers: Mapping[str, Any]) -> str:
    return sign_compact(claims, key_for(alg).ours_private, alg, headers=headers)


def sign_pyjwt(alg: str, claims: Mapping[str, Any], headers: Mapping[str, Any]) -> str:
    return pyjwt.encode(dict(claims), key_for(alg).private, algorithm=alg, headers=dict(headers))


def sign_joserfc(alg: str, claims: Mapping[str, Any], headers: Mapping[str, Any]) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc: "EdDSA is deprecated via RFC 9864"
        return jose_jwt.encode(
            {"alg": alg, **headers}, dict(claims), key_for(alg).joserfc_private, algorithms=[alg]
        )


SIGNERS = {"ours": sign_ours, "pyjwt": sign_pyjwt, "joserfc": sign_joserfc}


def sign_raw(alg: str, header_json: str | bytes, payload_json: str | bytes) -> str:
    """Sign exactly these header and payload bytes (PyJWT's primitives, not ours)."""
    header = header_json.encode("utf-8") if isinstance(header_json, str) else header_json
    payload = payload_json.encode("utf-8") if isinstance(payload_json, str) else payload_json
    signing_input = f"{b64(header)}.{b64(payload)}"
    algorithm = pyjwt.get_algorithm_by_name(alg)
    key = algorithm.prepare_key(key_for(alg).private)
    return f"{signing_input}.{b64(algorithm.sign(signing_input.encode('ascii'), key))}"


# ---------------------------------------------------------------------------- verifiers


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    claims: dict[str, Any] | None = None
    error: BaseException | None = None

    def __repr__(self) -> str:
        if self.accepted:
            return "accepted"
        return f"rejected({type(self.error).__name__}: {str(self.error)[:80]})"


@dataclass(frozen=True)
class Verdicts:
    ours: Verdict
    pyjwt: Verdict
    joserfc: Verdict

    @property
    def others_reject(self) -> bool:
        """PyJWT or joserfc rejects."""
        return not self.pyjwt.accepted or not self.joserfc.accepted

    @property
    def both_others_reject(self) -> bool:
        return not self.pyjwt.accepted and not self.joserfc.accepted


def _rejected(exc: PyIdentityModelException) -> Verdict:
    # A rejected token is always a TokenValidationException (never a config error); any
    # exception outside our hierarchy propagates and fails the test.
    if not isinstance(exc, TokenValidationException):
        raise AssertionError(f"not a TokenValidationException: {exc!r}")
    return Verdict(False, error=exc)


@cache
def _ours_config(alg: str) -> TokenValidationConfig:
    return TokenValidationConfig(
        perform_disco=False,
        key=key_for(alg).ours_public,
        audience=AUDIENCE,
        issuer=ISSUER,
        algorithms=[alg],
        leeway=0,
    )


def verify_ours(token: str, alg: str) -> Verdict:
    """``validate_token`` in static-key mode; only our own exceptions may come out."""
    try:
        claims = validate_token(token, _ours_config(alg))
    except PyIdentityModelException as exc:
        return _rejected(exc)
    return Verdict(True, claims=claims)


def verify_ours_jose(token: str, alg: str) -> Verdict:
    """``parse_compact`` + ``verify_compact`` only (no claim checks)."""
    try:
        jws = parse_compact(token)
        verify_compact(
            jws,
            JsonWebKey.from_dict(key_for(alg).ours_public),
            algorithms=[alg],
            allow_symmetric=alg == "HS256",
        )
    except PyIdentityModelException as exc:
        return _rejected(exc)
    return Verdict(True, claims=jws.claims)


def verify_pyjwt(token: str, alg: str) -> Verdict:
    try:
        claims = pyjwt.decode(
            token,
            key_for(alg).pyjwt_verify,
            algorithms=[alg],
            audience=AUDIENCE,
            issuer=ISSUER,
            leeway=0,
            options={"require": ["exp"]},
        )
    except Exception as exc:  # PyJWTError, or whatever else PyJWT lets escape
        return Verdict(False, error=exc)
    return Verdict(True, claims=claims)


_REGISTRY = jose_jwt.JWTClaimsRegistry(
    leeway=0,
    iss={"essential": True, "value": ISSUER},
    aud={"essential": True, "value": AUDIENCE},
    exp={"essential": True},
)


def verify_joserfc(token: str, alg: str) -> Verdict:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SecurityWarning for "EdDSA"
            decoded = jose_jwt.decode(token, key_for(alg).joserfc_public, algorithms=[alg])
        _REGISTRY.validate(decoded.claims)
    except Exception as exc:  # JoseError, or whatever else joserfc lets escape
        return Verdict(False, error=exc)
    return Verdict(True, claims=decoded.claims)


def verdicts(token: str, alg: str) -> Verdicts:
    return Verdicts(verify_ours(token, alg), verify_pyjwt(token, alg), verify_joserfc(token, alg))


def is_unknown_header_refusal(verdict: Verdict) -> bool:
    """joserfc refuses header members it does not know, by default.

    Not a security reason: RFC 7515 §4 says a header parameter that is not understood
    MUST be ignored (only ``crit`` can make one mandatory), which is what PyJWT and we do.
    """
    from joserfc.errors import UnsupportedHeaderError

    return isinstance(verdict.error, UnsupportedHeaderError)


def assert_never_more_lenient(v: Verdicts, token: str) -> None:
    """The core invariant: whenever PyJWT or joserfc rejects for a security reason, we
    reject too (and so we never accept what both reject).

    The one non-security rejection the generated inputs can trigger is joserfc's refusal
    of unknown header members (:func:`is_unknown_header_refusal`).
    """
    if not v.ours.accepted:
        return
    assert v.pyjwt.accepted, f"we accept what PyJWT rejects: {v} {token}"
    assert v.joserfc.accepted or is_unknown_header_refusal(v.joserfc), (
        f"we accept what joserfc rejects: {v} {token}"
    )
