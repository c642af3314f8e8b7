"""JWKS request and response types (RFC 7517 §5)."""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from functools import cached_property

from ..caching.cache_control import parse_max_age
from ..endpoints.policy import EndpointPolicy, HasEndpointPolicy
from ..http.results import ProtocolResponse
from ..jose import JsonWebKey, JsonWebKeySet

__all__ = ["JwksRequest", "JwksResponse"]


@dataclass
class JwksRequest:
    """Where the key set is, and the URL rules it must satisfy.

    ``policy`` is an :class:`~py_identity_model.endpoints.policy.EndpointPolicy`, or a
    ``DiscoveryPolicy`` (4.x), whose URL rules then apply; HTTPS except on loopback when
    None.
    """

    address: str
    policy: EndpointPolicy | HasEndpointPolicy | None = None


@dataclass(repr=False)
class JwksResponse(ProtocolResponse):
    """A key set. Keys that failed validation were skipped and are listed in ``skipped_keys``."""

    keys: list[JsonWebKey] | None = None
    cache_control: str | None = None
    _: KW_ONLY
    skipped_keys: list[str] | None = None

    @cached_property
    def key_set(self) -> JsonWebKeySet:
        """The keys as a :class:`JsonWebKeySet` (kid lookup, candidate selection), built once."""
        return JsonWebKeySet(list(self.keys or []))

    @property
    def max_age(self) -> int | None:
        """The ``max-age`` of the ``Cache-Control`` header, if any."""
        return parse_max_age(self.cache_control)
