"""The end of a course as a demanding IPT clinician reads it: a contract renegotiated after the end
was announced, measures past a spent contract, advice on a course that has ended.

Vignettes are written as a therapist records a standard 16-session course (Nicola, a role dispute
with her partner Sam); properties state the rule for any course.
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    TreatmentContract,
    protocols,
)
from ipt_core.agenda import ItemKind, next_steps
from ipt_core.boundary.report import render_text, report_data
from ipt_core.domain.course import TERMINAL_PHASES
from ipt_core.domain.problem_areas import DisputeStage
from ipt_core.phases import TaskState, advance, evaluate
from ipt_core.protocols import Protocol
from ipt_core.testing import cases, simulate_course
from ipt_core.testing import protocols as protocol_strategy


def _codes(agenda: object) -> list[str]:
    return [i.code for i in agenda.items]  # type: ignore[attr-defined]


def _announce_task(case: Case, day: date) -> TaskState:
    (task,) = [t for t in evaluate(case, today=day).tasks if t.id == "termination_announced"]
    return task.state


# -- a renegotiation after the end was announced ----------------------------------------------


def test_an_extension_after_the_end_was_announced_asks_for_the_new_end_to_be_announced() -> None:
    """Session 13: the therapist tells Nicola that session 16 will be the last. In session 14 Nicola
    and Sam have their first calm talk, and the two agree to extend the contract to 20 sessions to
    consolidate. The announcement in session 13 was of an end that is no longer the end: the new
    end (session 20) has to be announced with the protocol's notice, by session 18 (S6)."""
    case = _announced(_held(_nicola(), range(3, 15)), 13)
    case = case.renegotiate(on=_week(14), planned_sessions=20, reason="consolidate the first calm talks")

    agenda = next_steps(case, today=_week(15))
    assert agenda.headline.startswith("session 15 of 20")
    assert agenda.report.announce_by == 18
    (reminder,) = [i for i in agenda.items if i.code == "reminder.announce_termination"]
    assert reminder.text == "termination to be announced by session 18"
    assert not reminder.blocking
    assert _announce_task(case, _week(15)) is TaskState.OPEN

    # At session 18 it is due; the course cannot move into termination on the old announcement.
    case = _held(case, range(15, 18))
    due = next_steps(case, today=_week(18))
    (reminder,) = [i for i in due.items if i.code == "reminder.announce_termination"]
    assert reminder.blocking
    # The therapist announces the new end in session 18: the reminder goes, the task is done.
    case = _announced(_held(case, range(18, 19)), 18)
    assert _announce_task(case, _week(19)) is TaskState.DONE
    assert "reminder.announce_termination" not in _codes(next_steps(case, today=_week(19)))
    assert "termination_notice_late" not in {f.code for f in evaluate(case, today=_week(19)).findings}


def test_an_end_announced_in_the_session_of_the_renegotiation_stands() -> None:
    """Session 14: the contract is extended to 20 and, in the same session, the therapist names
    session 20 as the last: that announcement is of the new end."""
    case = _held(_nicola(), range(3, 15)).renegotiate(
        on=_week(14), planned_sessions=20, reason="more time for the dispute"
    )
    case = _announced(case, 14)
    assert _announce_task(case, _week(15)) is TaskState.DONE
    assert "reminder.announce_termination" not in _codes(next_steps(case, today=_week(15)))


