"""Protocol constants for OAuth 2.0, OpenID Connect and JOSE.

* :class:`OidcConstants` - namespace of the protocol enumerations (parameter names,
  error codes, grant/response types, discovery metadata, ...), UPPER_CASE members.
* :class:`JwtClaimTypes` - claim names, PascalCase members (``JwtClaimTypes.Subject``).
* JOSE: :class:`JwtHeaderParameterNames`, :class:`JwtTypes`, :class:`SigningAlgorithms`,
  :class:`KeyTypes`, :class:`Curves` and friends.
* :class:`ProtocolRoutePaths` and the well-known URL helpers.

All enumerations are plain :class:`~enum.Enum` classes (compare through ``.value``);
``str(member)`` returns the value.  The individual protocol enumerations behind
``OidcConstants`` (``OidcConstants.TokenRequest`` ...) are deliberately not
re-exported here, because several share their names with request/response model
classes; import them from :mod:`py_identity_model.constants.oidc_parameters` and
sibling modules if you need them directly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._base import ConstantEnum
    from .claims import ConfirmationMethods, JwtClaimTypes
    from .discovery import Discovery
    from .jose import (
        ContentEncryptionAlgorithms,
        Curves,
        JsonWebKeyParameterNames,
        JwtHeaderParameterNames,
        JwtTypes,
        KeyManagementAlgorithms,
        KeyOperations,
        KeyTypes,
        KeyUses,
        SigningAlgorithms,
    )
    from .oidc import OidcConstants
    from .routes import (
        ProtocolRoutePaths,
        oauth_authorization_server_url,
        openid_configuration_url,
    )

# Names are resolved on first use (PEP 562), as in ``py_identity_model.utils``: the JOSE
# registry reads the algorithm tables (``constants.jose_algorithms``) without paying for the
# hundreds of enumeration members of the other modules.
_WHERE = {
    "ConfirmationMethods": "claims",
    "ConstantEnum": "_base",
    "ContentEncryptionAlgorithms": "jose",
    "Curves": "jose",
    "Discovery": "discovery",
    "JsonWebKeyParameterNames": "jose",
    "JwtClaimTypes": "claims",
    "JwtHeaderParameterNames": "jose",
    "JwtTypes": "jose",
    "KeyManagementAlgorithms": "jose",
    "KeyOperations": "jose",
    "KeyTypes": "jose",
    "KeyUses": "jose",
    "OidcConstants": "oidc",
    "ProtocolRoutePaths": "routes",
    "SigningAlgorithms": "jose",
    "oauth_authorization_server_url": "routes",
    "openid_configuration_url": "routes",
}
_SUBMODULES = frozenset(
    {
        "claims", "discovery", "jose", "jose_algorithms", "oidc", "oidc_errors", "oidc_http",
        "oidc_parameters", "oidc_values", "routes",
    }
)  # fmt: skip

__all__ = [
    "ConfirmationMethods",
    "ConstantEnum",
    "ContentEncryptionAlgorithms",
    "Curves",
    "Discovery",
    "JsonWebKeyParameterNames",
    "JwtClaimTypes",
    "JwtHeaderParameterNames",
    "JwtTypes",
    "KeyManagementAlgorithms",
    "KeyOperations",
    "KeyTypes",
    "KeyUses",
    "OidcConstants",
    "ProtocolRoutePaths",
    "SigningAlgorithms",
    "oauth_authorization_server_url",
    "openid_configuration_url",
]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:  # ``constants.claims`` worked without an import before
        return importlib.import_module(f"{__name__}.{name}")
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
