"""``validate_token`` with a static key (``perform_disco=False``), through both shells.

Every rule of api-compat §2 that no option can disable is checked here with an accepted and
a rejected token: algorithms (``none``, key confusion, allow-lists, curve and RSA size),
header (``jwk``/``jku``/``x5u``/``x5c`` ignored, ``crit``), encoding, size, and the claims
(``exp``, ``nbf``, ``iat``, ``iss``, ``aud``, ``sub``, scopes, ``typ``). The config rules
(positional order, ``options`` that may not switch checks off, recompiling after a field
is reassigned, ``repr`` without key material) are checked too. Every rejection must be a
``PyIdentityModelException`` subclass; a hypothesis test throws arbitrary input at the
validator to prove that nothing else escapes.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import datetime
import hmac
import json
import time
import types
from collections.abc import Callable
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID
from hypothesis import HealthCheck, given, settings, strategies as st

import py_identity_model
from py_identity_model import (
    ClaimsValidationError,
    ConfigurationException,
    InvalidAlgorithmException,
    InvalidAudienceException,
    InvalidIssuerException,
    InvalidKeyException,
    InvalidTokenTypeException,
    JsonWebToken,
    KeyNotFoundException,
    MalformedTokenException,
    MissingClaimException,
    PyIdentityModelException,
    SignatureVerificationException,
    TokenExpiredException,
    TokenNotYetValidException,
    TokenValidationConfig,
    TokenValidationException,
)
from py_identity_model.jose import JsonWebKey, sign_compact

ISSUER = "https://issuer.example"
AUDIENCE = "urn:test:api"

# --------------------------------------------------------------------------- keys


def _rsa(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


_CRYPTO_KEYS: dict[str, Any] = {
    "rsa": _rsa(),
    "p256": ec.generate_private_key(ec.SECP256R1()),
    "p384": ec.generate_private_key(ec.SECP384R1()),
    "p521": ec.generate_private_key(ec.SECP521R1()),
    "ed25519": ed25519.Ed25519PrivateKey.generate(),
    "ed448": ed448.Ed448PrivateKey.generate(),
    "oct": bytes(range(64)),  # 512 bits: enough for HS256, HS384 and HS512
}
PRIVATE: dict[str, JsonWebKey] = {
    name: JsonWebKey.from_key(key, kid=f"kid-{name}") for name, key in _CRYPTO_KEYS.items()
}
ATTACKER = JsonWebKey.from_key(_rsa(), kid="kid-rsa")  # same kid as the victim's RSA key
RSA_1024 = _rsa(1024)


def public(name: str) -> dict[str, Any]:
    """The verification JWK (as a dict) for one of the keys above."""
    key = PRIVATE[name]
    return key.to_dict() if key.kty == "oct" else key.public_jwk().to_dict()


ALG_KEYS = [
    ("RS256", "rsa"),
    ("RS384", "rsa"),
    ("RS512", "rsa"),
    ("PS256", "rsa"),
    ("PS384", "rsa"),
    ("PS512", "rsa"),
    ("ES256", "p256"),
    ("ES384", "p384"),
    ("ES512", "p521"),
    ("EdDSA", "ed25519"),
    ("EdDSA", "ed448"),
    ("Ed25519", "ed25519"),
    ("Ed448", "ed448"),
    ("HS256", "oct"),
    ("HS384", "oct"),
    ("HS512", "oct"),
]

# --------------------------------------------------------------------------- tokens

DROP = object()


def now() -> int:
    return int(time.time())


def claims(**overrides: Any) -> dict[str, Any]:
    """Valid claims for ISSUER/AUDIENCE; ``name=DROP`` removes a claim."""
    base: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "alice",
        "iat": now() - 5,
        "nbf": now() - 5,
        "exp": now() + 300,
        "scope": "api:read api:write",
    }
    base.update(overrides)
    return {name: value for name, value in base.items() if value is not DROP}


def token(
    key: str = "rsa",
    alg: str = "RS256",
    *,
    kid: Any = DROP,
    headers: dict[str, Any] | None = None,
    **claim_overrides: Any,
) -> str:
    """A token signed by ``PRIVATE[key]``; the header carries the key's kid unless told."""
    header: dict[str, Any] = {"kid": PRIVATE[key].kid if kid is DROP else kid}
    if kid is None:
        header = {}
    header.update(headers or {})
    return sign_compact(claims(**claim_overrides), PRIVATE[key], alg, headers=header)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64json(value: Any) -> str:
    return b64(json.dumps(value, separators=(",", ":")).encode())


def raw_token(
    header: dict[str, Any], payload: dict[str, Any], sign: Callable[[bytes], bytes]
) -> str:
    """A token signed outside the library (for keys and algorithms it refuses to sign with)."""
    signing_input = f"{b64json(header)}.{b64json(payload)}"
    return f"{signing_input}.{b64(sign(signing_input.encode('ascii')))}"


def config(key: str | dict[str, Any] | JsonWebKey = "rsa", **kw: Any) -> TokenValidationConfig:
    """A static-key config expecting ISSUER and AUDIENCE (override with keywords)."""
    kw.setdefault("issuer", ISSUER)
    kw.setdefault("audience", AUDIENCE)
    if key == "oct":
        kw.setdefault("algorithms", ["HS256", "HS384", "HS512"])
    material = public(key) if isinstance(key, str) else key
    return TokenValidationConfig(perform_disco=False, key=material, **kw)


