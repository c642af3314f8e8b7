"""The OAuth client as one value: its id, its authentication and (optionally) its DPoP key.

Every back-channel endpoint takes a :class:`Client` and applies it the same way, so the
rules for credentials are written and checked once::

    client = Client("orders-worker", ClientSecretBasic(secret))
    client = Client("orders-worker", PrivateKeyJwt(pem, "ES256"), dpop=my_dpop_key)

The request types of py-identity-model 4.x keep their loose credential fields
(``client_secret``, ``private_key_jwt``, ``mtls``, ``client_auth_method``, ...); they are
converted with :meth:`Client.from_credentials`, which refuses contradictory combinations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import KW_ONLY, dataclass
from typing import Any, Protocol, runtime_checkable

from ..exceptions import ConfigurationException
from ..http.messages import NO_OPTIONS, ClientCertificate, TransportOptions
from .client_auth import (
    ClientAssertion,
    ClientAuth,
    ClientSecretBasic,
    ClientSecretJwt,
    ClientSecretPost,
    MtlsClientAuth,
    NoClientAuth,
    PrivateKeyJwt,
)

__all__ = ["CLIENT_AUTH_METHODS", "Client", "DPoPProver", "SecurityProfile"]

CLIENT_AUTH_METHODS = (
    "client_secret_basic",
    "client_secret_post",
    "client_secret_jwt",
    "private_key_jwt",
    "tls_client_auth",
    "self_signed_tls_client_auth",
    "none",
)


@runtime_checkable
class DPoPProver(Protocol):
    """Makes DPoP proofs (RFC 9449 §4) with one key: ``DPoPKey`` or your own object."""

    def create_proof(self, method: str, url: str, *, nonce: str | None = None) -> str:
        """A fresh proof for one request; ``nonce`` is the server's ``DPoP-Nonce``."""


@runtime_checkable
class SecurityProfile(Protocol):
    """A security profile the client must meet, checked before anything is sent: FAPI 2.0's
    :class:`~py_identity_model.fapi.profile.FapiPolicy`, or your own.

    Each check raises a :class:`~py_identity_model.ConfigurationException` naming the broken
    clause; ``issuer`` is the authorization server's, when known.
    """

    def check_client(self, client: Client, *, issuer: str | None = None) -> None:
        """Refuse a client whose authentication or token binding breaks the profile."""

    def check_authorization_request(self, parameters: Mapping[str, Any], *, pushed: bool) -> None:
        """Refuse authorization request parameters (as pushed, or by value) that break it."""

    def check_introspection(self, *, signed: bool) -> None:
        """Refuse an introspection request whose answer would not be signed, if required."""


class _FactoryProver:
    """Adapts a ``(method, url, nonce) -> proof`` function to :class:`DPoPProver`."""

    __slots__ = ("_factory",)

    def __init__(self, factory: Callable[[str, str, str | None], str]) -> None:
        self._factory = factory

    def create_proof(self, method: str, url: str, *, nonce: str | None = None) -> str:
        return self._factory(method, url, nonce)


def dpop_prover(
    key: object | None, factory: Callable[[str, str, str | None], str] | None
) -> DPoPProver | None:
    """The DPoP prover from a key object or a proof function (at most one of them)."""
    if key is not None and factory is not None:
        raise ConfigurationException("Use dpop_key or dpop_proof_factory, not both")
    if factory is not None:
        if not callable(factory):
            raise ConfigurationException("dpop_proof_factory must be callable")
        return _FactoryProver(factory)
    if key is None:
        return None
    if not isinstance(key, DPoPProver):
        raise ConfigurationException("dpop_key must provide create_proof(method, url, nonce=None)")
    return key


_KNOWN_AUTH = (
    ClientSecretBasic,
    ClientSecretPost,
    ClientSecretJwt,
    PrivateKeyJwt,
    ClientAssertion,
    MtlsClientAuth,
    NoClientAuth,
)


_PUBLIC = NoClientAuth()


