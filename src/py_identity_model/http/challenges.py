"""``WWW-Authenticate`` challenges (RFC 9110 §11.6.1), parsed once for every endpoint.

A 401 from a token endpoint or resource says why in a challenge:
``DPoP error="use_dpop_nonce", algs="ES256"`` (RFC 9449 §7.1), ``Bearer error="invalid_token",
error_description="expired"`` (RFC 6750 §3), ``Bearer resource_metadata="..."``
(RFC 9728 §5.1). One header may hold several challenges and the header may repeat.

The parser is strict about syntax but never raises: what it cannot read is skipped, so a
hostile header costs a bounded amount of work and yields no challenge.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Challenge", "find_challenge", "parse_challenges"]

_MAX_HEADER = 8192
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
