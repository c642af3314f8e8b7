"""Opaque tokens: introspection through the ResourceServer, its cache and its single flight."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from fake_op import AUDIENCE, ISSUER, URL, FakeOp

from py_identity_model import (
    Client,
    ClientSecretBasic,
    IncomingRequest,
    IntrospectionSettings,
    ResourceRejection,
    ResourceServer,
)
from py_identity_model.errors import ErrorCodes
from py_identity_model.exceptions import ConfigurationException

INTROSPECT = f"{ISSUER}/introspect"


def settings(**options: Any) -> IntrospectionSettings:
    options.setdefault("client_id", "api")
    options.setdefault("client_secret", "api-secret")
    return IntrospectionSettings(INTROSPECT, **options)


def server(op: FakeOp, *, async_client: bool = False, **options: Any) -> ResourceServer:
    options.setdefault("introspection", settings())
    client = op.async_client() if async_client else op.client()
    return ResourceServer(issuer=ISSUER, audience=AUDIENCE, http_client=client, **options)


def request(token: str) -> IncomingRequest:
    return IncomingRequest("GET", URL, {"Authorization": f"Bearer {token}"})


def active(**claims: Any) -> dict[str, Any]:
    now = int(time.time())
    answer = {"active": True, "sub": "bob", "client_id": "c1", "scope": "orders:read",
              "aud": AUDIENCE, "iss": ISSUER, "exp": now + 600}  # fmt: skip
    answer.update(claims)
    return {k: v for k, v in answer.items() if v is not None}


def rejected(rs: ResourceServer, token: str) -> ResourceRejection:
    with pytest.raises(ResourceRejection) as info:
        rs.authenticate(request(token))
    return info.value


def test_active_opaque_token_is_introspected_once() -> None:
    op = FakeOp()
    op.answers["opaque-1"] = active()
    rs = server(op)
    principal = rs.authenticate(request("opaque-1"))
    assert (principal.subject, principal.is_opaque, principal.scopes) == (
        "bob", True, frozenset({"orders:read"}),
    )  # fmt: skip
    assert rs.authenticate(request("opaque-1")).subject == "bob"
    assert op.count("/introspect") == 1
    assert len(rs.introspection_cache or ()) == 1


def test_a_client_value_authenticates_the_introspection() -> None:
    op = FakeOp()
    op.answers["opaque-2"] = active()
    auth = settings(
        client_id=None, client_secret=None, client=Client("api", ClientSecretBasic("api-secret"))
    )
    assert server(op, introspection=auth).authenticate(request("opaque-2")).subject == "bob"
    wrong = settings(client_secret="wrong")
    rejection = rejected(server(op, introspection=wrong), "opaque-2")
    assert (rejection.status, rejection.error) == (503, "temporarily_unavailable")


def test_entries_never_outlive_the_tokens_exp() -> None:
    op = FakeOp()
    op.answers["short"] = active(exp=int(time.time()) + 1)
    rs = server(op, introspection=settings(max_ttl=300))
    rs.authenticate(request("short"))
    time.sleep(1.2)
    op.answers["short"] = {"active": False}  # what the server says once it expired
    assert rejected(rs, "short").error_code == ErrorCodes.ACCESS_TOKEN_INACTIVE
    assert op.count("/introspect") == 2


def test_max_ttl_bounds_the_entry() -> None:
    op = FakeOp()
    op.answers["t"] = active()
    rs = server(op, introspection=settings(max_ttl=0.5))
    rs.authenticate(request("t"))
    time.sleep(0.6)
    op.answers["t"] = {"active": False}  # revoked meanwhile
    assert rejected(rs, "t").error == "invalid_token"


def test_inactive_is_not_cached_by_default_and_briefly_when_configured() -> None:
    op = FakeOp()
    rs = server(op)
    for _ in range(2):
        rejection = rejected(rs, "unknown")
        assert (rejection.status, rejection.error, rejection.description) == (
            401, "invalid_token", "The access token is not active",
        )  # fmt: skip
    assert op.count("/introspect") == 2
    brief = server(op, introspection=settings(inactive_ttl=60))
    rejected(brief, "unknown")
    rejected(brief, "unknown")
    assert op.count("/introspect") == 3


@pytest.mark.parametrize(
    "answer",
    [
        active(aud="https://other.example"),
        active(aud=["a", "b"]),
        active(exp=int(time.time()) - 120),
        active(nbf=int(time.time()) + 3600),
        {"active": "true"},
    ],
    ids=["aud", "aud-list", "expired", "nbf", "active-not-bool"],
)
def test_active_answers_that_are_not_for_us(answer: dict[str, Any]) -> None:
    op = FakeOp()
    op.answers["t"] = answer
    rejection = rejected(server(op), "t")
    assert rejection.status in (401, 503)
    assert rejection.error in ("invalid_token", "temporarily_unavailable")


def test_introspection_outage_is_503_and_not_cached() -> None:
    op = FakeOp()
    op.answers["t"] = active()
    op.fail_introspection = True
    rs = server(op)
    rejection = rejected(rs, "t")
    assert (rejection.status, rejection.error_code) == (
        503, ErrorCodes.AUTHORIZATION_SERVER_UNAVAILABLE,
    )  # fmt: skip
    assert not [n for n, _ in rejection.headers if n == "WWW-Authenticate"]
    op.fail_introspection = False
    assert rs.authenticate(request("t")).subject == "bob"


def test_dpop_bound_opaque_token_needs_the_dpop_scheme() -> None:
    op = FakeOp()
    op.answers["bound"] = active(cnf={"jkt": "x" * 43})
    assert rejected(server(op), "bound").error_code == "dpop_binding_mismatch"


def test_every_token_introspected_when_accept_jwt_is_false() -> None:
    op = FakeOp()
    op.answers["a.b.c"] = active()
    assert server(op, accept_jwt=False).authenticate(request("a.b.c")).is_opaque


async def test_a_thousand_concurrent_callers_cause_one_introspection() -> None:
    op = FakeOp(delay=0.05)
    op.answers["hot"] = active()
    rs = server(op, async_client=True)
    principals = await asyncio.gather(*(rs.aauthenticate(request("hot")) for _ in range(1000)))
    assert {p.subject for p in principals} == {"bob"}
    assert op.count("/introspect") == 1


def test_concurrent_threads_share_one_introspection() -> None:
    op = FakeOp(delay=0.05)
    op.answers["hot"] = active()
    rs = server(op)
    results: list[str | None] = []
    threads = [
        threading.Thread(target=lambda: results.append(rs.authenticate(request("hot")).subject))
        for _ in range(20)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["bob"] * 20
    assert op.count("/introspect") == 1


def test_cache_is_bounded() -> None:
    op = FakeOp()
    rs = server(op, introspection=settings(max_entries=3))
    for i in range(10):
        op.answers[f"t{i}"] = active()
        rs.authenticate(request(f"t{i}"))
    assert len(rs.introspection_cache or ()) == 3


@pytest.mark.parametrize(
    "options",
    [
        {"client_id": None},
        {"client": Client("api", ClientSecretBasic("s"))},
        {"max_ttl": -1},
        {"inactive_ttl": float("inf")},
        {"max_entries": 0},
        {"max_entries": True},
    ],
)
def test_settings_errors(options: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationException):
        settings(**options)
    with pytest.raises(ConfigurationException):
        IntrospectionSettings("", client_id="api")
    with pytest.raises(ConfigurationException):
        IntrospectionSettings(INTROSPECT, client="api")  # type: ignore[arg-type]


def test_settings_repr_hides_the_secret() -> None:
    assert "api-secret" not in repr(settings())


def test_plain_http_introspection_endpoint_is_refused() -> None:
    with pytest.raises(ConfigurationException, match=r"(?i)https"):
        IntrospectionSettings("http://op.example/introspect", client_id="api")
    loopback = IntrospectionSettings("http://127.0.0.1:9/introspect", client_id="api")
    assert loopback.address.startswith("http://127.0.0.1")
