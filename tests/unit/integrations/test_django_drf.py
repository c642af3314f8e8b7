"""The Django REST framework classes with DRF's test client: every path.

``ResourceServerAuthentication`` (no token: ``None`` and the core's challenge through
``authenticate_header``; a refused token: the core's status, challenge and body),
``HasScopes`` / ``require_scopes`` (403 ``insufficient_scope``), ``exception_handler`` (every
header of the rejection), and the reuse of the middleware's principal.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from django_test_setup import ensure_django
from flask_django_op import AUDIENCE, ISSUER, FakeOp, mint, self_signed_certificate

from py_identity_model import DPoPKey, DPoPServerNonces
from py_identity_model.exceptions import ConfigurationException
from py_identity_model.integrations.django import get_configuration
from py_identity_model.integrations.drf import (
    HasScopes,
    TokenRejected,
    exception_handler,
    require_scopes,
)
from py_identity_model.mtls.certificates import compute_certificate_thumbprint
from py_identity_model.resource_server import (
    IncomingRequest,
    ResourceRejection,
)
from py_identity_model.validation.key_source import clear_shared_key_sources


def api_client() -> Any:
    """DRF's test client (imported once Django is configured: DRF reads its settings)."""
    from rest_framework.test import APIClient

    return APIClient()


REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "py_identity_model.integrations.drf.exception_handler",
    "UNAUTHENTICATED_USER": None,
}


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


def _settings(op: FakeOp, *, middleware: bool = False, **resource: Any) -> Any:
    return override_settings(
        ROOT_URLCONF="django_drf_urls",
        MIDDLEWARE=(
            ["py_identity_model.integrations.django.ResourceServerMiddleware"] if middleware else []
        ),
        ALLOWED_HOSTS=["testserver"],
        REST_FRAMEWORK=REST_FRAMEWORK,
        PY_IDENTITY_MODEL_RESOURCE_SERVER={
            "ISSUER": ISSUER,
            "AUDIENCE": AUDIENCE,
            "HTTP_CLIENT": op.client(),
            **resource,
        },
    )


@pytest.fixture
def client(op: FakeOp) -> Iterator[Any]:
    with _settings(op):
        yield api_client()


def core_answer(token: str | None, path_: str = "/me") -> ResourceRejection:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    with pytest.raises(ResourceRejection) as info:
        get_configuration().server.authenticate(
            IncomingRequest("GET", f"http://testserver{path_}", headers)
        )
    return info.value


def test_valid_token(client: Any) -> None:
    response = client.get("/me", HTTP_AUTHORIZATION=f"Bearer {mint()}")
    assert (response.status_code, response.json()) == (200, {"sub": "alice"})


def test_no_token_is_401_with_the_cores_challenge(client: Any) -> None:
    response = client.get("/me")
    assert response.status_code == 401
    expected = core_answer(None).header_map["WWW-Authenticate"]
    assert response["WWW-Authenticate"] == expected
    assert "error=" not in response["WWW-Authenticate"]