def test_a_renegotiation_dated_after_today_leaves_the_announcement_standing() -> None:
    case = _announced(_held(_nicola(), range(3, 15)), 13)
    case = case.renegotiate(on=_week(16), planned_sessions=20, reason="planned extension")
    assert _announce_task(case, _week(15)) is TaskState.DONE
    assert _announce_task(case, _week(16)) is TaskState.OPEN


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    announced=st.integers(min_value=3, max_value=14),
    renegotiated_after=st.integers(min_value=0, max_value=4),
    new_count=st.integers(min_value=12, max_value=24),
)
def test_an_announcement_counts_only_when_made_on_or_after_the_last_change_of_the_count(
    announced: int, renegotiated_after: int, new_count: int
) -> None:
    """Whatever the sessions: the end is announced as done exactly when no renegotiation that
    changed the number of sessions is dated after the session the announcement was made in."""
    held_to = min(14, announced + renegotiated_after)
    case = _announced(_held(_nicola(), range(3, held_to + 1)), announced)
    change_on = _week(announced + renegotiated_after)
    case = case.renegotiate(on=change_on, planned_sessions=new_count, reason="client asked")
    today = _week(held_to) + timedelta(days=1)
    stale = new_count != 16 and _week(announced) < change_on <= today
    state = _announce_task(case, today)
    assert state is (TaskState.OPEN if stale else TaskState.DONE)
    # The agenda says the same as the engine.
    reminded = "reminder.announce_termination" in _codes(next_steps(case, today=today))
    assert reminded == (stale and not evaluate(case, today=today).contracted_sessions_held)


# -- measures past a spent contract ---------------------------------------------------------------


def test_no_phq9_is_listed_for_a_session_the_contract_does_not_have() -> None:
    """All 16 sessions are held (the end was announced in 13, session 16 was the last) but the
    therapist has not yet recorded termination. A standard course takes a PHQ-9 every 4 sessions;
    the agenda's "session 17" is not a contracted session, so no PHQ-9 is due for it: the only
    question is to end the course or renegotiate it (S6)."""
    case = _announced(_held(_nicola(), range(3, 17)), 13)
    agenda = next_steps(case, today=_week(17))
    assert agenda.report.contracted_sessions_held
    assert "reminder.contracted_sessions_held" in _codes(agenda)
    assert not [c for c in _codes(agenda) if c.startswith("measure.")]

    # Renegotiated to 20: session 17 is contracted, and its PHQ-9 is due again.
    more = case.renegotiate(on=_week(17), planned_sessions=20, reason="more time")
    assert "measure.phq9" in _codes(next_steps(more, today=_week(17)))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), protocol_strategy(), st.integers(min_value=0, max_value=400))
def test_no_measure_is_due_past_a_spent_contract(case: Case, protocol: Protocol, days: int) -> None:
    today = case.contract.start + timedelta(days=days)
    agenda = next_steps(case, today=today, protocol=protocol)
    if agenda.report.contracted_sessions_held:
        assert not [c for c in _codes(agenda) if c.startswith("measure.")]


# -- advice on a course that has ended --------------------------------------------------------------


def _completed_with_late_notice() -> Case:
    case = _announced(_held(_nicola(), range(3, 16)), 15)
    case = advance(case, Phase.TERMINATION, on=_week(15))
    case = _held(case, range(16, 17))
    review = attrs.evolve(
        case.termination or TerminationReview(),
        gains=("talks with Sam without shouting",),
        feelings_about_ending="sad, and ready",
        warning_signs=("withdrawing from Sam",),
        contingency_plan="call the service",
        maintenance_offered=False,
    )
    case = attrs.evolve(case, outcome=ExitOutcome.COMPLETED, termination=review)
    return advance(case, Phase.COMPLETED, on=_week(16))


