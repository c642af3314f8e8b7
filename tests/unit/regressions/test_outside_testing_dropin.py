"""Regressions from running py-identity-model's own published tests (issue 8): drop-in names
and behaviours that code written against the upstream API relies on."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from tests.unit.validation.test_validation_flow_discovery import EC_KEY, FakeOp

import py_identity_model
from py_identity_model import (
    BaseResponse,
    ConfigurationException,
    DiscoveryEndpoint,
    DiscoveryException,
    HTTPClient,
    JsonWebKey,
    JwksException,
    JwksRequest,
    LogoutStateValidationException,
    NetworkException,
    ProtocolResponse,
    TokenValidationException,
    aio,
    jwks_from_dict,
    parse_discovery_url,
    validate_post_logout_state,
)
from py_identity_model.aio import AsyncHTTPClient
from py_identity_model.http.messages import HttpRequest


def test_json_web_key_as_dict_and_jwks_from_dict() -> None:
    public = EC_KEY.public_jwk()
    assert public.as_dict() == public.to_dict()
    assert jwks_from_dict(public.to_dict()) == JsonWebKey.from_dict(public.to_dict())


@pytest.mark.parametrize(
    "text", ["", "not json", "[1]", '{"kty": "EC"}', '{"kty": "RSA", "n": "%%", "e": "AQAB"}']
)
def test_from_json_raises_what_upstream_callers_catch(text: str) -> None:
    with pytest.raises(ConfigurationException):
        JsonWebKey.from_json(text)
    with pytest.raises(TokenValidationException):  # and still an InvalidKeyException
        JsonWebKey.from_json(text)


def test_parse_discovery_url() -> None:
    assert parse_discovery_url("https://op.example/tenant") == DiscoveryEndpoint(
        "https://op.example/tenant/.well-known/openid-configuration", "https://op.example"
    )
    verbatim = "https://op.example/.well-known/openid_configuration"
    assert parse_discovery_url(verbatim).url == verbatim
    for bad in ("", "op.example", "ftp://op.example", "https://op.example#f", "http://op.example"):
        with pytest.raises(ConfigurationException):
            parse_discovery_url(bad)


def test_validate_post_logout_state() -> None:
    validate_post_logout_state("s-1", "s-1")
    for expected, returned in (("s-1", "s-2"), ("s-1", None), (None, "s-1"), ("", "")):
        with pytest.raises(LogoutStateValidationException):
            validate_post_logout_state(expected, returned)


def test_base_response_is_the_base_of_every_response() -> None:
    assert BaseResponse is ProtocolResponse
    assert isinstance(py_identity_model.DiscoveryDocumentResponse(False, "x"), BaseResponse)


@pytest.mark.parametrize("kind", ["discovery", "jwks"])
def test_validate_token_outages_are_token_validation_exceptions_too(api: Any, kind: str) -> None:
    op = FakeOp()
    if kind == "discovery":
        op.disco_response = lambda: httpx.Response(500)
    else:
        op.jwks_response = lambda: httpx.Response(500)
    with pytest.raises(TokenValidationException) as caught:
        op.validate(api, op.token(), op.config())
    network = DiscoveryException if kind == "discovery" else JwksException
    assert isinstance(caught.value, network) and isinstance(caught.value, NetworkException)
    assert caught.value.error_code == "http_error"  # type: ignore[attr-defined]


def test_http_client_refuses_settings_it_would_ignore() -> None:
    with httpx.Client() as raw:
        with pytest.raises(ConfigurationException):
            HTTPClient(raw, timeout=5)
        with pytest.raises(ConfigurationException):
            HTTPClient(client=raw, verify=False)
    raw_async = httpx.AsyncClient()
    with pytest.raises(ConfigurationException):
        AsyncHTTPClient(raw_async, timeout=5)
    asyncio.run(raw_async.aclose())


def test_closed_clients() -> None:
    client = HTTPClient()
    client.close()
    with pytest.raises(ConfigurationException):
        _ = client.client
    outcome = client.send_request(HttpRequest.get("https://op.example/"))
    assert outcome.code == "network_error"  # type: ignore[union-attr]

    async def go() -> None:
        async_client = AsyncHTTPClient()
        await async_client.close()  # upstream's name, beside aclose()
        with pytest.raises(ConfigurationException):
            _ = async_client.client

    asyncio.run(go())


class RaisingTransport:
    def send_request(self, request: HttpRequest) -> Any:
        raise RuntimeError("a bug in someone's transport")


class AsyncRaisingTransport:
    async def send_request(self, request: HttpRequest) -> Any:
        raise KeyError("a bug in someone's async transport")


def test_no_exception_from_a_custom_transport_escapes() -> None:
    result = py_identity_model.get_jwks(
        JwksRequest("https://op.example/jwks"), http_client=RaisingTransport()
    )
    assert not result.is_successful and result.error_code == "network_error"
    assert "RuntimeError" in (result.error or "")
    result = asyncio.run(
        aio.get_jwks(JwksRequest("https://op.example/jwks"), http_client=AsyncRaisingTransport())
    )
    assert not result.is_successful and result.error_code == "network_error"
