"""Regenerate ``py_identity_model/__init__.py`` and ``aio/__init__.py`` from ``_exports.py``.

The package ``__init__`` files resolve names lazily (PEP 562) and repeat them under
``TYPE_CHECKING`` for type checkers and IDEs; this script keeps both in step with the one
table. Run ``python scripts/gen_exports.py`` after editing ``_exports.py``.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "src" / "py_identity_model"

GETATTR = '''

def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # resolve once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
'''


def render(table: dict[str, str], docstring: str, header: list[str], all_line: str) -> str:
    lines = [docstring, "", "from __future__ import annotations", "", "import importlib"]
    if "logging." in "".join(header):
        lines.append("import logging")
    lines += ["from typing import TYPE_CHECKING, Any", "", *header, "", "if TYPE_CHECKING:"]
    by_module: dict[str, list[str]] = {}
    for name, module in table.items():
        by_module.setdefault(module, []).append(name)
    for module, names in sorted(by_module.items()):
        lines.append(f"    from {module} import (")
        lines += [f"        {name} as {name}," for name in sorted(names)]
        lines.append("    )")
    names = sorted(table) if all_line == "aio" else ["__version__", *sorted(table)]
    all_block = ["__all__ = [", *[f'    "{name}",' for name in names], "]"]
    return "\n".join([*lines, "", *all_block]) + GETATTR


def main() -> None:
    spec = importlib.util.spec_from_file_location("exports", ROOT / "_exports.py")
    assert spec is not None
    assert spec.loader is not None
    exports = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(exports)
    (ROOT / "__init__.py").write_text(
        render(
            exports.SYNC,
            '"""py-identity-model: an OAuth 2.0 and OpenID Connect client library (sync API).\n\n'
            'The async twin of every I/O function lives in :mod:`py_identity_model.aio`.\n"""',
            ["from ._exports import SYNC as _EXPORTS", "from ._version import __version__"],
            "sync",
        )
    )
    (ROOT / "aio" / "__init__.py").write_text(
        render(
            exports.ASYNC,
            '"""The async API: ``async def`` twins of every I/O function, plus all model classes.\n\n'
            "Usage: ``from py_identity_model import aio`` then\n"
            '``await aio.get_discovery_document(req)``.\n"""',
            ["from .._exports import ASYNC as _EXPORTS"],
            "aio",
        )
    )
    targets = [str(ROOT / "__init__.py"), str(ROOT / "aio" / "__init__.py")]
    ruff = [sys.executable, "-m", "ruff"]
    subprocess.run([*ruff, "check", "--fix", "-q", *targets], check=False)  # noqa: S603
    subprocess.run([*ruff, "format", "-q", *targets], check=True)  # noqa: S603


if __name__ == "__main__":
    main()
