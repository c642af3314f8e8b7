"""The tables in the docs match the code they describe.

A default changed in ``LibraryOptions``, ``DiscoveryPolicy`` or ``TokenValidationConfig``, an
``options`` switch, an exception ``code`` or an algorithm in the registry must change the docs
too; these tests fail until it does.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

import py_identity_model
from py_identity_model import (
    ConfigurationException,
    DiscoveryPolicy,
    LibraryOptions,
    RetryPolicy,
    TokenValidationConfig,
    TokenValidationException,
)
from py_identity_model.jose import ALGORITHMS
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