def _no_io(request: Any) -> Any:
    raise AssertionError(f"static-key validation sent a request: {request.url}")


def _client(api: Any) -> Any:
    """An http_client that fails the test if static-key validation ever uses it.

    (It also spares the async shell from creating its managed client on every event loop.)
    """
    return api.mock_client(_no_io)


def reject(api: Any, jwt: Any, cfg: Any, expected: type[Exception]) -> Exception:
    """``validate_token`` must raise ``expected`` (a library exception), never leak the token."""
    with pytest.raises(expected) as info:
        api.validate_token(jwt, cfg, None, _client(api))
    assert isinstance(info.value, PyIdentityModelException)
    if isinstance(jwt, str) and len(jwt) > 20:
        assert jwt not in str(info.value)
        assert jwt not in repr(info.value)
    return info.value


def accept(api: Any, jwt: Any, cfg: TokenValidationConfig) -> dict[str, Any]:
    result = api.validate_token(jwt, cfg, None, _client(api))
    assert isinstance(result, dict)
    return result


# ------------------------------------------------------------------ algorithms


@pytest.mark.parametrize(("alg", "key"), ALG_KEYS, ids=[f"{a}-{k}" for a, k in ALG_KEYS])
def test_every_algorithm_is_accepted(api: Any, alg: str, key: str) -> None:
    jwt = token(key, alg)
    result = api.validate_token(jwt, config(key))  # the default (managed) client path
    assert result["iss"] == ISSUER
    assert result["aud"] == AUDIENCE
    assert result["sub"] == "alice"
    # ... and only with its own key: the same token against another key of that type fails.
    other = JsonWebKey.from_key(_other_key(key), kid=PRIVATE[key].kid)
    material = other.to_dict() if other.kty == "oct" else other.public_jwk().to_dict()
    reject(api, jwt, config(material, algorithms=[alg]), SignatureVerificationException)


def _other_key(name: str) -> Any:
    if name == "rsa":
        return ATTACKER.to_private_key()
    if name == "oct":
        return bytes(reversed(range(64)))
    if name == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    if name == "ed448":
        return ed448.Ed448PrivateKey.generate()
    curve = {"p256": ec.SECP256R1(), "p384": ec.SECP384R1(), "p521": ec.SECP521R1()}[name]
    return ec.generate_private_key(curve)


def test_token_as_bytes_is_accepted(api: Any) -> None:
    assert accept(api, token().encode("ascii"), config())["sub"] == "alice"


@pytest.mark.parametrize("name", ["none", "None", "NONE", "nOnE"])
def test_alg_none_is_rejected_in_any_case(api: Any, name: str) -> None:
    header = b64json({"alg": name, "kid": "kid-rsa"})
    body = b64json(claims())
    # With some signature bytes: the alg itself is refused.
    reject(api, f"{header}.{body}.{b64(b'sig')}", config(), InvalidAlgorithmException)
    # The classic unsigned form (empty signature) is refused too.
    reject(api, f"{header}.{body}.", config(), TokenValidationException)
    # alg none even with an HMAC key and a permissive list.
    reject(api, f"{header}.{body}.{b64(b'sig')}", config("oct"), InvalidAlgorithmException)
    # It can never be allowed explicitly either.
    reject(api, token(), config(algorithms=["RS256", name]), ConfigurationException)


def test_hs256_signed_with_the_rsa_public_key_is_rejected(api: Any) -> None:
    """Key confusion: the attacker uses the public key's bytes as an HMAC secret."""
    rsa_public = PRIVATE["rsa"].public_jwk()
    for secret in (
        rsa_public.to_public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        rsa_public.to_json().encode(),
    ):
        forged = sign_compact(
            claims(), JsonWebKey.from_key(secret), "HS256", headers={"kid": "kid-rsa"}
        )
        reject(api, forged, config("rsa"), InvalidAlgorithmException)
        # A caller that lists HS256 does not make an RSA key an HMAC secret: a list that no
        # configured key can ever honour is refused as misuse, before any token is seen.
        with pytest.raises(ConfigurationException, match="HS256 needs a shared key"):
            accept(api, forged, config("rsa", algorithms=["HS256", "RS256"]))


def test_key_set_mixing_secret_and_public_keys_refuses_hmac(api: Any) -> None:
    mixed = {"keys": [public("rsa"), public("oct")]}
    cfg = config(mixed, algorithms=["HS256", "RS256"])
    reject(api, token("oct", "HS256"), cfg, InvalidKeyException)


def test_symmetric_key_needs_explicit_algorithms(api: Any) -> None:
    cfg = TokenValidationConfig(
        perform_disco=False, key=public("oct"), issuer=ISSUER, audience=AUDIENCE
    )
    reject(api, token("oct", "HS256"), cfg, ConfigurationException)
    accept(api, token("oct", "HS256"), config("oct", algorithms=["HS256"]))


