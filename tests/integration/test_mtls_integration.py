"""mTLS (RFC 8705) against the test provider over real TLS, through both shells.

The provider runs in its TLS mode (``provider_mtls``): HTTPS with a trustme CA, mTLS client
authentication (``tls_client_auth`` by SAN DNS name and by subject DN,
``self_signed_tls_client_auth``), certificate-bound access tokens, and the
``mtls_endpoint_aliases`` served by a second listener that asks for client certificates. Its
request log (``/test/tls/requests``) says which listener each request reached and whether a
client certificate came with it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from cryptography.hazmat.primitives import serialization

import py_identity_model
from py_identity_model import (
    CertificateBindingError,
    Client,
    ClientCredentialsTokenRequest,
    ClientSecretBasic,
    DeviceAuthorizationRequest,
    DiscoveryDocumentRequest,
    DiscoveryDocumentResponse,
    DiscoveryPolicy,
    FapiPolicy,
    MtlsClientAuth,
    OidcClient,
    OidcClientOptions,
    PushedAuthorizationRequest,
    TokenIntrospectionRequest,
    TokenRevocationRequest,
    TokenValidationConfig,
    UserInfoRequest,
    aio,
    certificate_thumbprint_from_file,
    compute_certificate_thumbprint,
    endpoint_for_client,
    parse_certificate_header,
    resolve_mtls_endpoint,
    validate_certificate_binding,
)
from tests.conftest import Api
from tests.provider.fixture import CALLBACK_URL, RunningProvider, complete_login
from tests.provider.tls import BOUND_SECRET, CertificateFiles, TlsMaterial

TEST_API = "urn:test:api"


def material(provider: RunningProvider) -> TlsMaterial:
    assert provider.tls is not None
    return provider.tls


def call(api: Api, function: str, *args: Any, verify: Any = None) -> Any:
    """``function(*args, http_client)`` with a client of the right shell trusting ``verify``."""
    if api.is_async:

        async def run() -> Any:
            client = aio.AsyncHTTPClient(verify=verify)
            try:
                return await getattr(aio, function)(*args, http_client=client)
            finally:
                await client.aclose()

        return asyncio.run(run())
    client = py_identity_model.HTTPClient(verify=verify)
    try:
        return getattr(py_identity_model, function)(*args, http_client=client)
    finally:
        client.close()


def policy(provider: RunningProvider) -> DiscoveryPolicy:
    """The aliases live on another port: allowed explicitly, as another host would be."""
    return DiscoveryPolicy(
        additional_endpoint_base_addresses=[f"https://127.0.0.1:{provider.mtls_port}"]
    )


def discovery(api: Api, provider: RunningProvider) -> DiscoveryDocumentResponse:
    disco = call(
        api,
        "get_discovery_document",
        DiscoveryDocumentRequest(provider.issuer, policy(provider)),
        verify=str(material(provider).ca_file),
    )
    assert disco.is_successful, disco.error
    return disco


def mtls(files: CertificateFiles, method: str = "tls_client_auth") -> MtlsClientAuth:
    return MtlsClientAuth(str(files.certificate), str(files.private_key), auth_method=method)


def request_log(provider: RunningProvider) -> list[dict[str, Any]]:
    response = httpx.get(
        provider.url("/test/tls/requests"), verify=material(provider).ssl_context(), timeout=10
    )
    response.raise_for_status()
    requests: list[dict[str, Any]] = response.json()["requests"]
    return [entry for entry in requests if entry["path"] != "/test/tls/requests"]


@pytest.fixture
def log(provider_mtls: RunningProvider) -> None:
    """Start from an empty request log."""
    httpx.delete(
        provider_mtls.url("/test/tls/requests"),
        verify=material(provider_mtls).ssl_context(),
        timeout=10,
    ).raise_for_status()


def by_listener(provider: RunningProvider) -> dict[str, list[tuple[str, str, bool]]]:
    """The logged requests per listener: ``(method, path, certificate presented)``."""
    names = {provider.port: "conventional", provider.mtls_port: "mtls"}
    grouped: dict[str, list[tuple[str, str, bool]]] = {"conventional": [], "mtls": []}
    for entry in request_log(provider):
        grouped[names[entry["port"]]].append((entry["method"], entry["path"], entry["certificate"]))
    return grouped


def alias(provider: RunningProvider, name: str) -> str:
    aliases = provider.metadata["mtls_endpoint_aliases"]
    assert isinstance(aliases, dict)
    value = aliases[name]
    assert isinstance(value, str) and value.startswith(f"https://127.0.0.1:{provider.mtls_port}/")
    return value


def client_credentials(
    api: Api, provider: RunningProvider, request: ClientCredentialsTokenRequest
) -> Any:
    return call(
        api, "request_client_credentials_token", request, verify=str(material(provider).ca_file)
    )


# ------------------------------------------------------------------ discovery and aliases


def test_discovery_lists_the_aliases_and_one_rule_picks_them(
    api: Api, provider_mtls: RunningProvider
) -> None:
    disco = discovery(api, provider_mtls)
    assert disco.tls_client_certificate_bound_access_tokens is True
    files = material(provider_mtls).client
    with_certificate = Client("client-mtls", mtls(files))
    bound = Client(
        "client-mtls-bound", ClientSecretBasic(BOUND_SECRET), certificate=files.client_certificate
    )
    without = Client("client-basic", ClientSecretBasic("client-basic-secret"))
    for name in (
        "token_endpoint",
        "introspection_endpoint",
        "revocation_endpoint",
        "userinfo_endpoint",
        "device_authorization_endpoint",
        "pushed_authorization_request_endpoint",
        "backchannel_authentication_endpoint",
    ):
        conventional = disco.get(name)
        assert isinstance(conventional, str) and conventional.startswith(provider_mtls.issuer)
        assert resolve_mtls_endpoint(disco, name) == alias(provider_mtls, name)
        assert endpoint_for_client(disco, name, with_certificate) == alias(provider_mtls, name)
        assert endpoint_for_client(disco, name, bound) == alias(provider_mtls, name)
        assert endpoint_for_client(disco, name, without) == conventional
    # never aliased: the certificate goes to no other URL
    assert endpoint_for_client(disco, "jwks_uri", with_certificate) == disco.jwks_uri
    assert (
        endpoint_for_client(disco, "authorization_endpoint", with_certificate)
        == disco.authorization_endpoint
    )


# ------------------------------------------------------------------ client authentication


def test_tls_client_auth_by_san_dns_at_the_alias(
    api: Api, provider_mtls: RunningProvider, log: None
) -> None:
    files = material(provider_mtls).client
    disco = discovery(api, provider_mtls)
    token = client_credentials(
        api,
        provider_mtls,
        ClientCredentialsTokenRequest(
            resolve_mtls_endpoint(disco, "token_endpoint") or "", "client-mtls", mtls=mtls(files)
        ),
    )
    assert token.is_successful, (token.error, token.error_description)
    assert token.token_type == "Bearer"
    listeners = by_listener(provider_mtls)
    assert listeners["mtls"] == [("POST", "/token", True)]
    assert listeners["conventional"] == [("GET", "/.well-known/openid-configuration", False)]


def test_tls_client_auth_by_subject_dn(api: Api, provider_mtls: RunningProvider) -> None:
    files = material(provider_mtls).dn_client
    token = client_credentials(
        api,
        provider_mtls,
        ClientCredentialsTokenRequest(
            alias(provider_mtls, "token_endpoint"), "client-mtls-dn", mtls=mtls(files)
        ),
    )
    assert token.is_successful, (token.error, token.error_description)


def test_self_signed_tls_client_auth_binds_the_token_to_the_certificate(
    api: Api, provider_mtls: RunningProvider
) -> None:
    files = material(provider_mtls).self_signed
    auth = mtls(files, "self_signed_tls_client_auth")
    token = client_credentials(
        api,
        provider_mtls,
        ClientCredentialsTokenRequest(
            alias(provider_mtls, "token_endpoint"), "client-mtls-self-signed", mtls=auth
        ),
    )
    assert token.is_successful, (token.error, token.error_description)
    introspection = call(
        api,
        "introspect_token",
        TokenIntrospectionRequest(
            alias(provider_mtls, "introspection_endpoint"),
            token.access_token,
            "client-mtls-self-signed",
            mtls=auth,
        ),
        verify=str(material(provider_mtls).ca_file),
    )
    assert introspection.is_successful and introspection.active, introspection.error
    thumbprint = certificate_thumbprint_from_file(files.certificate)
    assert introspection.cnf == {"x5t#S256": thumbprint}
    assert validate_certificate_binding(introspection.json, files.pem) == thumbprint


# ------------------------------------------------------------------ certificate-bound tokens


def test_certificate_bound_jwt_is_checked_on_the_resource_side(
    api: Api, provider_mtls: RunningProvider
) -> None:
    tls = material(provider_mtls)
    files = tls.client
    token = client_credentials(
        api,
        provider_mtls,
        ClientCredentialsTokenRequest(
            alias(provider_mtls, "token_endpoint"),
            "client-mtls",
            scope="api:read",
            mtls=mtls(files),
            parameters={"resource": TEST_API},
        ),
    )
    assert token.is_successful, (token.error, token.error_description)
    claims = call(
        api,
        "validate_token",
        token.access_token,
        TokenValidationConfig(
            perform_disco=True, audience=TEST_API, discovery_policy=policy(provider_mtls)
        ),
        provider_mtls.issuer,
        verify=str(tls.ca_file),
    )
    expected = compute_certificate_thumbprint(files.pem)
    assert claims["cnf"] == {"x5t#S256": expected}
    # as a TLS-terminating proxy would hand the certificate over: URL-encoded PEM
    presented = parse_certificate_header(quote(files.pem))
    assert validate_certificate_binding(claims, presented) == expected
    for other in (tls.other, tls.self_signed, tls.stranger):
        with pytest.raises(CertificateBindingError) as rejected:
            validate_certificate_binding(claims, other.pem)
        assert rejected.value.error_code == "certificate_binding_mismatch"
        assert rejected.value.error == "invalid_token"
    with pytest.raises(CertificateBindingError) as missing:
        validate_certificate_binding(claims, None)
    assert missing.value.error_code == "missing_client_certificate"


def test_a_client_secret_client_presents_a_certificate_for_bound_tokens(
    api: Api, provider_mtls: RunningProvider, log: None
) -> None:
    """RFC 8705 §3 and §5 with any client authentication: the certificate only binds."""
    tls = material(provider_mtls)
    disco = discovery(api, provider_mtls)
    client = Client(
        "client-mtls-bound",
        ClientSecretBasic(BOUND_SECRET),
        certificate=tls.stranger.client_certificate,
    )
    token = client_credentials(
        api,
        provider_mtls,
        ClientCredentialsTokenRequest(
            endpoint_for_client(disco, "token_endpoint", client) or "",
            "client-mtls-bound",
            client=client,
        ),
    )
    assert token.is_successful, (token.error, token.error_description)
    introspection = call(
        api,
        "introspect_token",
        TokenIntrospectionRequest(
            endpoint_for_client(disco, "introspection_endpoint", client) or "",
            token.access_token,
            "client-mtls-bound",
            client=client,
        ),
        verify=str(tls.ca_file),
    )
    assert introspection.is_successful and introspection.active, introspection.error
    assert introspection.cnf == {
        "x5t#S256": certificate_thumbprint_from_file(tls.stranger.certificate)
    }
    listeners = by_listener(provider_mtls)
    assert listeners["mtls"] == [("POST", "/token", True), ("POST", "/token/introspection", True)]
    assert listeners["conventional"] == [("GET", "/.well-known/openid-configuration", False)]


def test_every_client_endpoint_goes_to_its_alias_with_the_certificate(
    api: Api, provider_mtls: RunningProvider, log: None
) -> None:
    tls = material(provider_mtls)
    disco = discovery(api, provider_mtls)
    auth = mtls(tls.client)
    client = Client("client-mtls", auth)
    ca = str(tls.ca_file)

    def at(name: str) -> str:
        return endpoint_for_client(disco, name, client) or ""

    token = call(
        api,
        "request_client_credentials_token",
        ClientCredentialsTokenRequest(at("token_endpoint"), "client-mtls", mtls=auth),
        verify=ca,
    )
    assert token.is_successful, token.error
    introspection = call(
        api,
        "introspect_token",
        TokenIntrospectionRequest(
            at("introspection_endpoint"), token.access_token, "client-mtls", mtls=auth
        ),
        verify=ca,
    )
    assert introspection.is_successful and introspection.active
    revocation = call(
        api,
        "revoke_token",
        TokenRevocationRequest(
            at("revocation_endpoint"), token.access_token, "client-mtls", mtls=auth
        ),
        verify=ca,
    )
    assert revocation.is_successful, revocation.error
    device = call(
        api,
        "request_device_authorization",
        DeviceAuthorizationRequest(at("device_authorization_endpoint"), "client-mtls", mtls=auth),
        verify=ca,
    )
    assert device.is_successful and device.user_code, device.error
    pushed = call(
        api,
        "push_authorization_request",
        PushedAuthorizationRequest(
            at("pushed_authorization_request_endpoint"),
            "client-mtls",
            CALLBACK_URL,
            code_challenge="E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            code_challenge_method="S256",
            mtls=auth,
        ),
        verify=ca,
    )
    assert pushed.is_successful and pushed.request_uri, (pushed.error, pushed.error_description)
    listeners = by_listener(provider_mtls)
    assert listeners["mtls"] == [
        ("POST", "/token", True),
        ("POST", "/token/introspection", True),
        ("POST", "/token/revocation", True),
        ("POST", "/device/auth", True),
        ("POST", "/request", True),
    ]
    # the certificate never went to the conventional listener, and discovery carried none
    assert listeners["conventional"] == [("GET", "/.well-known/openid-configuration", False)]


def login(api: Api, options: OidcClientOptions, tls: TlsMaterial) -> Any:
    """A whole login through the shell ``api`` names; the browser trusts the provider's CA."""
    with httpx.Client(verify=tls.ssl_context(), follow_redirects=False, timeout=10) as browser:
        if api.is_async:

            async def run() -> Any:
                async with aio.AsyncHTTPClient(verify=str(tls.ca_file)) as http_client:
                    oidc = OidcClient(options, http_client=http_client)
                    state = await oidc.aprepare_login()
                    redirect = await asyncio.to_thread(complete_login, state.url, http=browser)
                    return await oidc.aprocess_response(redirect, state)

            return asyncio.run(run())
        with py_identity_model.HTTPClient(verify=str(tls.ca_file)) as http_client:
            oidc = OidcClient(options, http_client=http_client)
            state = oidc.prepare_login()
            return oidc.process_response(complete_login(state.url, http=browser), state)


