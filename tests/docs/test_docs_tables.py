"""The tables in the docs match the code they describe.

A default changed in ``LibraryOptions``, ``DiscoveryPolicy``, ``TokenValidationConfig`` or
``OidcClientOptions``, an ``options`` switch, an exception ``code``, an algorithm in the
registry, a token request's fields, a client authentication method, a misuse message, an RFC
9207 outcome or a login error code must change the docs too; these tests fail until it does.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from pathlib import Path
from typing import Any

import pytest

import py_identity_model
from py_identity_model import (
    AuthorizeCallbackValidationResult,
    AuthorizeRequest,
    ClientCredentialsTokenRequest,
    ConfigurationException,
    DiscoveryPolicy,
    JsonWebKey,
    LibraryOptions,
    LoginResult,
    OidcClientOptions,
    PrivateKeyJwt,
    RetryPolicy,
    TokenResponse,
    TokenValidationConfig,
    TokenValidationException,
    parse_authorize_callback_response,
    request_client_credentials_token,
    validate_authorize_callback_issuer,
)
from py_identity_model.jose import ALGORITHMS
from py_identity_model.tokens import flow as token_flow, models as token_models
from py_identity_model.tokens.models import TokenRequestOptions
from py_identity_model.validation.config import compile_config

DOCS_DIR = Path(__file__).resolve().parents[2] / "docs"
CODE = re.compile(r"`([^`]+)`")


def section(page: str, heading: str) -> str:
    text = (DOCS_DIR / page).read_text("utf-8")
    start = text.index(heading)
    level = heading.split(" ", 1)[0]
    following = re.search(rf"^{level} ", text[start + len(heading) :], re.MULTILINE)
    return text[start : start + len(heading) + following.start()] if following else text[start:]


def first_table(text: str) -> list[str]:
    """The body rows of the first Markdown table in ``text``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), len(lines))
    return lines[start + 2 : end]  # skip the header and the |---| line


def table_defaults(text: str) -> dict[str, Any]:
    """``{field: default}`` from the first table: names in cell 1, defaults in cell 2."""
    defaults: dict[str, Any] = {}
    namespace = {"RetryPolicy": RetryPolicy, "frozenset": frozenset}
    for line in first_table(text):
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        names, values = CODE.findall(cells[0]), CODE.findall(cells[1])
        if len(values) == 1 and len(names) > 1:
            values = [part.strip() for part in values[0].split(",")]
        assert len(names) == len(values), line
        for name, value in zip(names, values, strict=True):
            defaults[name] = eval(value, namespace)
    return defaults


def field_defaults(cls: type[Any]) -> dict[str, Any]:
    instance = cls()
    return {f.name: getattr(instance, f.name) for f in dataclasses.fields(cls) if f.name != "_"}


def test_library_options_table() -> None:
    documented = table_defaults(section("getting-started.md", "## Library options"))
    assert documented == field_defaults(LibraryOptions)


def test_discovery_policy_table() -> None:
    documented = table_defaults(section("guides/discovery-and-jwks.md", "### The policy"))
    assert documented == field_defaults(DiscoveryPolicy)


# ------------------------------------------------------------------- token validation


def table_rows(text: str) -> list[list[str]]:
    """The cells of each body row of the first Markdown table in ``text``."""
    return [
        [cell.strip() for cell in line.strip().strip("|").split("|")] for line in first_table(text)
    ]


def test_token_validation_config_tables() -> None:
    """Both field tables list every field, in order, with its real default."""
    documented: list[tuple[str, Any]] = []
    for heading in ("### Positional fields", "### Keyword-only fields"):
        for cells in table_rows(section("guides/token-validation.md", heading)):
            (name,) = CODE.findall(cells[0])
            values = CODE.findall(cells[1])
            documented.append((name, eval(values[0], {}) if values else dataclasses.MISSING))
    expected = [
        (f.name, f.default) for f in dataclasses.fields(TokenValidationConfig) if f.name != "_"
    ]
    assert documented == expected


