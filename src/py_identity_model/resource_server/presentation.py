"""How the client presented its token: the ``Authorization`` header and the ``DPoP`` proofs.

Only the ``Authorization`` header counts (RFC 6750 §2.1; never the query, never a form
body), exactly one of it, with the ``Bearer`` or ``DPoP`` scheme (RFC 9449 §7.1), a
``b64token`` of at most ``max_size`` characters. A request whose ``Authorization`` names
another scheme (``Basic``...) carries no access token. Nothing here logs or echoes a value.

The ``b64token`` syntax check is separate (:func:`check_token_syntax`) so that the resource
server can skip it for a token its validated-token cache already holds: that token passed
it when it was first validated, and the check is a third of the cost of a cached request.
"""

from __future__ import annotations

import re

from ..exceptions import PyIdentityModelException
from .request import IncomingRequest

__all__ = ["Presentation", "PresentationError", "check_token_syntax", "read_presentation"]

# RFC 6750 §2.1 b64token.
_B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


class PresentationError(PyIdentityModelException):
    """The ``Authorization`` header is unusable (``why`` is safe to show)."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class Presentation:
    """The token, its scheme (``bearer`` or ``dpop``) and the ``DPoP`` header values.

    Never changed once built; a plain slotted class rather than a frozen dataclass because
    one is built per request and a frozen dataclass costs three times as much to build.
    """

    __slots__ = ("proofs", "scheme", "token")

    def __init__(self, scheme: str, token: str, proofs: tuple[str, ...]) -> None:
        self.scheme = scheme
        self.token = token
        self.proofs = proofs

    def __repr__(self) -> str:
        return f"Presentation({self.scheme!r}, proofs={len(self.proofs)})"


def check_token_syntax(token: str) -> None:
    """Raise ``PresentationError`` unless ``token`` is an RFC 6750 §2.1 ``b64token``."""
    if not _B64TOKEN.fullmatch(token):
        raise PresentationError("The access token is not a b64token (RFC 6750 §2.1)")


def read_presentation(
    request: IncomingRequest, *, max_size: int, check_syntax: bool = True
) -> Presentation | None:
    """The presented token, None when there is none; ``PresentationError`` when malformed.

    ``check_syntax=False`` leaves the ``b64token`` check to the caller
    (:func:`check_token_syntax`), which must make it before trusting the token.
    """
    # One pass over the headers for both names (this runs on every request).
    authorization: str | None = None
    proofs: list[str] = []
    for name, text in request.headers:
        if name == "authorization":
            if authorization is not None:
                raise PresentationError("The request has more than one Authorization header")
            authorization = text
        elif name == "dpop":
            proofs.append(text)
    if authorization is None:
        return None
    value = authorization.strip()
    scheme, _, rest = value.partition(" ")
    kind = scheme.lower()
    if kind not in ("bearer", "dpop"):
        return None  # another scheme: no access token here (RFC 6750 §3.1)
    token = rest.strip(" ")
    if not token:
        raise PresentationError("The Authorization header has no token")
    if len(token) > max_size:
        raise PresentationError("The access token is too large")
    if check_syntax:
        check_token_syntax(token)
    return Presentation(kind, token, tuple(proofs))
