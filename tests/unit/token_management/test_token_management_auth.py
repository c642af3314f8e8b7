"""The httpx.Auth flow (MockTransport resources), encryption at rest, user-token rules."""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import Any

import httpx
import pytest
from tm_support import TOKEN_URL, Clock, TokenServer, run_mode

import py_identity_model
from py_identity_model import (
    CachedToken,
    ClientCredentialsTokenRequest,
    ConfigurationException,
    DPoPKey,
    InMemoryTokenCache,
    TokenEncryption,
    TokenRequestException,
    aio,
)
from py_identity_model.endpoints.client import Client
from py_identity_model.endpoints.client_auth import ClientSecretBasic
from py_identity_model.token_management.auth import check_resource_prover, proof_url
from py_identity_model.token_management.encryption import key_id
from py_identity_model.utils.encoding import b64url_decode

API = "https://api.example.com/orders"


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


class Resource:
    """A scripted resource server: answers ``script`` in order, then 200."""

    def __init__(self, *script: httpx.Response) -> None:
        self.script = list(script)
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "as.example.com":
            raise AssertionError("token requests go to the token server's client")
        request.read()  # a snapshot: the auth flow re-sends the same request object
        self.seen.append(
            httpx.Request(request.method, request.url, headers=dict(request.headers),
                          content=request.content)
        )  # fmt: skip
        return self.script.pop(0) if self.script else httpx.Response(200, json={"ok": True})


