"""What the sync and async transports share: settings, TLS, bounded bodies, error mapping."""

from __future__ import annotations

import math
import os
import ssl
import zlib
from collections.abc import Mapping
from typing import Any

from .._logging import get_logger
from ..errors import ErrorCodes
from ..exceptions import ConfigurationException
from ..http.messages import ClientCertificate, Headers, HttpRequest, HttpResponse, TransportFailure
from ..options import LibraryOptions, RetryPolicy, get_options
from ..utils.logsafe import printable
from .stacks import HttpStack, get_stack, stack_of_client

__all__ = [
    "BodyReader",
    "ClientCore",
    "TransportSettings",
    "certificate_context",
    "checked_verify",
    "client_kwargs",
    "deadline_failure",
    "failure_from_exception",
    "stream_kwargs",
]


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


class ClientCore:
    """What ``HTTPClient`` and ``AsyncHTTPClient`` share: the stack, the settings, TLS.

    ``client`` is the caller's own client (of this shell's kind) or None; ``timeout``,
    ``verify`` and ``transport`` configure a client the library creates and are refused
    beside one of the caller's (they would be ignored).
    """

    _asynchronous: bool
    _kind: str

    def _setup(
        self,
        client: object,
        timeout: float | None,
        verify: Any,
        *,
        max_response_bytes: int | None,
        retry: RetryPolicy | None,
        transport: Any,
    ) -> dict[str, Any] | None:
        """Check the arguments; the keyword arguments of the client to create, if any."""
        if client is not None and transport is not None:
            raise ConfigurationException("pass a client or a transport, not both")
        if client is not None:
            stack = stack_of_client(client, asynchronous=self._asynchronous)
            if stack is None:
                other = (
                    "HTTPClient for sync" if self._asynchronous else "aio.AsyncHTTPClient for async"
                )
                raise ConfigurationException(
                    f"{type(self).__name__} needs an {self._kind} of httpx or httpx2 (use {other})"
                )
            if timeout is not None or verify is not None:
                raise ConfigurationException(
                    f"timeout and verify configure a client {type(self).__name__} creates; "
                    "set them on your own client instead"
                )
            self._stack = stack
        else:
            self._stack = get_stack(get_options().http_stack)
        self.settings = TransportSettings(timeout, max_response_bytes, retry)
        self._verify = None if verify is None else checked_verify(verify)
        self._verify_source = verify  # for the per-certificate (mTLS) contexts
        self._owns_client = client is None
        self._warned_certificate = False
        if client is not None:
            return None
        return client_kwargs(self._stack, self.settings, self._verify, transport)

    @property
    def stack(self) -> str:
        """``"httpx"`` or ``"httpx2"``."""
        return self._stack.name

    def _request_timeout(self) -> float | None:
        # The caller's own client keeps its per-operation timeouts.
        return self.settings.timeout if self._owns_client else None

    def _warn_certificate_not_presented(self, url: str) -> None:
        # A client of the caller's is used as it is configured: the request's certificate
        # is not added to it. Sent without one, an mTLS request fails at the server with a
        # bare invalid_client; say why here, once per HTTPClient, so that is not a mystery.
        if self._warned_certificate:
            return
        self._warned_certificate = True
        get_logger("http").warning(
            "A request to %s has a TLS client certificate (mTLS), but %s wraps a client of "
            "yours, which is used as configured: set the certificate on that client",
            printable(url),
            type(self).__name__,
        )

    def _certificate_kwargs(
        self, certificate: ClientCertificate, url: str
    ) -> dict[str, Any] | TransportFailure:
        """The arguments of a client presenting ``certificate``, or why there is none."""
        try:
            context = certificate_context(self._stack, self._verify_source, certificate)
        except (OSError, ValueError, ConfigurationException) as exc:  # SSLError is OSError
            return TransportFailure(
                ErrorCodes.TLS_ERROR, f"cannot use the client certificate: {printable(exc)}", url
            )
        return client_kwargs(self._stack, self.settings, context)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(stack={self._stack.name!r}, "
            f"timeout={self.settings.timeout:g}, "
            f"max_response_bytes={self.settings.max_response_bytes})"
        )


