"""Every source tag the code and the docs cite resolves to an entry of the bibliography page."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_TAG = re.compile(r"(?<![\w-])S(\d{1,2})(?![\w-])")


def _cited() -> set[str]:
    found: set[str] = set()
    for folder, pattern in (("src/ipt_core", "*.py"), ("docs", "*.md"), ("examples", "*.py")):
        for path in (ROOT / folder).rglob(pattern):
            if path.name in {"bibliography.md", "changelog.md"}:
                continue
            found.update(f"S{n}" for n in _TAG.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_cited_tag_is_in_the_bibliography() -> None:
    page = (ROOT / "docs" / "bibliography.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"\*\*(S\d{1,2})\*\*", page))
    cited = _cited()
    assert cited, "the tag pattern found no citations at all"
    assert cited <= listed, f"cited but not in docs/bibliography.md: {sorted(cited - listed)}"


def test_the_bibliography_is_in_the_docs_navigation() -> None:
    assert "bibliography.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
