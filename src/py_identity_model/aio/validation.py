"""Async token validation (raises on rejection; see ``py_identity_model.validation``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..drivers.aio import run_async
from ..validation.lazy import id_token_expectations, operations

if TYPE_CHECKING:
    from ..caching.replay import ReplayStore
    from ..drivers.aio import AsyncHttpClient
    from ..validation.backchannel_logout import BackchannelLogoutResponse
    from ..validation.config import TokenValidationConfig
    from ..validation.id_token import IdTokenExpectations

__all__ = [
    "handle_backchannel_logout",
    "validate_id_token",
    "validate_logout_token",
    "validate_token",
]


async def validate_token(
    jwt: str,
    token_validation_config: TokenValidationConfig,
    disco_doc_address: str | None = None,
    http_client: AsyncHttpClient | None = None,
) -> dict[str, Any]:
    """Validate a JWT (signature, algorithm, ``exp``/``nbf``/``iat``, issuer, audience, ...).

    Returns the claims. Raises a :class:`~py_identity_model.TokenValidationException`
    subclass on rejection; when the keys cannot be obtained,
    :class:`~py_identity_model.DiscoveryUnavailableError` /
    :class:`~py_identity_model.JwksUnavailableError`, which are both network exceptions
    (``DiscoveryException`` / ``JwksException``) and ``TokenValidationException``\\ s; and
    :class:`~py_identity_model.ConfigurationException` on misuse.
    """
    flow = operations().token_flow(jwt, token_validation_config, disco_doc_address)
    return await run_async(flow, http_client)


async def validate_id_token(
    id_token: str,
    token_validation_config: TokenValidationConfig,
    disco_doc_address: str | None = None,
    http_client: AsyncHttpClient | None = None,
    *,
    nonce: str | None = None,
    access_token: str | None = None,
    code: str | None = None,
    max_age: float | None = None,
    expected: IdTokenExpectations | None = None,
) -> dict[str, Any]:
    """Validate an ID token per OpenID Connect Core §3.1.3.7 (``audience`` is the client_id).

    ``nonce``, ``access_token``, ``code`` and ``max_age`` are py-identity-model 4.x's
    keywords; ``expected`` carries the same and more (``state``, ``acr_values``) as one
    :class:`~py_identity_model.IdTokenExpectations` value (use one form or the other).
    """
    expectations = id_token_expectations(
        expected, nonce=nonce, access_token=access_token, code=code, max_age=max_age
    )
    flow = operations().id_token_flow(
        id_token, token_validation_config, disco_doc_address, expectations
    )
    return await run_async(flow, http_client)


async def validate_logout_token(
    logout_token: str,
    token_validation_config: TokenValidationConfig,
    disco_doc_address: str | None = None,
    http_client: AsyncHttpClient | None = None,
    *,
    replay_store: ReplayStore | None = None,
    skip_replay_check: bool = False,
) -> dict[str, Any]:
    """Validate a back-channel logout token (OIDC Back-Channel Logout 1.0 §2.6).

    A token is accepted **once**: its ``iss`` + ``jti`` are recorded until it expires, in
    ``replay_store`` (default: a bounded in-memory store per process; pass a shared store
    for several processes), and a second delivery raises
    :class:`~py_identity_model.LogoutTokenValidationException` (``details["reason"] ==
    "replayed"``). ``skip_replay_check=True`` turns that off.
    """
    flow = operations().logout_token_flow(
        logout_token,
        token_validation_config,
        disco_doc_address,
        replay_store=replay_store,
        skip_replay_check=skip_replay_check,
    )
    return await run_async(flow, http_client)


async def handle_backchannel_logout(
    content_type: str | None,
    body: bytes,
    token_validation_config: TokenValidationConfig,
    disco_doc_address: str | None = None,
    http_client: AsyncHttpClient | None = None,
    *,
    replay_store: ReplayStore | None = None,
    skip_replay_check: bool = False,
    max_body_size: int = 65536,
) -> BackchannelLogoutResponse:
    """Answer a back-channel logout POST (OIDC Back-Channel Logout 1.0 §2.5, §2.8).

    Give it the request's ``Content-Type`` and body; it checks the form, validates the one
    ``logout_token`` (with :func:`validate_logout_token`'s rules and replay check) and
    returns a :class:`~py_identity_model.BackchannelLogoutResponse`: send its
    ``http_status``, ``headers`` and ``body``, and on success end the sessions of its
    ``sub``/``sid``. Never raises for a bad request or token; raises
    ``ConfigurationException`` on misuse.
    """
    from ..validation.backchannel_logout import backchannel_logout_flow

    flow = backchannel_logout_flow(
        content_type,
        body,
        token_validation_config,
        disco_doc_address,
        replay_store=replay_store,
        skip_replay_check=skip_replay_check,
        max_body_size=max_body_size,
    )
    return await run_async(flow, http_client)
