"""Service tokens (``client_credentials``, RFC 6749 §4.4): the manager's core.

The sync :class:`~py_identity_model.sync.token_management.ClientCredentialsTokenManager`
and its ``aio`` twin are this class plus a driver for its plans.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..endpoints.client import Client, DPoPProver
from ..exceptions import ConfigurationException, TokenRequestException
from ..http.flow import Flow
from ..tokens.flow import token_request_flow
from ..tokens.models import (
    ClientCredentialsTokenRequest,
    ClientCredentialsTokenResponse,
    TokenResponse,
)
from .cache import TokenCache
from .core import Plan, RetrievalCore, Stage, check_seconds, exception_from
from .events import TokenEventName, emit
from .keys import request_cache_key
from .models import CachedToken, ManagedToken

__all__ = ["ClientCredentialsCore", "Registration"]

_NO_RELOGIN: frozenset[str] = frozenset()


@dataclass(eq=False, repr=False)
class Registration:
    """A named client: its request, resolved client and cache key."""

    name: str
    request: ClientCredentialsTokenRequest
    client: Client
    key: str
    dpop_key: DPoPProver | None
    # The last entry served and its ManagedToken, so the warm path allocates nothing.
    last_entry: CachedToken | None = field(default=None)
    last_token: ManagedToken | None = field(default=None)
    refresh_at: float = float("-inf")

    def __repr__(self) -> str:
        return f"Registration({self.name!r}, client_id={self.client.client_id!r})"


class ClientCredentialsCore(RetrievalCore):
    """Named clients, their cached tokens, and the plan that gets one."""

    def __init__(
        self,
        cache: TokenCache | None = None,
        *,
        refresh_before_expiry: float = 60.0,
        default_lifetime: float = 3600.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(cache, refresh_before_expiry=refresh_before_expiry, clock=clock)
        self._default_lifetime = check_seconds(default_lifetime, "default_lifetime", positive=True)
        self._clients: dict[str, Registration] = {}
        self._clients_guard = threading.Lock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(clients={sorted(self._clients)!r}, cache={self._cache!r})"

    # ------------------------------------------------------------------ registration
    def add_client(self, name: str, request: ClientCredentialsTokenRequest) -> None:
        """Register ``request`` as ``name`` (any client authentication, scope, resources,
        extra parameters, a DPoP key through ``client=Client(..., dpop=key)``).

        Misuse (an unknown request type, contradictory credentials, a name taken by
        another request) raises :class:`~py_identity_model.ConfigurationException` here,
        before any request.
        """
        if not isinstance(name, str) or not name:
            raise ConfigurationException("name must be a non-empty string")
        if not isinstance(request, ClientCredentialsTokenRequest):
            raise ConfigurationException("request must be a ClientCredentialsTokenRequest")
        client = request.resolved_client()  # misuse raises here
        key = request_cache_key(request, client)
        registration = Registration(name, request, client, key, client.dpop)
        with self._clients_guard:
            existing = self._clients.get(name)
            if existing is not None and existing.key != key:
                raise ConfigurationException(
                    f"a different client is already registered as {name!r}"
                )
            if existing is None:
                self._clients[name] = registration

    def cache_key(self, name: str) -> str:
        """The cache key of a registered client (a SHA-256 hex digest; no secret in it)."""
        return self._registration(name).key

    def _registration(self, name: str) -> Registration:
        registration = self._clients.get(name)
        if registration is None:
            raise ConfigurationException(f"no client registered as {name!r}; use add_client")
        return registration

    # ----------------------------------------------------------------------- retrieval
    def _warm(self, name: str) -> ManagedToken | None:
        """The cached token if fresh: no lock, no I/O, no allocation when unchanged."""
        registration = self._clients.get(name)
        if registration is None:
            raise ConfigurationException(f"no client registered as {name!r}; use add_client")
        entry = self._cache.peek(registration.key)
        if entry is None:
            return None
        if entry is registration.last_entry:
            if self._clock() < registration.refresh_at:
                emit(TokenEventName.CACHE_HIT, name)
                return registration.last_token
            return None
        if self._windows.stage(entry, self._clock()) is not Stage.FRESH:
            return None
        emit(TokenEventName.CACHE_HIT, name)
        return self._served(registration, entry)

    def _served(self, registration: Registration, entry: CachedToken) -> ManagedToken:
        if entry is registration.last_entry and registration.last_token is not None:
            return registration.last_token
        token = entry.managed(registration.dpop_key)
        registration.last_token = token
        registration.refresh_at = self._windows.refresh_at(entry)
        registration.last_entry = entry
        return token

    def _plan(self, name: str, force_renewal: bool) -> Plan[ManagedToken]:
        """Get a token for ``name``: from the cache, or with one request for all callers."""
        from .core import Load

        registration = self._registration(name)
        key = registration.key
        seen: CachedToken | None = yield Load(key)
        stage = self._windows.stage(seen, self._clock())
        if force_renewal:
            emit(TokenEventName.RENEWAL_FORCED, name)
        elif seen is not None and stage is Stage.FRESH:
            emit(TokenEventName.CACHE_HIT, name)
            return self._served(registration, seen)
        elif seen is not None and stage is Stage.EARLY:
            if not self._claim(key):
                emit(TokenEventName.CACHE_HIT, name)
                return self._served(registration, seen)  # another caller is refreshing
            try:
                entry = yield from self._refresh_client(registration, seen, tolerate=seen)
            finally:
                self._unclaim(key)
            return self._served(registration, entry)
        else:
            emit(TokenEventName.CACHE_MISS, name)
        entry = yield from self._refresh_client(registration, seen, tolerate=None)
        return self._served(registration, entry)

    def _refresh_client(
        self, registration: Registration, seen: CachedToken | None, *, tolerate: CachedToken | None
    ) -> Plan[CachedToken]:
        def fetch(_current: CachedToken | None) -> Flow[TokenResponse]:
            return token_request_flow(registration.request, ClientCredentialsTokenResponse)

        def settle(
            response: TokenResponse, _current: CachedToken | None
        ) -> CachedToken | TokenRequestException:
            return self._entry_from(registration, response)

        return (
            yield from self._refresh(
                registration.key,
                subject=registration.name,
                seen=seen,
                tolerate=tolerate,
                fetch=fetch,
                settle=settle,
            )
        )

    def _entry_from(
        self, registration: Registration, response: TokenResponse
    ) -> CachedToken | TokenRequestException:
        endpoint = registration.request.address
        if not response.is_successful or response.access_token is None:
            return exception_from(
                response, subject=registration.name, endpoint=endpoint, relogin_codes=_NO_RELOGIN
            )
        now = self._clock()
        lifetime = response.expires_in  # absolute from here on, on the manager's clock
        return CachedToken(
            response.access_token,
            response.token_type or "Bearer",
            now + (self._default_lifetime if lifetime is None else lifetime),
            now,
            endpoint,
            scope=response.scope or registration.request.scope,
        )
