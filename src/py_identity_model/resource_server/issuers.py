"""Which issuer's keys and rules judge a JWT: one or several issuers, tenant templates.

Every accepted issuer is a :class:`IssuerRoute`: a compiled validation configuration and a
:class:`~py_identity_model.validation.key_source.RemoteKeySource` (its discovery document
and JWKS, owned by the resource server). A token is routed by its (not yet verified) ``iss``:

* an exact configured issuer → its route;
* a match of a tenant template such as ``https://login.microsoftonline.com/{tenantid}/v2.0``
  → the route of that concrete issuer, created on first use (bounded): its discovery
  document is fetched from the concrete issuer and its ``issuer`` must equal the token's
  ``iss`` exactly, and the token's ``tid`` (when present) must be the tenant of the URL. The
  tenant segment must be a plain identifier (no ``/``, ``?``, ``#``, ``@``, ``:``, ``%``,
  dot segments), so a token cannot point discovery anywhere else on the host;
* anything else → no route: the token is refused before anything is fetched.

The ``iss`` only chooses where the keys come from; the validation then checks ``iss`` again
against the discovered issuer, so the choice cannot weaken it.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..exceptions import ConfigurationException, InvalidIssuerException
from ..validation.claims import TENANT_ID_PLACEHOLDER

if TYPE_CHECKING:
    from ..caching.refreshing import RefreshingValue
    from ..jwks.models import JwksResponse
    from ..validation.config import CompiledConfig
    from ..validation.key_source import RemoteKeySource

__all__ = ["IssuerRoute", "IssuerRoutes", "MAX_TENANTS"]

MAX_TENANTS = 256
"""Concrete issuers created from templates that are kept (least recently created go first)."""

_SAFE_TENANT = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_-]|\.(?!\.)){0,127}")


@dataclass(frozen=True)
class IssuerRoute:
    """One concrete issuer: its compiled rules and its key source."""

    issuer: str
    cfg: CompiledConfig
    source: RemoteKeySource
    tenant: str | None = None

    def keys(self) -> RefreshingValue[JwksResponse] | None:
        """The cached key set the issuer's discovery names (None before discovery)."""
        disco = self.source.discovery.peek()
        if disco is None or not disco.jwks_uri:
            return None
        return self.source.key_sets.get(disco.jwks_uri)


class IssuerRoutes:
    """The routes of a resource server (see the module); thread-safe, bounded."""

    def __init__(
        self, issuers: Sequence[str], make: Callable[[str, str | None], IssuerRoute]
    ) -> None:
        self._make = make
        self._exact: dict[str, IssuerRoute] = {}
        self._templates: list[tuple[str, str, str]] = []
        for issuer in issuers:
            if not isinstance(issuer, str) or not issuer:
                raise ConfigurationException("every issuer must be a non-empty string")
            if TENANT_ID_PLACEHOLDER in issuer:
                prefix, _, suffix = issuer.partition(TENANT_ID_PLACEHOLDER)
                if TENANT_ID_PLACEHOLDER in suffix or not prefix.startswith("https://"):
                    raise ConfigurationException(
                        f"issuer template {issuer!r}: one {TENANT_ID_PLACEHOLDER} in an https URL"
                    )
                self._templates.append((issuer, prefix, suffix))
            else:
                self._exact[issuer] = make(issuer, None)
        self._tenants: OrderedDict[str, IssuerRoute] = OrderedDict()
        self._lock = threading.Lock()
        only = list(self._exact.values())
        self.single: IssuerRoute | None = (
            only[0] if len(only) == 1 and not self._templates else None
        )

    @property
    def issuers(self) -> tuple[str, ...]:
        """The configured issuers and templates."""
        return (*self._exact, *(template for template, _, _ in self._templates))

    @property
    def concrete(self) -> tuple[str, ...]:
        """The configured issuers that are not templates."""
        return tuple(self._exact)

    def route(self, iss: object) -> IssuerRoute:
        """The route for a token whose ``iss`` is ``iss``; ``InvalidIssuerException`` if none."""
        if isinstance(iss, str):
            found = self._exact.get(iss) or self._tenants.get(iss)
            if found is not None:
                return found
            for _, prefix, suffix in self._templates:
                if iss.startswith(prefix) and iss.endswith(suffix):
                    tenant = iss[len(prefix) : len(iss) - len(suffix)]
                    if _SAFE_TENANT.fullmatch(tenant):
                        return self._tenant_route(iss, tenant)
        raise InvalidIssuerException("the token's issuer is not accepted", "payload")

    def _tenant_route(self, issuer: str, tenant: str) -> IssuerRoute:
        with self._lock:
            found = self._tenants.get(issuer)
            if found is None:
                found = self._tenants[issuer] = self._make(issuer, tenant)
                while len(self._tenants) > MAX_TENANTS:
                    self._tenants.popitem(last=False)
            return found

    def invalidate(self) -> None:
        """Forget every route's cached discovery document and keys."""
        with self._lock:
            routes = [*self._exact.values(), *self._tenants.values()]
        for route in routes:
            route.source.invalidate()