def invalid_token() -> httpx.Response:
    return httpx.Response(401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


def setup(mode: str, server: TokenServer, **kw: Any) -> tuple[Any, Any]:
    if mode == "async":
        manager: Any = aio.ClientCredentialsTokenManager(http_client=server.async_client())
        auth_cls: Any = aio.ClientCredentialsAuth
    else:
        manager = py_identity_model.ClientCredentialsTokenManager(http_client=server.sync_client())
        auth_cls = py_identity_model.ClientCredentialsAuth
    secret = None if "client" in kw else "s"
    manager.add_client("svc", ClientCredentialsTokenRequest(TOKEN_URL, "svc", secret, **kw))
    return manager, auth_cls(manager, "svc")


def send(mode: str, auth: Any, resource: Resource, method: str = "GET", **kw: Any) -> Any:
    if mode == "async":

        async def handler(request: httpx.Request) -> httpx.Response:
            return resource(request)

        async def run() -> httpx.Response:
            transport = httpx.MockTransport(handler)
            async with httpx.AsyncClient(transport=transport, auth=auth) as client:
                return await client.request(method, API, **kw)

        return asyncio.run(run())
    with httpx.Client(transport=httpx.MockTransport(resource), auth=auth) as client:
        return client.request(method, API, **kw)


def test_bearer_and_one_renewal_on_invalid_token(mode: str) -> None:
    server = TokenServer()
    _, auth = setup(mode, server)
    resource = Resource(invalid_token(), invalid_token())
    response = send(mode, auth, resource, "POST", content=b"body")
    assert response.status_code == 401  # refused twice: retried once, then given up
    assert [r.headers["authorization"] for r in resource.seen] == ["Bearer at-1", "Bearer at-2"]
    assert [r.content for r in resource.seen] == [b"body", b"body"]
    assert server.count == 2


@pytest.mark.parametrize(
    ("status", "challenge"),
    [
        (403, 'Bearer error="insufficient_scope"'),
        (401, 'Bearer error="invalid_request"'),
        (401, None),
        (400, 'Bearer error="invalid_token"'),
        (401, 'DPoP error="use_dpop_nonce"'),  # a bearer token: no nonce to answer
    ],
)
def test_other_refusals_are_not_retried(mode: str, status: int, challenge: str | None) -> None:
    server = TokenServer()
    _, auth = setup(mode, server)
    headers = {"WWW-Authenticate": challenge} if challenge else {}
    resource = Resource(httpx.Response(status, headers=headers))
    assert send(mode, auth, resource).status_code == status
    assert len(resource.seen) == 1 and server.count == 1


def test_a_token_failure_comes_out_of_the_request(mode: str) -> None:
    server = TokenServer()
    server.fail_with = (401, {"error": "invalid_client"})
    _, auth = setup(mode, server)
    with pytest.raises(TokenRequestException) as info:
        send(mode, auth, Resource())
    assert info.value.error == "invalid_client"


def dpop_setup(mode: str, server: TokenServer) -> tuple[Any, Any, DPoPKey]:
    server.token_type = "DPoP"
    key = DPoPKey()
    manager, auth = setup(mode, server, client=Client("svc", ClientSecretBasic("s"), dpop=key))
    return manager, auth, key


def proof_claims(request: httpx.Request) -> dict[str, Any]:
    payload = request.headers["dpop"].split(".")[1]
    return dict(json.loads(b64url_decode(payload)))


def test_dpop_proofs_carry_ath_and_answer_the_nonce_once(mode: str) -> None:
    server = TokenServer()
    _, auth, key = dpop_setup(mode, server)
    headers = {"WWW-Authenticate": 'DPoP error="use_dpop_nonce"', "DPoP-Nonce": "n-1"}
    resource = Resource(httpx.Response(401, headers=headers), httpx.Response(401, headers=headers))
    assert send(mode, auth, resource).status_code == 401  # a second challenge: given up
    first, second = (proof_claims(r) for r in resource.seen)
    assert resource.seen[0].headers["authorization"] == "DPoP at-1"
    assert first["htu"] == API and first["htm"] == "GET" and "ath" in first
    assert "nonce" not in first and second["nonce"] == "n-1"
    assert first["jti"] != second["jti"]
    header = json.loads(b64url_decode(resource.seen[0].headers["dpop"].split(".")[0]))
    assert header["typ"] == "dpop+jwt" and header["jwk"] == key.public_jwk
    # The token request itself was DPoP-bound too (a proof without ath).
    assert "dpop" in server.headers[0]
    later = Resource()
    send(mode, auth, later)
    assert proof_claims(later.seen[0])["nonce"] == "n-1"  # remembered for this origin


def test_a_prover_without_access_token_is_refused(mode: str) -> None:
    class OldProver:
        def create_proof(self, method: str, url: str, *, nonce: str | None = None) -> str:
            return "proof"

    server = TokenServer()
    server.token_type = "DPoP"
    _, auth = setup(mode, server, client=Client("svc", ClientSecretBasic("s"), dpop=OldProver()))
    with pytest.raises(ConfigurationException, match="access_token"):
        send(mode, auth, Resource())
    with pytest.raises(ConfigurationException):
        check_resource_prover(object())

    class Flexible:
        def create_proof(self, method: str, url: str, **kw: Any) -> str:
            return "proof"

    check_resource_prover(Flexible())


def test_proof_urls_drop_query_and_fragment() -> None:
    assert proof_url("https://api.example.com/a/b?x=1#f") == "https://api.example.com/a/b"


# ------------------------------------------------------------------------- encryption
def test_encryption_round_trip_rotation_and_tamper() -> None:
    old, new = secrets.token_bytes(16), secrets.token_bytes(32)
    one = TokenEncryption(old)
    assert one.key_ids == (key_id(old),)
    sealed = one.encrypt("plain", "key-a")
    assert "plain" not in sealed
    assert one.decrypt(sealed, "key-a") == "plain"
    with pytest.raises(ValueError, match="tampered or moved"):
        one.decrypt(sealed, "key-b")  # the cache key is authenticated
    both = TokenEncryption({key_id(old): old, "new": new}, current="new")
    assert both.decrypt(sealed, "key-a") == "plain"
    assert both.encrypt("x", "k").startswith("pyidm-enc1.new.")
    with pytest.raises(ValueError, match="unknown key id"):
        TokenEncryption(new).decrypt(sealed, "key-a")
    broken = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
    for bad in ("plain", "pyidm-enc1.", broken, f"pyidm-enc1.{key_id(old)}.!!", sealed[:30]):
        with pytest.raises(ValueError):
            one.decrypt(bad, "key-a")
    assert "new" in repr(both) and new.hex() not in repr(both)


@pytest.mark.parametrize(
    ("keys", "kw"),
    [
        (b"short", {}),
        ({}, {}),
        ({"a": b"x" * 16, "b": b"y" * 16}, {}),
        ({"a": b"x" * 16}, {"current": "b"}),
        ({"a.b": b"x" * 16}, {}),
        ({"a": "text"}, {}),
    ],
)
def test_bad_encryption_keys_are_refused(keys: Any, kw: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationException):
        TokenEncryption(keys, **kw)


# ------------------------------------------------------------------------- user tokens
def user_setup(mode: str, server: TokenServer, clock: Clock) -> Any:
    cls: Any = aio.UserTokenManager if mode == "async" else py_identity_model.UserTokenManager
    client = server.async_client() if mode == "async" else server.sync_client()
    manager = cls(TOKEN_URL, Client("app"), InMemoryTokenCache(clock=clock), http_client=client)
    manager._clock = clock
    key = manager.session_key("s")
    manager.cache.set(
        key,
        CachedToken(
            "at-0", "Bearer", clock.now + 3600, clock.now, TOKEN_URL, refresh_token="rt-0",
            keep_until=clock.now + 86400,
        ),
    )  # fmt: skip
    return manager


def test_user_refresh_keeps_the_old_refresh_token_when_not_rotated(mode: str) -> None:
    server, clock = TokenServer(), Clock()
    manager = user_setup(mode, server, clock)
    token = run_mode(mode, lambda: manager.get_access_token("s", force_renewal=True))
    assert token.access_token == "at-1"
    assert server.forms[0]["refresh_token"] == ["rt-0"]
    assert server.forms[0]["grant_type"] == ["refresh_token"]
    assert manager.cache.get(manager.session_key("s")).refresh_token == "rt-0"
    server.extra = {"refresh_token": "rt-2"}
    run_mode(mode, lambda: manager.get_access_token("s", force_renewal=True))
    assert manager.cache.get(manager.session_key("s")).refresh_token == "rt-2"


def test_user_early_refresh_failure_serves_the_cached_token(mode: str) -> None:
    server, clock = TokenServer(), Clock()
    manager = user_setup(mode, server, clock)
    clock.advance(3600 - 45)
    server.fail_with = (503, {"error": "temporarily_unavailable"})
    assert run_mode(mode, lambda: manager.get_access_token("s")).access_token == "at-0"
    clock.advance(20)  # the hard window: the failure raises, but it is no re-login
    with pytest.raises(TokenRequestException) as info:
        run_mode(mode, lambda: manager.get_access_token("s"))
    assert not info.value.relogin_required
    assert manager.cache.get(manager.session_key("s")) is not None  # the session is kept
    server.fail_with = None
    assert run_mode(mode, lambda: manager.get_access_token("s")).access_token.startswith("at-")


def test_user_invalid_grant_forgets_the_session(mode: str) -> None:
    server, clock = TokenServer(), Clock()
    manager = user_setup(mode, server, clock)
    server.fail_with = (400, {"error": "invalid_grant"})
    with pytest.raises(TokenRequestException) as info:
        run_mode(mode, lambda: manager.get_access_token("s", force_renewal=True))
    assert info.value.relogin_required
    assert manager.cache.get(manager.session_key("s")) is None
    assert server.count == 1


# ----------------------------------------------------------------------- OpenTelemetry
def test_events_become_opentelemetry_metrics_without_tokens() -> None:
    sdk_metrics = pytest.importorskip("opentelemetry.sdk.metrics")
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader

    from py_identity_model import (
        OpenTelemetryTokenMetrics,
        add_token_listener,
        remove_token_listener,
    )

    reader = InMemoryMetricReader()
    metrics = OpenTelemetryTokenMetrics(sdk_metrics.MeterProvider(metric_readers=[reader]))
    add_token_listener(metrics)
    try:
        server = TokenServer()
        manager, _ = setup("sync", server)
        manager.get_access_token("svc")
        manager.get_access_token("svc")
        server.fail_with = (400, {"error": "invalid_scope"})
        with pytest.raises(TokenRequestException):
            manager.get_access_token("svc", force_renewal=True)
    finally:
        remove_token_listener(metrics)
    points = {
        tuple(sorted(point.attributes.items())): point.value
        for resource in reader.get_metrics_data().resource_metrics
        for scope in resource.scope_metrics
        for metric in scope.metrics
        if metric.name == "py_identity_model.token_management.events"
        for point in metric.data.data_points
    }
    assert points[(("event", "cache_hit"), ("subject", "svc"))] == 1
    assert points[(("event", "token_retrieved"), ("subject", "svc"))] == 1
    failed = (("error_code", "invalid_scope"), ("event", "retrieval_failed"), ("subject", "svc"))
    assert points[failed] == 1
    assert "at-1" not in repr(points) and "OpenTelemetryTokenMetrics" in repr(metrics)
