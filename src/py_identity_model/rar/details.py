"""``authorization_details`` (RFC 9396): a list of typed objects, checked once for every use.

An authorization detail is a JSON object with a required string ``type`` (what kind of
access it asks for, e.g. ``"payment_initiation"``) and, optionally, the common fields of
RFC 9396 §2.2 (``locations``, ``actions``, ``datatypes``, ``privileges``: arrays of strings;
``identifier``: a string) and any fields its type defines.

* **Requests** (authorize URL, PAR, token requests, request objects):
  :func:`authorization_details_list` accepts :class:`AuthorizationDetail` values, mappings,
  a list of them, or JSON text, checks the shape and returns plain dicts;
  :func:`authorization_details_json` is the compact JSON sent as the parameter's value.
  A malformed value is misuse: :class:`~py_identity_model.ConfigurationException`.
* **Responses** (token and introspection answers, RFC 9396 §7 and §9.2):
  :func:`authorization_details_problem` says why a received value is unusable, so the parser
  turns it into a failed result (``malformed_authorization_details``) instead of handing
  the application a value of the wrong shape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..exceptions import ConfigurationException
from ..utils.strict_json import StrictJsonError, dumps_compact, loads_object

__all__ = [
    "MAX_AUTHORIZATION_DETAILS",
    "AuthorizationDetail",
    "AuthorizationDetailsInput",
    "authorization_details_json",
    "authorization_details_list",
    "authorization_details_problem",
]

MAX_AUTHORIZATION_DETAILS = 64
"""The most entries accepted, sent or received: a request for more kinds of access than
this is a bug, and a response with more is not read."""

_ARRAY_FIELDS = ("locations", "actions", "datatypes", "privileges")
_COMMON_FIELDS = frozenset({"type", "identifier", *_ARRAY_FIELDS})


@dataclass(frozen=True)
class AuthorizationDetail:
    """One authorization detail (RFC 9396 §2).

    ``type`` is required; the common fields are optional; ``extra`` holds the fields the
    type defines (``instructedAmount``, ``creditorName``, ...), which may not repeat a common
    field. :meth:`to_dict` is the JSON object sent.
    """

    type: str
    locations: Sequence[str] | None = None
    actions: Sequence[str] | None = None
    datatypes: Sequence[str] | None = None
    identifier: str | None = None
    privileges: Sequence[str] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.extra, Mapping):
            raise ConfigurationException("AuthorizationDetail.extra must be a mapping")
        clash = sorted(_COMMON_FIELDS.intersection(self.extra))
        if clash:
            raise ConfigurationException(
                f"AuthorizationDetail.extra repeats common field(s) {clash}: use the fields"
            )
        problem = _entry_problem(self.to_dict())
        if problem is not None:
            raise ConfigurationException(f"authorization_details: {problem}")

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: ``type``, the common fields that are set, then ``extra``."""
        data: dict[str, Any] = {"type": self.type}
        for name in ("locations", "actions", "datatypes", "identifier", "privileges"):
            value = getattr(self, name)
            if value is None:
                continue
            # Copies of the arrays; anything else is kept for the shape check to refuse.
            data[name] = list(value) if isinstance(value, (list, tuple)) else value
        data.update(self.extra)
        return data


AuthorizationDetailsInput = (
    str
    | AuthorizationDetail
    | Mapping[str, Any]
    | Sequence[AuthorizationDetail | Mapping[str, Any]]
)
"""What a request accepts for ``authorization_details``: values, objects, or JSON text."""


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _entry_problem(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return "each entry must be a JSON object"
    kind = entry.get("type")
    if not isinstance(kind, str) or not kind.strip():
        return "each entry must have a non-empty string 'type' (RFC 9396 §2)"
    for name in _ARRAY_FIELDS:
        if name in entry and not _strings(entry[name]):
            return f"{name!r} of a {kind[:40]!r} entry must be an array of strings (RFC 9396 §2.2)"
    if "identifier" in entry and not isinstance(entry["identifier"], str):
        return f"'identifier' of a {kind[:40]!r} entry must be a string (RFC 9396 §2.2)"
    return None


def authorization_details_problem(value: Any, *, allow_empty: bool = True) -> str | None:
    """Why ``value`` (parsed JSON) is not a valid ``authorization_details`` array, or None."""
    if not isinstance(value, list):
        return "authorization_details must be a JSON array of objects (RFC 9396 §2)"
    if not value and not allow_empty:
        return "authorization_details must not be empty"
    if len(value) > MAX_AUTHORIZATION_DETAILS:
        return f"authorization_details has more than {MAX_AUTHORIZATION_DETAILS} entries"
    for entry in value:
        problem = _entry_problem(entry)
        if problem is not None:
            return problem
    return None


def _plain(value: Any) -> Any:
    """JSON-ready copies: mappings become dicts, tuples and other sequences lists."""
    if isinstance(value, AuthorizationDetail):
        return _plain(value.to_dict())
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise ConfigurationException("authorization_details member names must be strings")
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def authorization_details_list(value: object) -> list[dict[str, Any]]:
    """The caller's ``authorization_details`` as checked JSON objects.

    ``value`` may be an :class:`AuthorizationDetail`, a mapping (one entry), a list of
    them, or JSON text of an array. Raises ConfigurationException for anything else, an
    empty list, or an entry without a string ``type``.
    """
    if isinstance(value, str):
        try:
            # Strict JSON (no duplicate members, ...) for a value that must be an array: the
            # one-member wrapper object must still have one member when parsed.
            wrapper = loads_object(f'{{"v":{value}}}')
        except StrictJsonError:
            wrapper = {}
        if list(wrapper) != ["v"]:
            raise ConfigurationException("authorization_details text is not a JSON array")
        parsed: Any = wrapper["v"]
    elif isinstance(value, (AuthorizationDetail, Mapping)):
        parsed = [_plain(value)]
    elif isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        parsed = _plain(list(value))
    else:
        raise ConfigurationException(
            "authorization_details must be a list of AuthorizationDetail values or objects, "
            "an object, or JSON text"
        )
    problem = authorization_details_problem(parsed, allow_empty=False)
    if problem is not None:
        raise ConfigurationException(problem)
    return list(parsed)


def authorization_details_json(value: object) -> str:
    """The compact JSON text of ``authorization_details`` (checked as
    :func:`authorization_details_list`)."""
    details = authorization_details_list(value)
    try:
        return dumps_compact(details).decode("utf-8")
    except StrictJsonError:
        raise ConfigurationException("authorization_details is not JSON-serialisable") from None
