"""Edits of a case checked for what they change accept and refuse exactly as the full construction.

Every ``with_*`` edit of a :class:`Case` checks only what it changes, against a summary of the rest
of the case carried from case to case. For random cases and random edits, valid and invalid, the
incremental check must accept exactly the edits the full construction (``attrs.evolve``, which checks
the whole case) accepts, build the same case, and carry a summary equal to one made afresh; the
public edit must refuse with the same problems (path, code, message).
"""

from __future__ import annotations

import copy
import functools
import pickle
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ipt_core
from ipt_core import (
    Case,
    ExitOutcome,
    InstrumentAnswers,
    Phase,
    PhaseChange,
    Problem,
    ProblemCode,
    SessionRecord,
    TaskRecord,
    Timeline,
    ValidationError,
)
from ipt_core.domain import _edits
from ipt_core.testing import (
    answers,
    cases,
    contracts,
    formulations,
    life_events,
    people,
    sample_case,
    sessions,
)

LATEST = date(2040, 12, 31)
UNKNOWN = "not-in-this-case"
"""An id no generated case uses for a person, an event or an area."""

Outcome = Case | tuple[Problem, ...]


def _outcome(build: Callable[[], Any]) -> Any:
    try:
        return build()
    except ValidationError as exc:
        return tuple(exc.problems)


def _agree(case: Case, quick: Callable[[], Case | None], edit: Callable[[], Case], **full: Any) -> Outcome:
    """Check the incremental check, the public edit and the full construction agree; the outcome."""
    whole: Outcome = _outcome(lambda: attrs.evolve(case, **full))
    found = quick()
    if isinstance(whole, Case):
        assert found is not None, "the incremental check refused an edit the full construction accepts"
        assert found == whole
        _assert_summary_fresh(found)
    else:
        assert found is None, "the incremental check accepted an edit the full construction refuses"
    assert _outcome(edit) == whole
    return whole


def _assert_summary_fresh(case: Case) -> None:
    """The summary carried to an edited case is the one made afresh from its fields."""
    carried = case.__dict__.get(_edits.INDEX)
    if carried is not None:
        assert carried == _edits.index_of(attrs.evolve(case))


def _day(after: date, days: int) -> date:
    return min(after + timedelta(days=days), LATEST)


def _ids(case: Case) -> tuple[list[str], list[str], list[str]]:
    """The living people, the events and the areas of ``case``, each with an id it does not know."""
    living = [p.id for p in case.inventory.people if not p.deceased]
    events = [e.id for e in case.timeline.events]
    areas = [a.id for a in case.areas()]
    return [*living, UNKNOWN], [*events, UNKNOWN], [*areas, UNKNOWN]


@st.composite
def appended_sessions(draw: st.DrawFn, case: Case) -> SessionRecord:
    """A session to record after those of ``case``: valid, or with one fault: numbered or dated
    before the last, naming a person or area the case does not hold, or with answers in doubt."""
    fault = draw(st.sampled_from(["", "", "number", "date", "reference", "measures"]))
    last = case.last_session
    if last is None:
        number = draw(st.integers(0, 70))
        day = _day(case.contract.start, draw(st.integers(0, 30)))
    else:
        number = last.number + draw(st.integers(1, 3))
        day = _day(last.date, draw(st.integers(0, 21)))
        if fault == "number":
            number = draw(st.integers(max(0, last.number - 2), last.number))
        elif fault == "date":
            day = last.date - timedelta(days=draw(st.integers(1, 30)))
    living, _, areas = _ids(case)
    living, areas = ([UNKNOWN], [UNKNOWN]) if fault == "reference" else (living[:-1], areas[:-1])
    session = draw(sessions(number, day, person_ids=living, area_ids=areas))
    if fault == "measures":  # misspelt ids, wrong counts, out-of-range items, missing answers
        instrument = draw(st.sampled_from(["phq9", "gad7", "PHQ-9", "wsas", "hamd17", "x-local"]))
        misfit = InstrumentAnswers(instrument, draw(answers(max_items=25)))
        session = attrs.evolve(session, measures=(misfit,))
    return session


@given(cases(), st.data())
def test_an_appended_session_is_accepted_and_refused_as_by_the_full_check(
    case: Case, data: st.DataObject
) -> None:
    session = data.draw(appended_sessions(case))
    _agree(
        case,
        lambda: _edits.try_session(case, session),
        lambda: case.with_session(session),
        sessions=(*case.sessions, session),
    )


@given(cases(max_sessions=3), st.data())
def test_a_course_recorded_session_by_session_agrees_at_every_step(case: Case, data: st.DataObject) -> None:
    """The summary carried along a chain of edits keeps every later check right."""
    for _ in range(data.draw(st.integers(1, 6))):
        session = data.draw(appended_sessions(case))
        outcome = _agree(
            case,
            functools.partial(_edits.try_session, case, session),
            functools.partial(case.with_session, session),
            sessions=(*case.sessions, session),
        )
        if isinstance(outcome, Case):
            case = case.with_session(session)  # the incremental edit, summary and all


