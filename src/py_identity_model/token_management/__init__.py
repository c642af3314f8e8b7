"""Token management: service tokens kept fresh, user tokens refreshed, shared caches.

The core of :class:`~py_identity_model.sync.token_management.ClientCredentialsTokenManager`,
:class:`~py_identity_model.sync.token_management.UserTokenManager` and their ``aio`` twins:
cache keys, stored values with absolute expiry, the :class:`~.cache.TokenCache` protocol and
its in-memory and file implementations, and the retrieval logic (early refresh, the hard
window, single flight) written once as a generator that both shells drive. No I/O here:
the Redis cache lives in :mod:`py_identity_model.transport.redis_token_cache`.
"""
