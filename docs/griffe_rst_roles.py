"""A docs-build-only griffe extension: render the reST bits of the library's docstrings.

The library's docstrings are Google style, but some use Sphinx roles (``:class:`~a.b.C```)
and reST literal blocks (``Example::`` followed by an indented block). mkdocstrings renders
Markdown, where both would show up verbatim. This extension rewrites them before the
docstrings are parsed:

* ``:role:`~pkg.mod.Name``` -> `` `Name` ``; ``:role:`pkg.mod.Name``` -> `` `pkg.mod.Name` ``;
  ``:role:`title <target>``` -> `` `title` ``; a leading ``.`` (relative name) is dropped.
* ``text::`` followed by an indented block -> ``text:`` and a fenced Python code block
  (``Example::`` becomes ``For example:`` so griffe does not read it as a section title).

Roles become code spans, not cross-references: a reference to a name that no page renders
would be a broken link, which ``mkdocs build --strict`` rejects.

It is loaded from mkdocs.yml (``extensions: [docs/griffe_rst_roles.py]``) and never shipped.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|mod|func|data|meth|attr|exc|obj|const):`([^`]+)`")
_EXAMPLE_TITLE = re.compile(r"^(\s*)(Examples?)::\s*$")


def _role_text(match: re.Match[str]) -> str:
    target = match.group(1).strip()
    titled = re.fullmatch(r"(.+?)\s*<([^>]+)>", target)
    if titled:
        return f"`{titled.group(1)}`"
    if target.startswith("~"):
        target = target[1:].rsplit(".", 1)[-1]
    return f"`{target.lstrip('.')}`"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _literal_blocks(text: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.rstrip().endswith("::") or line.strip() == "::":
            out.append(line)
            i += 1
            continue
        base = _indent(line)
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        block_end = j
        while block_end < len(lines) and (
            not lines[block_end].strip() or _indent(lines[block_end]) > base
        ):
            block_end += 1
        while block_end > j and not lines[block_end - 1].strip():
            block_end -= 1
        if block_end == j:  # no indented block follows: just drop the second colon
            out.append(line.rstrip()[:-1])
            i += 1
            continue
        title = _EXAMPLE_TITLE.match(line)
        out.append(f"{title.group(1)}For example:" if title else line.rstrip()[:-1])
        block = lines[j:block_end]
        strip = min(_indent(b) for b in block if b.strip())
        pad = " " * base
        out.append("")
        first = next(b for b in block if b.strip()).strip()
        out.append(f"{pad}```{'pycon' if first.startswith('>>>') else 'python'}")
        out.extend(f"{pad}{b[strip:]}" if b.strip() else "" for b in block)
        out.append(f"{pad}```")
        i = block_end
    return "\n".join(out)


def rewrite(text: str) -> str:
    """The docstring ``text`` with reST roles and literal blocks made Markdown."""
    return _literal_blocks(_ROLE.sub(_role_text, text))


class RestRoles(griffe.Extension):
    """Rewrites every docstring once the object tree is built."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        docstring = obj.docstring
        if docstring is not None and docstring.value:
            docstring.value = rewrite(docstring.value)
