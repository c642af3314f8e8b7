"""Cache keys: two requests that could get different tokens never share a key.

A key covers the token endpoint, the client id, the authentication method, a fingerprint
of the credentials (never the credentials themselves), the DPoP key, the TLS client
certificate, the extra headers and the whole form the grant sends (grant type, scope,
resource indicators, authorization details, every extra parameter), canonically ordered.
It is a SHA-256 hex digest, safe to use as a Redis key or a file name.

The credential fingerprint is a slow, salted hash (PBKDF2) computed once per registered
client, so a key seen in a shared cache does not let anyone test guesses of a weak secret
quickly. Credentials that are not data (an assertion callback, an opaque key object)
are fingerprinted by identity: such clients never share tokens across processes, which is
the safe side.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from ..endpoints.client import Client
from ..endpoints.options import ClientRequestOptions

__all__ = ["credential_fingerprint", "request_cache_key", "session_cache_key"]

_SALT = b"py-identity-model/token-cache/credentials/v1"
_ITERATIONS = 20_000
_NAMESPACE = "py-identity-model/token-cache/v1"


def _material(value: Any) -> Any:
    """A JSON-able stand-in for one credential value (hashed afterwards, never stored)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    if isinstance(value, Mapping):
        return {str(k): _material(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_material(item) for item in value]
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        try:
            exported = to_dict()
        except Exception:  # an object that cannot export is fingerprinted by identity
            exported = None
        if exported is not None:
            return {"dict": _material(exported)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            "type": type(value).__qualname__,
            "fields": {
                f.name: _material(getattr(value, f.name))
                for f in dataclasses.fields(value)
                if not f.name.startswith("_")
            },
        }
    # A callable or an opaque object: this process, this object only.
    return {"object": f"{type(value).__qualname__}@{id(value):x}"}


def _dpop_material(key: object | None) -> Any:
    if key is None:
        return None
    thumbprint = getattr(key, "jwk_thumbprint", None)
    if isinstance(thumbprint, str) and thumbprint:
        return {"jkt": thumbprint}
    public = getattr(key, "public_jwk", None)
    if isinstance(public, Mapping):
        return {"jwk": _material(public)}
    return {"object": f"{type(key).__qualname__}@{id(key):x}"}


def credential_fingerprint(client: Client) -> str:
    """A slow salted hash of everything the client authenticates with (hex)."""
    material = {
        "method": client.auth.method,
        "auth": _material(client.auth),
        "certificate": _material(client.certificate),
    }
    blob = json.dumps(material, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.pbkdf2_hmac("sha256", blob, _SALT, _ITERATIONS).hex()


def request_cache_key(request: ClientRequestOptions, client: Client | None = None) -> str:
    """The cache key of a token request (see the module docstring for what it covers)."""
    client = request.resolved_client() if client is None else client
    form = sorted((name, value) for name, value in request.form_parameters())
    headers = sorted((name.lower(), value) for name, value in (request.headers or {}).items())
    material = {
        "ns": _NAMESPACE,
        "endpoint": request.address,
        "client_id": client.client_id,
        "credentials": credential_fingerprint(client),
        "dpop": _dpop_material(client.dpop),
        "form": form,
        "headers": headers,
    }
    blob = json.dumps(material, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def session_cache_key(namespace: str, session_key: str) -> str:
    """The cache key of a user session (the session key itself is not stored in clear)."""
    blob = json.dumps([_NAMESPACE, "session", namespace, session_key], separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()
