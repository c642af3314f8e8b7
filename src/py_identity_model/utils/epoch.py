"""Epoch-seconds helpers (JWT NumericDate, RFC 7519 §2)."""

from __future__ import annotations

import time
from datetime import datetime, timezone

__all__ = ["epoch_now", "from_epoch", "to_epoch"]


def epoch_now() -> int:
    """The current time as whole seconds since the Unix epoch."""
    return int(time.time())


def to_epoch(moment: datetime) -> int:
    """Seconds since the epoch for an aware datetime (naive datetimes are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


def from_epoch(seconds: float) -> datetime:
    """An aware UTC datetime for seconds since the epoch."""
    return datetime.fromtimestamp(seconds, tz=timezone.utc)
