"""The public surface changes only on purpose (as httpx guards its exports).

* every exported name resolves, in the package and in ``aio``;
* every sync I/O function has an ``async def`` twin in ``aio`` with the same parameters;
* ``aio`` re-exports the model classes (everything but the I/O functions is shared);
* the names of py-identity-model 4.x that users already know are all there.
"""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

import py_identity_model
from py_identity_model import _exports, aio

# Names fixed by the compatibility spec (py-identity-model 4.1.1) that exist today.
COMPAT_NAMES = {
    "DiscoveryPolicy", "DiscoveryDocumentRequest", "get_discovery_document",
    "DiscoveryDocumentResponse", "get_jwks", "JwksRequest", "JwksResponse", "JsonWebKey",
    "TokenValidationConfig", "validate_token", "validate_id_token", "validate_logout_token",
    "PyIdentityModelException", "ValidationException", "TokenValidationException",
    "SignatureVerificationException", "TokenExpiredException", "InvalidAudienceException",
    "InvalidIssuerException", "IdTokenValidationException", "LogoutTokenValidationException",
    "CertificateBindingError", "ClaimsValidationError", "LogoutStateValidationException",
    "AuthorizeCallbackException", "JarmValidationException", "NetworkException",
    "DiscoveryException", "DiscoveryParseError", "DiscoveryMissingFieldsError", "JwksException",
    "TokenRequestException", "UserInfoException", "ConfigurationException",
    "DiscoveryHTTPSRequiredError", "ClientCredentialsTokenRequest",
    "request_client_credentials_token", "ClientCredentialsTokenResponse",
    "AuthorizationCodeTokenRequest", "request_authorization_code_token",
    "AuthorizationCodeTokenResponse", "RefreshTokenRequest", "refresh_token",
    "RefreshTokenResponse", "PrivateKeyJwt", "generate_code_verifier", "generate_code_challenge",
    "generate_pkce_pair", "build_authorization_url", "parse_authorize_callback_response",
    "AuthorizeCallbackResponse", "validate_authorize_callback_state",
    "validate_authorize_callback_issuer", "StateValidationResult",
    "AuthorizeCallbackValidationResult", "build_end_session_url", "Claim", "ClaimsIdentity",
    "ClaimsPrincipal", "to_principal", "OidcConstants", "JwtClaimTypes", "HTTPClient",
}  # fmt: skip


def test_every_export_resolves() -> None:
    for name in _exports.SYNC:
        assert getattr(py_identity_model, name) is not None, name
    for name in _exports.ASYNC:
        assert getattr(aio, name) is not None, name
    assert sorted(py_identity_model.__all__) == sorted(["__version__", *_exports.SYNC])
    assert sorted(aio.__all__) == sorted(_exports.ASYNC)


def test_compat_names_are_exported() -> None:
    assert COMPAT_NAMES <= set(_exports.SYNC)
    assert "AsyncHTTPClient" in _exports.ASYNC


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        _ = py_identity_model.no_such_name  # type: ignore[attr-defined]


def _io_names() -> list[str]:
    return [
        name
        for name, module in _exports.SYNC.items()
        if module.startswith("py_identity_model.sync.")
    ]


def _io_functions() -> list[str]:
    return [name for name in _io_names() if not inspect.isclass(getattr(py_identity_model, name))]


def _io_classes() -> list[str]:
    return [name for name in _io_names() if inspect.isclass(getattr(py_identity_model, name))]


@pytest.mark.parametrize("name", _io_classes())
def test_every_io_class_has_an_async_twin(name: str) -> None:
    # A class with I/O methods (a token manager): same constructor, and each of its public
    # blocking methods is a coroutine of the same name and parameters in the aio twin.
    sync_cls, async_cls = getattr(py_identity_model, name), getattr(aio, name)
    assert sync_cls is not async_cls
    assert list(inspect.signature(sync_cls).parameters) == list(
        inspect.signature(async_cls).parameters
    )
    twins = 0
    for attr in dir(sync_cls):
        sync_fn, async_fn = getattr(sync_cls, attr), getattr(async_cls, attr, None)
        if attr.startswith("_") or not inspect.isfunction(sync_fn):
            continue
        assert async_fn is not None, attr
        if inspect.iscoroutinefunction(async_fn) and not inspect.iscoroutinefunction(sync_fn):
            twins += 1
            assert list(inspect.signature(sync_fn).parameters) == list(
                inspect.signature(async_fn).parameters
            ), attr
    assert twins or hasattr(sync_cls, "auth_flow"), f"{name} has no I/O method"


@pytest.mark.parametrize("name", _io_functions())
def test_every_io_function_has_an_async_twin(name: str) -> None:
    sync_fn = getattr(py_identity_model, name)
    async_fn = getattr(aio, name)
    assert not inspect.iscoroutinefunction(sync_fn)
    assert inspect.iscoroutinefunction(async_fn)
    assert list(inspect.signature(sync_fn).parameters) == list(
        inspect.signature(async_fn).parameters
    )


def test_models_are_shared_between_the_shells() -> None:
    for name in set(_exports.SYNC) & set(_exports.ASYNC):
        if name not in _io_names():
            assert getattr(py_identity_model, name) is getattr(aio, name), name


def test_importing_validate_token_does_not_load_the_http_stack() -> None:
    code = (
        "import sys\n"
        "from py_identity_model import validate_token\n"
        "heavy = [m for m in ('httpx', 'asyncio', 'cryptography', 'logging') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