def test_hmac_key_shorter_than_the_hash_is_rejected(api: Any) -> None:
    short = JsonWebKey.from_key(b"0123456789abcdef", kid="short")  # 128 bits
    signed = raw_token(
        {"alg": "HS256", "kid": "short"},
        claims(),
        lambda data: hmac.new(b"0123456789abcdef", data, "sha256").digest(),
    )
    reject(api, signed, config(short.to_dict(), algorithms=["HS256"]), InvalidKeyException)


def test_rsa_1024_key_is_rejected(api: Any) -> None:
    small = JsonWebKey.from_key(RSA_1024.public_key(), kid="small")
    header = {"alg": "RS256", "kid": "small"}

    def sign(data: bytes) -> bytes:
        return RSA_1024.sign(data, padding.PKCS1v15(), hashes.SHA256())

    forged = raw_token(header, claims(), sign)
    reject(api, forged, config(small.to_dict()), InvalidKeyException)
    reject(api, forged, config(small.to_dict(), algorithms=["RS256"]), InvalidKeyException)
    # Without a kid the small key is not a candidate either.
    no_kid = raw_token({"alg": "RS256"}, claims(), sign)
    reject(api, no_kid, config(small.to_dict()), TokenValidationException)


def _ecdsa_raw(
    key: ec.EllipticCurvePrivateKey, hash_alg: hashes.HashAlgorithm, size: int
) -> Callable[[bytes], bytes]:
    def sign(data: bytes) -> bytes:
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hash_alg)))
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")

    return sign


def test_ec_curve_must_match_the_alg(api: Any) -> None:
    p384 = _CRYPTO_KEYS["p384"]
    with_kid = raw_token(
        {"alg": "ES256", "kid": "kid-p384"}, claims(), _ecdsa_raw(p384, hashes.SHA256(), 48)
    )
    reject(api, with_kid, config("p384"), InvalidAlgorithmException)
    reject(api, with_kid, config("p384", algorithms=["ES256"]), InvalidAlgorithmException)
    without_kid = raw_token({"alg": "ES256"}, claims(), _ecdsa_raw(p384, hashes.SHA256(), 48))
    exc = reject(api, without_kid, config("p384"), TokenValidationException)
    assert isinstance(exc, (InvalidAlgorithmException, KeyNotFoundException))
    # ES512 claimed over a P-256 key.
    p256 = _CRYPTO_KEYS["p256"]
    es512 = raw_token(
        {"alg": "ES512", "kid": "kid-p256"}, claims(), _ecdsa_raw(p256, hashes.SHA512(), 32)
    )
    reject(api, es512, config("p256"), InvalidAlgorithmException)
    # The right pairing is accepted.
    accept(api, token("p384", "ES384"), config("p384"))


def test_allow_list_that_excludes_the_alg_rejects(api: Any) -> None:
    rs256 = token("rsa", "RS256")
    reject(api, rs256, config(algorithms=["PS256"]), InvalidAlgorithmException)
    reject(api, rs256, config(algorithms=["RS384", "RS512"]), InvalidAlgorithmException)
    accept(api, rs256, config(algorithms=["PS256", "RS256"]))
    # The key's own "alg" restricts it too.
    pinned = {**public("rsa"), "alg": "PS256"}
    reject(api, rs256, config(pinned), TokenValidationException)
    accept(api, token("rsa", "PS256"), config(pinned))


@pytest.mark.parametrize(
    ("algorithms", "why"),
    [("RS256", "a string"), (["RS999"], "unknown"), ([], "empty"), (["RS256", "none"], "none")],
)
def test_bad_algorithm_lists_are_configuration_errors(api: Any, algorithms: Any, why: str) -> None:
    reject(api, token(), config(algorithms=algorithms), ConfigurationException)


# ------------------------------------------------------------------------ time


def test_expired_token(api: Any) -> None:
    reject(
        api,
        token(exp=now() - 10, iat=now() - 100, nbf=now() - 100),
        config(),
        TokenExpiredException,
    )
    # exp == now is already expired ("on or after").
    reject(api, token(exp=now(), iat=now() - 100, nbf=now() - 100), config(), TokenExpiredException)
    accept(api, token(exp=now() + 5), config())


def test_leeway_accepts_slightly_expired_tokens_only(api: Any) -> None:
    slightly = token(exp=now() - 10, iat=now() - 100, nbf=now() - 100)
    accept(api, slightly, config(leeway=60))
    reject(api, slightly, config(leeway=5), TokenExpiredException)
    long_ago = token(exp=now() - 600, iat=now() - 900, nbf=now() - 900)
    reject(api, long_ago, config(leeway=60), TokenExpiredException)
    reject(api, token(), config(leeway=-1), ConfigurationException)


def test_nbf_in_the_future(api: Any) -> None:
    future = token(nbf=now() + 120)
    reject(api, future, config(), TokenNotYetValidException)
    accept(api, future, config(leeway=300))
    accept(api, token(nbf=DROP), config())


def test_iat_in_the_future(api: Any) -> None:
    future = token(iat=now() + 120)
    reject(api, future, config(), TokenNotYetValidException)
    accept(api, future, config(leeway=300))
    accept(api, token(iat=DROP), config())
    # Asking to skip the iat check does not make a future iat acceptable.
    exc = reject(api, future, config(options={"verify_iat": False}), PyIdentityModelException)
    assert isinstance(exc, (ConfigurationException, TokenNotYetValidException))


