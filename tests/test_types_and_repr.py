"""Types tell the truth: what mypy refuses, construction refuses; short, safe reprs and summaries.

The ``# type: ignore[arg-type]`` comments below are half of each test: mypy (strict, with unused
ignores reported) fails if it stops refusing the call, and the test fails if the running code
stops refusing it.
"""

from __future__ import annotations

import inspect
import re
from datetime import date

import attrs
import pytest
from hypothesis import given, settings

import ipt_core
from _boundary_helpers import SENTINEL, fill_sentinels, rich_case
from ipt_core import (
    Case,
    FuzzyDate,
    InstrumentAnswers,
    LifeEvent,
    Person,
    ProblemCode,
    RelationshipCategory,
    SessionRecord,
    ValidationError,
)
from ipt_core.boundary.reference import records
from ipt_core.testing import cases, sample_case


@pytest.mark.parametrize("cls", records(), ids=lambda c: c.__name__)
def test_every_constructor_shows_the_field_types(cls: type[object]) -> None:
    declared: dict[str, object] = {}
    for klass in reversed(cls.__mro__):
        declared.update(inspect.get_annotations(klass))
    signature = inspect.signature(cls)
    assert list(signature.parameters) == [f.name for f in attrs.fields(cls)]  # type: ignore[arg-type]
    for name, parameter in signature.parameters.items():
        assert parameter.annotation == declared[name], name


def test_help_on_person_shows_the_category_type() -> None:
    assert inspect.signature(Person).parameters["category"].annotation == "RelationshipCategory"


def test_a_list_for_measures_is_refused_as_mypy_refuses_it() -> None:
    record = InstrumentAnswers("phq9", (0,) * 9)
    with pytest.raises(ValidationError) as excinfo:
        SessionRecord(number=1, date=date(2025, 1, 6), measures=[record])  # type: ignore[arg-type]
    (problem,) = excinfo.value.problems
    assert (problem.path, problem.code) == ("$.measures", ProblemCode.WRONG_TYPE)
    assert "tuple" in problem.message
    assert SessionRecord(number=1, date=date(2025, 1, 6), measures=(record,)).measures == (record,)


def test_a_list_of_answers_is_refused() -> None:
    with pytest.raises(ValidationError):
        InstrumentAnswers("phq9", [0] * 9)  # type: ignore[arg-type]


def test_a_category_given_as_text_is_refused() -> None:
    with pytest.raises(ValidationError) as excinfo:
        Person(id="p1", alias="Sam", category="partner")  # type: ignore[arg-type]
    assert excinfo.value.problems[0].code == ProblemCode.NOT_ALLOWED
    assert (
        Person(id="p1", alias="Sam", category=RelationshipCategory.PARTNER).category
        is RelationshipCategory.PARTNER
    )


def test_an_approximate_date_given_as_text_is_refused() -> None:
    with pytest.raises(ValidationError) as excinfo:
        LifeEvent(id="e1", kind=ipt_core.EventKind.MOVE, when="2024-09")  # type: ignore[arg-type]
    assert "FuzzyDate.parse" in excinfo.value.problems[0].message
    event = LifeEvent(id="e1", kind=ipt_core.EventKind.MOVE, when=FuzzyDate.parse("2024-09"))
    assert str(event.when) == "2024-09"


def test_loads_still_reads_json_lists() -> None:
    case = sample_case()
    assert ipt_core.loads(ipt_core.dumps(case)) == case
    assert isinstance(case.sessions, tuple)


# -- repr and summary ---------------------------------------------------------------------------


def test_the_repr_of_a_case_is_short_and_names_what_matters() -> None:
    case = sample_case()
    text = repr(case)
    assert text == (
        f"Case(id='sample-0', protocol='standard', phase={case.phase.value!r}, "
        f"people={len(case.inventory.people)}, events=2, areas=2, sessions={len(case.sessions)})"
    )
    assert len(text) < 150


@settings(max_examples=30, deadline=None)
@given(cases(max_sessions=6, max_people=4))
def test_repr_and_summary_hold_no_sensitive_value(case: Case) -> None:
    filled = fill_sentinels(case)
    for text in (repr(filled), filled.summary()):
        assert SENTINEL not in text
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text), "a date (sensitive) in a short form"
    assert len(repr(filled)) < 200


def test_the_summary_of_a_rich_case_reads_as_words() -> None:
    case = rich_case()
    summary = case.summary()
    lines = summary.splitlines()
    assert lines[0] == f"Case {case.id}: protocol standard, phase {case.phase.value.replace('_', ' ')}"
    assert "  formulation: focus role dispute (a1)" in summary
    assert f"  sessions: {len(case.sessions)} recorded" in summary
    assert "latest scores (session" in summary
    assert "PHQ-9" in summary
    for literal in ("None", "True", "False", "()", "[]"):
        assert literal not in summary
    assert SENTINEL not in repr(fill_sentinels(case))


def test_sensitive_texts_stay_out_of_the_reprs_of_records() -> None:
    case = fill_sentinels(rich_case())
    for person in case.inventory.people:
        assert SENTINEL not in repr(person)
    for session in case.sessions:
        assert SENTINEL not in repr(session)


def test_protocols_and_inventories_have_short_reprs() -> None:
    standard = ipt_core.protocols.get("standard")
    assert repr(standard) == (
        f"Protocol(id='standard', delivery='individual', sessions='{standard.sessions.min_sessions} to "
        f"{standard.sessions.max_sessions}', phases={len(standard.phases)}, areas={len(standard.areas)}, "
        f"tasks={len(standard.tasks)})"
    )
    for protocol in ipt_core.protocols.all():
        assert len(repr(protocol)) < 160
    inventory = sample_case(people=12).inventory
    assert repr(inventory) == "InterpersonalInventory(people=12, rings=3)"
