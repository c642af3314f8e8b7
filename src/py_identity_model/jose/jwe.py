"""Compact JWE (RFC 7516) decryption for encrypted tokens, with joserfc (the ``[jwe]`` extra).

Encrypted ID tokens, userinfo and introspection responses (OIDC Core §10.2, RFC 9701) are
*nested* JWTs: a compact JWS encrypted into a compact JWE. :func:`decrypt_token` returns
that inner JWS, which the validation flow then parses and verifies like any other token;
:func:`decrypt_compact` is the lower level and returns the raw plaintext.

Everything this module can judge without the key is judged here, *before* joserfc sees
the token: the size, exactly five segments of canonical base64url, a strict JSON header
(no duplicate members), ``alg``/``enc`` against an allow-list, no ``zip`` (decompression
bombs), no ``crit``, the lengths of IV, tag and encrypted key, a capped PBES2 ``p2c`` and,
for ECDH-ES, an ephemeral key that is a valid point of the private key's own curve
(invalid-curve attacks). Keys are chosen here too (by ``kid``, type, ``use``, ``key_ops``,
``alg``); joserfc only does the cryptography, with a registry allowing just this token's
``alg`` and ``enc``. Whatever joserfc or cryptography raise becomes one
:class:`~py_identity_model.exceptions.TokenDecryptionException` with one message, so a
failure says nothing about *which* step failed (no padding oracle).

RSA1_5 (Bleichenbacher) and PBES2 (password-based, costly by design) are never allowed by
default; a caller may allow them explicitly.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from ..exceptions import (
    ConfigurationException,
    InvalidKeyException,
    MalformedTokenException,
    TokenDecryptionException,
)
from ..utils.encoding import Base64UrlError, b64url_decode
from ..utils.strict_json import StrictJsonError, loads_object
from .jwk import JsonWebKey
from .jwk_members import PRIVATE_MEMBERS
from .registry import (
    CONTENT_ENCRYPTION,
    ECDH_CURVES,
    JWE_ALGORITHMS,
    JWE_DEFAULT_ALGORITHMS,
    JWE_ENCRYPTIONS,
    KEY_MANAGEMENT,
    MIN_RSA_KEY_BITS,
)

__all__ = [
    "DEFAULT_ALGORITHMS",
    "DEFAULT_ENCRYPTIONS",
    "MAX_PBES2_COUNT",
    "decrypt_compact",
    "decrypt_token",
]

DEFAULT_ALGORITHMS: frozenset[str] = JWE_DEFAULT_ALGORITHMS
DEFAULT_ENCRYPTIONS: frozenset[str] = JWE_ENCRYPTIONS

#: PBES2 ``p2c`` above this is refused: the iteration count is chosen by the sender.
MAX_PBES2_COUNT = 10_000
_MIN_PBES2_SALT_BYTES = 8  # RFC 7518 §4.8.1.1

_STRING_MEMBERS = ("kid", "typ", "cty", "apu", "apv", "p2s", "iv", "tag")
_BASE64_MEMBERS = ("apu", "apv", "p2s", "iv", "tag")
_SEGMENTS = ("header", "encrypted_key", "iv", "ciphertext", "tag")
_DECRYPT_OPS = frozenset({"decrypt", "unwrapKey"})
_DERIVE_OPS = frozenset({"deriveKey", "deriveBits"})
# These derive the key-encryption key, so key_ops may say "deriveKey" (RFC 7517 §4.3).
_DERIVING_FAMILIES = frozenset({"ECDH-ES", "PBES2"})
_NATIVE_KEYS = {"oct": "OctKey", "RSA": "RSAKey", "EC": "ECKey", "OKP": "OKPKey"}
_NOT_SIGNED = "encrypted token does not contain a signed JWT"
_FAILED = "the token could not be decrypted"


def decrypt_token(
    token: str,
    keys: Sequence[JsonWebKey],
    *,
    max_length: int,
    algorithms: Collection[str] | None = None,
    encryptions: Collection[str] | None = None,
) -> str:
    """Decrypt a nested JWT and return the inner compact JWS, still to be verified.

    A plaintext that is not a compact JWS (three segments, ASCII, signed) raises
    TokenDecryptionException: claims are never accepted unsigned from a JWE.
    Otherwise as :func:`decrypt_compact`.
    """
    plaintext = decrypt_compact(
        token, keys, max_length=max_length, algorithms=algorithms, encryptions=encryptions
    )
    try:
        inner = plaintext.decode("ascii")
    except UnicodeDecodeError:
        raise TokenDecryptionException(_NOT_SIGNED, "payload") from None
    parts = inner.split(".")
    if len(parts) != 3 or not parts[0] or not parts[2]:
        raise TokenDecryptionException(_NOT_SIGNED, "payload")
    return inner


def decrypt_compact(
    token: str,
    keys: Sequence[JsonWebKey],
    *,
    max_length: int,
    algorithms: Collection[str] | None = None,
    encryptions: Collection[str] | None = None,
) -> bytes:
    """Decrypt a compact JWE with one of ``keys``; return the plaintext bytes.

    ``algorithms``/``encryptions`` replace the default allow-lists (:data:`DEFAULT_ALGORITHMS`,
    :data:`DEFAULT_ENCRYPTIONS`); ``RSA1_5`` and ``PBES2-*`` are accepted only when listed.

    Raises MalformedTokenException (size, segments, base64url, JSON), TokenDecryptionException
    (policy, no fitting key, failed decryption) or ConfigurationException (bad arguments, the
    ``[jwe]`` extra not installed). No third-party exception escapes.
    """
    allowed_algs = _allow_list(algorithms, DEFAULT_ALGORITHMS, JWE_ALGORITHMS, "algorithms")
    allowed_encs = _allow_list(encryptions, DEFAULT_ENCRYPTIONS, DEFAULT_ENCRYPTIONS, "encryptions")
    if isinstance(keys, JsonWebKey) or not all(isinstance(k, JsonWebKey) for k in keys):
        raise ConfigurationException("keys must be a sequence of JsonWebKey")
    segments = _split(token, max_length)
    header = _header(segments[0])
    alg, enc = _check_header(header, allowed_algs, allowed_encs)
    _check_lengths(segments, alg, enc)
    candidates = _candidates(keys, header, alg, enc)
    if KEY_MANAGEMENT[alg].family == "ECDH-ES":
        candidates = _same_curve(candidates, _ephemeral_key(header))
    return _decrypt(token, candidates, alg, enc, max_length)


# ------------------------------------------------------------------------ structure


def _allow_list(
    names: Collection[str] | None, default: frozenset[str], known: frozenset[str], what: str
) -> frozenset[str]:
    if names is None:
        return default
    if isinstance(names, str) or not isinstance(names, Collection):
        raise ConfigurationException(f"{what} must be a collection of names, not a string")
    allowed = frozenset(names)
    unknown = allowed - known
    if unknown:
        raise ConfigurationException(
            f"unsupported JWE {what}: {', '.join(sorted(map(str, unknown)))}"
        )
    if not allowed:
        raise ConfigurationException(f"{what} must not be empty")
    return allowed


def _split(token: str, max_length: int) -> list[bytes]:
    if not isinstance(token, str):
        raise MalformedTokenException("token must be a str")
    if len(token) > max_length:  # first, before any work proportional to the input
        raise MalformedTokenException(f"token is longer than {max_length} characters")
    if not token.isascii():
        raise MalformedTokenException("token is not ASCII")
    parts = token.split(".")
    if len(parts) != 5:
        raise MalformedTokenException(f"a compact JWE has 5 segments, this token has {len(parts)}")
    if not parts[0]:
        raise MalformedTokenException("header segment is empty", "header")
    decoded = []
    for name, part in zip(_SEGMENTS, parts, strict=True):
        try:
            decoded.append(b64url_decode(part))
        except Base64UrlError as exc:
            raise MalformedTokenException(
                f"{name} segment is not canonical base64url: {exc}",
                "header" if name == "header" else None,
            ) from None
    return decoded


def _header(raw: bytes) -> dict[str, Any]:
    try:
        return loads_object(raw)  # strict: duplicate members would be a parser differential
    except StrictJsonError as exc:
        raise MalformedTokenException(
            f"header is not a valid JSON object: {exc}", "header"
        ) from None


def _check_header(
    header: dict[str, Any], algorithms: frozenset[str], encryptions: frozenset[str]
) -> tuple[str, str]:
    alg, enc = header.get("alg"), header.get("enc")
    if not isinstance(alg, str) or not alg:
        raise MalformedTokenException("header 'alg' must be a non-empty string", "header")
    if not isinstance(enc, str) or not enc:
        raise MalformedTokenException("header 'enc' must be a non-empty string", "header")
    for name in _STRING_MEMBERS:
        if name in header and not isinstance(header[name], str):
            raise MalformedTokenException(f"header {name!r} must be a string", "header")
    if alg not in algorithms:
        raise TokenDecryptionException(f"JWE alg {alg[:32]!r} is not allowed", "header")
    if enc not in encryptions:
        raise TokenDecryptionException(f"JWE enc {enc[:32]!r} is not allowed", "header")
    if "zip" in header:
        raise TokenDecryptionException("compressed JWE is not accepted", "header")
    if "crit" in header:  # we implement no extension (RFC 7516 §4.1.13)
        raise TokenDecryptionException(
            "header 'crit' names extensions this library does not support", "header"
        )
    # joserfc decodes these leniently: hold them to the same canonical form as the segments.
    values = {}
    for name in _BASE64_MEMBERS:
        if name in header:
            try:
                values[name] = b64url_decode(header[name])
            except Base64UrlError:
                raise MalformedTokenException(
                    f"header {name!r} is not canonical base64url", "header"
                ) from None
    family = KEY_MANAGEMENT[alg].family
    if family == "PBES2":
        count = header.get("p2c")
        if type(count) is not int or not 1 <= count <= MAX_PBES2_COUNT:
            raise TokenDecryptionException(
                f"PBES2 'p2c' must be an integer from 1 to {MAX_PBES2_COUNT}", "header"
            )
        if len(values.get("p2s", b"")) < _MIN_PBES2_SALT_BYTES:
            raise TokenDecryptionException("PBES2 'p2s' must be at least 8 bytes", "header")
    if family == "AES-GCM-KW" and (
        len(values.get("iv", b"")) != 12 or len(values.get("tag", b"")) != 16
    ):
        raise MalformedTokenException(f"{alg} needs a 96-bit 'iv' and a 128-bit 'tag'", "header")
    return alg, enc


def _check_lengths(segments: list[bytes], alg: str, enc: str) -> None:
    iv_bytes, tag_bytes = CONTENT_ENCRYPTION[enc].iv_bytes, CONTENT_ENCRYPTION[enc].tag_bytes
    direct = KEY_MANAGEMENT[alg].direct
    _, encrypted_key, iv, _, tag = segments
    if (not encrypted_key) != direct:
        state = "must be empty" if direct else "is missing"
        raise MalformedTokenException(f"the encrypted key {state} for alg {alg}")
    if len(iv) != iv_bytes:
        raise MalformedTokenException(f"the IV must be {iv_bytes} bytes for enc {enc}")
    if len(tag) != tag_bytes:
        raise MalformedTokenException(f"the authentication tag must be {tag_bytes} bytes for {enc}")


# ----------------------------------------------------------------------------- keys


def _candidates(
    keys: Sequence[JsonWebKey], header: dict[str, Any], alg: str, enc: str
) -> list[JsonWebKey]:
    kid = header.get("kid")
    pool = [k for k in keys if k.kid == kid] if kid is not None else list(keys)
    found = [k for k in pool if _fits(k, alg, enc) and _permits(k, alg, enc)]
    if not found:
        which = "with this kid " if kid is not None else ""
        raise TokenDecryptionException(f"no decryption key {which}fits alg {alg}", "header")
    return found


def _fits(key: JsonWebKey, alg: str, enc: str) -> bool:
    """Whether the key's type, curve and size can serve ``alg`` (and is a private key)."""
    facts = KEY_MANAGEMENT[alg]
    if not key.has_private_key or key.kty not in facts.key_types:
        return False
    try:
        if facts.family == "RSA":
            return key.key_size >= MIN_RSA_KEY_BITS
        if facts.family == "ECDH-ES":
            return key.crv in ECDH_CURVES
        if facts.family == "dir":  # the key is the CEK itself
            return key.key_size == 8 * CONTENT_ENCRYPTION[enc].key_bytes
        if facts.key_bytes is not None:  # an AES key-encryption key
            return key.key_size == 8 * facts.key_bytes
        return True  # PBES2: a password of any length
    except InvalidKeyException:  # key_size of a malformed key
        return False


