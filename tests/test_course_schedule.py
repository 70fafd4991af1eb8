"""A course that ends on time, gates that respect time, and the first phase of a protocol.

The vignettes are written as a therapist would record a standard 16-session course; the properties
run every protocol a user could define.
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _course_vignettes import START
from _course_vignettes import announced as _announced
from _course_vignettes import held as _held
from _course_vignettes import nicola as _nicola
from _course_vignettes import week as _week
from ipt_core import (
    Attendance,
    Case,
    ExitOutcome,
    Formulation,
    InterpersonalInventory,
    Person,
    Phase,
    PhaseChange,
    RelationshipCategory,
    RoleDispute,
    SessionRecord,
    TaskRecord,
    TerminationReview,
    TransitionError,
    TreatmentContract,
    protocols,
)
from ipt_core.agenda import next_steps
from ipt_core.domain.problem_areas import AreaKind, DisputeStage
from ipt_core.phases import TaskState, advance, current_phase, evaluate
from ipt_core.testing import cases, simulate_course
from ipt_core.testing import protocols as protocol_strategy


def _codes(items: object) -> list[str]:
    return [i.code for i in items]  # type: ignore[attr-defined]


# -- a course that ends on time ------------------------------------------------------------------


def test_announcing_at_session_15_of_16_is_late_advice_not_a_trap() -> None:
    case = _held(_nicola(), range(3, 15))
    agenda = next_steps(case, today=_week(15))
    (reminder,) = [i for i in agenda.items if i.code == "reminder.announce_termination"]
    assert reminder.text.startswith("announce the end of treatment this session")
    assert "later than the protocol's notice" in reminder.text

    # The therapist does as the agenda says: session 15 is held and the end announced in it.
    case = _announced(_held(case, range(15, 16)), 15)
    moved = advance(case, Phase.TERMINATION, on=_week(15))
    assert moved.phase is Phase.TERMINATION
    assert moved.contract.renegotiations == ()
    report = evaluate(case, today=_week(15))
    late = [f for f in report.findings if f.code == "termination_notice_late"]
    assert len(late) == 1
    assert not late[0].blocking
    assert report.announce_by == 14


def test_with_notice_at_13_sessions_15_and_16_are_termination_work() -> None:
    case = _announced(_held(_nicola(), range(3, 15)), 13)
    assert "termination_notice_late" not in {f.code for f in evaluate(case, today=_week(14)).findings}

    agenda = next_steps(case, today=_week(15))
    assert agenda.session == 15
    report = agenda.report
    assert report.termination_due
    assert report.termination_from == 15
    assert "termination_due" in {f.code for f in report.findings}
    codes = _codes(agenda.items)
    assert {"task.gains_reviewed", "task.feelings_about_ending", "task.warning_signs"} <= set(codes)
    assert "reminder.termination_due" in codes
    assert not [c for c in codes if c.startswith(("goal.", "strategy.", "stage.", "technique."))]
    assert "task.decision_analysis" not in codes
    assert "termination work due" in agenda.headline

    # The day before, session 14 is still middle-phase work.
    earlier = next_steps(_announced(_held(_nicola(), range(3, 14)), 13), today=_week(14))
    assert not earlier.report.termination_due
    assert any(c.startswith("strategy.role_dispute") for c in _codes(earlier.items))

    # Session 16, once in termination, is termination work too.
    ending = advance(_held(case, range(15, 16)), Phase.TERMINATION, on=_week(15))
    last = next_steps(ending, today=_week(16))
    assert last.phase is Phase.TERMINATION
    assert "task.gains_reviewed" in _codes(last.items)
    assert not [c for c in _codes(last.items) if c.startswith(("goal.", "strategy."))]


def test_all_16_sessions_held_is_said_plainly_and_blocks() -> None:
    case = _announced(_held(_nicola(), range(3, 17)), 13)
    agenda = next_steps(case, today=_week(17))
    assert "17 of 16" not in agenda.render()
    assert agenda.headline.startswith("all 16 contracted sessions held")
    assert "17 of" not in agenda.lay_headline
    (finding,) = [f for f in agenda.report.findings if f.code == "contracted_sessions_held"]
    assert finding.blocking
    assert finding.path == "$.contract"
    (reminder,) = [i for i in agenda.items if i.code == "reminder.contracted_sessions_held"]
    assert reminder.blocking

    # Ending the course or renegotiating clears it.
    more = case.renegotiate(on=_week(17), planned_sessions=18, reason="the dispute needs more time")
    assert not evaluate(more, today=_week(17)).contracted_sessions_held
    ended = attrs.evolve(advance(case, Phase.TERMINATION, on=_week(17)), outcome=ExitOutcome.COMPLETED)
    done = advance(ended, Phase.COMPLETED, on=_week(17))
    assert "contracted_sessions_held" not in {f.code for f in evaluate(done, today=_week(18)).findings}


def test_after_the_course_ends_the_headline_never_reads_17_of_16() -> None:
    case = _announced(_held(_nicola(), range(3, 15)), 13)
    case = attrs.evolve(advance(case, Phase.TERMINATION, on=_week(14)), outcome=ExitOutcome.COMPLETED)
    done = advance(_held(case, range(15, 17)), Phase.COMPLETED, on=_week(16))
    agenda = next_steps(done, today=_week(17))
    assert "17 of 16" not in agenda.headline
    assert "17 of 16" not in agenda.lay_headline
    assert agenda.headline.startswith("ended after session 16 of 16")

    # A client who drops out after session 5 is not shown a session 6 either.
    dropped = advance(_held(_nicola(), range(3, 6)), Phase.DROPPED_OUT, on=_week(6))
    left = next_steps(dropped, today=_week(7))
    assert left.headline.startswith("ended after session 5 of 16")
    assert "week 6" not in left.lay_headline


def test_a_renegotiation_dated_later_does_not_count_yet() -> None:
    case = _held(_nicola(), range(3, 10)).renegotiate(on=_week(12), planned_sessions=12, reason="moving away")
    assert evaluate(case, today=_week(10)).contracted_sessions == 16
    assert evaluate(case, today=_week(12)).contracted_sessions == 12


@pytest.mark.parametrize("protocol", protocols.all(), ids=lambda p: p.id)
def test_every_builtin_protocol_completes_without_renegotiation(protocol: protocols.Protocol) -> None:
    case = simulate_course(protocol)
    assert case.phase is Phase.COMPLETED
    assert case.contract.renegotiations == ()
    assert "termination_notice_late" not in {f.code for f in evaluate(case, today=_week(60)).findings}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(protocol_strategy(), st.sampled_from(AreaKind))
def test_a_course_that_follows_its_protocol_reaches_completed(
    protocol: protocols.Protocol, focus: AreaKind
) -> None:
    case = simulate_course(protocol, focus=focus)
    assert case.phase is Phase.COMPLETED
    assert case.contract.renegotiations == ()
    assert case.sessions[-1].number == protocol.sessions.default_sessions


# -- gates that respect time ----------------------------------------------------------------------


def test_agreements_dated_in_week_6_do_not_open_the_middle_phase_in_week_2() -> None:
    case = Case(
        id="ahead",
        contract=TreatmentContract(
            protocol_id="standard", start=_week(1), planned_sessions=16, agreed_on=_week(6)
        ),
        inventory=InterpersonalInventory(
            people=(Person(id="sam", alias="Sam", category=RelationshipCategory.PARTNER, in_conflict=True),)
        ),
        formulation=Formulation(
            focus=(RoleDispute(id="dispute", other_party="sam", stage=DisputeStage.RENEGOTIATION),),
            presented_on=_week(6),
            agreed_on=_week(6),
        ),
    )
    case = _held(case, range(1, 3))
    with pytest.raises(TransitionError) as info:
        advance(case, "middle", on=_week(2))
    assert {"formulation_agreed", "contract_agreed"} <= {p.code for p in info.value.unmet}
    with pytest.raises(TransitionError):
        case.with_phase("middle", on=_week(2))
    assert advance(case, "middle", on=_week(6)).phase is Phase.MIDDLE


def test_an_announcement_in_a_session_not_yet_held_does_not_count() -> None:
    case = _announced(_held(_nicola(), range(3, 16)), 14)
    with pytest.raises(TransitionError) as info:
        advance(case, Phase.TERMINATION, on=_week(13))
    assert "termination_announced" in {p.code for p in info.value.unmet}
    assert advance(case, Phase.TERMINATION, on=_week(14)).phase is Phase.TERMINATION


def test_an_end_announced_in_a_session_the_client_missed_is_not_announced() -> None:
    # Session 13 was booked but Nicola did not come; the therapist ticks "end announced" on it.
    case = _held(_nicola(), range(3, 13)).with_session(
        SessionRecord(number=13, date=_week(13), attendance=Attendance.DID_NOT_ATTEND)
    )
    case = _announced(case, 13)
    report = evaluate(case, today=_week(14))
    (task,) = [t for t in report.tasks if t.id == "termination_announced"]
    assert task.open
    agenda = next_steps(case, today=_week(14))
    (reminder,) = [i for i in agenda.items if i.code == "reminder.announce_termination"]
    assert reminder.blocking
    with pytest.raises(TransitionError) as info:
        advance(_held(case, range(14, 15)), Phase.TERMINATION, on=_week(14))
    assert "termination_announced" in {p.code for p in info.value.unmet}

    # Announced again in session 14, which she attends: the course moves on.
    again = _announced(_held(case, range(14, 15)), 14)
    assert advance(again, Phase.TERMINATION, on=_week(14)).phase is Phase.TERMINATION


def test_a_client_who_missed_every_session_after_the_deadline_can_still_end() -> None:
    # Nicola misses sessions 14, 15 and 16: the end was never announced in a session she attended.
    case = _held(_nicola(), range(3, 14))
    for n in (14, 15, 16):
        case = case.with_session(SessionRecord(number=n, date=_week(n), attendance=Attendance.DID_NOT_ATTEND))
    report = evaluate(case, today=_week(17))
    assert report.contracted_sessions_held
    assert Phase.TERMINATION in report.allowed
    ending = attrs.evolve(advance(case, Phase.TERMINATION, on=_week(17)), outcome=ExitOutcome.COMPLETED)
    assert advance(ending, Phase.COMPLETED, on=_week(17)).phase is Phase.COMPLETED
    assert ending.contract.renegotiations == ()


def test_a_termination_review_dated_later_does_not_count() -> None:
    case = Case(
        id="stuart",
        contract=TreatmentContract(protocol_id="stuart", start=START, planned_sessions=12),
        outcome=ExitOutcome.COMPLETED,
        termination=TerminationReview(maintenance_offered=True, on=_week(3)),
    )
    case = attrs.evolve(case, phase_history=(PhaseChange(phase=Phase.TERMINATION, on=START),))
    with pytest.raises(TransitionError) as info:
        advance(case, Phase.COMPLETED, on=_week(2))
    assert "maintenance_discussed" in {p.code for p in info.value.unmet}
    assert advance(case, Phase.COMPLETED, on=_week(3)).phase is Phase.COMPLETED


def _as_of(case: Case, day: date) -> Case:
    """``case`` with every record dated after ``day`` left out, as it stood on ``day``."""
    sessions = tuple(s for s in case.sessions if s.date <= day)
    kept = {s.number for s in sessions}
    tasks = tuple(
        attrs.evolve(t, session=t.session if t.session in kept else None) for t in case.tasks if t.on <= day
    )
    contract = case.contract
    if contract.agreed_on is not None and contract.agreed_on > day:
        contract = attrs.evolve(contract, agreed_on=None, renegotiations=())
    contract = attrs.evolve(contract, renegotiations=tuple(r for r in contract.renegotiations if r.on <= day))
    formulation = case.formulation
    if formulation is not None:
        formulation = attrs.evolve(
            formulation,
            presented_on=formulation.presented_on if (formulation.presented_on or day) <= day else None,
            agreed_on=formulation.agreed_on if (formulation.agreed_on or day) <= day else None,
        )
    review = case.termination
    if review is not None:
        announced = review.announced_in_session if review.announced_in_session in kept else None
        if review.on is not None and review.on > day:
            review = TerminationReview(announced_in_session=announced)
        else:
            review = attrs.evolve(review, announced_in_session=announced)
    return attrs.evolve(
        case,
        sessions=sessions,
        tasks=tasks,
        contract=contract,
        formulation=formulation,
        termination=review,
        screening=tuple(s for s in case.screening if s.on <= day),
    )


def _gates(case: Case, day: date) -> object:
    report = evaluate(case, today=day)
    return (
        report.phase,
        [(t.id, t.state) for t in report.tasks],
        [(t.to, sorted(p.code for p in t.unmet)) for t in report.transitions],
        # Every finding but the one that says records dated later exist (which is about them).
        sorted(f.code for f in report.findings if f.code != "sessions_after_today"),
        report.contracted_sessions,
        report.termination_due,
        report.contracted_sessions_held,
    )


@settings(max_examples=120, deadline=None)
@given(cases(), st.dates(min_value=date(2019, 1, 1), max_value=date(2035, 12, 31)))
def test_no_gate_reads_a_record_dated_after_the_day(case: Case, day: date) -> None:
    """What the engine says on ``day`` is what it says of the case as it stood on that day: no task,
    gate or finding reads a record dated later."""
    assert _gates(case, day) == _gates(_as_of(case, day), day)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60))
def test_no_gate_accepts_an_agreement_dated_after_on(agreed: int, contract: int, on: int) -> None:
    case = Case(
        id="c",
        contract=TreatmentContract(
            protocol_id="standard",
            start=START,
            planned_sessions=16,
            agreed_on=START + timedelta(days=contract),
        ),
        inventory=InterpersonalInventory(
            people=(Person(id="sam", alias="Sam", category=RelationshipCategory.PARTNER),)
        ),
        formulation=Formulation(
            focus=(RoleDispute(id="d", other_party="sam", stage=DisputeStage.IMPASSE),),
            presented_on=START + timedelta(days=agreed),
            agreed_on=START + timedelta(days=agreed),
        ),
    )
    day = START + timedelta(days=on)
    allowed = Phase.MIDDLE in evaluate(case, today=day).allowed
    assert allowed == (agreed <= on and contract <= on)
    if allowed:
        assert advance(case, Phase.MIDDLE, on=day).phase is Phase.MIDDLE
    else:
        with pytest.raises(TransitionError):
            advance(case, Phase.MIDDLE, on=day)


def test_task_records_dated_after_on_do_not_count_at_the_gate() -> None:
    teen = Case(
        id="teen",
        contract=TreatmentContract(protocol_id="stuart", start=START, planned_sessions=12, agreed_on=START),
        tasks=(TaskRecord(task="suitability_assessed", on=_week(4)),),
    )
    status = {t.id: t.state for t in evaluate(teen, today=_week(1)).tasks}
    assert status["suitability_assessed"] is TaskState.OPEN
    with pytest.raises(TransitionError) as info:
        advance(teen, Phase.MIDDLE, on=_week(1))
    assert "suitability_assessed" in {p.code for p in info.value.unmet}


# -- the first phase of a protocol -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("protocol_id", "first"),
    [("brief", Phase.PRE_TREATMENT), ("group-who", Phase.PRE_TREATMENT), ("standard", Phase.INITIAL)],
)
def test_no_recorded_phase_is_the_protocols_first(protocol_id: str, first: Phase) -> None:
    case = Case(
        id="new", contract=TreatmentContract(protocol_id=protocol_id, start=START, planned_sessions=8)
    )
    assert case.phase is first
    assert evaluate(case, today=START).phase is first
    agenda = next_steps(case, today=START)
    assert agenda.phase is first
    assert agenda.session == (0 if first is Phase.PRE_TREATMENT else 1)
    if first is Phase.PRE_TREATMENT:
        assert advance(case, Phase.INITIAL, on=START).phase is Phase.INITIAL
        with pytest.raises(TransitionError):
            advance(case, Phase.MIDDLE, on=START)


@settings(max_examples=60, deadline=None)
@given(cases(), protocol_strategy())
def test_case_evaluate_and_agenda_agree_on_the_phase(case: Case, protocol: protocols.Protocol) -> None:
    day = date(2030, 1, 1)
    theirs = current_phase(case, today=day)
    assert evaluate(case, today=day).phase is theirs
    assert next_steps(case, today=day).phase is theirs
    if all(c.on <= day for c in case.phase_history):
        assert theirs is case.phase
    mine = current_phase(case, protocol, today=day)
    assert evaluate(case, protocol, today=day).phase is mine
    assert next_steps(case, today=day, protocol=protocol).phase is mine
    if not case.phase_history:
        assert mine is protocol.sequence()[0]


def test_no_session_left_to_announce_the_end_in_once_every_contracted_session_is_held() -> None:
    """Nicola missed session 14, where the end was to be announced, and the therapist never caught
    up with it; sessions 15 and 16 were held in the middle phase. With all 16 sessions held the
    agenda asks to end the course or renegotiate; it does not also ask to announce the end "this
    session" (there is none), which the engine no longer asks for either."""
    case = _held(_nicola(), range(3, 14))
    case = case.with_session(SessionRecord(number=14, date=_week(14), attendance=Attendance.DID_NOT_ATTEND))
    case = _held(case, range(15, 17))
    agenda = next_steps(case, today=_week(17))
    assert agenda.phase is Phase.MIDDLE
    assert "reminder.contracted_sessions_held" in _codes(agenda.items)
    assert "reminder.announce_termination" not in _codes(agenda.items)
    assert agenda.report.transition(Phase.TERMINATION) is not None
    assert agenda.report.transition(Phase.TERMINATION).allowed  # type: ignore[union-attr]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(protocols.BUILTIN_PROTOCOLS)), st.integers(min_value=0, max_value=3))
