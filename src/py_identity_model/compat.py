"""py-identity-model 4.x exception names that this version does not raise.

They are kept, in the library's one exception tree, so that code written against 4.x
still imports them and its ``except`` clauses stay valid; each says below what raises in
its place. The features that will raise them again (mTLS certificate binding, JARM, the
token manager) move them back to :mod:`py_identity_model.exceptions` when they land.
"""

from __future__ import annotations

from .exceptions import AuthorizeCallbackException, NetworkException, TokenValidationException

__all__ = [
    "CertificateBindingError",
    "JarmValidationException",
    "TokenRequestException",
    "UserInfoException",
]


class CertificateBindingError(TokenValidationException):
    """A certificate-bound token (RFC 8705 ``cnf.x5t#S256``) does not match the certificate.

    Not raised yet: certificate-bound token checks are not part of this version.
    """

    code = "invalid_certificate_binding"


class JarmValidationException(AuthorizeCallbackException):
    """A JARM response JWT is invalid (signature, aud, iss, exp).

    Not raised yet: JARM response processing is not part of this version.
    """

    code = "invalid_jarm_response"


class TokenRequestException(NetworkException):
    """A token request failed.

    Not raised: token functions return a result with ``is_successful=False`` instead
    (``error``, ``error_code``, ``error_type``).
    """

    code = "token_request_failed"


class UserInfoException(NetworkException):
    """A userinfo request failed.

    Not raised: I/O functions return results instead of raising.
    """

    code = "userinfo_failed"