@given(cases(), st.data())
def test_an_added_or_replaced_person_agrees_with_the_full_check(case: Case, data: st.DataObject) -> None:
    existing = [p.id for p in case.inventory.people]
    person_id = data.draw(st.sampled_from([*existing, UNKNOWN]))
    person = data.draw(people(person_id, rings=case.inventory.rings))
    inventory = case.inventory.with_person(person)
    _agree(
        case,
        lambda: _edits.try_inventory(case, inventory),
        lambda: case.with_person(person),
        inventory=inventory,
    )


@given(cases(), st.data())
def test_an_added_event_agrees_with_the_full_check(case: Case, data: st.DataObject) -> None:
    living, events, _ = _ids(case)
    event = data.draw(life_events(data.draw(st.sampled_from(events)), living))
    timeline = _outcome(lambda: attrs.evolve(case.timeline, events=(*case.timeline.events, event)))
    if not isinstance(
        timeline, Timeline
    ):  # an id already used: the timeline refuses, at its place in the case
        assert _outcome(lambda: case.with_event(event)) == tuple(p.under("$.timeline") for p in timeline)
        return
    _agree(
        case,
        lambda: _edits.try_event(case, event, timeline),
        lambda: case.with_event(event),
        timeline=timeline,
    )


@given(cases(), st.data())
def test_a_replaced_formulation_agrees_with_the_full_check(case: Case, data: st.DataObject) -> None:
    living, events, _ = _ids(case)
    deceased = [p.id for p in case.inventory.people if p.deceased]
    if data.draw(st.booleans()):  # the dead and the living swapped: grief and disputes disagree
        living, deceased = deceased, living
    keep_areas = data.draw(st.booleans())
    formulation = data.draw(st.none() | formulations(living=living, deceased=deceased, event_ids=events))
    if keep_areas and formulation is not None and case.formulation is not None:
        formulation = attrs.evolve(formulation, other_areas=case.formulation.other_areas)
    _agree(
        case,
        lambda: _edits.try_formulation(case, formulation),
        lambda: (
            _edits.with_formulation(case, None) if formulation is None else case.with_formulation(formulation)
        ),
        formulation=formulation,
    )


@given(cases(), st.data())
def test_a_recorded_task_agrees_with_the_full_check(case: Case, data: st.DataObject) -> None:
    numbers = [s.number for s in case.sessions]
    session = data.draw(st.none() | st.sampled_from([*numbers, 0, 61, 1000]))
    task = TaskRecord("sick_role", data.draw(st.dates(date(2000, 1, 1), LATEST)), session=session)
    _agree(case, lambda: _edits.try_task(case, task), lambda: case.with_task(task), tasks=(*case.tasks, task))


@given(cases(), st.data())
def test_a_phase_change_agrees_with_the_full_check(case: Case, data: st.DataObject) -> None:
    last = case.phase_history[-1].on if case.phase_history else case.contract.start
    change = PhaseChange(data.draw(st.sampled_from(Phase)), _day(last, data.draw(st.integers(-3, 10))))
    _agree(
        case,
        lambda: _edits.try_phase_change(case, change),
        lambda: _edits.with_phase_change(case, change),
        phase_history=(*case.phase_history, change),
    )


@given(cases(), st.data())
def test_a_new_contract_or_outcome_agrees_with_the_full_check(case: Case, data: st.DataObject) -> None:
    contract = data.draw(contracts())  # often another protocol: the focus and screening are checked
    _agree(
        case,
        lambda: _edits.try_contract(case, contract),
        lambda: _edits.with_contract(case, contract),
        contract=contract,
    )
    outcome = data.draw(st.none() | st.sampled_from(ExitOutcome))
    _agree(
        case,
        lambda: _edits.try_outcome(case, outcome),
        lambda: case._with_outcome(outcome),
        outcome=outcome,
    )


def test_anything_but_a_session_record_is_refused_as_before() -> None:
    case = sample_case(sessions=3)
    with pytest.raises(ValidationError) as raised:
        case.with_session("a session")  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in raised.value.problems] == [("$.sessions[3]", ProblemCode.WRONG_TYPE)]


# -- vignettes ------------------------------------------------------------------------------------


def _next(case: Case, **changes: Any) -> SessionRecord:
    """The session a week after the last, with ``changes``."""
    last = case.sessions[-1]
    values = {"number": last.number + 1, "date": last.date + timedelta(weeks=1), **changes}
    return attrs.evolve(last, **values)


