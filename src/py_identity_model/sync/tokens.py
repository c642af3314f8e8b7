"""Sync token requests. Each function drives ``token_request_flow``; never raises for HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..drivers.sync import run_sync
from ..tokens.flow import token_exchange_flow, token_request_flow
from ..tokens.models import (
    AuthorizationCodeTokenRequest,
    AuthorizationCodeTokenResponse,
    ClientCredentialsTokenRequest,
    ClientCredentialsTokenResponse,
    JwtBearerTokenRequest,
    PasswordTokenRequest,
    RefreshTokenRequest,
    RefreshTokenResponse,
    TokenExchangeRequest,
    TokenExchangeResponse,
    TokenRequest,
    TokenResponse,
)

if TYPE_CHECKING:
    from ..drivers.sync import SyncHttpClient

__all__ = [
    "exchange_token",
    "refresh_token",
    "request_authorization_code_token",
    "request_client_credentials_token",
    "request_jwt_bearer_token",
    "request_password_token",
    "request_token",
]


def request_client_credentials_token(
    request: ClientCredentialsTokenRequest, http_client: SyncHttpClient | None = None
) -> ClientCredentialsTokenResponse:
    """``client_credentials`` grant (RFC 6749 §4.4)."""
    return run_sync(token_request_flow(request, ClientCredentialsTokenResponse), http_client)


def request_authorization_code_token(
    request: AuthorizationCodeTokenRequest, http_client: SyncHttpClient | None = None
) -> AuthorizationCodeTokenResponse:
    """Redeem an authorization code (RFC 6749 §4.1.3, PKCE RFC 7636)."""
    return run_sync(token_request_flow(request, AuthorizationCodeTokenResponse), http_client)


def refresh_token(
    request: RefreshTokenRequest, http_client: SyncHttpClient | None = None
) -> RefreshTokenResponse:
    """``refresh_token`` grant (RFC 6749 §6)."""
    return run_sync(token_request_flow(request, RefreshTokenResponse), http_client)


def request_password_token(
    request: PasswordTokenRequest, http_client: SyncHttpClient | None = None
) -> TokenResponse:
    """Resource owner password grant (RFC 6749 §4.3)."""
    return run_sync(token_request_flow(request, TokenResponse), http_client)


def request_jwt_bearer_token(
    request: JwtBearerTokenRequest, http_client: SyncHttpClient | None = None
) -> TokenResponse:
    """JWT bearer grant (RFC 7523 §2.1)."""
    return run_sync(token_request_flow(request, TokenResponse), http_client)


def request_token(
    request: TokenRequest, http_client: SyncHttpClient | None = None
) -> TokenResponse:
    """Any grant by ``grant_type`` (extension grants)."""
    return run_sync(token_request_flow(request, TokenResponse), http_client)


def exchange_token(
    request: TokenExchangeRequest, http_client: SyncHttpClient | None = None
) -> TokenExchangeResponse:
    """Token exchange (RFC 8693 §2): the response's ``issued_token_type`` says what was issued."""
    return run_sync(token_exchange_flow(request), http_client)
