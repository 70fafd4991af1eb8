"""The model reference page is generated from the model and never drifts from it."""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path

import attrs

from ipt_core import _hints
from ipt_core.boundary.documents import ROOT_KINDS
from ipt_core.boundary.reference import model_reference, records
from ipt_core.domain.problem_areas import AREA_TYPES
from ipt_core.errors import ProblemCode

AREAS = frozenset(AREA_TYPES.values())
PAGE = Path(__file__).parent.parent / "docs" / "reference" / "model.md"


def test_the_page_in_the_docs_is_the_generated_one() -> None:
    # Regenerate with: python -m ipt_core.boundary.reference docs/reference/model.md
    assert PAGE.read_text(encoding="utf-8") == model_reference(), "docs/reference/model.md is stale"


def _section(page: str, name: str) -> str:
    start = page.index(f"\n### {name}\n")
    ends = [i for i in (page.find("\n### ", start + 1), page.find("\n## ", start + 1)) if i != -1]
    return page[start : min(ends, default=len(page))]


def test_every_field_of_every_record_has_a_row() -> None:
    page = model_reference()
    for cls in records():
        section = _section(page, cls.__name__)
        rows = re.findall(r"^\| `([a-z_0-9]+)` \|", section, flags=re.MULTILINE)
        names = [f.name for f in attrs.fields(cls)]
        envelope = ["kind", "schema_version"] if cls in ROOT_KINDS else ["area"] if cls in AREAS else []
        assert rows == envelope + names, cls.__name__


def test_every_member_of_every_enum_in_the_model_is_listed() -> None:
    page = model_reference()
    seen: set[type[Enum]] = set()
    for cls in records():
        for field in attrs.fields(cls):
            for enum in _enums(field.type):
                seen.add(enum)
    from ipt_core import DisputeStage, EventKind, Phase, RelationshipCategory

    assert {DisputeStage, EventKind, RelationshipCategory} <= seen
    every: list[type[Enum]] = [*seen, Phase]
    for enum in every:
        section = _section(page, enum.__name__)
        assert [m.value for m in enum] == re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE)


def _enums(tp: object) -> list[type[Enum]]:
    from typing import get_args

    if isinstance(tp, type) and issubclass(tp, Enum):
        return [tp]
    return [e for arg in get_args(tp) for e in _enums(arg)]


def test_problem_areas_show_their_lay_labels() -> None:
    section = _section(model_reference(), "AreaKind")
    assert "| `role_transition` | a life change |" in section


def test_every_problem_code_says_what_triggers_it_and_how_to_fix_it() -> None:
    codes = [v for k, v in vars(ProblemCode).items() if k.isupper()]
    assert set(_hints.FIXES) == set(codes)
    page = model_reference()
    for code in codes:
        (row,) = [line for line in page.splitlines() if line.startswith(f"| `{code}` |")]
        found_when, how = row.split(" | ")[1:3]
        assert found_when.strip()
        assert how.strip()


def test_sensitive_fields_are_marked() -> None:
    section = _section(model_reference(), "Person")
    alias = next(line for line in section.splitlines() if line.startswith("| `alias` |"))
    assert "**sensitive**" in alias
    category = next(line for line in section.splitlines() if line.startswith("| `category` |"))
    assert "**sensitive**" not in category
    assert "[RelationshipCategory](#relationshipcategory)" in category
