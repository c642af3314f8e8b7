"""Drive the protocol core with another HTTP stack: here the standard library's urllib.

Any object with ``send_request(request) -> HttpResponse | TransportFailure`` is a transport
(``async def send_request`` for the async API). Pass it as ``http_client=``. A transport
never raises: when no usable response arrives it returns a ``TransportFailure`` whose code
is one of the transport codes (``ErrorCodes.TIMEOUT``, ``NETWORK_ERROR``, ``TLS_ERROR``,
``RESPONSE_TOO_LARGE``, ...), and the library turns it into a failed result.

Usage: python docs/examples/custom_transport.py [AUTHORITY]
"""

import ssl
import sys
import urllib.error
import urllib.request

from py_identity_model import (
    DiscoveryDocumentRequest,
    ErrorCodes,
    JwksRequest,
    get_discovery_document,
    get_jwks,
)
from py_identity_model.http import Headers, HttpRequest, HttpResponse, TransportFailure


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None  # a 3xx then arrives as an HTTPError: returned, never followed


class UrllibTransport:
    """A synchronous transport on urllib: no redirects, a size cap, and it never raises.

    For brevity the timeout bounds each socket operation; a production transport should
    bound the whole exchange (see the transport contract). It presents no client
    certificate (``request.options.client_certificate``, for mTLS endpoints).
    """

    def __init__(self, timeout: float = 30.0, max_response_bytes: int = 1024 * 1024) -> None:
        self.timeout = timeout
        self.max_response_bytes = max_response_bytes
        self._opener = urllib.request.build_opener(_NoRedirects)

    def send_request(self, request: HttpRequest) -> HttpResponse | TransportFailure:
        outgoing = urllib.request.Request(
            request.url,
            data=request.body,
            method=request.method,
            # Ask for an uncompressed body: the library decodes none from a custom transport.
            headers={**dict(request.headers.raw_items()), "Accept-Encoding": "identity"},
        )
        try:
            try:
                with self._opener.open(outgoing, timeout=self.timeout) as answer:
                    status, headers = answer.status, answer.getheaders()
                    body = answer.read(self.max_response_bytes + 1)
            except urllib.error.HTTPError as error:  # 3xx, 4xx, 5xx: still a response
                status, headers = error.code, list(error.headers.items())
                body = error.read(self.max_response_bytes + 1)
        except TimeoutError:
            return TransportFailure(
                ErrorCodes.TIMEOUT, f"Request timed out after {self.timeout:g} s", request.url
            )
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, ssl.SSLError):
                return TransportFailure(ErrorCodes.TLS_ERROR, f"TLS error: {exc}", request.url)
            return TransportFailure(ErrorCodes.NETWORK_ERROR, f"Network error: {exc}", request.url)
        except ssl.SSLError as exc:
            return TransportFailure(ErrorCodes.TLS_ERROR, f"TLS error: {exc}", request.url)
        except (OSError, ValueError) as exc:  # connection errors, bad URLs
            return TransportFailure(ErrorCodes.NETWORK_ERROR, f"Network error: {exc}", request.url)
        if len(body) > self.max_response_bytes:
            return TransportFailure(
                ErrorCodes.RESPONSE_TOO_LARGE,
                f"Response body exceeds {self.max_response_bytes} bytes",
                request.url,
            )
        return HttpResponse(status, Headers(headers), body, request.url)


authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
transport = UrllibTransport(timeout=10)

disco = get_discovery_document(DiscoveryDocumentRequest(authority), http_client=transport)
if not disco.is_successful:
    sys.exit(f"discovery failed: {disco.error}")
print("issuer:", disco.issuer)

jwks = get_jwks(JwksRequest(disco.jwks_uri or ""), http_client=transport)
if not jwks.is_successful:
    sys.exit(f"JWKS failed: {jwks.error}")
print("keys:", len(jwks.keys or []), "fetched with urllib")

# A transport failure becomes a failed result: its code is the result's error_code, and the
# code decides the error_type (response_too_large is a policy failure).
tiny = UrllibTransport(timeout=10, max_response_bytes=100)
small = get_discovery_document(DiscoveryDocumentRequest(authority), http_client=tiny)
print(f"a 100-byte limit: error_code={small.error_code} error_type={small.error_type}")
