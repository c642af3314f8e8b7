"""HTTP-level constants: authentication schemes, header names, methods and media types.

Sources:

* RFC 6750 (Bearer Token Usage) section 2 - ``Authorization: Bearer``, the
  ``access_token`` form/query parameter and ``WWW-Authenticate``.
* RFC 9449 (DPoP) sections 4.1, 7.1 and 8 - the ``DPoP`` scheme, ``DPoP`` and
  ``DPoP-Nonce`` headers.
* RFC 9110 (HTTP Semantics) section 9 - request methods; RFC 9111 section 5.2
  (``Cache-Control``).
* RFC 7519 section 10.3.1 (``application/jwt``), RFC 7517 section 8.5
  (``application/jwk-set+json``), RFC 9701 section 5 (token introspection JWT),
  RFC 8414 / RFC 6749 (JSON and form-encoded bodies).
"""

from __future__ import annotations

from enum import unique

from ._base import ConstantEnum

__all__ = ["AuthenticationSchemes", "HttpHeaders", "HttpMethods", "MediaTypes"]


class AuthenticationSchemes(ConstantEnum):
    """Ways of presenting an access token to a resource (Duende ``AuthenticationSchemes``).

    ``QUERY_STRING_BEARER`` and ``QUERY_STRING_POP`` are aliases of the ``FORM_POST_*``
    members, because the parameter name is the same in the body and in the query.
    """

    AUTHORIZATION_HEADER_BEARER = "Bearer"
    AUTHORIZATION_HEADER_DPOP = "DPoP"
    FORM_POST_BEARER = "access_token"
    QUERY_STRING_BEARER = "access_token"
    AUTHORIZATION_HEADER_POP = "PoP"
    FORM_POST_POP = "pop_access_token"
    QUERY_STRING_POP = "pop_access_token"


@unique
class HttpHeaders(ConstantEnum):
    """HTTP header names used by the protocols."""

    DPOP = "DPoP"
    DPOP_NONCE = "DPoP-Nonce"
    AUTHORIZATION = "Authorization"
    WWW_AUTHENTICATE = "WWW-Authenticate"
    ACCEPT = "Accept"
    CONTENT_TYPE = "Content-Type"
    CACHE_CONTROL = "Cache-Control"
    LOCATION = "Location"


@unique
class HttpMethods(ConstantEnum):
    """HTTP request methods (RFC 9110 section 9), e.g. for the DPoP ``htm`` claim."""

    GET = "GET"
    HEAD = "HEAD"
    POST = "POST"
    PUT = "PUT"
    DELETE = "DELETE"
    PATCH = "PATCH"
    OPTIONS = "OPTIONS"


@unique
class MediaTypes(ConstantEnum):
    """Media types of protocol request and response bodies."""

    JSON = "application/json"
    FORM_URL_ENCODED = "application/x-www-form-urlencoded"
    JWT = "application/jwt"
    JWK_SET = "application/jwk-set+json"
    TOKEN_INTROSPECTION_JWT = "application/token-introspection+jwt"
