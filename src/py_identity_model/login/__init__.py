"""Logging users in: ``OidcClient`` (authorization code + PKCE, ID token validation)."""

from .client import OidcClient
from .models import AuthorizeState, LoginResult, OidcClientOptions

__all__ = ["AuthorizeState", "LoginResult", "OidcClient", "OidcClientOptions"]
