"""Every Python block of the docs and the README runs, page by page, in order: the docs cannot drift.

The blocks of one page share one namespace, run in a temporary folder. Markers (HTML comments,
invisible in the rendered docs), each on the line before a block:

- ``<!-- docs-test: skip -->`` before a ```` ```python ```` block: a sketch not meant to run (it says
  why in the text around it);
- ``<!-- docs-test: output -->`` before a ```` ```text ```` block: what the Python block just above
  printed, compared exactly;
- ``<!-- docs-test: setup`` ... ``-->``: code run before the page's next block and not shown (the
  variables a fragment assumes, such as ``case``).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import attrs
import pytest

ROOT = Path(__file__).parent.parent
PAGES = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_SETUP = re.compile(r"<!-- docs-test: setup\n(.*?)-->", re.DOTALL)
SKIP = "<!-- docs-test: skip -->"
OUTPUT = "<!-- docs-test: output -->"


@attrs.frozen
class Block:
    """One thing to do on a page: run code (``python`` / ``setup``) or compare ``output``."""

    kind: str
    code: str
    line: int


def blocks(text: str) -> list[Block]:
    """The page's blocks to run or compare, in page order."""
    found: list[tuple[int, Block]] = []
    for match in _SETUP.finditer(text):
        found.append((match.start(), Block("setup", match.group(1), text.count("\n", 0, match.start()) + 1)))
    for match in _FENCE.finditer(text):
        language, body = match.group(1), match.group(2)
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1].strip()
        line = text.count("\n", 0, match.start()) + 1
        if language == "python" and before != SKIP:
            found.append((match.start(), Block("python", body, line)))
        elif language == "text" and before == OUTPUT:
            found.append((match.start(), Block("output", body, line)))
    return [block for _, block in sorted(found, key=lambda pair: pair[0])]


def test_the_markers_are_read() -> None:
    page = (
        "<!-- docs-test: setup\nx = 2\n-->\n\n```python\nprint(x)\n```\n\n"
        "<!-- docs-test: output -->\n```text\n2\n```\n\n<!-- docs-test: skip -->\n```python\nnope(\n```\n"
    )
    assert [b.kind for b in blocks(page)] == ["setup", "python", "output"]


def _pages_with_code() -> list[Path]:
    return [page for page in PAGES if blocks(page.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("page", _pages_with_code(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_code_of_the_page_runs(page: Path, tmp_path: Path) -> None:
    namespace: dict[str, object] = {"__name__": "__docs__"}
    printed = ""
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        for block in blocks(page.read_text(encoding="utf-8")):
            where = f"{page.relative_to(ROOT)}:{block.line}"
            if block.kind == "output":
                assert printed.rstrip("\n") == block.code.rstrip("\n"), f"the output shown at {where} differs"
                continue
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(block.code, where, "exec"), namespace)  # noqa: S102 - the docs' own code
            printed = out.getvalue()
    finally:
        os.chdir(previous)
