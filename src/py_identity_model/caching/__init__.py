"""Caching: cache lifetimes from ``Cache-Control`` and single-flight refreshing values."""

from .cache_control import cache_lifetime, parse_max_age
from .refreshing import RefreshingValue

__all__ = ["RefreshingValue", "cache_lifetime", "parse_max_age"]
