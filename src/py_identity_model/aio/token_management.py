"""Async token management: the managers and their ``httpx.Auth`` for ``httpx.AsyncClient``.

The same cores as :mod:`py_identity_model.sync.token_management`, driven with ``await``:
async cache calls, ``lock.ahold(driver)`` (the driver lends one asyncio lock per event
loop) and :func:`run_async` for token requests.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any, TypeVar

from ..drivers.aio import run_async, runner
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
    from ..drivers.aio import AsyncHttpClient

__all__ = ["ClientCredentialsTokenManager", "UserTokenManager", "drive_plan"]

T = TypeVar("T")


async def _do(op: object, cache: TokenCache, http_client: AsyncHttpClient | None) -> Any:
    if isinstance(op, Load):
        return await cache.aget(op.key)
    if isinstance(op, Store):
        await cache.aset(op.key, op.value)
        return None
    if isinstance(op, Request):
        return await run_async(op.flow, http_client)
    if isinstance(op, Acquire):
        held = op.lock.ahold(runner(http_client))
        await held.__aenter__()
        return op.lock, held  # the lock object stays referenced while held
    if isinstance(op, Release):
        _lock, held = op.handle  # type: ignore[misc]
        await held.__aexit__(None, None, None)
        return None
    if isinstance(op, Remove):
        await cache.adelete(op.key)
        return None
    raise TypeError(f"unknown plan step {type(op).__name__}")  # pragma: no cover - a bug


async def drive_plan(plan: Plan[T], cache: TokenCache, http_client: AsyncHttpClient | None) -> T:
    """Run a token-management plan without blocking the event loop."""
    step: Generator[Any, Any, T] = plan
    try:
        op = next(step)
        while True:
            try:
                result = await _do(op, cache, http_client)
            except BaseException as exc:  # a cancellation too: the plan releases its lock
                op = step.throw(exc)
                continue
            op = step.send(result)
    except StopIteration as stop:
        value: T = stop.value
        return value


class ClientCredentialsTokenManager(ClientCredentialsCore):
    """The async twin of :class:`py_identity_model.ClientCredentialsTokenManager`."""

    def __init__(
        self,
        cache: TokenCache | None = None,
        *,
        refresh_before_expiry: float = 60.0,
        default_lifetime: float = 3600.0,
        http_client: AsyncHttpClient | None = None,
    ) -> None:
        super().__init__(
            cache, refresh_before_expiry=refresh_before_expiry, default_lifetime=default_lifetime
        )
        self._http_client = http_client

    async def get_access_token(self, name: str, *, force_renewal: bool = False) -> ManagedToken:
        """A valid access token for ``name`` (see the sync manager); raises
        :class:`~py_identity_model.TokenRequestException` when none can be had."""
        if not force_renewal:
            token = self._warm(name)
            if token is not None:
                return token
        return await drive_plan(self._plan(name, force_renewal), self._cache, self._http_client)


class UserTokenManager(UserTokenCore):
    """The async twin of :class:`py_identity_model.UserTokenManager`."""

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
        http_client: AsyncHttpClient | None = None,
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

    async def store_tokens(self, session_key: str, response: TokenResponse) -> ManagedToken:
        """Keep the tokens of a login (an authorization-code or device-flow response)."""
        plan = self._store_plan(session_key, response)
        return await drive_plan(plan, self._cache, self._http_client)

    async def get_access_token(
        self, session_key: str, *, force_renewal: bool = False
    ) -> ManagedToken:
        """A valid access token for the session (see the sync manager)."""
        plan = self._plan(session_key, force_renewal)
        return await drive_plan(plan, self._cache, self._http_client)

    async def logout(self, session_key: str) -> TokenRevocationResponse | None:
        """Forget the session and revoke its refresh token (None: nothing to revoke)."""
        return await drive_plan(self._logout_plan(session_key), self._cache, self._http_client)
