"""Sync token validation (raises on rejection; see ``py_identity_model.validation``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..http.drivers import run_sync
from ..validation.lazy import flows

if TYPE_CHECKING:
    from ..validation.config import TokenValidationConfig

__all__ = ["validate_id_token", "validate_logout_token", "validate_token"]


def validate_token(
    jwt: str,
    token_validation_config: TokenValidationConfig,
    disco_doc_address: str | None = None,
    http_client: object = None,
) -> dict[str, Any]:
    """Validate a JWT (signature, algorithm, ``exp``/``nbf``/``iat``, issuer, audience, ...).

    Returns the claims; raises a :class:`~py_identity_model.TokenValidationException`
    subclass on rejection, :class:`~py_identity_model.DiscoveryException` /
    :class:`~py_identity_model.JwksException` when keys cannot be obtained, and
    :class:`~py_identity_model.ConfigurationException` on misuse.
    """
    return run_sync(
        flows().token_flow(jwt, token_validation_config, disco_doc_address), http_client
    )


def validate_id_token(
    id_token: str,
    token_validation_config: TokenValidationConfig,
    disco_doc_address: str | None = None,
    http_client: object = None,
    *,
    nonce: str | None = None,
    access_token: str | None = None,
    code: str | None = None,
    max_age: float | None = None,
    state: str | None = None,
    acr_values: Sequence[str] | str | None = None,
) -> dict[str, Any]:
    """Validate an ID token per OpenID Connect Core §3.1.3.7 (``audience`` is the client_id)."""
    flow = flows().id_token_flow(
        id_token,
        token_validation_config,
        disco_doc_address,
        nonce=nonce,
        access_token=access_token,
        code=code,
        state=state,
        max_age=max_age,
        acr_values=acr_values,
    )
    return run_sync(flow, http_client)


def validate_logout_token(
    logout_token: str,
    token_validation_config: TokenValidationConfig,
    disco_doc_address: str | None = None,
    http_client: object = None,
) -> dict[str, Any]:
    """Validate a back-channel logout token (OIDC Back-Channel Logout 1.0 §2.6)."""
    return run_sync(
        flows().logout_token_flow(logout_token, token_validation_config, disco_doc_address),
        http_client,
    )
