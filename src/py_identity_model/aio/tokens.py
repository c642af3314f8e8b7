"""Async token requests. Each function drives ``token_request_flow``; never raises for HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..drivers.aio import run_async
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
    from ..drivers.aio import AsyncHttpClient

__all__ = [
    "exchange_token",
    "refresh_token",
    "request_authorization_code_token",
    "request_client_credentials_token",
    "request_jwt_bearer_token",
    "request_password_token",
    "request_token",
]


async def request_client_credentials_token(
    request: ClientCredentialsTokenRequest, http_client: AsyncHttpClient | None = None
) -> ClientCredentialsTokenResponse:
    """``client_credentials`` grant (RFC 6749 §4.4)."""
    return await run_async(token_request_flow(request, ClientCredentialsTokenResponse), http_client)


async def request_authorization_code_token(
    request: AuthorizationCodeTokenRequest, http_client: AsyncHttpClient | None = None
) -> AuthorizationCodeTokenResponse:
    """Redeem an authorization code (RFC 6749 §4.1.3, PKCE RFC 7636)."""
    return await run_async(token_request_flow(request, AuthorizationCodeTokenResponse), http_client)


async def refresh_token(
    request: RefreshTokenRequest, http_client: AsyncHttpClient | None = None
) -> RefreshTokenResponse:
    """``refresh_token`` grant (RFC 6749 §6)."""
    return await run_async(token_request_flow(request, RefreshTokenResponse), http_client)


async def request_password_token(
    request: PasswordTokenRequest, http_client: AsyncHttpClient | None = None
) -> TokenResponse:
    """Resource owner password grant (RFC 6749 §4.3)."""
    return await run_async(token_request_flow(request, TokenResponse), http_client)


async def request_jwt_bearer_token(
    request: JwtBearerTokenRequest, http_client: AsyncHttpClient | None = None
) -> TokenResponse:
    """JWT bearer grant (RFC 7523 §2.1)."""
    return await run_async(token_request_flow(request, TokenResponse), http_client)


async def request_token(
    request: TokenRequest, http_client: AsyncHttpClient | None = None
) -> TokenResponse:
    """Any grant by ``grant_type`` (extension grants)."""
    return await run_async(token_request_flow(request, TokenResponse), http_client)


async def exchange_token(
    request: TokenExchangeRequest, http_client: AsyncHttpClient | None = None
) -> TokenExchangeResponse:
    """Token exchange (RFC 8693 §2): the response's ``issued_token_type`` says what was issued."""
    return await run_async(token_exchange_flow(request), http_client)
