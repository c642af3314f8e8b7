"""The UserInfo operation, written once (OpenID Connect Core §5.3; RFC 6750 §3; RFC 9449 §7).

Present the access token (``Bearer``, or ``DPoP`` with a proof; a client certificate for a
certificate-bound token) → answer one ``use_dpop_nonce`` challenge → judge the answer:

* ``application/json``: strict JSON claims;
* ``application/jwt``: a signed (and maybe encrypted) answer, verified with the provider's
  keys by :func:`~py_identity_model.validation.jwt_response.jwt_response_flow` (``iss`` the
  provider, ``aud`` the client); never read unverified;
* a 401/403 with ``WWW-Authenticate``: the challenge's ``error`` (``invalid_token``,
  ``insufficient_scope``) becomes ``error_code``, its ``error_description`` the description.

``sub`` is required, and must be ``expected_sub`` when given (§5.3.4). A GET is not retried
on 429/503 here either: the request carries a bearer token, and one answer is enough.
"""

from __future__ import annotations

from typing import Any

from ..dpop.nonces import nonce_store_of
from ..endpoints.client_auth import MtlsClientAuth
from ..endpoints.request import dpop_nonce_challenge
from ..errors import ErrorCodes, ErrorType
from ..exceptions import ConfigurationException
from ..http.challenges import find_challenge
from ..http.flow import Flow
from ..http.messages import (
    NO_OPTIONS,
    ClientCertificate,
    HttpRequest,
    HttpResponse,
    Outcome,
    TransportOptions,
)
from ..http.readers import JSON, JWT, JsonBody, read_body
from ..http.results import Failure
from ..validation.jwt_response import JwtResponseValidation, jwt_response_flow
from .models import ResourceDPoPProver, UserInfoRequest, UserInfoResponse

__all__ = ["parse_userinfo_claims", "userinfo_flow"]

_WHAT = "UserInfo endpoint"
_ACCEPT = "application/json, application/jwt"
_METHODS = ("GET", "POST")


def _check(request: UserInfoRequest) -> None:
    """Misuse, raised before any I/O."""
    if not isinstance(request, UserInfoRequest):
        raise ConfigurationException("request must be a UserInfoRequest")
    if not isinstance(request.token, str) or not request.token:
        raise ConfigurationException("token (the access token) is required")
    if request.method not in _METHODS:
        raise ConfigurationException(f"method must be one of {_METHODS}")
    if request.dpop_key is not None and not isinstance(request.dpop_key, ResourceDPoPProver):
        raise ConfigurationException(
            "dpop_key must provide create_proof(method, url, nonce=None, access_token=None)"
        )
    if request.dpop_proof_factory is not None:
        if request.dpop_key is not None:
            raise ConfigurationException("Use dpop_key or dpop_proof_factory, not both")
        if not callable(request.dpop_proof_factory):
            raise ConfigurationException("dpop_proof_factory must be callable")
    if request.jwt_response is not None:
        if not isinstance(request.jwt_response, JwtResponseValidation):
            raise ConfigurationException("jwt_response must be a JwtResponseValidation")
        if not request.client_id:
            raise ConfigurationException("jwt_response needs client_id: the answer's audience")
    if request.expected_sub is not None and not isinstance(request.expected_sub, str):
        raise ConfigurationException("expected_sub must be a string")
    _options(request)  # a wrong mtls value raises here, before I/O


def _options(request: UserInfoRequest) -> TransportOptions:
    mtls = request.mtls
    if mtls is None:
        return NO_OPTIONS
    if isinstance(mtls, ClientCertificate):
        return TransportOptions(mtls)
    if isinstance(mtls, MtlsClientAuth):
        return TransportOptions(mtls.client_certificate)
    raise ConfigurationException("mtls must be an MtlsClientAuth or a ClientCertificate")


def _http_request(request: UserInfoRequest, nonce: str | None) -> HttpRequest:
    ours: dict[str, str] = {}
    if request.dpop_key is not None:
        ours["Authorization"] = f"DPoP {request.token}"
        ours["DPoP"] = request.dpop_key.create_proof(
            request.method, request.address, nonce=nonce, access_token=request.token
        )
    elif request.dpop_proof_factory is not None:
        ours["Authorization"] = f"DPoP {request.token}"
        ours["DPoP"] = request.dpop_proof_factory(request.method, request.address, nonce)
    else:
        ours["Authorization"] = f"Bearer {request.token}"
    taken = {name.lower() for name in ours}
    caller = {k: v for k, v in (request.headers or {}).items() if k.lower() not in taken}
    headers = {**caller, **ours}
    if request.method == "POST":
        return HttpRequest.post_form(
            request.address, b"", accept=_ACCEPT, headers=headers, options=_options(request)
        )
    return HttpRequest.get(
        request.address, accept=_ACCEPT, headers=headers, options=_options(request)
    )