def test_login_with_tls_client_auth_uses_the_aliases_for_token_and_userinfo(
    api: Api, provider_mtls: RunningProvider, log: None
) -> None:
    tls = material(provider_mtls)
    options = OidcClientOptions(
        provider_mtls.issuer,
        "client-mtls",
        CALLBACK_URL,
        "openid profile",
        mtls=mtls(tls.client),
        discovery_policy=policy(provider_mtls),
    )
    result = login(api, options, tls)
    assert result.is_successful, (result.error, result.error_description)
    assert result.claims["sub"] == "alice"
    assert result.user_info is not None and result.user_info.is_successful
    # the certificate-bound access token was accepted at UserInfo: the certificate went along
    listeners = by_listener(provider_mtls)
    assert listeners["mtls"] == [
        ("POST", "/token", True),
        ("GET", "/me", True),
    ]
    conventional = listeners["conventional"]
    assert all(not presented for _, _, presented in conventional), conventional
    assert ("GET", "/.well-known/openid-configuration", False) in conventional
    assert ("GET", "/jwks", False) in conventional
    assert not any(path in ("/token", "/me") for _, path, _ in conventional)
    # the bound access token without its certificate: refused by the server
    access_token = result.token_response.access_token
    userinfo = alias(provider_mtls, "userinfo_endpoint")
    refused = call(
        api, "get_userinfo", UserInfoRequest(userinfo, access_token), verify=str(tls.ca_file)
    )
    assert not refused.is_successful
    assert refused.error_code == "invalid_token" and refused.http_status == 401
    other = call(
        api,
        "get_userinfo",
        UserInfoRequest(userinfo, access_token, mtls=tls.other.client_certificate),
        verify=str(tls.ca_file),
    )
    assert other.error_code == "invalid_token"
    accepted = call(
        api,
        "get_userinfo",
        UserInfoRequest(userinfo, access_token, mtls=tls.client.client_certificate),
        verify=str(tls.ca_file),
    )
    assert accepted.is_successful and accepted.sub == "alice"


