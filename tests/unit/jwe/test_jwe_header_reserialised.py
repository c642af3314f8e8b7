"""A protected header re-serialised with other bytes is refused.

The AAD of a compact JWE is ASCII(BASE64URL(UTF8(JWE Protected Header))) as *received*
(RFC 7516 §5.2 step 14), byte for byte. A decrypter that rebuilds it from the parsed header
(joserfc before 1.7.1 did) accepts a token whose first segment was swapped for another
serialisation of the same JSON object, and refuses legitimate tokens whose sender did not
write compact JSON.

Each token here is a valid compact JWE whose header segment is replaced by a
re-serialisation of the same JSON (other member order, whitespace, escaped characters),
the other four segments kept. Decryption must be refused with TokenDecryptionException:
through the JWE module and through ``validate_token`` with ``decryption_keys``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from jwe_support import (
    AUDIENCE,
    BIG,
    ISSUER,
    b64,
    ec_key,
    encrypt,
    header_of,
    oct_key,
    rsa_key,
    signed_jwt,
    signing_key,
    unb64,
    with_header,
)

from py_identity_model import JsonWebKey, TokenValidationConfig
from py_identity_model.exceptions import TokenDecryptionException

# The JWE module, named on this line only: moving the module is a one-line change here.
from py_identity_model.jose import jwe

pytest.importorskip("joserfc")

# ------------------------------------------------------------------ re-serialisations


def _reversed(value: Any) -> Any:
    """``value`` with the members of every object in reverse order."""
    if isinstance(value, dict):
        return {name: _reversed(member) for name, member in reversed(value.items())}
    return value


def _escaped(value: Any) -> str:
    """Compact JSON with every character of every string written as a \\uXXXX escape."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{_escaped(k)}:{_escaped(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_escaped(item) for item in value) + "]"
    if isinstance(value, str):
        return '"' + "".join(f"\\u{ord(char):04x}" for char in value) + '"'
    return json.dumps(value)


def _compact(header: dict[str, Any]) -> str:
    return json.dumps(header, separators=(",", ":"))


RESERIALISATIONS: dict[str, Callable[[dict[str, Any]], str]] = {
    "spaces-after-separators": lambda h: json.dumps(h, separators=(", ", ": ")),
    "pretty-printed": lambda h: json.dumps(h, indent=2),
    "surrounding-whitespace": lambda h: " \t" + _compact(h) + "\r\n",
    "members-reversed": lambda h: _compact(_reversed(h)),
    "one-escaped-character": lambda h: _compact(h).replace('"alg"', '"\\u0061lg"', 1),
    "every-character-escaped": _escaped,
}

# GCM and CBC-HMAC authenticate the AAD differently; key transport, key wrapping, key
# agreement (its header has a nested object, "epk") and direct encryption each once.
TOKENS = [
    pytest.param(oct_key, "A256KW", "A256GCM", id="A256KW+A256GCM"),
    pytest.param(oct_key, "dir", "A128CBC-HS256", id="dir+A128CBC-HS256"),
    pytest.param(ec_key, "ECDH-ES", "A256GCM", id="ECDH-ES+A256GCM"),
    pytest.param(rsa_key, "RSA-OAEP-256", "A128CBC-HS256", id="RSA-OAEP-256+A128CBC-HS256"),
]


def _reserialised(token: str, how: str) -> str:
    """``token`` with its header segment re-serialised ``how``, the other segments kept."""
    header = header_of(token)
    raw = RESERIALISATIONS[how](header).encode("ascii")
    original = unb64(token.split(".", maxsplit=1)[0])
    assert raw != original, "the re-serialisation must change the bytes"
    assert json.loads(raw) == header, "... and keep the JSON object"
    tampered = with_header(token, raw)
    assert tampered.split(".")[1:] == token.split(".")[1:]
    return tampered


def _token(make_key: Callable[[], JsonWebKey], alg: str, enc: str) -> tuple[str, str, JsonWebKey]:
    """A compact JWE of a signed JWT (``cty``/``typ`` give the header more to re-serialise)."""
    key = make_key()
    inner = signed_jwt()
    return encrypt(inner, key, alg, enc, cty="JWT", typ="JWT"), inner, key


# ------------------------------------------------------------------ the JWE module


@pytest.mark.parametrize("how", sorted(RESERIALISATIONS))
@pytest.mark.parametrize(("make_key", "alg", "enc"), TOKENS)
def test_decrypt_refuses_a_reserialised_header(make_key: Any, alg: str, enc: str, how: str) -> None:
    token, inner, key = _token(make_key, alg, enc)
    assert jwe.decrypt_token(token, [key], max_length=BIG) == inner  # the untouched token works
    tampered = _reserialised(token, how)
    with pytest.raises(TokenDecryptionException):
        jwe.decrypt_token(tampered, [key], max_length=BIG)
    with pytest.raises(TokenDecryptionException):
        jwe.decrypt_compact(tampered, [key], max_length=BIG)


def test_a_header_is_authenticated_as_sent() -> None:
    """The other side of the rule: a sender that writes its header in any of these forms
    authenticates those bytes, and its token decrypts."""
    key = oct_key()
    inner = signed_jwt()
    header = {"alg": "dir", "enc": "A256GCM", "kid": key.kid, "cty": "JWT"}
    for how, serialise in RESERIALISATIONS.items():
        segment = b64(serialise(header).encode("ascii"))
        iv = os.urandom(12)
        sealed = AESGCM(unb64(key.to_dict()["k"])).encrypt(
            iv, inner.encode("ascii"), segment.encode("ascii")
        )
        token = ".".join([segment, "", b64(iv), b64(sealed[:-16]), b64(sealed[-16:])])
        assert jwe.decrypt_token(token, [key], max_length=BIG) == inner, how


# ------------------------------------------------------------------ validate_token


def _config(key: JsonWebKey) -> TokenValidationConfig:
    return TokenValidationConfig(
        perform_disco=False,
        key=signing_key().public_jwk().to_dict(),
        issuer=ISSUER,
        audience=AUDIENCE,
        decryption_keys=[key],
    )


@pytest.mark.parametrize(("make_key", "alg", "enc"), TOKENS)
def test_validate_token_refuses_a_reserialised_header(
    api: Any, make_key: Any, alg: str, enc: str
) -> None:
    token, _, key = _token(make_key, alg, enc)
    assert api.validate_token(token, _config(key))["sub"] == "alice"
    for how in RESERIALISATIONS:
        with pytest.raises(TokenDecryptionException):
            api.validate_token(_reserialised(token, how), _config(key))
