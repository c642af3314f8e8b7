"""Sync token validation (raises on rejection; see ``py_identity_model.validation``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..drivers.sync import run_sync
from ..validation.lazy import id_token_expectations, operations

if TYPE_CHECKING:
    from ..drivers.sync import SyncHttpClient
    from ..validation.config import TokenValidationConfig
    from ..validation.id_token import IdTokenExpectations

__all__ = ["validate_id_token", "validate_logout_token", "validate_token"]


def validate_token(
    jwt: str,
    token_validation_config: TokenValidationConfig,
    disco_doc_address: str | None = None,
    http_client: SyncHttpClient | None = None,
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
    return run_sync(flow, http_client)


def validate_id_token(
    id_token: str,
    token_validation_config: TokenValidationConfig,
    disco_doc_address: str | None = None,
    http_client: SyncHttpClient | None = None,
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
    return run_sync(flow, http_client)


def validate_logout_token(
    logout_token: str,
    token_validation_config: TokenValidationConfig,
    disco_doc_address: str | None = None,
    http_client: SyncHttpClient | None = None,
) -> dict[str, Any]:
    """Validate a back-channel logout token (OIDC Back-Channel Logout 1.0 §2.6)."""
    flow = operations().logout_token_flow(logout_token, token_validation_config, disco_doc_address)
    return run_sync(flow, http_client)
