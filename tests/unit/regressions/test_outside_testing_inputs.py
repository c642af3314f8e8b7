"""Regressions from outside testing (issue 8): hostile or wrong inputs at every entry point.

Classes: malformed addresses, configuration values, numbers from servers, unbounded caches
keyed by input, log injection. Each answer is a failed result or a typed exception.
"""

from __future__ import annotations

import asyncio
import logging
import math
from typing import Any

import httpx
import pytest
from tests.unit.validation.test_validation_flow_discovery import AUDIENCE, FakeOp

import py_identity_model
from py_identity_model import (
    ClientCredentialsTokenRequest,
    ConfigurationException,
    DiscoveryCache,
    DiscoveryDocumentRequest,
    DiscoveryException,
    DiscoveryHTTPSRequiredError,
    JwksRequest,
    OidcClient,
    OidcClientOptions,
    TokenValidationConfig,
    TokenValidator,
)
from py_identity_model.caching.refreshing import RefreshingValue
from py_identity_model.drivers.sync import runner
from py_identity_model.http.results import ProtocolResponse
from py_identity_model.validation.config import compiled
from py_identity_model.validation.operations import remote_source

MALFORMED = [
    "https://[::1",
    "https://[evil.example]/",
    "https://idp.example:99999",
    "https://idp.example/\r\nX: 1",
    "not a url",
    "https://user@idp.example",
    "",
]


@pytest.mark.parametrize("address", MALFORMED)
def test_malformed_address_is_a_failed_discovery_result(api: Any, address: str) -> None:
    result = api.get_discovery_document(DiscoveryDocumentRequest(address))
    assert not result.is_successful
    assert result.error_code == "invalid_url"


@pytest.mark.parametrize("address", MALFORMED)
def test_malformed_address_never_raises_a_bare_value_error(api: Any, address: str) -> None:
    assert not api.get_jwks(JwksRequest(address)).is_successful
    cache = DiscoveryCache(address)
    document = cache.get() if not api.is_async else asyncio.run(cache.aget())
    assert not document.is_successful and document.error_code == "invalid_url"
    config = TokenValidationConfig(perform_disco=True, audience="api")
    token = FakeOp().token()
    with pytest.raises(ConfigurationException):
        api.validate_token(token, config, address or "x")
    # Misuse is raised where it is configured: building the validator.
    with pytest.raises(ConfigurationException):
        TokenValidator(config, disco_doc_address=address or "x")


@pytest.mark.parametrize("address", [a for a in MALFORMED if a])
def test_malformed_authority_fails_login_with_a_typed_exception(address: str) -> None:
    options = OidcClientOptions(address, "c", "https://app.example/cb")
    with pytest.raises(ConfigurationException):
        OidcClient(options)


def test_plain_http_authority_is_refused_when_the_client_is_built() -> None:
    options = OidcClientOptions("http://idp.example", "c", "https://app.example/cb")
    with pytest.raises(DiscoveryHTTPSRequiredError, match="HTTPS is required"):
        OidcClient(options)
    config = TokenValidationConfig(perform_disco=True, audience="api")
    with pytest.raises(DiscoveryHTTPSRequiredError):
        TokenValidator(config, disco_doc_address="http://idp.example")


def test_discovery_exception_of_prepare_login_carries_the_error_code() -> None:
    # Nothing listens on this loopback port: the failed discovery's code travels along.
    options = OidcClientOptions("http://127.0.0.1:9", "c", "https://app.example/cb")
    with pytest.raises(DiscoveryException) as info:
        OidcClient(options).prepare_login()
    assert info.value.error_code == "network_error"
    assert info.value.url == "http://127.0.0.1:9"


