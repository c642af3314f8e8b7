"""URLs as the library reads and compares them: parsing, loopback, RFC 3986 normalisation.

Every URL check compares *normalised* URLs (RFC 3986 §6.2.2 and §6.2.3): scheme and host in
lower case, percent-encodings upper-cased and unreserved characters decoded (``%2e`` is
``.``), dot segments removed, the default port dropped, an empty path read as ``/``. Two
URLs that an HTTP stack would send to the same place therefore compare equal, and a path
such as ``/issuer/../other`` is seen for what it is.

"Loopback" is decided on the parsed host, never on string prefixes, so
``http://localhost@evil.example`` (host ``evil.example``) and ``http://127.0.0.1.evil.example``
are *not* loopback. Nothing here raises for malformed input: the answer is ``None``.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import SplitResult, urlsplit

__all__ = [
    "NormalizedUrl",
    "has_dot_segments",
    "is_loopback_host",
    "is_loopback_url",
    "normalize_url",
    "parse_http_url",
    "remove_dot_segments",
]

_DEFAULT_PORTS = {"http": 80, "https": 443}
_FORBIDDEN = frozenset("\r\n\t \\\x00")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_MAX_URL = 8192


def is_loopback_host(host: str | None) -> bool:
    """True for ``localhost``, any ``127.0.0.0/8`` address and ``::1``."""
    if not host:
        return False
    host = host.lower()
    if host == "localhost":
        return True
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    # IPv4-mapped IPv6 (::ffff:127.0.0.1) is not treated as loopback on any Python version
    # (3.13 changed ipaddress's answer); the conservative reading keeps HTTPS required.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return False
    return address.is_loopback


@lru_cache(maxsize=512)
def parse_http_url(url: str) -> SplitResult | None:
    """Split an absolute http(s) URL with a host; ``None`` if it is not one.

    Refused: other schemes, no host, whitespace, control characters or backslashes, a
    malformed port, malformed brackets (``https://[::1``, ``https://[evil.example]/``).
    """
    if not isinstance(url, str) or len(url) > _MAX_URL or not url.isascii():
        return None
    if any(ch in _FORBIDDEN or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return None
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a malformed port
        hostname = parts.hostname
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not hostname:
        return None
    if "[" in parts.netloc and not _valid_bracketed_host(parts.netloc):
        return None
    return parts


def _valid_bracketed_host(netloc: str) -> bool:
    host = netloc.rpartition("@")[2]
    if not host.startswith("["):
        return False
    inside, _, rest = host[1:].partition("]")
    if rest and not (rest.startswith(":") and rest[1:].isdigit()):
        return False
    try:
        ipaddress.IPv6Address(inside.split("%", 1)[0])
    except ValueError:
        return False
    return True


def is_loopback_url(url: str) -> bool:
    parts = parse_http_url(url)
    return parts is not None and is_loopback_host(parts.hostname)


def _normalise_percent(text: str) -> str:
    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return _PERCENT.sub(fix, text)


def remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4: resolve ``.`` and ``..`` segments of an absolute path."""
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
            continue
        if segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
            continue
        output.append(segment)
    result = "/".join(output)
    return result if result.startswith("/") else "/" + result


def has_dot_segments(path: str) -> bool:
    """Whether a path has a ``.`` or ``..`` segment, also when percent-encoded (``%2e``)."""
    return any(segment in (".", "..") for segment in _normalise_percent(path).split("/"))


class NormalizedUrl(NamedTuple):
    """The parts of a normalised http(s) URL; ``path`` is never empty."""

    scheme: str
    host: str
    port: int
    path: str
    query: str

    @property
    def origin(self) -> tuple[str, str, int]:
        return self.scheme, self.host, self.port

    def __str__(self) -> str:
        default = _DEFAULT_PORTS[self.scheme]
        port = "" if self.port == default else f":{self.port}"
        host = f"[{self.host}]" if ":" in self.host else self.host
        query = f"?{self.query}" if self.query else ""
        return f"{self.scheme}://{host}{port}{self.path}{query}"

    def is_under(self, base: NormalizedUrl) -> bool:
        """Same origin, and the path is ``base``'s or below it on a segment boundary."""
        if self.origin != base.origin:
            return False
        root = base.path.rstrip("/")
        return self.path.rstrip("/") == root or self.path.startswith(root + "/")


@lru_cache(maxsize=512)
def normalize_url(url: str) -> NormalizedUrl | None:
    """The RFC 3986 normal form of an absolute http(s) URL (fragment and userinfo dropped)."""
    parts = parse_http_url(url)
    if parts is None or parts.hostname is None:
        return None
    port = parts.port if parts.port is not None else _DEFAULT_PORTS[parts.scheme]
    path = remove_dot_segments(_normalise_percent(parts.path or "/"))
    return NormalizedUrl(
        parts.scheme, parts.hostname.lower(), port, path, _normalise_percent(parts.query)
    )
