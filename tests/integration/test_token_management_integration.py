"""Token management against the real provider: service tokens, single flight, errors.

Requests go through a counting proxy in front of the provider, so "exactly one token
request" is what the authorization server really saw. Every test runs through the sync
and the async manager.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

import py_identity_model
from py_identity_model import (
    ClientCredentialsTokenRequest,
    ConfigurationException,
    DPoPKey,
    RefreshTokenRequest,
    TokenCounters,
    TokenEventName,
    TokenRequestException,
    TokenValidationConfig,
    add_token_listener,
    aio,
    remove_token_listener,
)
from py_identity_model.endpoints.client import Client
from py_identity_model.endpoints.client_auth import ClientSecretBasic
from tests.integration.test_tokens_integration import _code_request, _login_for_code
from tests.integration.token_counting_proxy import CountingProxy, counting_proxy
from tests.integration.token_resource_server import ResourceServer, resource_server
from tests.provider.fixture import RunningProvider

JWT_RESOURCE = "urn:test:api:rs256"


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def proxy(provider: RunningProvider) -> Iterator[CountingProxy]:
    with counting_proxy(provider.issuer) as running:
        yield running


def token_path(provider: RunningProvider) -> str:
    return urlsplit(provider.token_endpoint).path


def proxied_request(
    provider: RunningProvider, proxy: CountingProxy, **kw: Any
) -> ClientCredentialsTokenRequest:
    client = provider.client("client-basic")
    kw.setdefault("scope", "api:read")
    kw.setdefault("resource", JWT_RESOURCE)
    address = proxy.url + token_path(provider)
    secret = kw.pop("client_secret", client.client_secret)
    return ClientCredentialsTokenRequest(address, client.client_id, secret, **kw)


def new_manager(mode: str, **kw: Any) -> Any:
    cls = (
        aio.ClientCredentialsTokenManager
        if mode == "async"
        else (py_identity_model.ClientCredentialsTokenManager)
    )
    return cls(**kw)


def get(mode: str, manager: Any, name: str, **kw: Any) -> Any:
    if mode == "async":
        return asyncio.run(manager.get_access_token(name, **kw))
    return manager.get_access_token(name, **kw)


def test_a_service_token_is_requested_once_and_validates(
    mode: str, provider: RunningProvider, proxy: CountingProxy
) -> None:
    manager = new_manager(mode)
    manager.add_client("orders", proxied_request(provider, proxy))
    first = get(mode, manager, "orders")
    again = get(mode, manager, "orders")
    assert again.access_token == first.access_token
    assert proxy.count("POST", token_path(provider)) == 1
    assert first.token_type == "Bearer" and first.scope == "api:read"
    config = TokenValidationConfig(perform_disco=True, audience=JWT_RESOURCE)
    claims = py_identity_model.validate_token(first.access_token, config, provider.issuer)
    assert claims["client_id"] == "client-basic"
    assert abs(first.expires_at - claims["exp"]) <= 2


def test_force_renewal_and_other_parameters_get_other_tokens(
    mode: str, provider: RunningProvider, proxy: CountingProxy
) -> None:
    manager = new_manager(mode)
    manager.add_client("read", proxied_request(provider, proxy))
    manager.add_client("write", proxied_request(provider, proxy, scope="api:write"))
    manager.add_client("opaque", proxied_request(provider, proxy, resource="urn:test:api:opaque"))
    read = get(mode, manager, "read")
    write = get(mode, manager, "write")
    opaque = get(mode, manager, "opaque")
    assert len({read.access_token, write.access_token, opaque.access_token}) == 3
    assert write.scope == "api:write"
    renewed = get(mode, manager, "read", force_renewal=True)
    assert renewed.access_token != read.access_token
    assert proxy.count("POST", token_path(provider)) == 4


def test_a_wrong_secret_raises_invalid_client(
    mode: str, provider: RunningProvider, proxy: CountingProxy
) -> None:
    manager = new_manager(mode)
    manager.add_client("bad", proxied_request(provider, proxy, client_secret="wrong"))
    for _ in range(2):
        with pytest.raises(TokenRequestException) as info:
            get(mode, manager, "bad")
        assert info.value.error == "invalid_client"
        assert info.value.status_code in (400, 401)
        assert "wrong" not in str(info.value)
    assert proxy.count("POST", token_path(provider)) == 2  # failures are not cached


def test_an_unknown_resource_raises_invalid_target(
    mode: str, provider: RunningProvider, proxy: CountingProxy
) -> None:
    manager = new_manager(mode)
    manager.add_client("bad", proxied_request(provider, proxy, resource="urn:nope"))
    with pytest.raises(TokenRequestException) as info:
        get(mode, manager, "bad")
    assert info.value.error == "invalid_target"


def test_a_thousand_threads_send_one_token_request(
    provider: RunningProvider, proxy: CountingProxy
) -> None:
    manager = py_identity_model.ClientCredentialsTokenManager()
    manager.add_client("orders", proxied_request(provider, proxy))
    barrier = threading.Barrier(1000)
    tokens: list[str] = []

    def worker() -> None:
        barrier.wait()
        tokens.append(manager.get_access_token("orders").access_token)

    threads = [threading.Thread(target=worker) for _ in range(1000)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(tokens) == 1000 and len(set(tokens)) == 1
    assert proxy.count("POST", token_path(provider)) == 1


def test_a_thousand_tasks_send_one_token_request(
    provider: RunningProvider, proxy: CountingProxy
) -> None:
    manager = aio.ClientCredentialsTokenManager()
    manager.add_client("orders", proxied_request(provider, proxy))

    async def main() -> set[str]:
        got = await asyncio.gather(*(manager.get_access_token("orders") for _ in range(1000)))
        return {token.access_token for token in got}

    assert len(asyncio.run(main())) == 1
    assert proxy.count("POST", token_path(provider)) == 1


# ------------------------------------------------------------------ httpx.Auth (layer 2)
def auth_for(mode: str, manager: Any, name: str) -> Any:
    cls = aio.ClientCredentialsAuth if mode == "async" else py_identity_model.ClientCredentialsAuth
    return cls(manager, name)


def call(mode: str, auth: Any, method: str, url: str, **kw: Any) -> httpx.Response:
    if mode == "async":

        async def run() -> httpx.Response:
            async with httpx.AsyncClient(auth=auth) as client:
                return await client.request(method, url, **kw)

        return asyncio.run(run())
    with httpx.Client(auth=auth) as client:
        return client.request(method, url, **kw)


@pytest.fixture
def resource(provider: RunningProvider) -> Iterator[ResourceServer]:
    with resource_server(provider.issuer, JWT_RESOURCE) as running:
        yield running


def test_auth_attaches_the_managed_bearer_token(
    mode: str, provider: RunningProvider, proxy: CountingProxy, resource: ResourceServer
) -> None:
    manager = new_manager(mode)
    manager.add_client("orders", proxied_request(provider, proxy))
    auth = auth_for(mode, manager, "orders")
    for _ in range(3):
        response = call(mode, auth, "GET", resource.url)
        assert response.status_code == 200
        assert response.json()["client_id"] == "client-basic"
    assert proxy.count("POST", token_path(provider)) == 1
    assert {r["scheme"] for r in resource.requests} == {"Bearer"}


def test_a_401_invalid_token_renews_once_and_retries(
    mode: str, provider: RunningProvider, proxy: CountingProxy, resource: ResourceServer
) -> None:
    manager = new_manager(mode)
    manager.add_client("orders", proxied_request(provider, proxy))
    auth = auth_for(mode, manager, "orders")
    assert call(mode, auth, "GET", resource.url).status_code == 200
    resource.revoked.add(resource.requests[-1]["token"])
    counters = TokenCounters()
    add_token_listener(counters)
    try:
        response = call(mode, auth, "POST", resource.url, content=b"payload")
    finally:
        remove_token_listener(counters)
    assert response.status_code == 200 and response.json()["body"] == "payload"
    assert proxy.count("POST", token_path(provider)) == 2
    assert counters.count(TokenEventName.RENEWAL_FORCED, "orders") == 1
    assert resource.requests[-1]["token"] != resource.requests[-2]["token"]


def test_a_resource_that_keeps_refusing_is_retried_only_once(
    mode: str, provider: RunningProvider, proxy: CountingProxy, resource: ResourceServer
) -> None:
    manager = new_manager(mode)
    manager.add_client("orders", proxied_request(provider, proxy))
    resource.reject_all = True
    response = call(mode, auth_for(mode, manager, "orders"), "GET", resource.url)
    assert response.status_code == 401
    assert resource.count() == 2
    assert proxy.count("POST", token_path(provider)) == 2


def test_a_streamed_body_is_never_replayed(
    mode: str, provider: RunningProvider, proxy: CountingProxy, resource: ResourceServer
) -> None:
    manager = new_manager(mode)
    manager.add_client("orders", proxied_request(provider, proxy))
    resource.reject_all = True
    if mode == "async":

        async def chunks() -> Any:
            yield b"part-1"
            yield b"part-2"

        content: Any = chunks()
    else:
        content = iter([b"part-1", b"part-2"])
    response = call(mode, auth_for(mode, manager, "orders"), "POST", resource.url, content=content)
    assert response.status_code == 401
    assert resource.count() == 1  # not sent twice
    assert proxy.count("POST", token_path(provider)) == 1


def test_auth_misuse_is_refused(mode: str, provider: RunningProvider) -> None:
    manager = new_manager(mode)
    manager.add_client("orders", proxied_request(provider, CountingProxy(provider.issuer)))
    with pytest.raises(ConfigurationException, match="no client registered"):
        auth_for(mode, manager, "nobody")
    other = new_manager("sync" if mode == "async" else "async")
    other.add_client("orders", proxied_request(provider, CountingProxy(provider.issuer)))
    with pytest.raises(ConfigurationException, match="manager must be"):
        auth_for(mode, other, "orders")
    auth = auth_for(mode, manager, "orders")
    wrong = "sync" if mode == "async" else "async"
    with pytest.raises(ConfigurationException, match="this auth is for"):
        call(wrong, auth, "GET", "http://127.0.0.1:1/")
    assert "orders" in repr(auth)


def test_auth_works_with_httpx2_clients(
    mode: str, provider: RunningProvider, proxy: CountingProxy, resource: ResourceServer
) -> None:
    httpx2 = pytest.importorskip("httpx2")
    manager = new_manager(mode)
    manager.add_client("orders", proxied_request(provider, proxy))
    auth = auth_for(mode, manager, "orders").for_httpx2()
    assert isinstance(auth, httpx2.Auth)
    if mode == "async":

        async def run() -> Any:
            async with httpx2.AsyncClient(auth=auth) as client:
                return await client.get(resource.url)

        response = asyncio.run(run())
    else:
        with httpx2.Client(auth=auth) as client:
            response = client.get(resource.url)
    assert response.status_code == 200


def test_dpop_bound_tokens_answer_the_resource_nonce_once(
    mode: str, provider: RunningProvider
) -> None:
    client = provider.client("client-dpop")
    key = DPoPKey()
    request = ClientCredentialsTokenRequest(
        provider.token_endpoint,
        client.client_id,
        scope="api:read",
        resource=JWT_RESOURCE,
        client=Client(client.client_id, ClientSecretBasic(client.client_secret), dpop=key),
    )
    manager = new_manager(mode)
    manager.add_client("bound", request)
    token = get(mode, manager, "bound")
    assert token.token_type == "DPoP" and token.dpop_key is key and token.is_dpop
    counters = TokenCounters()
    add_token_listener(counters)
    try:
        with resource_server(provider.issuer, JWT_RESOURCE, dpop=True) as dpop_resource:
            auth = auth_for(mode, manager, "bound")
            first = call(mode, auth, "GET", dpop_resource.url + "?page=1")
            assert first.status_code == 200, first.text
            assert dpop_resource.count() == 2  # use_dpop_nonce, then the proof with it
            second = call(mode, auth, "GET", dpop_resource.url)
            assert second.status_code == 200
            assert dpop_resource.count() == 3  # the remembered nonce: no second challenge
            assert {r["scheme"] for r in dpop_resource.requests} == {"DPoP"}
    finally:
        remove_token_listener(counters)
    assert counters.count(TokenEventName.DPOP_NONCE_RETRY, "bound") == 1


# ------------------------------------------------------------------- user tokens (layer 5)
PUBLIC = "public-native"


def login(provider: RunningProvider, scope: str = "openid offline_access") -> Any:
    code, verifier = _login_for_code(provider, scope=scope, prompt="consent")
    tokens = py_identity_model.request_authorization_code_token(
        _code_request(provider, code, verifier)
    )
    assert tokens.is_successful, (tokens.error, tokens.error_description)
    return tokens


def user_manager(mode: str, provider: RunningProvider, proxy: CountingProxy, **kw: Any) -> Any:
    cls = aio.UserTokenManager if mode == "async" else py_identity_model.UserTokenManager
    kw.setdefault("revocation_endpoint", provider.metadata["revocation_endpoint"])
    return cls(proxy.url + token_path(provider), Client(PUBLIC), **kw)


def run(mode: str, value: Any) -> Any:
    return asyncio.run(value) if mode == "async" else value


def test_user_tokens_refresh_rotate_and_log_out(
    mode: str, provider: RunningProvider, proxy: CountingProxy
) -> None:
    manager = user_manager(mode, provider, proxy)
    tokens = login(provider)
    stored = run(mode, manager.store_tokens("alice-session", tokens))
    assert stored.access_token == tokens.access_token
    assert run(mode, manager.get_access_token("alice-session")).access_token == tokens.access_token
    assert proxy.count("POST", token_path(provider)) == 0  # fresh: no refresh
    key = manager.session_key("alice-session")
    renewed = run(mode, manager.get_access_token("alice-session", force_renewal=True))
    assert renewed.access_token != tokens.access_token
    entry = manager.cache.get(key)
    assert entry.refresh_token not in (None, tokens.refresh_token)  # rotated and kept
    assert entry.id_token == tokens.id_token  # kept from the login
    again = run(mode, manager.get_access_token("alice-session", force_renewal=True))
    assert again.access_token != renewed.access_token  # the rotated one works: no replay
    revoked = run(mode, manager.logout("alice-session"))
    assert revoked is not None and revoked.is_successful
    with pytest.raises(TokenRequestException) as info:
        run(mode, manager.get_access_token("alice-session"))
    assert info.value.relogin_required and info.value.error_code == "unknown_session"
    assert run(mode, manager.logout("alice-session")) is None  # nothing left to revoke


def test_invalid_grant_means_relogin_and_forgets_the_session(
    mode: str, provider: RunningProvider, proxy: CountingProxy
) -> None:
    manager = user_manager(mode, provider, proxy)
    tokens = login(provider)
    run(mode, manager.store_tokens("s", tokens))
    spent = py_identity_model.refresh_token(
        RefreshTokenRequest(provider.token_endpoint, PUBLIC, tokens.refresh_token)
    )
    assert spent.is_successful  # someone else spent (rotated) the refresh token
    with pytest.raises(TokenRequestException) as info:
        run(mode, manager.get_access_token("s", force_renewal=True))
    assert info.value.error == "invalid_grant" and info.value.relogin_required
    assert tokens.refresh_token not in str(info.value)
    assert manager.cache.get(manager.session_key("s")) is None
    with pytest.raises(TokenRequestException) as again:
        run(mode, manager.get_access_token("s"))
    assert again.value.error_code == "unknown_session"


def test_a_dpop_bound_session_refreshes_with_its_key_only(
    mode: str, provider: RunningProvider
) -> None:
    """A public client's refresh token bound to a DPoP key (RFC 9449 §5): the manager
    refreshes it with proofs of that key (and a key restored from PEM, as after a restart);
    a manager holding another key cannot spend it and asks for a new login."""
    key = DPoPKey()
    code, verifier = _login_for_code(
        provider, scope="openid offline_access", prompt="consent", dpop_jkt=key.jwk_thumbprint
    )
    login_request = _code_request(provider, code, verifier)
    login_request.dpop_key = key
    tokens = py_identity_model.request_authorization_code_token(login_request)
    assert tokens.is_successful, (tokens.error, tokens.error_description)
    assert tokens.token_type == "DPoP"
    cls = aio.UserTokenManager if mode == "async" else py_identity_model.UserTokenManager
    restored = DPoPKey.from_pem(key.private_key_pem)
    # Straight to the provider: a proof's htu is the URL the server sees (no counting proxy).
    manager = cls(provider.token_endpoint, Client(PUBLIC, dpop=restored))
    run(mode, manager.store_tokens("bound", tokens))
    renewed = run(mode, manager.get_access_token("bound", force_renewal=True))
    assert renewed.token_type == "DPoP" and renewed.dpop_key is restored
    assert renewed.access_token != tokens.access_token
    again = run(mode, manager.get_access_token("bound"))
    assert again.access_token == renewed.access_token  # cached, not refreshed again
    stranger = cls(provider.token_endpoint, Client(PUBLIC, dpop=DPoPKey()))
    run(mode, stranger.store_tokens("stolen", tokens))
    with pytest.raises(TokenRequestException) as info:
        run(mode, stranger.get_access_token("stolen", force_renewal=True))
    assert info.value.error == "invalid_grant" and info.value.relogin_required


def test_a_session_without_refresh_token_needs_a_relogin(
    mode: str, provider: RunningProvider, proxy: CountingProxy
) -> None:
    manager = user_manager(mode, provider, proxy)
    tokens = login(provider, scope="openid")
    assert tokens.refresh_token is None
    run(mode, manager.store_tokens("s", tokens))
    assert run(mode, manager.get_access_token("s")).access_token == tokens.access_token
    with pytest.raises(TokenRequestException) as info:
        run(mode, manager.get_access_token("s", force_renewal=True))
    assert info.value.error_code == "no_refresh_token" and info.value.relogin_required
    assert proxy.count("POST", token_path(provider)) == 0
    assert run(mode, manager.logout("s")) is None


def test_user_manager_misuse_is_refused(mode: str, provider: RunningProvider) -> None:
    cls = aio.UserTokenManager if mode == "async" else py_identity_model.UserTokenManager
    with pytest.raises(ConfigurationException, match="client must be"):
        cls(provider.token_endpoint, "public-native")
    with pytest.raises(ConfigurationException, match="token_endpoint"):
        cls("", Client(PUBLIC))
    manager = cls(provider.token_endpoint, Client(PUBLIC))
    with pytest.raises(ConfigurationException, match="session_key"):
        run(mode, manager.get_access_token(""))
    failed = py_identity_model.request_client_credentials_token(
        ClientCredentialsTokenRequest(provider.token_endpoint, "client-basic", "wrong")
    )
    with pytest.raises(ConfigurationException, match="successful"):
        run(mode, manager.store_tokens("s", failed))
    with pytest.raises(ConfigurationException, match="TokenResponse"):
        run(mode, manager.store_tokens("s", {"access_token": "x"}))
    assert "public-native" in repr(manager)


def test_expired_user_tokens_refresh_once_for_many_threads(
    provider: RunningProvider, proxy: CountingProxy
) -> None:
    manager = user_manager("sync", provider, proxy)
    run("sync", manager.store_tokens("s", login(provider)))
    key = manager.session_key("s")
    entry = manager.cache.get(key)
    manager.cache.set(
        key, entry.with_changes(issued_at=entry.issued_at - 3600, expires_at=time.time() - 1)
    )
    barrier = threading.Barrier(100)
    tokens: list[str] = []

    def ask() -> None:
        barrier.wait()
        tokens.append(manager.get_access_token("s").access_token)

    threads = [threading.Thread(target=ask) for _ in range(100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(tokens) == 100 and len(set(tokens)) == 1
    assert proxy.count("POST", token_path(provider)) == 1
    # The grant is intact (no refresh token was replayed): the rotated one works.
    assert manager.get_access_token("s", force_renewal=True).access_token != tokens[0]


def test_user_token_auth_renews_a_refused_token_at_userinfo(
    mode: str, provider: RunningProvider, proxy: CountingProxy
) -> None:
    manager = user_manager(mode, provider, proxy)
    run(mode, manager.store_tokens("s", login(provider)))
    key = manager.session_key("s")
    entry = manager.cache.get(key)
    manager.cache.set(key, entry.with_changes(access_token="not-a-valid-token"))
    cls = aio.UserTokenAuth if mode == "async" else py_identity_model.UserTokenAuth
    auth = cls(manager, "s")
    assert "s" not in repr(auth).replace("UserTokenAuth(session", "")
    response = call(mode, auth, "GET", provider.metadata["userinfo_endpoint"])
    assert response.status_code == 200, response.text
    assert response.json()["sub"] == "alice"
    assert proxy.count("POST", token_path(provider)) == 1  # one forced refresh
    with pytest.raises(ConfigurationException):
        cls(new_manager(mode), "s")
