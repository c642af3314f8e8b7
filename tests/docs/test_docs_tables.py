"""The tables of defaults in the docs match the code they describe.

A default changed in ``LibraryOptions`` or ``DiscoveryPolicy`` must change the docs too; these
tests fail until it does.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from py_identity_model import DiscoveryPolicy, LibraryOptions, RetryPolicy

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
