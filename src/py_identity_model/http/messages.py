"""The sans-I/O HTTP vocabulary: what the protocol core asks for and gets back.

The core never touches sockets. It builds :class:`HttpRequest` values and interprets
:class:`HttpResponse` or :class:`TransportFailure` values. Any HTTP stack can drive it
(see :mod:`py_identity_model.http.transport`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from .._version import __version__

__all__ = [
    "USER_AGENT",
    "FailureKind",
    "Headers",
    "HttpRequest",
    "HttpResponse",
    "Outcome",
    "CachedSource",
    "Fetch",
    "Sleep",
    "TransportFailure",
]

USER_AGENT = f"py-identity-model/{__version__}"


class Headers(Mapping[str, str]):
    """Immutable, case-insensitive header mapping (repeated names joined with ``, ``)."""

    __slots__ = ("_items", "_lower")

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        pairs = list(items.items()) if isinstance(items, Mapping) else list(items)
        self._items: tuple[tuple[str, str], ...] = tuple(pairs)
        lower: dict[str, str] = {}
        for name, value in pairs:
            key = name.lower()
            lower[key] = f"{lower[key]}, {value}" if key in lower else value
        self._lower = lower

    def __getitem__(self, name: str) -> str:
        return self._lower[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._lower

    def __iter__(self) -> Iterator[str]:
        return iter(self._lower)

    def __len__(self) -> int:
        return len(self._lower)

    def raw_items(self) -> tuple[tuple[str, str], ...]:
        """The pairs as sent or received, original case and order."""
        return self._items

    def __repr__(self) -> str:
        # Authorization / DPoP headers carry credentials.
        shown = {k: ("[redacted]" if k in _SENSITIVE else v) for k, v in self._lower.items()}
        return f"Headers({shown!r})"


def _merge(defaults: dict[str, str], extra: Mapping[str, str] | None) -> dict[str, str]:
    """Caller headers replace defaults whatever their letter case (never sent twice)."""
    if not extra:
        return defaults
    overridden = {name.lower() for name in extra}
    merged = {k: v for k, v in defaults.items() if k.lower() not in overridden}
    merged.update(extra)
    return merged


_SENSITIVE = frozenset({"authorization", "dpop", "cookie", "set-cookie", "proxy-authorization"})


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """One HTTP request, as data.

    ``idempotent`` marks a request the retry policy may repeat (GETs only; token POSTs
    must never be replayed).
    """

    method: str
    url: str
    headers: Headers = field(default_factory=Headers)
    body: bytes | None = None
    idempotent: bool = False

    @classmethod
    def get(
        cls, url: str, *, accept: str = "application/json", headers: Mapping[str, str] | None = None
    ) -> HttpRequest:
        """A GET with the library's standard headers."""
        merged = _merge({"Accept": accept, "User-Agent": USER_AGENT}, headers)
        return cls("GET", url, Headers(merged), None, idempotent=True)

    @classmethod
    def post_form(
        cls,
        url: str,
        body: bytes,
        *,
        accept: str = "application/json",
        headers: Mapping[str, str] | None = None,
    ) -> HttpRequest:
        """A form POST (never retried automatically)."""
        defaults = {
            "Accept": accept,
            "User-Agent": USER_AGENT,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return cls("POST", url, Headers(_merge(defaults, headers)), body, idempotent=False)

    def __repr__(self) -> str:
        # The body may hold secrets, codes or tokens: never show it.
        size = 0 if self.body is None else len(self.body)
        return f"HttpRequest({self.method} {self.url}, body={size} bytes)"


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """A complete HTTP response (the body was read within the size limit)."""

    status: int
    headers: Headers
    body: bytes
    url: str

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased (``""`` if absent)."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    def __repr__(self) -> str:
        return f"HttpResponse({self.status}, {self.url}, body={len(self.body)} bytes)"


class FailureKind(str, enum.Enum):
    """Why a transport could not produce a response."""

    TIMEOUT = "timeout"
    NETWORK = "network"
    TOO_LARGE = "too_large"
    INVALID_URL = "invalid_url"


@dataclass(frozen=True, slots=True)
class TransportFailure:
    """A request that produced no usable response. Transports return it; they never raise."""

    kind: FailureKind
    message: str
    url: str


Outcome = HttpResponse | TransportFailure


@dataclass(frozen=True, slots=True)
class Sleep:
    """A flow step asking its driver to wait (``time.sleep`` or ``asyncio.sleep``)."""

    seconds: float


class CachedSource(Protocol):
    """A remote value with its own cache and single-flight (e.g. a ``RefreshingValue``)."""

    def get(self, http_client: object = None, *, max_age: float | None = None) -> Any: ...

    async def aget(self, http_client: object = None, *, max_age: float | None = None) -> Any: ...


@dataclass(frozen=True, slots=True)
class Fetch:
    """A flow step asking its driver for a cached remote value.

    The sync driver calls ``source.get``, the async driver awaits ``source.aget``, and
    the value is sent back into the flow. ``max_age`` asks for a value fetched less than
    that many seconds ago (used for the rate-limited JWKS refresh on an unknown ``kid``).
    This is how flows that depend on cached documents (token validation needs discovery
    and JWKS) stay written once while the caches keep their single-flight guarantees.
    """

    source: CachedSource
    max_age: float | None = None