def test_the_agenda_never_asks_for_an_announcement_the_engine_has_made_moot(
    protocol_id: str, missed_at_end: int
) -> None:
    """Every built-in protocol, the client missing the last few sessions and the end never
    announced: once every contracted session is held, no agenda item asks for the announcement."""
    protocol = protocols.get(protocol_id)
    count = protocol.sessions.default_sessions
    first = 0 if protocol.sequence()[0] is Phase.PRE_TREATMENT else 1
    case = Case(
        id="c",
        contract=TreatmentContract(protocol_id=protocol_id, start=_week(0), planned_sessions=count),
    )
    for n in range(first, count + 1):
        absent = n > count - missed_at_end
        attendance = Attendance.DID_NOT_ATTEND if absent else Attendance.ATTENDED
        case = case.with_session(SessionRecord(number=n, date=_week(n), attendance=attendance))
    agenda = next_steps(case, today=_week(count + 1), protocol=protocol)
    assert agenda.report.contracted_sessions_held
    assert "reminder.announce_termination" not in _codes(agenda.items)


def test_termination_work_due_lists_the_blocking_maintenance_decision_first() -> None:
    """A 12-session Stuart course: the end announced in session 9, session 11 opens termination work.
    The maintenance decision blocks the exit in this protocol (S8 ch.20), so the agenda names it
    before the advisory termination tasks, as it does every phase's blocking tasks."""
    case = Case(
        id="n",
        contract=TreatmentContract(
            protocol_id="stuart", start=_week(1), planned_sessions=12, agreed_on=_week(1)
        ),
        inventory=InterpersonalInventory(
            people=(Person(id="sam", alias="Sam", category=RelationshipCategory.PARTNER, in_conflict=True),)
        ),
        formulation=Formulation(
            focus=(RoleDispute(id="d", other_party="sam", stage=DisputeStage.RENEGOTIATION),),
            presented_on=_week(2),
            agreed_on=_week(2),
        ),
    ).with_task(TaskRecord(task="suitability_assessed", on=_week(1)))
    case = _held(case, range(1, 3))
    case = _announced(_held(advance(case, Phase.MIDDLE, on=_week(2) + timedelta(days=1)), range(3, 11)), 9)
    agenda = next_steps(case, today=_week(11))
    assert agenda.report.termination_due
    tasks = [i for i in agenda.items if i.kind.value == "task"]
    assert tasks[0].code == "task.maintenance_discussed"
    assert tasks[0].blocking
    assert "task.gains_reviewed" in _codes(tasks)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(protocols.BUILTIN_PROTOCOLS)), st.integers(min_value=0, max_value=4))
def test_agenda_tasks_come_blocking_first_when_termination_work_is_due(protocol_id: str, extra: int) -> None:
    """Every built-in protocol, a course in the phase before termination with the end announced and
    the next session one of the termination sessions (its contract lengthened by ``extra``): the
    agenda's task items put the blocking ones before the advice."""
    protocol = protocols.get(protocol_id)
    working = protocol.sequence()[protocol.sequence().index(Phase.TERMINATION) - 1]
    count = protocol.sessions.default_sessions + extra
    case = Case(
        id="c",
        contract=TreatmentContract(protocol_id=protocol_id, start=_week(0), planned_sessions=count),
        phase_history=(PhaseChange(phase=working, on=_week(0)),),
    )
    first = evaluate(case, protocol, today=_week(0)).termination_from
    case = _announced(_held(case, range(1, first)), max(1, first - 2))
    agenda = next_steps(case, today=_week(first), protocol=protocol)
    assert agenda.report.termination_due
    flags = [i.blocking for i in agenda.items if i.kind.value == "task"]
    assert flags == sorted(flags, reverse=True), [(i.code, i.blocking) for i in agenda.items]