def test_a_completed_course_keeps_the_late_notice_as_a_record_not_as_advice() -> None:
    """The end was announced only in session 15 of 16; the course completed. The supervisor reading
    the report still sees that the notice was late (a fidelity point), but no longer the advice
    "leave time to review the ending": there is no session left to leave time in."""
    done = _completed_with_late_notice()
    report = evaluate(done, today=_week(17))
    (late,) = [f for f in report.findings if f.code == "termination_notice_late"]
    assert not late.blocking
    assert "leave time" not in late.message
    assert "session 15" in late.message
    # While the course was still running, the same finding was advice.
    running = evaluate(done, today=_week(15) + timedelta(days=1))
    (advice,) = [f for f in running.findings if f.code == "termination_notice_late"]
    assert "leave time to review the ending" in advice.message


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(protocols.BUILTIN_PROTOCOLS)), st.sampled_from(sorted(TERMINAL_PHASES)))
def test_an_ended_course_is_given_no_advice_for_sessions_to_come(protocol_id: str, end: Phase) -> None:
    """Any built-in course, ended any way after the end was announced late: the agenda holds risk
    items only, and no finding asks for work in a session."""
    protocol = protocols.get(protocol_id)
    case = simulate_course(protocol)
    last = case.sessions[-1].number
    case = _announced(case, last)
    history = tuple(c for c in case.phase_history if c.phase not in TERMINAL_PHASES)
    case = attrs.evolve(case, phase_history=history, outcome=None)
    ended = attrs.evolve(case, phase_history=(*history, PhaseChange(phase=end, on=case.sessions[-1].date)))
    today = case.sessions[-1].date + timedelta(days=7)
    report = evaluate(ended, today=today)
    assert report.phase is end
    assert not {"termination_due", "contracted_sessions_held"} & {f.code for f in report.findings}
    assert not [f for f in report.findings if "leave time" in f.message]
    assert all(i.kind is ItemKind.RISK for i in next_steps(ended, today=today).items)


# -- contacts after the end, and what the report counts as sessions -------------------------------


def _completed_on_time() -> Case:
    case = _announced(_held(_nicola(), range(3, 15)), 13)
    case = advance(case, Phase.TERMINATION, on=_week(14) + timedelta(days=1))
    case = _held(case, range(15, 17))
    review = attrs.evolve(
        case.termination or TerminationReview(),
        gains=("talks with Sam without shouting",),
        feelings_about_ending="sad, and ready",
        warning_signs=("withdrawing from Sam",),
        contingency_plan="call the service",
        maintenance_offered=False,
    )
    case = attrs.evolve(case, outcome=ExitOutcome.COMPLETED, termination=review)
    return advance(case, Phase.COMPLETED, on=_week(16))


def test_a_follow_up_contact_after_the_end_is_not_a_session_beyond_the_contract() -> None:
    """Nicola's course completed at session 16. Three months later the service sees her for a
    follow-up PHQ-9 (recorded as contact 17). The course still ended after session 16 of 16; the
    follow-up is not a session held beyond the contract, and nothing asks to renegotiate."""
    done = _completed_on_time()
    follow_up = done.with_session(SessionRecord(number=17, date=_week(29)))
    agenda = next_steps(follow_up, today=_week(30))
    assert agenda.headline.startswith("ended after session 16 of 16")
    assert "sessions_beyond_contract" not in {f.code for f in agenda.report.findings}
    data = report_data(follow_up, today=_week(30))
    assert (data["sessions_held"], data["sessions_contracted"]) == (16, 16)

    # A session held beyond the contract before the course ended is still on the record.
    over = _held(_announced(_held(_nicola(), range(3, 17)), 13), range(17, 18))
    over = attrs.evolve(advance(over, Phase.TERMINATION, on=_week(17)), outcome=ExitOutcome.COMPLETED)
    over = advance(over, Phase.COMPLETED, on=_week(17))
    assert "sessions_beyond_contract" in {f.code for f in evaluate(over, today=_week(18)).findings}
    assert next_steps(over, today=_week(18)).headline.startswith("ended after session 17 of 16")


def test_the_report_does_not_count_the_engagement_session_among_the_contracted_sessions() -> None:
    """A brief IPT course: the engagement session (session 0), then the 8 contracted sessions, the
    client missing session 3. The report reads 8 of 8 sessions, 7 attended, never "9 of 8"."""
    course = simulate_course(protocols.get("brief"), missed={3: Attendance.DID_NOT_ATTEND})
    today = course.sessions[-1].date + timedelta(days=1)
    data = report_data(course, today=today)
    assert (data["sessions_held"], data["sessions_attended"], data["sessions_contracted"]) == (8, 7, 8)
    assert "8 of 8 sessions (7 attended)" in render_text(course, today=today)
    assert "9 of 8" not in render_text(course, today=today)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.integers(min_value=-30, max_value=400))