@pytest.mark.parametrize(
    "options",
    [
        {"leeway": "abc"},
        {"leeway": math.nan},
        {"leeway": -1},
        {"leeway": math.inf},
        {"algorithms": [["RS256"]]},
        {"algorithms": "RS256"},
        {"algorithms": [None]},
        {"max_token_size": "big"},
        {"max_token_size": math.nan},
        {"max_token_size": math.inf},
        {"max_token_size": 0},
        {"max_token_size": 1.5},
        {"jwks_refresh_cooldown": "x"},
        {"jwks_refresh_cooldown": -5},
        {"jwks_refresh_cooldown": math.nan},
        {"max_token_age": "1h"},
        {"max_token_age": -1},
        {"audience": 5},
        {"issuer": ["a", 3]},
        {"subject": 7},
        {"token_type": b"at+jwt"},
        {"require_https": "yes"},
        {"claims_validator": "not callable"},
        {"options": {"verify_exp": "no"}},
        {"client_secret": 5, "algorithms": ["HS256"]},
    ],
)
def test_every_validation_option_is_checked(api: Any, options: dict[str, Any]) -> None:
    op = FakeOp()
    config = TokenValidationConfig(perform_disco=True, **{"audience": AUDIENCE, **options})
    with pytest.raises(ConfigurationException):
        op.validate(api, op.token(), config)


def test_nan_token_size_no_longer_disables_the_limit(api: Any) -> None:
    op = FakeOp()
    with pytest.raises(ConfigurationException, match="max_token_size"):
        op.validate(api, op.token(), op.config(max_token_size=float("nan")))


@pytest.mark.parametrize(
    "change",
    [
        {"timeout": "10"},
        {"timeout": math.nan},
        {"max_response_bytes": 1.5},
        {"clock_skew": math.inf},
        {"jwks_refresh_cooldown": "x"},
        {"stale_if_error": -1},
        {"http_stack": "requests"},
        {"retry": "never"},
    ],
)
def test_every_library_option_is_checked(change: dict[str, Any]) -> None:
    before = py_identity_model.get_options()
    with pytest.raises(ConfigurationException):
        py_identity_model.configure(**change)
    assert py_identity_model.get_options() is before


@pytest.mark.parametrize("value", ["60", math.nan, -1, True])
def test_discovery_cache_durations_are_checked(value: Any) -> None:
    with pytest.raises(ConfigurationException):
        DiscoveryCache("https://idp.example", cache_duration=value)


@pytest.mark.parametrize("expires_in", [10**400, -1, 1e300, "9" * 40])
def test_absurd_expires_in_from_the_token_endpoint_is_a_failed_result(
    api: Any, expires_in: Any
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            content=f'{{"access_token": "a", "token_type": "Bearer", "expires_in": {expires_in!r}}}'.replace(
                "'", '"'
            ),
            headers={"content-type": "application/json"},
        )

    request = ClientCredentialsTokenRequest("https://idp.example/token", "c", "s")
    response = api.request_client_credentials_token(request, http_client=api.mock_client(handler))
    assert not response.is_successful
    assert response.error_code == "invalid_number"


def test_compiled_config_memo_is_bounded() -> None:
    # Multi-tenant apps derive discovery addresses from tokens: the per-config memo of key
    # sources used to keep every address it had seen (about 4 KB each).
    config = TokenValidationConfig(perform_disco=True, audience="api")
    cfg = compiled(config)
    for i in range(1000):
        remote_source(cfg, config, f"https://tenant-{i}.example")
        cfg.rules_for_issuer(f"https://tenant-{i}.example")
    assert len(cfg.sources) <= cfg.sources.max_entries < 1000
    assert len(cfg.issuer_rules) <= cfg.issuer_rules.max_entries < 1000


def test_server_text_is_neutralised_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    # A server's error text used to be logged as is: CR/LF forged log entries (CWE-117).
    forged = "bad\r\n2026-12-02 INFO py_identity_model forged entry\x1b[31m\u2028"
    now = [0.0]
    answers = [ProtocolResponse(True), ProtocolResponse(False, forged)]

    def flow() -> Any:
        return answers.pop(0)
        yield  # pragma: no cover - a flow that needs no request

    value: RefreshingValue[ProtocolResponse] = RefreshingValue(
        flow,
        is_good=lambda r: r.is_successful,
        lifetime=lambda r: 1.0,
        stale_if_error=60,
        clock=lambda: now[0],
    )
    assert value.get(runner(None)).is_successful
    now[0] = 5.0  # expired; the refresh fails: the stale value is served and a warning logged
    caplog.set_level(logging.WARNING, logger="py_identity_model")
    assert value.get(runner(None)).is_successful
    messages = [record.getMessage() for record in caplog.records]
    assert any("forged entry" in message for message in messages)
    for message in messages:
        assert not any(ch in message for ch in "\r\n\x1b\u2028")