def test_another_scheme_is_left_to_other_classes(client: Any) -> None:
    response = client.get("/me", HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert response.status_code == 401  # no other class: not authenticated, the challenge
    assert response["WWW-Authenticate"].startswith("Bearer ")


def test_refused_token_is_the_cores_answer(client: Any) -> None:
    token = mint(lifetime=-120)
    response = client.get("/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    rejection = core_answer(token)
    assert response.status_code == rejection.status == 401
    assert response.json() == rejection.body
    for name, value in rejection.header_map.items():
        assert response[name] == value
    assert response["Cache-Control"] == "no-store"


def test_certificate_the_wsgi_server_verified(client: Any) -> None:
    # The DRF class alone (no middleware) reads META["SSL_CLIENT_CERT"] too.
    pem = self_signed_certificate()
    token = mint(cnf={"x5t#S256": compute_certificate_thumbprint(pem)})
    ok = client.get("/me", HTTP_AUTHORIZATION=f"Bearer {token}", SSL_CLIENT_CERT=pem.decode())
    assert (ok.status_code, ok.json()) == (200, {"sub": "alice"})
    other = self_signed_certificate().decode()
    refused = client.get("/me", HTTP_AUTHORIZATION=f"Bearer {token}", SSL_CLIENT_CERT=other)
    assert refused.status_code == 401
    assert refused.json() == {
        "error": "invalid_token",
        "error_description": (
            "The access token's certificate binding does not fit the client certificate"
        ),
    }
    assert 'error="invalid_token"' in refused["WWW-Authenticate"]
    unreadable = client.get("/me", HTTP_AUTHORIZATION=f"Bearer {mint()}", SSL_CLIENT_CERT="x")
    assert unreadable.status_code == 401
    assert unreadable.json()["error_description"] == "The client certificate is not readable"


def test_missing_scope_is_403(client: Any) -> None:
    response = client.get("/write", HTTP_AUTHORIZATION=f"Bearer {mint()}")
    assert response.status_code == 403
    assert response.json()["error"] == "insufficient_scope"
    assert 'scope="orders:write"' in response["WWW-Authenticate"]
    ok = client.get("/write", HTTP_AUTHORIZATION=f"Bearer {mint(scope='orders:write')}")
    assert ok.status_code == 200


def test_require_scopes_factory(client: Any) -> None:
    response = client.get("/factory", HTTP_AUTHORIZATION=f"Bearer {mint()}")
    assert response.status_code == 403
    assert 'scope="orders:delete"' in response["WWW-Authenticate"]
    assert issubclass(require_scopes("a", "b"), HasScopes)
    assert require_scopes("a", "b").scopes == ("a", "b")


@pytest.mark.parametrize("bad", [(), ("",), (42,)])
def test_require_scopes_misuse(bad: tuple[Any, ...]) -> None:
    with pytest.raises(ConfigurationException):
        require_scopes(*bad)


def test_required_scopes_as_a_string_is_misuse(client: Any) -> None:
    with pytest.raises(ConfigurationException, match="required_scopes"):
        client.get("/string", HTTP_AUTHORIZATION=f"Bearer {mint()}")


def test_behind_the_middleware_the_token_is_validated_once(
    op: FakeOp, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _settings(op, middleware=True):
        server = get_configuration().server
        calls: list[Any] = []
        original = server.authenticate

        def counting(*args: Any, **kwargs: Any) -> Any:
            calls.append(args)
            return original(*args, **kwargs)

        monkeypatch.setattr(server, "authenticate", counting)
        response = api_client().get("/me", HTTP_AUTHORIZATION=f"Bearer {mint()}")
    assert response.status_code == 200
    assert len(calls) == 1


def test_exception_handler_leaves_other_exceptions_alone() -> None:
    from rest_framework.exceptions import NotFound

    response = exception_handler(NotFound(), {})
    assert response is not None
    assert (response.status_code, response.data) == (404, {"detail": "Not found."})
    assert exception_handler(ValueError("x"), {}) is None


def test_token_rejected_carries_the_rejection(client: Any) -> None:
    rejection = core_answer(mint(aud="https://other.example"))
    exc = TokenRejected(rejection)
    assert exc.status_code == rejection.status
    assert exc.auth_header == rejection.header_map["WWW-Authenticate"]
    assert exc.rejection is rejection


def _nonce_request(op: FakeOp, rest_framework: dict[str, Any]) -> Any:
    key = DPoPKey()
    token = mint(cnf={"jkt": key.jwk_thumbprint})
    proof = key.create_proof("GET", "http://testserver/me", access_token=token)
    with (
        _settings(op, DPOP_NONCES=DPoPServerNonces()),
        override_settings(REST_FRAMEWORK=rest_framework),
    ):
        return api_client().get("/me", HTTP_AUTHORIZATION=f"DPoP {token}", HTTP_DPOP=proof)


def test_exception_handler_copies_the_dpop_nonce(op: FakeOp) -> None:
    response = _nonce_request(op, REST_FRAMEWORK)
    assert response.status_code == 401
    assert response.json()["error"] == "use_dpop_nonce"
    assert response["DPoP-Nonce"]
    bearer, dpop = response["WWW-Authenticate"].split(", DPoP ", 1)
    assert bearer.startswith("Bearer ") and 'error="use_dpop_nonce"' in dpop


def test_without_our_handler_the_nonce_is_lost(op: FakeOp) -> None:
    plain = {key: value for key, value in REST_FRAMEWORK.items() if key != "EXCEPTION_HANDLER"}
    response = _nonce_request(op, plain)
    assert response.status_code == 401
    assert 'error="use_dpop_nonce"' in response["WWW-Authenticate"]
    assert "DPoP-Nonce" not in response  # what exception_handler is for (see the guide)
