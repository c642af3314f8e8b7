"""The FAPI 2.0 profiles as data: what a client must do, checked before anything is sent.

:class:`FapiPolicy` holds one of two levels: the FAPI 2.0 Security Profile (final, 2025) and,
on top of it, FAPI 2.0 Message Signing (final, 2025). Each ``*_violations`` method looks at
one thing the library is about to use or send (the client and its authentication, an
authorization request, a request object, an algorithm list, the server's metadata, an
authorization response) and returns the clauses it breaks; :func:`raise_for` turns them into
one :class:`FapiViolationError` (a :class:`ConfigurationException`) that names every clause.
Nothing here does I/O: the endpoint layer, the front channel and ``OidcClient`` call these
checks where they build requests, so a FAPI client cannot send a non-conforming request by
accident.

The clauses are the client-side ones; what only the authorization server can do (code
lifetimes, refusing implicit grants, ...) is out of a client library's reach and not listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ..endpoints.client import Client
from ..endpoints.client_auth import ClientAssertion, MtlsClientAuth, PrivateKeyJwt
from ..exceptions import ConfigurationException, FapiViolationError
from ..utils.urls import is_loopback_url

__all__ = [
    "FAPI_ALGORITHMS",
    "FapiPolicy",
    "FapiProfile",
    "FapiViolation",
    "FapiViolationError",
    "raise_for",
]

SP = "FAPI 2.0 Security Profile"
MS = "FAPI 2.0 Message Signing"

#: §5.4.1: PS256, ES256 and EdDSA with Ed25519 (``Ed25519`` is its fully specified name,
#: RFC 9864).
FAPI_ALGORITHMS: tuple[str, ...] = ("PS256", "ES256", "EdDSA", "Ed25519")

#: Message Signing §5.3.1: a request object lives at most 60 minutes (``exp`` - ``nbf``).
MAX_REQUEST_OBJECT_LIFETIME = 3600

# Authorization request parameters that may travel in the front channel next to a pushed
# request (SP §5.3.2.2: only client_id and request_uri).
_FRONT_CHANNEL = frozenset({"client_id", "request_uri"})


class FapiProfile(str, Enum):
    """The FAPI 2.0 level a :class:`FapiPolicy` enforces."""

    SECURITY_PROFILE = SP
    MESSAGE_SIGNING = MS


@dataclass(frozen=True, slots=True)
class FapiViolation:
    """One broken clause: where it is written and what was wrong."""

    clause: str
    message: str

    def __str__(self) -> str:
        return f"{self.message} ({self.clause})"


def raise_for(violations: Iterable[FapiViolation]) -> None:
    """Raise :class:`FapiViolationError` when there is any violation."""
    found = list(violations)
    if found:
        raise FapiViolationError(found)


@dataclass(frozen=True, slots=True)
class FapiPolicy:
    """A FAPI 2.0 profile to enforce on everything a client sends and accepts.

    Args:
        profile: the Security Profile, or Message Signing (which includes it).
        max_request_object_lifetime: seconds a request object may live (``exp`` - ``nbf``);
            at most 3600 (Message Signing §5.3.1); shorter is allowed.
        issuer: the authorization server's issuer identifier, when a client is used
            without ``OidcClient`` (which takes it from discovery): a ``private_key_jwt``
            assertion's ``aud`` must be exactly this (SP §5.3.2.1).
    """

    profile: FapiProfile = FapiProfile.SECURITY_PROFILE
    max_request_object_lifetime: int = MAX_REQUEST_OBJECT_LIFETIME
    issuer: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.profile, FapiProfile):
            raise ConfigurationException("profile must be a FapiProfile")
        lifetime = self.max_request_object_lifetime
        if (
            isinstance(lifetime, bool)
            or not isinstance(lifetime, int)
            or not 0 < lifetime <= MAX_REQUEST_OBJECT_LIFETIME
        ):
            raise ConfigurationException(
                "max_request_object_lifetime must be 1 to 3600 seconds (FAPI 2.0 Message "
                "Signing §5.3.1)"
            )
        if self.issuer is not None and (not isinstance(self.issuer, str) or not self.issuer):
            raise ConfigurationException("issuer must be the issuer identifier URL")

    @property
    def message_signing(self) -> bool:
        """Whether Message Signing applies (signed requests, responses, introspection)."""
        return self.profile is FapiProfile.MESSAGE_SIGNING

    @property
    def algorithms(self) -> tuple[str, ...]:
        """The only signing algorithms allowed (SP §5.4.1)."""
        return FAPI_ALGORITHMS

    # ------------------------------------------------------------------ SecurityProfile

    def check_client(self, client: Client, *, issuer: str | None = None) -> None:
        """Raise :class:`FapiViolationError` for :meth:`client_violations`."""
        raise_for(self.client_violations(client, issuer=issuer))

    def check_authorization_request(self, parameters: Mapping[str, Any], *, pushed: bool) -> None:
        """Raise :class:`FapiViolationError` for :meth:`authorization_request_violations`."""
        raise_for(self.authorization_request_violations(parameters, pushed=pushed))

    def check_introspection(self, *, signed: bool) -> None:
        """Raise :class:`FapiViolationError` for :meth:`introspection_violations`."""
        raise_for(self.introspection_violations(signed=signed))

    # ------------------------------------------------------------------ the client

    def client_violations(
        self, client: Client, *, issuer: str | None = None
    ) -> list[FapiViolation]:
        """What breaks SP §5.3.2.1 in how ``client`` authenticates and binds its tokens."""
        found: list[FapiViolation] = []
        issuer = issuer or self.issuer
        auth = client.auth
        if isinstance(auth, PrivateKeyJwt):
            if auth.algorithm not in FAPI_ALGORITHMS:
                found.append(_algorithm(auth.algorithm, "the private_key_jwt assertion"))
            if auth.audience is None or (issuer is not None and auth.audience != issuer):
                found.append(
                    FapiViolation(
                        f"{SP} §5.3.2.1",
                        "private_key_jwt must send the authorization server's issuer "
                        "identifier as the assertion's aud (a string): set "
                        "PrivateKeyJwt(audience=<issuer>)",
                    )
                )
        elif isinstance(auth, ClientAssertion):
            if auth.method != "private_key_jwt":
                found.append(_client_auth(auth.method))
        elif not isinstance(auth, MtlsClientAuth):
            found.append(_client_auth(getattr(auth, "method", type(auth).__name__)))
        if client.dpop is None and client.client_certificate is None:
            found.append(
                FapiViolation(
                    f"{SP} §5.3.2.1",
                    "access tokens must be sender-constrained: give the client a DPoP key "
                    "(dpop=) or a TLS client certificate (mTLS)",
                )
            )
        return found

    # ------------------------------------------------------------------ authorization

    def authorization_request_violations(
        self, parameters: Mapping[str, Any], *, pushed: bool
    ) -> list[FapiViolation]:
        """What breaks SP §5.3.2.2 (and Message Signing §5.3) in an authorization request.

        ``parameters`` are the request's parameters as pushed (or as a request object's
        claims); ``pushed`` says whether they go through PAR.
        """
        found: list[FapiViolation] = []
        if not pushed:
            found.append(
                FapiViolation(
                    f"{SP} §5.3.2.2", "authorization requests must be pushed (PAR, RFC 9126)"
                )
            )
        if parameters.get("response_type") != "code":
            found.append(
                FapiViolation(
                    f"{SP} §5.3.2.2",
                    "only the authorization code flow is allowed (response_type=code)",
                )
            )
        if (
            not parameters.get("code_challenge")
            or parameters.get("code_challenge_method") != "S256"
        ):
            found.append(FapiViolation(f"{SP} §5.3.2.2", "PKCE with S256 is required"))
        redirect_uri = parameters.get("redirect_uri")
        if not isinstance(redirect_uri, str) or not redirect_uri:
            found.append(
                FapiViolation(f"{SP} §5.3.1.2", "redirect_uri is required in the pushed request")
            )
        elif not redirect_uri.startswith("https://") and not is_loopback_url(redirect_uri):
            found.append(
                FapiViolation(
                    f"{SP} §5.3.1.2",
                    "redirect_uri must be https (http only for a loopback redirect of a native "
                    "client, RFC 8252 §7.3)",
                )
            )
        if self.message_signing and "request" not in parameters:
            found.append(
                FapiViolation(
                    f"{MS} §5.3",
                    "authorization requests must be signed request objects (JAR, RFC 9101) "
                    "pushed through PAR",
                )
            )
        return found

    def authorize_url_violations(self, query: Mapping[str, Any]) -> list[FapiViolation]:
        """SP §5.3.2.2: the front channel carries only ``client_id`` and ``request_uri``."""
        extra = sorted(set(query) - _FRONT_CHANNEL)
        found: list[FapiViolation] = []
        if "request_uri" not in query:
            found.append(
                FapiViolation(
                    f"{SP} §5.3.2.2", "the authorize URL must carry the pushed request_uri"
                )
            )
        if extra:
            found.append(
                FapiViolation(
                    f"{SP} §5.3.2.2",
                    f"the authorize URL may carry only client_id and request_uri, not {extra}",
                )
            )
        return found

    def request_object_violations(
        self, header: Mapping[str, Any], claims: Mapping[str, Any], *, issuer: str | None = None
    ) -> list[FapiViolation]:
        """What breaks Message Signing §5.3.1 (and SP §5.4.1) in a signed request object."""
        found: list[FapiViolation] = []
        alg = header.get("alg")
        if alg not in FAPI_ALGORITHMS:
            found.append(_algorithm(alg, "the request object"))
        nbf, exp = _number(claims.get("nbf")), _number(claims.get("exp"))
        if nbf is None or exp is None:
            found.append(FapiViolation(f"{MS} §5.3.1", "a request object needs nbf and exp"))
        elif exp - nbf > self.max_request_object_lifetime:
            found.append(
                FapiViolation(
                    f"{MS} §5.3.1",
                    f"a request object may live at most {self.max_request_object_lifetime} s "
                    f"(exp - nbf is {int(exp - nbf)} s)",
                )
            )
        aud = claims.get("aud")
        if issuer is not None and aud != issuer and not (isinstance(aud, list) and issuer in aud):
            found.append(
                FapiViolation(f"{MS} §5.3.1", "the request object's aud must be the issuer")
            )
        return found

    # ------------------------------------------------------------------ what is accepted

    def algorithm_violations(self, algorithms: Iterable[str], what: str) -> list[FapiViolation]:
        """SP §5.4.1: every algorithm allowed for ``what`` must be PS256, ES256 or EdDSA."""
        return [_algorithm(a, what) for a in algorithms if a not in FAPI_ALGORITHMS]

    def allowed(self, algorithms: Iterable[str] | None) -> list[str]:
        """``algorithms`` narrowed to the profile's (all of the profile's when None)."""
        if algorithms is None:
            return list(FAPI_ALGORITHMS)
        return [a for a in algorithms if a in FAPI_ALGORITHMS]

    def metadata_violations(self, metadata: Mapping[str, Any]) -> list[FapiViolation]:
        """What the server's metadata must offer for a FAPI client to conform at all."""
        found: list[FapiViolation] = []
        if not metadata.get("pushed_authorization_request_endpoint"):
            found.append(
                FapiViolation(
                    f"{SP} §5.3.2.2", "the server has no pushed authorization request endpoint"
                )
            )
        if metadata.get("authorization_response_iss_parameter_supported") is not True:
            found.append(
                FapiViolation(
                    f"{SP} §5.3.2.2",
                    "the server does not return iss in authorization responses (RFC 9207), so "
                    "mix-up attacks cannot be detected",
                )
            )
        methods = metadata.get("code_challenge_methods_supported")
        if isinstance(methods, list) and "S256" not in methods:
            found.append(FapiViolation(f"{SP} §5.3.2.2", "the server does not support PKCE S256"))
        return found

    def authorization_response_violations(
        self, parameters: Mapping[str, Any], *, jarm: bool
    ) -> list[FapiViolation]:
        """SP §5.3.2.2 (``iss``) and Message Signing §5.4 (JARM) for a callback."""
        found: list[FapiViolation] = []
        if self.message_signing and not jarm:
            found.append(
                FapiViolation(
                    f"{MS} §5.4",
                    "authorization responses must be signed (JARM: response_mode=jwt)",
                )
            )
        if not jarm and not parameters.get("iss"):
            found.append(
                FapiViolation(f"{SP} §5.3.2.2", "the authorization response lacks iss (RFC 9207)")
            )
        return found

    def introspection_violations(self, *, signed: bool) -> list[FapiViolation]:
        """Message Signing §5.5: introspection answers must be signed (RFC 9701)."""
        if self.message_signing and not signed:
            return [
                FapiViolation(
                    f"{MS} §5.5",
                    "introspection responses must be signed JWTs: give jwt_response= (RFC 9701)",
                )
            ]
        return []


def _algorithm(alg: object, what: str) -> FapiViolation:
    return FapiViolation(
        f"{SP} §5.4.1", f"{what} uses {alg!r}; only PS256, ES256 and EdDSA (Ed25519) are allowed"
    )


def _client_auth(method: object) -> FapiViolation:
    return FapiViolation(
        f"{SP} §5.3.2.1",
        f"client authentication {method!r} is not allowed: use private_key_jwt or mTLS "
        "(tls_client_auth, self_signed_tls_client_auth)",
    )


def _number(value: object) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None