def test_exp_is_required(api: Any) -> None:
    exc = reject(api, token(exp=DROP), config(), TokenValidationException)
    assert isinstance(exc, MissingClaimException)
    # Whatever the options say.
    reject(api, token(exp=DROP), config(options={"require": []}), MissingClaimException)
    reject(api, token(exp=DROP), config(options={"verify_exp": True}), MissingClaimException)


@pytest.mark.parametrize("bad", ["tomorrow", True, None, [1], 1e400])
def test_non_numeric_exp_is_rejected(api: Any, bad: Any) -> None:
    if bad == 1e400:
        header = b64json({"alg": "HS256"})
        body = b64(b'{"iss":"%s","aud":"%s","exp":1e400}' % (ISSUER.encode(), AUDIENCE.encode()))
        sig = hmac.new(_CRYPTO_KEYS["oct"], f"{header}.{body}".encode(), "sha256").digest()
        reject(api, f"{header}.{body}.{b64(sig)}", config("oct"), TokenValidationException)
        return
    reject(api, token(exp=bad), config(), TokenValidationException)


# ---------------------------------------------------------------------- issuer


def test_issuer_must_match_exactly(api: Any) -> None:
    accept(api, token(), config())
    for other in ("https://evil.example", ISSUER + "/", ISSUER.upper(), ISSUER + " ", ""):
        reject(api, token(iss=other), config(), InvalidIssuerException)
    reject(api, token(iss=["https://issuer.example"]), config(), InvalidIssuerException)
    exc = reject(api, token(iss=DROP), config(), TokenValidationException)
    assert isinstance(exc, (MissingClaimException, InvalidIssuerException))


def test_issuer_list_and_allowed_issuers(api: Any) -> None:
    second = "https://second.example"
    third = "https://third.example"
    cfg = config(issuer=[ISSUER, second])
    accept(api, token(), cfg)
    accept(api, token(iss=second), cfg)
    reject(api, token(iss=third), cfg, InvalidIssuerException)
    cfg = config(issuer=ISSUER, allowed_issuers=[third])
    accept(api, token(iss=third), cfg)
    accept(api, token(), cfg)
    reject(api, token(iss=second), cfg, InvalidIssuerException)
    reject(api, token(), config(issuer=123), ConfigurationException)


# --------------------------------------------------------------------- audience


def test_audience_string_and_list(api: Any) -> None:
    accept(api, token(), config(audience=AUDIENCE))
    accept(api, token(), config(audience=["urn:other", AUDIENCE]))
    accept(api, token(aud=["urn:other", AUDIENCE]), config(audience=AUDIENCE))
    reject(api, token(aud="urn:other"), config(audience=AUDIENCE), InvalidAudienceException)
    reject(
        api,
        token(aud=["urn:x", "urn:y"]),
        config(audience=[AUDIENCE, "urn:z"]),
        InvalidAudienceException,
    )
    # A substring or prefix is not a match.
    reject(api, token(aud="urn:test"), config(audience=AUDIENCE), InvalidAudienceException)
    reject(api, token(aud=AUDIENCE + ":x"), config(audience=AUDIENCE), InvalidAudienceException)
    reject(api, token(aud=5), config(), InvalidAudienceException)
    exc = reject(api, token(aud=DROP), config(audience=AUDIENCE), TokenValidationException)
    assert isinstance(exc, (MissingClaimException, InvalidAudienceException))


def test_token_with_audience_but_none_configured(api: Any) -> None:
    reject(api, token(), config(audience=None), InvalidAudienceException)
    accept(api, token(), config(audience=None, options={"verify_aud": False}))
    accept(api, token(aud=DROP), config(audience=None))


# ---------------------------------------------------------------------- options


@pytest.mark.parametrize(
    "option", ["verify_signature", "verify_exp", "verify_nbf", "verify_iss", "verify_aud"]
)
def test_options_cannot_disable_integrity_checks(api: Any, option: str) -> None:
    reject(api, token(), config(options={option: False}), ConfigurationException)
    # Explicitly asking for the check is fine.
    accept(api, token(), config(options={option: True}))


def test_unknown_option_and_bad_options(api: Any) -> None:
    reject(
        api, token(), config(options={"verify_everything_loosely": True}), ConfigurationException
    )
    reject(api, token(), config(options={"leeway": 10}), ConfigurationException)
    reject(api, token(), config(options=["verify_exp"]), ConfigurationException)


def test_options_require(api: Any) -> None:
    cfg = config(options={"require": ["jti", "sub"]})
    reject(api, token(), cfg, MissingClaimException)
    accept(api, token(jti="id-1"), cfg)
    reject(api, token(jti="id-1", sub=DROP), cfg, MissingClaimException)
    reject(api, token(), config(required_claims=["tenant"]), MissingClaimException)
    accept(api, token(tenant="t1"), config(required_claims=["tenant"]))


# ----------------------------------------------------------- other claim rules


def test_subject(api: Any) -> None:
    accept(api, token(), config(subject="alice"))
    reject(api, token(sub="mallory"), config(subject="alice"), ClaimsValidationError)
    reject(api, token(sub=DROP), config(subject="alice"), MissingClaimException)
    reject(api, token(sub=42), config(), ClaimsValidationError)


