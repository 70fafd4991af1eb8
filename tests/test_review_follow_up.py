"""A follow-up rating after the course ended does not change the course's NHS Talking Therapies
outcome, which pairs the first and last scores of the course of treatment (§6.3 of the measures
reference: "a clinical case at the start of their treatment and not at the end of their
treatment"; a course of therapy lies between referral and end dates).
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import ipt_core
from ipt_core import (
    Case,
    ExitOutcome,
    InstrumentAnswers,
    Phase,
    PhaseChange,
    SessionRecord,
    TreatmentContract,
)
from ipt_core.analytics import service_outcomes
from ipt_core.progress import evaluate

START = date(2025, 1, 6)


def _phq9(level: int) -> InstrumentAnswers:
    return InstrumentAnswers("phq9", (level,) * 8 + (0,))


def _gad7(level: int) -> InstrumentAnswers:
    return InstrumentAnswers("gad7", (level,) * 7)


def _course(*, follow_up: int | None) -> Case:
    """Nicola's 16 sessions: PHQ-9 16 and GAD-7 14 at the start (a case on both), PHQ-9 0 and
    GAD-7 0 at session 16, when the course completed. With ``follow_up``, a contact three months
    later rates every item ``follow_up``."""
    sessions = [
        SessionRecord(
            number=n,
            date=START + timedelta(weeks=n - 1),
            measures=(
                _phq9(2 if n == 1 else 0 if n == 16 else 1),
                _gad7(2 if n == 1 else 0 if n == 16 else 1),
            ),
        )
        for n in range(1, 17)
    ]
    end = sessions[-1].date
    if follow_up is not None:
        sessions.append(
            SessionRecord(
                number=17, date=end + timedelta(weeks=13), measures=(_phq9(follow_up), _gad7(follow_up))
            )
        )
    return Case(
        id="nicola",
        contract=TreatmentContract(protocol_id="standard", start=START, planned_sessions=16, agreed_on=START),
        sessions=tuple(sessions),
        phase_history=(PhaseChange(Phase.COMPLETED, end),),
        outcome=ExitOutcome.COMPLETED,
    )


def test_a_relapse_at_follow_up_does_not_undo_the_recovery_of_the_course() -> None:
    """Nicola ended her course recovered (PHQ-9 0, GAD-7 0). At a follow-up three months later she
    scores PHQ-9 16 and GAD-7 14 again. The course's outcome stays "recovered": the follow-up is a
    new finding (a relapse, for the clinician to act on), not the end of that course."""
    plain = evaluate(_course(follow_up=None), today=START + timedelta(weeks=40))
    later = evaluate(_course(follow_up=2), today=START + timedelta(weeks=40))
    assert plain.talking_therapies is not None
    assert plain.talking_therapies.recovered
    assert later.talking_therapies == plain.talking_therapies
    assert later.attended_sessions == plain.attended_sessions == 16
    # The service table pairs the same scores.
    assert service_outcomes([_course(follow_up=2)], by=()).total.recovered == 1
    assert ipt_core.analytics.case_measures(_course(follow_up=2)).last == {"phq9": 0, "gad7": 0}
    # The follow-up rating itself is still on the PHQ-9 trajectory for the clinician to see.
    assert later.instruments["phq9"].points[-1].session == 17


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 3), st.integers(1, 60))
def test_a_contact_after_the_end_never_changes_the_talking_therapies_outcome(level: int, weeks: int) -> None:
    plain = _course(follow_up=None)
    extra = attrs.evolve(
        plain,
        sessions=(
            *plain.sessions,
            SessionRecord(
                number=17,
                date=plain.sessions[-1].date + timedelta(weeks=weeks),
                measures=(_phq9(level), _gad7(level)),
            ),
        ),
    )
    today = START + timedelta(weeks=200)
    assert evaluate(extra, today=today).talking_therapies == evaluate(plain, today=today).talking_therapies
    assert service_outcomes([extra], by=()) == service_outcomes([plain], by=())
