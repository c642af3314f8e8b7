"""A client that presents a certificate: which requests carry it, and misuse."""

from __future__ import annotations

from typing import Any

import pytest
from tests.provider.tls import CertificateFiles, TlsMaterial

from py_identity_model import (
    Client,
    ClientCertificate,
    ClientCredentialsTokenRequest,
    ClientCredentialsTokenResponse,
    ClientSecretBasic,
    ConfigurationException,
    EndpointPolicy,
    MtlsClientAuth,
    OidcClientOptions,
    PrivateKeyJwt,
    UserInfoRequest,
)
from py_identity_model.endpoints.request import client_post_flow
from py_identity_model.http.messages import HttpRequest
from py_identity_model.tokens.flow import token_request_flow
from py_identity_model.userinfo.flow import userinfo_flow
from py_identity_model.utils.parameters import Parameters

TOKEN = "https://mtls.login.example.com/token"


def mtls(files: CertificateFiles) -> MtlsClientAuth:
    return MtlsClientAuth(str(files.certificate), str(files.private_key))


def first_request(flow: Any) -> HttpRequest:
    request = next(flow)
    flow.close()
    assert isinstance(request, HttpRequest)
    return request


def test_any_client_can_present_a_certificate(certs: TlsMaterial) -> None:
    certificate = certs.client.client_certificate
    for client in (
        Client("public", certificate=certificate),
        Client("secret", ClientSecretBasic("s3cret"), certificate=certificate),
        Client("mtls", mtls(certs.client)),
        Client("mtls", mtls(certs.client), certificate=certificate),  # the same: fine
    ):
        assert client.client_certificate == certificate
        assert client.transport_options.client_certificate == certificate
    for client in (Client("public"), Client("secret", ClientSecretBasic("s3cret"))):
        assert client.client_certificate is None
        assert client.transport_options.client_certificate is None


def test_certificate_misuse_is_refused(certs: TlsMaterial) -> None:
    with pytest.raises(ConfigurationException, match="ClientCertificate"):
        Client("x", certificate=str(certs.client.certificate))  # type: ignore[arg-type]
    with pytest.raises(ConfigurationException, match="own certificate"):
        Client("x", mtls(certs.client), certificate=certs.other.client_certificate)


def test_the_private_key_never_shows(certs: TlsMaterial) -> None:
    client = Client("x", certificate=certs.client.client_certificate)
    text = repr(client)
    assert str(certs.client.certificate) in text
    assert str(certs.client.private_key) not in text
    assert "[redacted]" in text


def test_the_authenticated_post_carries_the_clients_certificate(certs: TlsMaterial) -> None:
    certificate = certs.client.client_certificate
    flow = client_post_flow(
        Client("x", ClientSecretBasic("s3cret"), certificate=certificate),
        TOKEN,
        lambda: Parameters({"grant_type": "client_credentials"}),
        policy=EndpointPolicy(),
        what="Token endpoint",
    )
    request = first_request(flow)
    assert request.options.client_certificate == certificate
    assert request.headers.get("authorization", "").startswith("Basic ")
    plain = first_request(
        client_post_flow(
            Client("x", ClientSecretBasic("s3cret")),
            TOKEN,
            lambda: Parameters({"grant_type": "client_credentials"}),
            policy=EndpointPolicy(),
            what="Token endpoint",
        )
    )
    assert plain.options.client_certificate is None


def test_a_refused_url_gets_no_certificate(certs: TlsMaterial) -> None:
    request = ClientCredentialsTokenRequest(
        "http://login.example.com/token", "client-mtls", mtls=mtls(certs.client)
    )
    flow = token_request_flow(request, ClientCredentialsTokenResponse)
    with pytest.raises(StopIteration) as stopped:
        next(flow)
    response = stopped.value.value
    assert not response.is_successful and response.error_code == "https_required"


