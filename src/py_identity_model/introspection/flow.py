"""The token introspection operation, written once (RFC 7662 §2; RFC 9701).

:func:`~py_identity_model.endpoints.options.client_request_flow` (endpoint policy, client
authentication, DPoP) POSTs ``token`` and ``token_type_hint``; :func:`introspection_flow`
judges the answer:

* a JSON answer (``application/json``) is read strictly and checked
  (:func:`~py_identity_model.introspection.models.claims_problem`);
* with ``jwt_response``, the request asks for ``application/token-introspection+jwt`` and
  the answer is verified by
  :func:`~py_identity_model.validation.jwt_response.jwt_response_flow` (the server's keys,
  fetched and cached as for token validation; ``typ``, ``iss``, ``aud`` = the client,
  ``iat``; decryption first), then its ``token_introspection`` claim is unwrapped and
  checked like a JSON answer. A JSON answer to such a request is ``wrong_content_type``
  unless ``require_jwt_response=False``.

An introspection is a POST and is never resent, except for one DPoP nonce challenge.
"""

from __future__ import annotations

from typing import Any

from ..endpoints.options import client_request_flow
from ..errors import ErrorCodes
from ..exceptions import ConfigurationException
from ..http.flow import Flow
from ..http.messages import HttpResponse, Outcome
from ..http.readers import JSON, JWT, JsonBody, read_body, read_json_object
from ..http.results import Failure
from ..validation.jwt_response import JwtResponseValidation, jwt_response_flow
from .models import (
    INTROSPECTION_JWT_MEDIA_TYPE,
    TokenIntrospectionRequest,
    TokenIntrospectionResponse,
    claims_problem,
)

__all__ = ["introspection_flow", "parse_introspection_json"]

_WHAT = "Introspection endpoint"
_JWT_TYPE = "token-introspection+jwt"
_MEMBER = "token_introspection"


def _details(response: HttpResponse, raw: str, data: dict[str, Any] | None) -> dict[str, Any]:
    return {"http_status": response.status, "raw": raw, "json": data, "headers": response.headers}


def _checked(
    claims: dict[str, Any],
    response: HttpResponse,
    raw: str,
    *,
    json: dict[str, Any] | None,
    jwt_claims: dict[str, Any] | None = None,
) -> TokenIntrospectionResponse:
    problem = claims_problem(claims)
    details = _details(response, raw, json)
    if problem is not None:
        code, message = problem
        return TokenIntrospectionResponse.from_failure(
            Failure(code, f"{_WHAT}: {message}", **details)
        )
    return TokenIntrospectionResponse(True, None, claims, jwt_claims=jwt_claims, **details)


def parse_introspection_json(outcome: Outcome | Failure | None) -> TokenIntrospectionResponse:
    """Turn the outcome of a plain (JSON) introspection into a response (never raises)."""
    if isinstance(outcome, Failure):
        return TokenIntrospectionResponse.from_failure(outcome)
    body = read_json_object(outcome, what=_WHAT)
    if isinstance(body, Failure):
        return TokenIntrospectionResponse.from_failure(body)
    return _checked(body.data, body.response, body.raw, json=body.data)


def _unsigned(body: JsonBody, request: TokenIntrospectionRequest) -> TokenIntrospectionResponse:
    if request.require_jwt_response:
        return TokenIntrospectionResponse.from_failure(
            Failure(
                ErrorCodes.WRONG_CONTENT_TYPE,
                f"{_WHAT}: expected a JWT response ({INTROSPECTION_JWT_MEDIA_TYPE}), got "
                f"unsigned {body.response.content_type!r}; the server may not support RFC 9701 "
                "(require_jwt_response=False accepts it)",
                **_details(body.response, body.raw, body.data),
            )
        )
    return _checked(body.data, body.response, body.raw, json=body.data)


def _jwt_flow(
    outcome: Outcome | None, request: TokenIntrospectionRequest, validation: JwtResponseValidation
) -> Flow[TokenIntrospectionResponse]:
    body = read_body(outcome, what=_WHAT, accept=frozenset({JSON, JWT}))
    if isinstance(body, Failure):
        return TokenIntrospectionResponse.from_failure(body)
    if isinstance(body, JsonBody):
        return _unsigned(body, request)
    response, token = body.response, body.token
    verified = yield from jwt_response_flow(
        token,
        validation,
        audience=request.client_id,
        what=_WHAT,
        token_type=_JWT_TYPE,
        required_claims=("iat",),
    )
    if isinstance(verified, Failure):
        details = _details(response, token, None)
        return TokenIntrospectionResponse.from_failure(
            Failure(
                verified.code,
                verified.error,
                error_description=verified.error_description,
                error_type=verified.error_type,
                **details,
            )
        )
    inner = verified.get(_MEMBER)
    if not isinstance(inner, dict):
        code = ErrorCodes.MISSING_FIELDS if inner is None else ErrorCodes.INVALID_RESPONSE
        return TokenIntrospectionResponse.from_failure(
            Failure(
                code,
                f"{_WHAT}: the JWT response's {_MEMBER} claim must be a JSON object (RFC 9701 §5)",
                **_details(response, token, None),
            )
        )
    return _checked(dict(inner), response, token, json=None, jwt_claims=verified)


def introspection_flow(request: TokenIntrospectionRequest) -> Flow[TokenIntrospectionResponse]:
    """POST an introspection request and judge (and, for a JWT answer, verify) the answer."""
    validation = request.jwt_response
    if validation is not None and not isinstance(validation, JwtResponseValidation):
        raise ConfigurationException("jwt_response must be a JwtResponseValidation")
    profile = request.resolved_client().profile
    if profile is not None:  # FAPI 2.0 Message Signing §5.5: signed answers only
        profile.check_introspection(signed=validation is not None)
    accept = "application/json" if validation is None else INTROSPECTION_JWT_MEDIA_TYPE
    outcome = yield from client_request_flow(request, what=_WHAT, accept=accept)
    if isinstance(outcome, Failure):
        return TokenIntrospectionResponse.from_failure(outcome)
    if validation is None:
        return parse_introspection_json(outcome)
    return (yield from _jwt_flow(outcome, request, validation))