def test_the_report_counts_the_sessions_the_agenda_headline_counts(case: Case, days: int) -> None:
    today = case.contract.start + timedelta(days=days)
    data = report_data(case, today=today)
    agenda = next_steps(case, today=today)
    assert data["sessions_held"] == max(0, agenda.session - 1)
    assert 0 <= data["sessions_attended"] <= data["sessions_held"]


# -- a maintenance contract after acute treatment ---------------------------------------------------


def test_a_monthly_maintenance_contract_after_the_acute_course_is_not_outside_the_protocol() -> None:
    """Nicola remitted but has had three episodes: at session 16 the two agree monthly maintenance
    IPT for a year (S3 p.25: a new contract; S20 monthly IPT-M). The contract is renegotiated to 12
    more sessions, monthly. The standard protocol's 12-16 sessions are for the acute course; the
    maintenance contract is not "outside the protocol"."""
    case = _announced(_held(_nicola(), range(3, 15)), 13)
    case = advance(case, Phase.TERMINATION, on=_week(14) + timedelta(days=1))
    case = _held(case, range(15, 17))
    review = attrs.evolve(
        case.termination or TerminationReview(),
        gains=("talks with Sam without shouting",),
        feelings_about_ending="relieved",
        warning_signs=("withdrawing from Sam",),
        contingency_plan="call the service",
        maintenance_offered=True,
        maintenance_accepted=True,
    )
    case = attrs.evolve(case, outcome=ExitOutcome.MAINTENANCE_CONTRACT, termination=review)
    case = advance(case, Phase.MAINTENANCE, on=_week(16))
    case = case.renegotiate(
        on=_week(16), planned_sessions=28, reason="monthly maintenance for a year", frequency="monthly"
    )
    assert case.contract.current_frequency == "monthly"
    report = evaluate(case, today=_week(17))
    assert report.contracted_sessions == 28
    assert "contract_outside_protocol" not in {f.code for f in report.findings}

    # An acute contract of 28 sessions is outside the standard protocol, as before.
    long_acute = _nicola().renegotiate(on=_week(3), planned_sessions=28, reason="slow start")
    assert "contract_outside_protocol" in {f.code for f in evaluate(long_acute, today=_week(4)).findings}


# -- ending with a referral to another treatment ----------------------------------------------------


def test_ending_for_an_alternative_treatment_reminds_that_the_treatment_failed_not_the_client() -> None:
    """Nicola's PHQ-9 has not moved by session 14; in termination the therapist and Nicola agree to
    end with a referral for medication and another psychotherapy. The agenda for the last session
    reminds the therapist of Markowitz's advice: review the partial gains, say that the treatment
    failed, not Nicola, and offer an effective alternative (S3 p.25; S51)."""
    case = _announced(_held(_nicola(), range(3, 15)), 13)
    case = advance(case, Phase.TERMINATION, on=_week(14) + timedelta(days=1))
    case = _held(case, range(15, 16))
    referred = attrs.evolve(case, outcome=ExitOutcome.ALTERNATIVE_TREATMENT)
    agenda = next_steps(referred, today=_week(16))
    (item,) = [i for i in agenda.items if i.code == "reminder.treatment_failed_not_client"]
    assert "failed, not the client" in item.text
    assert "alternative" in item.text
    assert not item.blocking
    assert item.source == "S3 p.25; S51"
    assert "not your fault" in item.lay_text
    # Not when the course ends any other way.
    for outcome in (ExitOutcome.COMPLETED, ExitOutcome.MAINTENANCE_CONTRACT, None):
        other = next_steps(attrs.evolve(case, outcome=outcome), today=_week(16))
        assert "reminder.treatment_failed_not_client" not in _codes(other)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.integers(min_value=0, max_value=400))
