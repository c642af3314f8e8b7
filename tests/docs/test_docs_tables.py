"""The tables in the docs match the code they describe.

A default changed in ``LibraryOptions``, ``DiscoveryPolicy``, ``TokenValidationConfig`` or
``OidcClientOptions``, an ``options`` switch, an exception ``code`` or base class, an
algorithm in the registry, a token request's fields, a client authentication method, a
misuse message, an RFC 9207 outcome, a login error code, a library error code or a module
without a reference page must change the docs too; these tests fail until it does.
"""

from __future__ import annotations

import dataclasses
import inspect
import pkgutil
import re
from pathlib import Path
from typing import Any

import pytest

import py_identity_model
from py_identity_model import (
    AuthorizeCallbackValidationResult,
    AuthorizeRequest,
    ConfigurationException,
    DiscoveryPolicy,
    JsonWebKey,
    LibraryOptions,
    LoginResult,
    OidcClientOptions,
    RetryPolicy,
    TokenResponse,
    TokenValidationConfig,
    TokenValidationException,
    parse_authorize_callback_response,
    request_client_credentials_token,
    validate_authorize_callback_issuer,
)
from py_identity_model.endpoints.client import CLIENT_AUTH_METHODS
from py_identity_model.errors import LIBRARY_ERROR_CODES, TRANSPORT_ERROR_CODES, ErrorType
from py_identity_model.jose import ALGORITHMS
from py_identity_model.tokens import models as token_models
from py_identity_model.tokens.models import TokenRequestOptions
from py_identity_model.utils.parameters import Parameters
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
    # Every token rejection the validators can raise has a row; the compatibility names of
    # py_identity_model.compat are raised by nothing (they are on the errors page).
    rejections = {
        name
        for name, cls in exported_exceptions().items()
        if issubclass(cls, TokenValidationException)
        and name != "TokenValidationException"
        and cls.__module__ != "py_identity_model.compat"
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


def _client_auth_namespace() -> dict[str, Any]:
    from cryptography.hazmat.primitives.asymmetric import ec

    return {
        **{name: getattr(py_identity_model, name) for name in py_identity_model.__all__},
        "T": "https://op.example/token",
        "SECRET": "s" * 32,
        "KEY": JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1())),
        "CERT": "client.pem",
        "CERT_KEY": "client.key",
    }


def test_client_authentication_table_lists_every_method() -> None:
    """One row per method; its Client value and its 4.x fields both resolve to that method."""
    namespace = _client_auth_namespace()
    rows = table_rows(section("guides/tokens.md", "## Client authentication"))
    methods = []
    for cells in rows:
        method = CODE.findall(cells[0])[0]
        methods.append(method)
        value = eval(CODE.findall(cells[1])[0], dict(namespace))
        assert value.method == method, cells
        client = py_identity_model.Client("app", value)  # a valid Client value
        fields = CODE.findall(cells[2])[0]
        request = eval(f'ClientCredentialsTokenRequest(T, "app", {fields})', dict(namespace))
        resolved = request.resolved_client()
        assert type(resolved.auth) is type(client.auth), cells
        assert resolved.auth.method == method, cells
    assert sorted(methods) == sorted(CLIENT_AUTH_METHODS)


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
    value = eval(example, dict(namespace))
    if isinstance(value, TokenRequestOptions):
        request_client_credentials_token(value, http_client=_NoRequests())
    elif hasattr(value, "apply"):  # a client authentication value: apply it once
        value.apply("app", Parameters(), {}, endpoint=namespace["T"])


