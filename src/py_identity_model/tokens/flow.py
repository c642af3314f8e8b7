"""The token request operation, written once (RFC 6749 §3.2, §5; RFC 9449 §8).

build the form → apply client authentication → POST → parse; if the server answers
``use_dpop_nonce`` and a DPoP proof factory is configured, send once more with a fresh
proof carrying its nonce (and a fresh client assertion). Token POSTs are never retried
for any other reason: a redeemed authorization code must not be sent twice.
"""

from __future__ import annotations

import time
from typing import TypeVar

from ..exceptions import ConfigurationException
from ..http.flow import Flow
from ..http.messages import HttpRequest, Outcome
from ..http.results import ErrorType, Failure, read_json_object
from ..http.url_policy import check_url
from ..utils.parameters import Parameters
from .client_auth import (
    ClientAssertion,
    ClientAuthentication,
    ClientSecretBasic,
    ClientSecretPost,
    NoClientAuthentication,
    client_secret_jwt,
)
from .models import DPoPProofFactory, TokenRequestOptions, TokenResponse, expires_at_from

__all__ = ["parse_token_response", "resolve_client_auth", "token_request_flow"]

R = TypeVar("R", bound=TokenResponse)

_WHAT = "Token endpoint"
_REPEATABLE = frozenset({"resource", "audience"})
_METHODS = (
    "client_secret_basic",
    "client_secret_post",
    "client_secret_jwt",
    "private_key_jwt",
    "none",
)


def resolve_client_auth(request: TokenRequestOptions) -> ClientAuthentication:
    """Turn a request's credential fields into one authentication value (or refuse misuse)."""
    client_id: str = getattr(request, "client_id", "")
    secret: str | None = getattr(request, "client_secret", None)
    method: str | None = getattr(request, "client_auth_method", None)
    private_key_jwt = getattr(request, "private_key_jwt", None)
    if not isinstance(client_id, str) or not client_id:
        raise ConfigurationException("client_id is required")
    if method is not None and method not in _METHODS:
        raise ConfigurationException(
            f"Unknown client_auth_method {method!r}; use one of {_METHODS}"
        )
    if getattr(request, "mtls", None) is not None:
        raise ConfigurationException("mTLS client authentication (RFC 8705) is not supported yet")
    assertions = [
        name
        for name, value in (
            ("private_key_jwt", private_key_jwt),
            ("client_assertion", request.client_assertion),
            ("client_assertion_factory", request.client_assertion_factory),
        )
        if value is not None
    ]
    if len(assertions) > 1:
        raise ConfigurationException(f"Choose one client assertion source, not {assertions}")
    if assertions and (
        secret is not None or method in ("client_secret_basic", "client_secret_post")
    ):
        raise ConfigurationException(
            "A client assertion cannot be combined with client_secret (Basic/post) credentials"
        )
    if private_key_jwt is not None:
        if method not in (None, "private_key_jwt"):
            raise ConfigurationException(
                f"private_key_jwt contradicts client_auth_method={method!r}"
            )
        return ClientAssertion(
            client_id, lambda endpoint: private_key_jwt.create_assertion(client_id, endpoint)
        )
    if request.client_assertion_factory is not None:
        return ClientAssertion(client_id, request.client_assertion_factory)
    if request.client_assertion is not None:
        fixed = request.client_assertion
        return ClientAssertion(client_id, lambda endpoint: fixed)
    if method == "client_secret_jwt":
        if not secret:
            raise ConfigurationException("client_secret_jwt needs client_secret")
        return client_secret_jwt(client_id, secret)
    if method == "private_key_jwt":
        raise ConfigurationException("client_auth_method='private_key_jwt' needs private_key_jwt")
    if method in ("client_secret_basic", "client_secret_post") and not secret:
        raise ConfigurationException(f"client_auth_method={method!r} needs client_secret")
    if secret is not None and method != "none":
        if method == "client_secret_post":
            return ClientSecretPost(client_id, secret)
        return ClientSecretBasic(client_id, secret)
    return NoClientAuthentication(client_id)


