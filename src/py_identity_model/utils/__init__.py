"""Small, dependency-free helpers used across the library (and useful to callers).

Names are resolved on first use (PEP 562): importing one helper module does not import
the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .encoding import b64url_decode, b64url_decode_lenient, b64url_encode
    from .epoch import epoch_now, from_epoch, to_epoch
    from .parameters import Parameters
    from .random import random_id, random_token
    from .security import constant_time_equals, sha256, sha256_b64url

_WHERE = {
    "Parameters": "parameters",
    "b64url_decode": "encoding",
    "b64url_decode_lenient": "encoding",
    "b64url_encode": "encoding",
    "constant_time_equals": "security",
    "epoch_now": "epoch",
    "from_epoch": "epoch",
    "random_id": "random",
    "random_token": "random",
    "sha256": "security",
    "sha256_b64url": "security",
    "to_epoch": "epoch",
}

__all__ = [
    "Parameters",
    "b64url_decode",
    "b64url_decode_lenient",
    "b64url_encode",
    "constant_time_equals",
    "epoch_now",
    "from_epoch",
    "random_id",
    "random_token",
    "sha256",
    "sha256_b64url",
    "to_epoch",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