def test_the_not_your_fault_reminder_goes_with_a_referral_in_termination_only(case: Case, days: int) -> None:
    today = case.contract.start + timedelta(days=days)
    agenda = next_steps(case, today=today)
    expected = agenda.phase is Phase.TERMINATION and case.outcome is ExitOutcome.ALTERNATIVE_TREATMENT
    assert ("reminder.treatment_failed_not_client" in _codes(agenda)) == expected


# -- a continuation contract ends as a contract does ------------------------------------------------


def _continuation() -> Case:
    """Nicola is better but still symptomatic at session 16; the two agree 8 more sessions of
    continuation IPT (S3 p.25: a new contract)."""
    case = _announced(_held(_nicola(), range(3, 15)), 13)
    case = advance(case, Phase.TERMINATION, on=_week(14) + timedelta(days=1))
    case = _held(case, range(15, 17))
    review = attrs.evolve(
        case.termination or TerminationReview(),
        gains=("talks with Sam without shouting",),
        feelings_about_ending="not ready yet",
        warning_signs=("withdrawing from Sam",),
        contingency_plan="call the service",
        maintenance_offered=True,
        maintenance_accepted=True,
    )
    case = attrs.evolve(case, outcome=ExitOutcome.CONTINUATION_CONTRACT, termination=review)
    case = advance(case, Phase.CONTINUATION, on=_week(16))
    return case.renegotiate(on=_week(16), planned_sessions=24, reason="continuation: 8 more sessions")


def test_a_continuation_contract_asks_for_its_end_to_be_announced() -> None:
    """The continuation's last session is 24: its end is announced by session 22, and the agenda
    says so; the engine will not move the course into termination without it."""
    case = _held(_continuation(), range(17, 20))
    agenda = next_steps(case, today=_week(20))
    (reminder,) = [i for i in agenda.items if i.code == "reminder.announce_termination"]
    assert reminder.text == "termination to be announced by session 22"
    due = next_steps(_held(case, range(20, 22)), today=_week(22))
    (reminder,) = [i for i in due.items if i.code == "reminder.announce_termination"]
    assert reminder.blocking
    # Announced at 22: the move into termination at 23 is allowed.
    announced = _announced(_held(case, range(20, 23)), 22)
    assert "reminder.announce_termination" not in _codes(next_steps(announced, today=_week(23)))
    assert advance(announced, Phase.TERMINATION, on=_week(23)).phase is Phase.TERMINATION


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), protocol_strategy(), st.integers(min_value=0, max_value=400))
def test_when_the_end_must_be_announced_to_move_on_the_agenda_asks_for_it(
    case: Case, protocol: Protocol, days: int
) -> None:
    today = case.contract.start + timedelta(days=days)
    agenda = next_steps(case, today=today, protocol=protocol)
    move = agenda.report.transition(Phase.TERMINATION)
    if move is not None and "termination_notice" in {p.code for p in move.unmet}:
        assert "reminder.announce_termination" in _codes(agenda)


# -- a task recorded under an id the protocol does not have -----------------------------------------


def test_a_task_recorded_under_a_misspelt_id_is_reported_not_silently_ignored() -> None:
    """The front end records the sick role as ``sickrole``; the standard protocol's task is
    ``sick_role``. The task stays open, and the report says why, naming the protocol's id."""
    case = _nicola().with_task(TaskRecord(task="sickrole", on=_week(1), session=1))
    report = evaluate(case, today=_week(3))
    (finding,) = [f for f in report.findings if f.code == "task_unknown"]
    assert finding.path == "$.tasks[0].task"
    assert not finding.blocking
    assert "sick_role" in finding.message
    assert "sickrole" not in finding.message.replace("sick_role", "")
    # Spelt right, it counts and nothing is reported.
    right = _nicola().with_task(TaskRecord(task="sick_role", on=_week(1), session=1))
    assert "task_unknown" not in {f.code for f in evaluate(right, today=_week(3)).findings}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), protocol_strategy())