def test_required_scopes(api: Any) -> None:
    accept(api, token(), config(required_scopes=["api:read"]))
    accept(api, token(), config(required_scopes=["api:read", "api:write"]))
    reject(api, token(), config(required_scopes=["api:admin"]), ClaimsValidationError)
    reject(api, token(), config(required_scopes=["api:read", "api:admin"]), ClaimsValidationError)
    # "api:rea" is a substring of the granted scope string, not a scope.
    reject(api, token(), config(required_scopes=["api:rea"]), ClaimsValidationError)
    accept(api, token(scope=DROP, scp=["api:read"]), config(required_scopes=["api:read"]))
    reject(api, token(scope=DROP), config(required_scopes=["api:read"]), ClaimsValidationError)


@pytest.mark.parametrize("typ", ["at+jwt", "application/at+jwt", "AT+JWT", "Application/At+Jwt"])
def test_token_type_accepted(api: Any, typ: str) -> None:
    accept(api, token(headers={"typ": typ}), config(token_type="at+jwt"))


@pytest.mark.parametrize("typ", ["JWT", "jwt", "at+jwt2", "application/jwt", "logout+jwt", None])
def test_token_type_rejected(api: Any, typ: str | None) -> None:
    headers = {} if typ is None else {"typ": typ}
    reject(api, token(headers=headers), config(token_type="at+jwt"), InvalidTokenTypeException)
    # Without token_type the typ header is not checked.
    accept(api, token(headers=headers), config())


def test_max_token_size(api: Any) -> None:
    jwt = token()
    accept(api, jwt, config(max_token_size=len(jwt)))
    reject(api, jwt, config(max_token_size=len(jwt) - 1), MalformedTokenException)
    reject(api, jwt, config(max_token_size=0), ConfigurationException)


def test_tokens_over_256_kib_are_rejected_by_default(api: Any) -> None:
    big = token(padding="x" * (256 * 1024))
    assert len(big) > 256 * 1024
    reject(api, big, config(), MalformedTokenException)
    reject(api, big.encode("ascii"), config(), MalformedTokenException)
    # Just below the limit is fine.
    fits = token(padding="x" * (180 * 1024))
    assert len(fits) < 256 * 1024
    accept(api, fits, config())


# --------------------------------------------------------------- integrity


def _replace_char(text: str, index: int) -> str:
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1 :]


@pytest.mark.parametrize(
    ("alg", "key"), [("RS256", "rsa"), ("ES256", "p256"), ("EdDSA", "ed25519"), ("HS256", "oct")]
)
def test_tampered_tokens_are_rejected(api: Any, alg: str, key: str) -> None:
    good = token(key, alg)
    header, body, signature = good.split(".")
    cfg = config(key)
    accept(api, good, cfg)
    # A payload from another token, signature kept.
    other_body = token(key, alg, sub="admin").split(".")[1]
    reject(api, f"{header}.{other_body}.{signature}", cfg, SignatureVerificationException)
    # One signature character changed (in the middle: the encoding stays canonical).
    reject(
        api,
        f"{header}.{body}.{_replace_char(signature, len(signature) // 2)}",
        cfg,
        SignatureVerificationException,
    )
    # One payload character changed.
    reject(api, f"{header}.{_replace_char(body, 10)}.{signature}", cfg, TokenValidationException)
    # A signature from another token.
    other_sig = token(key, alg, sub="admin").split(".")[2]
    reject(api, f"{header}.{body}.{other_sig}", cfg, SignatureVerificationException)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "abc",
        "a.b",
        "only.two",
        "a.b.c.d",
        "a.b.c.d.e.f",
        "...",
        "!!!.@@@.###",
        "\u00e9\u00e9.\u00e9\u00e9.\u00e9\u00e9",
    ],
)
def test_malformed_token_shapes(api: Any, bad: str) -> None:
    reject(api, bad, config(), MalformedTokenException)


_DUPLICATE_ALG = b'{"alg":"RS256","alg":"HS256"}'
_BAD_UTF8_HEADER = b'{"alg":"RS256","x":"\xff"}'
_B64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def test_malformed_segments(api: Any) -> None:
    header, body, signature = token().split(".")
    middle = len(signature) // 2
    cfg = config()
    cases = {
        "two segments": f"{header}.{body}",
        "four segments": f"{header}.{body}.{signature}.{signature}",
        "padding": f"{header}=.{body}.{signature}",
        "'+' (standard alphabet)": f"{header}.{body}.{signature[:middle]}+{signature[middle + 1 :]}",
        "'/' (standard alphabet)": f"{header}.{body}.{signature[:middle]}/{signature[middle + 1 :]}",
        "bad base64 in payload": f"{header}.{body[:-1]}*.{signature}",
        "whitespace": f"{header}.{body} .{signature}",
        "empty header": f".{body}.{signature}",
        "non-JSON header": f"{b64(b'not json')}.{body}.{signature}",
        "non-JSON payload": f"{header}.{b64(b'not json')}.{signature}",
        "array header": f"{b64json(['RS256'])}.{body}.{signature}",
        "array payload": f"{header}.{b64json([1, 2])}.{signature}",
        "string payload": f"{header}.{b64json('claims')}.{signature}",
        "header without alg": f"{b64json({'kid': 'kid-rsa'})}.{body}.{signature}",
        "alg not a string": f"{b64json({'alg': ['RS256']})}.{body}.{signature}",
        "kid not a string": f"{b64json({'alg': 'RS256', 'kid': 7})}.{body}.{signature}",
        "duplicate members": f"{b64(_DUPLICATE_ALG)}.{body}.{signature}",
        "invalid UTF-8": f"{b64(_BAD_UTF8_HEADER)}.{body}.{signature}",
        "unencoded payload": f"{b64json({'alg': 'RS256', 'b64': False, 'crit': ['b64']})}.{body}.{signature}",
    }
    for name, bad in cases.items():
        exc = reject(api, bad, cfg, TokenValidationException)
        assert isinstance(exc, MalformedTokenException), (name, exc)
    # Non-zero spare bits in the last character (an RS256 signature is 256 bytes, so its
    # last character carries 4 unused bits): not canonical base64url.
    assert len(base64.urlsafe_b64decode(signature + "==")) % 3 == 1
    index = _B64URL_ALPHABET.index(signature[-1])
    assert index % 16 == 0
    mutated = _B64URL_ALPHABET[index | 1]
    reject(api, f"{header}.{body}.{signature[:-1]}{mutated}", cfg, MalformedTokenException)


