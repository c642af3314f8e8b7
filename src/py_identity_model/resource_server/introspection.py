"""Opaque access tokens: introspection (RFC 7662) with a bounded, single-flight cache.

:class:`IntrospectionSettings` says where to ask and as which client (a
:class:`~py_identity_model.Client`, or the 4.x ``client_id``/``client_secret`` fields).
:class:`IntrospectionCache` keeps one :class:`~py_identity_model.caching.refreshing.RefreshingValue`
per token (keyed by the token's SHA-256), so concurrent requests with the same token cause
one introspection (per event loop for async callers; threads share one), and a repeated
token is answered from memory:

* an **active** answer is kept ``min(max_ttl, exp - now)`` seconds: never past the token's
  ``exp``; without ``exp``, ``max_ttl``;
* an **inactive** answer is kept ``inactive_ttl`` seconds (0 by default: shared by the
  callers that were waiting for it, then asked again), so a token revoked and then presented
  is refused, and a flood of garbage tokens cannot fill the cache with long-lived entries;
* a **failed** introspection (network, 5xx, a bad answer) is never cached nor served stale:
  the waiting callers share that failure, and the resource server answers 503.

Bounded: the least recently added tokens go first.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..caching.refreshing import RefreshingValue
from ..endpoints.client import Client
from ..endpoints.policy import EndpointPolicy, endpoint_policy_of
from ..exceptions import ConfigurationException
from ..http.flow import Flow
from ..http.messages import Fetch
from ..introspection.flow import introspection_flow
from ..introspection.models import TokenIntrospectionRequest, TokenIntrospectionResponse
from ..utils.redaction import redacted_repr

__all__ = ["IntrospectionCache", "IntrospectionSettings"]


@dataclass(frozen=True, repr=False)
class IntrospectionSettings:
    """Where the resource server introspects opaque tokens, and as which client.

    Attributes:
        address: the introspection endpoint (HTTPS except on loopback).
        client: the resource server's own client (``Client("api", ClientSecretBasic(...))``),
            or leave it None and give the 4.x ``client_id`` / ``client_secret``.
        max_ttl: the longest an active answer is reused, in seconds (never past ``exp``).
        inactive_ttl: how long an inactive answer is reused (0: not beyond the callers that
            waited for it).
        max_entries: how many tokens are remembered.
        policy: the endpoint policy (HTTPS except on loopback by default).
    """

    address: str
    client: Client | None = None
    client_id: str | None = None
    client_secret: str | None = field(default=None)
    max_ttl: float = 300.0
    inactive_ttl: float = 0.0
    max_entries: int = 10_000
    policy: EndpointPolicy | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.address, str) or not self.address:
            raise ConfigurationException("introspection needs the endpoint address")
        if self.client is None and not self.client_id:
            raise ConfigurationException("introspection needs client (a Client) or client_id")
        if self.client is not None and (self.client_id or self.client_secret):
            raise ConfigurationException("give client or client_id/client_secret, not both")
        if self.client is not None and not isinstance(self.client, Client):
            raise ConfigurationException("client must be a Client")
        for name in ("max_ttl", "inactive_ttl"):
            value = getattr(self, name)
            if not _seconds(value):
                raise ConfigurationException(f"{name} must be a non-negative number of seconds")
        if isinstance(self.max_entries, bool) or not isinstance(self.max_entries, int):
            raise ConfigurationException("max_entries must be a positive integer")
        if self.max_entries < 1:
            raise ConfigurationException("max_entries must be a positive integer")
        # The address is configuration: a plain-HTTP (not loopback) or malformed one is
        # refused now, before any token is sent there.
        refused = endpoint_policy_of(self.policy).check(self.address, "Introspection endpoint")
        if refused is not None:
            raise ConfigurationException(refused.error or "introspection address refused")

    def request(self, token: str) -> TokenIntrospectionRequest:
        """The introspection request for ``token``."""
        client_id = self.client.client_id if self.client is not None else self.client_id
        assert client_id is not None
        return TokenIntrospectionRequest(
            self.address,
            token,
            client_id,
            "access_token",
            self.client_secret,
            client=self.client,
            policy=self.policy,
        )

    def __repr__(self) -> str:
        return redacted_repr(self)


def _seconds(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


class IntrospectionCache:
    """One single-flight cached introspection per token (see the module)."""

    def __init__(
        self, settings: IntrospectionSettings, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.settings = settings
        self._clock = clock
        self._values: OrderedDict[bytes, RefreshingValue[TokenIntrospectionResponse]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def _lifetime(self, answer: TokenIntrospectionResponse) -> float:
        if not answer.active:
            return float(self.settings.inactive_ttl)
        exp = answer.exp
        ttl = float(self.settings.max_ttl)
        if exp is not None:
            ttl = min(ttl, exp - self._clock())
        return max(ttl, 0.0)

    def value(self, token: str) -> RefreshingValue[TokenIntrospectionResponse]:
        """The cached introspection of ``token`` (created on first use)."""
        digest = hashlib.sha256(token.encode("ascii", "replace")).digest()
        found = self._values.get(digest)
        if found is not None:
            return found
        with self._lock:
            found = self._values.get(digest)
            if found is None:
                settings = self.settings
                found = RefreshingValue(
                    lambda: introspection_flow(settings.request(token)),
                    is_good=lambda answer: answer.is_successful,
                    lifetime=self._lifetime,
                    stale_if_error=0.0,
                )
                self._values[digest] = found
                while len(self._values) > self.settings.max_entries:
                    self._values.popitem(last=False)
        return found

    def flow(self, token: str) -> Flow[TokenIntrospectionResponse]:
        """The answer for ``token``: from the cache, or fetched (single flight) by the driver."""
        value = self.value(token)
        cached = value.peek()
        if cached is not None:
            return cached
        answer: TokenIntrospectionResponse = yield Fetch(value)
        return answer

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"IntrospectionCache({self.settings.address!r}, size={len(self)})"
