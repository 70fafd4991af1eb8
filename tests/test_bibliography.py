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


_INTERNAL = re.compile(r"§|DOMAIN\.md|measures-and-progress|ipt-clinical-model")


def _user_pages() -> list[Path]:
    pages = [path for path in (ROOT / "docs").rglob("*.md") if path.name != "changelog.md"]
    return [*pages, ROOT / "README.md"]


def test_the_pattern_finds_an_internal_citation() -> None:
    for text in ("(§1.3)", "see DOMAIN.md", "measures-and-progress §6", "ipt-clinical-model.md"):
        assert _INTERNAL.search(text), text
    assert not _INTERNAL.search("Simon 2013; Rossom 2017 (S36; see the bibliography)")


def test_user_docs_cite_published_sources_not_internal_notes() -> None:
    pages = _user_pages()
    assert len(pages) > 10, "the docs pages were not found"
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in pages
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _INTERNAL.search(line)
    ]
    assert not found, f"internal notes cited (use the bibliography's sources): {found}"


def test_protocol_and_instrument_data_cite_published_sources_not_internal_notes() -> None:
    import attrs

    import ipt_core
    from ipt_core import measures, protocols

    documents = [ipt_core.dumps(protocol).decode("utf-8") for protocol in protocols.all()]
    instruments = [repr(attrs.asdict(instrument)) for instrument in measures.all_instruments()]
    text = "\n".join([*documents, *instruments])
    assert "Stanley & Brown 2012" in text, "the protocols no longer carry their sources"
    assert "Kroenke" in text, "the instruments no longer carry their sources"
    assert not _INTERNAL.search(text)
