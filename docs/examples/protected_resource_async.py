"""From a protected API to its authorization server in one call (async, RFC 9728).

Usage: python docs/examples/protected_resource_async.py [ISSUER]

The example starts a tiny protected resource on 127.0.0.1 (stdlib http.server) whose
metadata names ISSUER as its authorization server. ``discover_authorization_server``
probes the API once without credentials, reads the 401's challenge, fetches the metadata
and the authorization server's discovery document.
"""

import asyncio
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from py_identity_model import aio

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
                        f'resource_metadata="{base}{WELL_KNOWN}/api/orders", DPoP algs="ES256"'
                    },
                )
                body = {"error": "unauthorized"}
            elif self.path == f"{WELL_KNOWN}/api/orders":
                status, headers = 200, {}
                body = {
                    "resource": f"{base}/api/orders",
                    "authorization_servers": [issuer],
                    "dpop_bound_access_tokens_required": False,
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


async def main(issuer: str) -> int:
    server = start_resource_server(issuer)
    api = f"http://127.0.0.1:{server.server_address[1]}/api/orders"
    try:
        async with aio.AsyncHTTPClient(timeout=10) as http:
            found = await aio.discover_authorization_server(api, http_client=http)
        print("challenges:", [c.scheme for c in found.challenges])
        if not found.is_successful:
            print(f"failed: {found.error_code}: {found.error}", file=sys.stderr)
            return 1
        dpop = next(c for c in found.challenges if c.has_scheme("DPoP"))
        print("DPoP algs:", list(dpop.algs))
        print("metadata_url:", found.resource_metadata.metadata_url)
        print("authorization_server:", found.authorization_server)
        print("issuer:", found.discovery_document.issuer)
        print("token_endpoint:", found.discovery_document.token_endpoint)
        return 0
    finally:
        server.shutdown()
        server.server_close()


issuer = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
sys.exit(asyncio.run(main(issuer)))
