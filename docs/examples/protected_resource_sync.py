"""From a protected API's 401 to its authorization server, step by step (RFC 9728).

Usage: python docs/examples/protected_resource_sync.py [ISSUER]

The example starts a tiny protected resource on 127.0.0.1 (stdlib http.server) whose
metadata names ISSUER as its authorization server, then walks what a client does when an
API answers 401: read the challenge, fetch the resource's metadata, take the authorization
server, and fetch that server's discovery document.
"""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from py_identity_model import (
    DiscoveryDocumentRequest,
    ProtectedResourceMetadataRequest,
    get_discovery_document,
    get_protected_resource_metadata,
    parse_www_authenticate,
)

WELL_KNOWN = "/.well-known/oauth-protected-resource"


def start_resource_server(issuer: str) -> ThreadingHTTPServer:
    """A protected /api/orders: 401 without a token, metadata at its well-known URL."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep the output readable
            pass

        def do_GET(self) -> None:
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/api/orders":
                status, headers = (
                    401,
                    {
                        "WWW-Authenticate": 'Bearer realm="orders", '
                        f'resource_metadata="{base}{WELL_KNOWN}/api/orders"'
                    },
                )
                body = {"error": "unauthorized"}
            elif self.path == f"{WELL_KNOWN}/api/orders":
                status, headers = 200, {}
                body = {
                    "resource": f"{base}/api/orders",
                    "authorization_servers": [issuer],
                    "scopes_supported": ["api:read"],
                    "bearer_methods_supported": ["header"],
                }
            else:
                status, headers, body = 404, {}, {"error": "not_found"}
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(issuer: str) -> int:
    server = start_resource_server(issuer)
    api = f"http://127.0.0.1:{server.server_address[1]}/api/orders"
    try:
        # 1. Call the API without a token: it answers 401 and says where its metadata is.
        answer = httpx.get(api)
        print(f"GET {api} -> {answer.status_code}")
        challenge = next(
            (c for c in parse_www_authenticate(answer.headers) if c.resource_metadata), None
        )
        if challenge is None:
            print("no resource_metadata in the challenge", file=sys.stderr)
            return 1
        print(f"challenge: scheme={challenge.scheme} realm={challenge.realm}")
        print("resource_metadata:", challenge.resource_metadata)

        # 2. Fetch the metadata; its "resource" must be the URL we called (RFC 9728 §3.3).
        metadata = get_protected_resource_metadata(
            ProtectedResourceMetadataRequest(api, metadata_url=challenge.resource_metadata)
        )
        if not metadata.is_successful:
            print(f"metadata failed: {metadata.error_code}: {metadata.error}", file=sys.stderr)
            return 1
        print("resource:", metadata.resource)
        print("authorization_servers:", metadata.authorization_servers)
        print("scopes_supported:", metadata.scopes_supported)

        # 3. The authorization server's discovery document.
        authority = (metadata.authorization_servers or [""])[0]
        disco = get_discovery_document(DiscoveryDocumentRequest(authority))
        if not disco.is_successful:
            print(f"discovery failed: {disco.error_code}: {disco.error}", file=sys.stderr)
            return 1
        print("issuer:", disco.issuer)
        print("token_endpoint:", disco.token_endpoint)
        return 0
    finally:
        server.shutdown()
        server.server_close()


issuer = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
sys.exit(main(issuer))
