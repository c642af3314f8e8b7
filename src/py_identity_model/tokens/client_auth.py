"""Client authentication (RFC 6749 §2.3, RFC 7523, OIDC Core §9) as values chosen once.

A request's credentials (``client_secret``, ``client_auth_method``, ``private_key_jwt``,
``client_assertion``) are resolved into one :class:`ClientAuthentication` value, which
every endpoint (token, PAR, introspection, revocation, ...) applies the same way. The
value is applied anew for each send, so a retried request carries a fresh assertion.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote_plus

from ..constants import OidcConstants
from ..exceptions import ConfigurationException, PyIdentityModelException
from ..jose import JsonWebKey, sign_compact
from ..utils.parameters import Parameters
from ..utils.random import random_id

__all__ = [
    "CLIENT_ASSERTION_TYPE",
    "ClientAssertion",
    "ClientAuthentication",
    "ClientSecretBasic",
    "ClientSecretPost",
    "NoClientAuthentication",
    "PrivateKeyJwt",
    "basic_authorization_header",
    "client_secret_jwt",
]

CLIENT_ASSERTION_TYPE = OidcConstants.ClientAssertionTypes.JWT_BEARER.value


class ClientAuthentication(Protocol):
    """How a client proves who it is at a back-channel endpoint."""

    @property
    def client_id(self) -> str:
        """The client's identifier."""

    def apply(
        self, params: Parameters, headers: MutableMapping[str, str], *, endpoint: str
    ) -> None:
        """Add credentials to the form ``params`` and/or ``headers`` of one request."""


def basic_authorization_header(client_id: str, client_secret: str) -> str:
    """``Basic`` credentials per RFC 6749 §2.3.1: form-urlencode id and secret, then Base64.

    So ``:``, ``+``, spaces and non-ASCII survive the round trip (``quote_plus`` encodes a
    space as ``+`` and a ``+`` as ``%2B``).
    """
    pair = f"{quote_plus(client_id, safe='')}:{quote_plus(client_secret, safe='')}"
    return "Basic " + base64.b64encode(pair.encode("ascii")).decode("ascii")


@dataclass(frozen=True, repr=False)
class ClientSecretBasic:
    """``client_secret_basic``: HTTP Basic with the RFC 6749 §2.3.1 encoding."""

    client_id: str
    client_secret: str

    def apply(
        self, params: Parameters, headers: MutableMapping[str, str], *, endpoint: str
    ) -> None:
        headers["Authorization"] = basic_authorization_header(self.client_id, self.client_secret)

    def __repr__(self) -> str:
        return f"ClientSecretBasic(client_id={self.client_id!r}, client_secret=[redacted])"


@dataclass(frozen=True, repr=False)
class ClientSecretPost:
    """``client_secret_post``: id and secret in the form body (no Authorization header)."""

    client_id: str
    client_secret: str

    def apply(
        self, params: Parameters, headers: MutableMapping[str, str], *, endpoint: str
    ) -> None:
        params.add_required("client_id", self.client_id)
        params.add_required("client_secret", self.client_secret)

    def __repr__(self) -> str:
        return f"ClientSecretPost(client_id={self.client_id!r}, client_secret=[redacted])"


@dataclass(frozen=True)
class NoClientAuthentication:
    """``none``: a public client identifies itself with ``client_id`` only."""

    client_id: str

    def apply(
        self, params: Parameters, headers: MutableMapping[str, str], *, endpoint: str
    ) -> None:
        params.add_required("client_id", self.client_id)


@dataclass(frozen=True, repr=False)
class ClientAssertion:
    """A JWT client assertion (RFC 7523 §2.2), produced per send by ``factory(endpoint)``.

    Covers ``private_key_jwt``, ``client_secret_jwt`` and a fixed assertion. ``client_id``
    is sent too (optional in RFC 7523, required by several servers).
    """

    client_id: str
    factory: Callable[[str], str]

    def apply(
        self, params: Parameters, headers: MutableMapping[str, str], *, endpoint: str
    ) -> None:
        params.add_required("client_id", self.client_id)
        params.add_required("client_assertion_type", CLIENT_ASSERTION_TYPE)
        params.add_required("client_assertion", self.factory(endpoint))

    def __repr__(self) -> str:
        return f"ClientAssertion(client_id={self.client_id!r})"


