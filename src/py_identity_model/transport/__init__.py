"""The built-in transports: the httpx shells that carry the core's requests.

* :mod:`.sync_client` — :class:`HTTPClient` over ``httpx.Client`` / ``httpx2.Client``;
* :mod:`.async_client` — :class:`AsyncHTTPClient` over the async clients;
* :mod:`.common` — what both share: settings, TLS, bounded bodies, error mapping;
* :mod:`.deadline` — the sync shell's per-socket-operation deadline;
* :mod:`.stacks` — httpx and httpx2, described once.

The two shells never import each other. Any other HTTP stack plugs in through the
protocols of :mod:`py_identity_model.http.transport`.
"""
