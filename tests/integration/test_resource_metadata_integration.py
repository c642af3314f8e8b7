"""Protected Resource Metadata (RFC 9728) end to end, through both shells (``api``).

A small resource server (stdlib ``http.server`` in a thread on 127.0.0.1) answers an
anonymous request with a 401 whose ``WWW-Authenticate`` names its metadata; the metadata
names the real test provider as the authorization server. The library walks 401 →
challenge → metadata → the provider's discovery document, then a token from the
discovered token endpoint opens the resource.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from py_identity_model import (
    AuthorizationServerDiscoveryRequest,
    ClientCredentialsTokenRequest,
    ErrorType,
    ProtectedResourceMetadataRequest,
)
from tests.provider.fixture import RunningProvider

WELL_KNOWN = "/.well-known/oauth-protected-resource"


@dataclass
class ResourceServer:
    base: str
    issuer: str
    requests: list[tuple[str, str | None]]

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def _handler(server: ResourceServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, body: Any, **headers: str) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(data)

        def _metadata(self, resource_path: str, **extra: Any) -> None:
            body = {
                "resource": server.url(resource_path),
                "authorization_servers": [server.issuer],
                "scopes_supported": ["api:read"],
                "bearer_methods_supported": ["header"],
                "dpop_signing_alg_values_supported": ["ES256"],
                "dpop_bound_access_tokens_required": False,
                "resource_name": "Orders API",
                **extra,
            }
            self._send(200, body)

        def do_GET(self) -> None:
            path = self.path
            authorization = self.headers.get("Authorization")
            server.requests.append((path, authorization))
            if path == "/api/orders":
                if authorization and authorization.startswith("Bearer ") and len(authorization) > 7:
                    self._send(200, {"orders": []})
                    return
                metadata_url = server.url(f"{WELL_KNOWN}/api/orders")
                challenge = (
                    f'Bearer realm="orders", resource_metadata="{metadata_url}", DPoP algs="ES256"'
                )
                self._send(401, {"error": "unauthorized"}, WWW_Authenticate=challenge)
            elif path == "/plain":  # a 401 without resource_metadata: the well-known URL
                self._send(401, {}, WWW_Authenticate='Bearer realm="plain"')
            elif path == "/elsewhere":  # metadata at a URL of its own choosing
                challenge = f'Bearer resource_metadata="{server.url("/meta/elsewhere")}"'
                self._send(401, {}, WWW_Authenticate=challenge)
            elif path == "/liar":  # metadata for another resource
                challenge = f'Bearer resource_metadata="{server.url("/meta/liar")}"'
                self._send(401, {}, WWW_Authenticate=challenge)
            elif path == f"{WELL_KNOWN}/api/orders":
                self._metadata("/api/orders")
            elif path == f"{WELL_KNOWN}/plain":
                self._metadata("/plain")
            elif path == "/meta/elsewhere":
                self._metadata("/elsewhere")
            elif path == "/meta/liar":
                self._send(200, {"resource": "https://evil.example/", "authorization_servers": []})
            elif path == "/redirect":
                self.send_response(302)
                self.send_header("Location", server.url("/api/orders"))
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._send(404, {"error": "not_found"})

    return Handler


@pytest.fixture(scope="module")
def resource_server(provider: RunningProvider) -> Iterator[ResourceServer]:
    state = ResourceServer("", provider.issuer, [])
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def test_from_a_401_to_the_discovery_document(
    api: Any, provider: RunningProvider, resource_server: ResourceServer
) -> None:
    resource = resource_server.url("/api/orders")
    found = api.discover_authorization_server(resource)
    assert found.is_successful is True, found.error
    assert found.authorization_server == provider.issuer
    assert found.challenge.realm == "orders"
    assert [c.scheme for c in found.challenges] == ["Bearer", "DPoP"]
    assert found.challenges[1].algs == ("ES256",)
    metadata = found.resource_metadata
    assert metadata.resource == resource
    assert metadata.metadata_url == resource_server.url(f"{WELL_KNOWN}/api/orders")
    assert metadata.scopes_supported == ["api:read"]
    assert metadata.dpop_bound_access_tokens_required is False
    disco = found.discovery_document
    assert disco.issuer == provider.issuer
    assert disco.token_endpoint == provider.token_endpoint
    assert disco.jwks_uri == provider.jwks_uri

    # The probe carried no credentials; the discovered token endpoint opens the resource.
    assert (("/api/orders", None)) in resource_server.requests
    client = provider.client("client-basic")
    token = api.request_client_credentials_token(
        ClientCredentialsTokenRequest(disco.token_endpoint, client.client_id, client.client_secret)
    )
    assert token.is_successful is True, token.error
    answer = httpx.get(resource, headers={"Authorization": f"Bearer {token.access_token}"})
    assert answer.status_code == 200


def test_headers_of_a_401_already_received(
    api: Any, provider: RunningProvider, resource_server: ResourceServer
) -> None:
    resource = resource_server.url("/api/orders")
    first = httpx.get(resource)
    assert first.status_code == 401
    before = len(resource_server.requests)
    found = api.discover_authorization_server(
        AuthorizationServerDiscoveryRequest(resource, response_headers=first.headers)
    )
    assert found.is_successful is True, found.error
    assert found.discovery_document.issuer == provider.issuer
    paths = [path for path, _ in resource_server.requests[before:]]
    assert paths == [f"{WELL_KNOWN}/api/orders"]  # the resource itself was not probed again


def test_fallback_to_the_well_known_url(
    api: Any, provider: RunningProvider, resource_server: ResourceServer
) -> None:
    found = api.discover_authorization_server(resource_server.url("/plain"))
    assert found.is_successful is True, found.error
    assert found.resource_metadata.metadata_url == resource_server.url(f"{WELL_KNOWN}/plain")
    assert found.discovery_document.issuer == provider.issuer


def test_metadata_url_of_the_resource_s_choosing(
    api: Any, provider: RunningProvider, resource_server: ResourceServer
) -> None:
    found = api.discover_authorization_server(resource_server.url("/elsewhere"))
    assert found.is_successful is True, found.error
    assert found.resource_metadata.metadata_url == resource_server.url("/meta/elsewhere")


def test_get_protected_resource_metadata(
    api: Any, provider: RunningProvider, resource_server: ResourceServer
) -> None:
    resource = resource_server.url("/api/orders")
    response = api.get_protected_resource_metadata(resource)
    assert response.is_successful is True, response.error
    assert response.authorization_servers == [provider.issuer]
    assert response.resource_name == "Orders API"
    assert response.bearer_methods_supported == ["header"]


def test_metadata_for_another_resource_is_refused(
    api: Any, resource_server: ResourceServer
) -> None:
    found = api.discover_authorization_server(resource_server.url("/liar"))
    assert found.is_successful is False
    assert found.error_code == "resource_mismatch"
    assert found.error_type is ErrorType.POLICY


def test_probe_does_not_follow_redirects(api: Any, resource_server: ResourceServer) -> None:
    # The redirect is not followed: the well-known URL of /redirect is tried, and 404s.
    before = len(resource_server.requests)
    found = api.discover_authorization_server(resource_server.url("/redirect"))
    assert found.is_successful is False
    assert found.http_status == 404  # the error code is the server's own ("not_found")
    paths = [path for path, _ in resource_server.requests[before:]]
    assert paths == ["/redirect", f"{WELL_KNOWN}/redirect"]


def test_wrong_resource_for_the_well_known_document(
    api: Any, resource_server: ResourceServer
) -> None:
    # The document at the well-known URL of /api/orders names /api/orders, not /api/orders/
    request = ProtectedResourceMetadataRequest(
        resource_server.url("/api/orders"),
        metadata_url=resource_server.url(f"{WELL_KNOWN}/plain"),
    )
    response = api.get_protected_resource_metadata(request)
    assert response.is_successful is False
    assert response.error_code == "resource_mismatch"
