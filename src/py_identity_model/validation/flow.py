"""Token validation, written once as a flow: parse → keys (discovery → JWKS → one refetch
on an unknown ``kid``) → signature → claims.

The flow yields :class:`~py_identity_model.http.messages.Fetch` steps for the cached
discovery document and key set, so the sync and async shells drive the same logic and
the caches keep their single-flight guarantees. On a warm cache it yields nothing: the
cached values are read with ``peek()`` and the generator finishes at its first ``next``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..exceptions import (
    DiscoveryException,
    InvalidAlgorithmException,
    InvalidAudienceException,
    InvalidTokenTypeException,
    JwksException,
    KeyNotFoundException,
    MalformedTokenException,
)
from ..http.flow import Flow
from ..http.messages import Fetch
from ..jose import CompactJws, JsonWebKey, parse_compact
from .claims import ClaimRules, validate_claims
from .config import CompiledConfig
from .key_source import RemoteKeySource

__all__ = ["ExtraCheck", "validation_flow"]

# Further checks run after signature and standard claims (ID token, logout token rules).
# They get the parsed token, its claims, the rules in force, the time, and the key that
# verified the signature (its curve picks the at_hash function for EdDSA).
ExtraCheck = Callable[[CompactJws, dict[str, Any], ClaimRules, float, JsonWebKey], None]


def _normalise_typ(value: object) -> str:
    text = str(value).lower()
    return text[len("application/") :] if text.startswith("application/") else text


def _check_header(jws: CompactJws, cfg: CompiledConfig) -> None:
    alg = jws.header.get("alg")
    if alg not in cfg.algorithms:
        raise InvalidAlgorithmException(f"alg {str(alg)[:32]!r} is not allowed", "header")
    if cfg.token_type is not None:
        typ = jws.header.get("typ")
        if typ is None or _normalise_typ(typ) != _normalise_typ(cfg.token_type):
            raise InvalidTokenTypeException(
                f"typ must be {cfg.token_type!r}, got {str(typ)[:32]!r}", "header"
            )


def _remote_rules(
    jws: CompactJws, cfg: CompiledConfig, source: RemoteKeySource
) -> Flow[tuple[ClaimRules, JsonWebKey]]:
    disco = source.discovery.peek() or (yield Fetch(source.discovery))
    if not disco.is_successful:
        raise DiscoveryException(
            f"Discovery failed: {disco.error}",
            url=source.discovery.request.address,
            status_code=disco.http_status,
        )
    if not disco.jwks_uri:
        raise JwksException("The discovery document has no jwks_uri")
    keys = source.jwks(disco.jwks_uri)
    jwks = keys.peek() or (yield Fetch(keys))
    for attempt in (1, 2):
        if not jwks.is_successful:
            raise JwksException(
                f"JWKS failed: {jwks.error}", url=disco.jwks_uri, status_code=jwks.http_status
            )
        try:
            key = jwks.key_set.verify(jws, algorithms=cfg.algorithms, allow_symmetric=False)
            break
        except KeyNotFoundException:
            if attempt == 2 or jws.kid is None:
                raise
            # Keys may have rotated: refetch, but at most once per cooldown (single-flight),
            # so a flood of tokens with random kids cannot become a flood of fetches.
            jwks = yield Fetch(keys, max_age=cfg.jwks_refresh_cooldown)
    rules = cfg.rules if cfg.issuers else cfg.rules_for_issuer(disco.issuer or "")
    return rules, key


def validation_flow(
    token: str | bytes,
    cfg: CompiledConfig,
    source: RemoteKeySource | None,
    extra: ExtraCheck | None = None,
) -> Flow[dict[str, Any]]:
    """Validate ``token``; return its claims or raise a TokenValidationException subclass."""
    if isinstance(token, (bytes, bytearray)):
        try:
            token = bytes(token).decode("ascii")
        except UnicodeDecodeError:
            raise MalformedTokenException("token is not ASCII") from None
    if cfg.decryption_keys and token.count(".") == 4:
        from .jwe import decrypt_token  # optional extra: imported only when used

        token = decrypt_token(token, cfg.decryption_keys, max_length=cfg.max_token_size)
    jws = parse_compact(token, max_length=cfg.max_token_size)
    _check_header(jws, cfg)
    if source is None:
        assert cfg.static_keys is not None
        key = cfg.static_keys.verify(
            jws, algorithms=cfg.algorithms, allow_symmetric=cfg.allow_symmetric
        )
        rules = cfg.rules
    else:
        rules, key = yield from _remote_rules(jws, cfg, source)
    claims = jws.claims
    if claims is None:  # pragma: no cover - parse_compact requires a JSON payload
        raise MalformedTokenException("payload is not a JSON object", "payload")
    now = time.time()
    validate_claims(claims, rules, now=now)
    if cfg.reject_unexpected_audience and "aud" in claims:
        raise InvalidAudienceException(
            "the token has an audience but no audience is configured", "payload"
        )
    if extra is not None:
        extra(jws, claims, rules, now, key)
    return claims
