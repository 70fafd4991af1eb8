"""Every invariant of the Case aggregate: broken ones raise ValidationError with a path and a code."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import ipt_core
from ipt_core import (
    Case,
    DisputeStage,
    Formulation,
    Grief,
    InterpersonalDeficits,
    Person,
    ProblemCode,
    RelationshipCategory,
    RoleDispute,
    SessionRecord,
    ValidationError,
)
from ipt_core.testing import cases, sample_case


def _codes(excinfo: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {p.code for p in excinfo.value.problems}


def _paths(excinfo: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {p.path for p in excinfo.value.problems}


@given(cases())
def test_generated_cases_satisfy_every_invariant(case: Case) -> None:
    # Rebuilding from the fields runs every check again.
    assert attrs.evolve(case) == case


@given(cases(), st.data())
def test_duplicate_person_ids_are_refused(case: Case, data: st.DataObject) -> None:
    assume(len(case.inventory.people) >= 1)
    person = data.draw(st.sampled_from(case.inventory.people))
    with pytest.raises(ValidationError) as excinfo:
        attrs.evolve(case.inventory, people=(*case.inventory.people, person))
    assert ProblemCode.DUPLICATE_ID in _codes(excinfo)
    assert f"$.people[{len(case.inventory.people)}].id" in _paths(excinfo)


@given(cases(), st.data())
def test_duplicate_event_ids_are_refused(case: Case, data: st.DataObject) -> None:
    assume(case.timeline.events)
    event = data.draw(st.sampled_from(case.timeline.events))
    with pytest.raises(ValidationError) as excinfo:
        attrs.evolve(case.timeline, events=(*case.timeline.events, event))
    assert _codes(excinfo) == {ProblemCode.DUPLICATE_ID}


@given(cases())
def test_a_reference_to_an_unknown_person_is_refused(case: Case) -> None:
    event = ipt_core.LifeEvent(
        id="zz-new-event",
        kind=ipt_core.EventKind.MOVE,
        when=ipt_core.FuzzyDate(2020),
        people=("zz-nobody",),
    )
    assume("zz-new-event" not in case.timeline.ids())
    with pytest.raises(ValidationError) as excinfo:
        case.with_event(event)
    problem = excinfo.value.problems[0]
    assert problem.code == ProblemCode.DANGLING_REFERENCE
    assert problem.path == f"$.timeline.events[{len(case.timeline.events)}].people[0]"


@given(cases())
def test_removing_a_referenced_person_is_refused(case: Case) -> None:
    referenced = {target for _, kind, target in ipt_core.domain._fields.iter_refs(case) if kind == "person"}
    assume(referenced)
    kept = tuple(p for p in case.inventory.people if p.id not in referenced)
    with pytest.raises(ValidationError) as excinfo:
        attrs.evolve(case, inventory=attrs.evolve(case.inventory, people=kept))
    assert _codes(excinfo) == {ProblemCode.DANGLING_REFERENCE}


@given(cases())
def test_session_numbers_must_strictly_increase(case: Case) -> None:
    assume(case.sessions)
    last = case.sessions[-1]
    with pytest.raises(ValidationError) as excinfo:
        case.with_session(attrs.evolve(last, number=last.number))
    assert ProblemCode.ORDER in _codes(excinfo)
    assert f"$.sessions[{len(case.sessions)}].number" in _paths(excinfo)


@given(cases(), st.integers(1, 400))
def test_session_dates_never_go_backwards(case: Case, days: int) -> None:
    assume(case.sessions and case.sessions[-1].date > date.min + timedelta(days=days))
    last = case.sessions[-1]
    earlier = SessionRecord(number=last.number + 1, date=last.date - timedelta(days=days))
    with pytest.raises(ValidationError) as excinfo:
        case.with_session(earlier)
    assert excinfo.value.problems[0].path == f"$.sessions[{len(case.sessions)}].date"


def _with_focus(case: Case, *areas: ipt_core.ProblemArea) -> Case:
    return case.with_formulation(Formulation(focus=areas))


def test_grief_must_refer_to_a_deceased_person() -> None:
    case = sample_case(sessions=0, people=2)
    with pytest.raises(ValidationError) as excinfo:
        _with_focus(case, Grief(id="g", deceased="p2"))
    assert excinfo.value.problems[0].code == ProblemCode.INCONSISTENT
    assert excinfo.value.problems[0].path == "$.formulation.focus[0].deceased"
    dead = attrs.evolve(case.inventory.person("p2"), deceased=True)
    assert _with_focus(case.with_person(dead), Grief(id="g", deceased="p2")).focal_areas()


def test_a_dispute_is_with_a_living_person() -> None:
    case = sample_case(sessions=0, people=2)
    dead = attrs.evolve(case.inventory.person("p2"), deceased=True)
    dispute = RoleDispute(id="d", other_party="p2", stage=DisputeStage.IMPASSE)
    with pytest.raises(ValidationError) as excinfo:
        _with_focus(case.with_person(dead), dispute)
    assert excinfo.value.problems[0].path == "$.formulation.focus[0].other_party"


def test_at_most_two_focal_areas() -> None:
    areas = tuple(InterpersonalDeficits(id=f"a{i}") for i in range(3))
    with pytest.raises(ValidationError) as excinfo:
        Formulation(focus=areas)
    assert excinfo.value.problems[0].code == ProblemCode.TOO_LONG
    assert Formulation(focus=areas[:2]).focus == areas[:2]


def test_area_ids_are_unique_across_focus_and_other_areas() -> None:
    case = sample_case(sessions=0, people=1)
    with pytest.raises(ValidationError) as excinfo:
        case.with_formulation(
            Formulation(focus=(InterpersonalDeficits(id="a"),), other_areas=(InterpersonalDeficits(id="a"),))
        )
    assert excinfo.value.problems[0].path == "$.formulation.other_areas[0].id"


def test_agreement_needs_a_presented_formulation_with_a_focus() -> None:
    day = date(2025, 1, 1)
    with pytest.raises(ValidationError):
        Formulation(focus=(InterpersonalDeficits(id="a"),), agreed_on=day)
    with pytest.raises(ValidationError) as excinfo:
        Formulation(focus=(InterpersonalDeficits(id="a"),), presented_on=day, agreed_on=day - timedelta(1))
    assert excinfo.value.problems[0].code == ProblemCode.ORDER
    with pytest.raises(ValidationError):
        Formulation(presented_on=day, agreed_on=day)


def test_dispute_stage_is_the_last_recorded_one() -> None:
    dispute = RoleDispute(id="d", other_party="p1", stage=DisputeStage.RENEGOTIATION)
    moved = dispute.with_stage("impasse", on=date(2025, 2, 1))
    assert moved.stage is DisputeStage.IMPASSE
    with pytest.raises(ValidationError) as excinfo:
        attrs.evolve(moved, stage=DisputeStage.DISSOLUTION)
    assert excinfo.value.problems[0].path == "$.stage"
    with pytest.raises(ValidationError):
        moved.with_stage("impasse", on=date(2025, 1, 1))


def test_contract_changes_only_by_recorded_renegotiation() -> None:
    case = sample_case(sessions=4, people=1)
    changed = case.renegotiate(on=date(2025, 3, 1), planned_sessions=20, reason="slow start")
    assert changed.contract.current_sessions == 20
    assert changed.contract.planned_sessions == case.contract.planned_sessions
    assert changed.contract.renegotiations[-1].reason == "slow start"
    not_agreed = attrs.evolve(case.contract, agreed_on=None)
    with pytest.raises(ValidationError):
        not_agreed.renegotiate(on=date(2025, 3, 1), planned_sessions=10, reason="x")


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("alias", "", ProblemCode.TOO_SHORT),
        ("alias", "x" * 81, ProblemCode.TOO_LONG),
        ("id", "has space", ProblemCode.PATTERN),
        ("ring", 5, ProblemCode.OUT_OF_RANGE),
        ("ring", True, ProblemCode.WRONG_TYPE),
        ("category", "neighbour", ProblemCode.NOT_ALLOWED),
        ("supportive", "yes", ProblemCode.WRONG_TYPE),
        ("deceased", None, ProblemCode.WRONG_TYPE),
    ],
)
def test_person_fields_are_checked_when_built(field: str, value: object, code: str) -> None:
    fields: dict[str, object] = {"id": "p1", "alias": "Sam", "category": RelationshipCategory.PARTNER}
    fields[field] = value
    with pytest.raises(ValidationError) as excinfo:
        Person(**fields)  # type: ignore[arg-type]
    assert excinfo.value.problems[0] == ipt_core.Problem(
        f"$.{field}", code, excinfo.value.problems[0].message
    )
    if isinstance(value, str) and len(value) > 2:
        assert value not in str(excinfo.value)
        assert value not in repr(excinfo.value)


def test_a_ring_beyond_the_circle_is_refused() -> None:
    person = Person(id="p", alias="A", category=RelationshipCategory.FRIEND, ring=4)
    with pytest.raises(ValidationError) as excinfo:
        ipt_core.InterpersonalInventory(people=(person,), rings=3)
    assert excinfo.value.problems[0].path == "$.people[0].ring"
    assert ipt_core.InterpersonalInventory(people=(person,), rings=4).circle()[4] == (person,)


def test_dangling_termination_and_task_sessions_are_refused() -> None:
    case = sample_case(sessions=3, people=1)
    with pytest.raises(ValidationError) as excinfo:
        attrs.evolve(case, termination=ipt_core.TerminationReview(announced_in_session=9))
    assert excinfo.value.problems[0].path == "$.termination.announced_in_session"
    with pytest.raises(ValidationError):
        case.with_task(ipt_core.TaskRecord("sick_role", on=date(2025, 1, 1), session=42))


def test_session_focus_area_must_exist() -> None:
    case = sample_case(sessions=3, people=1)
    with pytest.raises(ValidationError) as excinfo:
        case.with_session(SessionRecord(number=4, date=date(2025, 6, 1), focus_area="nope"))
    assert excinfo.value.problems[0].path == "$.sessions[3].focus_area"


def test_answers_to_a_known_instrument_must_fit_it() -> None:
    case = sample_case(sessions=2, people=1)
    record = case.sessions[1]
    short = attrs.evolve(record, measures=(ipt_core.InstrumentAnswers("phq9", (1, 2, 3)),))
    with pytest.raises(ValidationError) as excinfo:
        attrs.evolve(case, sessions=(case.sessions[0], short))
    assert excinfo.value.problems[0].path == "$.sessions[1].measures[0].answers"
    assert excinfo.value.problems[0].code == ProblemCode.TOO_SHORT
    wild = attrs.evolve(record, measures=(ipt_core.InstrumentAnswers("gad7", (0, 0, 0, 4, 0, 0, 0)),))
    with pytest.raises(ValidationError) as excinfo:
        attrs.evolve(case, sessions=(case.sessions[0], wild))
    assert excinfo.value.problems[0].path == "$.sessions[1].measures[0].answers[3]"
    assert excinfo.value.problems[0].code == ProblemCode.OUT_OF_RANGE
    local = attrs.evolve(record, measures=(ipt_core.InstrumentAnswers("my-scale", (99, 100)),))
    assert attrs.evolve(case, sessions=(case.sessions[0], local)).sessions[1] == local


@given(cases())
def test_progress_and_risk_never_raise_on_a_valid_case(case: Case) -> None:
    report = ipt_core.progress.evaluate(case, today=date(2041, 1, 1))
    assert set(report.instruments) <= set(ipt_core.measures.INSTRUMENTS)
    ipt_core.risk_flags(case)
