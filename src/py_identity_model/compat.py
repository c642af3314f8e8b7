"""py-identity-model 4.x exception names that this version does not raise.

They are kept, in the library's one exception tree, so that code written against 4.x
still imports them and its ``except`` clauses stay valid; each says below what raises in
its place. Names that a feature raises again moved back to
:mod:`py_identity_model.exceptions` (``CertificateBindingError`` with mTLS certificate
binding, ``JarmValidationException`` with JARM, ``TokenRequestException`` with the token
manager; this module still re-exports it for code that imported it from here).
"""

from __future__ import annotations

from .exceptions import NetworkException, TokenRequestException

__all__ = [
    "TokenRequestException",
    "UserInfoException",
]


class UserInfoException(NetworkException):
    """A userinfo request failed.

    Not raised: I/O functions return results instead of raising.
    """

    code = "userinfo_failed"