def _permits(key: JsonWebKey, alg: str, enc: str) -> bool:
    """Whether ``use``, ``key_ops`` and ``alg`` of the key allow decrypting ``alg``."""
    if key.use is not None and key.use != "enc":
        return False
    if key.key_ops is not None:
        derives = KEY_MANAGEMENT[alg].family in _DERIVING_FAMILIES
        ops = _DECRYPT_OPS | (_DERIVE_OPS if derives else frozenset())
        if ops.isdisjoint(key.key_ops):
            return False
    # A key is held to its own alg (RFC 7517 §4.4). A "dir" key is the CEK itself, so it
    # may name the content encryption instead (RFC 7520 §5.6 marks it "A128GCM").
    return key.alg is None or key.alg == alg or (alg == "dir" and key.alg == enc)


def _ephemeral_key(header: dict[str, Any]) -> JsonWebKey:
    epk = header.get("epk")
    if not isinstance(epk, dict):
        raise MalformedTokenException("header 'epk' must be a JWK object", "header")
    if not PRIVATE_MEMBERS.isdisjoint(epk):
        raise TokenDecryptionException("header 'epk' must be a public key", "header")
    try:
        # Builds the public key, which checks that an EC point lies on its curve.
        return JsonWebKey.from_dict(epk)
    except InvalidKeyException:
        raise TokenDecryptionException("header 'epk' is not a valid public key", "header") from None


