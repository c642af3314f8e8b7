"""Where remote signing keys come from: discovery → ``jwks_uri`` → JWKS, each cached.

A :class:`RemoteKeySource` owns the caches of one authority. ``validate_token`` shares
sources between calls through a small bounded registry, so every call with the same
discovery address (and policy) reuses the same warm caches; a :class:`TokenValidator`
owns its own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import astuple

from ..caching.cache_control import cache_lifetime
from ..caching.refreshing import RefreshingValue
from ..discovery.cache import DiscoveryCache
from ..discovery.models import DiscoveryPolicy
from ..jwks.document import jwks_flow
from ..jwks.models import JwksRequest, JwksResponse
from ..options import get_options

__all__ = ["RemoteKeySource", "shared_key_source"]


class RemoteKeySource:
    """The discovery document and JWKS of one authority, cached with single-flight."""

    def __init__(self, disco_doc_address: str, policy: DiscoveryPolicy | None = None) -> None:
        self.policy = policy or DiscoveryPolicy()
        self.discovery = DiscoveryCache(disco_doc_address, policy=self.policy)
        self._jwks: dict[str, RefreshingValue[JwksResponse]] = {}
        self._lock = threading.Lock()

    def jwks(self, jwks_uri: str) -> RefreshingValue[JwksResponse]:
        """The cached key set at ``jwks_uri`` (created on first use)."""
        source = self._jwks.get(jwks_uri)
        if source is None:
            with self._lock:
                source = self._jwks.get(jwks_uri)
                if source is None:
                    source = self._jwks[jwks_uri] = self._new_jwks_source(jwks_uri)
        return source

    def _new_jwks_source(self, jwks_uri: str) -> RefreshingValue[JwksResponse]:
        options = get_options()
        request = JwksRequest(jwks_uri, self.policy)
        return RefreshingValue(
            lambda: jwks_flow(request),
            is_good=lambda response: response.is_successful,
            lifetime=lambda response: cache_lifetime(
                response.headers,
                default=options.jwks_cache_duration,
                minimum=options.min_cache_duration,
                maximum=options.max_cache_duration,
            ),
            stale_if_error=options.stale_if_error,
        )

    def invalidate(self) -> None:
        """Forget the cached discovery document and keys."""
        self.discovery.invalidate()
        for source in list(self._jwks.values()):
            source.invalidate()

    def __repr__(self) -> str:
        return f"RemoteKeySource({self.discovery.request.address!r})"


_MAX_SHARED = 64
_shared: OrderedDict[tuple[object, ...], RemoteKeySource] = OrderedDict()
_shared_lock = threading.Lock()


def _policy_key(policy: DiscoveryPolicy) -> tuple[object, ...]:
    return tuple(tuple(v) if isinstance(v, (list, set, frozenset)) else v for v in astuple(policy))


def shared_key_source(disco_doc_address: str, policy: DiscoveryPolicy) -> RemoteKeySource:
    """The process-wide source for this address and policy (LRU-bounded)."""
    key = (disco_doc_address, _policy_key(policy))
    with _shared_lock:
        source = _shared.get(key)
        if source is not None:
            _shared.move_to_end(key)
            return source
        source = _shared[key] = RemoteKeySource(disco_doc_address, policy)
        while len(_shared) > _MAX_SHARED:
            _shared.popitem(last=False)
        return source


def clear_shared_key_sources() -> None:
    """Forget every shared source (tests; after rotating an authority's configuration)."""
    with _shared_lock:
        _shared.clear()
