"""A counting reverse proxy in front of the test provider, for the token-management tests.

Every request is forwarded unchanged to the provider and counted by method and path, so
a test can prove how many token requests really reached the authorization server, also
when they come from other processes. Loopback only, plain HTTP, test use only.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class CountingProxy:
    """``url`` forwards to ``target``; ``count("POST", "/token")`` says how often."""

    def __init__(self, target: str) -> None:
        self.target = target.rstrip("/")
        self.counts: Counter[tuple[str, str]] = Counter()
        self._guard = threading.Lock()
        self._client = httpx.Client(timeout=30)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return

            def _forward(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path.split("?", 1)[0]
                with proxy._guard:
                    proxy.counts[(self.command, path)] += 1
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
                answer = proxy._client.request(
                    self.command, proxy.target + self.path, headers=headers, content=body
                )
                self.send_response(answer.status_code)
                for name, value in answer.headers.items():
                    if name.lower() not in _HOP and name.lower() != "content-encoding":
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = _forward

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def count(self, method: str, path: str) -> int:
        with self._guard:
            return self.counts[(method, path)]

    def reset(self) -> None:
        with self._guard:
            self.counts.clear()

    def start(self) -> CountingProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._client.close()


@contextmanager
def counting_proxy(target: str) -> Iterator[CountingProxy]:
    proxy = CountingProxy(target).start()
    try:
        yield proxy
    finally:
        proxy.stop()
