"""The three validation operations as flows: access tokens, ID tokens, logout tokens.

Each is :func:`~py_identity_model.validation.flow.validation_flow` with an optional extra
check; the sync and async shells and ``TokenValidator`` only choose the key source and
drive it. Pure: no driver, no I/O.
"""

from __future__ import annotations

from typing import Any

from ..caching.replay import ReplayStore
from ..constants.jose import JwtTypes
from ..exceptions import (
    ConfigurationException,
    IdTokenValidationException,
    LogoutTokenValidationException,
)
from ..http.flow import Flow
from ..jose import CompactJws, JsonWebKey
from ..jose.registry import fully_specified
from .claims import ClaimRules
from .config import CompiledConfig, TokenValidationConfig, compiled
from .flow import ExtraCheck, validation_flow
from .id_token import IdTokenExpectations, validate_id_token_claims
from .key_source import RemoteKeySource, shared_key_source
from .logout_token import (
    check_logout_replay,
    default_logout_replay_store,
    validate_logout_token_claims,
)

__all__ = [
    "id_token_check",
    "id_token_flow",
    "logout_token_flow",
    "remote_source",
    "token_flow",
]


def remote_source(
    cfg: CompiledConfig, config: TokenValidationConfig, address: str | None
) -> RemoteKeySource | None:
    """The shared key source of ``address`` (discovery mode), memoised on the config."""
    if not config.perform_disco:
        return None
    if not isinstance(address, str) or not address:
        raise ConfigurationException("perform_disco=True needs disco_doc_address")
    source = cfg.sources.get(address)
    if source is None:
        source = cfg.sources.put(address, shared_key_source(address, cfg.discovery_policy))
    return source


def token_flow(
    jwt: str | bytes, config: TokenValidationConfig, disco_doc_address: str | None = None
) -> Flow[dict[str, Any]]:
    """The flow behind ``validate_token``."""
    # Every validation passes here: the memoised look-ups are inlined (dictionary reads).
    try:
        cfg: CompiledConfig = config.__dict__["_compiled"]
    except (AttributeError, KeyError):  # not compiled yet, or not a config (refused there)
        cfg = compiled(config)
    source = None
    if config.perform_disco:
        source = cfg.sources.get(disco_doc_address) or remote_source(  # type: ignore[arg-type]
            cfg, config, disco_doc_address
        )
    return validation_flow(jwt, cfg, source)


def hash_alg(alg: str, key: JsonWebKey) -> str:
    """The alg that names the at_hash/c_hash function: ``EdDSA`` with its key's curve is
    the fully specified ``Ed25519`` or ``Ed448`` (RFC 9864), whose hash the registry knows."""
    return fully_specified(alg, key.crv)


def _client_id(cfg: CompiledConfig) -> str | None:
    audiences = cfg.rules.audiences
    return audiences[0] if len(audiences) == 1 else None


def _require_issuer(cfg: CompiledConfig, config: TokenValidationConfig, what: str) -> None:
    # OIDC Core §2 / §3.1.3.7 step 2 and Back-Channel Logout §2.4, §2.6: iss is always
    # checked. With discovery the issuer is the provider's; with a static key, say it.
    if not config.perform_disco and not cfg.issuers and not cfg.rules.issuer_templates:
        raise ConfigurationException(
            f"{what} validation with a static key needs issuer: its iss is always checked"
        )


# Explicit types of other JWTs; an ID token with one of them is a token-confusion attempt
# (RFC 8725 §3.11). Logout tokens also carry ``events``, which ID tokens never do.
_NOT_ID_TOKEN_TYPES = frozenset(
    {"logout+jwt", "at+jwt", "dpop+jwt", "token-introspection+jwt", "secevent+jwt"}
)


def id_token_check(client_id: str | None, expected: IdTokenExpectations) -> ExtraCheck:
    """The ID-token rules (OIDC Core §3.1.3.7) as an extra check for ``validation_flow``."""

    def check(
        jws: CompactJws, claims: dict[str, Any], rules: ClaimRules, now: float, key: JsonWebKey
    ) -> None:
        typ = JwtTypes.normalise(jws.typ or "")
        if typ in _NOT_ID_TOKEN_TYPES or "events" in claims:
            raise IdTokenValidationException("the token is not an ID token (typ/events)", "header")
        validate_id_token_claims(
            claims,
            expected,
            alg=hash_alg(jws.alg, key),
            client_id=client_id,
            now=now,
            leeway=rules.leeway,
        )

    return check


def id_token_flow(
    id_token: str | bytes,
    config: TokenValidationConfig,
    disco_doc_address: str | None = None,
    expected: IdTokenExpectations | None = None,
) -> Flow[dict[str, Any]]:
    """The flow behind ``validate_id_token`` (OpenID Connect Core §3.1.3.7)."""
    cfg = compiled(config)
    if not cfg.rules.audiences:
        raise ConfigurationException("ID token validation needs audience = the client_id")
    _require_issuer(cfg, config, "ID token")
    check = id_token_check(_client_id(cfg), expected or IdTokenExpectations())
    return validation_flow(id_token, cfg, remote_source(cfg, config, disco_doc_address), check)


def _check_logout(
    jws: CompactJws, claims: dict[str, Any], rules: ClaimRules, now: float, key: JsonWebKey
) -> None:
    typ = jws.typ
    if typ is not None and JwtTypes.normalise(typ) not in ("logout+jwt", "jwt"):
        raise LogoutTokenValidationException(f"typ {typ[:32]!r} is not a logout token", "header")
    validate_logout_token_claims(claims, now=now, leeway=rules.leeway)


def logout_token_flow(
    logout_token: str | bytes,
    config: TokenValidationConfig,
    disco_doc_address: str | None = None,
    *,
    replay_store: ReplayStore | None = None,
    skip_replay_check: bool = False,
) -> Flow[dict[str, Any]]:
    """The flow behind ``validate_logout_token`` (OIDC Back-Channel Logout 1.0 §2.6).

    After validation the token's ``iss`` + ``jti`` are recorded in ``replay_store`` (by
    default the process-wide :func:`~.backchannel_logout.default_logout_replay_store`): a
    token seen before is rejected, unless ``skip_replay_check=True``.
    """
    cfg = compiled(config)
    _require_issuer(cfg, config, "Logout token")
    if replay_store is not None and not isinstance(replay_store, ReplayStore):
        raise ConfigurationException("replay_store must be a ReplayStore (add and aadd)")
    extra: ExtraCheck = _check_logout
    source = remote_source(cfg, config, disco_doc_address)
    flow = validation_flow(logout_token, cfg, source, extra)
    if skip_replay_check:
        return flow
    store = default_logout_replay_store() if replay_store is None else replay_store
    return _once(flow, store, cfg.rules.leeway)


def _once(flow: Flow[dict[str, Any]], store: ReplayStore, leeway: float) -> Flow[dict[str, Any]]:
    claims = yield from flow
    yield from check_logout_replay(claims, store, leeway=leeway)
    return claims
