"""URL rules shared by every endpoint: HTTPS required, loopback excepted.

"Loopback" is decided on the parsed host, never on string prefixes, so
``http://localhost@evil.example`` (host ``evil.example``) and
``http://127.0.0.1.evil.example`` are *not* loopback.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import SplitResult, urlsplit

__all__ = ["check_url", "is_loopback_host", "is_loopback_url", "origin_of", "parse_http_url"]


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
    """Split an absolute http(s) URL with a host; ``None`` if it is not one."""
    if not isinstance(url, str) or any(ch in url for ch in "\r\n\t \\"):
        return None
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a malformed port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts


def is_loopback_url(url: str) -> bool:
    parts = parse_http_url(url)
    return parts is not None and is_loopback_host(parts.hostname)


def check_url(
    url: str, *, require_https: bool = True, allow_http_on_loopback: bool = True
) -> str | None:
    """Return why ``url`` may not be requested, or ``None`` when it may.

    The answer is a message fit for a result's ``error``.
    """
    parts = parse_http_url(url)
    if parts is None:
        return f"Malformed address: {url!r} is not an absolute http(s) URL"
    if parts.username is not None or parts.password is not None:
        return "Addresses with user information (user@host) are not allowed"
    if parts.scheme == "https" or not require_https:
        return None
    if allow_http_on_loopback and is_loopback_host(parts.hostname):
        return None
    return f"HTTPS is required: {url} uses plain HTTP on a non-loopback host"


def origin_of(url: str) -> tuple[str, str, int] | None:
    """``(scheme, host, port)`` with the default port filled in, for same-origin checks."""
    parts = parse_http_url(url)
    if parts is None or parts.hostname is None:
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, parts.hostname.lower(), port
