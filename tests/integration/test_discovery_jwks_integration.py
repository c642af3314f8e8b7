"""Discovery and JWKS against the real provider, through both shells (one test each)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

import py_identity_model
from py_identity_model import (
    DiscoveryCache,
    DiscoveryDocumentRequest,
    DiscoveryErrorKind,
    DiscoveryPolicy,
    ErrorType,
    HTTPClient,
    JwksRequest,
    aio,
)
from tests.provider.fixture import RunningProvider


def test_discovery_document(api: Any, provider: RunningProvider) -> None:
    disco = api.get_discovery_document(DiscoveryDocumentRequest(provider.issuer))
    assert disco.is_successful, disco.error
    assert disco.issuer == provider.issuer
    assert disco.jwks_uri == provider.jwks_uri
    assert disco.token_endpoint == provider.token_endpoint
    assert disco.authorization_endpoint == provider.authorization_endpoint
    for name in (
        "userinfo_endpoint",
        "revocation_endpoint",
        "introspection_endpoint",
        "device_authorization_endpoint",
        "pushed_authorization_request_endpoint",
        "end_session_endpoint",
        "registration_endpoint",
    ):
        assert getattr(disco, name), name
    assert disco.authorization_response_iss_parameter_supported is True
    assert "S256" in (disco.code_challenge_methods_supported or [])
    assert disco.dpop_signing_alg_values_supported
    assert disco.http_status == 200


def test_full_well_known_url(api: Any, provider: RunningProvider) -> None:
    disco = api.get_discovery_document(DiscoveryDocumentRequest(provider.discovery_url))
    assert disco.is_successful, disco.error
    assert disco.issuer == provider.issuer


def test_jwks_has_every_key_type(api: Any, provider: RunningProvider) -> None:
    jwks = api.get_jwks(JwksRequest(provider.jwks_uri))
    assert jwks.is_successful, jwks.error
    kinds = {(key.kty, key.crv) for key in jwks.keys}
    assert ("RSA", None) in kinds
    assert ("EC", "P-256") in kinds
    assert ("OKP", "Ed25519") in kinds
    assert all(key.kid for key in jwks.keys)
    assert all(not key.has_private_key for key in jwks.keys)
    rsa = next(key for key in jwks.keys if key.kty == "RSA")
    assert rsa.key_size >= 2048
    assert len({key.thumbprint() for key in jwks.keys}) == len(jwks.keys)
    assert jwks.skipped_keys == []


def test_wrong_issuer_expectation_is_reported(api: Any, provider: RunningProvider) -> None:
    policy = DiscoveryPolicy(authority="http://127.0.0.1:1/other")
    disco = api.get_discovery_document(DiscoveryDocumentRequest(provider.issuer, policy))
    assert not disco.is_successful
    assert disco.error_code == "issuer_mismatch"
    assert disco.error_kind is DiscoveryErrorKind.POLICY


def test_unknown_path_is_an_http_error(api: Any, provider: RunningProvider) -> None:
    disco = api.get_discovery_document(DiscoveryDocumentRequest(provider.issuer + "/nope"))
    assert not disco.is_successful
    assert disco.error_type is ErrorType.HTTP
    assert disco.http_status == 404


def test_closed_port_is_a_network_error(api: Any) -> None:
    disco = api.get_discovery_document(DiscoveryDocumentRequest("http://127.0.0.1:9"))
    assert not disco.is_successful
    assert disco.error_type is ErrorType.NETWORK


def test_rfc8414_authorization_server_metadata(api: Any, provider: RunningProvider) -> None:
    disco = api.get_discovery_document(
        DiscoveryDocumentRequest(provider.issuer, metadata_format="oauth")
    )
    assert disco.is_successful, disco.error
    assert disco.issuer == provider.issuer
    assert disco.raw is not None


def test_explicit_http_client(provider: RunningProvider) -> None:
    with HTTPClient(timeout=5) as client:
        disco = __import__("py_identity_model").get_discovery_document(
            DiscoveryDocumentRequest(provider.issuer), http_client=client
        )
    assert disco.is_successful


def test_second_asyncio_run_works_with_default_client(provider: RunningProvider) -> None:
    for _ in range(2):
        disco = asyncio.run(
            aio.get_discovery_document(aio.DiscoveryDocumentRequest(provider.issuer))
        )
        assert disco.is_successful, disco.error


def test_discovery_cache_single_flight_threads(provider: RunningProvider) -> None:
    cache = DiscoveryCache(provider.issuer)
    results: list[bool] = []
    barrier = threading.Barrier(32)

    def worker() -> None:
        barrier.wait()
        results.append(cache.get().is_successful)

    threads = [threading.Thread(target=worker) for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == [True] * 32
    assert cache.fetch_count == 1


@pytest.mark.asyncio
async def test_discovery_cache_single_flight_tasks(provider: RunningProvider) -> None:
    cache = DiscoveryCache(provider.issuer)
    responses = await asyncio.gather(*(cache.aget() for _ in range(1000)))
    assert all(response.is_successful for response in responses)
    assert cache.fetch_count == 1
    cache.invalidate()
    assert (await cache.aget()).is_successful
    assert cache.fetch_count == 2


def test_requests_go_through_the_stack_of_this_run(api: Any, provider: Any) -> None:
    # The suite runs once per HTTP stack (PYIDM_TEST_HTTP_STACK): prove it is the one used.
    from py_identity_model.transport.async_client import default_async_client
    from py_identity_model.transport.sync_client import default_sync_client
    from tests.conftest import HTTP_STACK

    disco = api.get_discovery_document(py_identity_model.DiscoveryDocumentRequest(provider.issuer))
    assert disco.is_successful, disco.error
    if api.is_async:

        async def stack() -> str:
            return default_async_client().stack

        assert asyncio.run(stack()) == HTTP_STACK
    else:
        assert default_sync_client().stack == HTTP_STACK
        assert type(default_sync_client().client).__module__.split(".")[0] == HTTP_STACK