def test_every_task_record_is_a_task_of_the_protocol_or_reported(case: Case, protocol: Protocol) -> None:
    today = date(2031, 1, 1)
    report = evaluate(case, protocol, today=today)
    known = {t.id for t in protocol.tasks}
    reported = {f.path for f in report.findings if f.code == "task_unknown"}
    expected = {
        f"$.tasks[{i}].task" for i, t in enumerate(case.tasks) if t.task not in known and t.on <= today
    }
    assert reported == expected  # a record dated after today counts for nothing yet, as every record


# -- the end of the initial phase -------------------------------------------------------------------


def _agreed_in_session_2_not_moved() -> Case:
    """Nicola agreed the formulation and the contract in session 2; the therapist has not yet
    recorded the move into the middle phase."""
    case = Case(
        id="nicola",
        contract=TreatmentContract(
            protocol_id="standard", start=_week(1), planned_sessions=16, agreed_on=_week(1)
        ),
        inventory=InterpersonalInventory(
            people=(Person(id="sam", alias="Sam", category=RelationshipCategory.PARTNER, in_conflict=True),)
        ),
        formulation=Formulation(
            focus=(RoleDispute(id="dispute", other_party="sam", stage=DisputeStage.RENEGOTIATION),),
            presented_on=_week(2),
            agreed_on=_week(2),
        ),
    )
    return _held(case, range(1, 3))


def test_the_end_of_the_initial_phase_does_not_ask_again_for_an_agreement_already_given() -> None:
    """Session 3 is the last the standard initial phase plans (S41: at most three). Nicola has
    already agreed the formulation: the reminder says to move into the middle phase, not to
    "present the formulation and seek agreement" again."""
    agenda = next_steps(_agreed_in_session_2_not_moved(), today=_week(3))
    assert agenda.report.transition(Phase.MIDDLE).allowed  # type: ignore[union-attr]
    (reminder,) = [i for i in agenda.items if i.code == "reminder.initial_phase_ends"]
    assert reminder.text == (
        "the initial phase should end by session 3: the formulation is agreed, move the course into "
        "the middle phase"
    )
    assert "seek agreement" not in reminder.text
    # Without the agreement, the reminder asks for it, as before.
    case = _agreed_in_session_2_not_moved()
    assert case.formulation is not None
    unagreed = attrs.evolve(case, formulation=attrs.evolve(case.formulation, agreed_on=None))
    (reminder,) = [
        i for i in next_steps(unagreed, today=_week(3)).items if i.code == "reminder.initial_phase_ends"
    ]
    assert reminder.text.endswith("present the formulation and seek agreement")


def test_a_spent_contract_headline_does_not_also_say_termination_work_is_due() -> None:
    """Nicola has just moved from termination into continuation; the continuation contract is
    not yet renegotiated. The agenda asks to renegotiate (or end); its headline does not also say
    "termination work due", for which it lists no task."""
    case = _continuation()
    spent = attrs.evolve(case, contract=attrs.evolve(case.contract, renegotiations=()))
    agenda = next_steps(spent, today=_week(17))
    assert agenda.headline.startswith("all 16 contracted sessions held, continuation")
    assert "termination work due" not in agenda.headline
    assert "reminder.contracted_sessions_held" in _codes(agenda)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.integers(min_value=0, max_value=400))
def test_no_headline_says_both_that_the_contract_is_spent_and_that_termination_work_is_due(
    case: Case, days: int
) -> None:
    agenda = next_steps(case, today=case.contract.start + timedelta(days=days))
    assert not ("contracted sessions held" in agenda.headline and "termination work due" in agenda.headline)
