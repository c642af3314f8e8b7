"""The Django middleware and metadata view with Django's test clients: every path.

The resource server is the real core over a mocked authority
(:class:`~flask_django_op.FakeOp`). Rejections must be the core's: status, headers (repeated
lines joined with ", "), JSON body.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from django.http import HttpRequest, JsonResponse
from django.test import AsyncClient, Client, override_settings
from django.urls import path
from django_test_setup import ensure_django
from flask_django_op import (
    AUDIENCE,
    ISSUER,
    STRANGER,
    FakeOp,
    mint,
    self_signed_certificate,
)

from py_identity_model import DPoPKey
from py_identity_model.exceptions import ConfigurationException
from py_identity_model.integrations.django import (
    TokenUser,
    get_configuration,
    protected_resource_urls,
)
from py_identity_model.mtls.certificates import compute_certificate_thumbprint
from py_identity_model.resource_server import (
    AccessTokenPrincipal,
    IncomingRequest,
    ResourceRejection,
    ResourceServer,
)
from py_identity_model.validation.key_source import clear_shared_key_sources

MIDDLEWARE = ["py_identity_model.integrations.django.ResourceServerMiddleware"]


def me(request: HttpRequest) -> JsonResponse:
    principal = request.auth  # type: ignore[attr-defined]
    assert isinstance(principal, AccessTokenPrincipal)
    user = request.user
    return JsonResponse(
        {"sub": principal.subject, "user": str(user), "authenticated": user.is_authenticated}
    )


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"auth": hasattr(request, "auth")})


class Account:
    def __init__(self, principal: AccessTokenPrincipal) -> None:
        self.is_authenticated = True
        self.name = f"account of {principal.subject}"

    def __str__(self) -> str:
        return self.name


def _urls() -> list[Any]:
    return [
        path("me", me),
        path("health", health),
        path("static/app.css", health),
        *protected_resource_urls(),
    ]


@pytest.fixture(autouse=True, scope="module")
def _django() -> None:
    ensure_django()


@pytest.fixture(autouse=True)
def _cold() -> Iterator[None]:
    clear_shared_key_sources()
    yield
    clear_shared_key_sources()


@pytest.fixture
def op() -> FakeOp:
    return FakeOp()


def settings_for(op: FakeOp, **extra: Any) -> dict[str, Any]:
    return {
        "ISSUER": ISSUER,
        "AUDIENCE": AUDIENCE,
        "HTTP_CLIENT": op.client(),
        "EXCLUDED_PATHS": ["/health", "/static/"],
        **extra,
    }


@pytest.fixture
def configured(op: FakeOp) -> Iterator[dict[str, Any]]:
    resource = settings_for(op)
    with override_settings(
        ROOT_URLCONF=__name__,
        MIDDLEWARE=MIDDLEWARE,
        ALLOWED_HOSTS=["testserver"],
        PY_IDENTITY_MODEL_RESOURCE_SERVER=resource,
    ):
        yield resource


urlpatterns: list[Any] = []


def _install_urls() -> None:
    urlpatterns[:] = _urls()


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def core_answer(token: str | None) -> ResourceRejection:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    with pytest.raises(ResourceRejection) as info:
        get_configuration().server.authenticate(
            IncomingRequest("GET", "http://testserver/me", headers)
        )
    return info.value


def assert_copied(response: Any, rejection: ResourceRejection) -> None:
    assert response.status_code == rejection.status
    assert response.json() == rejection.body
    assert response["Cache-Control"] == "no-store"
    for name, value in rejection.header_map.items():
        assert response[name] == value


@pytest.fixture
def client(configured: dict[str, Any]) -> Client:
    _install_urls()
    return Client()


def test_valid_token(client: Client) -> None:
    response = client.get("/me", **bearer(mint()))
    assert response.status_code == 200, response.content
    assert response.json() == {"sub": "alice", "user": "alice", "authenticated": True}


def test_no_token_is_the_cores_challenge(client: Client) -> None:
    response = client.get("/me")
    assert_copied(response, core_answer(None))
    assert response.status_code == 401
    assert "error=" not in response["WWW-Authenticate"]


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(mint(lifetime=-120), id="expired"),
        pytest.param(mint(aud="https://other.example"), id="wrong-audience"),
        pytest.param(mint(iss="https://evil.example"), id="wrong-issuer"),
        pytest.param(mint(typ="JWT"), id="not-at+jwt"),
        pytest.param(mint(key=STRANGER), id="foreign-key"),
        pytest.param(mint()[:-4] + "AAAA", id="tampered"),
    ],
)
def test_invalid_tokens(client: Client, token: str) -> None:
    response = client.get("/me", **bearer(token))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert_copied(response, core_answer(token))


def test_excluded_paths_and_prefixes(client: Client) -> None:
    assert client.get("/health").json() == {"auth": False}
    assert client.get("/static/app.css").status_code == 200
    assert client.get("/healthz").status_code == 401  # exact paths are exact


def test_metadata_view(client: Client) -> None:
    server = get_configuration().server
    response = client.get(server.metadata_path)
    assert response.status_code == 200
    assert response.json() == server.metadata_document()
    refused = client.post(server.metadata_path)
    assert (refused.status_code, refused["Allow"]) == (405, "GET, HEAD")


def test_host_outside_allowed_hosts(client: Client) -> None:
    assert client.get("/me", HTTP_HOST="evil.example", **bearer(mint())).status_code == 400


def test_user_factory(op: FakeOp) -> None:
    account = f"{__name__}.Account"
    with override_settings(
        ROOT_URLCONF=__name__,
        MIDDLEWARE=MIDDLEWARE,
        ALLOWED_HOSTS=["testserver"],
        PY_IDENTITY_MODEL_RESOURCE_SERVER=settings_for(op, USER_FACTORY=account),
    ):
        _install_urls()
        response = Client().get("/me", **bearer(mint()))
    assert response.json()["user"] == "account of alice"


async def test_async_middleware_awaits_the_core(op: FakeOp) -> None:
    resource = settings_for(op, HTTP_CLIENT=op.async_client())
    with override_settings(
        ROOT_URLCONF=__name__,
        MIDDLEWARE=MIDDLEWARE,
        ALLOWED_HOSTS=["testserver"],
        PY_IDENTITY_MODEL_RESOURCE_SERVER=resource,
    ):
        _install_urls()
        client = AsyncClient()
        ok = await client.get("/me", headers={"Authorization": f"Bearer {mint()}"})
        refused = await client.get("/me")
    assert ok.status_code == 200, ok.content
    assert ok.json()["sub"] == "alice"
    assert refused.status_code == 401


def test_token_user() -> None:
    principal = _principal()
    user = TokenUser(principal)
    assert (user.username, user.pk, user.get_username(), str(user)) == ("alice",) * 4
    assert user.is_authenticated and not user.is_anonymous
    assert repr(user) == "TokenUser('alice')"


def _principal() -> AccessTokenPrincipal:
    op = FakeOp()
    server = ResourceServer(issuer=ISSUER, audience=AUDIENCE, http_client=op.client())
    return server.authenticate(
        IncomingRequest("GET", "https://api.example/x", {"Authorization": f"Bearer {mint()}"})
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(None, "must be a dict", id="missing"),
        pytest.param(["ISSUER"], "must be a dict", id="not-a-dict"),
        pytest.param({"ISSUER": ISSUER, "AUDIENCE": AUDIENCE, "ISSUERS_": 1}, "unknown", id="typo"),
        pytest.param(
            {"ISSUER": ISSUER, "AUTHORITY": ISSUER, "AUDIENCE": AUDIENCE}, "twice", id="twice"
        ),
        pytest.param(
            {"ISSUER": ISSUER, "AUDIENCE": AUDIENCE, "EXCLUDED_PATHS": "/health"},
            "list of paths",
            id="excluded-string",
        ),
        pytest.param(
            {"ISSUER": ISSUER, "AUDIENCE": AUDIENCE, "EXCLUDED_PATHS": ["health"]},
            "starts with",
            id="excluded-relative",
        ),
        pytest.param(
            {"ISSUER": ISSUER, "AUDIENCE": AUDIENCE, "CLIENT_CERTIFICATE_HEADER": ""},
            "header name",
            id="certificate-header",
        ),
        pytest.param(
            {"ISSUER": ISSUER, "AUDIENCE": AUDIENCE, "USER_FACTORY": 42},
            "not callable",
            id="user-factory",
        ),
        pytest.param({"RESOURCE_SERVER": "no.such.module.server"}, "cannot import", id="import"),
        pytest.param({"RESOURCE_SERVER": object()}, "not a ResourceServer", id="not-a-server"),
        pytest.param(
            {"RESOURCE_SERVER": f"{__name__}.SHARED", "ISSUER": ISSUER},
            "not both",
            id="server-and-keywords",
        ),
    ],
)
def test_bad_settings_are_configuration_errors(value: Any, message: str) -> None:
    with (
        override_settings(PY_IDENTITY_MODEL_RESOURCE_SERVER=value),
        pytest.raises(ConfigurationException, match=message),
    ):
        get_configuration()


SHARED = ResourceServer(issuer=ISSUER, audience=AUDIENCE, http_client=FakeOp().client())


def test_explicit_server_by_dotted_path() -> None:
    with override_settings(
        PY_IDENTITY_MODEL_RESOURCE_SERVER={"RESOURCE_SERVER": f"{__name__}.SHARED"}
    ):
        assert get_configuration().server is SHARED


def test_configuration_is_read_once_and_reset_on_change(op: FakeOp) -> None:
    with override_settings(PY_IDENTITY_MODEL_RESOURCE_SERVER=settings_for(op)):
        first = get_configuration()
        assert get_configuration() is first
    with override_settings(PY_IDENTITY_MODEL_RESOURCE_SERVER=settings_for(op)):
        assert get_configuration() is not first


def test_certificate_from_the_configured_header(op: FakeOp) -> None:
    pem = self_signed_certificate()
    token = mint(cnf={"x5t#S256": compute_certificate_thumbprint(pem)})
    resource = settings_for(op, CLIENT_CERTIFICATE_HEADER="X-Client-Cert")
    with override_settings(
        ROOT_URLCONF=__name__,
        MIDDLEWARE=MIDDLEWARE,
        ALLOWED_HOSTS=["testserver"],
        PY_IDENTITY_MODEL_RESOURCE_SERVER=resource,
    ):
        _install_urls()
        client = Client()
        ok = client.get("/me", HTTP_X_CLIENT_CERT=quote(pem.decode()), **bearer(token))
        unreadable = client.get("/me", HTTP_X_CLIENT_CERT="garbage", **bearer(token))
    assert ok.status_code == 200, ok.content
    assert unreadable.status_code == 401
    assert unreadable.json()["error_description"] == "The client certificate is not readable"


def test_certificate_header_is_ignored_unless_configured(client: Client) -> None:
    pem = self_signed_certificate()
    token = mint(cnf={"x5t#S256": compute_certificate_thumbprint(pem)})
    response = client.get("/me", HTTP_X_CLIENT_CERT=quote(pem.decode()), **bearer(token))
    assert response.status_code == 401


MISFIT = "The access token's certificate binding does not fit the client certificate"


def test_certificate_the_wsgi_server_verified(client: Client) -> None:
    # No header configured: META["SSL_CLIENT_CERT"] is the server's (a client cannot set it).
    pem = self_signed_certificate()
    token = mint(cnf={"x5t#S256": compute_certificate_thumbprint(pem)})
    ok = client.get("/me", SSL_CLIENT_CERT=pem.decode(), **bearer(token))
    assert ok.status_code == 200, ok.content
    other = client.get("/me", SSL_CLIENT_CERT=self_signed_certificate().decode(), **bearer(token))
    assert other.status_code == 401
    assert other.json() == {"error": "invalid_token", "error_description": MISFIT}
    unreadable = client.get("/me", SSL_CLIENT_CERT="garbage", **bearer(mint()))
    assert unreadable.status_code == 401
    assert unreadable.json() == {
        "error": "invalid_token",
        "error_description": "The client certificate is not readable",
    }
    assert 'error="invalid_token"' in unreadable["WWW-Authenticate"]


def test_server_certificate_wins_over_the_header(op: FakeOp) -> None:
    pem, other = self_signed_certificate(), self_signed_certificate()
    token = mint(cnf={"x5t#S256": compute_certificate_thumbprint(pem)})
    resource = settings_for(op, CLIENT_CERTIFICATE_HEADER="X-Client-Cert")
    forwarded = {"HTTP_X_CLIENT_CERT": quote(pem.decode()), **bearer(token)}
    with override_settings(
        ROOT_URLCONF=__name__,
        MIDDLEWARE=MIDDLEWARE,
        ALLOWED_HOSTS=["testserver"],
        PY_IDENTITY_MODEL_RESOURCE_SERVER=resource,
    ):
        _install_urls()
        refused = Client().get("/me", SSL_CLIENT_CERT=other.decode(), **forwarded)
        empty = Client().get("/me", SSL_CLIENT_CERT="", **forwarded)
    assert refused.status_code == 401
    assert refused.json()["error_description"] == MISFIT
    # mod_ssl's empty value (no certificate from the client): the header applies
    assert empty.status_code == 200, empty.content


async def test_async_middleware_lets_excluded_paths_through(op: FakeOp) -> None:
    resource = settings_for(op, HTTP_CLIENT=op.async_client())
    with override_settings(
        ROOT_URLCONF=__name__,
        MIDDLEWARE=MIDDLEWARE,
        ALLOWED_HOSTS=["testserver"],
        PY_IDENTITY_MODEL_RESOURCE_SERVER=resource,
    ):
        _install_urls()
        response = await AsyncClient().get("/health")
    assert response.json() == {"auth": False}
    assert op.requests == 0


def _dpop_get(client: Client, proof_url: str, **extra: str) -> Any:
    key = DPoPKey()
    token = mint(cnf={"jkt": key.jwk_thumbprint})
    proof = key.create_proof("GET", proof_url, access_token=token)
    return client.get("/me", HTTP_AUTHORIZATION=f"DPoP {token}", HTTP_DPOP=proof, **extra)


FORWARDED = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_HOST": "api.example"}


def test_forwarded_headers_are_ignored_by_default(client: Client) -> None:
    assert _dpop_get(client, "https://api.example/me", **FORWARDED).status_code == 401
    assert _dpop_get(client, "http://testserver/me", **FORWARDED).status_code == 200


def test_forwarded_headers_when_django_is_told(client: Client) -> None:
    with override_settings(
        USE_X_FORWARDED_HOST=True,
        SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
        ALLOWED_HOSTS=["testserver", "api.example"],
    ):
        assert _dpop_get(client, "https://api.example/me", **FORWARDED).status_code == 200
