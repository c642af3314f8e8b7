"""The back-channel logout POST (OpenID Connect Back-Channel Logout 1.0 §2.5, §2.8), answered
end to end on the relying party. Pure: no I/O.

:func:`backchannel_logout_flow` takes the request's ``Content-Type`` and body, requires
``application/x-www-form-urlencoded`` with exactly one ``logout_token`` within
``max_body_size`` bytes, validates it like ``validate_logout_token`` (keys by discovery or
the configured static key, then the replay check of
:mod:`~py_identity_model.validation.logout_token`) and returns a
:class:`BackchannelLogoutResponse`: the status, headers and body to answer (200, or 400 with
``{"error": "invalid_request", "error_description": ...}``) and, on success, the claims
(``sub``, ``sid``) whose sessions the application ends. The sync and async
``handle_backchannel_logout`` drive this one flow.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..caching.replay import ReplayStore
from ..errors import ErrorCodes
from ..exceptions import (
    ConfigurationException,
    DiscoveryUnavailableError,
    JwksUnavailableError,
    LogoutTokenValidationException,
    TokenValidationException,
)
from ..frontchannel._query import parse_pairs
from ..http.flow import Flow
from ..http.results import Failure, ProtocolResponse
from .config import TokenValidationConfig
from .operations import logout_token_flow

__all__ = [
    "DEFAULT_MAX_LOGOUT_BODY",
    "BackchannelLogoutResponse",
    "backchannel_logout_flow",
    "parse_logout_request",
]

DEFAULT_MAX_LOGOUT_BODY = 64 * 1024
"""The largest logout POST body read, in bytes (a logout token is about 1 KB)."""

_FORM = "application/x-www-form-urlencoded"


# ---------------------------------------------------------------------- the POST


@dataclass(repr=False)
class BackchannelLogoutResponse(ProtocolResponse):
    """What to answer a back-channel logout POST, and whose sessions to end.

    ``http_status``, ``headers`` and :attr:`body` are the answer to send (200, or 400 with
    a JSON error object, §2.8; always ``Cache-Control: no-store``). On success ``claims``
    are the validated logout token's, with ``sub`` and ``sid`` (either may be None); on
    failure ``error_code`` says why (``invalid_logout_request``, ``invalid_logout_token``,
    ``logout_token_replayed``, ``replay_store_full``, or the key outage's code) and
    ``error_description`` is the message sent in the body.
    """

    claims: dict[str, Any] | None = None
    sub: str | None = None
    sid: str | None = None

    @property
    def body(self) -> bytes:
        """The response body: empty on success, the JSON error object on failure."""
        return (self.raw or "").encode("utf-8")


_NO_STORE = {"Cache-Control": "no-store"}


def _answer_failure(code: str, message: str) -> BackchannelLogoutResponse:
    document = {"error": "invalid_request", "error_description": message}
    failure = Failure(
        code,
        message,
        error_description=message,
        http_status=400,
        raw=json.dumps(document, ensure_ascii=True, separators=(",", ":")),
        json=document,
        headers={**_NO_STORE, "Content-Type": "application/json"},
    )
    return BackchannelLogoutResponse.from_failure(failure)


def _answer_success(claims: dict[str, Any]) -> BackchannelLogoutResponse:
    sub, sid = claims.get("sub"), claims.get("sid")
    return BackchannelLogoutResponse(
        True,
        http_status=200,
        raw="",
        headers=dict(_NO_STORE),
        claims=claims,
        sub=sub if isinstance(sub, str) else None,
        sid=sid if isinstance(sid, str) else None,
    )


def parse_logout_request(
    content_type: str | None, body: bytes, *, max_body_size: int = DEFAULT_MAX_LOGOUT_BODY
) -> str | BackchannelLogoutResponse:
    """The ``logout_token`` of a logout POST, or the 400 answer explaining why there is none."""
    if not isinstance(body, (bytes, bytearray, memoryview)):
        raise ConfigurationException("body must be the request body as bytes")
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type != _FORM:
        return _answer_failure(ErrorCodes.INVALID_LOGOUT_REQUEST, f"the request must be {_FORM}")
    if len(body) > max_body_size:
        return _answer_failure(
            ErrorCodes.INVALID_LOGOUT_REQUEST, f"the request body exceeds {max_body_size} bytes"
        )
    try:
        text = bytes(body).decode("ascii")
    except UnicodeDecodeError:
        return _answer_failure(
            ErrorCodes.INVALID_LOGOUT_REQUEST, "the form body is not ASCII (percent-encoded)"
        )
    tokens = [value for name, value in parse_pairs(text) if name == "logout_token"]
    if len(tokens) != 1:
        found = "no" if not tokens else str(len(tokens))
        return _answer_failure(
            ErrorCodes.INVALID_LOGOUT_REQUEST,
            f"exactly one logout_token parameter is required, found {found}",
        )
    if not tokens[0]:
        return _answer_failure(ErrorCodes.INVALID_LOGOUT_REQUEST, "the logout_token is empty")
    return tokens[0]


def backchannel_logout_flow(
    content_type: str | None,
    body: bytes,
    config: TokenValidationConfig,
    disco_doc_address: str | None = None,
    *,
    replay_store: ReplayStore | None = None,
    skip_replay_check: bool = False,
    max_body_size: int = DEFAULT_MAX_LOGOUT_BODY,
) -> Flow[BackchannelLogoutResponse]:
    """The flow behind ``handle_backchannel_logout``: parse, validate, record, answer.

    Rejections become the 400 answer; misuse (a configuration without an issuer, a body
    that is not bytes) raises ``ConfigurationException`` before anything else.
    """
    token = parse_logout_request(content_type, body, max_body_size=max_body_size)
    if isinstance(token, BackchannelLogoutResponse):
        return token
    flow = logout_token_flow(
        token,
        config,
        disco_doc_address,
        replay_store=replay_store,
        skip_replay_check=skip_replay_check,
    )
    try:
        claims = yield from flow
    except (DiscoveryUnavailableError, JwksUnavailableError) as exc:
        return _answer_failure(exc.error_code or exc.code, f"the keys are unavailable: {exc}")
    except LogoutTokenValidationException as exc:
        reason = exc.details.get("reason")
        code = {
            "replayed": ErrorCodes.LOGOUT_TOKEN_REPLAYED,
            ErrorCodes.REPLAY_STORE_FULL: ErrorCodes.REPLAY_STORE_FULL,
        }.get(str(reason), ErrorCodes.INVALID_LOGOUT_TOKEN)
        return _answer_failure(code, exc.message)
    except TokenValidationException as exc:
        return _answer_failure(ErrorCodes.INVALID_LOGOUT_TOKEN, exc.message)
    return _answer_success(claims)