def checked_verify(verify: Any) -> bool | ssl.SSLContext:
    """``verify`` as the clients take it (bool or SSLContext), checked up front.

    A CA bundle path (file or directory) becomes a context that trusts only that bundle,
    not the system store as well.
    """
    if isinstance(verify, (bool, ssl.SSLContext)):
        return verify
    if isinstance(verify, (str, os.PathLike)):
        path = os.fspath(verify)
        if not os.path.exists(path):
            raise ConfigurationException(f"verify: CA bundle {path!r} does not exist")
        try:
            if os.path.isdir(path):
                return ssl.create_default_context(capath=path)
            return ssl.create_default_context(cafile=path)
        except (ssl.SSLError, OSError, ValueError) as exc:
            raise ConfigurationException(f"verify: cannot load CA bundle {path!r}: {exc}") from None
    raise ConfigurationException("verify must be a bool, an ssl.SSLContext or a CA bundle path")


def client_kwargs(
    stack: HttpStack, settings: TransportSettings, verify: Any, transport: Any = None
) -> dict[str, Any]:
    """Arguments for the clients the library creates itself."""
    options = get_options()
    kwargs: dict[str, Any] = {
        "timeout": stack.timeout(settings.timeout),
        "follow_redirects": False,
        "limits": stack.limits(
            max_connections=options.max_connections,
            max_keepalive_connections=options.max_keepalive_connections,
        ),
    }
    if verify is not None:
        kwargs["verify"] = verify
    if transport is not None:
        kwargs["transport"] = transport
    return kwargs


def certificate_context(
    stack: HttpStack, verify: Any, certificate: ClientCertificate
) -> ssl.SSLContext:
    """A new TLS context that verifies as ``verify`` says and presents ``certificate`` (mTLS).

    ``verify`` is what the caller gave the client (None, a bool or a CA bundle path).
    Raises ``ssl.SSLError``/``OSError`` when the files cannot be loaded, and
    ``ConfigurationException`` when ``verify`` is a context of the caller's (the library
    never adds a certificate to a context it does not own).
    """
    if isinstance(verify, ssl.SSLContext):
        raise ConfigurationException(
            "a client certificate cannot be added to the SSLContext passed as verify: "
            "load it into that context yourself, or pass a CA bundle path"
        )
    if isinstance(verify, (str, os.PathLike)):
        context = checked_verify(verify)
        assert isinstance(context, ssl.SSLContext)
    else:
        context = stack.create_ssl_context(verify=True if verify is None else verify)
    context.load_cert_chain(certificate.certificate, certificate.private_key, certificate.password)
    return context


# Ask for the identity coding: the library needs no compression (RFC 9110 §8.4), and a
# server that compresses anyway may use one layer of gzip or deflate, decoded within the
# size limit. Anything else (stacked codings, br, zstd, ...) is refused.
ACCEPT_ENCODING = "identity"
_DECODABLE = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


def stream_kwargs(stack: HttpStack, request: HttpRequest, timeout: float | None) -> dict[str, Any]:
    """Arguments of one ``client.stream`` call; ``timeout`` None keeps the client's own."""
    headers = list(request.headers.raw_items())
    if "accept-encoding" not in request.headers:
        headers.append(("Accept-Encoding", ACCEPT_ENCODING))
    kwargs: dict[str, Any] = {
        "method": request.method,
        "url": request.url,
        "headers": headers,
        "content": request.body,
        "follow_redirects": False,
    }
    if timeout is not None:
        kwargs["timeout"] = stack.timeout(timeout)
    return kwargs