def test_fapi_login_bound_by_the_certificate_instead_of_dpop(
    api: Api, provider_mtls: RunningProvider, log: None
) -> None:
    """FAPI 2.0 with mTLS for both client authentication and sender-constraining (SP
    §5.3.2.1): no DPoP key, the request pushed at the PAR alias, a certificate-bound Bearer
    token accepted because the client presents its certificate."""
    tls = material(provider_mtls)
    options = OidcClientOptions(
        provider_mtls.issuer,
        "client-fapi-mtls",
        CALLBACK_URL,
        "openid profile",
        mtls=mtls(tls.client),
        discovery_policy=policy(provider_mtls),
        fapi=FapiPolicy(),
    )
    result = login(api, options, tls)
    assert result.is_successful, (result.error_code, result.error, result.error_description)
    assert result.token_response is not None
    assert result.token_response.token_type == "Bearer"
    listeners = by_listener(provider_mtls)
    assert listeners["mtls"] == [
        ("POST", "/request", True),
        ("POST", "/token", True),
        ("GET", "/me", True),
    ]
    introspected = call(
        api,
        "introspect_token",
        TokenIntrospectionRequest(
            alias(provider_mtls, "introspection_endpoint"),
            result.token_response.access_token,
            "client-fapi-mtls",
            mtls=mtls(tls.client),
        ),
        verify=str(tls.ca_file),
    )
    assert introspected.is_successful and introspected.cnf is not None
    assert introspected.cnf["x5t#S256"] == compute_certificate_thumbprint(
        tls.client.certificate.read_bytes()
    )


