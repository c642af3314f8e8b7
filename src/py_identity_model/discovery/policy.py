"""Discovery policy checks: addresses, issuer equality and endpoint placement (pure functions)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ..http.url_policy import check_url, is_loopback_host, origin_of, parse_http_url
from .metadata import ENDPOINT_FIELDS
from .models import DiscoveryPolicy, MetadataFormat

__all__ = ["discovery_url_and_authority", "endpoint_violation", "issuer_matches"]

# ProtocolRoutePaths.DiscoveryConfiguration / .OAuthAuthorizationServer, spelled out so that
# discovery does not import every constant enum.
_OIDC_PATH = "/.well-known/openid-configuration"
_OAUTH_PATH = "/.well-known/oauth-authorization-server"


def _strip_slash(value: str) -> str:
    return value[:-1] if value.endswith("/") else value


def discovery_url_and_authority(address: str, metadata_format: MetadataFormat) -> tuple[str, str]:
    """Split what the caller gave into (URL to fetch, authority the issuer must equal).

    Accepts the full well-known URL of either format, or the authority itself.
    """
    address = address.strip()
    parts = urlsplit(address)
    origin = f"{parts.scheme}://{parts.netloc}"
    path = parts.path
    if path.endswith(_OIDC_PATH):
        return address, origin + path[: -len(_OIDC_PATH)]
    if path.startswith(_OAUTH_PATH):
        # RFC 8414 §3.1: the issuer's path follows the well-known segment.
        return address, origin + _strip_slash(path[len(_OAUTH_PATH) :])
    authority = _strip_slash(address)
    if metadata_format == "oauth":
        issuer_path = _strip_slash(path)
        return f"{origin}{_OAUTH_PATH}{issuer_path}", authority
    return authority + _OIDC_PATH, authority


def _normalised_url(value: str) -> tuple[str, str, int, str] | None:
    origin = origin_of(value)
    parts = parse_http_url(value)
    if origin is None or parts is None:
        return None
    return (*origin, _strip_slash(parts.path))


def issuer_matches(issuer: str, authority: str, policy: DiscoveryPolicy) -> bool:
    """Compare the document's issuer with the expected authority per the policy's strategy."""
    if policy.authority_validation == "url":
        left, right = _normalised_url(issuer), _normalised_url(authority)
        return left is not None and left == right
    return _strip_slash(issuer) == _strip_slash(authority)


def _under(url: str, base: str) -> bool:
    """Is ``url`` at ``base`` or below it (same origin, path prefix on a segment boundary)?"""
    target, root = _normalised_url(url), _normalised_url(base)
    if target is None or root is None or target[:3] != root[:3]:
        return False
    return target[3] == root[3] or target[3].startswith(root[3] + "/")


def endpoint_violation(
    data: Mapping[str, Any], authority: str, policy: DiscoveryPolicy
) -> str | None:
    """The first endpoint that breaks the policy, as an error message, or ``None``."""
    for name in ENDPOINT_FIELDS:
        value = data.get(name)
        if value is None:
            continue
        problem = check_url(
            value,
            require_https=policy.require_https,
            allow_http_on_loopback=policy.allow_http_on_loopback,
        )
        if problem:
            return f"Endpoint {name}: {problem}"
        if not policy.validate_endpoints or name in policy.endpoint_validation_excludes:
            continue  # excluded names still had to pass the HTTPS rule above
        parts = parse_http_url(value)
        if (
            policy.allow_loopback_endpoints
            and parts is not None
            and is_loopback_host(parts.hostname)
        ):
            continue
        bases = [authority, *policy.additional_endpoint_base_addresses]
        if not any(_under(value, base) for base in bases):
            return (
                f"Endpoint {name} ({value}) is not under the authority {authority} "
                "or an allowed base address"
            )
    aliases = data.get("mtls_endpoint_aliases") or {}
    for name, value in aliases.items():
        # mTLS aliases usually live on a dedicated host, so only the scheme rule applies.
        problem = check_url(
            value,
            require_https=policy.require_https,
            allow_http_on_loopback=policy.allow_http_on_loopback,
        )
        if problem:
            return f"mTLS endpoint alias {name}: {problem}"
    return None
