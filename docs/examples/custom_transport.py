"""Drive the protocol core with another HTTP stack: here the standard library's urllib.

Any object with ``send_request(request) -> HttpResponse | TransportFailure`` is a transport
(``async def send_request`` for the async API). Pass it as ``http_client=``.

Usage: python docs/examples/custom_transport.py [AUTHORITY]
"""

import sys
import urllib.error
import urllib.request

from py_identity_model import (
    DiscoveryDocumentRequest,
    JwksRequest,
    get_discovery_document,
    get_jwks,
)
from py_identity_model.http import FailureKind, Headers, HttpRequest, HttpResponse, TransportFailure


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None  # a 3xx then arrives as an HTTPError: returned, never followed


class UrllibTransport:
    """A synchronous transport on urllib: no redirects, a size cap, and it never raises.

    For brevity the timeout bounds each socket operation; a production transport should
    bound the whole exchange (see the transport contract).
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
            headers=dict(request.headers.raw_items()),
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
                "timeout", f"Request timed out after {self.timeout:g} s", request.url
            )
        except (OSError, ValueError) as exc:  # URLError, connection errors, bad URLs
            return TransportFailure("network_error", f"Network error: {exc}", request.url)
        if len(body) > self.max_response_bytes:
            return TransportFailure(
                "response_too_large",
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