def test_non_string_input_is_rejected(api: Any) -> None:
    for bad in (None, 42, ["a", "b", "c"], {"jwt": 1}, b"\xff\xfe.\x00.\x01"):
        reject(api, bad, config(), MalformedTokenException)


# ------------------------------------------------------------------ header


def _self_signed_cert(key: rsa.RSAPrivateKey) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "attacker")])
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=36500))
        .sign(key, hashes.SHA256())
    )
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode("ascii")


EMBEDDED_KEY_HEADERS: dict[str, Any] = {
    "jwk": ATTACKER.public_jwk().to_dict(),
    "jku": "https://attacker.example/jwks.json",
    "x5u": "https://attacker.example/cert.pem",
    "x5c": [_self_signed_cert(ATTACKER.to_private_key())],
}


@pytest.mark.parametrize("member", [*EMBEDDED_KEY_HEADERS, "all"])
def test_keys_embedded_in_the_header_are_ignored(api: Any, member: str) -> None:
    headers = (
        dict(EMBEDDED_KEY_HEADERS) if member == "all" else {member: EMBEDDED_KEY_HEADERS[member]}
    )
    forged = sign_compact(claims(), ATTACKER, "RS256", headers={"kid": "kid-rsa", **headers})
    reject(api, forged, config(), SignatureVerificationException)
    no_kid = sign_compact(claims(), ATTACKER, "RS256", headers=headers)
    reject(api, no_kid, config(), SignatureVerificationException)
    # The members are merely ignored: a genuine token carrying them still validates.
    accept(api, token(headers=headers), config())


def test_crit_header(api: Any) -> None:
    for crit in (["exp"], ["urn:example:unknown"], ["b64"]):
        jwt = token(headers={"crit": crit, crit[0]: 1})
        reject(api, jwt, config(), MalformedTokenException)
    reject(api, token(headers={"crit": []}), config(), MalformedTokenException)
    reject(api, token(headers={"crit": "exp"}), config(), MalformedTokenException)
    accept(api, token(headers={"urn:example:unknown": 1}), config())  # not critical: ignored


# --------------------------------------------------------------- claims_validator


def test_claims_validator_hook(api: Any) -> None:
    seen: list[dict[str, Any]] = []

    def record(payload: dict[str, Any]) -> None:
        seen.append(payload)

    accept(api, token(), config(claims_validator=record))
    assert seen and seen[-1]["sub"] == "alice"

    def boom(payload: dict[str, Any]) -> None:
        raise ValueError("tenant not allowed")

    exc = reject(api, token(), config(claims_validator=boom), ClaimsValidationError)
    assert isinstance(exc.__cause__, ValueError)
    reject(api, token(), config(claims_validator=lambda payload: False), ClaimsValidationError)
    accept(api, token(), config(claims_validator=lambda payload: True))

    def library_error(payload: dict[str, Any]) -> None:
        raise InvalidAudienceException("wrong tenant", "payload")

    reject(api, token(), config(claims_validator=library_error), InvalidAudienceException)

    async def coroutine_hook(payload: dict[str, Any]) -> bool:
        return True

    reject(api, token(), config(claims_validator=coroutine_hook), TokenValidationException)
    # The hook runs only after the signature verified.
    calls: list[Any] = []
    forged = sign_compact(claims(), ATTACKER, "RS256", headers={"kid": "kid-rsa"})
    reject(api, forged, config(claims_validator=calls.append), SignatureVerificationException)
    assert calls == []


# ----------------------------------------------------------------- the config


