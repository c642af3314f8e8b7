"""``httpx.Auth`` for ``httpx.Client`` from the sync token managers.

One core flow (:func:`~py_identity_model.token_management.auth.managed_auth_flow`); this
module answers its token requests with the blocking manager. ``.for_httpx2()`` gives the
same auth as an ``httpx2.Auth`` (the ``[httpx2]`` extra), for clients such as the MCP
Python SDK 2.x that take only httpx2 auth objects.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any

import httpx

from ..exceptions import ConfigurationException
from ..token_management.auth import NeedToken, check_resource_prover, managed_auth_flow
from ..token_management.models import ManagedToken
from .token_management import ClientCredentialsTokenManager, UserTokenManager

__all__ = ["ClientCredentialsAuth", "UserTokenAuth", "drive_auth_flow", "replayable"]


def replayable(request: Any) -> bool:
    """Whether the request's body is in memory (can be sent again)."""
    try:
        request.content  # noqa: B018 - raises RequestNotRead for a stream
    except Exception:
        return False
    return True


def drive_auth_flow(
    request: Any, subject: str, get_token: Callable[[bool], ManagedToken], nonces: dict[str, str]
) -> Generator[Any, Any, None]:
    core = managed_auth_flow(
        request, replayable=replayable(request), subject=subject, nonces=nonces
    )
    value: Any = None
    while True:
        try:
            step = core.send(value)
        except StopIteration:
            return
        if isinstance(step, NeedToken):
            value = get_token(step.force)
        else:
            value = yield step


class _ManagedAuth:
    """What the sync auth classes share (the httpx or httpx2 base comes second)."""

    _subject: str
    _nonces: dict[str, str]

    def _token(self, force: bool) -> ManagedToken:  # pragma: no cover - overridden
        raise NotImplementedError

    def _check_dpop(self, token: ManagedToken) -> ManagedToken:
        if token.dpop_key is not None:
            check_resource_prover(token.dpop_key)
        return token

    def sync_auth_flow(self, request: Any) -> Generator[Any, Any, None]:
        return drive_auth_flow(request, self._subject, self._token, self._nonces)

    async def async_auth_flow(self, request: Any) -> AsyncGenerator[Any, Any]:
        raise ConfigurationException(
            "this auth is for sync clients; use py_identity_model.aio's twin with an AsyncClient"
        )
        yield request  # pragma: no cover - makes this an async generator


class ClientCredentialsAuth(_ManagedAuth, httpx.Auth):
    """``httpx.Auth`` that attaches the manager's token for ``name`` (and renews it on a
    401 ``invalid_token``, once).

    ``httpx.Client(auth=ClientCredentialsAuth(manager, "orders"))``
    """

    def __init__(self, manager: ClientCredentialsTokenManager, name: str) -> None:
        if not isinstance(manager, ClientCredentialsTokenManager):
            raise ConfigurationException(
                "manager must be a py_identity_model.ClientCredentialsTokenManager (use "
                "py_identity_model.aio.ClientCredentialsAuth with the aio manager)"
            )
        manager.cache_key(name)  # an unknown name is refused now, not at the first request
        self._manager = manager
        self._name = self._subject = name
        self._nonces: dict[str, str] = {}

    def _token(self, force: bool) -> ManagedToken:
        return self._check_dpop(self._manager.get_access_token(self._name, force_renewal=force))

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
                "manager must be a py_identity_model.UserTokenManager (use "
                "py_identity_model.aio.UserTokenAuth with the other one)"
            )
        manager.session_key(session_key)  # a bad session key is refused now
        self._manager = manager
        self._session_key = session_key
        self._subject = "session"
        self._nonces: dict[str, str] = {}

    def _token(self, force: bool) -> ManagedToken:
        token = self._manager.get_access_token(self._session_key, force_renewal=force)
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

    def _token(self, force: bool) -> ManagedToken:
        return self._inner._token(force)

    def __repr__(self) -> str:
        return f"{self._inner!r}.for_httpx2()"
