"""The UserInfo request and response (OpenID Connect Core §5.3; RFC 6750; RFC 9449 §7).

Field order follows py-identity-model 4.x: ``UserInfoRequest(address, token,
expected_sub=None, dpop_key=None, mtls=None)`` and ``UserInfoResponse(is_successful,
error=None, claims=None, raw=None)``; everything new is keyword-only. ``repr`` never shows
the access token.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ..endpoints.options import DPoPProofFactory
from ..endpoints.policy import EndpointPolicy, HasEndpointPolicy, endpoint_policy_of
from ..errors import ErrorType
from ..http.results import ProtocolResponse
from ..utils.redaction import redacted_repr

if TYPE_CHECKING:
    from ..endpoints.client_auth import MtlsClientAuth
    from ..http.messages import ClientCertificate
    from ..validation.jwt_response import JwtResponseValidation

__all__ = ["ResourceDPoPProver", "UserInfoRequest", "UserInfoResponse"]


@runtime_checkable
class ResourceDPoPProver(Protocol):
    """Makes DPoP proofs for requests to a resource (RFC 9449 §7): with ``access_token``,
    the proof carries ``ath``, the hash of the token it is presented with."""

    def create_proof(
        self, method: str, url: str, *, nonce: str | None = None, access_token: str | None = None
    ) -> str:
        """A fresh proof for one request; ``nonce`` is the server's ``DPoP-Nonce``."""


@dataclass(repr=False)
class UserInfoRequest:
    """A UserInfo request: the endpoint and the access token to present.

    Attributes:
        expected_sub: the ``sub`` of the ID token; a different ``sub`` in the answer is a
            failure (``sub_mismatch``, OpenID Connect Core §5.3.4: the answer may be for
            another user).
        dpop_key: a DPoP key (``create_proof(method, url, nonce=, access_token=)``) for a
            DPoP-bound token: the token goes as ``Authorization: DPoP``, with a proof.
        mtls: the client certificate for a certificate-bound token (RFC 8705 §3): an
            ``MtlsClientAuth`` or a ``ClientCertificate``; call the server's
            ``mtls_endpoint_aliases`` UserInfo URL then (``endpoint_for_client``).
        method: ``"GET"`` (default) or ``"POST"`` (§5.3.1 allows both; the token goes in the
            ``Authorization`` header either way, never in a URL).
        client_id: the client the answer is for: required with ``jwt_response`` (a signed
            answer's ``aud``).
        jwt_response: how a signed or encrypted answer (``application/jwt``, §5.3.2) is
            verified; without it such an answer is refused, never read unverified.
        headers: extra HTTP headers (the library's ``Authorization`` and ``DPoP`` win).
        policy: the endpoint policy: the token never goes to plain HTTP except loopback.
        dpop_proof_factory: instead of ``dpop_key``, a function ``(method, url, nonce) ->
            proof`` for a DPoP-bound token; the proof must carry ``ath`` for this token
            (RFC 9449 §4.2), which the factory's own key and token know.
    """

    address: str
    token: str
    expected_sub: str | None = None
    dpop_key: ResourceDPoPProver | None = None
    mtls: MtlsClientAuth | ClientCertificate | None = None
    _: KW_ONLY
    method: str = "GET"
    client_id: str | None = None
    jwt_response: JwtResponseValidation | None = None
    headers: Mapping[str, str] | None = None
    policy: EndpointPolicy | HasEndpointPolicy | None = None
    dpop_proof_factory: DPoPProofFactory | None = None

    @property
    def is_dpop(self) -> bool:
        """Whether the token is presented as DPoP-bound (``Authorization: DPoP``)."""
        return self.dpop_key is not None or self.dpop_proof_factory is not None

    @property
    def endpoint_policy(self) -> EndpointPolicy:
        return endpoint_policy_of(self.policy)

    def __repr__(self) -> str:
        text = redacted_repr(self)
        if isinstance(self.headers, Mapping):
            text = text.replace(
                f"headers={self.headers!r}", f"headers=<names {sorted(self.headers)!r}>"
            )
        return text


@dataclass(repr=False, init=False)
class UserInfoResponse(ProtocolResponse):
    """The UserInfo answer: ``claims`` (the verified claims, ``sub`` always present) and
    ``raw`` (the body as received: JSON text, or the JWT).

    Positional order (4.x): ``is_successful, error, claims, raw``; the rest is keyword-only.
    ``signed`` tells whether the claims came from a verified JWT.
    """

    claims: dict[str, Any] | None = None
    signed: bool = False

    def __init__(
        self,
        is_successful: bool,
        error: str | None = None,
        claims: dict[str, Any] | None = None,
        raw: str | None = None,
        *,
        error_description: str | None = None,
        error_type: ErrorType | None = None,
        error_code: str | None = None,
        http_status: int | None = None,
        json: dict[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(
            is_successful,
            error,
            error_description=error_description,
            error_type=error_type,
            error_code=error_code,
            http_status=http_status,
            raw=raw,
            json=json,
            headers=headers,
        )
        self.claims = claims
        self.signed = signed

    @property
    def sub(self) -> str | None:
        value = (self.claims or {}).get("sub")
        return value if isinstance(value, str) else None
