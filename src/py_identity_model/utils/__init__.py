"""Small, dependency-free helpers used across the library (and useful to callers)."""

from .encoding import b64url_decode, b64url_decode_lenient, b64url_encode
from .epoch import epoch_now, from_epoch, to_epoch
from .parameters import Parameters
from .random import random_id, random_token
from .security import constant_time_equals, sha256, sha256_b64url

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
