"""DPoP nonces on the client (RFC 9449 §8, §9): read them safely, remember them per origin.

A server that requires nonces answers a proof without one (or with a stale one) with
``use_dpop_nonce`` and a ``DPoP-Nonce`` header, and may send a fresh ``DPoP-Nonce`` with
any answer. Remembering the latest nonce of each origin and putting it in the *first* proof
of the next request makes N calls to a nonce-requiring server cost N + 1 round trips
instead of 2N.

**Where the memory lives.** Each :class:`~py_identity_model.dpop.key.DPoPKey` owns a
:class:`DPoPNonceStore` by default (``key.nonce_store``), and the endpoint layer
(``client_post_flow``, UserInfo) reads and fills the store of the key it signs with. The
reasons:

* the key is what already travels through every call path (``Client(..., dpop=key)``,
  ``dpop_key=``), so no new parameter is needed anywhere;
* a nonce handed to one key is never shown by another: a server cannot link two keys
  (two users' sessions, say) to one client process through a nonce it issued;
* no process-global state: tests and tenants stay isolated.

Keys that should share what they learnt (many keys, one server) get the same store:
``DPoPKey(nonce_store=shared)``. A store is bounded (least recently used origins are
dropped), thread-safe, and keeps only syntactically valid nonces (``NQCHAR``, RFC 9449
§8.1), so garbage a server or an intermediary sends is never echoed. A proof function
(``dpop_proof_factory``) or a prover without a ``nonce_store`` gets no memory: it still has
its one ``use_dpop_nonce`` retry per request.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

from ..exceptions import ConfigurationException
from ..utils.urls import normalize_url

__all__ = [
    "MAX_NONCE_LENGTH",
    "DPoPNonceStore",
    "extract_dpop_nonce",
    "is_valid_dpop_nonce",
    "nonce_origin",
    "nonce_store_of",
]

MAX_NONCE_LENGTH = 1024
"""The longest nonce remembered or put in a proof; servers send a few dozen characters."""

# RFC 9449 §8.1: nonce = 1*NQCHAR; NQCHAR = %x21 / %x23-5B / %x5D-7E.
_NQCHARS = re.compile(r"[\x21\x23-\x5B\x5D-\x7E]+")
_HEADER = "dpop-nonce"


def is_valid_dpop_nonce(value: object) -> bool:
    """Whether ``value`` is a nonce a proof may carry: 1 to :data:`MAX_NONCE_LENGTH` NQCHARs."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_NONCE_LENGTH
        and _NQCHARS.fullmatch(value) is not None
    )


def _header_values(headers: Any) -> list[str] | None:
    """Every ``DPoP-Nonce`` value of ``headers`` (any letter case); None if unreadable."""
    get_list = getattr(headers, "get_list", None)
    if callable(get_list):  # httpx.Headers: one entry per header line
        try:
            values = get_list(_HEADER)
        except Exception:  # a foreign object with another get_list
            values = None
        if isinstance(values, list):
            return [v for v in values if isinstance(v, str)]
    items: Iterable[Any]
    pairs = getattr(headers, "raw_items", None)  # the library's Headers: lines as received
    if callable(pairs):
        items = pairs()
    elif isinstance(headers, Mapping):
        items = headers.items()
    else:
        multi = getattr(headers, "multi_items", None) or getattr(headers, "items", None)
        if not callable(multi):
            return None
        try:
            items = list(multi())
        except Exception:  # a foreign object whose items() is something else
            return None
    found: list[str] = []
    for entry in items:
        if not isinstance(entry, tuple) or len(entry) != 2:
            return None
        name, value = entry
        if isinstance(name, bytes):
            name = name.decode("latin-1")
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if isinstance(name, str) and name.lower() == _HEADER and isinstance(value, str):
            found.append(value)
    return found