def test_a_therapist_records_a_course_week_by_week() -> None:
    full = sample_case(sessions=16)
    case = attrs.evolve(full, sessions=full.sessions[:2])
    for session in full.sessions[2:]:
        case = case.with_session(session)
    assert case == full
    assert case.next_session_number() == 17


def test_a_session_dated_before_the_last_is_refused_with_its_path() -> None:
    case = sample_case(sessions=12)
    late = _next(case, date=case.sessions[-1].date - timedelta(days=1))
    with pytest.raises(ValidationError) as raised:
        case.with_session(late)
    assert [(p.path, p.code) for p in raised.value.problems] == [("$.sessions[12].date", ProblemCode.ORDER)]


def test_a_session_about_someone_not_in_the_inventory_is_refused() -> None:
    case = sample_case(sessions=8)
    stranger = attrs.evolve(case.sessions[-1].incidents[0], person="p-unrecorded")
    with pytest.raises(ValidationError) as raised:
        case.with_session(_next(case, incidents=(stranger,)))
    assert [(p.path, p.code) for p in raised.value.problems] == [
        ("$.sessions[8].incidents[0].person", ProblemCode.DANGLING_REFERENCE)
    ]


def test_a_misspelt_questionnaire_is_refused_with_the_spelling_to_use() -> None:
    case = sample_case(sessions=5)
    misspelt = InstrumentAnswers("PHQ-9", (2, 2, 1, 2, 1, 1, 0, 1, 0))
    with pytest.raises(ValidationError) as raised:
        case.with_session(_next(case, measures=(misspelt,)))
    (problem,) = raised.value.problems
    assert (problem.path, problem.code, problem.allowed) == (
        "$.sessions[5].measures[0].instrument",
        ProblemCode.NOT_ALLOWED,
        ("phq9",),
    )


def test_a_formulation_dropping_the_area_the_sessions_worked_on_is_refused() -> None:
    case = sample_case(sessions=10)  # sessions 4 onwards work on the dispute, a1
    formulation = case.formulation
    assert formulation is not None
    without_dispute = attrs.evolve(formulation, focus=formulation.other_areas, other_areas=(), agreed_on=None)
    with pytest.raises(ValidationError) as raised:
        case.with_formulation(without_dispute)
    assert {(p.path, p.code) for p in raised.value.problems} == {
        (f"$.sessions[{i}].focus_area", ProblemCode.DANGLING_REFERENCE) for i in range(3, 10)
    }


def test_an_edit_leaves_the_case_it_was_made_to_unchanged() -> None:
    case = sample_case(sessions=4)
    before = attrs.evolve(case)
    case.with_session(_next(case))
    assert case == before
    assert len(case.sessions) == 4


def test_a_case_read_from_its_file_takes_the_next_session_and_writes_back() -> None:
    full = sample_case(sessions=9)
    stored = ipt_core.dumps(attrs.evolve(full, sessions=full.sessions[:8]))
    case = ipt_core.loads(stored).with_session(full.sessions[8])
    assert ipt_core.dumps(case) == ipt_core.dumps(full)
    assert ipt_core.loads(ipt_core.dumps(case)) == case


# -- chains of edits of every kind ----------------------------------------------------------------

_EDIT_KINDS = ("session", "person", "event", "formulation", "task", "phase", "contract", "outcome")
_COPIES = ("evolve", "copy", "deepcopy", "pickle", "loads")


def _copied(case: Case, how: str) -> Case:
    """``case`` carried through a copy, a pickle or its document: the same case (and, where the
    copy keeps the summary, the same summary)."""
    if how == "evolve":
        return attrs.evolve(case)
    if how == "copy":
        return copy.copy(case)
    if how == "deepcopy":
        return copy.deepcopy(case)
    loaded: Case = (
        pickle.loads(pickle.dumps(case))  # noqa: S301 - its own pickle
        if how == "pickle"
        else ipt_core.loads(ipt_core.dumps(case))
    )
    return loaded