# ------------------------------------------------------------------ refusals


def test_login_of_a_secret_client_with_a_binding_certificate(
    api: Api, provider_mtls: RunningProvider, log: None
) -> None:
    """RFC 8705 §5 for any authentication: the certificate alone sends the login to the aliases."""
    tls = material(provider_mtls)
    options = OidcClientOptions(
        provider_mtls.issuer,
        "client-mtls-bound",
        CALLBACK_URL,
        "openid profile",
        BOUND_SECRET,
        client_certificate=tls.stranger.client_certificate,
        discovery_policy=policy(provider_mtls),
    )
    result = login(api, options, tls)
    assert result.is_successful, (result.error, result.error_description)
    assert result.user_info is not None and result.user_info.sub == "alice"
    listeners = by_listener(provider_mtls)
    assert listeners["mtls"] == [("POST", "/token", True), ("GET", "/me", True)]
    assert all(not presented for _, _, presented in listeners["conventional"])


def test_the_server_refuses_a_missing_or_wrong_client_certificate(
    api: Api, provider_mtls: RunningProvider
) -> None:
    tls = material(provider_mtls)
    endpoint = alias(provider_mtls, "token_endpoint")
    cases = [
        ("no certificate", ClientCredentialsTokenRequest(endpoint, "client-mtls")),
        (
            "same CA, another name",
            ClientCredentialsTokenRequest(endpoint, "client-mtls", mtls=mtls(tls.other)),
        ),
        (
            "not issued by the CA",
            ClientCredentialsTokenRequest(endpoint, "client-mtls", mtls=mtls(tls.stranger)),
        ),
        (
            "an unregistered self-signed certificate",
            ClientCredentialsTokenRequest(
                endpoint,
                "client-mtls-self-signed",
                mtls=mtls(tls.stranger, "self_signed_tls_client_auth"),
            ),
        ),
    ]
    for label, request in cases:
        response = client_credentials(api, provider_mtls, request)
        assert not response.is_successful, label
        assert response.error_code == "invalid_client", (label, response.error_code)
        assert response.error_type == "protocol", label
        assert response.http_status == 401, label
        assert response.access_token is None, label


