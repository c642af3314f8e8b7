"""Claims-based identity, modelled on .NET's ``System.Security.Claims``.

* :class:`Claim` - an immutable ``(type, value)`` statement with value type and issuer.
* :class:`ClaimsIdentity` - the claims of one authentication, with configurable name and
  role claim types.
* :class:`ClaimsPrincipal` - one or more identities (plus optional loose claims).
* :func:`to_principal` - turns validated token claims into a principal.

Claim types and values are compared case-sensitively (JWT claim names are
case-sensitive, RFC 7519 §4). A claim's ``value`` is always a ``str``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

from ..exceptions import ConfigurationException

__all__ = [
    "DEFAULT_ISSUER",
    "DEFAULT_NAME_CLAIM_TYPE",
    "DEFAULT_ROLE_CLAIM_TYPE",
    "Claim",
    "ClaimValueTypes",
    "ClaimsIdentity",
    "ClaimsPrincipal",
    "to_principal",
]

DEFAULT_ISSUER: Final = "LOCAL AUTHORITY"
"""The issuer of a claim created without one (.NET ``ClaimsIdentity.DefaultIssuer``)."""

DEFAULT_NAME_CLAIM_TYPE: Final = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"
""".NET ``ClaimTypes.Name``: the default ``ClaimsIdentity.name_type_claim``."""

DEFAULT_ROLE_CLAIM_TYPE: Final = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"
""".NET ``ClaimTypes.Role``: the default ``ClaimsIdentity.role_type_claim``."""

_INT32 = range(-(2**31), 2**31)
_INT64 = range(-(2**63), 2**63)


class ClaimValueTypes:
    """Value type URIs for :attr:`Claim.value_type` (.NET ``ClaimValueTypes`` and
    ``Microsoft.IdentityModel.JsonWebTokens.JsonClaimValueTypes`` for JSON)."""

    String: Final = "http://www.w3.org/2001/XMLSchema#string"
    Boolean: Final = "http://www.w3.org/2001/XMLSchema#boolean"
    Integer: Final = "http://www.w3.org/2001/XMLSchema#integer"
    Integer32: Final = "http://www.w3.org/2001/XMLSchema#integer32"
    Integer64: Final = "http://www.w3.org/2001/XMLSchema#integer64"
    Double: Final = "http://www.w3.org/2001/XMLSchema#double"
    DateTime: Final = "http://www.w3.org/2001/XMLSchema#dateTime"
    Json: Final = "JSON"
    JsonArray: Final = "JSON_ARRAY"
    JsonNull: Final = "JSON_NULL"


# ------------------------------------------------------------------------------ Claim


class Claim:
    """A statement about a subject: ``claim_type`` = ``value``, made by ``issuer``.

    ``issuer`` defaults to ``"LOCAL AUTHORITY"`` and ``original_issuer`` to ``issuer``
    (empty strings count as absent, as in .NET). Claims are immutable and compare equal
    when type, value, value type, issuer and original issuer are equal; ``properties``
    (free-form metadata) takes no part in equality.
    """

    __slots__ = (
        "_claim_type",
        "_issuer",
        "_original_issuer",
        "_value",
        "_value_type",
        "properties",
    )

    def __init__(
        self,
        claim_type: str,
        value: str,
        value_type: str = ClaimValueTypes.String,
        issuer: str | None = None,
        original_issuer: str | None = None,
    ) -> None:
        if value is None:
            raise ConfigurationException("A claim value must not be None")
        self._claim_type = str(claim_type)
        # ``value`` is documented as str; other JSON values are stringified the way
        # to_principal does it, so ``Claim.value`` is a str in every case.
        self._value = value if isinstance(value, str) else _text_and_type(value)[0]
        self._value_type = value_type or ClaimValueTypes.String
        self._issuer = issuer or DEFAULT_ISSUER
        self._original_issuer = original_issuer or self._issuer
        self.properties: dict[str, str] = {}

    @property
    def claim_type(self) -> str:
        return self._claim_type

    @property
    def type(self) -> str:
        """Alias of :attr:`claim_type` (.NET ``Claim.Type``)."""
        return self._claim_type

    @property
    def value(self) -> str:
        return self._value

    @property
    def value_type(self) -> str:
        return self._value_type

    @property
    def issuer(self) -> str:
        return self._issuer

    @property
    def original_issuer(self) -> str:
        return self._original_issuer

    def _key(self) -> tuple[str, str, str, str, str]:
        return (
            self._claim_type,
            self._value,
            self._value_type,
            self._issuer,
            self._original_issuer,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Claim):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        return f"{self._claim_type}: {self._value}"

    def __repr__(self) -> str:
        return (
            f"Claim(claim_type={self._claim_type!r}, value={self._value!r}, "
            f"issuer={self._issuer!r})"
        )


# --------------------------------------------------------------------- ClaimsIdentity


class ClaimsIdentity:
    """The claims of one authenticated (or anonymous) identity.

    ``is_authenticated()`` is true iff an ``authentication_type`` is set. ``name`` is the
    value of the first claim of ``name_type_claim``; roles are claims of
    ``role_type_claim``.
    """

    __slots__ = ("_authentication_type", "_claims", "name_type_claim", "role_type_claim")

    def __init__(
        self,
        claims: Iterable[Claim] | None = None,
        authentication_type: str | None = None,
        name_type_claim: str = DEFAULT_NAME_CLAIM_TYPE,
        role_type_claim: str = DEFAULT_ROLE_CLAIM_TYPE,
    ) -> None:
        self._claims: list[Claim] = list(claims) if claims is not None else []
        self._authentication_type = authentication_type or None
        self.name_type_claim = name_type_claim or DEFAULT_NAME_CLAIM_TYPE
        self.role_type_claim = role_type_claim or DEFAULT_ROLE_CLAIM_TYPE

    @property
    def claims(self) -> list[Claim]:
        """The identity's claims, in order (the live list, as in py-identity-model 4.x)."""
        return self._claims

    @property
    def authentication_type(self) -> str | None:
        return self._authentication_type

    @property
    def name(self) -> str | None:
        claim = self.find_first(self.name_type_claim)
        return claim.value if claim is not None else None

    def is_authenticated(self) -> bool:
        return self._authentication_type is not None

    def add_claim(self, claim: Claim) -> None:
        self._claims.append(claim)

    def add_claims(self, claims: Iterable[Claim]) -> None:
        self._claims.extend(claims)

    def find_first(self, claim_type: str) -> Claim | None:
        return next((c for c in self._claims if c.claim_type == claim_type), None)

    def find_all(self, claim_type: str) -> list[Claim]:
        return [c for c in self._claims if c.claim_type == claim_type]

    def has_claim(self, claim_type: str, value: str | None = None) -> bool:
        """Whether a claim of ``claim_type`` exists (with ``value``, when given)."""
        return _has_claim(self._claims, claim_type, value)

    def is_in_role(self, role: str) -> bool:
        return self.has_claim(self.role_type_claim, role)

    def __iter__(self) -> Iterator[Claim]:
        return iter(self._claims)

    def __repr__(self) -> str:
        return (
            f"ClaimsIdentity(authentication_type={self._authentication_type!r}, "
            f"claims={len(self._claims)})"
        )


