"""The Flask integration with Flask's test client over a mocked authority: every path.

The resource server is the real core, fetching discovery and keys from
:class:`~flask_django_op.FakeOp`; tokens are minted with any claims. Each rejection must be
the core's, copied exactly: status, every header line, the JSON body.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from flask_django_op import AUDIENCE, ISSUER, STRANGER, FakeOp, mint, self_signed_certificate
from werkzeug.middleware.proxy_fix import ProxyFix

from py_identity_model import DPoPKey, DPoPServerNonces
from py_identity_model.exceptions import ConfigurationException
from py_identity_model.integrations.flask import (
    EXTENSION_KEY,
    ProtectedResource,
    current_token,
    rejection_response,
    require_token,
)
from py_identity_model.mtls.certificates import compute_certificate_thumbprint
from py_identity_model.resource_server import IncomingRequest, ResourceRejection, ResourceServer
from py_identity_model.validation.key_source import clear_shared_key_sources


@pytest.fixture(autouse=True)
def _cold() -> Iterator[None]:
    clear_shared_key_sources()
    yield
    clear_shared_key_sources()


def make_server(op: FakeOp, **options: Any) -> ResourceServer:
    options.setdefault("issuer", ISSUER)
    options.setdefault("audience", AUDIENCE)
    return ResourceServer(http_client=op.client(), **options)


def make_app(server: ResourceServer | None = None, **config: Any) -> Flask:
    app = Flask(__name__)
    app.config.update(TESTING=True, **config)
    ProtectedResource(app, resource_server=server)

    @app.get("/me")
    @require_token
    def me() -> dict[str, Any]:
        return {"sub": g.access_token.subject, "same": current_token() is g.access_token}

    @app.get("/orders")
    @require_token(scopes=["orders:write"])
    def orders() -> dict[str, Any]:
        return {"scopes": sorted(g.access_token.scopes)}

    @app.get("/async")
    @require_token(scopes=["orders:read"])
    async def async_view() -> dict[str, Any]:
        return {"sub": current_token().subject}

    @app.get("/inside")
    @require_token
    def inside() -> dict[str, Any]:
        current_token().require_scopes(["orders:delete"])
        return {"reached": True}

    return app


@pytest.fixture
def op() -> FakeOp:
    return FakeOp()


@pytest.fixture
def server(op: FakeOp) -> ResourceServer:
    return make_server(op)


@pytest.fixture
def client(server: ResourceServer) -> FlaskClient:
    return make_app(server).test_client()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def expected(server: ResourceServer, path: str, token: str | None = None) -> ResourceRejection:
    """What the core itself answers for this request (the integration must copy it)."""
    headers = bearer(token) if token is not None else {}
    with pytest.raises(ResourceRejection) as info:
        server.authenticate(IncomingRequest("GET", f"http://localhost{path}", headers))
    return info.value


def assert_copied(response: Any, rejection: ResourceRejection) -> None:
    assert response.status_code == rejection.status
    assert response.get_json() == rejection.body
    assert response.headers["Cache-Control"] == "no-store"
    want = [(n.lower(), v) for n, v in rejection_response(rejection).headers.items()]
    got = [(n.lower(), v) for n, v in response.headers.items()]
    for line in want:
        if line[0] not in ("content-length", "content-type"):
            assert line in got


def test_valid_token_reaches_the_view(client: FlaskClient) -> None:
    response = client.get("/me", headers=bearer(mint()))
    assert (response.status_code, response.get_json()) == (200, {"sub": "alice", "same": True})


def test_async_view_is_authenticated(client: FlaskClient) -> None:
    assert client.get("/async", headers=bearer(mint())).get_json() == {"sub": "alice"}
    assert client.get("/async").status_code == 401


def test_no_token(client: FlaskClient, server: ResourceServer) -> None:
    response = client.get("/me")
    assert_copied(response, expected(server, "/me"))
    assert response.status_code == 401
    assert "error=" not in response.headers["WWW-Authenticate"]


def test_token_in_the_query_is_not_a_token(client: FlaskClient) -> None:
    response = client.get(f"/me?access_token={mint()}")
    assert response.status_code == 401
    assert "error=" not in response.headers["WWW-Authenticate"]


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(mint(lifetime=-120), id="expired"),
        pytest.param(mint(nbf=10**10), id="not-yet-valid"),
        pytest.param(mint(aud="https://other.example"), id="wrong-audience"),
        pytest.param(mint(iss="https://evil.example"), id="wrong-issuer"),
        pytest.param(mint(typ="JWT"), id="not-at+jwt"),
        pytest.param(mint(key=STRANGER), id="foreign-key"),
        pytest.param(mint()[:-4] + "AAAA", id="tampered-signature"),
        pytest.param("not-a-jwt", id="garbage"),
    ],
)
def test_invalid_tokens_are_the_cores_answer(
    client: FlaskClient, server: ResourceServer, token: str
) -> None:
    response = client.get("/me", headers=bearer(token))
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_token"
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert_copied(response, expected(server, "/me", token))
    assert token not in response.get_data(as_text=True)


def test_two_authorization_headers_are_refused(client: FlaskClient) -> None:
    response = client.get(
        "/me", headers=[("Authorization", f"Bearer {mint()}"), ("Authorization", "Bearer x")]
    )
    assert response.status_code in (400, 401)
    assert response.get_json()["error"] in ("invalid_request", "invalid_token")


def test_missing_scope_is_403(client: FlaskClient, server: ResourceServer) -> None:
    token = mint()
    response = client.get("/orders", headers=bearer(token))
    assert response.status_code == 403
    assert response.get_json()["error"] == "insufficient_scope"
    assert 'scope="orders:write"' in response.headers["WWW-Authenticate"]
    granted = client.get("/orders", headers=bearer(mint(scope="orders:read orders:write")))
    assert granted.get_json() == {"scopes": ["orders:read", "orders:write"]}


def test_rejection_raised_in_the_view_is_answered(client: FlaskClient) -> None:
    response = client.get("/inside", headers=bearer(mint()))
    assert response.status_code == 403
    assert response.get_json()["error"] == "insufficient_scope"


def test_metadata_route(client: FlaskClient, server: ResourceServer) -> None:
    response = client.get(server.metadata_path)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == json.loads(json.dumps(server.metadata_document()))
    assert client.post(server.metadata_path).status_code == 405


def test_configured_from_app_config(op: FakeOp) -> None:
    app = make_app(
        None,
        OIDC_AUTHORITY=ISSUER,
        OIDC_AUDIENCE=AUDIENCE,
        OIDC_HTTP_CLIENT=op.client(),
        OIDC_CLIENT_SECRETS="left to another extension",
    )
    state = app.extensions[EXTENSION_KEY]
    assert isinstance(state.server, ResourceServer)
    assert app.test_client().get("/me", headers=bearer(mint())).status_code == 200


def test_issuer_given_twice_is_refused(op: FakeOp) -> None:
    with pytest.raises(ConfigurationException, match="given twice"):
        make_app(None, OIDC_AUTHORITY=ISSUER, OIDC_ISSUER=ISSUER, OIDC_AUDIENCE=AUDIENCE)


def test_bad_certificate_header_setting(server: ResourceServer) -> None:
    with pytest.raises(ConfigurationException, match="CLIENT_CERTIFICATE_HEADER"):
        make_app(server, OIDC_CLIENT_CERTIFICATE_HEADER=" ")


def test_without_the_extension_is_misuse() -> None:
    app = Flask(__name__)
    app.config["TESTING"] = True

    @app.get("/me")
    @require_token
    def me() -> str:
        return "never"

    with pytest.raises(ConfigurationException, match="ProtectedResource"):
        app.test_client().get("/me")


def test_scopes_as_one_string_is_misuse() -> None:
    with pytest.raises(ConfigurationException, match="list of scope names"):
        require_token(scopes="orders:read")


def test_current_token_outside_a_protected_view(server: ResourceServer) -> None:
    app = make_app(server)
    with app.test_request_context("/"), pytest.raises(ConfigurationException):
        current_token()


def test_init_app_pattern_shares_one_server(server: ResourceServer) -> None:
    extension = ProtectedResource(resource_server=server)
    first, second = Flask("first"), Flask("second")
    extension.init_app(first)
    extension.init_app(second)
    assert first.extensions[EXTENSION_KEY].server is second.extensions[EXTENSION_KEY].server


# ------------------------------------------------------------------ DPoP nonces, certificates


def test_dpop_nonce_challenge_is_copied(op: FakeOp) -> None:
    server = make_server(op, dpop_nonces=DPoPServerNonces())
    client = make_app(server).test_client()
    key = DPoPKey()
    token = mint(cnf={"jkt": key.jwk_thumbprint})
    url = "http://localhost/me"
    first = client.get(
        "/me",
        headers={
            "Authorization": f"DPoP {token}",
            "DPoP": key.create_proof("GET", url, access_token=token),
        },
    )
    assert first.status_code == 401
    assert first.get_json()["error"] == "use_dpop_nonce"
    nonce = first.headers["DPoP-Nonce"]
    challenges = first.headers.getlist("WWW-Authenticate")
    assert [c.split(" ", 1)[0] for c in challenges] == ["Bearer", "DPoP"]
    assert 'error="use_dpop_nonce"' in challenges[1]
    proof = key.create_proof("GET", url, access_token=token, nonce=nonce)
    second = client.get("/me", headers={"Authorization": f"DPoP {token}", "DPoP": proof})
    assert second.status_code == 200, second.get_data(as_text=True)


def _bound(pem: bytes) -> str:
    return mint(cnf={"x5t#S256": compute_certificate_thumbprint(pem)})


def test_certificate_from_the_configured_header(server: ResourceServer) -> None:
    pem = self_signed_certificate()
    client = make_app(server, OIDC_CLIENT_CERTIFICATE_HEADER="X-Client-Cert").test_client()
    header = quote(pem.decode())
    ok = client.get("/me", headers={**bearer(_bound(pem)), "X-Client-Cert": header})
    assert ok.status_code == 200, ok.get_data(as_text=True)
    other = quote(self_signed_certificate().decode())
    refused = client.get("/me", headers={**bearer(_bound(pem)), "X-Client-Cert": other})
    assert refused.status_code == 401
    unreadable = client.get("/me", headers={**bearer(mint()), "X-Client-Cert": "garbage"})
    assert unreadable.status_code == 401
    assert unreadable.get_json() == {
        "error": "invalid_token",
        "error_description": "The client certificate is not readable",
    }


def test_certificate_header_is_ignored_unless_configured(client: FlaskClient) -> None:
    pem = self_signed_certificate()
    response = client.get(
        "/me", headers={**bearer(_bound(pem)), "X-Client-Cert": quote(pem.decode())}
    )
    assert response.status_code == 401  # a bound token without a (trusted) certificate


MISFIT = "The access token's certificate binding does not fit the client certificate"


def test_certificate_the_wsgi_server_verified(client: FlaskClient) -> None:
    # No header configured: SSL_CLIENT_CERT is the server's (a client cannot set it).
    pem = self_signed_certificate()
    server_verified = {"SSL_CLIENT_CERT": pem.decode()}
    ok = client.get("/me", headers=bearer(_bound(pem)), environ_base=server_verified)
    assert ok.status_code == 200, ok.get_data(as_text=True)
    other = {"SSL_CLIENT_CERT": self_signed_certificate().decode()}
    refused = client.get("/me", headers=bearer(_bound(pem)), environ_base=other)
    assert refused.status_code == 401
    assert refused.get_json() == {"error": "invalid_token", "error_description": MISFIT}
    unreadable = client.get("/me", headers=bearer(mint()), environ_base={"SSL_CLIENT_CERT": "x"})
    assert unreadable.status_code == 401
    assert unreadable.get_json() == {
        "error": "invalid_token",
        "error_description": "The client certificate is not readable",
    }
    assert 'error="invalid_token"' in unreadable.headers["WWW-Authenticate"]


def test_server_certificate_wins_over_the_header(server: ResourceServer) -> None:
    pem, other = self_signed_certificate(), self_signed_certificate()
    client = make_app(server, OIDC_CLIENT_CERTIFICATE_HEADER="X-Client-Cert").test_client()
    forwarded = {**bearer(_bound(pem)), "X-Client-Cert": quote(pem.decode())}
    refused = client.get("/me", headers=forwarded, environ_base={"SSL_CLIENT_CERT": other.decode()})
    assert refused.status_code == 401
    assert refused.get_json()["error_description"] == MISFIT
    # mod_ssl's empty value (no certificate from the client): the header applies
    empty = client.get("/me", headers=forwarded, environ_base={"SSL_CLIENT_CERT": ""})
    assert empty.status_code == 200, empty.get_data(as_text=True)


# ------------------------------------------------------------------ the URL behind a proxy


def _dpop_get(client: FlaskClient, proof_url: str, **headers: str) -> Any:
    key = DPoPKey()
    token = mint(cnf={"jkt": key.jwk_thumbprint})
    proof = key.create_proof("GET", proof_url, access_token=token)
    return client.get("/me", headers={"Authorization": f"DPoP {token}", "DPoP": proof, **headers})


FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "api.example"}


def test_forwarded_headers_are_ignored_by_default(client: FlaskClient) -> None:
    assert _dpop_get(client, "https://api.example/me", **FORWARDED).status_code == 401
    assert _dpop_get(client, "http://localhost/me", **FORWARDED).status_code == 200


def test_forwarded_headers_of_a_declared_proxy(server: ResourceServer) -> None:
    app = make_app(server)
    app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1, x_host=1)  # type: ignore[method-assign]
    client = app.test_client()
    assert _dpop_get(client, "https://api.example/me", **FORWARDED).status_code == 200
    assert _dpop_get(client, "http://localhost/me", **FORWARDED).status_code == 401
