"""Reset hooks for the managed default clients (used when options change)."""

from __future__ import annotations

__all__ = ["reset_default_clients"]


def reset_default_clients() -> None:
    """Drop the managed clients so the next call builds them with the current options."""
    from .async_client import reset_default_async_clients
    from .sync_client import reset_default_sync_client

    reset_default_sync_client()
    reset_default_async_clients()