def _request_parameters(request: TokenRequestOptions) -> Parameters:
    params = request.grant_parameters()
    resource = request.resource
    if isinstance(resource, str):
        params.add_optional("resource", resource)
    elif resource is not None:
        for item in resource:
            params.add_required("resource", item, allow_duplicates=True)
    if request.parameters is not None:
        # RFC 6749 §3.2: the grant's own fields must not be repeated (a second
        # ``grant_type`` or ``scope``); extension parameters may repeat as the caller says.
        own = {name for name, _ in params} - _REPEATABLE
        extra = Parameters(request.parameters)
        clash = sorted(own.intersection(name for name, _ in extra))
        if clash:
            raise ConfigurationException(f"parameters repeat the request's own field(s): {clash}")
        params.merge(extra)
    return params


def parse_token_response(outcome: Outcome | None, response_type: type[R]) -> R:
    """Turn the HTTP outcome into a typed token response."""
    received_at = time.time()
    body = read_json_object(outcome, what=_WHAT)
    if isinstance(body, Failure):
        headers = body.headers or {}
        return response_type.from_failure(body, dpop_nonce=headers.get("dpop-nonce"))
    data, response = body.data, body.response
    problems = [
        name
        for name in ("access_token", "token_type")
        if not isinstance(data.get(name), str) or not data[name]
    ]
    if problems:
        failure = Failure(
            f"{_WHAT}: response lacks {' and '.join(problems)} (RFC 6749 §5.1)",
            ErrorType.INVALID_RESPONSE,
            http_status=response.status,
            raw=body.raw,
            json=data,
            headers=response.headers,
        )
        return response_type.from_failure(failure)
    return response_type(
        True,
        None,
        data,
        expires_at=expires_at_from(data, received_at),
        dpop_nonce=response.headers.get("dpop-nonce"),
        http_status=response.status,
        raw=body.raw,
        json=data,
        headers=response.headers,
    )


def token_request_flow(request: TokenRequestOptions, response_type: type[R]) -> Flow[R]:
    """POST a token request and parse the answer (one DPoP nonce retry at most)."""
    address: str = getattr(request, "address", "")
    problem = (
        check_url(address) if isinstance(address, str) else "Token endpoint address is missing"
    )
    if problem:
        # Credentials, codes and refresh tokens never travel over plain HTTP to a remote host.
        return response_type.from_failure(Failure(problem, ErrorType.POLICY))
    auth = resolve_client_auth(request)
    dpop = request.dpop_proof_factory or _dpop_factory_from_key(request)
    nonce: str | None = None
    while True:
        params = _request_parameters(request)
        headers: dict[str, str] = {}
        auth.apply(params, headers, endpoint=address)
        if dpop is not None:
            headers["DPoP"] = dpop("POST", address, nonce)
        # Caller headers first; the library's own (Authorization, DPoP) win whatever the
        # letter case, so no header is ever sent twice.
        ours = {name.lower() for name in headers}
        extra = {k: v for k, v in (request.headers or {}).items() if k.lower() not in ours}
        headers = {**extra, **headers}
        outcome = yield HttpRequest.post_form(address, params.to_form(), headers=headers)
        result = parse_token_response(outcome, response_type)
        if dpop is not None and nonce is None and result.dpop_nonce and _asks_for_nonce(result):
            nonce = result.dpop_nonce
            continue
        return result


def _asks_for_nonce(result: TokenResponse) -> bool:
    """A ``use_dpop_nonce`` challenge: 400 JSON error or 401 ``WWW-Authenticate`` (RFC 9449 §8)."""
    if result.error == "use_dpop_nonce":
        return True
    challenge = (result.headers or {}).get("www-authenticate", "")
    return result.http_status == 401 and "use_dpop_nonce" in challenge


def _dpop_factory_from_key(request: TokenRequestOptions) -> DPoPProofFactory | None:
    """Adapt a ``dpop_key`` object with ``create_proof(method, url, nonce=...)`` (RFC 9449)."""
    key = getattr(request, "dpop_key", None)
    if key is None:
        return None
    create = getattr(key, "create_proof", None)
    if create is None:
        raise ConfigurationException("dpop_key must provide create_proof(method, url, nonce=None)")

    def factory(method: str, url: str, nonce: str | None) -> str:
        return str(create(method, url, nonce=nonce))

    return factory