def _assertion_claims(client_id: str, audience: str, lifetime: int) -> dict[str, Any]:
    now = int(time.time())
    return {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "jti": random_id(),
        "iat": now,
        "exp": now + lifetime,
    }


@dataclass(repr=False)
class PrivateKeyJwt:
    """``private_key_jwt`` (OIDC Core §9): an assertion signed with the client's private key.

    Args:
        private_key: a PEM private key (``str``/``bytes``), a private JWK ``dict`` or a
            :class:`~py_identity_model.JsonWebKey`.
        algorithm: RS256/384/512, PS256/384/512, ES256/384/512 or EdDSA; must fit the key.
        kid: the ``kid`` header (the key's own ``kid`` when None, if it has one).
        audience: the ``aud`` claim; the endpoint URL when None. Pass the issuer for
            servers that want it (RFC 7523bis recommends the issuer).
        lifetime: seconds until ``exp`` (short: 300 by default, at most 3600).
    """

    private_key: str | bytes | dict[str, Any] | JsonWebKey
    algorithm: str = "PS256"
    kid: str | None = None
    audience: str | None = None
    lifetime: int = 300
    _key: JsonWebKey | None = field(default=None, init=False, compare=False)

    def __post_init__(self) -> None:
        if not 1 <= self.lifetime <= 3600:
            raise ConfigurationException(
                "PrivateKeyJwt.lifetime must be between 1 and 3600 seconds"
            )

    def signing_key(self) -> JsonWebKey:
        """The private key as a JsonWebKey, loaded once."""
        if self._key is None:
            key = self.private_key
            try:
                if isinstance(key, JsonWebKey):
                    loaded = key
                elif isinstance(key, dict):
                    loaded = JsonWebKey.from_dict(key)
                else:
                    loaded = JsonWebKey.from_pem(key)
            except PyIdentityModelException as exc:
                raise ConfigurationException(
                    f"PrivateKeyJwt: unusable private key: {exc}"
                ) from None
            if not loaded.has_private_key:
                raise ConfigurationException("PrivateKeyJwt needs a private key")
            self._key = loaded
        return self._key

    def create_assertion(self, client_id: str, endpoint: str) -> str:
        """A fresh signed assertion for ``endpoint`` (unique ``jti``, short ``exp``)."""
        key = self.signing_key()
        kid = self.kid or key.kid
        headers: dict[str, Any] = {"typ": "JWT"}
        if kid:
            headers["kid"] = kid
        claims = _assertion_claims(client_id, self.audience or endpoint, self.lifetime)
        try:
            return sign_compact(claims, key, self.algorithm, headers=headers)
        except PyIdentityModelException as exc:
            raise ConfigurationException(f"PrivateKeyJwt: cannot sign: {exc}") from None

    def __repr__(self) -> str:
        return (
            f"PrivateKeyJwt(algorithm={self.algorithm!r}, kid={self.kid!r}, private_key=[redacted])"
        )


def client_secret_jwt(
    client_id: str, client_secret: str, *, algorithm: str = "HS256", audience: str | None = None
) -> ClientAssertion:
    """``client_secret_jwt`` (OIDC Core §9): an assertion MACed with the client secret."""
    if algorithm not in ("HS256", "HS384", "HS512"):
        raise ConfigurationException("client_secret_jwt needs HS256, HS384 or HS512")
    key = JsonWebKey.from_key(client_secret.encode("utf-8"))

    def factory(endpoint: str) -> str:
        claims = _assertion_claims(client_id, audience or endpoint, 300)
        try:
            return sign_compact(claims, key, algorithm, headers={"typ": "JWT"})
        except PyIdentityModelException as exc:
            raise ConfigurationException(f"client_secret_jwt: cannot sign: {exc}") from None

    return ClientAssertion(client_id, factory)