def test_token_misuse_table() -> None:
    """Every documented misuse raises ConfigurationException with the documented message."""
    from cryptography.hazmat.primitives.asymmetric import ec

    ec_key = JsonWebKey.from_key(ec.generate_private_key(ec.SECP256R1()))
    namespace = {
        **{name: getattr(py_identity_model, name) for name in py_identity_model.__all__},
        "T": "https://op.example/token",
        "EC_KEY": ec_key,
        "EC_PUBLIC_KEY": ec_key.public_jwk(),
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
    """The table lists exactly the library codes a login produces, with their error types."""
    from py_identity_model.errors import ErrorCodes
    from py_identity_model.login import flows, jarm as login_jarm

    rows = table_rows(section("guides/login.md", "### Error codes"))
    documented = {}
    for cells in rows:
        if cells[0].startswith("`"):  # other rows: the provider's and discovery's own codes
            (code,) = CODE.findall(cells[0])
            documented[code] = CODE.findall(cells[1])[0]
    source = inspect.getsource(flows) + inspect.getsource(login_jarm)
    produced = {
        getattr(ErrorCodes, name)
        for name in re.findall(r"_failed\(\s*ErrorCodes\.([A-Z_]+)", source)
    }
    produced |= set(flows._CALLBACK_ERRORS.values())
    assert set(documented) == produced
    for code, error_type in documented.items():
        assert LIBRARY_ERROR_CODES[code].error_type.value == error_type, code
    # The result's own docstring names no code the guide lacks.
    docstring = LoginResult.__doc__ or ""
    named = {code for code in LIBRARY_ERROR_CODES if f"``{code}``" in docstring}
    assert named <= set(documented)


def test_login_result_docstring_lists_every_code() -> None:
    rows = table_rows(section("guides/login.md", "### Error codes"))
    documented = {CODE.findall(cells[0])[0] for cells in rows if cells[0].startswith("`")}
    for code in documented:
        assert f"``{code}``" in (LoginResult.__doc__ or ""), code


# ----------------------------------------------------------------------------- errors


def test_error_codes_table_matches_the_registry() -> None:
    """docs/errors.md lists LIBRARY_ERROR_CODES exactly: same codes, types, meanings, order."""
    documented = []
    for cells in table_rows(section("errors.md", "## Library error codes")):
        (code,) = CODE.findall(cells[0])
        (error_type,) = CODE.findall(cells[1])
        documented.append((code, error_type, cells[2]))
    registered = [
        (code, info.error_type.value, info.meaning) for code, info in LIBRARY_ERROR_CODES.items()
    ]
    assert documented == registered
    # ... and the transport codes are named where the page explains them.
    text = section("errors.md", "## Library error codes")
    start = text.index("- **Transport codes.**")
    bullet = text[start : text.index("\n- **", start + 1)]
    named = {code for code in CODE.findall(bullet) if code in LIBRARY_ERROR_CODES}
    assert named == set(TRANSPORT_ERROR_CODES)


def test_error_types_table() -> None:
    rows = table_rows(section("errors.md", "### Error types"))
    assert [CODE.findall(cells[0])[0] for cells in rows] == [str(t) for t in ErrorType]


def exported_exceptions() -> dict[str, type[BaseException]]:
    """Every exception class ``py_identity_model`` exports."""
    found = {}
    for name in py_identity_model.__all__:
        value = getattr(py_identity_model, name)
        if isinstance(value, type) and issubclass(value, BaseException):
            found[name] = value
    return found


def public_bases(cls: type) -> set[str]:
    """The bases a reader sees: private helper bases replaced by theirs, redundant ones dropped."""
    bases: list[type] = []
    for base in cls.__bases__:
        if base.__name__.startswith("_"):
            bases.extend(getattr(py_identity_model, name) for name in public_bases(base))
        else:
            bases.append(base)
    return {
        base.__name__
        for base in bases
        if not any(other is not base and issubclass(other, base) for other in bases)
    }


NOT_RAISED = "not raised by this version"


def test_exception_tree_table() -> None:
    """Every exported exception has a row with its real bases and code; compat ones say so."""
    from py_identity_model import aio

    documented = {}
    for cells in table_rows(section("errors.md", "### The exception tree")):
        (name,) = CODE.findall(cells[0])
        (code,) = CODE.findall(cells[2])
        assert name not in documented, name
        documented[name] = (set(CODE.findall(cells[1])), code, cells[3])
    exported = exported_exceptions()
    assert set(documented) == set(exported)
    for name, cls in exported.items():
        bases, code, raised = documented[name]
        assert bases == public_bases(cls), name
        assert code == cls.code, name
        compat = cls.__module__ == "py_identity_model.compat"
        assert (NOT_RAISED in raised.lower()) == compat, name
        assert getattr(aio, name) is cls, name  # the async namespace exports the same classes


_TREE_LINE = re.compile(r"^([ │├└─]*)([A-Z]\w+)\s+([a-z_]+)(.*)$")


def test_exception_tree_drawing() -> None:
    """The drawn tree: every exported exception once, under a real base, with its code."""
    text = section("errors.md", "### The exception tree")
    block = text[text.index("```text\n") + 8 :]
    block = block[: block.index("```")]
    exported = exported_exceptions()
    parents: list[str] = []
    seen = set()
    for line in block.splitlines():
        match = _TREE_LINE.match(line)
        assert match, line
        prefix, name, code, rest = match.groups()
        depth = len(prefix) // 4
        cls = exported[name]
        assert code == cls.code, name
        parents[depth:] = [name]
        drawn = {parents[depth - 1]} if depth else {"Exception"}
        also = re.search(r"\(also (\w+)\)", rest)
        if also:
            drawn.add(also.group(1))
        assert drawn == public_bases(cls), name
        assert (NOT_RAISED in rest) == (cls.__module__ == "py_identity_model.compat"), name
        assert name not in seen, name
        seen.add(name)
    assert seen == set(exported)


# ------------------------------------------------------------------ reference coverage

# Modules that are implementation details: no reference page documents them.
INTERNAL_MODULES = {
    "py_identity_model._exports",
    "py_identity_model._logging",
    "py_identity_model._version",
    "py_identity_model.frontchannel._params",
    "py_identity_model.frontchannel._query",
    "py_identity_model.integrations._framework",  # what the Flask and Django glue share
    "py_identity_model.jose.jwk_members",
    "py_identity_model.jose.key_conversion",
    "py_identity_model.utils.redaction",
    "py_identity_model.utils.strict_json",
    "py_identity_model.validation.lazy",
}
_DIRECTIVE = re.compile(r"^::: ([\w.]+)", re.MULTILINE)


def test_reference_pages_cover_every_module() -> None:
    """Every module (not package) is rendered on a reference page, or is listed as internal;
    the pages render nothing that does not exist."""
    modules = {
        info.name
        for info in pkgutil.walk_packages(py_identity_model.__path__, "py_identity_model.")
        if not info.ispkg
    }
    rendered = set()
    for page in (DOCS_DIR / "reference").rglob("*.md"):
        rendered |= set(_DIRECTIVE.findall(page.read_text("utf-8")))
    assert modules - INTERNAL_MODULES - rendered == set()
    assert INTERNAL_MODULES <= modules
    packages = {
        info.name
        for info in pkgutil.walk_packages(py_identity_model.__path__, "py_identity_model.")
        if info.ispkg
    } | {"py_identity_model"}
    for target in rendered:  # a module, a package, or an object inside one
        owner = target
        while owner not in modules | packages:
            assert "." in owner, target
            owner = owner.rsplit(".", 1)[0]
