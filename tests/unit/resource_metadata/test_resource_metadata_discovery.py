"""discover_authorization_server: a protected URL's 401 → resource metadata → the
authorization server's discovery document, one flow driven by both shells."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from rm_support import (
    AS_DISCOVERY,
    ISSUER,
    RESOURCE,
    WELL_KNOWN,
    Router,
    discovery,
    json_response,
    metadata,
    unauthorized,
)

from py_identity_model import (
    AuthorizationServerDiscoveryRequest,
    ConfigurationException,
    DiscoveryPolicy,
    ErrorType,
)

CHALLENGE_URL = "https://rs.example/meta/orders"
CHALLENGE = f'Bearer realm="orders", resource_metadata="{CHALLENGE_URL}", DPoP algs="ES256"'


def _routes(**overrides: Any) -> dict[str, Any]:
    routes: dict[str, Any] = {
        RESOURCE: unauthorized(CHALLENGE),
        CHALLENGE_URL: json_response(metadata()),
        AS_DISCOVERY: json_response(discovery()),
    }
    routes.update(overrides)
    return routes


def _call(api: Any, request: Any, routes: dict[str, Any]) -> tuple[Any, Router]:
    router = Router(routes)
    response = api.discover_authorization_server(request, http_client=api.mock_client(router))
    return response, router


def _failed(response: Any, code: str, error_type: ErrorType) -> None:
    assert response.is_successful is False
    assert isinstance(response.error, str) and response.error
    assert response.error_code == code, response.error
    assert response.error_type is error_type


def test_probe_401_metadata_discovery(api: Any) -> None:
    response, router = _call(api, RESOURCE, _routes())
    assert response.is_successful is True, response.error
    assert router.urls == [RESOURCE, CHALLENGE_URL, AS_DISCOVERY]
    probe = router.requests[0]
    assert probe.method == "GET"
    assert "authorization" not in probe.headers and "dpop" not in probe.headers
    assert response.authorization_server == ISSUER
    assert response.resource_metadata.resource == RESOURCE
    assert response.resource_metadata.metadata_url == CHALLENGE_URL
    assert response.discovery_document.issuer == ISSUER
    assert response.discovery_document.token_endpoint == f"{ISSUER}/token"
    assert [c.scheme for c in response.challenges] == ["Bearer", "DPoP"]
    assert response.challenge is not None and response.challenge.realm == "orders"


def test_given_headers_are_read_and_nothing_is_probed(api: Any) -> None:
    headers = httpx.Headers([("WWW-Authenticate", CHALLENGE)])
    request = AuthorizationServerDiscoveryRequest(RESOURCE, response_headers=headers)
    response, router = _call(api, request, _routes())
    assert response.is_successful is True
    assert router.urls == [CHALLENGE_URL, AS_DISCOVERY]


def test_plain_dict_headers(api: Any) -> None:
    request = AuthorizationServerDiscoveryRequest(
        RESOURCE, response_headers={"www-authenticate": CHALLENGE}
    )
    response, _ = _call(api, request, _routes())
    assert response.is_successful is True
    assert "resource_metadata" not in repr(request)  # the headers are not shown


@pytest.mark.parametrize(
    "answer",
    [
        lambda: unauthorized(None),
        lambda: unauthorized('Bearer realm="orders"'),
        lambda: unauthorized("Bearer resource_metadata="),  # malformed: ignored
        lambda: json_response({"public": True}),
        lambda: httpx.Response(302, headers={"Location": "https://login.example/"}),
    ],
    ids=["no challenge", "no parameter", "malformed", "200", "redirect"],
)
def test_without_a_usable_challenge_the_well_known_url_is_used(api: Any, answer: Any) -> None:
    response, router = _call(
        api, RESOURCE, _routes(**{RESOURCE: answer(), WELL_KNOWN: json_response(metadata())})
    )
    assert response.is_successful is True, response.error
    assert router.urls == [RESOURCE, WELL_KNOWN, AS_DISCOVERY]  # a redirect is not followed
    assert response.resource_metadata.metadata_url == WELL_KNOWN


def test_no_probe(api: Any) -> None:
    request = AuthorizationServerDiscoveryRequest(RESOURCE, probe=False)
    response, router = _call(api, request, _routes(**{WELL_KNOWN: json_response(metadata())}))
    assert response.is_successful is True
    assert router.urls == [WELL_KNOWN, AS_DISCOVERY]
    assert response.challenges == () and response.challenge is None


def test_choose_a_listed_server(api: Any) -> None:
    second = "https://as2.example/tenant"
    body = metadata(authorization_servers=[ISSUER, second])
    second_discovery = "https://as2.example/tenant/.well-known/openid-configuration"
    request = AuthorizationServerDiscoveryRequest(RESOURCE, authorization_server=second)
    routes = _routes(
        **{CHALLENGE_URL: json_response(body), second_discovery: json_response(discovery(second))}
    )
    response, router = _call(api, request, routes)
    assert response.is_successful is True
    assert response.authorization_server == second
    assert router.urls[-1] == second_discovery


def test_rfc8414_metadata_format(api: Any) -> None:
    request = AuthorizationServerDiscoveryRequest(
        RESOURCE,
        metadata_format="oauth",
        discovery_policy=DiscoveryPolicy(require_key_set=False),
    )
    oauth_url = "https://as.example/.well-known/oauth-authorization-server"
    response, router = _call(
        api, request, _routes(**{oauth_url: json_response({"issuer": ISSUER})})
    )
    assert response.is_successful is True, response.error
    assert router.urls[-1] == oauth_url


# ------------------------------------------------------------------------------ failures


def test_server_not_listed(api: Any) -> None:
    request = AuthorizationServerDiscoveryRequest(
        RESOURCE, authorization_server="https://x.example"
    )
    response, router = _call(api, request, _routes())
    _failed(response, "authorization_server_not_listed", ErrorType.POLICY)
    assert AS_DISCOVERY not in router.urls
    assert response.resource_metadata.is_successful is True
    assert response.authorization_server is None


@pytest.mark.parametrize("servers", [None, []])
def test_no_authorization_server(api: Any, servers: Any) -> None:
    body = metadata(authorization_servers=servers)
    response, router = _call(api, RESOURCE, _routes(**{CHALLENGE_URL: json_response(body)}))
    _failed(response, "no_authorization_server", ErrorType.INVALID_RESPONSE)
    assert response.resource_metadata.resource == RESOURCE
    assert router.urls == [RESOURCE, CHALLENGE_URL]


def test_metadata_for_another_resource(api: Any) -> None:
    body = metadata(resource="https://evil.example/api/v1")
    response, router = _call(api, RESOURCE, _routes(**{CHALLENGE_URL: json_response(body)}))
    _failed(response, "resource_mismatch", ErrorType.POLICY)
    assert AS_DISCOVERY not in router.urls
    assert response.resource_metadata is not None
    assert response.resource_metadata.is_successful is False
    assert response.challenge.resource_metadata == CHALLENGE_URL


def test_metadata_fetch_failure(api: Any) -> None:
    response, _ = _call(api, RESOURCE, _routes(**{CHALLENGE_URL: httpx.Response(500)}))
    _failed(response, "http_error", ErrorType.HTTP)
    assert response.http_status == 500


def test_plain_http_metadata_url_in_a_challenge_is_refused(api: Any) -> None:
    answer = unauthorized('Bearer resource_metadata="http://evil.example/m"')
    response, router = _call(api, RESOURCE, _routes(**{RESOURCE: answer}))
    _failed(response, "https_required", ErrorType.POLICY)
    assert router.urls == [RESOURCE]


def test_discovery_failure_keeps_the_earlier_steps(api: Any) -> None:
    wrong = json_response(discovery("https://other.example"))
    response, _ = _call(api, RESOURCE, _routes(**{AS_DISCOVERY: wrong}))
    _failed(response, "issuer_mismatch", ErrorType.POLICY)
    assert response.authorization_server == ISSUER
    assert response.resource_metadata.is_successful is True
    assert response.discovery_document is not None
    assert response.discovery_document.is_successful is False


def test_probe_transport_failure(api: Any) -> None:
    def boom(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    response, router = _call(api, RESOURCE, _routes(**{RESOURCE: boom}))
    _failed(response, "network_error", ErrorType.NETWORK)
    assert router.urls == [RESOURCE]


@pytest.mark.parametrize(
    ("url", "code"),
    [("http://rs.example/api", "https_required"), ("https://rs.example/a#b", "invalid_url")],
)
def test_resource_url_refused_before_any_request(api: Any, url: str, code: str) -> None:
    response, router = _call(api, url, _routes())
    _failed(response, code, ErrorType.POLICY)
    assert router.requests == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"probe": "no"},
        {"allow_resource_prefix": 1},
        {"authorization_server": 5},
        {"discovery_policy": {"require_https": False}},
        {"metadata_format": "oidc"},
        {"policy": object()},
    ],
)
def test_misuse(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationException):
        AuthorizationServerDiscoveryRequest(RESOURCE, **kwargs)


def test_wrong_request_type(api: Any) -> None:
    with pytest.raises(ConfigurationException):
        _call(api, 42, {})
