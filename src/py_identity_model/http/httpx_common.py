"""What the sync and async httpx transports share: limits, conversions, error mapping."""

from __future__ import annotations

import math
import os
import ssl
from typing import Any

import httpx

from .._logging import get_logger
from ..exceptions import ConfigurationException
from ..options import LibraryOptions, RetryPolicy, get_options
from .messages import FailureKind, Headers, HttpRequest, HttpResponse, TransportFailure

__all__ = ["BodyLimiter", "TransportSettings", "failure_from_exception", "httpx_client_kwargs"]


class TransportSettings:
    """Timeout, size limit and retry policy of one client (defaults from the options)."""

    __slots__ = ("max_response_bytes", "retry", "timeout")

    def __init__(
        self,
        timeout: float | None,
        max_response_bytes: int | None,
        retry: RetryPolicy | None,
        options: LibraryOptions | None = None,
    ) -> None:
        options = options or get_options()
        if timeout is not None and (
            isinstance(timeout, bool)
            or not isinstance(timeout, (int, float))
            or not math.isfinite(timeout)
            or timeout <= 0
        ):
            raise ConfigurationException("timeout must be a positive, finite number of seconds")
        if max_response_bytes is not None and (
            isinstance(max_response_bytes, bool)
            or not isinstance(max_response_bytes, int)
            or max_response_bytes <= 0
        ):
            raise ConfigurationException("max_response_bytes must be a positive integer")
        if retry is not None and not isinstance(retry, RetryPolicy):
            raise ConfigurationException("retry must be a RetryPolicy")
        self.timeout = float(timeout) if timeout is not None else options.timeout
        self.max_response_bytes = (
            max_response_bytes if max_response_bytes is not None else options.max_response_bytes
        )
        self.retry = retry if retry is not None else options.retry


def httpx_client_kwargs(settings: TransportSettings, verify: Any) -> dict[str, Any]:
    """Arguments for the httpx clients the library creates itself."""
    options = get_options()
    kwargs: dict[str, Any] = {
        "timeout": httpx.Timeout(settings.timeout),
        "follow_redirects": False,
        "limits": httpx.Limits(
            max_connections=options.max_connections,
            max_keepalive_connections=options.max_keepalive_connections,
        ),
    }
    if verify is not None:
        kwargs["verify"] = _checked_verify(verify)
    return kwargs


def _checked_verify(verify: Any) -> Any:
    """``verify`` as httpx takes it (bool, SSLContext, CA bundle path), checked up front."""
    if isinstance(verify, (bool, ssl.SSLContext)):
        return verify
    if isinstance(verify, (str, os.PathLike)):
        path = os.fspath(verify)
        if not os.path.exists(path):
            raise ConfigurationException(f"verify: CA bundle {path!r} does not exist")
        try:
            # Only this bundle is trusted (not the system store as well), as in httpx.
            if os.path.isdir(path):
                context = ssl.create_default_context(capath=path)
            else:
                context = ssl.create_default_context(cafile=path)
        except (ssl.SSLError, OSError, ValueError) as exc:
            raise ConfigurationException(f"verify: cannot load CA bundle {path!r}: {exc}") from None
        return context
    raise ConfigurationException("verify must be a bool, an ssl.SSLContext or a CA bundle path")


def stream_kwargs(request: HttpRequest, timeout: float) -> dict[str, Any]:
    return {
        "method": request.method,
        "url": request.url,
        "headers": list(request.headers.raw_items()),
        "content": request.body,
        "timeout": httpx.Timeout(timeout),
        "follow_redirects": False,
    }


class BodyLimiter:
    """Accumulates a body, failing as soon as it exceeds the limit (not after buffering)."""

    __slots__ = ("chunks", "limit", "size")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.chunks: list[bytes] = []

    def declared_too_large(self, response: httpx.Response) -> bool:
        declared = response.headers.get("content-length", "")
        return declared.isdigit() and int(declared) > self.limit

    def add(self, chunk: bytes) -> bool:
        """Add a chunk; ``False`` once the limit is exceeded."""
        self.size += len(chunk)
        if self.size > self.limit:
            return False
        self.chunks.append(chunk)
        return True

    def too_large(self, url: str) -> TransportFailure:
        return TransportFailure(
            FailureKind.TOO_LARGE,
            f"Response body exceeds the limit of {self.limit} bytes",
            url,
        )

    def response(self, response: httpx.Response, url: str) -> HttpResponse:
        return HttpResponse(
            response.status_code,
            Headers(response.headers.multi_items()),
            b"".join(self.chunks),
            url,
        )


def deadline_failure(url: str, timeout: float) -> TransportFailure:
    return TransportFailure(FailureKind.TIMEOUT, f"Request timed out after {timeout:g} s", url)


def failure_from_exception(exc: BaseException, url: str, timeout: float) -> TransportFailure:
    """Map an httpx (or socket-level) exception to a failure value. Nothing escapes."""
    if isinstance(exc, (httpx.TimeoutException, TimeoutError)):
        return deadline_failure(url, timeout)
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return TransportFailure(FailureKind.INVALID_URL, f"Invalid request URL: {exc}", url)
    get_logger("http").debug("HTTP request to %s failed: %r", url, exc)
    return TransportFailure(FailureKind.NETWORK, f"Network error: {type(exc).__name__}: {exc}", url)


# Exceptions a transport converts into failures. Broad on purpose: a bad certificate,
# a reset connection or an undecodable gzip body must become a result, never escape.
TRANSPORT_EXCEPTIONS: tuple[type[BaseException], ...] = (
    httpx.HTTPError,
    httpx.InvalidURL,
    httpx.StreamError,
    OSError,
    ValueError,
    UnicodeError,
    # httpx raises RuntimeError for a closed client; it must become a result too.
    RuntimeError,
)
