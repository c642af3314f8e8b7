"""``WWW-Authenticate`` challenges (RFC 9110 §11.6.1), parsed once for every endpoint.

A 401 from a token endpoint or resource says why in a challenge:
``DPoP error="use_dpop_nonce", algs="ES256"`` (RFC 9449 §7.1), ``Bearer error="invalid_token",
error_description="expired"`` (RFC 6750 §3), ``Bearer resource_metadata="..."``
(RFC 9728 §5.1). One header may hold several challenges and the header may repeat.

The parser is strict about syntax but never raises: what it cannot read is skipped, so a
hostile header costs a bounded amount of work and yields no challenge.

:func:`parse_www_authenticate` reads every ``WWW-Authenticate`` field of a response (a
header mapping, the values, or one value) and returns :class:`Challenge` values whose
parameters the specifications define are typed properties: ``realm``, ``error``,
``error_description``, ``error_uri``, ``scope`` (RFC 6750 §3), ``resource_metadata``
(RFC 9728 §5.1), ``algs`` (RFC 9449 §7.1), ``acr_values`` and ``max_age`` (RFC 9470 §3,
step-up authentication); any other parameter is in ``other_params``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "INSUFFICIENT_USER_AUTHENTICATION",
    "Challenge",
    "WwwAuthenticateSource",
    "find_challenge",
    "parse_challenges",
    "parse_www_authenticate",
]

_MAX_HEADER = 8192
_MAX_TOTAL = 32 * 1024  # every WWW-Authenticate field of one response, together
_MAX_CHALLENGES = 32
_MAX_AGE_DIGITS = 10
_MAX_AGE_LIMIT = 2**31 - 1  # seconds (68 years): anything larger is not a real max_age
_KNOWN_PARAMS = frozenset(
    {
        "realm",
        "error",
        "error_description",
        "error_uri",
        "scope",
        "resource_metadata",
        "algs",
        "acr_values",
        "max_age",
    }
)

INSUFFICIENT_USER_AUTHENTICATION = "insufficient_user_authentication"
"""The RFC 9470 error code of a step-up challenge (with ``acr_values`` and/or ``max_age``)."""
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_TOKEN68 = r"[A-Za-z0-9\-._~+/]+=*"
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_SCHEME = re.compile(rf"\s*({_TOKEN})")
_PARAM = re.compile(rf"\s*({_TOKEN})\s*=\s*({_TOKEN}|{_QUOTED})\s*(,|$)")
_TOKEN68_VALUE = re.compile(rf"\s+({_TOKEN68})\s*(,|$)")
_SEPARATOR = re.compile(r"\s*,")


@dataclass(frozen=True, slots=True)
class Challenge:
    """One challenge: the scheme (compare case-insensitively) and its parameters.

    Parameter names are lower-cased (they are case-insensitive); values are unquoted.
    """

    scheme: str
    params: Mapping[str, str] = field(default_factory=dict)
    token68: str | None = None

    @property
    def error(self) -> str | None:
        return self.params.get("error")

    @property
    def error_description(self) -> str | None:
        return self.params.get("error_description")

    @property
    def realm(self) -> str | None:
        return self.params.get("realm")

    @property
    def error_uri(self) -> str | None:
        return self.params.get("error_uri")

    @property
    def scope(self) -> str | None:
        """The scope the resource asks for (RFC 6750 §3), space-separated as sent."""
        return self.params.get("scope")

    @property
    def scopes(self) -> tuple[str, ...]:
        """``scope`` split on spaces (empty when absent)."""
        return _words(self.params.get("scope"))

    @property
    def resource_metadata(self) -> str | None:
        """Where the resource's RFC 9728 metadata is (RFC 9728 §5.1), not yet checked."""
        return self.params.get("resource_metadata")

    @property
    def algs(self) -> tuple[str, ...]:
        """The DPoP proof algorithms the resource accepts (RFC 9449 §7.1); empty when absent."""
        return _words(self.params.get("algs"))

    @property
    def acr_values(self) -> tuple[str, ...]:
        """The authentication context classes a step-up asks for (RFC 9470 §3)."""
        return _words(self.params.get("acr_values"))

    @property
    def max_age(self) -> int | None:
        """The largest authentication age in seconds a step-up accepts (RFC 9470 §3).

        ``None`` when absent or not a plain non-negative integer of at most 10 digits
        below 2**31: a malformed value is ignored, never guessed at.
        """
        value = self.params.get("max_age")
        if value is None or not (0 < len(value) <= _MAX_AGE_DIGITS):
            return None
        if not value.isascii() or not value.isdigit():
            return None
        number = int(value)
        return number if number <= _MAX_AGE_LIMIT else None

    @property
    def is_step_up(self) -> bool:
        """Whether the resource asks for a fresher or stronger login (RFC 9470)."""
        return self.error == INSUFFICIENT_USER_AUTHENTICATION

    @property
    def other_params(self) -> dict[str, str]:
        """Parameters without a typed property (lower-cased names)."""
        return {k: v for k, v in self.params.items() if k not in _KNOWN_PARAMS}

    def has_scheme(self, scheme: str) -> bool:
        """Whether this challenge's scheme is ``scheme`` (schemes are case-insensitive)."""
        return self.scheme.lower() == scheme.lower()


