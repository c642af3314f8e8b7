"""Rejections and their challenges: what a framework copies into its response.

A :class:`ResourceRejection` carries the ``status``, the ``error`` (RFC 6750 §3.1, RFC 9449
§7.1, RFC 9470), a safe ``description`` (never token or proof material), the exact
``headers`` (``WWW-Authenticate`` lines, ``DPoP-Nonce``) and a small JSON ``body``.
:class:`Challenges` builds the ``WWW-Authenticate`` values of one resource server:

* ``Bearer realm="...", error="...", error_description="...", scope="...",
  resource_metadata="..."`` (RFC 6750 §3, RFC 9728 §5.1; ``acr_values``/``max_age`` for a
  step-up, RFC 9470 §3);
* when DPoP is accepted, ``DPoP algs="...", error=...`` (RFC 9449 §7.1) with the same
  parameters, and ``DPoP-Nonce`` when a nonce is due (§9).

A request without a token gets the challenges and no ``error`` (RFC 6750 §3.1). Every value
is a quoted-string with ``"`` and ``\\`` escaped and anything outside printable ASCII
replaced, so nothing a client sent can break the header.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..exceptions import PyIdentityModelException

__all__ = ["Challenges", "ResourceRejection", "quote"]

_MAX_VALUE = 512


def quote(value: str) -> str:
    """``value`` as an RFC 9110 §5.6.4 quoted-string (quotes included)."""
    text = "".join(ch if " " <= ch <= "~" else "?" for ch in value[:_MAX_VALUE])
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class ResourceRejection(PyIdentityModelException):
    """The request is refused: answer ``status`` with ``headers`` and ``body``, unchanged.

    Attributes:
        status: 401 (no or bad token, step-up, DPoP nonce), 403 (insufficient scope or a
            claim requirement), 400 (a malformed request) or 503 (the keys or the
            introspection endpoint are unreachable: no blame on the token).
        error: ``invalid_request``, ``invalid_token``, ``insufficient_scope``,
            ``insufficient_user_authentication``, ``invalid_dpop_proof``,
            ``use_dpop_nonce``, ``temporarily_unavailable``; None for a request that carried
            no token (RFC 6750 §3.1).
        description: a fixed, safe explanation (never token material).
        error_code: the library's stable code (see :class:`~py_identity_model.errors.ErrorCodes`).
        headers: ``(name, value)`` pairs; ``WWW-Authenticate`` may appear twice (Bearer, DPoP).
        body: ``{"error": ..., "error_description": ...}`` (no ``error`` when none).
        reason: for a token that failed validation, the validator's finer code
            (``token_expired``, ``invalid_audience``...): for logs and metrics, not clients.
    """

    code = "resource_rejection"

    def __init__(
        self,
        status: int,
        error: str | None,
        description: str,
        *,
        error_code: str,
        headers: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description
        self.error_code = error_code
        self.headers: list[tuple[str, str]] = list(headers)
        body: dict[str, Any] = {}
        if error is not None:
            body["error"] = error
        body["error_description"] = description
        self.body = body
        self.reason: str | None = None

    @property
    def header_map(self) -> dict[str, str]:
        """The headers with repeated names comma-joined (RFC 9110 §5.3), for frameworks
        whose responses take a plain mapping."""
        joined: dict[str, str] = {}
        for name, value in self.headers:
            joined[name] = f"{joined[name]}, {value}" if name in joined else value
        return joined

    def __repr__(self) -> str:
        return f"ResourceRejection({self.status}, {self.error!r}, {self.error_code!r})"


class Challenges:
    """The ``WWW-Authenticate`` values of one resource server (see the module)."""

    __slots__ = ("dpop_algs", "offer_bearer", "offer_dpop", "realm")

    def __init__(
        self,
        *,
        realm: str | None,
        offer_bearer: bool,
        offer_dpop: bool,
        dpop_algs: Iterable[str],
    ) -> None:
        self.realm = realm
        self.offer_bearer = offer_bearer
        self.offer_dpop = offer_dpop
        self.dpop_algs = " ".join(dpop_algs)

    def values(
        self,
        *,
        error: str | None = None,
        description: str | None = None,
        params: Sequence[tuple[str, str]] = (),
        resource_metadata: str | None = None,
    ) -> list[str]:
        """The challenge values: Bearer, then DPoP, each with the same error parameters."""
        values: list[str] = []
        tail = [] if resource_metadata is None else [("resource_metadata", resource_metadata)]
        if self.offer_bearer:
            bearer: list[tuple[str, str]] = []
            if self.realm is not None:
                bearer.append(("realm", self.realm))
            if error is not None:
                bearer.extend(_error(error, description, params))
            values.append(_render("Bearer", [*bearer, *tail]))
        if self.offer_dpop:
            dpop: list[tuple[str, str]] = [("algs", self.dpop_algs)]
            if error is not None:
                dpop.extend(_error(error, description, params))
            values.append(_render("DPoP", [*dpop, *tail]))
        return values


def _error(
    error: str, description: str | None, params: Sequence[tuple[str, str]]
) -> list[tuple[str, str]]:
    found = [("error", error)]
    if description is not None:
        found.append(("error_description", description))
    return [*found, *params]


def _render(scheme: str, params: Sequence[tuple[str, str]]) -> str:
    if not params:
        return scheme
    return scheme + " " + ", ".join(f"{name}={quote(value)}" for name, value in params)