def _has_claim(claims: Iterable[Claim], claim_type: str, value: str | None) -> bool:
    return any(c.claim_type == claim_type and (value is None or c.value == value) for c in claims)


# -------------------------------------------------------------------- ClaimsPrincipal


class ClaimsPrincipal:
    """A user: one or more :class:`ClaimsIdentity` objects.

    ``identity`` is the first identity (``None`` without one). ``claims`` passed to the
    constructor are loose principal-level claims (py-identity-model 4.x compatibility):
    they come first in :attr:`claims` and count as roles when their type is the .NET role
    claim type.
    """

    __slots__ = ("_claims", "_identities")

    def __init__(
        self,
        identity: ClaimsIdentity | None = None,
        claims: Iterable[Claim] | None = None,
    ) -> None:
        self._identities: list[ClaimsIdentity] = [identity] if identity is not None else []
        self._claims: list[Claim] = list(claims) if claims is not None else []

    @property
    def identity(self) -> ClaimsIdentity | None:
        return self._identities[0] if self._identities else None

    @property
    def identities(self) -> list[ClaimsIdentity]:
        return list(self._identities)

    @property
    def claims(self) -> list[Claim]:
        """Principal-level claims, then every identity's claims, in order (a new list)."""
        result = list(self._claims)
        for identity in self._identities:
            result.extend(identity.claims)
        return result

    def add_identity(self, identity: ClaimsIdentity) -> None:
        if not isinstance(identity, ClaimsIdentity):
            raise ConfigurationException("add_identity expects a ClaimsIdentity")
        self._identities.append(identity)

    def add_identities(self, identities: Iterable[ClaimsIdentity]) -> None:
        for identity in identities:
            self.add_identity(identity)

    def has_claim(self, claim_type: str, value: str | None = None) -> bool:
        return _has_claim(self.claims, claim_type, value)

    def find_first(self, claim_type: str) -> Claim | None:
        return next((c for c in self.claims if c.claim_type == claim_type), None)

    def find_all(self, claim_type: str) -> list[Claim]:
        return [c for c in self.claims if c.claim_type == claim_type]

    def is_in_role(self, role: str) -> bool:
        """Whether any identity has a claim of *its own* ``role_type_claim`` equal to ``role``."""
        if any(identity.is_in_role(role) for identity in self._identities):
            return True
        return _has_claim(self._claims, DEFAULT_ROLE_CLAIM_TYPE, role)

    def __repr__(self) -> str:
        return f"ClaimsPrincipal(identities={self._identities!r})"


