"""User tokens (web apps, CLIs, agents): the core of ``UserTokenManager``.

A session key (yours: a session id, a user id, ``"default"`` for a CLI) maps to one
stored entry with the access token, the refresh token and the ID token. The access token
is refreshed ahead of expiry with the same windows and single flight as service tokens;
the lock is per session, so one refresh token is never spent twice, in this process or
(with a shared cache such as Redis) in any other: a server that rotates refresh tokens
never sees a replay. The rotated refresh token is kept, or the old one when the server
does not rotate. ``invalid_grant``, a missing refresh token or an unknown session raise a
:class:`~py_identity_model.exceptions.TokenRequestException` with ``relogin_required``
(and the session is forgotten). ``logout`` revokes the refresh token (RFC 7009) when the
server has a revocation endpoint.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ..endpoints.client import Client, DPoPProver
from ..endpoints.policy import EndpointPolicy, HasEndpointPolicy
from ..errors import ErrorCodes
from ..exceptions import ConfigurationException, TokenRequestException
from ..http.flow import Flow
from ..revocation.flow import revocation_flow
from ..revocation.models import TokenRevocationRequest, TokenRevocationResponse
from ..tokens.flow import token_request_flow
from ..tokens.models import RefreshTokenRequest, RefreshTokenResponse, TokenResponse
from ..utils.logsafe import printable
from .cache import TokenCache
from .core import (
    Load,
    Plan,
    Remove,
    Request,
    RetrievalCore,
    Stage,
    Store,
    check_seconds,
    exception_from as _exception_from,
)
from .events import TokenEventName, emit
from .keys import session_cache_key
from .models import CachedToken, ManagedToken

__all__ = ["UserTokenCore"]

_RELOGIN = frozenset({"invalid_grant"})
DEFAULT_SESSION_LIFETIME = 30 * 24 * 3600.0


def _relogin(code: str, message: str, endpoint: str) -> TokenRequestException:
    return TokenRequestException(message, error_code=code, url=endpoint, relogin_required=True)


class UserTokenCore(RetrievalCore):
    """Sessions of one client at one token endpoint, and the plans that serve them."""

    def __init__(
        self,
        token_endpoint: str,
        client: Client,
        cache: TokenCache | None = None,
        *,
        revocation_endpoint: str | None = None,
        refresh_before_expiry: float = 60.0,
        default_lifetime: float = 3600.0,
        session_lifetime: float = DEFAULT_SESSION_LIFETIME,
        policy: EndpointPolicy | HasEndpointPolicy | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(cache, refresh_before_expiry=refresh_before_expiry, clock=clock)
        if not isinstance(token_endpoint, str) or not token_endpoint:
            raise ConfigurationException("token_endpoint is required")
        if not isinstance(client, Client):
            raise ConfigurationException("client must be a Client (its id and authentication)")
        if revocation_endpoint is not None and not isinstance(revocation_endpoint, str):
            raise ConfigurationException("revocation_endpoint must be a URL string")
        self._endpoint = token_endpoint
        self._client = client
        self._revocation_endpoint = revocation_endpoint
        self._default_lifetime = check_seconds(default_lifetime, "default_lifetime", positive=True)
        self._session_lifetime = check_seconds(session_lifetime, "session_lifetime", positive=True)
        self._policy = policy
        self._namespace = f"{token_endpoint}\n{client.client_id}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self._endpoint!r}, client_id={self._client.client_id!r}, "
            f"cache={self._cache!r})"
        )

    @property
    def dpop_key(self) -> DPoPProver | None:
        return self._client.dpop

    def session_key(self, session_key: str) -> str:
        """The cache key of a session (the session key itself is hashed)."""
        if not isinstance(session_key, str) or not session_key:
            raise ConfigurationException("session_key must be a non-empty string")
        return session_cache_key(self._namespace, session_key)

    # ------------------------------------------------------------------------ entries
    def _entry(
        self, response: TokenResponse, previous: CachedToken | None
    ) -> CachedToken | TokenRequestException:
        if not response.is_successful or response.access_token is None:
            return _exception_from(
                response, subject="session", endpoint=self._endpoint, relogin_codes=_RELOGIN
            )
        now = self._clock()
        lifetime = response.expires_in
        refresh = response.refresh_token or (previous.refresh_token if previous else None)
        return CachedToken(
            response.access_token,
            response.token_type or "Bearer",
            now + (self._default_lifetime if lifetime is None else lifetime),
            now,
            self._endpoint,
            scope=response.scope or (previous.scope if previous else None),
            refresh_token=refresh,
            id_token=response.id_token or (previous.id_token if previous else None),
            keep_until=now + self._session_lifetime if refresh else None,
        )

    def _store_plan(self, session_key: str, response: TokenResponse) -> Plan[ManagedToken]:
        if not isinstance(response, TokenResponse):
            raise ConfigurationException("store a TokenResponse (the login's token response)")
        if not response.is_successful:
            raise ConfigurationException("only a successful token response can be stored")
        key = self.session_key(session_key)
        entry = self._entry(response, None)
        assert isinstance(entry, CachedToken)  # successful: checked above
        yield Store(key, entry)
        return entry.managed(self.dpop_key)

    # ---------------------------------------------------------------------- retrieval
    def _refresh_request(self, refresh_token: str) -> RefreshTokenRequest:
        return RefreshTokenRequest(
            self._endpoint,
            self._client.client_id,
            refresh_token,
            client=self._client,
            policy=self._policy,
        )

    def _plan(self, session_key: str, force_renewal: bool) -> Plan[ManagedToken]:
        key = self.session_key(session_key)
        seen: CachedToken | None = yield Load(key)
        if seen is None:
            raise _relogin(
                ErrorCodes.UNKNOWN_SESSION,
                "No tokens are stored for this session: sign in again",
                self._endpoint,
            )
        stage = self._windows.stage(seen, self._clock())
        tolerate: CachedToken | None = None
        if force_renewal:
            emit(TokenEventName.RENEWAL_FORCED, "session")
        elif stage is Stage.FRESH:
            emit(TokenEventName.CACHE_HIT, "session")
            return seen.managed(self.dpop_key)
        elif stage is Stage.EARLY:
            if not self._claim(key):
                return seen.managed(self.dpop_key)
            tolerate = seen
        else:
            emit(TokenEventName.CACHE_MISS, "session")
        try:
            entry = yield from self._refresh(
                key,
                subject="session",
                seen=seen,
                tolerate=tolerate,
                fetch=self._fetch,
                settle=self._entry,
            )
        except TokenRequestException as exc:
            if exc.relogin_required:
                yield Remove(key)  # the refresh token is dead: forget the session
            raise
        finally:
            if tolerate is not None:
                self._unclaim(key)
        return entry.managed(self.dpop_key)

    def _fetch(self, current: CachedToken | None) -> Flow[TokenResponse] | TokenRequestException:
        if current is None:
            return _relogin(
                ErrorCodes.UNKNOWN_SESSION,
                "No tokens are stored for this session: sign in again",
                self._endpoint,
            )
        if not current.refresh_token:
            return _relogin(
                ErrorCodes.NO_REFRESH_TOKEN,
                "The session has no refresh token: sign in again",
                self._endpoint,
            )
        request = self._refresh_request(current.refresh_token)
        return token_request_flow(request, RefreshTokenResponse)

    def _logout_plan(self, session_key: str) -> Plan[TokenRevocationResponse | None]:
        key = self.session_key(session_key)
        entry: CachedToken | None = yield Load(key)
        yield Remove(key)
        if entry is None or not entry.refresh_token or self._revocation_endpoint is None:
            return None
        request = TokenRevocationRequest(
            self._revocation_endpoint,
            entry.refresh_token,
            self._client.client_id,
            "refresh_token",
            client=self._client,
            policy=self._policy,
        )
        response: TokenRevocationResponse = yield Request(revocation_flow(request))
        if not response.is_successful:
            from .._logging import get_logger

            get_logger("token_management").warning(
                "Revoking the refresh token at logout failed (%s)",
                printable(response.error_code or response.error),
            )
        return response