@st.composite
def _edit(
    draw: st.DrawFn, case: Case
) -> tuple[Callable[[], Case | None], Callable[[], Case], dict[str, Any]]:
    """One edit of ``case`` of any kind, valid or not: the incremental check, the public edit and
    the fields the full construction is given."""
    kind = draw(st.sampled_from(_EDIT_KINDS))
    living, events, _ = _ids(case)
    if kind == "session":
        session = draw(appended_sessions(case))
        return (
            functools.partial(_edits.try_session, case, session),
            functools.partial(case.with_session, session),
            {"sessions": (*case.sessions, session)},
        )
    if kind == "person":  # often someone the case names, now recorded as deceased (or alive again)
        existing = [p.id for p in case.inventory.people]
        person = draw(people(draw(st.sampled_from([*existing, UNKNOWN])), rings=case.inventory.rings))
        inventory = case.inventory.with_person(person)
        return (
            functools.partial(_edits.try_inventory, case, inventory),
            functools.partial(case.with_person, person),
            {"inventory": inventory},
        )
    if kind == "event":
        fresh = next(f"e-new-{n}" for n in range(99) if f"e-new-{n}" not in events)
        event = draw(life_events(fresh, living))  # a used id: the timeline refuses it, as tested above
        timeline = Timeline(events=(*case.timeline.events, event), onset=case.timeline.onset)
        return (
            functools.partial(_edits.try_event, case, event, timeline),
            functools.partial(case.with_event, event),
            {"timeline": timeline},
        )
    if kind == "formulation":
        deceased = [p.id for p in case.inventory.people if p.deceased]
        formulation = draw(formulations(living=living[:-1], deceased=deceased, event_ids=events[:-1]))
        return (
            functools.partial(_edits.try_formulation, case, formulation),
            functools.partial(case.with_formulation, formulation),
            {"formulation": formulation},
        )
    if kind == "task":
        numbers = [s.number for s in case.sessions]
        task = TaskRecord(
            "sick_role", case.contract.start, session=draw(st.none() | st.sampled_from([*numbers, 1000]))
        )
        return (
            functools.partial(_edits.try_task, case, task),
            functools.partial(case.with_task, task),
            {"tasks": (*case.tasks, task)},
        )
    if kind == "phase":
        last = case.phase_history[-1].on if case.phase_history else case.contract.start
        change = PhaseChange(draw(st.sampled_from(Phase)), _day(last, draw(st.integers(-3, 10))))
        return (
            functools.partial(_edits.try_phase_change, case, change),
            functools.partial(_edits.with_phase_change, case, change),
            {"phase_history": (*case.phase_history, change)},
        )
    if kind == "contract":
        contract = draw(contracts())
        return (
            functools.partial(_edits.try_contract, case, contract),
            functools.partial(_edits.with_contract, case, contract),
            {"contract": contract},
        )
    outcome = draw(st.none() | st.sampled_from(ExitOutcome))
    return (
        functools.partial(_edits.try_outcome, case, outcome),
        functools.partial(case._with_outcome, outcome),
        {"outcome": outcome},
    )


@settings(max_examples=200)
@given(cases(max_sessions=3, max_people=4), st.data())
def test_a_chain_of_edits_of_every_kind_agrees_with_the_full_check_at_every_step(
    case: Case, data: st.DataObject
) -> None:
    """People replaced, then sessions naming them; formulations replaced, then sessions; the protocol
    changed, then the focus: each step carries the summary the last one left, through copies too."""
    for _ in range(data.draw(st.integers(1, 10))):
        if data.draw(st.integers(0, 4)) == 0:
            how = data.draw(st.sampled_from(_COPIES))
            copied = _copied(case, how)
            assert copied == case
            _assert_summary_fresh(copied)
            case = copied
        quick, edit, full = data.draw(_edit(case))
        outcome = _agree(case, quick, edit, **full)
        if isinstance(outcome, Case):
            case = edit()
            _assert_summary_fresh(case)


def test_a_pickled_or_copied_case_carries_its_fields_and_no_summary() -> None:
    """The summary is the edits' own working state: a pickle (a cache, a worker process, another
    version of the library) holds the case's fields alone, and the summary is made again on need."""
    case = sample_case(sessions=6)
    edited = case.with_session(_next(case))
    assert _edits.INDEX in edited.__dict__
    restored_copies = (pickle.loads(pickle.dumps(edited)), copy.copy(edited), copy.deepcopy(edited))  # noqa: S301
    for restored in restored_copies:
        assert restored == edited
        assert set(restored.__dict__) == {field.name for field in attrs.fields(Case)}
        assert restored.with_session(_next(restored)) == edited.with_session(_next(edited))
    assert b"_ipt_edit_index" not in pickle.dumps(edited)


def test_recording_a_death_mid_course_refuses_the_dispute_with_that_person_until_it_is_reformulated() -> None:
    """Nicola's partner is recorded as having died after the dispute work began: the dispute focus
    no longer holds (a dispute is with a living person), whatever edits came before."""
    case = sample_case(sessions=6)  # a dispute with her partner, p1, worked on from session 4
    case = case.renegotiate(on=case.sessions[-1].date, planned_sessions=16, reason="more time")
    case = case.with_session(_next(case))  # the summary is carried through both edits
    partner = attrs.evolve(case.inventory.person("p1"), deceased=True)
    with pytest.raises(ValidationError) as raised:
        case.with_person(partner)
    assert [(p.path, p.code) for p in raised.value.problems] == [
        ("$.formulation.focus[0].other_party", ProblemCode.INCONSISTENT)
    ]
