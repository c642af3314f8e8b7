"""Where remote signing keys come from: discovery → ``jwks_uri`` → JWKS, each cached.

A :class:`RemoteKeySource` owns the caches of one authority (pure: refreshing values that
the validation flow ``Fetch``\\es through whichever driver runs it). ``validate_token``
shares sources between calls through a small bounded registry, so every call with the same
discovery address (and policy) reuses the same warm caches; a ``TokenValidator`` owns its
own. Every map here is keyed by caller or server input and is bounded.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import astuple

from ..caching.refreshing import RefreshingValue
from ..discovery.cached import discovery_value
from ..discovery.document import prepare_discovery_request
from ..discovery.models import DiscoveryDocumentRequest, DiscoveryDocumentResponse, DiscoveryPolicy
from ..errors import ErrorCodes
from ..exceptions import ConfigurationException, DiscoveryHTTPSRequiredError
from ..jwks.cached import jwks_value
from ..jwks.models import JwksRequest, JwksResponse

__all__ = ["RemoteKeySource", "clear_shared_key_sources", "shared_key_source"]

_MAX_KEY_SETS = 8  # per authority: one jwks_uri in practice, a few across rotations
_MAX_SHARED = 64


class RemoteKeySource:
    """The discovery document and JWKS of one authority, cached with single-flight."""

    def __init__(self, disco_doc_address: str, policy: DiscoveryPolicy | None = None) -> None:
        self.address = disco_doc_address
        self.policy = policy or DiscoveryPolicy()
        request = DiscoveryDocumentRequest(disco_doc_address, self.policy)
        _check_configured_address(request)
        self.discovery: RefreshingValue[DiscoveryDocumentResponse] = discovery_value(request)
        self._jwks: OrderedDict[str, RefreshingValue[JwksResponse]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def key_sets(self) -> Mapping[str, RefreshingValue[JwksResponse]]:
        """The key sets created so far, by ``jwks_uri`` (read-only view for the warm path)."""
        return self._jwks

    def jwks(self, jwks_uri: str) -> RefreshingValue[JwksResponse]:
        """The cached key set at ``jwks_uri`` (created on first use; bounded LRU)."""
        source = self._jwks.get(jwks_uri)
        if source is not None:
            return source  # one dictionary look-up, no lock
        with self._lock:
            source = self._jwks.get(jwks_uri)
            if source is None:
                source = self._jwks[jwks_uri] = jwks_value(JwksRequest(jwks_uri, self.policy))
                while len(self._jwks) > _MAX_KEY_SETS:
                    self._jwks.popitem(last=False)
        return source

    def invalidate(self) -> None:
        """Forget the cached discovery document and keys."""
        self.discovery.invalidate()
        with self._lock:
            sources = list(self._jwks.values())
        for source in sources:
            source.invalidate()

    def __repr__(self) -> str:
        return f"RemoteKeySource({self.address!r})"


_shared: OrderedDict[tuple[object, ...], RemoteKeySource] = OrderedDict()
_shared_lock = threading.Lock()


def _check_configured_address(request: DiscoveryDocumentRequest) -> None:
    # The address is the caller's configuration, not server input: a malformed or plain-HTTP
    # one is misuse, raised where the validator or login client is built, not per token.
    refused = prepare_discovery_request(request)
    if not isinstance(refused, DiscoveryDocumentResponse):
        return
    message = refused.error or "Discovery address is not usable"
    if refused.error_code == ErrorCodes.HTTPS_REQUIRED:
        raise DiscoveryHTTPSRequiredError(message)
    raise ConfigurationException(message)


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