def _words(value: str | None) -> tuple[str, ...]:
    return tuple(value.split()) if value else ()


def _unquote(value: str) -> str:
    if value.startswith('"'):
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _parse_params(text: str, pos: int) -> tuple[dict[str, str], int, bool]:
    """Parameters from ``pos``; the end position and whether the last one ended with a comma.

    A token after a comma that is not followed by ``=`` is the next challenge's scheme:
    the loop stops before it, just after the comma.
    """
    params: dict[str, str] = {}
    after_comma = False
    while True:
        match = _PARAM.match(text, pos)
        if match is None:
            return params, pos, after_comma
        params.setdefault(match.group(1).lower(), _unquote(match.group(2)))
        pos = match.end()
        after_comma = match.group(3) == ","
        if not after_comma:
            return params, pos, False


def parse_challenges(value: str | None) -> list[Challenge]:
    """The challenges of one (possibly combined) ``WWW-Authenticate`` value."""
    if not value or len(value) > _MAX_HEADER:
        return []
    challenges: list[Challenge] = []
    pos, end = 0, len(value)
    while pos < end:
        separator = _SEPARATOR.match(value, pos)
        if separator is not None:  # empty list elements are allowed (RFC 9110 §5.6.1)
            pos = separator.end()
            continue
        scheme = _SCHEME.match(value, pos)
        if scheme is None:
            break  # unreadable: keep what was read
        pos = scheme.end()
        rest = value[pos:].lstrip(" \t")
        if not rest or rest.startswith(","):
            challenges.append(Challenge(scheme.group(1)))
            continue
        token68 = _TOKEN68_VALUE.match(value, pos)
        if token68 is not None:
            challenges.append(Challenge(scheme.group(1), {}, token68.group(1)))
            pos = token68.end()
            continue
        params, pos, after_comma = _parse_params(value, pos)
        if not params:
            break  # neither token68 nor parameters after the scheme: malformed
        challenges.append(Challenge(scheme.group(1), params))
        if not after_comma and value[pos:].strip():
            break
    return challenges


def find_challenge(headers: Mapping[str, str] | None, scheme: str) -> Challenge | None:
    """The first challenge of ``scheme`` (case-insensitive) in the response headers."""
    if not headers:
        return None
    wanted = scheme.lower()
    for challenge in parse_challenges(headers.get("www-authenticate")):
        if challenge.scheme.lower() == wanted:
            return challenge
    return None


WwwAuthenticateSource = str | Mapping[str, str] | Iterable[str] | None
"""What :func:`parse_www_authenticate` reads: one header value, the values of several
``WWW-Authenticate`` fields, or response headers (this library's ``Headers``, an
``httpx.Headers``, or any mapping; the name is matched case-insensitively)."""


def _header_values(source: Any) -> list[str]:
    """Every ``WWW-Authenticate`` value of ``source``, one per field when it can tell."""
    if source is None:
        return []
    if isinstance(source, (str, bytes)):
        return [source] if isinstance(source, str) else []
    pairs: Any = None
    for name in ("raw_items", "multi_items"):  # Headers / httpx.Headers: fields one by one
        method = getattr(source, name, None)
        if callable(method):
            try:
                pairs = list(method())
            except Exception:  # a foreign object: fall back to the mapping
                pairs = None
            break
    if pairs is None and isinstance(source, Mapping):
        pairs = list(source.items())
    if pairs is not None:
        values = []
        for pair in pairs:
            if isinstance(pair, tuple) and len(pair) == 2:
                name, value = pair
                if isinstance(name, bytes):
                    name = name.decode("latin-1")
                if isinstance(value, bytes):
                    value = value.decode("latin-1")
                if (
                    isinstance(name, str)
                    and name.lower() == "www-authenticate"
                    and isinstance(value, str)
                ):
                    values.append(value)
        return values
    if isinstance(source, Iterable):
        return [value for value in source if isinstance(value, str)]
    return []


def parse_www_authenticate(source: WwwAuthenticateSource) -> tuple[Challenge, ...]:
    """Every challenge of a response's ``WWW-Authenticate`` fields, in order.

    Accepts a header value, several values (the field may repeat, RFC 9110 §11.6.1), or the
    response headers. Each value is parsed on its own, so a malformed field loses only its
    own challenges. Never raises: an unreadable value (or a value over 8 KiB) gives no
    challenge; at most 32 challenges and 32 KiB of header text are read.
    """
    challenges: list[Challenge] = []
    budget = _MAX_TOTAL
    try:
        values = _header_values(source)
    except Exception:  # never raise for what a server or caller handed us
        return ()
    for value in values:
        budget -= len(value)
        if budget < 0:
            break
        challenges.extend(parse_challenges(value))
        if len(challenges) >= _MAX_CHALLENGES:
            break
    return tuple(challenges[:_MAX_CHALLENGES])
