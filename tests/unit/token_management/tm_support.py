"""Helpers for the token-management unit tests: a counting token endpoint, a clock."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import httpx

TOKEN_URL = "https://as.example.com/token"


class Clock:
    """A settable wall clock."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class TokenServer:
    """A token endpoint that counts requests; answers are scripted or numbered tokens."""

    def __init__(self, *, expires_in: int | None = 3600, delay: float = 0.0) -> None:
        self.count = 0
        self.forms: list[dict[str, list[str]]] = []
        self.headers: list[httpx.Headers] = []
        self.expires_in = expires_in
        self.delay = delay
        self.fail_with: tuple[int, dict[str, Any]] | None = None
        self.extra: dict[str, Any] = {}
        self.token_type = "Bearer"
        self._guard = threading.Lock()

    def handler(self, request: httpx.Request) -> httpx.Response:
        if self.delay:
            time.sleep(self.delay)
        return self.answer(request)

    def answer(self, request: httpx.Request) -> httpx.Response:
        with self._guard:
            self.count += 1
            number = self.count
            self.forms.append(parse_qs(request.content.decode()))
            self.headers.append(request.headers)
        if self.fail_with is not None:
            status, body = self.fail_with
            return httpx.Response(status, json=body)
        body = {"access_token": f"at-{number}", "token_type": self.token_type, **self.extra}
        if self.expires_in is not None:
            body["expires_in"] = self.expires_in
        return httpx.Response(
            200, content=json.dumps(body), headers={"content-type": "application/json"}
        )

    def sync_client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handler))

    def async_client(self) -> httpx.AsyncClient:
        async def handle(request: httpx.Request) -> httpx.Response:
            if self.delay:
                await asyncio.sleep(self.delay)
            return self.answer(request)

        return httpx.AsyncClient(transport=httpx.MockTransport(handle))


def run_mode(mode: str, call: Callable[[], Any]) -> Any:
    """``call()`` in sync mode; ``asyncio.run(call())`` in async mode."""
    if mode == "async":
        return asyncio.run(call())
    return call()
