"""Dynamic client registration (RFC 7591) and registration management (RFC 7592).

Requests and responses are in :mod:`.models`, the sans-I/O operations in :mod:`.flow`;
``register_client``, ``read_client``, ``update_client`` and ``delete_client`` in the sync
and async shells drive them.
"""
