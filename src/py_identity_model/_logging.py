"""Loggers, created on first use.

The library logs through ``logging.getLogger("py_identity_model.<area>")`` with a
``NullHandler`` on ``py_identity_model`` (a library never configures logging). The
``logging`` module is imported only when something is actually logged, so importing the
library stays cheap; callers format lazily (``%s`` arguments), so disabled levels cost
next to nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import logging

__all__ = ["get_logger"]

_configured = False


def get_logger(area: str) -> logging.Logger:
    """The logger ``py_identity_model.<area>``."""
    global _configured  # noqa: PLW0603 - one-time set-up of the package logger
    import logging

    if not _configured:
        logging.getLogger("py_identity_model").addHandler(logging.NullHandler())
        _configured = True
    return logging.getLogger(f"py_identity_model.{area}")