def test_a_bound_client_without_a_certificate_gets_no_token(
    api: Api, provider_mtls: RunningProvider
) -> None:
    # at the conventional endpoint, which never asks for a certificate
    response = client_credentials(
        api,
        provider_mtls,
        ClientCredentialsTokenRequest(
            provider_mtls.token_endpoint, "client-mtls-bound", BOUND_SECRET
        ),
    )
    assert not response.is_successful
    assert response.error_code == "invalid_grant"
    assert response.http_status == 400


def test_an_untrusted_server_certificate_is_a_tls_error(
    api: Api, provider_mtls: RunningProvider
) -> None:
    tls = material(provider_mtls)
    request = DiscoveryDocumentRequest(provider_mtls.issuer)
    for verify in (None, str(tls.foreign_ca_file)):  # the system store, another CA
        disco = call(api, "get_discovery_document", request, verify=verify)
        assert not disco.is_successful
        assert disco.error_code == "tls_error", disco.error
        assert disco.error_type == "network"
    token = call(
        api,
        "request_client_credentials_token",
        ClientCredentialsTokenRequest(
            alias(provider_mtls, "token_endpoint"), "client-mtls", mtls=mtls(tls.client)
        ),
        verify=str(tls.foreign_ca_file),
    )
    assert not token.is_successful
    assert token.error_code == "tls_error", token.error