def test_config_positional_order_matches_api_compat() -> None:
    names = [f.name for f in dataclasses.fields(TokenValidationConfig)]
    assert names[:12] == [
        "perform_disco",
        "key",
        "audience",
        "algorithms",
        "issuer",
        "subject",
        "options",
        "claims_validator",
        "require_https",
        "leeway",
        "allowed_issuers",
        "discovery_policy",
    ]

    def hook(payload: dict[str, Any]) -> None:
        return None

    policy = py_identity_model.DiscoveryPolicy()
    cfg = TokenValidationConfig(
        False,
        public("rsa"),
        AUDIENCE,
        ["RS256"],
        ISSUER,
        "alice",
        {"require": ["sub"]},
        hook,
        False,
        5.0,
        ["https://other.example"],
        policy,
    )
    assert cfg.perform_disco is False
    assert cfg.key == public("rsa")
    assert cfg.audience == AUDIENCE
    assert cfg.algorithms == ["RS256"]
    assert cfg.issuer == ISSUER
    assert cfg.subject == "alice"
    assert cfg.options == {"require": ["sub"]}
    assert cfg.claims_validator is hook
    assert cfg.require_https is False
    assert cfg.leeway == 5.0
    assert cfg.allowed_issuers == ["https://other.example"]
    assert cfg.discovery_policy is policy
    defaults = TokenValidationConfig(True)
    assert defaults.key is None and defaults.audience is None and defaults.algorithms is None
    assert defaults.options is None and defaults.claims_validator is None
    assert defaults.require_https is True and defaults.leeway is None
    assert defaults.allowed_issuers is None and defaults.discovery_policy is None
    # Positional use of the full signature still validates.
    assert py_identity_model.validate_token(token(), cfg)["sub"] == "alice"


@pytest.mark.parametrize("name", ["oct", "rsa", "p256", "ed25519"])
def test_config_repr_hides_the_key(name: str) -> None:
    private = PRIVATE[name].to_dict()
    secret = private["k"] if name == "oct" else private["d"]
    for key in (private, PRIVATE[name], {"keys": [private]}):
        cfg = TokenValidationConfig(False, key, AUDIENCE, issuer=ISSUER)
        text = repr(cfg)
        assert secret not in text
        assert "[redacted]" in text
        assert AUDIENCE in text
        assert secret not in str(cfg)
    enc = TokenValidationConfig(True, decryption_keys=[private])
    assert secret not in repr(enc)


def test_assigning_a_field_recompiles(api: Any) -> None:
    cfg = config()
    jwt = token()
    accept(api, jwt, cfg)
    cfg.audience = "urn:new"
    reject(api, jwt, cfg, InvalidAudienceException)
    accept(api, token(aud="urn:new"), cfg)
    cfg.algorithms = ["PS256"]
    reject(api, token(aud="urn:new"), cfg, InvalidAlgorithmException)
    cfg.algorithms = None
    cfg.key = public("p256")
    reject(api, token(aud="urn:new"), cfg, TokenValidationException)
    accept(api, token("p256", "ES256", aud="urn:new"), cfg)
    cfg.options = {"verify_signature": False}
    reject(api, token("p256", "ES256", aud="urn:new"), cfg, ConfigurationException)
    cfg.options = None
    cfg.issuer = "https://elsewhere.example"
    reject(api, token("p256", "ES256", aud="urn:new"), cfg, InvalidIssuerException)


def test_jwk_set_dict_as_key_selects_by_kid(api: Any) -> None:
    key_set = {"keys": [public("rsa"), public("p256"), public("ed25519"), public("p384")]}
    cfg = config(key_set)
    assert accept(api, token("rsa", "RS256"), cfg)["sub"] == "alice"
    assert accept(api, token("p256", "ES256"), cfg)["sub"] == "alice"
    assert accept(api, token("ed25519", "EdDSA"), cfg)["sub"] == "alice"
    assert accept(api, token("p384", "ES384"), cfg)["sub"] == "alice"
    # Without a kid, the keys that fit the alg are tried.
    accept(api, token("p256", "ES256", kid=None), cfg)
    accept(api, token("rsa", "PS256", kid=None), cfg)
    # An unknown kid is not resolved by trying every key.
    reject(api, token("rsa", "RS256", kid="kid-unknown"), cfg, KeyNotFoundException)
    # A kid pointing at a key of another type.
    reject(api, token("p256", "ES256", kid="kid-rsa"), cfg, TokenValidationException)
    # An attacker's token under an existing kid.
    forged = sign_compact(claims(), ATTACKER, "RS256", headers={"kid": "kid-rsa"})
    reject(api, forged, cfg, SignatureVerificationException)
    forged_no_kid = sign_compact(claims(), ATTACKER, "RS256")
    reject(api, forged_no_kid, cfg, SignatureVerificationException)
    # A JsonWebKey instance works as well as a dict.
    accept(api, token("p256", "ES256"), config(PRIVATE["p256"].public_jwk()))
    reject(api, token(), config({"keys": []}), ConfigurationException)


@pytest.mark.parametrize(
    "key",
    [
        None,
        "not a key",
        42,
        {"kty": "RSA", "n": "!!", "e": "AQAB"},
        {"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"},
        {"keys": "nope"},
    ],
)
def test_unusable_static_keys_raise_library_exceptions(api: Any, key: Any) -> None:
    cfg = TokenValidationConfig(perform_disco=False, key=key, issuer=ISSUER, audience=AUDIENCE)
    reject(api, token(), cfg, PyIdentityModelException)