# ----------------------------------------------------------------------- to_principal


def _number_text(value: int | float) -> tuple[str, str]:
    if isinstance(value, int):
        if value in _INT32:
            return str(value), ClaimValueTypes.Integer
        if value in _INT64:
            return str(value), ClaimValueTypes.Integer64
        return str(value), ClaimValueTypes.Integer
    return repr(value), ClaimValueTypes.Double  # shortest round-trip form: 1.5, 1e+20


def _text_and_type(value: Any) -> tuple[str, str]:
    """A JSON value as claim text plus its value type (``value`` must not be None)."""
    if isinstance(value, str):
        return value, ClaimValueTypes.String
    if isinstance(value, bool):  # before int: bool is an int subclass
        return ("true" if value else "false"), ClaimValueTypes.Boolean
    if isinstance(value, (int, float)):
        return _number_text(value)
    if isinstance(value, Mapping):
        return _compact_json(dict(value)), ClaimValueTypes.Json
    if isinstance(value, (list, tuple)):
        return _compact_json(list(value)), ClaimValueTypes.JsonArray
    return str(value), ClaimValueTypes.String


def _compact_json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


def to_principal(
    token_claims: Mapping[str, Any], authentication_type: str = "Bearer"
) -> ClaimsPrincipal:
    """Turn validated token claims into a :class:`ClaimsPrincipal` with one identity.

    The identity uses ``name_type_claim="name"`` and ``role_type_claim="role"``; each
    claim's issuer is the token's ``iss`` (``"LOCAL AUTHORITY"`` without one). Conversion:

    * a string stays as is;
    * ``True``/``False`` -> ``"true"``/``"false"`` (``ClaimValueTypes.Boolean``);
    * an integer -> decimal digits (``Integer``/``Integer64``); a float -> its shortest
      round-trip form such as ``"1.5"`` (``Double``);
    * an object -> compact JSON (``Json``), also inside arrays;
    * an array -> one claim per element (a nested array is one ``JsonArray`` claim);
    * ``null`` (top level or inside an array) -> no claim.
    """
    issuer_claim = token_claims.get("iss")
    issuer = issuer_claim if isinstance(issuer_claim, str) and issuer_claim else DEFAULT_ISSUER
    claims: list[Claim] = []
    for name, raw in token_claims.items():
        claim_type = str(name)
        values = raw if isinstance(raw, list) else [raw]
        for item in values:
            if item is None:
                continue
            text, value_type = _text_and_type(item)
            claims.append(Claim(claim_type, text, value_type, issuer, issuer))
    identity = ClaimsIdentity(
        claims,
        authentication_type=authentication_type,
        name_type_claim="name",
        role_type_claim="role",
    )
    return ClaimsPrincipal(identity)
