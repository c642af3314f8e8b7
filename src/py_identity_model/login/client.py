"""``OidcClient``: log users in with the authorization code flow + PKCE (OidcClient-style)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..drivers import split_http_client
from ..drivers.aio import run_async
from ..drivers.sync import run_sync
from ..exceptions import ConfigurationException
from ..validation.key_source import RemoteKeySource
from .flows import prepare_login_flow, process_response_flow
from .models import AuthorizeState, LoginResult, OidcClientOptions

if TYPE_CHECKING:
    from ..drivers.aio import AsyncHttpClient
    from ..drivers.sync import SyncHttpClient

__all__ = ["OidcClient"]


class OidcClient:
    """An OpenID Connect relying party for one provider and client, sync and async.

    ::

        client = OidcClient(OidcClientOptions(authority, "my-app", "https://app/callback"))
        login = client.prepare_login()        # keep `login` in the session; redirect to login.url
        result = client.process_response(callback_url, login)
        if result.is_successful:
            user = result.principal

    The ID token signature is always verified (keys from the provider's JWKS), as are
    ``iss``, ``aud``, ``exp``, ``nonce`` and ``at_hash``; ``state`` is compared in constant
    time and the RFC 9207 ``iss`` response parameter is required when the provider
    advertises it. The object owns its discovery and JWKS caches; it is safe to share.
    """

    def __init__(
        self,
        options: OidcClientOptions,
        *,
        http_client: SyncHttpClient | AsyncHttpClient | None = None,
    ) -> None:
        if not isinstance(options, OidcClientOptions):
            raise ConfigurationException("options must be an OidcClientOptions")
        self.options = options
        self._sync_client, self._async_client = split_http_client(http_client)
        self._source = RemoteKeySource(options.authority, options.discovery_policy)

    def prepare_login(self, **extra: Any) -> AuthorizeState:
        """The authorize URL and the state to keep; ``extra`` adds authorize parameters."""
        return run_sync(
            prepare_login_flow(self.options, self._source, dict(extra)), self._sync_client
        )

    async def aprepare_login(self, **extra: Any) -> AuthorizeState:
        """Async twin of :meth:`prepare_login`."""
        return await run_async(
            prepare_login_flow(self.options, self._source, dict(extra)), self._async_client
        )

    def process_response(self, callback: str | bytes, state: AuthorizeState) -> LoginResult:
        """Finish the login from the callback URL (or form_post body)."""
        return run_sync(
            process_response_flow(self.options, self._source, callback, state), self._sync_client
        )

    async def aprocess_response(self, callback: str | bytes, state: AuthorizeState) -> LoginResult:
        """Async twin of :meth:`process_response`."""
        flow = process_response_flow(self.options, self._source, callback, state)
        return await run_async(flow, self._async_client)

    def __repr__(self) -> str:
        return f"OidcClient({self.options.authority!r}, client_id={self.options.client_id!r})"