def test_misuse_raises_configuration_errors(api: Any) -> None:
    reject(api, token(), types.SimpleNamespace(perform_disco=False), ConfigurationException)
    reject(
        api,
        token(),
        TokenValidationConfig(perform_disco=True, audience=AUDIENCE),
        ConfigurationException,
    )
    reject(api, token(), config(audience=[AUDIENCE, 5]), ConfigurationException)


@pytest.mark.parametrize("not_a_config", [None, "not a config", {"perform_disco": False}])
def test_non_config_objects_raise_configuration_exception(api: Any, not_a_config: Any) -> None:
    reject(api, token(), not_a_config, ConfigurationException)


# ------------------------------------------------------------ JsonWebToken


def test_decode_unverified_repr_hides_the_raw_token() -> None:
    jwt = token(secret_claim="s3cr3t-value-123", headers={"typ": "at+jwt"})
    decoded = JsonWebToken.decode_unverified(jwt)
    assert decoded.payload["secret_claim"] == "s3cr3t-value-123"
    assert decoded.raw == jwt
    assert decoded.alg == "RS256"
    assert decoded.kid == "kid-rsa"
    assert decoded.typ == "at+jwt"
    assert decoded.issuer == ISSUER
    assert decoded.subject == "alice"
    assert decoded.audiences == [AUDIENCE]
    for text in (repr(decoded), str(decoded)):
        assert jwt not in text
        for segment in jwt.split("."):
            assert segment not in text
        assert "s3cr3t-value-123" not in text
        assert "secret_claim" in text  # claim names only
    # Decoding does not verify: a forged token decodes, and validating it fails.
    forged = sign_compact(claims(), ATTACKER, "RS256", headers={"kid": "kid-rsa"})
    assert JsonWebToken.decode_unverified(forged).subject == "alice"
    with pytest.raises(SignatureVerificationException):
        py_identity_model.validate_token(forged, config())
    with pytest.raises(InvalidAlgorithmException):
        JsonWebToken.decode_unverified(
            f"{b64json({'alg': 'none'})}.{b64json(claims())}.{b64(b'x')}"
        )
    with pytest.raises(MalformedTokenException):
        JsonWebToken.decode_unverified("a.b")


# --------------------------------------------------------- nothing else escapes

_FUZZ_CONFIGS = [
    config(),
    config("oct"),
    config("p256", token_type="at+jwt", required_scopes=["x"]),
]
_B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
_header_names = st.sampled_from(
    ["alg", "kid", "typ", "crit", "jwk", "jku", "x5c", "b64", "cty", "zip", "enc"]
)
_alg_values = (
    st.sampled_from(["RS256", "ES256", "HS256", "EdDSA", "none", "NONE", "PS512", "XYZ", ""])
    | _json_values
)
_claim_names = st.sampled_from(["iss", "aud", "exp", "nbf", "iat", "sub", "scope", "scp", "jti"])


@st.composite
def structured_tokens(draw: st.DrawFn) -> str:
    header = draw(st.dictionaries(_header_names, _json_values, max_size=5))
    header["alg"] = draw(_alg_values)
    payload = draw(st.dictionaries(_claim_names | st.text(max_size=6), _json_values, max_size=8))
    if draw(st.booleans()):
        payload.update(iss=ISSUER, aud=AUDIENCE, exp=now() + 100)
    signature = draw(st.binary(max_size=300))
    return f"{b64json(header)}.{b64json(payload)}.{b64(signature)}"


_fuzz_inputs = (
    st.text(max_size=300)
    | st.binary(max_size=300)
    | st.text(alphabet=_B64URL + ".=+/ ", max_size=300)
    | st.lists(st.text(alphabet=_B64URL, max_size=80), min_size=1, max_size=6).map(".".join)
    | structured_tokens()
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(jwt=_fuzz_inputs, which=st.integers(0, len(_FUZZ_CONFIGS) - 1))
def test_random_input_raises_only_library_exceptions(jwt: str | bytes, which: int) -> None:
    try:
        py_identity_model.validate_token(jwt, _FUZZ_CONFIGS[which])  # type: ignore[arg-type]
    except PyIdentityModelException:
        return
    pytest.fail("random input was accepted")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(jwt=_fuzz_inputs)
def test_random_input_async_raises_only_library_exceptions(jwt: str | bytes) -> None:
    async def run() -> None:
        await py_identity_model.aio.validate_token(jwt, _FUZZ_CONFIGS[0])  # type: ignore[arg-type]

    with pytest.raises(PyIdentityModelException):
        asyncio.run(run())


@settings(max_examples=150, deadline=None)
@given(
    mutate_at=st.integers(0, 10_000),
    replacement=st.sampled_from(list(_B64URL + ".=+/")),
)
def test_single_character_mutations_never_validate(mutate_at: int, replacement: str) -> None:
    good = _GOOD_FOR_MUTATION
    index = mutate_at % len(good)
    mutated = good[:index] + replacement + good[index + 1 :]
    if mutated == good:
        return
    try:
        result = py_identity_model.validate_token(mutated, _FUZZ_CONFIGS[0])
    except PyIdentityModelException:
        return
    # A change can only validate if it decodes to the very same bytes (impossible with
    # canonical base64url) — so any success is a failure of the encoding rules.
    pytest.fail(f"mutated token validated: {result!r}")


_GOOD_FOR_MUTATION = token(exp=now() + 3600)
