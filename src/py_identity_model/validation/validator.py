"""``TokenValidator``: a validator bound to one configuration, owning its caches.

The object that frameworks, the token manager and the CLI reuse: one instance serves
threads (``validate``) and event loops (``avalidate``) at once, through the sync and async
drivers. The validation itself is the flow of :mod:`.operations`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..drivers import split_http_client
from ..drivers.aio import run_async
from ..drivers.sync import run_sync
from ..exceptions import ConfigurationException
from .config import TokenValidationConfig, compiled
from .flow import validation_flow
from .key_source import RemoteKeySource

if TYPE_CHECKING:
    from ..drivers.aio import AsyncHttpClient
    from ..drivers.sync import SyncHttpClient

__all__ = ["TokenValidator"]


class TokenValidator:
    """A validator bound to one configuration, owning its caches: for frameworks and hot paths.

    One object serves threads and event loops at once::

        validator = TokenValidator.for_authority("https://login.example.com", audience="api")
        claims = validator.validate(token)          # sync
        claims = await validator.avalidate(token)   # async

    ``http_client`` is used by the calls of its kind (a sync client by ``validate``, an
    async one by ``avalidate``); the other kind uses the managed default client.
    Raises the same exceptions as :func:`~py_identity_model.validate_token`.
    """

    def __init__(
        self,
        config: TokenValidationConfig,
        *,
        disco_doc_address: str | None = None,
        http_client: SyncHttpClient | AsyncHttpClient | None = None,
    ) -> None:
        self.config = config
        self._cfg = compiled(config)
        self._sync_client, self._async_client = split_http_client(http_client)
        self._source: RemoteKeySource | None = None
        if config.perform_disco:
            if not isinstance(disco_doc_address, str) or not disco_doc_address:
                raise ConfigurationException("perform_disco=True needs disco_doc_address")
            self._source = RemoteKeySource(disco_doc_address, self._cfg.discovery_policy)

    @classmethod
    def for_authority(
        cls,
        authority: str,
        *,
        audience: str | list[str] | None,
        algorithms: list[str] | None = None,
        http_client: SyncHttpClient | AsyncHttpClient | None = None,
        **config: Any,
    ) -> TokenValidator:
        """A discovery-mode validator: issuer and keys come from ``authority``'s metadata."""
        return cls(
            TokenValidationConfig(
                perform_disco=True, audience=audience, algorithms=algorithms, **config
            ),
            disco_doc_address=authority,
            http_client=http_client,
        )

    def validate(self, token: str | bytes) -> dict[str, Any]:
        """Validate and return the claims, or raise a ``TokenValidationException`` subclass."""
        return run_sync(validation_flow(token, self._cfg, self._source), self._sync_client)

    async def avalidate(self, token: str | bytes) -> dict[str, Any]:
        """Async twin of :meth:`validate`."""
        flow = validation_flow(token, self._cfg, self._source)
        return await run_async(flow, self._async_client)

    def invalidate(self) -> None:
        """Forget cached discovery and keys (the next validation fetches them)."""
        if self._source is not None:
            self._source.invalidate()

    def __repr__(self) -> str:
        where = self._source.address if self._source else "static key"
        return f"TokenValidator({where!r}, audiences={list(self._cfg.rules.audiences)!r})"
