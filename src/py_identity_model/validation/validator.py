"""The public validation operations, and ``TokenValidator`` for hot paths.

Every operation is a flow (:func:`validation_flow` plus an optional extra check); the
sync functions, the async functions and :class:`TokenValidator` only choose the key
source and drive it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..exceptions import (
    ConfigurationException,
    IdTokenValidationException,
    LogoutTokenValidationException,
)
from ..http.drivers import run_async, run_sync
from ..http.flow import Flow
from ..jose import CompactJws, JsonWebKey
from .claims import ClaimRules
from .config import CompiledConfig, TokenValidationConfig, compiled
from .flow import ExtraCheck, validation_flow
from .id_token import validate_id_token_claims
from .key_source import RemoteKeySource, shared_key_source
from .logout_token import validate_logout_token_claims

__all__ = [
    "TokenValidator",
    "id_token_flow",
    "logout_token_flow",
    "token_flow",
]


def _source(
    cfg: CompiledConfig, config: TokenValidationConfig, address: str | None
) -> RemoteKeySource | None:
    if not config.perform_disco:
        return None
    if not address:
        raise ConfigurationException("perform_disco=True needs disco_doc_address")
    source = cfg.sources.get(address)
    if source is None:
        source = cfg.sources[address] = shared_key_source(address, cfg.discovery_policy)
    return source


def token_flow(
    jwt: str | bytes, config: TokenValidationConfig, disco_doc_address: str | None = None
) -> Flow[dict[str, Any]]:
    """The flow behind ``validate_token``."""
    cfg = compiled(config)
    return validation_flow(jwt, cfg, _source(cfg, config, disco_doc_address))


def hash_alg(alg: str, key: JsonWebKey) -> str:
    """The alg that names the at_hash/c_hash function: ``EdDSA`` with Ed448 uses SHAKE256."""
    if alg == "EdDSA" and key.crv == "Ed448":
        return "Ed448"
    return alg


def _client_id(cfg: CompiledConfig) -> str | None:
    audiences = cfg.rules.audiences
    return audiences[0] if len(audiences) == 1 else None


# Explicit types of other JWTs; an ID token with one of them is a token-confusion attempt
# (RFC 8725 §3.11). Logout tokens also carry ``events``, which ID tokens never do.
_NOT_ID_TOKEN_TYPES = frozenset(
    {"logout+jwt", "at+jwt", "dpop+jwt", "token-introspection+jwt", "secevent+jwt"}
)


def id_token_check(
    *,
    client_id: str | None,
    nonce: str | None = None,
    access_token: str | None = None,
    code: str | None = None,
    state: str | None = None,
    max_age: float | None = None,
    acr_values: Sequence[str] | str | None = None,
) -> ExtraCheck:
    """The ID-token rules (OIDC Core §3.1.3.7) as an extra check for ``validation_flow``."""

    def check(
        jws: CompactJws, claims: dict[str, Any], rules: ClaimRules, now: float, key: JsonWebKey
    ) -> None:
        typ = str(jws.typ or "").lower().removeprefix("application/")
        if typ in _NOT_ID_TOKEN_TYPES or "events" in claims:
            raise IdTokenValidationException("the token is not an ID token (typ/events)", "header")
        validate_id_token_claims(
            claims,
            alg=hash_alg(jws.alg, key),
            client_id=client_id,
            nonce=nonce,
            access_token=access_token,
            code=code,
            state=state,
            max_age=max_age,
            acr_values=acr_values,
            now=now,
            leeway=rules.leeway,
        )

    return check


def id_token_flow(
    id_token: str | bytes,
    config: TokenValidationConfig,
    disco_doc_address: str | None = None,
    *,
    nonce: str | None = None,
    access_token: str | None = None,
    code: str | None = None,
    state: str | None = None,
    max_age: float | None = None,
    acr_values: Sequence[str] | str | None = None,
) -> Flow[dict[str, Any]]:
    """The flow behind ``validate_id_token`` (OpenID Connect Core §3.1.3.7)."""
    cfg = compiled(config)
    if not cfg.rules.audiences:
        raise ConfigurationException("ID token validation needs audience = the client_id")
    check = id_token_check(
        client_id=_client_id(cfg),
        nonce=nonce,
        access_token=access_token,
        code=code,
        state=state,
        max_age=max_age,
        acr_values=acr_values,
    )
    return validation_flow(id_token, cfg, _source(cfg, config, disco_doc_address), check)


def _check_logout(
    jws: CompactJws, claims: dict[str, Any], rules: ClaimRules, now: float, key: JsonWebKey
) -> None:
    typ = jws.typ
    if typ is not None and typ.lower() not in ("logout+jwt", "application/logout+jwt", "jwt"):
        raise LogoutTokenValidationException(f"typ {typ[:32]!r} is not a logout token", "header")
    validate_logout_token_claims(claims, now=now, leeway=rules.leeway)


def logout_token_flow(
    logout_token: str | bytes, config: TokenValidationConfig, disco_doc_address: str | None = None
) -> Flow[dict[str, Any]]:
    """The flow behind ``validate_logout_token`` (OIDC Back-Channel Logout 1.0 §2.6)."""
    cfg = compiled(config)
    extra: ExtraCheck = _check_logout
    return validation_flow(logout_token, cfg, _source(cfg, config, disco_doc_address), extra)


class TokenValidator:
    """A validator bound to one configuration, owning its caches: for frameworks and hot paths.

    One object serves threads and event loops at once::

        validator = TokenValidator.for_authority("https://login.example.com", audience="api")
        claims = validator.validate(token)          # sync
        claims = await validator.avalidate(token)   # async

    Raises the same exceptions as :func:`~py_identity_model.validate_token`.
    """

    def __init__(
        self,
        config: TokenValidationConfig,
        *,
        disco_doc_address: str | None = None,
        http_client: object = None,
    ) -> None:
        self.config = config
        self._cfg = compiled(config)
        self._http_client = http_client
        self._source: RemoteKeySource | None = None
        if config.perform_disco:
            if not disco_doc_address:
                raise ConfigurationException("perform_disco=True needs disco_doc_address")
            self._source = RemoteKeySource(disco_doc_address, self._cfg.discovery_policy)

    @classmethod
    def for_authority(
        cls,
        authority: str,
        *,
        audience: str | list[str] | None,
        algorithms: list[str] | None = None,
        http_client: object = None,
        **config: Any,
    ) -> TokenValidator:
        """A discovery-mode validator: issuer and keys come from ``authority``'s metadata."""
        return cls(
            TokenValidationConfig(
                perform_disco=True, audience=audience, algorithms=algorithms, **config
            ),
            disco_doc_address=authority,
            http_client=http_client,
        )

    def validate(self, token: str | bytes) -> dict[str, Any]:
        """Validate and return the claims, or raise a ``TokenValidationException`` subclass."""
        return run_sync(validation_flow(token, self._cfg, self._source), self._http_client)

    async def avalidate(self, token: str | bytes) -> dict[str, Any]:
        """Async twin of :meth:`validate`."""
        return await run_async(validation_flow(token, self._cfg, self._source), self._http_client)

    def invalidate(self) -> None:
        """Forget cached discovery and keys (the next validation fetches them)."""
        if self._source is not None:
            self._source.invalidate()

    def __repr__(self) -> str:
        where = self._source.discovery.request.address if self._source else "static key"
        return f"TokenValidator({where!r}, audiences={list(self._cfg.rules.audiences)!r})"