def test_token_requests_with_a_bound_client(certs: TlsMaterial) -> None:
    certificate = certs.client.client_certificate
    client = Client("client-mtls-bound", ClientSecretBasic("s3cret"), certificate=certificate)
    request = ClientCredentialsTokenRequest(TOKEN, "client-mtls-bound", client=client)
    sent = first_request(token_request_flow(request, ClientCredentialsTokenResponse))
    assert sent.url == TOKEN
    assert sent.options.client_certificate == certificate
    via_fields = ClientCredentialsTokenRequest(TOKEN, "client-mtls", mtls=mtls(certs.client))
    sent = first_request(token_request_flow(via_fields, ClientCredentialsTokenResponse))
    assert sent.options.client_certificate == certificate
    assert b"client_id=client-mtls" in (sent.body or b"")
    assert "authorization" not in sent.headers


def test_userinfo_presents_the_certificate_of_a_bound_token(certs: TlsMaterial) -> None:
    certificate = certs.client.client_certificate
    url = "https://mtls.login.example.com/userinfo"
    for value in (certificate, mtls(certs.client)):
        sent = first_request(userinfo_flow(UserInfoRequest(url, "at", mtls=value)))
        assert sent.options.client_certificate == certificate
        assert sent.headers["authorization"] == "Bearer at"
    sent = first_request(userinfo_flow(UserInfoRequest(url, "at")))
    assert sent.options.client_certificate is None


def test_userinfo_refuses_a_wrong_mtls_value_before_io(certs: TlsMaterial) -> None:
    for value in (str(certs.client.certificate), ("cert", "key"), 42):
        flow = userinfo_flow(UserInfoRequest("https://op.example.com/me", "at", mtls=value))  # type: ignore[arg-type]
        with pytest.raises(ConfigurationException, match="MtlsClientAuth or a ClientCertificate"):
            next(flow)


def test_oidc_client_options_with_mtls(certs: TlsMaterial) -> None:
    redirect = "https://app.example.com/callback"
    options = OidcClientOptions(
        "https://op.example.com", "client-mtls", redirect, mtls=mtls(certs.client)
    )
    client = options.resolved_client()
    assert isinstance(client.auth, MtlsClientAuth)
    assert client.client_certificate == certs.client.client_certificate
    bound = OidcClientOptions(
        "https://op.example.com",
        "client-mtls-bound",
        redirect,
        client_secret="s3cret",
        client_certificate=certs.stranger.client_certificate,
    )
    client = bound.resolved_client()
    assert isinstance(client.auth, ClientSecretBasic)
    assert client.client_certificate == certs.stranger.client_certificate
    with pytest.raises(ConfigurationException):
        OidcClientOptions(
            "https://op.example.com", "x", redirect, client_secret="s", mtls=mtls(certs.client)
        )
    with pytest.raises(ConfigurationException, match="own certificate"):
        OidcClientOptions(
            "https://op.example.com",
            "x",
            redirect,
            mtls=mtls(certs.client),
            client_certificate=certs.other.client_certificate,
        )
    with pytest.raises(ConfigurationException, match="ClientCertificate"):
        OidcClientOptions(
            "https://op.example.com",
            "x",
            redirect,
            client_certificate="cert.pem",  # type: ignore[arg-type]
        )


def test_mtls_client_auth_checks_its_arguments(certs: TlsMaterial) -> None:
    with pytest.raises(ConfigurationException, match="auth_method"):
        MtlsClientAuth(
            str(certs.client.certificate), str(certs.client.private_key), auth_method="x"
        )
    for bad in ("", None, 42):
        with pytest.raises(ConfigurationException):
            MtlsClientAuth(bad, str(certs.client.private_key))  # type: ignore[arg-type]
    auth = MtlsClientAuth(str(certs.client.certificate), str(certs.client.private_key), "pw")
    assert "pw" not in repr(auth) and str(certs.client.private_key) not in repr(auth)
    assert auth.client_certificate == ClientCertificate(
        str(certs.client.certificate), str(certs.client.private_key), "pw"
    )
    assert auth.method == "tls_client_auth"


def test_private_key_jwt_with_a_certificate(certs: TlsMaterial) -> None:
    key = certs.client.private_key.read_text()
    client = Client("x", PrivateKeyJwt(key, "ES256"), certificate=certs.client.client_certificate)
    sent = first_request(
        client_post_flow(
            client,
            TOKEN,
            lambda: Parameters({"grant_type": "client_credentials"}),
            policy=EndpointPolicy(),
            what="Token endpoint",
        )
    )
    assert sent.options.client_certificate == certs.client.client_certificate
    assert b"client_assertion=" in (sent.body or b"")