def test_an_unusable_client_certificate_is_a_tls_error_before_anything_is_sent(
    api: Api, provider_mtls: RunningProvider, log: None
) -> None:
    tls = material(provider_mtls)
    mismatched = MtlsClientAuth(str(tls.client.certificate), str(tls.other.private_key))
    token = client_credentials(
        api,
        provider_mtls,
        ClientCredentialsTokenRequest(
            alias(provider_mtls, "token_endpoint"), "client-mtls", mtls=mismatched
        ),
    )
    assert not token.is_successful
    assert token.error_code == "tls_error"
    assert "cannot use the client certificate" in (token.error or "")
    assert request_log(provider_mtls) == []


def test_an_encrypted_client_key_and_a_wrong_password(
    api: Api, provider_mtls: RunningProvider, tmp_path: Path
) -> None:
    tls = material(provider_mtls)
    key = serialization.load_pem_private_key(tls.client.private_key.read_bytes(), None)
    encrypted = tmp_path / "client-key-encrypted.pem"
    encrypted.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"key-password"),
        )
    )
    endpoint = alias(provider_mtls, "token_endpoint")
    cert = str(tls.client.certificate)
    token = client_credentials(
        api,
        provider_mtls,
        ClientCredentialsTokenRequest(
            endpoint, "client-mtls", mtls=MtlsClientAuth(cert, str(encrypted), "key-password")
        ),
    )
    assert token.is_successful, (token.error, token.error_description)
    wrong = client_credentials(
        api,
        provider_mtls,
        ClientCredentialsTokenRequest(
            endpoint, "client-mtls", mtls=MtlsClientAuth(cert, str(encrypted), "not-it")
        ),
    )
    assert not wrong.is_successful
    assert wrong.error_code == "tls_error"
    assert "key-password" not in (wrong.error or "") and "not-it" not in (wrong.error or "")


def test_the_certificate_is_presented_per_request_not_per_client(
    api: Api, provider_mtls: RunningProvider, log: None
) -> None:
    """One HTTP client: mTLS requests present the certificate, the others never do."""
    tls = material(provider_mtls)
    auth = mtls(tls.client)
    requests = [
        ("request_client_credentials_token", ClientCredentialsTokenRequest(
            alias(provider_mtls, "token_endpoint"), "client-mtls", mtls=auth)),
        ("get_discovery_document", DiscoveryDocumentRequest(
            provider_mtls.issuer, policy(provider_mtls))),
        ("request_client_credentials_token", ClientCredentialsTokenRequest(
            provider_mtls.token_endpoint, "client-mtls-bound", BOUND_SECRET)),
    ]  # fmt: skip
    ca = str(tls.ca_file)
    if api.is_async:

        async def run() -> list[Any]:
            client = aio.AsyncHTTPClient(verify=ca)
            try:
                return [await getattr(aio, name)(req, http_client=client) for name, req in requests]
            finally:
                await client.aclose()

        results = asyncio.run(run())
    else:
        with py_identity_model.HTTPClient(verify=ca) as client:
            results = [getattr(py_identity_model, name)(req, client) for name, req in requests]
    assert results[0].is_successful and results[1].is_successful
    assert results[2].error_code == "invalid_grant"  # bound client, no certificate: refused
    assert [(entry["port"], entry["certificate"]) for entry in request_log(provider_mtls)] == [
        (provider_mtls.mtls_port, True),
        (provider_mtls.port, False),
        (provider_mtls.port, False),
    ]