def _same_curve(candidates: list[JsonWebKey], epk: JsonWebKey) -> list[JsonWebKey]:
    # Invalid-curve defence: agree only with a key of the ephemeral key's own type and curve.
    found = [k for k in candidates if k.kty == epk.kty and k.crv == epk.crv]
    if not found:
        raise TokenDecryptionException("header 'epk' is not on the curve of any key", "header")
    return found


# ---------------------------------------------------------------------------- crypto


# joserfc before 1.7.1 rebuilds the authenticated data from the *parsed* protected header,
# so a header re-serialised in transit (spaces, member order, escapes) still decrypts: the
# header is not integrity-protected as RFC 7516 §5.2 requires. The [jwe] extra declares the
# floor; this catches installs that bypassed it.
_JOSERFC_FLOOR = (1, 7, 1)


def _joserfc_version_problem(version: str) -> str | None:
    numbers: list[int] = []
    for part in version.split(".")[:3]:
        digits = "".join(ch for ch in part if ch.isdigit()) if part[:1].isdigit() else ""
        numbers.append(int(digits[:6]) if digits else 0)
    if tuple(numbers) >= _JOSERFC_FLOOR:
        return None
    return (
        f"decrypting JWE tokens needs joserfc 1.7.1 or later (installed: {version[:40]}): "
        "older releases do not protect the JWE header; install py-identity-model[jwe]"
    )


