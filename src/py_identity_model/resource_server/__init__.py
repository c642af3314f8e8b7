"""Protecting APIs: the framework-free resource-server core (see :mod:`.server`).

``ResourceServer(issuer=..., audience=...)`` turns an :class:`IncomingRequest` into an
:class:`AccessTokenPrincipal` or raises a :class:`ResourceRejection` whose status, headers and
body a framework copies into its response. The FastAPI/Starlette, Flask and Django
integrations (``py_identity_model.integrations``) are thin shells over it.
"""

from .introspection import IntrospectionCache, IntrospectionSettings
from .metadata import WELL_KNOWN_PATH, metadata_path
from .principal import AccessTokenPrincipal
from .rejection import ResourceRejection
from .request import IncomingRequest
from .server import DEFAULT_RESOURCE_DPOP_ALGORITHMS, ResourceServer
from .token_cache import DEFAULT_TOKEN_CACHE_SIZE, ValidatedTokenCache

__all__ = [
    "DEFAULT_RESOURCE_DPOP_ALGORITHMS",
    "DEFAULT_TOKEN_CACHE_SIZE",
    "WELL_KNOWN_PATH",
    "AccessTokenPrincipal",
    "IncomingRequest",
    "IntrospectionCache",
    "IntrospectionSettings",
    "ResourceRejection",
    "ResourceServer",
    "ValidatedTokenCache",
    "metadata_path",
]
