"""``httpx.Auth`` for ``httpx.AsyncClient`` from the async token managers.

The same core flow as :mod:`py_identity_model.sync.token_auth`, its token requests
awaited. ``.for_httpx2()`` gives it as an ``httpx2.Auth`` (the ``[httpx2]`` extra).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from typing import Any

import httpx

from ..exceptions import ConfigurationException
from ..token_management.auth import NeedToken, check_resource_prover, managed_auth_flow
from ..token_management.models import ManagedToken
from .token_management import ClientCredentialsTokenManager, UserTokenManager

__all__ = ["ClientCredentialsAuth", "UserTokenAuth", "drive_auth_flow"]


def _replayable(request: Any) -> bool:
    try:
        request.content  # noqa: B018 - raises RequestNotRead for a stream
    except Exception:
        return False
    return True


async def drive_auth_flow(
    request: Any,
    subject: str,
    get_token: Callable[[bool], Awaitable[ManagedToken]],
    nonces: dict[str, str],
) -> AsyncGenerator[Any, Any]:
    core = managed_auth_flow(
        request, replayable=_replayable(request), subject=subject, nonces=nonces
    )
    value: Any = None
    while True:
        try:
            step = core.send(value)
        except StopIteration:
            return
        if isinstance(step, NeedToken):
            value = await get_token(step.force)
        else:
            value = yield step


class _ManagedAuth:
    """What the async auth classes share (the httpx or httpx2 base comes second)."""

    _subject: str
    _nonces: dict[str, str]

    async def _token(self, force: bool) -> ManagedToken:  # pragma: no cover - overridden
        raise NotImplementedError

    def _check_dpop(self, token: ManagedToken) -> ManagedToken:
        if token.dpop_key is not None:
            check_resource_prover(token.dpop_key)
        return token

    def sync_auth_flow(self, request: Any) -> Generator[Any, Any, None]:
        raise ConfigurationException(
            "this auth is for async clients; use py_identity_model's twin with a sync Client"
        )

    def async_auth_flow(self, request: Any) -> AsyncGenerator[Any, Any]:
        return drive_auth_flow(request, self._subject, self._token, self._nonces)


class ClientCredentialsAuth(_ManagedAuth, httpx.Auth):
    """The async twin of :class:`py_identity_model.ClientCredentialsAuth`.

    ``httpx.AsyncClient(auth=ClientCredentialsAuth(manager, "orders"))``
    """

    def __init__(self, manager: ClientCredentialsTokenManager, name: str) -> None:
        if not isinstance(manager, ClientCredentialsTokenManager):
            raise ConfigurationException(
                "manager must be a py_identity_model.aio.ClientCredentialsTokenManager (use "
                "py_identity_model.ClientCredentialsAuth with the sync manager)"
            )
        manager.cache_key(name)  # an unknown name is refused now, not at the first request
        self._manager = manager
        self._name = self._subject = name
        self._nonces: dict[str, str] = {}

    async def _token(self, force: bool) -> ManagedToken:
        token = await self._manager.get_access_token(self._name, force_renewal=force)
        return self._check_dpop(token)

    def for_httpx2(self) -> Any:
        """The same auth as an ``httpx2.Auth`` (needs the ``[httpx2]`` extra)."""
        return _httpx2_twin(self)

    def __repr__(self) -> str:
        return f"ClientCredentialsAuth(name={self._name!r})"


class UserTokenAuth(_ManagedAuth, httpx.Auth):
    """``httpx.Auth`` with the access token of one user session (refreshed when due, and
    renewed once on a 401 ``invalid_token``).

    A :class:`~py_identity_model.TokenRequestException` with ``relogin_required`` comes
    out of the request when the user must sign in again.
    """

    def __init__(self, manager: UserTokenManager, session_key: str) -> None:
        if not isinstance(manager, UserTokenManager):
            raise ConfigurationException(
                "manager must be a py_identity_model.aio.UserTokenManager (use "
                "py_identity_model.UserTokenAuth with the other one)"
            )
        manager.session_key(session_key)  # a bad session key is refused now
        self._manager = manager
        self._session_key = session_key
        self._subject = "session"
        self._nonces: dict[str, str] = {}

    async def _token(self, force: bool) -> ManagedToken:
        token = await self._manager.get_access_token(self._session_key, force_renewal=force)
        return self._check_dpop(token)

    def for_httpx2(self) -> Any:
        """The same auth as an ``httpx2.Auth`` (needs the ``[httpx2]`` extra)."""
        return _httpx2_twin(self)

    def __repr__(self) -> str:
        return "UserTokenAuth(session=[redacted])"


_twins: dict[type, type] = {}


def _httpx2_twin(auth: _ManagedAuth) -> Any:
    try:
        import httpx2
    except ImportError:
        raise ConfigurationException(
            "for_httpx2() needs httpx2: pip install 'py-identity-model[httpx2]'"
        ) from None
    cls = type(auth)
    twin = _twins.get(cls)
    if twin is None:
        twin = _twins[cls] = type(f"{cls.__name__}Httpx2", (_Httpx2Auth, httpx2.Auth), {})
    made: Any = object.__new__(twin)
    made._inner = auth
    made._subject = auth._subject
    made._nonces = auth._nonces
    return made


class _Httpx2Auth(_ManagedAuth):
    _inner: _ManagedAuth

    async def _token(self, force: bool) -> ManagedToken:
        return await self._inner._token(force)

    def __repr__(self) -> str:
        return f"{self._inner!r}.for_httpx2()"
