"""A group member's outcome pairs the scores of the contacts they attended, as the service table
and the member's own progress report do (NHS Talking Therapies pairs attended contacts)."""

from __future__ import annotations

from datetime import date

import attrs
from hypothesis import given
from hypothesis import strategies as st

import ipt_core
from ipt_core.domain.sessions import Attendance, InstrumentAnswers
from ipt_core.testing import sample_group, sample_group_cases

TODAY = date(2025, 9, 1)


def _attended_totals(case: ipt_core.Case, name: str) -> list[int]:
    return [
        int(ipt_core.measures.score(m.instrument, m.answers).total or 0)
        for s in case.sessions
        if s.attendance is Attendance.ATTENDED
        for m in s.measures
        if m.instrument == name
    ]


def _with_answers_sent_while_absent(case: ipt_core.Case) -> ipt_core.Case:
    """The member missed a group session but sent a PHQ-9 scoring 24 by text message."""
    sent = InstrumentAnswers("phq9", (3, 3, 3, 3, 3, 3, 3, 3, 0))
    sessions = tuple(
        attrs.evolve(s, measures=(sent,)) if s.attendance is not Attendance.ATTENDED and not s.measures else s
        for s in case.sessions
    )
    return attrs.evolve(case, sessions=sessions)


def test_answers_sent_for_a_missed_group_session_are_not_the_members_last_score() -> None:
    group = sample_group(8, seed=3)
    cases = [_with_answers_sent_while_absent(c) for c in sample_group_cases(group, seed=3)]
    outcomes = ipt_core.group_outcomes(group, cases, today=TODAY)
    missed = [c for c in cases if any(s.attendance is not Attendance.ATTENDED for s in c.sessions)]
    assert missed, "the sample group has members who missed a session"
    for member in outcomes.members:
        case = next(c for c in cases if c.id == member.case_id)
        totals = _attended_totals(case, "phq9")
        assert (member.first.get("phq9"), member.last.get("phq9")) == (totals[0], totals[-1])


@given(st.integers(3, 10), st.integers(0, 50))
def test_a_members_paired_scores_are_those_of_attended_contacts(members: int, seed: int) -> None:
    group = sample_group(members, seed=seed)
    cases = [_with_answers_sent_while_absent(c) for c in sample_group_cases(group, seed=seed)]
    outcomes = ipt_core.group_outcomes(group, cases, today=TODAY)
    for member in outcomes.members:
        case = next(c for c in cases if c.id == member.case_id)
        for name in ("phq9", "gad7"):
            totals = _attended_totals(case, name)
            expected = (totals[0], totals[-1]) if totals else (None, None)
            assert (member.first.get(name), member.last.get(name)) == expected
        report = ipt_core.progress.evaluate(case, today=TODAY).talking_therapies
        if report is not None and "gad7" in member.first:
            assert report.recovered == member.recovered


def _first_phq9_mild(case: ipt_core.Case) -> ipt_core.Case:
    """The member came in with mild symptoms: her first PHQ-9 scores 7, below an index score."""
    mild = InstrumentAnswers("phq9", (1, 1, 1, 1, 1, 1, 1, 0, 0))
    first = next(i for i, s in enumerate(case.sessions) if s.attendance is Attendance.ATTENDED)
    session = case.sessions[first]
    measures = tuple(mild if m.instrument == "phq9" else m for m in session.measures)
    sessions = (*case.sessions[:first], attrs.evolve(session, measures=measures), *case.sessions[first + 1 :])
    return attrs.evolve(case, sessions=sessions)


def _judged_rate(outcomes: ipt_core.GroupOutcomes, name: str) -> float | None:
    paired = [m for m in outcomes.members if m.finished_treatment and m.phq9_change is not None]
    judged = [getattr(m, name) for m in paired if getattr(m, name) is not None]
    return None if not judged else sum(judged) / len(judged)


@given(st.integers(3, 10), st.integers(0, 50), st.integers(0, 9))
def test_response_and_remission_rates_are_over_the_members_they_were_judged_for(
    members: int, seed: int, mild: int
) -> None:
    """A member whose first PHQ-9 is below an index score of 10 is not judged for response or
    remission (CMS159; Coley et al.): she is in neither the count nor the denominator of the rate,
    as a member with no paired scores is not."""
    group = sample_group(members, seed=seed)
    given_cases = sample_group_cases(group, seed=seed)
    cases = [_first_phq9_mild(c) if i == mild % len(given_cases) else c for i, c in enumerate(given_cases)]
    outcomes = ipt_core.group_outcomes(group, cases, today=TODAY)
    assert outcomes.response_rate == _judged_rate(outcomes, "response")
    assert outcomes.remission_rate == _judged_rate(outcomes, "remission")
