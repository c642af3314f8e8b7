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
from .routes import ProtocolRoutePaths, oauth_authorization_server_url, openid_configuration_url

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
