"""Shared rules for front-channel URLs: endpoint checks, value encoding, query joining.

Every URL the browser is sent to (authorize, end-session) is built through these helpers,
so the rules for ``None``, lists, JSON-valued parameters and existing queries live once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import Any

from ..endpoints.policy import DEFAULT_ENDPOINT_POLICY, EndpointPolicy
from ..exceptions import ConfigurationException, FrontChannelConfigurationError
from ..rar.details import authorization_details_json
from ..utils.parameters import Parameters
from ..utils.redaction import redacted_repr
from ._query import parse_pairs

__all__ = [
    "ParameterInput",
    "add_parameter",
    "build_url",
    "check_endpoint",
    "check_extra_names",
    "check_redirect_uri",
    "encode_parameter",
    "redacted_repr",
]

# What a caller may pass for one parameter. Lists become space-delimited or repeated
# values, mappings become compact JSON; ``None`` means "omit".
ParameterInput = (
    str
    | int
    | float
    | bool
    | Enum
    | Sequence[str | Enum]
    | Mapping[str, Any]
    | Sequence[Mapping[str, Any]]
    | None
)

# Parameters whose list form is one space-delimited value (RFC 6749 §3.1.1, OIDC Core
# §3.1.2.1, RP-Initiated Logout §2).
_SPACE_DELIMITED = frozenset(
    {"scope", "response_type", "prompt", "ui_locales", "claims_locales", "acr_values"}
)
# Parameters carried as JSON text (OIDC Core §5.5, RFC 9396 §2).
_JSON_VALUED = frozenset({"claims", "authorization_details"})
# Credentials that must never travel through the user agent.
_BACK_CHANNEL_ONLY = frozenset(
    {"client_secret", "client_assertion", "code_verifier", "refresh_token", "password"}
)


def check_endpoint(url: object, what: str, policy: EndpointPolicy | None = None) -> str:
    """Return ``url`` if the endpoint policy allows sending a browser there.

    The policy is the one every request obeys: an absolute http(s) URL, HTTPS except on
    loopback (state, nonce, the PKCE challenge or an ``id_token_hint`` must never travel in
    a cleartext URL), no user information, no dot segments, and no fragment (anything after
    ``#`` never reaches the server: every parameter appended there would be lost).
    """
    refused = (policy or DEFAULT_ENDPOINT_POLICY).check(url, what)
    if refused is not None:
        raise FrontChannelConfigurationError(refused.error)
    assert isinstance(url, str)
    return url


# Schemes a redirect URI may never have: they run code or read local data in the user agent.
_DANGEROUS_SCHEMES = frozenset(
    {"javascript", "data", "vbscript", "file", "ftp", "blob", "about", "filesystem"}
)


def check_redirect_uri(uri: object, what: str = "redirect_uri") -> None:
    """Refuse a redirect URI that is not http(s) or a private-use scheme (RFC 8252 §7.1).

    Private-use schemes of native apps are reverse domain names (``com.example.app:/cb``),
    so a scheme other than http/https must contain a dot and not be a dangerous one
    (``javascript:``, ``data:``, ``ftp:``, ...).
    """
    if not isinstance(uri, str) or not uri.strip():
        raise FrontChannelConfigurationError(f"{what} must be a non-empty URI")
    scheme, colon, _ = uri.partition(":")
    scheme = scheme.lower()
    if not colon or not scheme or not scheme[0].isalpha():
        raise FrontChannelConfigurationError(f"{what} must be an absolute URI")
    if scheme in ("http", "https"):
        return
    if scheme in _DANGEROUS_SCHEMES or "." not in scheme:
        raise FrontChannelConfigurationError(
            f"{what} scheme {scheme[:20]!r} is not allowed: use https, http on loopback, or "
            "a private-use scheme in reverse domain-name form (RFC 8252 §7.1)"
        )


def check_extra_names(names: Iterable[str]) -> None:
    """Refuse parameters that are credentials of the back channel."""
    for name in names:
        if not isinstance(name, str) or not name:
            raise FrontChannelConfigurationError("Parameter names must be non-empty strings")
        if name in _BACK_CHANNEL_ONLY:
            raise FrontChannelConfigurationError(
                f"Parameter {name!r} must never be sent through the browser"
            )


def _json_text(name: str, value: object) -> str:
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise FrontChannelConfigurationError(
            f"Parameter {name!r} is not JSON-serialisable"
        ) from exc


def _authorization_details(value: object) -> str:
    # RFC 9396 §2: a JSON array of objects, each with a string "type" (one set of rules for
    # the authorize URL, PAR, token requests and request objects).
    try:
        return authorization_details_json(value)
    except ConfigurationException as exc:
        raise FrontChannelConfigurationError(str(exc)) from None


def _max_age(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return value
    raise FrontChannelConfigurationError("max_age must be a non-negative integer")


def _text_items(name: str, value: Iterable[object]) -> list[str]:
    items = [item.value if isinstance(item, Enum) else item for item in value]
    if not all(isinstance(item, str) for item in items):
        raise FrontChannelConfigurationError(f"Parameter {name!r} must be a list of strings")
    return [str(item) for item in items]


def encode_parameter(name: str, value: object) -> list[str]:
    """The wire values of one parameter (empty when it is omitted)."""
    if isinstance(value, Enum):  # OidcConstants members carry the wire value
        value = value.value
    if value is None:
        return []
    if name == "max_age":
        return [_max_age(value)]
    if name == "authorization_details":
        return [_authorization_details(value)]
    if name in _JSON_VALUED and not isinstance(value, str):
        if not isinstance(value, Mapping):
            raise FrontChannelConfigurationError(f"{name} must be a JSON string or an object")
        return [_json_text(name, value)]
    if isinstance(value, bool):  # before int: True is an int
        return ["true" if value else "false"]
    if isinstance(value, (str, int, float)):
        return [str(value)]
    if isinstance(value, Mapping):
        return [_json_text(name, value)]
    if isinstance(value, (list, tuple)):
        items = _text_items(name, value)
        if name in _SPACE_DELIMITED:
            return [" ".join(items)] if items else []
        return items
    raise FrontChannelConfigurationError(
        f"Parameter {name!r} has an unsupported type: {type(value).__name__}"
    )


def add_parameter(params: Parameters, name: str, value: object) -> None:
    """Append the wire values of ``value`` under ``name``."""
    for text in encode_parameter(name, value):
        params.add(name, text)


# Names that may legitimately repeat between the endpoint's own query and ours.
_REPEATABLE = frozenset({"resource"})


def build_url(endpoint: str, params: Parameters) -> str:
    """``endpoint`` with ``params`` appended to any query it already has."""
    if not params:
        return endpoint
    existing_query = endpoint.partition("?")[2]
    existing = {name for name, _ in parse_pairs(existing_query)}
    clashes = sorted((existing & {name for name, _ in params}) - _REPEATABLE)
    if clashes:
        raise FrontChannelConfigurationError(
            f"The endpoint's query already contains {', '.join(clashes)}"
        )
    query = params.to_query()
    if "?" not in endpoint:
        return f"{endpoint}?{query}"
    if endpoint.endswith(("?", "&")):
        return f"{endpoint}{query}"
    return f"{endpoint}&{query}"
