r"""Token validation, written once as a flow: parse → keys (discovery → JWKS → one refetch
when the cached keys cannot verify the token) → signature → claims.

The flow yields :class:`~py_identity_model.http.messages.Fetch` steps for the cached
discovery document and key set, so the sync and async shells drive the same logic and
the caches keep their single-flight guarantees. On a warm cache it yields nothing: the
cached values are read with ``peek()`` and the generator finishes at its first ``next``.

**Key rotation.** When no cached key verifies the token (an unknown ``kid``, or a key
rotated under the same ``kid``), the key set is fetched once more and the token verified
again. That refresh is demanded at most once per ``jwks_refresh_cooldown`` seconds,
counted from the last demanded refresh only, so a provider that publishes a new key and
signs with it at once is followed without delay, while a flood of random ``kid``\ s causes
one fetch per cooldown.

**Keys unavailable.** A discovery or JWKS failure raises
:class:`~py_identity_model.exceptions.DiscoveryUnavailableError` (or its
``DiscoveryParseError`` / ``DiscoveryMissingFieldsError`` subclasses) or
:class:`~py_identity_model.exceptions.JwksUnavailableError`: network exceptions that are
also ``TokenValidationException``\ s. An insecure or malformed configured address is
misuse: ``DiscoveryHTTPSRequiredError`` / ``ConfigurationException``, raised when the
:class:`RemoteKeySource` is built (by a ``TokenValidator``, an ``OidcClient``, or the first
``validate_token`` call with that address).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..constants.jose import JwtTypes
from ..errors import ErrorCodes
from ..exceptions import (
    DiscoveryMissingFieldsError,
    DiscoveryParseError,
    DiscoveryUnavailableError,
    InvalidAlgorithmException,
    InvalidAudienceException,
    InvalidTokenTypeException,
    JwksUnavailableError,
    KeyNotFoundException,
    MalformedTokenException,
    SignatureVerificationException,
)
from ..http.flow import Flow
from ..http.messages import Fetch
from ..jose import SYMMETRIC_ALGORITHMS, CompactJws, JsonWebKey, parse_compact, verify_compact
from .claims import ClaimRules, validate_claims
from .config import CompiledConfig

if TYPE_CHECKING:
    from ..discovery.models import DiscoveryDocumentResponse
    from ..jwks.models import JwksResponse
    from .key_source import RemoteKeySource

__all__ = ["ExtraCheck", "validation_flow"]

# Further checks run after signature and standard claims (ID token, logout token rules).
# They get the parsed token, its claims, the rules in force, the time, and the key that
# verified the signature (its curve picks the at_hash function for EdDSA).
ExtraCheck = Callable[[CompactJws, dict[str, Any], ClaimRules, float, JsonWebKey], None]


# RFC 7515 §4.1.9: case-insensitive, "application/" optional (written once, in constants).
_normalise_typ = JwtTypes.normalise


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


_PARSE_CODES = frozenset(
    {ErrorCodes.INVALID_JSON, ErrorCodes.WRONG_CONTENT_TYPE, ErrorCodes.INVALID_RESPONSE}
)


def _discovery_failure(disco: DiscoveryDocumentResponse, address: str) -> Exception:
    """The exception for a discovery result that failed, by its error code."""
    code = disco.error_code
    message = f"Discovery failed: {disco.error}"
    # (A malformed or plain-HTTP configured address never gets here: RemoteKeySource
    # refuses it when it is built.)
    if code == ErrorCodes.MISSING_FIELDS:
        cls: type[DiscoveryUnavailableError] = DiscoveryMissingFieldsError
    elif code in _PARSE_CODES:
        cls = DiscoveryParseError
    else:
        cls = DiscoveryUnavailableError
    return cls(message, url=address, status_code=disco.http_status, error_code=code)


def _discovery(source: RemoteKeySource) -> Flow[DiscoveryDocumentResponse]:
    disco: DiscoveryDocumentResponse = source.discovery.peek() or (yield Fetch(source.discovery))
    if not disco.is_successful:
        raise _discovery_failure(disco, source.address)
    return disco


def _issuer_rules(cfg: CompiledConfig, disco: DiscoveryDocumentResponse) -> ClaimRules:
    return cfg.rules if cfg.issuers else cfg.rules_for_issuer(disco.issuer or "")


def _discovered_rules(cfg: CompiledConfig, source: RemoteKeySource) -> Flow[ClaimRules]:
    """The claim rules with the discovered issuer (for tokens verified without the JWKS)."""
    disco = yield from _discovery(source)
    return _issuer_rules(cfg, disco)


def _remote_rules(
    jws: CompactJws, cfg: CompiledConfig, source: RemoteKeySource, *, missed: bool = False
) -> Flow[tuple[ClaimRules, JsonWebKey]]:
    """Discovery → key set → verify, fetching what is not cached; one demanded refetch when
    the cached keys cannot verify. ``missed``: the caller already tried the cached keys."""
    disco: DiscoveryDocumentResponse | None = source.discovery.peek()
    if disco is None:
        disco = yield from _discovery(source)
    jwks_uri = disco.jwks_uri
    if not jwks_uri:
        raise JwksUnavailableError(
            "The discovery document has no jwks_uri", error_code=ErrorCodes.MISSING_FIELDS
        )
    keys = source.jwks(jwks_uri)
    jwks: JwksResponse = keys.peek() or (yield Fetch(keys))
    for attempt in (1, 2):
        if not jwks.is_successful:
            raise JwksUnavailableError(
                f"JWKS failed: {jwks.error}",
                url=jwks_uri,
                status_code=jwks.http_status,
                error_code=jwks.error_code,
            )
        try:
            if missed and attempt == 1:  # the caller's own try with these keys failed
                raise KeyNotFoundException("the cached keys do not verify the token")
            key = jwks.key_set.verify(jws, algorithms=cfg.algorithms, allow_symmetric=False)
            break
        except (KeyNotFoundException, SignatureVerificationException):
            if attempt == 2 or jws.kid is None:
                raise  # without a kid every fitting key was tried: nothing new to look for
            # The keys may have rotated (a new kid, or a new key under the same kid): demand
            # one fresh fetch, at most once per cooldown (single-flight), so a flood of
            # tokens with random kids cannot become a flood of fetches.
            jwks = yield Fetch(keys, refresh=cfg.jwks_refresh_cooldown)
    return _issuer_rules(cfg, disco), key


def _had_keys(source: RemoteKeySource) -> bool:
    """Whether a cached key set was there to try (so its failure calls for a refetch)."""
    disco = source.discovery.peek()
    return (
        disco is not None
        and bool(disco.jwks_uri)
        and source.jwks(disco.jwks_uri or "").peek() is not None
    )


def _warm(
    jws: CompactJws, cfg: CompiledConfig, source: RemoteKeySource
) -> tuple[ClaimRules, JsonWebKey] | None:
    """The rules and the verifying key from the cached documents alone, or None to go remote.

    The warm path of every discovery-mode validation: no generator, no lock, no I/O.
    Raises what verification raises when the token has no ``kid`` (nothing to refetch).
    """
    disco = source.discovery.peek()
    if disco is None or not disco.jwks_uri:
        return None
    keys = source.key_sets.get(disco.jwks_uri)
    jwks = None if keys is None else keys.peek()
    if jwks is None:
        return None
    try:
        key = jwks.key_set.verify(jws, algorithms=cfg.algorithms, allow_symmetric=False)
    except (KeyNotFoundException, SignatureVerificationException):
        if jws.kid is None:
            raise
        return None
    if cfg.issuers:
        return cfg.rules, key
    issuer = disco.issuer or ""
    return (cfg.issuer_rules.get(issuer) or cfg.rules_for_issuer(issuer)), key


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
        from ..jose.jwe import decrypt_token  # optional extra: imported only when used

        token = decrypt_token(token, cfg.decryption_keys, max_length=cfg.max_token_size)
    jws = parse_compact(token, max_length=cfg.max_token_size)
    _check_header(jws, cfg)
    if cfg.secret_key is not None and jws.alg in SYMMETRIC_ALGORITHMS:
        # MACed with the client secret (OIDC Core §10.1): the configured HS algorithm
        # only (the allow-list has exactly one), never a key from a JWKS; a kid names
        # nothing here.
        key = cfg.secret_key
        verify_compact(jws, key, algorithms=cfg.algorithms, allow_symmetric=True)
        rules = cfg.rules if source is None else (yield from _discovered_rules(cfg, source))
    elif source is None:
        assert cfg.static_keys is not None
        key = cfg.static_keys.verify(
            jws, algorithms=cfg.algorithms, allow_symmetric=cfg.allow_symmetric
        )
        rules = cfg.rules
    else:
        warm = _warm(jws, cfg, source)
        if warm is not None:
            rules, key = warm
        else:
            rules, key = yield from _remote_rules(jws, cfg, source, missed=_had_keys(source))
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
