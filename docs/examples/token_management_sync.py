"""A service calling another service with managed client-credentials tokens (sync API).

Usage: python docs/examples/token_management_sync.py [AUTHORITY]

The "orders API" below is a tiny resource server started in this process: it accepts
JWT access tokens for ``urn:test:api:rs256`` and refuses the first one it sees as revoked,
to show the one renewal ``ClientCredentialsAuth`` makes on a ``401 invalid_token``.
"""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from py_identity_model import (
    ClientCredentialsAuth,
    ClientCredentialsTokenManager,
    ClientCredentialsTokenRequest,
    DiscoveryDocumentRequest,
    TokenRequestException,
    TokenValidationConfig,
    get_discovery_document,
    validate_token,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
API = "urn:test:api:rs256"

disco = get_discovery_document(DiscoveryDocumentRequest(authority))
if not disco.is_successful or not disco.token_endpoint:
    sys.exit(f"discovery failed: {disco.error}")
print("issuer:", disco.issuer)

# One manager per process; each named client is a ClientCredentialsTokenRequest.
manager = ClientCredentialsTokenManager(refresh_before_expiry=60)
manager.add_client(
    "orders-api",
    ClientCredentialsTokenRequest(
        disco.token_endpoint, "client-basic", "client-basic-secret",
        scope="api:read", resource=API,
    ),
)  # fmt: skip

token = manager.get_access_token("orders-api")
again = manager.get_access_token("orders-api")
print(f"token_type={token.token_type} scope={token.scope} reused={again is token}")
print("repr:", token)  # the token itself never shows
renewed = manager.get_access_token("orders-api", force_renewal=True)
print("force_renewal gives a new token:", renewed.access_token != token.access_token)

# No token can be had: an exception carrying the server's OAuth error.
manager.add_client(
    "broken", ClientCredentialsTokenRequest(disco.token_endpoint, "client-basic", "wrong")
)
try:
    manager.get_access_token("broken")
except TokenRequestException as exc:
    print(f"wrong secret: error={exc.error} status={exc.status_code}")


# --- the other service: validates the token; answers 401 invalid_token to a revoked one
revoked: set[str] = {renewed.access_token}
config = TokenValidationConfig(perform_disco=True, audience=API)


class OrdersApi(BaseHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def do_GET(self):
        scheme, _, presented = self.headers.get("Authorization", "").partition(" ")
        try:
            if scheme != "Bearer" or presented in revoked:
                raise ValueError("refused")
            claims = validate_token(presented, config, authority)
            status, body = 200, {"orders": [], "client_id": claims["client_id"]}
        except Exception:
            status, body = 401, {"error": "invalid_token"}
        data = json.dumps(body).encode()
        self.send_response(status)
        if status == 401:
            self.send_header("WWW-Authenticate", 'Bearer error="invalid_token"')
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = ThreadingHTTPServer(("127.0.0.1", 0), OrdersApi)
threading.Thread(target=server.serve_forever, daemon=True).start()
orders_url = f"http://127.0.0.1:{server.server_address[1]}/orders"

# httpx.Auth: every request gets "Authorization: Bearer <managed token>"; on a 401
# invalid_token the token is renewed once and the request sent again.
with httpx.Client(auth=ClientCredentialsAuth(manager, "orders-api")) as client:
    answer = client.get(orders_url)
    print(f"orders API: {answer.status_code} {answer.json()}")
    latest = manager.get_access_token("orders-api")
    print("renewed after the 401:", latest.access_token != renewed.access_token)
server.shutdown()