@dataclass(frozen=True, repr=False)
class Client:
    """An OAuth client: ``client_id``, how it authenticates, and its DPoP key if any.

    Validated once, when built. ``auth`` defaults to :class:`NoClientAuth` (a public
    client). ``dpop`` makes every request of this client DPoP-bound (RFC 9449).
    ``certificate`` is a TLS client certificate presented whatever ``auth`` is, for
    certificate-bound tokens (RFC 8705 §3; §5: the client then calls the server's
    ``mtls_endpoint_aliases``); :class:`MtlsClientAuth` presents its own. ``profile`` (e.g.
    ``FapiPolicy()``) is a security profile checked now and before every request the client
    sends (``FapiViolationError`` names the clause).
    """

    client_id: str
    auth: ClientAuth = _PUBLIC
    _: KW_ONLY
    dpop: DPoPProver | None = None
    certificate: ClientCertificate | None = None
    profile: SecurityProfile | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.client_id, str) or not self.client_id:
            raise ConfigurationException("client_id is required")
        if not isinstance(self.auth, _KNOWN_AUTH):
            raise ConfigurationException(
                "auth must be a client authentication value (ClientSecretBasic, "
                "ClientSecretPost, ClientSecretJwt, PrivateKeyJwt, ClientAssertion, "
                "MtlsClientAuth or NoClientAuth)"
            )
        if self.dpop is not None and not isinstance(self.dpop, DPoPProver):
            raise ConfigurationException("dpop must provide create_proof(method, url, nonce=None)")
        if self.certificate is not None:
            if not isinstance(self.certificate, ClientCertificate):
                raise ConfigurationException("certificate must be a ClientCertificate")
            own = self.auth.client_certificate
            if own is not None and own != self.certificate:
                raise ConfigurationException(
                    "MtlsClientAuth presents its own certificate: drop certificate, or make "
                    "it the same"
                )
        if self.profile is not None:
            if not isinstance(self.profile, SecurityProfile):
                raise ConfigurationException(
                    "profile must be a security profile (e.g. FapiPolicy()): check_client, "
                    "check_authorization_request and check_introspection"
                )
            self.profile.check_client(self)  # a non-conforming client is refused when built

    @property
    def client_certificate(self) -> ClientCertificate | None:
        """The TLS client certificate this client presents (mTLS), if any."""
        return self.auth.client_certificate or self.certificate

    @property
    def transport_options(self) -> TransportOptions:
        """What the transport must do for this client (present the mTLS certificate)."""
        certificate = self.client_certificate
        return NO_OPTIONS if certificate is None else TransportOptions(certificate)

    @classmethod
    def from_credentials(
        cls,
        client_id: str,
        client_secret: str | None = None,
        *,
        method: str | None = None,
        private_key_jwt: PrivateKeyJwt | None = None,
        mtls: MtlsClientAuth | None = None,
        client_assertion: str | None = None,
        client_assertion_factory: Callable[[str], str] | None = None,
        dpop: DPoPProver | None = None,
    ) -> Client:
        """The client described by py-identity-model 4.x's loose credential fields.

        ``method`` is ``client_auth_method``: ``None`` picks Basic when there is a secret,
        the assertion or certificate when one is given, and ``none`` otherwise. A
        combination that cannot all be honoured raises ``ConfigurationException``.
        """
        if method is not None and method not in CLIENT_AUTH_METHODS:
            raise ConfigurationException(
                f"Unknown client_auth_method {method!r}; use one of {CLIENT_AUTH_METHODS}"
            )
        if private_key_jwt is not None and not isinstance(private_key_jwt, PrivateKeyJwt):
            raise ConfigurationException("private_key_jwt must be a PrivateKeyJwt")
        if mtls is not None and not isinstance(mtls, MtlsClientAuth):
            raise ConfigurationException("mtls must be an MtlsClientAuth")
        sources = [
            name
            for name, value in (
                ("private_key_jwt", private_key_jwt),
                ("client_assertion", client_assertion),
                ("client_assertion_factory", client_assertion_factory),
                ("mtls", mtls),
            )
            if value is not None
        ]
        if len(sources) > 1:
            raise ConfigurationException(f"Choose one client authentication, not {sources}")
        if sources and (
            client_secret is not None or method in ("client_secret_basic", "client_secret_post")
        ):
            raise ConfigurationException(
                f"{sources[0]} cannot be combined with client_secret credentials"
            )
        auth: ClientAuth
        if private_key_jwt is not None:
            _expect(method, ("private_key_jwt",), "private_key_jwt")
            auth = private_key_jwt
        elif client_assertion_factory is not None or client_assertion is not None:
            _expect(method, ("private_key_jwt", "client_secret_jwt"), "a client assertion")
            value = client_assertion_factory or client_assertion
            assert value is not None
            auth = ClientAssertion(value, method or "private_key_jwt")
        elif mtls is not None:
            _expect(method, (mtls.auth_method,), "mtls")
            auth = mtls
        elif method in ("private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"):
            needed = "private_key_jwt" if method == "private_key_jwt" else "mtls"
            raise ConfigurationException(f"client_auth_method={method!r} needs {needed}")
        elif method == "none":
            if client_secret is not None:
                raise ConfigurationException("client_auth_method='none' sends no client_secret")
            auth = NoClientAuth()
        elif method == "client_secret_jwt":
            auth = ClientSecretJwt(_required_secret(client_secret, method))
        elif method == "client_secret_post":
            auth = ClientSecretPost(_required_secret(client_secret, method))
        elif client_secret is not None:
            auth = ClientSecretBasic(_required_secret(client_secret, "client_secret_basic"))
        elif method == "client_secret_basic":
            raise ConfigurationException(
                "client_auth_method='client_secret_basic' needs client_secret"
            )
        else:
            auth = NoClientAuth()
        return cls(client_id, auth, dpop=dpop)

    def __repr__(self) -> str:
        dpop = ", dpop=..." if self.dpop is not None else ""
        certificate = f", certificate={self.certificate!r}" if self.certificate else ""
        profile = f", profile={self.profile!r}" if self.profile is not None else ""
        return f"Client({self.client_id!r}, {self.auth!r}{dpop}{certificate}{profile})"


def _expect(method: str | None, allowed: tuple[str, ...], what: str) -> None:
    if method is not None and method not in allowed:
        raise ConfigurationException(f"{what} contradicts client_auth_method={method!r}")


def _required_secret(secret: str | None, method: str) -> str:
    if not isinstance(secret, str) or not secret:
        raise ConfigurationException(f"client_auth_method={method!r} needs client_secret")
    return secret
