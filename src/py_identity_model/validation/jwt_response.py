"""Verifying a JWT-formatted *response* from an authorization server, written once.

Introspection (RFC 9701, ``application/token-introspection+jwt``), UserInfo
(``application/jwt``, OpenID Connect Core §5.3.2) and, later, JARM answer with a JWT the
client must verify: signed by the server's keys (discovery → JWKS, or keys the caller
configures), ``iss`` the server, ``aud`` the client, the expected ``typ``, decrypted first
when encrypted (``[jwe]``). :class:`JwtResponseValidation` says where the keys come from;
:func:`jwt_response_flow` verifies one response inside an endpoint's flow (so the key fetch
is the same single-flight, cached ``Fetch`` that token validation uses) and turns every
rejection into a :class:`~py_identity_model.http.results.Failure`, never an exception.

Unlike an access or ID token, a response JWT need not carry ``exp`` (RFC 9701 §5 requires
``iat`` instead); a present ``exp`` is still checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..discovery.models import DiscoveryPolicy
from ..errors import ErrorCodes
from ..exceptions import ConfigurationException, NetworkException, TokenValidationException
from ..http.flow import Flow
from ..http.results import Failure
from ..utils.memo import BoundedMemo
from .config import CompiledConfig, TokenValidationConfig, compiled
from .flow import ExtraCheck, validation_flow
from .operations import remote_source

if TYPE_CHECKING:
    from ..jose import JsonWebKey

__all__ = ["JwtResponseValidation", "jwt_response_flow"]


@dataclass(frozen=True, eq=False)
class JwtResponseValidation:
    """Where the keys that sign (and the issuer that issues) JWT responses come from.

    Either ``disco_doc_address`` (the server's discovery document: its ``issuer`` and the
    keys of its ``jwks_uri``, cached and shared with token validation), or a static
    ``key`` (a JWK, a JWK Set ``{"keys": [...]}`` or a :class:`JsonWebKey`) with the
    ``issuer`` it belongs to.

    Attributes:
        algorithms: the accepted signing algorithms (default: the library's asymmetric
            allow-list).
        decryption_keys: the client's private keys for encrypted responses (``[jwe]``).
        leeway: clock skew allowed for ``iat``/``nbf``/``exp``, in seconds.
        discovery_policy: the discovery policy (HTTPS, endpoint rules) for the keys.
    """

    disco_doc_address: str | None = None
    issuer: str | None = None
    key: dict[str, Any] | JsonWebKey | None = None
    algorithms: list[str] | None = None
    decryption_keys: list[dict[str, Any] | JsonWebKey] | None = None
    leeway: float | None = None
    discovery_policy: DiscoveryPolicy | None = None
    _prepared: BoundedMemo[tuple[object, ...], tuple[TokenValidationConfig, CompiledConfig]] = (
        field(default_factory=lambda: BoundedMemo(16), init=False, repr=False)
    )

    def __post_init__(self) -> None:
        if self.disco_doc_address is None and self.key is None:
            raise ConfigurationException(
                "JwtResponseValidation needs disco_doc_address or a static key"
            )
        if self.disco_doc_address is not None and self.key is not None:
            raise ConfigurationException("use disco_doc_address or key, not both")
        if self.key is not None and not self.issuer:
            raise ConfigurationException("a static key needs the issuer it belongs to")

    def compiled_for(
        self, audience: str, token_type: str | None, required_claims: Sequence[str] = ()
    ) -> tuple[TokenValidationConfig, CompiledConfig]:
        """The validation config of responses to ``audience`` (compiled once, memoised)."""
        memo_key = (audience, token_type, tuple(required_claims))
        found = self._prepared.get(memo_key)
        if found is not None:
            return found
        config = TokenValidationConfig(
            perform_disco=self.disco_doc_address is not None,
            key=self.key,
            audience=audience,
            algorithms=self.algorithms,
            issuer=self.issuer,
            leeway=self.leeway,
            discovery_policy=self.discovery_policy,
            token_type=token_type,
            decryption_keys=self.decryption_keys,
            required_claims=list(required_claims) or None,
        )
        cfg = compiled(config)
        # A response JWT need not expire (RFC 9701 §5, OIDC Core §5.3.2); a present exp is
        # checked all the same.
        cfg = replace(cfg, rules=replace(cfg.rules, require_exp=False))
        return self._prepared.put(memo_key, (config, cfg))

    def __repr__(self) -> str:
        where = self.disco_doc_address or f"static key of {self.issuer!r}"
        return f"JwtResponseValidation({where!r})"


def jwt_response_flow(
    token: str,
    validation: JwtResponseValidation,
    *,
    audience: str,
    what: str,
    token_type: str | None = None,
    required_claims: Sequence[str] = (),
    extra: ExtraCheck | None = None,
) -> Flow[dict[str, Any] | Failure]:
    """Verify a response JWT; its claims, or a failure saying why it was rejected.

    Misuse of ``validation`` raises :class:`ConfigurationException`; everything about the
    response or the server's keys is a failure: ``invalid_jwt_response`` for a rejected
    JWT, the key fetch's own code (``timeout``, ``https_required``, ...) when the keys
    could not be obtained.
    """
    if not isinstance(validation, JwtResponseValidation):
        raise ConfigurationException("the JWT response validation must be a JwtResponseValidation")
    config, cfg = validation.compiled_for(audience, token_type, required_claims)
    source = remote_source(cfg, config, validation.disco_doc_address)
    try:
        claims: dict[str, Any] = yield from validation_flow(token, cfg, source, extra)
    except NetworkException as exc:  # the keys could not be obtained
        return Failure(
            exc.error_code or ErrorCodes.NETWORK_ERROR,
            f"{what}: the server's keys are not available ({exc})",
        )
    except TokenValidationException as exc:
        return Failure(
            ErrorCodes.INVALID_JWT_RESPONSE,
            f"{what}: the JWT response was rejected ({exc})",
            error_description=str(exc),
        )
    return claims
