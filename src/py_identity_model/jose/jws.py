"""Compact JWS (RFC 7515 §7.1): parse strictly, verify against one key, sign.

Parsing checks the size first, then exactly three segments, canonical base64url in each,
a JSON-object header (and, for JWTs, payload) without duplicate members, a string ``alg``
that is not ``none``, no ``crit`` (we understand no extension, RFC 7515 §4.1.11) and no
``b64: false`` (RFC 7797). The header members ``jwk``, ``jku``, ``x5u`` and ``x5c`` are
never read: the verifying key always comes from the caller.

No ``cryptography``/``json``/``binascii``/``UnicodeError`` exception escapes: every fault
becomes a :class:`~py_identity_model.exceptions.TokenValidationException` subclass.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from py_identity_model.exceptions import (
    ConfigurationException,
    InvalidAlgorithmException,
    InvalidKeyException,
    MalformedTokenException,
    PyIdentityModelException,
    SignatureVerificationException,
)
from py_identity_model.utils.encoding import Base64UrlError, b64url_decode, b64url_encode

from ..utils.strict_json import StrictJsonError, dumps_compact, loads_object
from .jwk import JsonWebKey
from .key_policy import check_signing_key, check_verification_key
from .registry import get_algorithm, is_none_algorithm

__all__ = ["MAX_TOKEN_LENGTH", "CompactJws", "parse_compact", "sign_compact", "verify_compact"]

MAX_TOKEN_LENGTH = 256 * 1024
_STRING_HEADERS = ("kid", "typ", "cty")


@dataclass(slots=True)
class CompactJws:
    """A parsed, not yet verified, compact JWS. ``repr`` shows the header only."""

    header: dict[str, Any]
    payload: bytes = field(repr=False)
    signing_input: bytes = field(repr=False)
    signature: bytes = field(repr=False)
    raw: str = field(repr=False)
    claims: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def alg(self) -> str:
        """The header ``alg``."""
        return str(self.header["alg"])

    @property
    def kid(self) -> str | None:
        """The header ``kid``, if any."""
        return self.header.get("kid")

    @property
    def typ(self) -> str | None:
        """The header ``typ``, if any."""
        return self.header.get("typ")


def is_allowed(name: object, algorithms: Collection[str]) -> bool:
    """Whether ``name`` is in the caller's allow-list; ConfigurationException for a bad list.

    A plain string is refused as a list: ``"RS256" in "PS256,RS256"`` is substring matching.
    """
    if isinstance(algorithms, (str, bytes)):
        raise ConfigurationException("algorithms must be a collection of names, not a string")
    try:
        return name in algorithms
    except TypeError:
        raise ConfigurationException("algorithms must be a collection of names") from None


def _malformed(message: str, part: str | None = None) -> MalformedTokenException:
    return MalformedTokenException(message, part)


def _decode(segment: str, part: str) -> bytes:
    try:
        return b64url_decode(segment)
    except Base64UrlError as exc:
        raise _malformed(f"{part} segment is not canonical base64url: {exc}", part) from None


def _json_object(data: bytes, part: str) -> dict[str, Any]:
    try:
        return loads_object(data)
    except StrictJsonError as exc:
        raise _malformed(f"{part} is not a valid JSON object: {exc}", part) from None


def _check_header(header: dict[str, Any]) -> None:
    alg = header.get("alg")
    if not isinstance(alg, str) or not alg:
        raise _malformed("header 'alg' must be a non-empty string", "header")
    if is_none_algorithm(alg):
        raise InvalidAlgorithmException("alg 'none' (unsigned token) is never accepted", "header")
    for name in _STRING_HEADERS:
        if name in header and not isinstance(header[name], str):
            raise _malformed(f"header {name!r} must be a string", "header")
    if header.get("b64", True) is not True:
        raise _malformed("unencoded payloads (RFC 7797 b64) are not supported", "header")
    if "crit" in header:
        crit = header["crit"]
        if not isinstance(crit, list) or not crit or not all(isinstance(c, str) for c in crit):
            raise _malformed("header 'crit' is malformed", "header")
        raise _malformed("header 'crit' names extensions this library does not support", "header")


def parse_compact(
    token: str | bytes,
    *,
    max_length: int = MAX_TOKEN_LENGTH,
    require_json_payload: bool = True,
) -> CompactJws:
    """Parse a compact JWS without verifying it; MalformedTokenException when malformed.

    ``require_json_payload=False`` admits any payload bytes (plain RFC 7515 JWS); a JWT
    always needs the default. ``alg: none`` raises InvalidAlgorithmException.
    """
    if isinstance(token, (bytes, bytearray)):
        if len(token) > max_length:
            raise _malformed(f"token is longer than {max_length} bytes")
        try:
            token = bytes(token).decode("ascii")
        except UnicodeDecodeError:
            raise _malformed("token is not ASCII") from None
    elif not isinstance(token, str):
        raise _malformed("token must be str or bytes")
    if len(token) > max_length:
        raise _malformed(f"token is longer than {max_length} characters")
    if not token.isascii():
        raise _malformed("token is not ASCII")
    parts = token.split(".")
    if len(parts) != 3:
        hint = " (5 segments: an encrypted JWE?)" if len(parts) == 5 else ""
        raise _malformed(f"a compact JWS has 3 segments, this token has {len(parts)}{hint}")
    header_b64, payload_b64, signature_b64 = parts
    if not header_b64:
        raise _malformed("header segment is empty", "header")
    if not signature_b64:
        raise _malformed("signature segment is empty (unsigned token)", "signature")
    header = _json_object(_decode(header_b64, "header"), "header")
    _check_header(header)
    payload = _decode(payload_b64, "payload")
    claims = _json_object(payload, "payload") if require_json_payload else None
    signature = _decode(signature_b64, "signature")
    signing_input = token[: len(header_b64) + 1 + len(payload_b64)].encode("ascii")
    return CompactJws(header, payload, signing_input, signature, token, claims)


def verify_compact(
    jws: CompactJws,
    key: JsonWebKey,
    *,
    algorithms: Collection[str],
    allow_symmetric: bool = False,
) -> None:
    """Verify ``jws`` with ``key``; return None or raise.

    * the header ``alg`` is not in ``algorithms`` (or is ``none``/unknown):
      InvalidAlgorithmException;
    * the alg does not fit the key (type, curve) or HS* without ``allow_symmetric``:
      InvalidAlgorithmException; the key is too small or its ``use``/``key_ops``/``alg``
      forbid it: InvalidKeyException;
    * the signature does not verify: SignatureVerificationException.
    """
    name = jws.header.get("alg")
    record = get_algorithm(name)
    if not is_allowed(name, algorithms):
        raise InvalidAlgorithmException(f"alg {record.name} is not allowed here", "header")
    check_verification_key(record, key, allow_symmetric=allow_symmetric)
    material = key.verification_material()
    if not record.verify(material, jws.signing_input, jws.signature):
        raise SignatureVerificationException("signature verification failed", "signature")


def sign_compact(
    payload: bytes | Mapping[str, Any],
    key: JsonWebKey,
    alg: str,
    *,
    headers: Mapping[str, Any] | None = None,
) -> str:
    """Sign ``payload`` (bytes, or a mapping serialised as compact JSON) into a compact JWS.

    The header is ``{"alg": alg}`` followed by ``headers``; ``kid`` is not added implicitly.
    """
    record = get_algorithm(alg)
    check_signing_key(record, key)
    if headers is not None and not isinstance(headers, Mapping):
        raise ConfigurationException("headers must be a mapping")
    extra = dict(headers or {})
    if extra.pop("alg", alg) != alg:
        raise ConfigurationException("headers['alg'] contradicts the alg argument")
    if not isinstance(payload, (bytes, bytearray, Mapping)):
        raise ConfigurationException("payload must be bytes or a mapping of claims")
    try:
        header_json = dumps_compact({"alg": alg, **extra})
        body = bytes(payload) if isinstance(payload, (bytes, bytearray)) else dumps_compact(payload)
    except StrictJsonError as exc:
        raise ConfigurationException(f"JWS header or payload: {exc}") from None
    signing_input = f"{b64url_encode(header_json)}.{b64url_encode(body)}"
    material = key.signing_material()
    try:
        signature = record.sign(material, signing_input.encode("ascii"))
    except PyIdentityModelException:
        raise
    except Exception:  # a cryptography error: the key cannot sign with this algorithm
        raise InvalidKeyException(f"the key cannot sign with {alg}") from None
    return f"{signing_input}.{b64url_encode(signature)}"