class BodyReader:
    """Reads a raw body, decoding at most one gzip/deflate layer, and fails as soon as the
    *decoded* size exceeds the limit: a small compressed bomb never expands in memory."""

    __slots__ = (
        "_coding",
        "_decoder",
        "_format_known",
        "_raw",
        "chunks",
        "failure",
        "limit",
        "size",
        "url",
    )

    def __init__(self, limit: int, url: str) -> None:
        self.limit = limit
        self.url = url
        self.size = 0
        self.chunks: list[bytes] = []
        self.failure: TransportFailure | None = None
        self._coding = ""
        self._decoder: Any = None
        self._format_known = False
        self._raw = 0

    def start(self, status: int, headers: Mapping[str, str], *, decoded: bool = False) -> bool:
        """Check the declared length and the content coding; False when refused.

        ``decoded``: the client has decoded the body already (it was built in memory).
        """
        declared = headers.get("content-length", "")
        coding = "" if decoded else headers.get("content-encoding", "").strip().lower()
        if declared.isascii() and declared.isdigit() and not coding and int(declared) > self.limit:
            self.failure = self._too_large()
            return False
        if coding in ("", "identity"):
            return True
        if coding in _DECODABLE:
            self._coding = coding
            self._decoder = zlib.decompressobj(_DECODABLE[coding])
            return True
        self.failure = TransportFailure(
            ErrorCodes.UNSUPPORTED_CONTENT_ENCODING,
            f"Content-Encoding {printable(coding, limit=60)!r} is not accepted "
            "(one layer of gzip or deflate at most)",
            self.url,
        )
        return False

    def add(self, chunk: bytes) -> bool:
        """Add a raw chunk; False once the decoded body is too large or undecodable."""
        if self._decoder is None:
            return self._keep(chunk)
        self._raw += len(chunk)
        data = chunk
        while data:
            try:
                out = self._decoder.decompress(data, self.limit - self.size + 1)
            except zlib.error:
                if not self._retry_raw_deflate():
                    return False
                self._raw -= len(chunk)
                return self.add(chunk)
            self._format_known = True
            if not self._keep(out):
                return False
            data = self._decoder.unconsumed_tail
        return True

    def _retry_raw_deflate(self) -> bool:
        # "deflate" is zlib-wrapped (RFC 9110 §8.4.1.2), but some servers send raw deflate:
        # retried once, and only before anything was decoded.
        if self._coding != "deflate" or self._format_known:
            self.failure = self._corrupt()
            return False
        self._format_known = True
        self._decoder = zlib.decompressobj(-zlib.MAX_WBITS)
        return True

    def _keep(self, data: bytes) -> bool:
        self.size += len(data)
        if self.size > self.limit:
            self.failure = self._too_large()
            return False
        if data:
            self.chunks.append(data)
        return True

    def finish(self) -> bool:
        """End of the raw body: a compressed body must be complete."""
        if self._decoder is not None and self._raw and not self._decoder.eof:
            self.failure = self._corrupt()
            return False
        return True

    def _too_large(self) -> TransportFailure:
        return TransportFailure(
            ErrorCodes.RESPONSE_TOO_LARGE,
            f"Response body exceeds the limit of {self.limit} bytes",
            self.url,
        )

    def _corrupt(self) -> TransportFailure:
        return TransportFailure(
            ErrorCodes.NETWORK_ERROR, "The compressed response body is corrupt", self.url
        )

    def response(self, status: int, headers: Headers) -> HttpResponse:
        return HttpResponse(status, headers, b"".join(self.chunks), self.url)


def deadline_failure(url: str, timeout: float) -> TransportFailure:
    return TransportFailure(ErrorCodes.TIMEOUT, f"Request timed out after {timeout:g} s", url)


def _tls_problem(exc: BaseException) -> ssl.SSLError | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def failure_from_exception(
    stack: HttpStack, exc: BaseException, url: str, timeout: float
) -> TransportFailure:
    """Map a stack's (or a socket's) exception to a failure value. Nothing escapes."""
    if isinstance(exc, stack.timeout_exceptions):
        return deadline_failure(url, timeout)
    if isinstance(exc, stack.invalid_url_exceptions):
        return TransportFailure(
            ErrorCodes.INVALID_URL, f"Invalid request URL: {printable(exc)}", url
        )
    tls = _tls_problem(exc)
    if tls is not None:
        return TransportFailure(ErrorCodes.TLS_ERROR, f"TLS error: {printable(tls)}", url)
    get_logger("http").debug("HTTP request to %s failed: %s", printable(url), printable(repr(exc)))
    return TransportFailure(
        ErrorCodes.NETWORK_ERROR, f"Network error: {type(exc).__name__}: {printable(exc)}", url
    )
