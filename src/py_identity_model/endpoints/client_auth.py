"""Client authentication (RFC 6749 §2.3, RFC 7523, OIDC Core §9, RFC 8705) as values.

A client authenticates at every back-channel endpoint (token, PAR, introspection,
revocation, CIBA, device authorization) the same way, so the method is a value chosen
once and applied by every endpoint:

* :class:`ClientSecretBasic` — HTTP Basic with the RFC 6749 §2.3.1 encoding;
* :class:`ClientSecretPost` — id and secret in the form body;
* :class:`ClientSecretJwt` — a JWT assertion MACed with the secret (HS256/384/512);
* :class:`PrivateKeyJwt` — a JWT assertion signed with the client's private key;
* :class:`ClientAssertion` — an assertion the caller supplies (fixed, or made per send);
* :class:`MtlsClientAuth` — ``tls_client_auth`` / ``self_signed_tls_client_auth``: the
  client certificate in the TLS handshake, ``client_id`` in the body;
* :class:`NoClientAuth` — ``none``: a public client sends its ``client_id`` only.

``apply`` runs for each send, so a resend (a DPoP nonce challenge) carries a fresh
assertion with a new ``jti``.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Protocol
from urllib.parse import quote_plus

from ..constants.oidc_values import ClientAssertionTypes
from ..exceptions import ConfigurationException, PyIdentityModelException
from ..http.messages import ClientCertificate
from ..jose import JsonWebKey, sign_compact
from ..utils.parameters import Parameters
from ..utils.random import random_id

__all__ = [
    "CLIENT_ASSERTION_TYPE",
    "ClientAssertion",
    "ClientAuth",
    "ClientSecretBasic",
    "ClientSecretJwt",
    "ClientSecretPost",
    "MtlsClientAuth",
    "NoClientAuth",
    "PrivateKeyJwt",
    "basic_authorization_header",
]

CLIENT_ASSERTION_TYPE = ClientAssertionTypes.JWT_BEARER.value
_MAX_LIFETIME = 3600
HeaderMap = MutableMapping[str, str]


class ClientAuth(Protocol):
    """How a client proves who it is at a back-channel endpoint."""

    @property
    def method(self) -> str:
        """The registered ``token_endpoint_auth_method`` name."""

    @property
    def client_certificate(self) -> ClientCertificate | None:
        """The certificate to present in the TLS handshake (mTLS only)."""

    def apply(
        self, client_id: str, params: Parameters, headers: HeaderMap, *, endpoint: str
    ) -> None:
        """Add credentials to the form ``params`` and/or ``headers`` of one request."""


def basic_authorization_header(client_id: str, client_secret: str) -> str:
    """``Basic`` credentials per RFC 6749 §2.3.1: form-urlencode id and secret, then Base64.

    So ``:``, ``+``, spaces and non-ASCII survive the round trip (``quote_plus`` encodes a
    space as ``+`` and a ``+`` as ``%2B``).
    """
    pair = f"{quote_plus(client_id, safe='')}:{quote_plus(client_secret, safe='')}"
    return "Basic " + base64.b64encode(pair.encode("ascii")).decode("ascii")


def _secret(value: object, method: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigurationException(f"{method} needs a non-empty client_secret")
    return value


class _Auth:
    """What every value but mTLS shares: no client certificate, and ``apply`` delegating to
    the one method each value defines, ``_add``."""

    client_certificate: ClassVar[ClientCertificate | None] = None

    def apply(
        self, client_id: str, params: Parameters, headers: HeaderMap, *, endpoint: str
    ) -> None:
        self._add(client_id, params, headers, endpoint)

    def _add(self, client_id: str, params: Parameters, headers: HeaderMap, endpoint: str) -> None:
        raise NotImplementedError


@dataclass(frozen=True, repr=False)
class _SharedSecret(_Auth):
    """A method that uses the client secret: checked once, never shown."""

    client_secret: str
    method: ClassVar[str]

    def __post_init__(self) -> None:
        _secret(self.client_secret, self.method)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(client_secret=[redacted])"


@dataclass(frozen=True, repr=False)
class ClientSecretBasic(_SharedSecret):
    """``client_secret_basic``: HTTP Basic with the RFC 6749 §2.3.1 encoding."""

    method: ClassVar[str] = "client_secret_basic"

    def _add(self, client_id: str, params: Parameters, headers: HeaderMap, endpoint: str) -> None:
        headers["Authorization"] = basic_authorization_header(client_id, self.client_secret)


@dataclass(frozen=True, repr=False)
class ClientSecretPost(_SharedSecret):
    """``client_secret_post``: id and secret in the form body (no Authorization header)."""

    method: ClassVar[str] = "client_secret_post"

    def _add(self, client_id: str, params: Parameters, headers: HeaderMap, endpoint: str) -> None:
        params.add_required("client_id", client_id)
        params.add_required("client_secret", self.client_secret)


@dataclass(frozen=True)
class NoClientAuth(_Auth):
    """``none``: a public client identifies itself with ``client_id`` only."""

    method: ClassVar[str] = "none"

    def _add(self, client_id: str, params: Parameters, headers: HeaderMap, endpoint: str) -> None:
        params.add_required("client_id", client_id)


def _add_assertion(client_id: str, params: Parameters, assertion: str) -> None:
    # client_id is optional in RFC 7523 but required by several servers: always sent.
    params.add_required("client_id", client_id)
    params.add_required("client_assertion_type", CLIENT_ASSERTION_TYPE)
    params.add_required("client_assertion", assertion)


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


def _check_lifetime(lifetime: object, what: str) -> None:
    if isinstance(lifetime, bool) or not isinstance(lifetime, int):
        raise ConfigurationException(f"{what}.lifetime must be a whole number of seconds")
    if not 1 <= lifetime <= _MAX_LIFETIME:
        raise ConfigurationException(f"{what}.lifetime must be between 1 and 3600 seconds")


@dataclass(frozen=True, repr=False)
class ClientAssertion(_Auth):
    """A JWT client assertion (RFC 7523 §2.2) that the caller supplies.

    ``assertion`` is a fixed JWT, or a function of the endpoint URL that makes a fresh one
    per send (the method then counts as ``private_key_jwt`` unless ``method`` says so).
    """

    assertion: str | Callable[[str], str]
    method: str = "private_key_jwt"

    def __post_init__(self) -> None:
        if not callable(self.assertion) and (
            not isinstance(self.assertion, str) or not self.assertion
        ):
            raise ConfigurationException("ClientAssertion needs a JWT or a function making one")
        if self.method not in ("private_key_jwt", "client_secret_jwt"):
            raise ConfigurationException(
                "ClientAssertion.method must be 'private_key_jwt' or 'client_secret_jwt'"
            )

    def _add(self, client_id: str, params: Parameters, headers: HeaderMap, endpoint: str) -> None:
        value = self.assertion(endpoint) if callable(self.assertion) else self.assertion
        if not isinstance(value, str) or not value:
            raise ConfigurationException("The client assertion function returned no JWT")
        _add_assertion(client_id, params, value)

    def __repr__(self) -> str:
        return f"ClientAssertion(method={self.method!r}, assertion=[redacted])"


@dataclass(frozen=True, repr=False)
class ClientSecretJwt(_SharedSecret):
    """``client_secret_jwt`` (OIDC Core §9): an assertion MACed with the client secret.

    ``audience`` is the ``aud`` claim (the endpoint URL when None).
    """

    algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    audience: str | None = None
    lifetime: int = 300
    method: ClassVar[str] = "client_secret_jwt"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.algorithm not in ("HS256", "HS384", "HS512"):
            raise ConfigurationException("client_secret_jwt needs HS256, HS384 or HS512")
        # RFC 7518 §3.2: the key must be at least as long as the hash; say so now, not at
        # the first send.
        needed = int(self.algorithm[2:]) // 8
        if len(self.client_secret.encode("utf-8")) < needed:
            raise ConfigurationException(
                f"client_secret_jwt with {self.algorithm} needs a secret of at least {needed} bytes"
            )
        _check_lifetime(self.lifetime, "ClientSecretJwt")

    def _add(self, client_id: str, params: Parameters, headers: HeaderMap, endpoint: str) -> None:
        key = JsonWebKey.from_key(self.client_secret.encode("utf-8"))
        claims = _assertion_claims(client_id, self.audience or endpoint, self.lifetime)
        try:
            assertion = sign_compact(claims, key, self.algorithm, headers={"typ": "JWT"})
        except PyIdentityModelException as exc:
            raise ConfigurationException(f"client_secret_jwt: cannot sign: {exc}") from None
        _add_assertion(client_id, params, assertion)

    def __repr__(self) -> str:
        return f"ClientSecretJwt(algorithm={self.algorithm!r}, client_secret=[redacted])"


@dataclass(repr=False)
class PrivateKeyJwt(_Auth):
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
    method: ClassVar[str] = "private_key_jwt"

    def __post_init__(self) -> None:
        _check_lifetime(self.lifetime, "PrivateKeyJwt")

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

    def _add(self, client_id: str, params: Parameters, headers: HeaderMap, endpoint: str) -> None:
        _add_assertion(client_id, params, self.create_assertion(client_id, endpoint))

    def __repr__(self) -> str:
        return (
            f"PrivateKeyJwt(algorithm={self.algorithm!r}, kid={self.kid!r}, private_key=[redacted])"
        )


_MTLS_METHODS = ("tls_client_auth", "self_signed_tls_client_auth")


@dataclass(frozen=True, repr=False)
class MtlsClientAuth:
    """Mutual-TLS client authentication (RFC 8705 §2).

    ``certificate`` and ``private_key`` are PEM file paths (``password`` decrypts the key).
    The certificate is presented in the TLS handshake of each request to the endpoint; the
    body carries ``client_id`` only. ``auth_method`` is ``tls_client_auth`` (PKI) or
    ``self_signed_tls_client_auth``.
    """

    certificate: str
    private_key: str
    password: str | None = None
    auth_method: str = "tls_client_auth"

    def __post_init__(self) -> None:
        if self.auth_method not in _MTLS_METHODS:
            raise ConfigurationException(
                f"MtlsClientAuth.auth_method must be one of {_MTLS_METHODS}"
            )
        ClientCertificate(self.certificate, self.private_key, self.password)  # checks the paths

    @property
    def method(self) -> str:
        return self.auth_method

    @property
    def client_certificate(self) -> ClientCertificate:
        return ClientCertificate(self.certificate, self.private_key, self.password)

    def apply(
        self, client_id: str, params: Parameters, headers: HeaderMap, *, endpoint: str
    ) -> None:
        params.add_required("client_id", client_id)

    def __repr__(self) -> str:
        return (
            f"MtlsClientAuth(certificate={self.certificate!r}, private_key=[redacted], "
            f"auth_method={self.auth_method!r})"
        )
