"""Outcomes by NHS England's published definitions: finished treatment is an ended course with at
least two attended *treatment* sessions (measures-and-progress.md §6.3); session 0 is not treatment."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from _measures_helpers import answers_for
from ipt_core import (
    Attendance,
    Case,
    ExitOutcome,
    InstrumentAnswers,
    Phase,
    PhaseChange,
    SessionRecord,
    TreatmentContract,
)
from ipt_core.analytics import case_measures, service_outcomes
from ipt_core.domain.course import TERMINAL_PHASES
from ipt_core.errors import ValidationError
from ipt_core.progress import TalkingTherapiesSettings, evaluate, talking_therapies_outcome
from ipt_core.testing import cases, complete_answers

START = date(2025, 3, 3)
FAR = date(2030, 1, 1)


def _scores(phq9: int, gad7: int) -> tuple[InstrumentAnswers, ...]:
    return (
        InstrumentAnswers("phq9", tuple(answers_for("phq9", phq9, skip=(8,)))),
        InstrumentAnswers("gad7", tuple(answers_for("gad7", gad7))),
    )


def _brief(*numbers_and_scores: tuple[int, int, int], outcome: ExitOutcome | None) -> Case:
    """An IPT-B client: sessions numbered from 0 (the engagement session), each with its scores."""
    sessions = tuple(
        SessionRecord(number=n, date=START + timedelta(weeks=i), measures=_scores(p, g))
        for i, (n, p, g) in enumerate(numbers_and_scores)
    )
    return Case(
        id="ipt-b",
        contract=TreatmentContract(protocol_id="brief", start=START, planned_sessions=8),
        sessions=sessions,
        outcome=outcome,
    )


def test_engagement_session_and_one_treatment_session_is_not_finished() -> None:
    # PHQ-9 16 -> 5 and GAD-7 12 -> 3 would be a reliable recovery, but session 0 is the
    # engagement session: one treatment session only, so not a finished course.
    case = _brief((0, 16, 12), (1, 5, 3), outcome=ExitOutcome.DROPPED_OUT)
    report = evaluate(case, today=FAR)
    assert report.attended_sessions == 2
    assert report.treatment_sessions == 1
    assert report.ended
    tt = report.talking_therapies
    assert tt is not None
    assert not tt.finished_treatment
    assert not tt.recovered
    assert not tt.reliably_recovered
    row = service_outcomes([case], by=()).total
    assert (row.finished_treatment, row.reliably_recovered) == (0, 0)


def test_two_treatment_sessions_in_an_ended_course_are_finished() -> None:
    case = _brief((0, 16, 12), (1, 12, 9), (2, 5, 3), outcome=ExitOutcome.COMPLETED)
    tt = evaluate(case, today=FAR).talking_therapies
    assert tt is not None
    assert tt.finished_treatment
    assert tt.reliably_recovered
    row = service_outcomes([case], by=()).total
    assert (row.finished_treatment, row.reliably_recovered) == (1, 1)


def test_a_course_still_under_way_has_not_finished() -> None:
    case = _brief((0, 16, 12), (1, 12, 9), (2, 5, 3), outcome=None)
    tt = evaluate(case, today=FAR).talking_therapies
    assert tt is not None
    assert not tt.finished_treatment
    assert service_outcomes([case], by=()).total.finished_treatment == 0
    # Interim monitoring may count ongoing courses, as a setting.
    interim = TalkingTherapiesSettings(requires_ended=False)
    assert service_outcomes([case], by=(), settings=interim).total.finished_treatment == 1


def test_reliable_deterioration_default_is_either_measure() -> None:
    # NHS England counts a reliable rise on either measure (PHQ-9 >= 6 or GAD-7 >= 4), §6.3.
    out = talking_therapies_outcome({"phq9": 12, "gad7": 4}, {"phq9": 5, "gad7": 9}, attended_sessions=4)
    assert out.reliably_deteriorated
    assert not out.reliably_improved
    strict = TalkingTherapiesSettings(deterioration_requires_no_improvement=True)
    out = talking_therapies_outcome(
        {"phq9": 12, "gad7": 4}, {"phq9": 5, "gad7": 9}, attended_sessions=4, settings=strict
    )
    assert not out.reliably_deteriorated


@settings(max_examples=100, deadline=None)
@given(cases(max_sessions=8), st.sampled_from(list(ExitOutcome)) | st.none())
def test_finished_means_ended_with_two_treatment_sessions(case: Case, outcome: ExitOutcome | None) -> None:
    case = attrs.evolve(case, outcome=outcome)
    try:
        report = evaluate(case, today=FAR)
    except ValidationError:  # answers a generated case holds may not be scorable
        return
    # A contact after the course ended (its first move into a final phase) is a follow-up, not
    # a session of the course.
    ends = [c.on for c in case.phase_history if c.phase in TERMINAL_PHASES]
    last_day = min([FAR, *ends])
    treatment = sum(1 for s in case.sessions if s.attended and s.number >= 1 and s.date <= last_day)
    assert report.treatment_sessions == treatment
    tt = report.talking_therapies
    if tt is not None:
        assert tt.finished_treatment == (report.ended and treatment >= 2)
    # Session 0 never decides whether a course finished.
    zero = [s for s in case.sessions if s.number == 0]
    if (
        not zero
        or any(t.session == 0 for t in case.tasks)
        or (case.termination is not None and case.termination.announced_in_session == 0)
    ):
        return
    other = evaluate(attrs.evolve(case, sessions=tuple(s for s in case.sessions if s.number != 0)), today=FAR)
    if tt is not None and other.talking_therapies is not None:
        assert other.talking_therapies.finished_treatment == tt.finished_treatment


def test_a_course_that_ends_later_has_not_finished_as_of_an_earlier_day() -> None:
    # An IPT-B client whose course is completed in week 6; her progress is read as of week 3,
    # when treatment was still under way.
    case = _brief((0, 16, 12), (1, 12, 9), (2, 8, 6), (3, 5, 3), (4, 5, 3), outcome=ExitOutcome.COMPLETED)
    case = attrs.evolve(
        case,
        phase_history=(
            PhaseChange(phase=Phase.INITIAL, on=START),
            PhaseChange(phase=Phase.TERMINATION, on=START + timedelta(weeks=4)),
            PhaseChange(phase=Phase.COMPLETED, on=START + timedelta(weeks=6)),
        ),
    )
    early = evaluate(case, today=START + timedelta(weeks=3))
    assert not early.ended
    assert early.talking_therapies is not None
    assert not early.talking_therapies.finished_treatment
    late = evaluate(case, today=START + timedelta(weeks=6))
    assert late.ended
    assert late.talking_therapies is not None
    assert late.talking_therapies.finished_treatment


def test_scores_sent_for_a_missed_session_are_not_paired_scores_in_the_report_or_the_table() -> None:
    # An IPT-B client misses her engagement session but sends her questionnaires in (PHQ-9 22,
    # GAD-7 15); she attends the treatment sessions (PHQ-9 17 -> 13, GAD-7 13 -> 11). NHS Talking
    # Therapies pairs scores recorded at attended contacts: no reliable change, in her own report
    # as in the service table.
    case = _brief((0, 22, 15), (1, 17, 13), (2, 16, 12), (3, 13, 11), outcome=ExitOutcome.COMPLETED)
    missed = attrs.evolve(case.sessions[0], attendance=Attendance.DID_NOT_ATTEND)
    case = attrs.evolve(case, sessions=(missed, *case.sessions[1:]))
    tt = evaluate(case, today=FAR).talking_therapies
    assert tt is not None
    assert tt.finished_treatment
    assert (tt.reliably_improved, tt.no_reliable_change) == (False, True)
    row = service_outcomes([case], by=()).total
    assert (row.reliably_improved, row.no_reliable_change, row.phq9_change_sum) == (0, 1, -4)


_MISSED = st.sampled_from([a for a in Attendance if a is not Attendance.ATTENDED])


@settings(max_examples=100, deadline=None)
@given(cases(max_sessions=5), st.data())
def test_the_report_and_the_service_table_pair_the_same_scores(case: Case, data: st.DataObject) -> None:
    """Whichever sessions were missed, a case's own Talking Therapies outcome is the one the
    service table counts for it."""
    sessions = tuple(
        attrs.evolve(
            s,
            attendance=data.draw(_MISSED) if data.draw(st.booleans()) else s.attendance,
            measures=tuple(
                InstrumentAnswers(name, data.draw(complete_answers(name)))
                for name in ("phq9", "gad7")
                if data.draw(st.booleans())
            ),
        )
        for s in case.sessions
    )
    case = attrs.evolve(case, sessions=sessions, outcome=data.draw(st.sampled_from(list(ExitOutcome))))
    try:
        tt = evaluate(case, today=date.max).talking_therapies  # every session held, as the table reads them
    except ValidationError:  # answers a generated case holds may not be scorable
        return
    measures = case_measures(case)
    if len(measures.first) < 2:
        assert tt is None
        return
    assert tt == talking_therapies_outcome(
        measures.first, measures.last, attended_sessions=measures.treatment_sessions, ended=measures.ended
    )
