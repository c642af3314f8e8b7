"""What a JWK's members must look like (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2), as data.

:func:`check_members` validates a member mapping: the type of every registered member,
the members each ``kty`` requires, canonical base64url and exact lengths. It never echoes
a member value in a message, so no key material reaches logs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from py_identity_model.exceptions import InvalidKeyException
from py_identity_model.utils.encoding import Base64UrlError, b64url_decode

from .curves import CURVES, Curve

__all__ = [
    "FIELD_NAMES",
    "JSON_NAMES",
    "KEY_TYPES",
    "PRIVATE_MEMBERS",
    "THUMBPRINT_MEMBERS",
    "check_members",
    "decode_member",
]

# JSON member name -> dataclass field name, in the field order of JsonWebKey.
JSON_NAMES: tuple[str, ...] = (
    "kty", "use", "key_ops", "alg", "kid", "x5u", "x5c", "x5t", "x5t#S256",
    "crv", "x", "y", "d", "n", "e", "p", "q", "dp", "dq", "qi", "oth", "k",
)  # fmt: skip
FIELD_NAMES: Mapping[str, str] = {name: name.replace("#S256", "_s256") for name in JSON_NAMES}

KEY_TYPES = frozenset({"RSA", "EC", "OKP", "oct"})
# Members whose disclosure gives the key away (for oct, ``k`` is the whole secret).
PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
# RFC 7638 §3.2: the required members of each key type, in lexicographic order.
THUMBPRINT_MEMBERS: Mapping[str, tuple[str, ...]] = {
    "RSA": ("e", "kty", "n"),
    "EC": ("crv", "kty", "x", "y"),
    "OKP": ("crv", "kty", "x"),
    "oct": ("k", "kty"),
}
_RSA_CRT_MEMBERS = ("p", "q", "dp", "dq", "qi")
_STRING_LISTS = ("key_ops", "x5c")
_MAX_RSA_BITS = 16384


def _fail(message: str) -> InvalidKeyException:
    return InvalidKeyException(message)


def decode_member(members: Mapping[str, Any], name: str) -> bytes:
    """The bytes of base64url member ``name``; InvalidKeyException if it is not canonical."""
    try:
        return b64url_decode(members[name])
    except Base64UrlError:
        raise _fail(f"JWK member {name!r} is not canonical base64url") from None


def _check_types(members: Mapping[str, Any]) -> None:
    for name in JSON_NAMES:
        value = members.get(name)
        if value is None:
            continue
        if name in _STRING_LISTS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise _fail(f"JWK member {name!r} must be an array of strings")
        elif name == "oth":
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                raise _fail("JWK member 'oth' must be an array of objects")
        elif not isinstance(value, str):
            raise _fail(f"JWK member {name!r} must be a string")
    key_ops = members.get("key_ops")
    if key_ops is not None and len(set(key_ops)) != len(key_ops):
        raise _fail("JWK member 'key_ops' has duplicate values")  # RFC 7517 §4.3


def _require(members: Mapping[str, Any], kty: str, *names: str) -> None:
    for name in names:
        if members.get(name) is None:
            raise _fail(f"{kty} JWK lacks required member {name!r}")


def _curve(members: Mapping[str, Any], kty: str) -> Curve:
    curve = CURVES.get(members["crv"])
    if curve is None or curve.kty != kty:
        raise _fail(f"{kty} JWK has an unsupported curve {members['crv'][:32]!r}")
    return curve


def _check_length(members: Mapping[str, Any], name: str, size: int, curve: str) -> None:
    if len(decode_member(members, name)) != size:
        raise _fail(f"JWK member {name!r} has the wrong length for curve {curve}")


def _check_rsa(members: Mapping[str, Any]) -> None:
    _require(members, "RSA", "n", "e")
    n = int.from_bytes(decode_member(members, "n"), "big")
    e = int.from_bytes(decode_member(members, "e"), "big")
    if n.bit_length() > _MAX_RSA_BITS or n < 3 or not n & 1:
        raise _fail("RSA JWK has an invalid modulus")
    if e < 3 or not e & 1 or e >= n:
        raise _fail("RSA JWK has an invalid public exponent")
    present = [m for m in _RSA_CRT_MEMBERS if members.get(m) is not None]
    if present and members.get("d") is None:
        raise _fail("RSA JWK has CRT members but no 'd'")
    if present and len(present) != len(_RSA_CRT_MEMBERS):
        raise _fail("RSA JWK must carry all of p, q, dp, dq, qi or none")  # RFC 7518 §6.3.2
    for name in ("d", *present):
        if members.get(name) is not None:
            decode_member(members, name)


def _check_ec(members: Mapping[str, Any]) -> None:
    _require(members, "EC", "crv", "x", "y")
    curve = _curve(members, "EC")
    for name in ("x", "y", "d"):
        if members.get(name) is not None:
            _check_length(members, name, curve.coordinate_size, curve.name)


def _check_okp(members: Mapping[str, Any]) -> None:
    _require(members, "OKP", "crv", "x")
    curve = _curve(members, "OKP")
    for name in ("x", "d"):
        if members.get(name) is not None:
            _check_length(members, name, curve.coordinate_size, curve.name)


def _check_oct(members: Mapping[str, Any]) -> None:
    _require(members, "oct", "k")
    if not decode_member(members, "k"):
        raise _fail("oct JWK has an empty key")


_KTY_CHECKS = {"RSA": _check_rsa, "EC": _check_ec, "OKP": _check_okp, "oct": _check_oct}


def check_members(members: Mapping[str, Any]) -> None:
    """Validate JWK ``members`` (JSON names); raise InvalidKeyException on the first fault.

    EC points are checked against their curve when the key is converted (see
    :mod:`.key_conversion`), which :meth:`JsonWebKey.from_dict` does eagerly.
    """
    kty = members.get("kty")
    if not isinstance(kty, str):
        raise _fail("JWK member 'kty' is missing or not a string")
    if kty not in KEY_TYPES:
        raise _fail(f"unsupported JWK key type {kty[:32]!r}")
    _check_types(members)
    _KTY_CHECKS[kty](members)
