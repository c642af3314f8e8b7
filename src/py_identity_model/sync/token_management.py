"""Sync token management: the managers and their ``httpx.Auth`` for ``httpx.Client``.

Each class is the core of :mod:`py_identity_model.token_management` plus this driver for
its plans: blocking cache calls, ``lock.hold()``, and :func:`run_sync` for token requests.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any, TypeVar

from ..drivers.sync import run_sync
from ..endpoints.client import Client
from ..endpoints.policy import EndpointPolicy, HasEndpointPolicy
from ..revocation.models import TokenRevocationResponse
from ..token_management.cache import TokenCache
from ..token_management.client_credentials import ClientCredentialsCore
from ..token_management.core import Acquire, Load, Plan, Release, Remove, Request, Store
from ..token_management.models import ManagedToken
from ..token_management.user import DEFAULT_SESSION_LIFETIME, UserTokenCore
from ..tokens.models import TokenResponse

if TYPE_CHECKING:
    from ..drivers.sync import SyncHttpClient

__all__ = ["ClientCredentialsTokenManager", "UserTokenManager", "drive_plan"]

T = TypeVar("T")


def _do(op: object, cache: TokenCache, http_client: SyncHttpClient | None) -> Any:
    if isinstance(op, Load):
        return cache.get(op.key)
    if isinstance(op, Store):
        cache.set(op.key, op.value)
        return None
    if isinstance(op, Request):
        return run_sync(op.flow, http_client)
    if isinstance(op, Acquire):
        held = op.lock.hold()
        held.__enter__()
        return op.lock, held  # the lock object stays referenced while held
    if isinstance(op, Release):
        _lock, held = op.handle  # type: ignore[misc]
        held.__exit__(None, None, None)
        return None
    if isinstance(op, Remove):
        cache.delete(op.key)
        return None
    raise TypeError(f"unknown plan step {type(op).__name__}")  # pragma: no cover - a bug


def drive_plan(plan: Plan[T], cache: TokenCache, http_client: SyncHttpClient | None) -> T:
    """Run a token-management plan with blocking calls."""
    step: Generator[Any, Any, T] = plan
    try:
        op = next(step)
        while True:
            try:
                result = _do(op, cache, http_client)
            except BaseException as exc:  # let the plan's finally blocks release its lock
                op = step.throw(exc)
                continue
            op = step.send(result)
    except StopIteration as stop:
        value: T = stop.value
        return value


class ClientCredentialsTokenManager(ClientCredentialsCore):
    """Service tokens, cached and renewed ahead of expiry, one request per cache key.

    Args:
        cache: where tokens live (an :class:`InMemoryTokenCache` by default;
            ``FileTokenCache``, ``RedisTokenCache`` or any :class:`TokenCache`).
        refresh_before_expiry: a token is reused until this many seconds before it expires
            (at most half its lifetime); the first half of that window refreshes in the
            background of one caller and tolerates failure, the second half makes callers
            wait.
        default_lifetime: the lifetime of a token whose response has no ``expires_in``.
        http_client: the client for token requests (the managed default one if None).
    """

    def __init__(
        self,
        cache: TokenCache | None = None,
        *,
        refresh_before_expiry: float = 60.0,
        default_lifetime: float = 3600.0,
        http_client: SyncHttpClient | None = None,
    ) -> None:
        super().__init__(
            cache, refresh_before_expiry=refresh_before_expiry, default_lifetime=default_lifetime
        )
        self._http_client = http_client

    def get_access_token(self, name: str, *, force_renewal: bool = False) -> ManagedToken:
        """A valid access token for the client registered as ``name``.

        Raises :class:`~py_identity_model.TokenRequestException` (with the server's
        ``error``) when no token can be had, and ``ConfigurationException`` for an
        unknown name. ``force_renewal`` asks for a new token (concurrent callers share it).
        """
        if not force_renewal:
            token = self._warm(name)
            if token is not None:
                return token
        return drive_plan(self._plan(name, force_renewal), self._cache, self._http_client)


class UserTokenManager(UserTokenCore):
    """Access and refresh tokens of user sessions, refreshed ahead of expiry.

    Args:
        token_endpoint: where refresh tokens are redeemed.
        client: the client the tokens were issued to (``Client(id, auth, dpop=key)``).
        cache: where sessions live (in memory by default; ``RedisTokenCache`` shares them
            between instances and keeps refreshes single-flight across processes).
        revocation_endpoint: revoke the refresh token at :meth:`logout` (RFC 7009).
        refresh_before_expiry: as for :class:`ClientCredentialsTokenManager`.
        default_lifetime: the lifetime of an access token without ``expires_in``.
        session_lifetime: how long a session with a refresh token is kept.
        policy: the endpoint policy of the token and revocation endpoints.
        http_client: the client for token and revocation requests.
    """

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
        http_client: SyncHttpClient | None = None,
    ) -> None:
        super().__init__(
            token_endpoint,
            client,
            cache,
            revocation_endpoint=revocation_endpoint,
            refresh_before_expiry=refresh_before_expiry,
            default_lifetime=default_lifetime,
            session_lifetime=session_lifetime,
            policy=policy,
        )
        self._http_client = http_client

    def store_tokens(self, session_key: str, response: TokenResponse) -> ManagedToken:
        """Keep the tokens of a login (an authorization-code or device-flow response)."""
        return drive_plan(self._store_plan(session_key, response), self._cache, self._http_client)

    def get_access_token(self, session_key: str, *, force_renewal: bool = False) -> ManagedToken:
        """A valid access token for the session, refreshed when due (once for all callers).

        Raises :class:`~py_identity_model.TokenRequestException`; ``relogin_required`` when
        the user must sign in again (``invalid_grant``, no refresh token, unknown session).
        """
        return drive_plan(self._plan(session_key, force_renewal), self._cache, self._http_client)

    def logout(self, session_key: str) -> TokenRevocationResponse | None:
        """Forget the session and revoke its refresh token (None: nothing to revoke)."""
        return drive_plan(self._logout_plan(session_key), self._cache, self._http_client)
