"""A small protected resource for the token-management ``httpx.Auth`` tests.

``GET``/``POST /api`` verifies the access token with ``validate_token`` against the test
provider (a JWT access token for ``audience``) and, with ``dpop=True``, a DPoP proof
(RFC 9449) bound to the token's ``cnf.jkt`` and carrying this server's nonce. A token in
``revoked`` is answered ``401 invalid_token`` (RFC 6750 §3.1), as a server that revoked it
would. Every request is recorded (the scheme and whether a proof came along).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from py_identity_model import (
    DPoPProofException,
    DPoPProofValidator,
    DPoPServerNonces,
    PyIdentityModelException,
    TokenValidationConfig,
    validate_token,
)


class ResourceServer:
    def __init__(self, issuer: str, audience: str, *, dpop: bool = False) -> None:
        self.issuer, self.audience, self.dpop = issuer, audience, dpop
        self.revoked: set[str] = set()
        self.reject_all = False
        self.requests: list[dict[str, Any]] = []
        self._guard = threading.Lock()
        self._config = TokenValidationConfig(perform_disco=True, audience=audience)
        self._validator = DPoPProofValidator(nonces=DPoPServerNonces()) if dpop else None
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return

            def _answer(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.headers.get("transfer-encoding", "").lower() == "chunked":
                    body = _read_chunked(self.rfile)
                status, answer, headers = server.judge(
                    self.command, self.path, dict(self.headers.items()), body
                )
                self._answer(status, answer, headers)

            do_GET = do_POST = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/api"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def count(self) -> int:
        with self._guard:
            return len(self.requests)

    def judge(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        lower = {k.lower(): v for k, v in headers.items()}
        scheme, _, token = lower.get("authorization", "").partition(" ")
        with self._guard:
            self.requests.append(
                {"scheme": scheme, "proof": "dpop" in lower, "body": body, "token": token}
            )
        expected = "DPoP" if self.dpop else "Bearer"
        bad = {"WWW-Authenticate": f'{expected} error="invalid_token"'}
        if scheme.lower() != expected.lower() or not token:
            return 401, {"error": "invalid_token"}, bad
        if self.reject_all or token in self.revoked:
            return 401, {"error": "invalid_token"}, bad
        try:
            claims = validate_token(token, self._config, self.issuer)
        except PyIdentityModelException:
            return 401, {"error": "invalid_token"}, bad
        if self._validator is not None:
            url = f"http://{lower['host']}{path.split('?', 1)[0]}"
            jkt = (claims.get("cnf") or {}).get("jkt")
            try:
                self._validator.validate(
                    lower.get("dpop", ""), method=method, url=url, access_token=token,
                    expected_jkt=jkt,
                )  # fmt: skip
            except DPoPProofException as exc:
                return 401, {"error": exc.error}, self._validator.challenge(exc)
        return 200, {"client_id": claims.get("client_id"), "body": body.decode()}, {}

    def start(self) -> ResourceServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _read_chunked(stream: Any) -> bytes:
    data = b""
    while True:
        size = int(stream.readline().strip() or b"0", 16)
        if size == 0:
            stream.readline()
            return data
        data += stream.read(size)
        stream.readline()


@contextmanager
def resource_server(issuer: str, audience: str, *, dpop: bool = False) -> Iterator[ResourceServer]:
    server = ResourceServer(issuer, audience, dpop=dpop).start()
    try:
        yield server
    finally:
        server.stop()
