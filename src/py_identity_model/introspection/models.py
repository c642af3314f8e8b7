"""Token introspection requests and responses (RFC 7662; JWT responses, RFC 9701).

``TokenIntrospectionRequest(address, token, client_id, token_type_hint=None,
client_secret=None, private_key_jwt=None, mtls=None, client_auth_method=None)`` keeps the
4.x field order; what is new is keyword-only: the
:class:`~py_identity_model.endpoints.options.ClientRequestOptions` every client-authenticated
request takes, and ``jwt_response`` to ask for a signed (and possibly encrypted) answer.

:class:`TokenIntrospectionResponse` keeps the answer in ``claims`` (4.x) and reads it through
typed properties. An inactive token is a *successful* introspection whose ``active`` is
False: the server answered, and its answer is "do not accept this token". The members that
decide whether an API accepts a token are checked when the answer arrives (``active`` a
boolean; ``exp``/``iat``/``nbf`` whole numbers in range; ``scope``, ``aud`` and ``cnf`` of
their RFC 7662 types), so a property never has to guess.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass
from typing import TYPE_CHECKING, Any

from ..endpoints.fields import AuthMethodField, ClientSecretField, MtlsField, PrivateKeyJwtField
from ..endpoints.options import ClientRequestOptions
from ..errors import ErrorCodes
from ..http.results import ProtocolResponse
from ..rar.details import authorization_details_problem
from ..revocation.models import (
    AddressField,
    ClientIdField,
    TokenField,
    TokenTypeHintField,
    token_parameters,
)
from ..utils.parameters import Parameters
from ..utils.redaction import SECRET_FIELDS, redacted_repr

if TYPE_CHECKING:
    from ..validation.jwt_response import JwtResponseValidation

__all__ = [
    "INTROSPECTION_JWT_MEDIA_TYPE",
    "MAX_TIMESTAMP",
    "TokenIntrospectionRequest",
    "TokenIntrospectionResponse",
    "claims_problem",
]

INTROSPECTION_JWT_MEDIA_TYPE = "application/token-introspection+jwt"
"""The media type of a JWT introspection response (RFC 9701 §4, §5); also its ``typ``
(``token-introspection+jwt``)."""

MAX_TIMESTAMP = 253402300799
"""The largest ``exp``/``iat``/``nbf`` accepted (9999-12-31T23:59:59Z): beyond it a value is
a bug or an attack, and date arithmetic on it must never overflow."""

_TIME_MEMBERS = ("exp", "iat", "nbf")


@dataclass(repr=False)
class TokenIntrospectionRequest(
    ClientRequestOptions,
    AuthMethodField,
    MtlsField,
    PrivateKeyJwtField,
    ClientSecretField,
    TokenTypeHintField,
    ClientIdField,
    TokenField,
    AddressField,
):
    """Ask the authorization server about a token (RFC 7662 §2.1).

    Fields: ``address, token, client_id, token_type_hint, client_secret, private_key_jwt,
    mtls, client_auth_method``, then the keyword-only options of
    :class:`~py_identity_model.endpoints.options.ClientRequestOptions` and

    Attributes:
        jwt_response: ask for a JWT response (RFC 9701: ``Accept:
            application/token-introspection+jwt``) and verify it with these keys: the
            signature, ``typ`` ``token-introspection+jwt``, ``iss`` the server, ``aud`` this
            client, ``iat`` present; decrypted first when encrypted (``decryption_keys``).
            A signed answer is what a resource server can keep as evidence, and it cannot
            be altered by anything between the two.
        require_jwt_response: with ``jwt_response``, a plain JSON answer is a failure
            (``wrong_content_type``) by default: a server that ignores the ``Accept`` header
            gives no signature to check. ``False`` accepts it as an unsigned answer.
    """

    _: KW_ONLY
    jwt_response: JwtResponseValidation | None = None
    require_jwt_response: bool = True

    def endpoint_parameters(self) -> Parameters:
        return token_parameters(self.token, self.token_type_hint)


@dataclass(repr=False)
class TokenIntrospectionResponse(ProtocolResponse):
    """The answer of the introspection endpoint.

    ``claims`` is the introspection answer as a dict (for a JWT response: its unwrapped
    ``token_introspection`` claim); ``jwt_claims`` the verified JWT's own claims (``iss``,
    ``aud``, ``iat``, ...), only for a JWT response. Check :attr:`active` first: an
    inactive token is a success with ``active`` False and usually nothing else.
    """

    claims: dict[str, Any] | None = None
    _: KW_ONLY
    jwt_claims: dict[str, Any] | None = None

    def _get(self, name: str) -> Any:
        return (self.claims or {}).get(name)

    def _text(self, name: str) -> str | None:
        value = self._get(name)
        return value if isinstance(value, str) else None

    def _time(self, name: str) -> int | None:
        value = self._get(name)
        return _timestamp(value)

    @property
    def active(self) -> bool:
        """Whether the server considers the token active (False on a failed response)."""
        return self._get("active") is True

    @property
    def scope(self) -> str | None:
        """The scopes as one space-separated string (a legacy JSON array is joined)."""
        value = self._get("scope")
        if isinstance(value, list):
            return " ".join(value)
        return value if isinstance(value, str) else None

    @property
    def scopes(self) -> tuple[str, ...]:
        """The scopes, one item each (empty when there are none)."""
        return tuple((self.scope or "").split())

    @property
    def client_id(self) -> str | None:
        return self._text("client_id")

    @property
    def username(self) -> str | None:
        return self._text("username")

    @property
    def token_type(self) -> str | None:
        return self._text("token_type")

    @property
    def exp(self) -> int | None:
        return self._time("exp")

    @property
    def iat(self) -> int | None:
        return self._time("iat")

    @property
    def nbf(self) -> int | None:
        return self._time("nbf")

    @property
    def sub(self) -> str | None:
        return self._text("sub")

    @property
    def aud(self) -> str | list[str] | None:
        """The audience: a string, or a list of strings."""
        value = self._get("aud")
        if isinstance(value, list):
            return list(value)
        return value if isinstance(value, str) else None

    @property
    def iss(self) -> str | None:
        return self._text("iss")

    @property
    def jti(self) -> str | None:
        return self._text("jti")

    @property
    def cnf(self) -> dict[str, Any] | None:
        """The confirmation (RFC 7800; ``jkt`` for DPoP, ``x5t#S256`` for mTLS)."""
        value = self._get("cnf")
        return dict(value) if isinstance(value, dict) else None

    @property
    def authorization_details(self) -> list[dict[str, Any]] | None:
        """The authorization details the token carries (RFC 9396 §9.2), checked on arrival."""
        value = self._get("authorization_details")
        return list(value) if isinstance(value, list) else None

    def __repr__(self) -> str:
        return redacted_repr(self, SECRET_FIELDS | {"jwt_claims"})


def _timestamp(value: Any) -> int | None:
    """A NumericDate (RFC 7519 §2) as whole seconds within 0..MAX_TIMESTAMP, else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if not 0 <= value <= MAX_TIMESTAMP:
        return None
    return int(value)


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def claims_problem(claims: Mapping[str, Any]) -> tuple[str, str] | None:
    """Why an introspection answer is unusable, as ``(error_code, message)``, or None.

    ``active`` is required and must be a boolean (RFC 7662 §2.2); the time members must be
    whole-second timestamps in range; ``scope`` a string (or the legacy array of strings),
    ``aud`` a string or an array of strings, ``cnf`` an object.
    """
    if "active" not in claims:
        return ErrorCodes.MISSING_FIELDS, "the answer lacks active (RFC 7662 §2.2)"
    if not isinstance(claims["active"], bool):
        return ErrorCodes.INVALID_RESPONSE, "active must be a boolean (RFC 7662 §2.2)"
    for name in _TIME_MEMBERS:
        if name in claims and _timestamp(claims[name]) is None:
            return (
                ErrorCodes.INVALID_NUMBER,
                f"{name} must be a number of seconds since the epoch from 0 to {MAX_TIMESTAMP}",
            )
    scope = claims.get("scope")
    if scope is not None and not (isinstance(scope, str) or _strings(scope)):
        return ErrorCodes.INVALID_RESPONSE, "scope must be a string of space-separated scopes"
    aud = claims.get("aud")
    if aud is not None and not (isinstance(aud, str) or _strings(aud)):
        return ErrorCodes.INVALID_RESPONSE, "aud must be a string or an array of strings"
    cnf = claims.get("cnf")
    if cnf is not None and not isinstance(cnf, dict):
        return ErrorCodes.INVALID_RESPONSE, "cnf must be a JSON object (RFC 7800)"
    if "authorization_details" in claims:
        details = authorization_details_problem(claims["authorization_details"])
        if details is not None:
            return ErrorCodes.MALFORMED_AUTHORIZATION_DETAILS, f"{details} (RFC 9396 §9.2)"
    return None