def test_options_table_matches_behaviour() -> None:
    rows = table_rows(section("guides/token-validation.md", "## `options`"))
    names = set()
    for cells in rows:
        (name,) = CODE.findall(cells[0])
        names.add(name)
        accepted = cells[1]
        if name == "require":
            compile_config(TokenValidationConfig(True, options={name: ["jti"]}))
            continue
        compile_config(TokenValidationConfig(True, audience="api", options={name: True}))
        with_audience = TokenValidationConfig(True, audience="api", options={name: False})
        without_audience = TokenValidationConfig(True, options={name: False})
        if accepted == "`True` only":
            for config in (with_audience, without_audience):
                with pytest.raises(ConfigurationException):
                    compile_config(config)
        else:
            assert accepted == "`True` or `False`", cells
            compile_config(without_audience)
            if name == "verify_aud":  # documented: refused once an audience is configured
                with pytest.raises(ConfigurationException):
                    compile_config(with_audience)
            else:
                compile_config(with_audience)
    assert {"verify_signature", "verify_exp", "verify_nbf", "verify_iss", "verify_aud"} <= names
    with pytest.raises(ConfigurationException, match="Unknown validation option"):
        compile_config(TokenValidationConfig(True, options={"verify_everything": True}))


def test_exception_table_codes() -> None:
    rows = table_rows(section("guides/token-validation.md", "## Exceptions"))
    documented = {}
    for cells in rows:
        (name,) = CODE.findall(cells[1])
        (code,) = CODE.findall(cells[2])
        documented[name] = code
        assert getattr(py_identity_model, name).code == code, name
    # Every token rejection the validators can raise has a row (mTLS binding comes later).
    rejections = {
        name
        for name in dir(py_identity_model)
        if isinstance(getattr(py_identity_model, name), type)
        and issubclass(getattr(py_identity_model, name), TokenValidationException)
        and name not in ("TokenValidationException", "CertificateBindingError")
    }
    assert rejections <= set(documented)


def test_algorithm_table_matches_the_registry() -> None:
    seen = set()
    for cells in table_rows(section("guides/jose.md", "## The algorithm registry")):
        (kty,) = CODE.findall(cells[1])
        curves = {c.strip() for c in cells[2].split(",") if c.strip()}
        for name in CODE.findall(cells[0]):
            record = ALGORITHMS[name]
            assert (record.kty, set(record.curves)) == (kty, curves), name
            seen.add(name)
    assert seen == set(ALGORITHMS)


# --------------------------------------------------------------------- token requests


def _positional_signature(cls: type[Any]) -> str:
    """``Cls(a, b=None, ...)`` from the dataclass fields that are not keyword-only."""
    parts = []
    for f in dataclasses.fields(cls):
        if f.kw_only or f.name == "_":
            continue
        parts.append(f.name if f.default is dataclasses.MISSING else f"{f.name}={f.default!r}")
    return f"{cls.__name__}({', '.join(parts)})"


def test_grants_table_matches_the_requests_and_functions() -> None:
    from py_identity_model import aio

    rows = table_rows(section("guides/tokens.md", "## The grants"))
    documented_classes = set()
    for cells in rows:
        (signature,) = CODE.findall(cells[1])
        (function,) = CODE.findall(cells[2])
        (response,) = CODE.findall(cells[3])
        cls = getattr(py_identity_model, signature.split("(", 1)[0])
        documented_classes.add(cls)
        assert signature == _positional_signature(cls)
        sync_fn, async_fn = getattr(py_identity_model, function), getattr(aio, function)
        assert inspect.iscoroutinefunction(async_fn) and not inspect.iscoroutinefunction(sync_fn)
        assert inspect.signature(sync_fn).return_annotation == response, function
        assert inspect.signature(async_fn).return_annotation == response, function
    requests = {
        cls
        for cls in vars(token_models).values()
        if isinstance(cls, type)
        and issubclass(cls, TokenRequestOptions)
        and cls is not TokenRequestOptions
    }
    assert documented_classes == requests


def test_token_request_options_table() -> None:
    rows = table_rows(section("guides/tokens.md", "## Extra parameters and headers"))
    documented = [CODE.findall(cells[0])[0] for cells in rows]
    keyword_only = [
        f.name for f in dataclasses.fields(TokenRequestOptions) if f.kw_only and f.name != "_"
    ]
    assert documented == keyword_only


def test_client_authentication_table_lists_every_method() -> None:
    rows = table_rows(section("guides/tokens.md", "## Client authentication"))
    assert {CODE.findall(cells[0])[0] for cells in rows} == set(token_flow._METHODS)


def test_token_response_table_names_real_fields() -> None:
    rows = table_rows(section("guides/tokens.md", "## The response"))
    response = TokenResponse(True, None, {"access_token": "at", "token_type": "Bearer"})
    names = {name for cells in rows for name in CODE.findall(cells[0])}
    for name in names:
        assert hasattr(response, name), name
    properties = {
        name for name, value in vars(TokenResponse).items() if isinstance(value, property)
    }
    assert properties <= names


