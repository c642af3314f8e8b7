"""Logout token claim rules of OpenID Connect Back-Channel Logout 1.0 §2.4 and §2.6.

:func:`validate_logout_token_claims` checks the logout-token-specific claims of a
signature-verified payload; the caller runs
:func:`~py_identity_model.validation.claims.validate_claims` too, for ``iss``, ``aud``
and the generic time rules.

* ``events`` is a JSON object with the member
  ``http://schemas.openid.net/event/backchannel-logout``, whose value is a JSON object
  (other events may sit beside it).
* ``jti`` (a non-empty string), ``iat`` and ``exp`` (NumericDates) are required; an
  ``exp`` in the past raises :class:`~py_identity_model.exceptions.TokenExpiredException`
  and an ``iat`` in the future
  :class:`~py_identity_model.exceptions.TokenNotYetValidException`, exactly as
  ``validate_claims`` does.
* ``sub`` or ``sid`` is required (each a non-empty string when present).
* ``nonce`` is forbidden (§2.4), whatever its value, so an ID token can't pass as a
  logout token.

Every other failure raises :class:`~py_identity_model.exceptions.LogoutTokenValidationException`.

**Replay** (§2.6 step 9 lets the RP reject a ``jti`` it has seen). :func:`check_logout_replay`
records a validated token's ``iss`` + ``jti`` (hashed into a fixed-size key) in a
:class:`~py_identity_model.caching.replay.ReplayStore` until its ``exp`` plus the leeway, after
which it is refused as expired anyway; a second delivery raises
``LogoutTokenValidationException`` with ``details["reason"] == "replayed"``.
``validate_logout_token`` runs it **by default**, with one bounded in-memory store per
process (:func:`default_logout_replay_store`, 10,000 live entries, full = fail closed with
``details["reason"] == "replay_store_full"``); a fleet of processes passes a shared store
(``replay_store=``), and ``skip_replay_check=True`` is the named opt-out. The in-memory
store is asked directly; any other store through a ``Fetch`` step, so the async shell awaits
its ``aadd`` and never blocks its event loop.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from typing import Any

from ..caching.replay import MemoryReplayStore, ReplayStore
from ..errors import ErrorCodes
from ..exceptions import LogoutTokenValidationException, ReplayStoreFullError
from ..http.flow import Flow
from ..http.messages import ARunFlow, Fetch, RunFlow
from ..utils.encoding import b64url_encode
from .claims import (
    _check_expiry,
    _check_issued_at,
    _check_now,
    _check_time,
    _fail,
    _require_numeric_date,
)

__all__ = [
    "BACKCHANNEL_LOGOUT_EVENT",
    "check_logout_replay",
    "default_logout_replay_store",
    "validate_logout_token_claims",
]

BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"

_Error = LogoutTokenValidationException


def validate_logout_token_claims(payload: Mapping[str, Any], *, now: float, leeway: float) -> None:
    """Apply the Back-Channel Logout §2.6 rules to a verified logout token payload.

    Raises:
        LogoutTokenValidationException: ``events``, ``jti``, ``iat``, ``exp``,
            ``sub``/``sid`` is missing or malformed, or ``nonce`` is present.
        TokenExpiredException: ``exp`` has passed (beyond ``leeway``).
        TokenNotYetValidException: ``iat`` is in the future (beyond ``leeway``).
        ConfigurationException: ``now`` or ``leeway`` is not a valid number.
    """
    now = _check_now(now)
    leeway = _check_time(leeway, "leeway")
    if not isinstance(payload, Mapping):
        raise _fail(_Error, "The logout token payload must be a JSON object")

    if "nonce" in payload:
        raise _fail(_Error, "A logout token must not contain a 'nonce' claim", "nonce")

    events = payload.get("events")
    if events is None:
        raise _fail(_Error, "The 'events' claim is required", "events")
    if not isinstance(events, Mapping):
        raise _fail(_Error, "The 'events' claim must be a JSON object", "events")
    if BACKCHANNEL_LOGOUT_EVENT not in events:
        raise _fail(_Error, f"The 'events' claim must contain {BACKCHANNEL_LOGOUT_EVENT}", "events")
    if not isinstance(events[BACKCHANNEL_LOGOUT_EVENT], Mapping):
        raise _fail(_Error, f"The {BACKCHANNEL_LOGOUT_EVENT} event must be a JSON object", "events")

    jti = payload.get("jti")
    if jti is None:
        raise _fail(_Error, "The 'jti' claim is required", "jti")
    if not isinstance(jti, str) or not jti:
        raise _fail(_Error, "The 'jti' claim must be a non-empty string", "jti")

    iat = _require_numeric_date(payload, "iat", _Error, _Error)
    exp = _require_numeric_date(payload, "exp", _Error, _Error)

    has_subject = False
    for name in ("sub", "sid"):
        value = payload.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or not value:
            raise _fail(_Error, f"The '{name}' claim must be a non-empty string", name)
        has_subject = True
    if not has_subject:
        raise _fail(_Error, "A logout token requires a 'sub' or a 'sid' claim", "sub")

    _check_expiry(exp, now, leeway)
    _check_issued_at(iat, now, leeway)


# ------------------------------------------------------------------------- replay

_DEFAULT_STORE_ENTRIES = 10_000
_default_store: list[MemoryReplayStore] = []


def default_logout_replay_store() -> MemoryReplayStore:
    """The process-wide store of accepted logout tokens (bounded: 10,000 live entries)."""
    if not _default_store:
        _default_store.append(MemoryReplayStore(_DEFAULT_STORE_ENTRIES))
    return _default_store[0]


class _ReplayClaim:
    """A one-shot source for a ``Fetch`` step: the sync driver calls ``get`` (the store's
    ``add``), the async driver awaits ``aget`` (its ``aadd``). Answers ``"first"``,
    ``"replayed"`` or ``"full"`` so the flow raises the rejection itself."""

    __slots__ = ("key", "store", "ttl")

    def __init__(self, store: ReplayStore, key: str, ttl: float) -> None:
        self.store, self.key, self.ttl = store, key, ttl

    def peek(self, *, max_age: float | None = None) -> str | None:
        return None  # never cached: every claim asks the store

    def get(
        self, run: RunFlow[Any], *, max_age: float | None = None, refresh: float | None = None
    ) -> str:
        try:
            return "first" if self.store.add(self.key, self.ttl) else "replayed"
        except ReplayStoreFullError:
            return "full"

    async def aget(
        self, run: ARunFlow[Any], *, max_age: float | None = None, refresh: float | None = None
    ) -> str:
        try:
            return "first" if await self.store.aadd(self.key, self.ttl) else "replayed"
        except ReplayStoreFullError:
            return "full"


def check_logout_replay(
    claims: Mapping[str, Any], store: ReplayStore, *, leeway: float, now: float | None = None
) -> Flow[None]:
    """Record a validated logout token's ``iss`` + ``jti``; raise if it was seen before.

    Raises :class:`~py_identity_model.exceptions.LogoutTokenValidationException`
    (``details["reason"]``: ``"replayed"``, or ``"replay_store_full"`` when the store
    refuses to record more).
    """
    issuer, jti, exp = claims.get("iss"), claims.get("jti"), claims.get("exp")
    if not isinstance(issuer, str) or not isinstance(jti, str) or not isinstance(exp, (int, float)):
        raise LogoutTokenValidationException("a logout token needs iss, jti and exp", "payload")
    key = "logout:" + b64url_encode(hashlib.sha256(f"{issuer}\x00{jti}".encode()).digest())
    current = time.time() if now is None else now
    ttl = max(1.0, float(exp) + leeway - current)
    claim = _ReplayClaim(store, key, ttl)
    if isinstance(store, MemoryReplayStore):  # in-process: no step, no driver round trip
        answer = claim.get(_no_runner)
    else:
        answer = yield Fetch(claim)
    if answer == "replayed":
        raise LogoutTokenValidationException(
            "the logout token was already received (replayed jti)",
            "payload",
            details={"claim": "jti", "reason": "replayed"},
        )
    if answer == "full":
        raise LogoutTokenValidationException(
            "the replay store is full; the logout token cannot be recorded (fail closed)",
            "payload",
            details={"claim": "jti", "reason": ErrorCodes.REPLAY_STORE_FULL},
        )


def _no_runner(flow: Any) -> Any:  # pragma: no cover - the in-memory store never runs a flow
    raise AssertionError("a replay claim runs no flow")
