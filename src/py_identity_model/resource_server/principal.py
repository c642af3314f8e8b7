"""The authenticated caller: what a validated access token says, for a route to use.

:class:`AccessTokenPrincipal` is built by the resource server from a validated JWT's claims
or an introspection answer. The token itself is kept (``token``) for a route that must pass
it on (token exchange), but never shown in ``repr``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..exceptions import ConfigurationException
from ..identity.claims import ClaimsPrincipal, to_principal

if TYPE_CHECKING:
    from .rejection import ResourceRejection
    from .request import IncomingRequest

    Reject = Callable[[tuple[str, ...], IncomingRequest | None], ResourceRejection]

__all__ = ["AccessTokenPrincipal", "scopes_of"]


def scopes_of(claims: Mapping[str, Any]) -> frozenset[str]:
    """The token's scopes: ``scope`` (RFC 9068 §2.2.3, a space-separated string) or ``scp``
    (a list, as Microsoft Entra and others send)."""
    for name in ("scope", "scp"):
        value = claims.get(name)
        if isinstance(value, str):
            return frozenset(value.split())
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return frozenset(value)
    return frozenset()


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


class AccessTokenPrincipal:
    """The caller behind a validated access token (read-only).

    Attributes:
        claims: the token's claims (JWT) or the introspection answer (opaque), read-only.
        subject, client_id, issuer: ``sub``, ``client_id`` (``azp`` without it), ``iss``.
        audience: ``aud`` as a tuple.
        scopes: the granted scopes (frozenset).
        token_type: ``"Bearer"`` or ``"DPoP"`` (how it was presented).
        expires_at: ``exp`` (seconds since the epoch), None without one.
        dpop_jkt: the DPoP key thumbprint the token is bound to (``cnf.jkt``).
        certificate_thumbprint: the client certificate thumbprint it is bound to
            (``cnf["x5t#S256"]``), verified against the presented certificate.
        is_opaque: True when the token was introspected.
        token: the access token itself (never in ``repr``).
    """

    # Positional-or-keyword: the resource server builds one per request, positionally
    # (keyword arguments would double what building it costs).
    def __init__(  # noqa: PLR0917
        self,
        claims: Mapping[str, Any],
        token: str,
        token_type: str,
        is_opaque: bool,
        dpop_jkt: str | None = None,
        certificate_thumbprint: str | None = None,
        reject: Reject | None = None,
        request: IncomingRequest | None = None,
    ) -> None:
        # A read-only view: the claims may be shared with the validated-token cache.
        self.claims: Mapping[str, Any] = MappingProxyType(claims)
        self.token = token
        self.token_type = token_type
        self.is_opaque = is_opaque
        self.dpop_jkt = dpop_jkt
        self.certificate_thumbprint = certificate_thumbprint
        # The server's 403 builder and the request it judged, for require_scopes (a bound
        # method and a reference: cheaper per request than a closure over both).
        self._reject = reject
        self._request = request

    # The members are read from the claims when first asked for: most routes use one or two.

    @cached_property
    def subject(self) -> str | None:
        """``sub``."""
        return _text(self.claims.get("sub"))

    @cached_property
    def client_id(self) -> str | None:
        """``client_id`` (``azp`` without it)."""
        return _text(self.claims.get("client_id")) or _text(self.claims.get("azp"))

    @cached_property
    def issuer(self) -> str | None:
        """``iss``."""
        return _text(self.claims.get("iss"))

    @cached_property
    def audience(self) -> tuple[str, ...]:
        """``aud`` as a tuple."""
        aud = self.claims.get("aud")
        if isinstance(aud, str):
            return (aud,)
        if isinstance(aud, list):
            return tuple(a for a in aud if isinstance(a, str))
        return ()

    @cached_property
    def expires_at(self) -> float | None:
        """``exp`` in seconds since the epoch (None without one)."""
        exp = self.claims.get("exp")
        if isinstance(exp, (int, float)) and not isinstance(exp, bool):
            return float(exp)
        return None

    @cached_property
    def scopes(self) -> frozenset[str]:
        """The granted scopes."""
        return scopes_of(self.claims)

    def has_scope(self, scope: str) -> bool:
        """Whether the token grants ``scope``."""
        return scope in self.scopes

    def has_scopes(self, scopes: Iterable[str]) -> bool:
        """Whether the token grants every one of ``scopes``."""
        return self.scopes.issuperset(_names(scopes))

    def missing_scopes(self, scopes: Iterable[str]) -> tuple[str, ...]:
        """Those of ``scopes`` the token does not grant, in order."""
        return tuple(s for s in _names(scopes) if s not in self.scopes)

    def require_scopes(self, scopes: Iterable[str]) -> None:
        """Raise the server's 403 ``insufficient_scope`` rejection (with the required
        ``scope`` in its challenge) unless every one of ``scopes`` is granted."""
        wanted = _names(scopes)
        if self.missing_scopes(wanted):
            if self._reject is None:  # pragma: no cover - the server always sets it
                raise ConfigurationException("this principal was not built by a ResourceServer")
            raise self._reject(wanted, self._request)

    def to_principal(self) -> ClaimsPrincipal:
        """The claims as the library's :class:`~py_identity_model.identity.claims.ClaimsPrincipal`
        (authentication type: the presentation scheme)."""
        return to_principal(self.claims, self.token_type)

    def __repr__(self) -> str:
        return (
            f"AccessTokenPrincipal(subject={self.subject!r}, client_id={self.client_id!r}, "
            f"issuer={self.issuer!r}, scopes={sorted(self.scopes)!r}, "
            f"token_type={self.token_type!r}, is_opaque={self.is_opaque})"
        )


def _names(scopes: Iterable[str]) -> tuple[str, ...]:
    if isinstance(scopes, str):
        raise ConfigurationException("scopes must be a list of scope names, not one string")
    names = tuple(scopes)
    if not all(isinstance(s, str) and s for s in names):
        raise ConfigurationException("every scope must be a non-empty string")
    return names