_joserfc_checked = False


def _check_joserfc() -> None:
    global _joserfc_checked  # noqa: PLW0603 - one metadata read per process
    if _joserfc_checked:
        return
    from importlib.metadata import PackageNotFoundError, version

    try:
        problem = _joserfc_version_problem(version("joserfc"))
    except PackageNotFoundError:  # importable without metadata (vendored): trust it
        problem = None
    if problem is not None:
        raise ConfigurationException(problem)
    _joserfc_checked = True


def _decrypt(
    token: str, candidates: list[JsonWebKey], alg: str, enc: str, max_length: int
) -> bytes:
    try:
        from joserfc import jwe as joserfc_jwe, jwk as joserfc_jwk
    except ImportError:
        raise ConfigurationException(
            "decrypting JWE tokens needs joserfc: install py-identity-model[jwe]"
        ) from None
    _check_joserfc()
    # Only this token's alg and enc; no strict header check (a JWT may repeat claims in its
    # header, RFC 7519 §5.3). Our max_length bounds the token already: joserfc's smaller
    # per-segment defaults (1 KiB header, 64 KiB ciphertext) would only refuse tokens we accept.
    registry = joserfc_jwe.JWERegistry(algorithms=(alg, enc), strict_check_header=False)
    registry.max_protected_header_length = max_length
    registry.max_encrypted_key_length = max_length
    registry.max_ciphertext_length = max_length
    for key in candidates:
        try:
            # Our own conversion (checked: the private key matches its public members);
            # signing_material() is the private key object, or the secret of an oct key.
            native = getattr(joserfc_jwk, _NATIVE_KEYS[key.kty]).import_key(key.signing_material())
            plaintext = joserfc_jwe.decrypt_compact(token, native, registry=registry).plaintext
        except Exception:  # noqa: S112 - whatever failed: try the next key, then one message
            continue
        if plaintext is not None:
            return bytes(plaintext)
    raise TokenDecryptionException(_FAILED)