def extract_dpop_nonce(response: Any) -> str | None:
    """The ``DPoP-Nonce`` header of ``response``, or None.

    ``response`` is an ``httpx.Response``, the library's ``HttpResponse``, or anything with
    ``.headers`` (a mapping, or an object with ``get_list``/``items``), or the headers
    themselves. None when there is no such header, when there are several (which one would
    be meant is unknowable), or when the value is not a valid nonce (RFC 9449 §8.1: printable
    ASCII without space, ``"`` or ``\\``, at most :data:`MAX_NONCE_LENGTH` characters): a
    malformed value is never echoed to a server.
    """
    headers = getattr(response, "headers", response)
    if headers is None:
        return None
    values = _header_values(headers)
    if not values or len(values) != 1:
        return None
    value = values[0].strip(" \t")
    return value if is_valid_dpop_nonce(value) else None


def nonce_origin(url: str) -> str | None:
    """The origin a nonce is remembered under: ``scheme://host:port``, normalised (lower-case
    scheme and host, explicit port); None for anything that is not an http(s) URL."""
    parts = normalize_url(url) if isinstance(url, str) else None
    if parts is None:
        return None
    host = f"[{parts.host}]" if ":" in parts.host else parts.host
    return f"{parts.scheme}://{host}:{parts.port}"


class DPoPNonceStore:
    """The latest DPoP nonce of each origin: bounded (LRU), thread-safe, valid values only.

    ``max_origins`` bounds the memory: when a new origin would exceed it, the origin used
    least recently is forgotten (it costs one extra round trip the next time).
    """

    __slots__ = ("_lock", "_nonces", "max_origins")

    def __init__(self, max_origins: int = 64) -> None:
        if isinstance(max_origins, bool) or not isinstance(max_origins, int) or max_origins < 1:
            raise ConfigurationException("max_origins must be a positive integer")
        self.max_origins = max_origins
        self._nonces: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, url: str) -> str | None:
        """The nonce remembered for ``url``'s origin, or None."""
        origin = nonce_origin(url)
        if origin is None:
            return None
        with self._lock:
            nonce = self._nonces.get(origin)
            if nonce is not None:
                self._nonces.move_to_end(origin)
            return nonce

    def put(self, url: str, nonce: str) -> bool:
        """Remember ``nonce`` for ``url``'s origin; False (nothing stored) for an invalid
        nonce. ``url`` must be an absolute http(s) URL (ConfigurationException otherwise)."""
        origin = nonce_origin(url)
        if origin is None:
            raise ConfigurationException("url must be an absolute http(s) URL")
        if not is_valid_dpop_nonce(nonce):
            return False
        with self._lock:
            self._nonces[origin] = nonce
            self._nonces.move_to_end(origin)
            while len(self._nonces) > self.max_origins:
                self._nonces.popitem(last=False)
        return True

    def remember(self, url: str, response: Any) -> str | None:
        """Remember the ``DPoP-Nonce`` of ``response`` (see :func:`extract_dpop_nonce`) for
        ``url``'s origin, whatever the status; the nonce, or None when there was none."""
        nonce = extract_dpop_nonce(response)
        if nonce is None or nonce_origin(url) is None:
            return None
        self.put(url, nonce)
        return nonce

    def forget(self, url: str) -> None:
        """Drop what is remembered for ``url``'s origin."""
        origin = nonce_origin(url)
        if origin is not None:
            with self._lock:
                self._nonces.pop(origin, None)

    def clear(self) -> None:
        """Forget every origin."""
        with self._lock:
            self._nonces.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._nonces)

    def __repr__(self) -> str:
        # Origins only: nonces are not secrets, but they are nobody's business in a log.
        return f"DPoPNonceStore(origins={len(self)}, max_origins={self.max_origins})"


def nonce_store_of(prover: object) -> DPoPNonceStore | None:
    """The nonce memory a DPoP prover brings (``prover.nonce_store``), if any."""
    store = getattr(prover, "nonce_store", None)
    return store if isinstance(store, DPoPNonceStore) else None
