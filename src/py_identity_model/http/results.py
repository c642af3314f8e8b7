"""Results of I/O operations: ``ProtocolResponse`` and the ``Failure`` value it is built from.

I/O functions never raise for HTTP, network or body problems. They return a response
object whose ``is_successful`` is ``False``, whose ``error`` says what went wrong in words,
and whose ``error_code`` (stable, snake_case) and ``error_type`` (one of five broad
classes) say it for programs. See :mod:`py_identity_model.errors` for the codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass
from typing import Any, TypeVar

from ..errors import ErrorCodes, ErrorType, error_type_of
from ..utils.redaction import redacted_repr
from .messages import TransportFailure

__all__ = ["BaseResponse", "ErrorType", "Failure", "ProtocolResponse", "failure_from_transport"]

R = TypeVar("R", bound="ProtocolResponse")


@dataclass(frozen=True, slots=True)
class Failure:
    """Why an operation failed, before it becomes a typed response.

    ``code`` becomes the result's ``error_code`` and ``error`` its readable message;
    ``error_type`` defaults to the type the code is registered with (``PROTOCOL`` for a
    server's own OAuth error code).
    """

    code: str
    error: str
    error_description: str | None = None
    http_status: int | None = None
    raw: str | None = None
    json: dict[str, Any] | None = None
    headers: Mapping[str, str] | None = None
    error_type: ErrorType | None = None
    """Filled from the code's registration when not given."""

    def __post_init__(self) -> None:
        if self.error_type is None:
            object.__setattr__(self, "error_type", error_type_of(self.code))


@dataclass(repr=False)
class ProtocolResponse:
    """Base of every I/O result.

    ``is_successful`` and ``error`` come first and positionally (drop-in with
    py-identity-model 4.x); the rest are keyword-only. On failure ``error`` is a readable
    message (for an OAuth error answered by the server: the server's ``error``, as in
    4.x), ``error_code`` the stable code and ``error_type`` its broad class.
    """

    is_successful: bool
    error: str | None = None
    _: KW_ONLY
    error_description: str | None = None
    error_type: ErrorType | None = None
    error_code: str | None = None
    http_status: int | None = None
    raw: str | None = None
    json: dict[str, Any] | None = None
    headers: Mapping[str, str] | None = None

    @classmethod
    def from_failure(cls: type[R], failure: Failure, **extra: Any) -> R:
        """A failed response of this type carrying ``failure``'s details."""
        return cls(
            False,
            failure.error,
            error_description=failure.error_description,
            error_type=failure.error_type,
            error_code=failure.code,
            http_status=failure.http_status,
            raw=failure.raw,
            json=failure.json,
            headers=failure.headers,
            **extra,
        )

    def to_failure(self) -> Failure:
        """This (failed) response's details, to hand on as another response type's failure."""
        return Failure(
            self.error_code or ErrorCodes.INVALID_RESPONSE,
            self.error or "failed",
            error_description=self.error_description,
            http_status=self.http_status,
            raw=self.raw,
            json=self.json,
            headers=self.headers,
            error_type=self.error_type,
        )

    def __repr__(self) -> str:
        return redacted_repr(self)


BaseResponse = ProtocolResponse
"""py-identity-model 4.x's name for the base of every response."""


def failure_from_transport(failure: TransportFailure) -> Failure:
    """A transport failure as a result failure (its code decides its error type)."""
    code = failure.code
    error_type = error_type_of(code)
    if error_type is ErrorType.PROTOCOL:  # a custom transport's unknown code
        code, error_type = ErrorCodes.NETWORK_ERROR, ErrorType.NETWORK
    return Failure(code, failure.message, error_type=error_type)
