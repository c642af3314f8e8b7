"""The authorization URL of a login: by value, or pushed first (RFC 9126).

``OidcClient`` pushes the authorization request when the provider's metadata says
``require_pushed_authorization_requests`` or the options ask for it (``use_par``): the
parameters go to the PAR endpoint as the client (its authentication, mTLS alias), and the
browser gets a URL with ``client_id`` and ``request_uri`` only.
"""

from __future__ import annotations

from typing import Any

from ..discovery.models import DiscoveryDocumentResponse
from ..errors import ErrorCodes
from ..exceptions import DiscoveryException, PushedAuthorizationException
from ..fapi.profile import raise_for
from ..frontchannel import AuthorizeRequest
from ..http.flow import Flow
from ..jar.request_object import build_jar_authorization_url, create_request_object
from ..mtls.aliases import endpoint_for_client
from ..par.flow import pushed_authorization_flow
from ..par.models import PushedAuthorizationRequest, build_par_authorization_url
from .models import OidcClientOptions

__all__ = ["authorization_url_flow", "check_fapi_metadata", "request_object_for", "uses_par"]


def uses_par(options: OidcClientOptions, disco: DiscoveryDocumentResponse) -> bool:
    """Whether this login pushes its authorization request (FAPI 2.0: always)."""
    return (
        options.use_par
        or options.fapi is not None
        or disco.require_pushed_authorization_requests is True
    )


def check_fapi_metadata(options: OidcClientOptions, disco: DiscoveryDocumentResponse) -> None:
    """FAPI 2.0: what the provider's metadata decides (PAR endpoint, ``iss`` in responses,
    S256; a ``private_key_jwt`` audience equal to its issuer). Raises FapiViolationError."""
    fapi = options.fapi
    if fapi is None:
        return
    found = fapi.metadata_violations(
        {
            "pushed_authorization_request_endpoint": disco.pushed_authorization_request_endpoint,
            "authorization_response_iss_parameter_supported": (
                disco.authorization_response_iss_parameter_supported
            ),
            "code_challenge_methods_supported": disco.code_challenge_methods_supported,
        }
    )
    found += fapi.client_violations(options.resolved_client(), issuer=disco.issuer)
    raise_for(found)


_OBJECT_FIELDS = (
    "response_mode", "prompt", "max_age", "ui_locales", "claims_locales", "login_hint",
    "acr_values", "id_token_hint", "display", "claims", "resource", "authorization_details",
    "dpop_jkt",
)  # fmt: skip


def request_object_for(
    options: OidcClientOptions, disco: DiscoveryDocumentResponse, request: AuthorizeRequest
) -> str:
    """The login's authorization request as a signed request object (JAR, RFC 9101 §4),
    for the provider's issuer, living no longer than the FAPI profile allows."""
    key = options.request_object_signing_key
    assert key is not None
    assert disco.issuer is not None
    lifetime = 300
    if options.fapi is not None:
        lifetime = min(lifetime, options.fapi.max_request_object_lifetime)
    extra: dict[str, Any] = {
        name: getattr(request, name)
        for name in _OBJECT_FIELDS
        if getattr(request, name) is not None
    }
    extra.update(dict(request.extra or {}))
    assert request.redirect_uri is not None
    assert request.scope is not None
    return create_request_object(
        key,
        options.request_object_algorithm,
        options.client_id,
        disco.issuer,
        request.redirect_uri,
        request.scope,
        request.response_type,
        request.state,
        request.nonce,
        request.code_challenge,
        request.code_challenge_method,
        lifetime,
        **extra,
    )


def authorization_url_flow(
    options: OidcClientOptions, disco: DiscoveryDocumentResponse, request: AuthorizeRequest
) -> Flow[str]:
    """The URL to send the browser to; raises DiscoveryException when PAR is needed but
    the metadata has no endpoint, PushedAuthorizationException when the push fails."""
    assert disco.authorization_endpoint is not None  # checked by prepare_login_flow
    policy = options.endpoint_policy
    check_fapi_metadata(options, disco)
    signed = (
        None
        if options.request_object_signing_key is None
        else request_object_for(options, disco, request)
    )
    if not uses_par(options, disco):
        if signed is None:
            return request.to_url(disco.authorization_endpoint, policy=policy)
        return build_jar_authorization_url(
            disco.authorization_endpoint,
            options.client_id,
            signed,
            scope=options.scope,  # OpenID Connect wants them beside the object too
            response_type="code",
            policy=policy,
        )
    client = options.resolved_client()
    endpoint = endpoint_for_client(disco, "pushed_authorization_request_endpoint", client)
    if not endpoint:
        raise DiscoveryException(
            "The provider's metadata has no pushed_authorization_request_endpoint, which "
            + (
                "it requires"
                if disco.require_pushed_authorization_requests
                else "use_par=True needs"
            ),
            url=options.authority,
            error_code=ErrorCodes.MISSING_FIELDS,
        )
    if signed is None:
        pushed = PushedAuthorizationRequest.from_authorize_request(
            endpoint, request, client=client, policy=policy
        )
    else:  # the object alone carries the parameters (RFC 9126 §3, RFC 9101 §4)
        pushed = PushedAuthorizationRequest(
            endpoint,
            options.client_id,
            options.redirect_uri,
            request=signed,
            client=client,
            policy=policy,
        )
    response = yield from pushed_authorization_flow(pushed)
    if not response.is_successful or response.request_uri is None:
        raise PushedAuthorizationException(
            f"The pushed authorization request failed: {response.error}",
            url=endpoint,
            status_code=response.http_status,
            error_code=response.error_code,
            response=response,
        )
    return build_par_authorization_url(
        disco.authorization_endpoint, options.client_id, response.request_uri, policy=policy
    )
