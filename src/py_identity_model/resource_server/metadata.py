"""The Protected Resource Metadata this API serves (RFC 9728) and where it lives.

:func:`metadata_path` is the well-known path with the resource identifier's path inserted
(RFC 9728 §3.1): ``https://api.example.com/orders`` →
``/.well-known/oauth-protected-resource/orders``. :func:`metadata_url` is the absolute URL
put in every challenge's ``resource_metadata`` (§5.1): on the resource's own origin when the
resource is an ``https`` URL, else on the origin the request reached (a resource named by
a URN is served where it is called).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

__all__ = ["WELL_KNOWN_PATH", "metadata_document", "metadata_path", "metadata_url"]

WELL_KNOWN_PATH = "/.well-known/oauth-protected-resource"


def _is_url(resource: str) -> bool:
    parts = urlsplit(resource)
    return parts.scheme in ("https", "http") and bool(parts.netloc)


def metadata_path(resource: str) -> str:
    """The path at which the metadata of ``resource`` is served (RFC 9728 §3.1)."""
    if not _is_url(resource):
        return WELL_KNOWN_PATH
    path = urlsplit(resource).path.rstrip("/")
    return WELL_KNOWN_PATH + path


def metadata_url(resource: str, request_url: str | None) -> str | None:
    """The absolute metadata URL for challenges; None when it cannot be known (a URN
    resource and no request)."""
    path = metadata_path(resource)
    if _is_url(resource):
        parts = urlsplit(resource)
        return f"{parts.scheme}://{parts.netloc}{path}"
    if request_url is None:
        return None
    parts = urlsplit(request_url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}{path}"


def metadata_document(
    *,
    resource: str,
    authorization_servers: Sequence[str],
    scopes_supported: Sequence[str] | None,
    dpop_algs: Sequence[str] | None,
    dpop_required: bool,
    certificate_bound: bool,
    extra: dict[str, Any],
) -> dict[str, Any]:
    """The RFC 9728 §2 document (members without a value are left out)."""
    document: dict[str, Any] = {"resource": resource}
    if authorization_servers:
        document["authorization_servers"] = list(authorization_servers)
    if scopes_supported:
        document["scopes_supported"] = list(scopes_supported)
    document["bearer_methods_supported"] = ["header"]
    if dpop_algs:
        document["dpop_signing_alg_values_supported"] = list(dpop_algs)
        document["dpop_bound_access_tokens_required"] = dpop_required
    if certificate_bound:
        document["tls_client_certificate_bound_access_tokens"] = True
    document.update({name: value for name, value in extra.items() if value is not None})
    return document
