"""Rewrite the "Library error codes" table of docs/errors.md from ``LIBRARY_ERROR_CODES``.

Run ``python scripts/gen_error_codes.py`` after adding a code to ``errors.py``;
tests/docs/test_docs_tables.py fails while the two differ.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from py_identity_model.errors import LIBRARY_ERROR_CODES

PAGE = ROOT / "docs" / "errors.md"
HEADER = "| Code | Error type | Meaning |"


def main() -> None:
    lines = PAGE.read_text("utf-8").split("\n")
    start = lines.index(HEADER)
    end = start + 2
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    rows = [
        f"| `{code}` | `{info.error_type.value}` | {info.meaning} |"
        for code, info in LIBRARY_ERROR_CODES.items()
    ]
    lines[start + 2 : end] = rows
    PAGE.write_text("\n".join(lines), "utf-8")


if __name__ == "__main__":
    main()