def _challenge_failure(outcome: Outcome) -> Failure | None:
    """A 401/403 whose ``WWW-Authenticate`` names an error (RFC 6750 §3, RFC 9449 §7.1)."""
    if not isinstance(outcome, HttpResponse) or outcome.status not in (401, 403):
        return None
    for scheme in ("DPoP", "Bearer"):
        challenge = find_challenge(outcome.headers, scheme)
        if challenge is not None and challenge.error:
            return Failure(
                challenge.error,
                challenge.error,
                error_description=challenge.error_description,
                http_status=outcome.status,
                raw=outcome.body.decode("utf-8", errors="replace"),
                headers=outcome.headers,
                error_type=ErrorType.PROTOCOL,
            )
    return None


def parse_userinfo_claims(
    claims: dict[str, Any], request: UserInfoRequest, **details: Any
) -> UserInfoResponse:
    """Check ``sub`` (required; ``expected_sub`` when given) and build the response."""
    signed = bool(details.pop("signed", False))
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        return UserInfoResponse.from_failure(
            Failure(
                ErrorCodes.MISSING_FIELDS,
                f"{_WHAT}: the answer lacks sub (OpenID Connect Core §5.3.2)",
                **details,
            )
        )
    if request.expected_sub is not None and sub != request.expected_sub:
        return UserInfoResponse.from_failure(
            Failure(
                ErrorCodes.SUB_MISMATCH,
                f"{_WHAT}: the answer is for another subject than the ID token's "
                "(OpenID Connect Core §5.3.4)",
                **details,
            )
        )
    return UserInfoResponse(True, None, claims, details.pop("raw", None), signed=signed, **details)


def userinfo_flow(request: UserInfoRequest) -> Flow[UserInfoResponse]:
    """GET (or POST) the UserInfo endpoint with the access token and judge the answer."""
    refused = request.endpoint_policy.check(request.address, _WHAT)
    if refused is not None:
        return UserInfoResponse.from_failure(refused)
    _check(request)
    # A DPoPKey remembers the origin's last nonce (RFC 9449 §9): sent from the first proof.
    store = nonce_store_of(request.dpop_key)
    nonce = store.get(request.address) if store is not None else None
    answered = False
    while True:
        outcome: Outcome = yield _http_request(request, nonce)
        if request.is_dpop:
            if store is not None and isinstance(outcome, HttpResponse):
                store.remember(request.address, outcome)
            challenge = None if answered else dpop_nonce_challenge(outcome)
            if challenge is not None:
                nonce, answered = challenge, True  # answered once: a second one is reported
                continue
        break
    challenged = _challenge_failure(outcome)
    if challenged is not None:
        return UserInfoResponse.from_failure(challenged)
    body = read_body(outcome, what=_WHAT, accept=frozenset({JSON, JWT}))
    if isinstance(body, Failure):
        return UserInfoResponse.from_failure(body)
    response = body.response
    details: dict[str, Any] = {"http_status": response.status, "headers": response.headers}
    if isinstance(body, JsonBody):
        return parse_userinfo_claims(body.data, request, raw=body.raw, json=body.data, **details)
    if request.jwt_response is None:
        return UserInfoResponse.from_failure(
            Failure(
                ErrorCodes.INVALID_JWT_RESPONSE,
                f"{_WHAT}: the answer is a JWT ({body.content_type}); set jwt_response (and "
                "client_id) to verify it: unverified claims are never returned",
                raw=body.token,
                **details,
            )
        )
    assert request.client_id is not None  # checked in _check
    verified = yield from jwt_response_flow(
        body.token, request.jwt_response, audience=request.client_id, what=_WHAT
    )
    if isinstance(verified, Failure):
        return UserInfoResponse.from_failure(
            Failure(
                verified.code,
                verified.error,
                error_description=verified.error_description,
                error_type=verified.error_type,
                raw=body.token,
                **details,
            )
        )
    return parse_userinfo_claims(verified, request, raw=body.token, signed=True, **details)