class _NoRequests:
    """A transport that fails the test if a request is ever sent."""

    def send_request(self, request: Any) -> Any:
        raise AssertionError(f"misuse must be refused before any request: {request!r}")


def _use(example: str, namespace: dict[str, Any]) -> None:
    """Evaluate a table example and use what it built as a token request would."""
    from py_identity_model.endpoints.client_auth import ClientAssertion

    value = eval(example, dict(namespace))
    if isinstance(value, TokenRequestOptions):
        request_client_credentials_token(value, http_client=_NoRequests())
    elif isinstance(value, ClientAssertion):
        value.factory(namespace["T"])


def test_token_misuse_table() -> None:
    """Every documented misuse raises ConfigurationException with the documented message."""
    from cryptography.hazmat.primitives.asymmetric import ec

    from py_identity_model.endpoints.client_auth import client_secret_jwt

    ec_key = JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()))
    namespace = {
        "T": "https://op.example/token",
        "EC_KEY": ec_key,
        "EC_PUBLIC_KEY": ec_key.public_jwk(),
        "ClientCredentialsTokenRequest": ClientCredentialsTokenRequest,
        "PrivateKeyJwt": PrivateKeyJwt,
        "client_secret_jwt": client_secret_jwt,
    }
    rows = table_rows(section("guides/tokens.md", "## Misuse raises"))
    assert len(rows) >= 12
    for cells in rows:
        (example,) = CODE.findall(cells[1])
        (message,) = CODE.findall(cells[2])
        with pytest.raises(ConfigurationException) as raised:
            _use(example, namespace)
        assert str(raised.value).startswith(message), (example, str(raised.value))


# ---------------------------------------------------------------------- front channel


def test_authorize_parameters_table_lists_every_field() -> None:
    rows = table_rows(section("guides/front-channel.md", "### Parameters"))
    documented = [name for cells in rows for name in CODE.findall(cells[0])]
    fields = [f.name for f in dataclasses.fields(AuthorizeRequest)]
    assert sorted(documented) == sorted(fields)


def _callback(iss_cell: str) -> Any:
    base = "https://app.example/cb?code=c&state=s"
    if iss_cell == "absent":
        return parse_authorize_callback_response(base)
    if iss_cell.startswith("empty"):
        return parse_authorize_callback_response(base + "&iss=")
    (iss,) = CODE.findall(iss_cell)
    return parse_authorize_callback_response(f"{base}&iss={iss}")


def test_rfc9207_outcome_table() -> None:
    rows = table_rows(section("guides/front-channel.md", "### `iss` (RFC 9207)"))
    assert len(rows) == 6
    for cells in rows:
        response = _callback(cells[0])
        expected = CODE.findall(cells[1])
        expected_issuer = expected[0] if expected else None
        advertised = {"yes": [True], "no": [False], "either": [True, False]}[cells[2]]
        outcome = CODE.findall(cells[3])[0]
        for flag in advertised:
            for keyword in ("iss_parameter_supported", "require"):
                result = validate_authorize_callback_issuer(
                    response, expected_issuer, **{keyword: flag}
                )
                assert result.result.name == outcome, (cells, keyword, flag)


def test_callback_result_table_lists_every_outcome() -> None:
    rows = table_rows(section("guides/front-channel.md", "### Both at once"))
    documented = [CODE.findall(cells[0])[0] for cells in rows]
    assert documented == [member.name for member in AuthorizeCallbackValidationResult]


# ------------------------------------------------------------------------------ login


def test_oidc_client_options_table() -> None:
    rows = table_rows(section("guides/login.md", "## Options"))
    documented = []
    for cells in rows:
        (name,) = CODE.findall(cells[0])
        values = CODE.findall(cells[1])
        documented.append((name, eval(values[0], {}) if values else dataclasses.MISSING))
    expected = []
    for f in dataclasses.fields(OidcClientOptions):
        if f.name == "_":
            continue
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        expected.append((f.name, default))
    assert documented == expected


def test_login_error_codes_table() -> None:
    from py_identity_model.login import flows

    rows = table_rows(section("guides/login.md", "### Error codes"))
    documented = {CODE.findall(cells[0])[0] for cells in rows if cells[0].startswith("`")}
    source = inspect.getsource(flows)
    produced = set(re.findall(r'_failed\(\s*"([a-z_]+)"', source))
    produced |= set(flows._CALLBACK_ERRORS.values())
    produced |= set(re.findall(r'or "([a-z_]+)"', source))
    assert documented == produced
    for code in documented:  # the result's own docstring lists them too
        assert code in (LoginResult.__doc__ or ""), code
