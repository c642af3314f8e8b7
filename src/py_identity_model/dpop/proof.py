"""DPoP proofs on the client (RFC 9449 §4): the JWT, its ``htu`` and ``ath``, the headers.

A proof is a JWT signed with the client's DPoP key::

    header  {"typ": "dpop+jwt", "alg": "ES256", "jwk": {<the public key only>}}
    claims  {"jti": <128 random bits>, "htm": "POST", "htu": "https://as.example/token",
             "iat": <now>, "ath": <with an access token>, "nonce": <when the server gave one>}

* ``htu`` is the request URL without query and fragment, in RFC 3986 normal form (scheme and
  host lower-cased, default port dropped, dot segments removed, percent-encodings
  normalised; RFC 9449 §4.2, §4.3 step 9), which is how the server compares it;
* ``htm`` is the request method, upper-cased as HTTP clients send it;
* ``ath`` is base64url(SHA-256(access token)) (§4.2), for requests to a resource;
* ``nonce`` is checked against RFC 9449 §8.1 (``NQCHAR``) before it is signed.

:func:`create_dpop_proof` and :meth:`DPoPKey.create_proof
<py_identity_model.dpop.key.DPoPKey.create_proof>` make proofs;
:func:`build_dpop_headers` gives the headers of a request to a resource.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any, Protocol

from ..exceptions import ConfigurationException, PyIdentityModelException
from ..jose.jws import sign_compact
from ..utils.random import random_id
from ..utils.security import sha256_b64url
from ..utils.urls import normalize_url, parse_http_url
from .nonces import MAX_NONCE_LENGTH, is_valid_dpop_nonce

if TYPE_CHECKING:
    from ..jose.jwk import JsonWebKey

__all__ = [
    "DPOP_JWT_TYPE",
    "build_dpop_headers",
    "compute_ath",
    "create_dpop_proof",
    "dpop_htu",
    "proof_claims",
    "sign_dpop_proof",
]

DPOP_JWT_TYPE = "dpop+jwt"
"""The ``typ`` header of every DPoP proof (RFC 9449 §4.2)."""

# RFC 9110 §5.6.2 token: the characters an HTTP method may have.
_METHOD = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,32}")
_MAX_TOKEN = 16 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}


def dpop_htu(url: str) -> str:
    """The ``htu`` of a request to ``url``: its RFC 3986 normal form without query or
    fragment (RFC 9449 §4.2). ConfigurationException for anything but an absolute http(s)
    URL, or one with user information."""
    parts = parse_http_url(url) if isinstance(url, str) else None
    normal = normalize_url(url) if parts is not None else None
    if parts is None or normal is None:
        raise ConfigurationException("the DPoP proof's URL must be an absolute http(s) URL")
    if "@" in parts.netloc:
        raise ConfigurationException("the DPoP proof's URL must not carry user information")
    port = "" if normal.port == _DEFAULT_PORTS[normal.scheme] else f":{normal.port}"
    host = f"[{normal.host}]" if ":" in normal.host else normal.host
    return f"{normal.scheme}://{host}{port}{normal.path}"


def _access_token(access_token: object) -> str:
    if not isinstance(access_token, str) or not access_token:
        raise ConfigurationException("access_token must be a non-empty string")
    if (
        len(access_token) > _MAX_TOKEN
        or not access_token.isascii()
        or not access_token.isprintable()
    ):
        raise ConfigurationException(
            f"access_token must be printable ASCII of at most {_MAX_TOKEN} characters"
        )
    return access_token


def compute_ath(access_token: str) -> str:
    """The ``ath`` claim for ``access_token``: base64url(SHA-256(token)) (RFC 9449 §4.2)."""
    return sha256_b64url(_access_token(access_token))


def _method(method: object) -> str:
    if not isinstance(method, str) or _METHOD.fullmatch(method) is None:
        raise ConfigurationException("method must be an HTTP method such as 'GET' or 'POST'")
    return method.upper()


def _nonce(nonce: object) -> str | None:
    if nonce is None:
        return None
    if not is_valid_dpop_nonce(nonce):
        raise ConfigurationException(
            "nonce must be a server DPoP-Nonce: 1 to "
            f"{MAX_NONCE_LENGTH} printable ASCII characters without space, '\"' or '\\' "
            "(RFC 9449 §8.1)"
        )
    assert isinstance(nonce, str)
    return nonce


def proof_claims(
    method: str, url: str, *, nonce: str | None = None, access_token: str | None = None
) -> dict[str, Any]:
    """The claims of a fresh proof (checked; ConfigurationException for bad input)."""
    claims: dict[str, Any] = {
        "jti": random_id(),
        "htm": _method(method),
        "htu": dpop_htu(url),
        "iat": int(time.time()),
    }
    if access_token is not None:
        claims["ath"] = compute_ath(access_token)
    checked = _nonce(nonce)
    if checked is not None:
        claims["nonce"] = checked
    return claims


def sign_dpop_proof(
    key: JsonWebKey,
    algorithm: str,
    public_jwk: dict[str, Any],
    claims: dict[str, Any],
) -> str:
    """Sign ``claims`` as a DPoP proof: ``typ`` dpop+jwt, ``alg``, the public ``jwk``."""
    headers = {"typ": DPOP_JWT_TYPE, "jwk": public_jwk}
    try:
        return sign_compact(claims, key, algorithm, headers=headers)
    except PyIdentityModelException as exc:
        raise ConfigurationException(f"DPoP proof: cannot sign: {exc.message}") from None


class ProofMaker(Protocol):
    """What :func:`create_dpop_proof` needs of its key: ``DPoPKey``, or your own."""

    def create_proof(
        self, method: str, url: str, *, nonce: str | None = None, access_token: str | None = None
    ) -> str: ...


def create_dpop_proof(
    key: ProofMaker,
    method: str,
    uri: str,
    access_token: str | None = None,
    nonce: str | None = None,
) -> str:
    """A fresh DPoP proof for ``method uri`` signed with ``key`` (RFC 9449 §4.2).

    ``access_token`` adds ``ath`` (a request to a resource with that token); ``nonce`` is
    the server's ``DPoP-Nonce``. Raises ConfigurationException for a bad key, method, URL,
    token or nonce.
    """
    create = getattr(key, "create_proof", None)
    if not callable(create):
        raise ConfigurationException("key must be a DPoPKey")
    proof = create(method, uri, nonce=nonce, access_token=access_token)
    if not isinstance(proof, str):
        raise ConfigurationException("key.create_proof must return the proof as a string")
    return proof


def build_dpop_headers(proof: str, access_token: str | None = None) -> dict[str, str]:
    """The headers of a DPoP request: ``{"DPoP": proof}``, plus ``Authorization: DPoP <token>``
    when ``access_token`` is given (RFC 9449 §7.1). The proof must have been made with the
    same ``access_token`` (its ``ath``)."""
    if not isinstance(proof, str) or proof.count(".") != 2 or not proof.isascii():
        raise ConfigurationException("proof must be a compact JWS (a DPoP proof)")
    if any(ch in proof for ch in "\r\n\t ,"):
        raise ConfigurationException("proof must be one compact JWS without whitespace")
    headers = {"DPoP": proof}
    if access_token is not None:
        headers["Authorization"] = f"DPoP {_access_token(access_token)}"
    return headers
