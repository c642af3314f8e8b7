"""The ``httpx.Auth`` flow of the token managers, written once (no httpx here).

:func:`managed_auth_flow` is the shape of httpx's ``Auth.auth_flow``: it yields the
request to send and is sent the response; in between it yields :class:`NeedToken` when
it needs a token, which the shell answers from its manager (blocking or awaited). It
works on any request object with ``method``, ``url`` and mutable ``headers`` and any
response with ``status_code`` and ``headers`` (httpx and httpx2 alike).

* ``Authorization: Bearer <token>``; with a DPoP-bound token ``Authorization: DPoP
  <token>`` and a ``DPoP`` proof for this method and URL with the token's ``ath``
  (RFC 9449 §7.1).
* A ``use_dpop_nonce`` challenge (RFC 9449 §9: a 401 ``WWW-Authenticate: DPoP
  error="use_dpop_nonce"`` with a ``DPoP-Nonce``) is answered once with a new proof.
* A 401 with ``error="invalid_token"`` (RFC 6750 §3.1) forces one renewal and one retry.
* A request whose body cannot be sent again (a stream) is never retried.
"""

from __future__ import annotations

import inspect
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..exceptions import ConfigurationException
from ..http.challenges import parse_challenges
from .events import TokenEventName, emit
from .models import ManagedToken

__all__ = ["NeedToken", "check_resource_prover", "managed_auth_flow", "proof_url"]


@dataclass(frozen=True, slots=True)
class NeedToken:
    """Ask the shell for a token (``force``: a new one, the last was refused)."""

    force: bool


def proof_url(url: str) -> str:
    """The ``htu`` of a proof: the URL without query and fragment (RFC 9449 §4.2)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


_CHECKED: dict[int, object] = {}  # id -> the key itself (kept alive, so ids stay unique)
_MAX_CHECKED = 256


def check_resource_prover(key: object) -> None:
    """A DPoP key used at resources must take ``access_token=`` (the proof's ``ath``)."""
    if _CHECKED.get(id(key)) is key:
        return
    _check_prover(key)
    if len(_CHECKED) >= _MAX_CHECKED:
        _CHECKED.clear()
    _CHECKED[id(key)] = key


def _check_prover(key: object) -> None:
    create = getattr(key, "create_proof", None)
    if not callable(create):
        raise ConfigurationException("dpop_key must provide create_proof(method, url, ...)")
    try:
        parameters = inspect.signature(create).parameters
    except (TypeError, ValueError):  # a builtin without a signature: trust it
        return
    if "access_token" in parameters:
        return
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return
    raise ConfigurationException(
        "dpop_key.create_proof must accept access_token= to bind proofs to the token "
        "(RFC 9449 §4.2 ath), e.g. a DPoPKey"
    )


def _authorize(request: Any, token: ManagedToken, nonce: str | None) -> None:
    if token.is_dpop:
        key: Any = token.dpop_key
        proof = key.create_proof(
            str(request.method).upper(),
            proof_url(str(request.url)),
            nonce=nonce,
            access_token=token.access_token,
        )
        request.headers["Authorization"] = f"DPoP {token.access_token}"
        request.headers["DPoP"] = proof
    else:
        request.headers["Authorization"] = f"Bearer {token.access_token}"


_MAX_ORIGINS = 256


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _challenge_error(response: Any) -> str | None:
    for challenge in parse_challenges(response.headers.get("www-authenticate")):
        if challenge.scheme.lower() in ("bearer", "dpop"):
            error = challenge.params.get("error")
            if error:
                return error
    return None


def managed_auth_flow(
    request: Any,
    *,
    replayable: bool,
    subject: str,
    nonces: dict[str, str] | None = None,
) -> Generator[Any, Any, None]:
    """Authorize ``request``; answer a DPoP nonce challenge and an ``invalid_token`` once.

    ``nonces`` remembers the latest ``DPoP-Nonce`` per origin, so later requests to the
    same resource server carry it from the start.
    """
    token: ManagedToken = yield NeedToken(False)
    origin = _origin(str(request.url))
    nonce: str | None = nonces.get(origin) if nonces is not None and token.is_dpop else None
    _authorize(request, token, nonce)
    response = yield request
    answered_nonce = renewed = False
    while replayable and response.status_code in (400, 401):
        error = _challenge_error(response)
        new_nonce = response.headers.get("dpop-nonce")
        if error == "use_dpop_nonce" and token.is_dpop and new_nonce and not answered_nonce:
            answered_nonce, nonce = True, new_nonce
            if nonces is not None:
                if len(nonces) >= _MAX_ORIGINS and origin not in nonces:
                    nonces.clear()
                nonces[origin] = new_nonce
            emit(TokenEventName.DPOP_NONCE_RETRY, subject)
        elif error == "invalid_token" and response.status_code == 401 and not renewed:
            renewed = True
            token = yield NeedToken(True)
        else:
            return
        _authorize(request, token, nonce)
        response = yield request
