"""What every client-authenticated request accepts, and the one flow that sends it.

A request type of a back-channel endpoint (token, introspection, revocation, device
authorization, CIBA, PAR, ...) is its 4.x fields (composed from
:mod:`~py_identity_model.endpoints.fields`) plus :class:`ClientRequestOptions`, and says
only what is its own: :meth:`~ClientRequestOptions.endpoint_parameters` (its form fields)
and its name. :func:`client_request_flow` does the rest the same way for all of them:
refuse a URL the policy refuses (no credential ever goes there), resolve the client (misuse
raises before any I/O), merge the caller's extra parameters (never repeating the request's
own fields), authenticate, add DPoP, POST, answer one DPoP nonce challenge.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import KW_ONLY, dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from ..exceptions import ConfigurationException
from ..http.flow import Flow
from ..http.messages import Outcome
from ..http.results import Failure
from ..utils.parameters import Parameters
from ..utils.redaction import redacted_repr
from .client import Client, dpop_prover
from .fields import DPoPKeyField
from .policy import EndpointPolicy, HasEndpointPolicy, endpoint_policy_of
from .request import client_post_flow

if TYPE_CHECKING:
    from .client_auth import MtlsClientAuth, PrivateKeyJwt

__all__ = ["ClientRequestOptions", "DPoPProofFactory", "client_request_flow"]


class DPoPProofFactory(Protocol):
    """Makes a DPoP proof (RFC 9449) for one request; ``nonce`` is the server's, if any."""

    def __call__(self, method: str, url: str, nonce: str | None) -> str: ...


class _Credentials:
    """What every client-authenticated request type has, declared for the type checker.

    The fields themselves come from :mod:`py_identity_model.endpoints.fields`; this is not
    a dataclass, so nothing here becomes a field.
    """

    address: str
    client_id: str
    client_secret: str | None
    private_key_jwt: PrivateKeyJwt | None
    mtls: MtlsClientAuth | None
    client_auth_method: str | None


@dataclass(repr=False)
class ClientRequestOptions(_Credentials):
    """Keyword-only settings every client-authenticated request accepts.

    Attributes:
        parameters: extra form parameters (a :class:`Parameters`, or a mapping whose
            values may be lists for repeated names); they may not repeat the request's own.
        client_assertion: a fixed client assertion JWT (RFC 7523 §2.2).
        client_assertion_factory: produces a fresh assertion per send, given the endpoint.
        dpop_proof_factory: produces the ``DPoP`` header per send; a ``use_dpop_nonce``
            challenge is answered once with a fresh proof carrying the server's nonce.
        headers: extra HTTP headers (the library's own ``Authorization`` and ``DPoP`` win).
        policy: the endpoint policy (HTTPS except on loopback by default); a
            ``DiscoveryPolicy`` gives its URL rules.
        client: the client as one value (``Client("id", ClientSecretJwt(secret, "HS512"))``,
            ``Client("id", auth, dpop=key)``): instead of the 4.x credential fields, which
            must then be left unset; its ``client_id`` must be the request's.
    """

    _: KW_ONLY
    parameters: Parameters | Mapping[str, Any] | None = None
    client_assertion: str | None = None
    client_assertion_factory: Callable[[str], str] | None = None
    dpop_proof_factory: DPoPProofFactory | None = None
    headers: Mapping[str, str] | None = None
    policy: EndpointPolicy | HasEndpointPolicy | None = None
    client: Client | None = None

    repeatable_parameters: ClassVar[frozenset[str]] = frozenset()
    """Own fields that the caller's ``parameters`` may add more values of."""

    def endpoint_parameters(self) -> Parameters:  # pragma: no cover - every subclass overrides
        """The request's own form fields."""
        raise NotImplementedError

    def form_parameters(self) -> Parameters:
        """The form to send: the request's own fields and the caller's extra parameters."""
        params = self.endpoint_parameters()
        if self.parameters is not None:
            own = {name for name, _ in params} - self.repeatable_parameters
            extra = Parameters(self.parameters)
            clash = sorted(own.intersection(name for name, _ in extra))
            if clash:
                raise ConfigurationException(
                    f"parameters repeat the request's own field(s): {clash}"
                )
            params.merge(extra)
        return params

    def resolved_client(self) -> Client:
        """The client of this request: ``client``, or the one the 4.x credential
        fields describe (misuse raises ConfigurationException)."""
        dpop_key = self.dpop_key if isinstance(self, DPoPKeyField) else None
        if self.client is not None:
            return self._given_client(dpop_key)
        return Client.from_credentials(
            self.client_id,
            self.client_secret,
            method=self.client_auth_method,
            private_key_jwt=self.private_key_jwt,
            mtls=self.mtls,
            client_assertion=self.client_assertion,
            client_assertion_factory=self.client_assertion_factory,
            dpop=dpop_prover(dpop_key, self.dpop_proof_factory),
        )

    def _given_client(self, dpop_key: object) -> Client:
        given = self.client
        if not isinstance(given, Client):
            raise ConfigurationException("client must be a Client")
        loose = [
            name
            for name, value in (
                ("client_secret", self.client_secret),
                ("private_key_jwt", self.private_key_jwt),
                ("mtls", self.mtls),
                ("client_auth_method", self.client_auth_method),
                ("client_assertion", self.client_assertion),
                ("client_assertion_factory", self.client_assertion_factory),
                ("dpop_proof_factory", self.dpop_proof_factory),
                ("dpop_key", dpop_key),
            )
            if value is not None
        ]
        if loose:
            raise ConfigurationException(
                f"client already says how the client authenticates: drop {loose}"
            )
        if given.client_id != self.client_id:
            raise ConfigurationException("client.client_id must be the request's client_id")
        return given

    @property
    def endpoint_policy(self) -> EndpointPolicy:
        return endpoint_policy_of(self.policy)

    def __repr__(self) -> str:
        # Extra parameters and headers may carry secrets: show their names only.
        text = redacted_repr(self)
        for name in ("parameters", "headers"):
            value = getattr(self, name)
            if isinstance(value, Mapping):
                text = text.replace(f"{name}={value!r}", f"{name}=<names {sorted(value)!r}>")
        return text


def client_request_flow(
    request: ClientRequestOptions,
    *,
    what: str,
    accept: str = "application/json",
) -> Flow[Outcome | Failure]:
    """Send ``request`` to its ``address`` as its client; the outcome, or why nothing was sent.

    ``accept`` is the endpoint's ``Accept`` header (a JWT answer asks for its media type);
    a caller's ``Accept`` in ``request.headers`` replaces it. Misuse of the credential
    fields or of ``parameters`` raises :class:`~py_identity_model.ConfigurationException`
    before any I/O; a refused URL is a :class:`Failure` (a result, even when the
    credentials are misconfigured too).
    """
    policy = request.endpoint_policy
    refused = policy.check(request.address, what)
    if refused is not None:
        return refused
    client = request.resolved_client()
    request.form_parameters()  # misuse of the parameters raises here, before I/O
    return (
        yield from client_post_flow(
            client,
            request.address,
            request.form_parameters,
            policy=policy,
            what=what,
            accept=accept,
            headers=request.headers,
        )
    )
