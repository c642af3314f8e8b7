"""OAuth 2.0 Protected Resource Metadata (RFC 9728) and the walk from a protected URL's 401
to the discovery document of the authorization server that protects it.

Sans-I/O: :mod:`.models` holds the request and response types and the well-known URL rule,
:mod:`.flow` the flows; ``get_protected_resource_metadata`` and
``discover_authorization_server`` (sync at the package top level, async in
:mod:`py_identity_model.aio`) drive them.
"""
