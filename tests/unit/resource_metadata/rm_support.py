"""Helpers of the protected-resource unit tests: a routing MockTransport handler and bodies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

RESOURCE = "https://rs.example/api/v1"
WELL_KNOWN = "https://rs.example/.well-known/oauth-protected-resource/api/v1"
ISSUER = "https://as.example"
AS_DISCOVERY = "https://as.example/.well-known/openid-configuration"

Answer = httpx.Response | Callable[[httpx.Request], httpx.Response]


def metadata(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"resource": RESOURCE, "authorization_servers": [ISSUER]}
    body.update(extra)
    return {k: v for k, v in body.items() if v is not None}


def discovery(issuer: str = ISSUER) -> dict[str, Any]:
    return {
        "issuer": issuer,
        "jwks_uri": f"{issuer}/jwks",
        "token_endpoint": f"{issuer}/token",
        "authorization_endpoint": f"{issuer}/authorize",
    }


def json_response(body: Any, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def unauthorized(challenge: str | None) -> httpx.Response:
    headers = {"WWW-Authenticate": challenge} if challenge is not None else {}
    return httpx.Response(401, json={"error": "unauthorized"}, headers=headers)


class Router:
    """Answers by exact URL; records every request (a missing route is a 404)."""

    def __init__(self, routes: dict[str, Answer]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.routes.get(str(request.url))
        if answer is None:
            return httpx.Response(404, text="not found")
        if callable(answer) and not isinstance(answer, httpx.Response):
            return answer(request)
        return answer

    @property
    def urls(self) -> list[str]:
        return [str(request.url) for request in self.requests]
