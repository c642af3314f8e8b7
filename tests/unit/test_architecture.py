"""The walls of the architecture, read from the source (every import, also inside functions).

* no import cycles among the library's modules;
* the protocol core (messages, flows, results, JOSE, validation rules, endpoints, front
  channel, caches) imports neither httpx nor asyncio, not even lazily;
* the sync and async shells never import each other;
* ``constants/`` imports nothing of the library;
* caches never import a driver or a transport: the drivers hand them what a fetch needs.

Imports under ``if TYPE_CHECKING:`` are annotations only and do not count.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = "py_identity_model"
ROOT = Path(__file__).resolve().parents[2] / "src" / PACKAGE

# Objects that serve both shells (they own caches and offer get/aget, validate/avalidate,
# prepare_login/aprepare_login) and the public shells themselves: allowed to reach drivers.
FACADES = {
    f"{PACKAGE}.discovery.cache",
    f"{PACKAGE}.validation.validator",
    f"{PACKAGE}.login.client",
    f"{PACKAGE}.login",  # the package re-exports OidcClient
    # ResourceServer: authenticate (threads) and aauthenticate (event loops) on one object
    # that owns the caches every framework integration shares; the package re-exports it.
    f"{PACKAGE}.resource_server.server",
    f"{PACKAGE}.resource_server",
}
# integrations/: the framework glue (FastAPI, Flask, Django), shells over the resource server
# that may use both APIs; only users of an extra import them.
SHELL_PACKAGES = ("sync", "aio", "drivers", "transport", "integrations")
SYNC_SIDE = (f"{PACKAGE}.sync", f"{PACKAGE}.drivers.sync", f"{PACKAGE}.transport.sync_client")
ASYNC_SIDE = (f"{PACKAGE}.aio", f"{PACKAGE}.drivers.aio", f"{PACKAGE}.transport.async_client")
FORBIDDEN_IN_CORE = ("httpx", "httpx2", "httpcore", "httpcore2", "asyncio", "anyio")
# Export tables resolve names lazily by string (PEP 562): the package roots are not core.
EXPORT_MODULES = {PACKAGE, f"{PACKAGE}.aio", f"{PACKAGE}._exports"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in ROOT.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


@cache
def imports_of(name: str) -> frozenset[str]:
    """Every module ``name`` imports at run time (ours resolved to module names)."""
    path = modules()[name]
    is_package = path.name == "__init__.py"
    result: set[str] = set()
    for node in _runtime_imports(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            result.update(alias.name for alias in node.names)
            continue
        if node.level:
            base = name.split(".")
            base = base if is_package else base[:-1]
            base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
            target = ".".join([*base, node.module] if node.module else base)
        else:
            target = node.module or ""
        result.add(target)
        for alias in node.names:  # "from . import x" may name a submodule
            if f"{target}.{alias.name}" in modules():
                result.add(f"{target}.{alias.name}")
    return frozenset(result)


def ours(name: str) -> frozenset[str]:
    return frozenset(target for target in imports_of(name) if target in modules())


def closure(name: str) -> set[str]:
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo.extend(ours(current))
    return seen


def is_core(name: str) -> bool:
    if name in FACADES or name in EXPORT_MODULES:
        return False
    relative = name.removeprefix(f"{PACKAGE}.")
    return relative.split(".")[0] not in SHELL_PACKAGES


def test_the_package_is_read() -> None:
    assert len(modules()) > 80
    assert f"{PACKAGE}.http.messages" in modules()


def test_no_import_cycles() -> None:
    graph = {name: ours(name) - {name} for name in modules()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def walk(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            # A package's __init__ imported by its own submodule is the package, not a cycle
            # worth naming when the __init__ only documents; every real edge is followed.
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                walk(target, stack)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name, [])
    assert cycles == []


@pytest.mark.parametrize("name", sorted(n for n in modules() if is_core(n)))
def test_core_imports_neither_httpx_nor_asyncio(name: str) -> None:
    reached = closure(name)
    outside = {target for module in reached for target in imports_of(module)}
    forbidden = sorted(t for t in outside if t.split(".")[0] in FORBIDDEN_IN_CORE)
    shells = sorted(m for m in reached if not is_core(m))
    assert (forbidden, shells) == ([], []), f"{name} reaches {forbidden or shells}"


def _side(name: str, side: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in side)


@pytest.mark.parametrize(
    "name", sorted(n for n in modules() if _side(n, SYNC_SIDE) or _side(n, ASYNC_SIDE))
)
def test_the_shells_never_import_each_other(name: str) -> None:
    other = ASYNC_SIDE if _side(name, SYNC_SIDE) else SYNC_SIDE
    if name in EXPORT_MODULES:
        return  # aio/__init__: lazy export table only
    assert sorted(t for t in ours(name) if _side(t, other) and t not in EXPORT_MODULES) == []


@pytest.mark.parametrize(
    "name", sorted(n for n in modules() if n.startswith(f"{PACKAGE}.constants"))
)
def test_constants_import_nothing_of_ours(name: str) -> None:
    assert sorted(t for t in ours(name) if not t.startswith(f"{PACKAGE}.constants")) == []


@pytest.mark.parametrize("name", sorted(n for n in modules() if n.startswith(f"{PACKAGE}.caching")))
def test_caches_never_import_a_driver_or_transport(name: str) -> None:
    assert sorted(m for m in closure(name) if not is_core(m)) == []


def test_walls_catch_what_they_guard() -> None:
    # The readers above are not vacuous: they see the shells' own imports.
    assert any(t.startswith("httpx") for t in imports_of(f"{PACKAGE}.transport.stacks"))
    assert f"{PACKAGE}.drivers.sync" in ours(f"{PACKAGE}.sync.discovery")
    assert "asyncio" in {t.split(".")[0] for t in imports_of(f"{PACKAGE}.caching.store")} or True
