"""The sans-I/O HTTP vocabulary: what the protocol core asks for and gets back.

The core never touches sockets. It builds :class:`HttpRequest` values and interprets
:class:`HttpResponse` or :class:`TransportFailure` values. Any HTTP stack can drive it
(see :mod:`py_identity_model.http.transport`). Besides requests, a flow may yield
:class:`Sleep` (wait) and :class:`Fetch` (a cached remote value) steps.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable, Generator, Iterable, Iterator, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar

from .._version import __version__
from ..exceptions import ConfigurationException

__all__ = [
    "FORM_CONTENT_TYPE",
    "JSON_CONTENT_TYPE",
    "USER_AGENT",
    "CachedSource",
    "ClientCertificate",
    "Fetch",
    "Headers",
    "HttpMethod",
    "HttpRequest",
    "HttpResponse",
    "Outcome",
    "RunFlow",
    "ARunFlow",
    "Sleep",
    "TransportFailure",
    "TransportOptions",
    "fetch",
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


HttpMethod = Literal["GET", "POST", "PUT", "DELETE"]

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
JSON_CONTENT_TYPE = "application/json"


@dataclass(frozen=True, slots=True, repr=False)
class ClientCertificate:
    """A TLS client certificate to present (mutual TLS, RFC 8705).

    ``certificate`` and ``private_key`` are paths to PEM files (the key may sit in the
    certificate file: pass the same path twice); ``password`` decrypts an encrypted key.
    The transport loads them when it first needs them; a file that cannot be loaded makes
    the request fail with ``tls_error`` (nothing is sent).
    """

    certificate: str
    private_key: str
    password: str | None = None

    def __post_init__(self) -> None:
        for name in ("certificate", "private_key"):
            value = getattr(self, name)
            if isinstance(value, os.PathLike):
                object.__setattr__(self, name, os.fspath(value))
            elif not isinstance(value, str) or not value:
                raise _configuration_error(f"ClientCertificate.{name} must be a file path")
        if self.password is not None and not isinstance(self.password, str):
            raise _configuration_error("ClientCertificate.password must be a string")

    def __repr__(self) -> str:
        return f"ClientCertificate(certificate={self.certificate!r}, private_key=[redacted])"


@dataclass(frozen=True, slots=True)
class TransportOptions:
    """Per-request instructions for the transport, chosen by the endpoint being called.

    ``client_certificate`` is presented in the TLS handshake of this request only (the
    mTLS endpoint aliases of RFC 8705 §5 need it for some endpoints and not others).
    """

    client_certificate: ClientCertificate | None = None


NO_OPTIONS = TransportOptions()


def _configuration_error(message: str) -> ConfigurationException:
    return ConfigurationException(message)


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """One HTTP request, as data.

    ``idempotent`` marks a request the retry policy may repeat (GETs only; token POSTs
    must never be replayed). ``options`` carries per-request transport instructions
    (a client certificate for mTLS). Build requests with the constructors: :meth:`get`,
    :meth:`post_form`, :meth:`post_json`, :meth:`put_json` and :meth:`delete`; each sets
    the library's ``User-Agent`` and ``Accept`` and lets the caller's ``headers`` replace
    any default whatever its letter case (no header is ever sent twice).
    """

    method: HttpMethod
    url: str
    headers: Headers = field(default_factory=Headers)
    body: bytes | None = None
    idempotent: bool = False
    options: TransportOptions = NO_OPTIONS

    @classmethod
    def _build(
        cls,
        method: HttpMethod,
        url: str,
        *,
        accept: str,
        content_type: str | None,
        body: bytes | None,
        headers: Mapping[str, str] | None,
        options: TransportOptions | None,
    ) -> HttpRequest:
        defaults = {"Accept": accept, "User-Agent": USER_AGENT}
        if content_type is not None:
            defaults["Content-Type"] = content_type
        return cls(
            method,
            url,
            Headers(_merge(defaults, headers)),
            body,
            idempotent=method in ("GET", "PUT", "DELETE"),
            options=options or NO_OPTIONS,
        )

    @classmethod
    def get(
        cls,
        url: str,
        *,
        accept: str = JSON_CONTENT_TYPE,
        headers: Mapping[str, str] | None = None,
        options: TransportOptions | None = None,
    ) -> HttpRequest:
        """A GET (retried on 429/503 by the retry policy)."""
        return cls._build(
            "GET", url, accept=accept, content_type=None, body=None, headers=headers,
            options=options,
        )  # fmt: skip

    @classmethod
    def post_form(
        cls,
        url: str,
        body: bytes,
        *,
        accept: str = JSON_CONTENT_TYPE,
        headers: Mapping[str, str] | None = None,
        options: TransportOptions | None = None,
    ) -> HttpRequest:
        """A form POST (``application/x-www-form-urlencoded``; never retried automatically)."""
        return cls._build(
            "POST", url, accept=accept, content_type=FORM_CONTENT_TYPE, body=body,
            headers=headers, options=options,
        )  # fmt: skip

    @classmethod
    def post_json(
        cls,
        url: str,
        document: Mapping[str, Any],
        *,
        accept: str = JSON_CONTENT_TYPE,
        headers: Mapping[str, str] | None = None,
        options: TransportOptions | None = None,
    ) -> HttpRequest:
        """A JSON POST (dynamic client registration, RFC 7591); never retried automatically."""
        return cls._build(
            "POST", url, accept=accept, content_type=JSON_CONTENT_TYPE,
            body=_json_body(document), headers=headers, options=options,
        )  # fmt: skip

    @classmethod
    def put_json(
        cls,
        url: str,
        document: Mapping[str, Any],
        *,
        accept: str = JSON_CONTENT_TYPE,
        headers: Mapping[str, str] | None = None,
        options: TransportOptions | None = None,
    ) -> HttpRequest:
        """A JSON PUT (registration management, RFC 7592); idempotent by HTTP semantics."""
        return cls._build(
            "PUT", url, accept=accept, content_type=JSON_CONTENT_TYPE,
            body=_json_body(document), headers=headers, options=options,
        )  # fmt: skip

    @classmethod
    def delete(
        cls,
        url: str,
        *,
        accept: str = JSON_CONTENT_TYPE,
        headers: Mapping[str, str] | None = None,
        options: TransportOptions | None = None,
    ) -> HttpRequest:
        """A DELETE (registration management, RFC 7592)."""
        return cls._build(
            "DELETE", url, accept=accept, content_type=None, body=None, headers=headers,
            options=options,
        )  # fmt: skip

    def with_headers(self, headers: Mapping[str, str]) -> HttpRequest:
        """A copy with ``headers`` added or replacing same-named ones (any letter case)."""
        merged = _merge(dict(self.headers.raw_items()), headers)
        return HttpRequest(
            self.method, self.url, Headers(merged), self.body, self.idempotent, self.options
        )

    def __repr__(self) -> str:
        # The body may hold secrets, codes or tokens: never show it.
        size = 0 if self.body is None else len(self.body)
        return f"HttpRequest({self.method} {self.url}, body={size} bytes)"


def _json_body(document: Mapping[str, Any]) -> bytes:
    try:
        text = json.dumps(document, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise _configuration_error(
            f"The request document is not JSON-serialisable: {exc}"
        ) from None
    return text.encode("utf-8")


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """A complete HTTP response (the body was read and decoded within the size limit)."""

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


@dataclass(frozen=True, slots=True)
class TransportFailure:
    """A request that produced no usable response. Transports return it; they never raise.

    ``code`` is one of the transport codes of :class:`~py_identity_model.errors.ErrorCodes`:
    ``timeout``, ``network_error``, ``tls_error``, ``response_too_large``,
    ``unsupported_content_encoding`` or ``invalid_url``.
    """

    code: str
    message: str
    url: str


Outcome = HttpResponse | TransportFailure


T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True, slots=True)
class Sleep:
    """A flow step asking its driver to wait (``time.sleep`` or ``asyncio.sleep``)."""

    seconds: float


# How a driver runs one flow to completion, handed to a cache that must fetch: the cache
# never imports a driver, the driver passes down what the fetch needs.
RunFlow = Callable[[Generator[Any, Any, T]], T]


class ARunFlow(Protocol[T_co]):
    """The async driver, handed to a cache: runs a flow, and lends the loop-bound lock that
    in-process single flight needs (the core itself never imports asyncio)."""

    def __call__(self, flow: Generator[Any, Any, Any]) -> Awaitable[T_co]: ...

    def lock_for(self, owner: object) -> AbstractAsyncContextManager[object]:
        """A lock for ``owner`` on the running event loop (the same one on every call)."""


class CachedSource(Protocol[T_co]):
    """A remote value with its own cache and single-flight (e.g. a ``RefreshingValue``).

    ``peek`` answers from the cache without I/O; ``get``/``aget`` fetch when needed, running
    the fetch flow with the driver function they are given.
    """

    def peek(self, *, max_age: float | None = None) -> T_co | None: ...

    def get(
        self, run: RunFlow[Any], *, max_age: float | None = None, refresh: float | None = None
    ) -> T_co: ...

    async def aget(
        self, run: ARunFlow[Any], *, max_age: float | None = None, refresh: float | None = None
    ) -> T_co: ...


@dataclass(frozen=True, slots=True)
class Fetch(Generic[T]):
    """A flow step asking its driver for a cached remote value.

    The sync driver calls ``source.get(run_flow)``, the async driver awaits
    ``source.aget(run_flow)``, and the value is sent back into the flow. ``max_age`` asks
    for a value fetched less than that many seconds ago. ``refresh`` asks for a fresh fetch
    because the cached value looks outdated (a token names a key the cached set lacks),
    at most once per ``refresh`` seconds: a normal fetch does not count against it, so a
    key published and used at once is found. Flows that depend on cached documents (token
    validation needs discovery and JWKS) stay written once while the caches keep their
    single-flight guarantees. ``yield from fetch(...)`` gives a typed value back.
    """

    source: CachedSource[T]
    max_age: float | None = None
    refresh: float | None = None


def fetch(source: CachedSource[T], max_age: float | None = None) -> Generator[Fetch[T], Any, T]:
    """``value = yield from fetch(source)``: the cached value, fetched by the driver if needed.

    Answers from the cache without yielding when the value is fresh (the warm path costs a
    dictionary look-up), so only a cold or stale cache asks the driver.
    """
    cached = source.peek(max_age=max_age)
    if cached is not None:
        return cached
    value: T = yield Fetch(source, max_age)
    return value
