"""A self-guided programme as the person using it meets it: a week missed, a week paused for risk.

The vignette is Robin's 8-week self-guided course, recorded as the app would send it: one session a
week, the PHQ-9 each week, the tasks the week's module covers recorded as done.
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipt_core import (
    Attendance,
    Case,
    Formulation,
    FuzzyDate,
    InstrumentAnswers,
    InterpersonalInventory,
    Person,
    Phase,
    RelationshipCategory,
    RiskCheck,
    RiskLevel,
    RoleDispute,
    SessionRecord,
    TaskRecord,
    Technique,
    TerminationReview,
    Timeline,
    TreatmentContract,
    protocols,
)
from ipt_core.agenda import ItemKind, next_steps
from ipt_core.domain.problem_areas import DisputeStage
from ipt_core.phases import advance, evaluate
from ipt_core.testing import simulate_course

START = date(2025, 3, 3)
PROGRAMME = protocols.get("self-guided-8-week")


def _week(n: int) -> date:
    return START + timedelta(weeks=n - 1)


def _phq9(item9: int = 0) -> InstrumentAnswers:
    return InstrumentAnswers(instrument="phq9", answers=(2, 2, 1, 2, 1, 1, 1, 0, item9))


def _robin() -> Case:
    return Case(
        id="robin",
        contract=TreatmentContract(
            protocol_id="self-guided-8-week", start=_week(1), planned_sessions=8, agreed_on=_week(1)
        ),
    )


def _done(case: Case, week: int, *tasks: str) -> Case:
    for task in tasks:
        case = case.with_task(TaskRecord(task=task, on=_week(week), session=week))
    return case


def _week_1_and_2(case: Case) -> Case:
    case = case.with_session(SessionRecord(number=1, date=_week(1), measures=(_phq9(),)))
    case = _done(case, 1, "psychoeducation", "sick_role")
    case = case.with_session(SessionRecord(number=2, date=_week(2), measures=(_phq9(),)))
    people = (Person(id="kim", alias="Kim", category=RelationshipCategory.PARTNER, in_conflict=True),)
    timeline = Timeline(onset=FuzzyDate(2024, 11))
    return attrs.evolve(case, inventory=InterpersonalInventory(people=people), timeline=timeline)


def _focus_chosen(case: Case, week: int) -> Case:
    return case.with_formulation(
        Formulation(
            focus=(RoleDispute(id="dispute", other_party="kim", stage=DisputeStage.RENEGOTIATION),),
            presented_on=_week(week),
            agreed_on=_week(week),
        )
    )


def _modules(case: Case, today: date) -> list[str]:
    return [i.code for i in next_steps(case, today=today).items if i.kind is ItemKind.MODULE]


def test_a_missed_week_shows_its_module_again_while_its_tasks_are_open() -> None:
    """Robin did weeks 1 and 2, then did not open the app in week 3 ("Choosing your focus"). In
    week 4 the focus is still to choose and agree, and the agenda must give Robin the module that
    does it, not only week 4's "Noticing mood and events"."""
    case = _week_1_and_2(_robin())
    case = case.with_session(SessionRecord(number=3, date=_week(3), attendance=Attendance.DID_NOT_ATTEND))
    agenda = next_steps(case, today=_week(4))
    assert agenda.phase is Phase.INITIAL
    assert _modules(case, _week(4)) == ["module.3", "module.4"]
    (catch_up,) = [i for i in agenda.items if i.code == "module.3"]
    assert catch_up.text == "Choosing your focus (from week 3)"
    assert not catch_up.blocking

    # Robin chooses and agrees the focus in week 4: module 3 is done and not shown again.
    case = _focus_chosen(case.with_session(SessionRecord(number=4, date=_week(4))), 4)
    assert "module.3" not in _modules(case, _week(5))


def test_a_week_paused_for_risk_shows_its_module_once_a_clinician_has_reviewed() -> None:
    """Robin answers item 9 of the week-3 PHQ-9 with "more than half the days". The programme
    pauses its modules (S34 escalation data); week 4's module "Noticing mood and events" is not
    shown. The service's clinician reviews the risk at the week-4 contact. In week 5 the programme
    resumes where it paused: week 4's module, whose task is still open, then week 5's."""
    case = _week_1_and_2(_robin())
    case = _focus_chosen(case.with_session(SessionRecord(number=3, date=_week(3), measures=(_phq9(2),))), 3)
    case = advance(case, Phase.MIDDLE, on=_week(3), protocol=PROGRAMME)

    paused = next_steps(case, today=_week(4))
    assert "risk.modules_paused" in [i.code for i in paused.items]
    assert _modules(case, _week(4)) == []

    reviewed = case.with_session(
        SessionRecord(number=4, date=_week(4), risk_check=RiskCheck(level=RiskLevel.LOW))
    )
    assert _modules(reviewed, _week(5)) == ["module.4", "module.5"]

    # Once Robin has linked mood and events (module 4's task) and looked closely at the row with
    # Kim (module 5's), both are done.
    linked = reviewed.with_session(
        SessionRecord(
            number=5,
            date=_week(5),
            mood_link="low after the row with Kim",
            techniques=(Technique.COMMUNICATION_ANALYSIS,),
        )
    )
    assert _modules(linked, _week(6)) == ["module.6"]


def test_a_module_of_a_phase_the_course_has_left_is_not_shown_again() -> None:
    """Robin never did a communication analysis (module 5); in week 7 the course is in its
    termination weeks, and the agenda gives the termination modules, not the middle-phase one."""
    case = _week_1_and_2(_robin())
    case = _focus_chosen(case.with_session(SessionRecord(number=3, date=_week(3))), 3)
    case = advance(case, Phase.MIDDLE, on=_week(3), protocol=PROGRAMME)
    for n in (4, 5, 6):
        case = case.with_session(SessionRecord(number=n, date=_week(n), mood_link="linked"))
    review = attrs.evolve(case.termination or TerminationReview(), announced_in_session=5)
    case = advance(attrs.evolve(case, termination=review), Phase.TERMINATION, on=_week(6), protocol=PROGRAMME)
    assert _modules(case, _week(7)) == ["module.7"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    missed=st.sets(st.integers(min_value=1, max_value=8), max_size=4),
    day=st.integers(min_value=0, max_value=70),
)
def test_every_module_shown_is_this_weeks_or_one_of_this_phase_with_open_work(
    missed: set[int], day: int
) -> None:
    """For any pattern of missed weeks: each module on the agenda is either the week's own, or an
    earlier module of the current phase with a task still open; and an earlier module of the current
    phase with a task still open is never left out (unless the modules are paused)."""
    case = simulate_course(PROGRAMME, start=START, missed=dict.fromkeys(missed, Attendance.DID_NOT_ATTEND))
    today = START + timedelta(days=day)
    agenda = next_steps(case, today=today)
    report = evaluate(case, today=today)
    open_ids = {t.id for t in report.open}
    owed = {
        f"module.{m.week}"
        for m in PROGRAMME.modules
        if m.week < agenda.session and m.phase is agenda.phase and open_ids & set(m.tasks)
    }
    shown = set(_modules(case, today))
    paused = "risk.modules_paused" in [i.code for i in agenda.items]
    if agenda.phase in (Phase.COMPLETED, Phase.DROPPED_OUT) or paused:
        assert shown == set()
        return
    this_week = {f"module.{m.week}" for m in PROGRAMME.modules if m.week == agenda.session}
    assert shown == owed | this_week


def test_before_the_first_week_there_are_no_tracked_moods_to_review() -> None:
    """Robin signs up on Friday; the programme starts on Monday. Nothing has been tracked yet: the
    first agenda does not ask to review "the mood ratings tracked since the last session"."""
    before = next_steps(_robin(), today=_week(1) - timedelta(days=3))
    assert "review.mood_tracking" not in [i.code for i in before.items]
    assert [i.code for i in before.items if i.kind is ItemKind.MODULE] == ["module.1"]
    # After week 1, the week's ratings are there to review.
    after = _robin().with_session(SessionRecord(number=1, date=_week(1), measures=(_phq9(),)))
    assert "review.mood_tracking" in [i.code for i in next_steps(after, today=_week(2)).items]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(protocols.BUILTIN_PROTOCOLS)), st.integers(min_value=-60, max_value=60))
def test_no_agenda_reviews_a_last_session_that_was_never_held(protocol_id: str, days: int) -> None:
    protocol = protocols.get(protocol_id)
    case = Case(
        id="new",
        contract=TreatmentContract(
            protocol_id=protocol_id, start=START, planned_sessions=protocol.sessions.default_sessions
        ),
    )
    agenda = next_steps(case, today=START + timedelta(days=days))
    assert not [i for i in agenda.items if i.kind is ItemKind.REVIEW]


def test_an_ended_programme_shows_crisis_resources_but_pauses_no_modules() -> None:
    """Robin finished the 8 weeks. A month later a follow-up PHQ-9 has item 9 answered "nearly
    every day". Crisis resources and the risk review lead, as always; but the programme has ended,
    so the agenda does not say its weekly modules are paused."""
    done = simulate_course(PROGRAMME, start=START)
    last = done.sessions[-1]
    follow_up = done.with_session(
        SessionRecord(number=last.number + 1, date=last.date + timedelta(days=30), measures=(_phq9(3),))
    )
    codes = [i.code for i in next_steps(follow_up, today=last.date + timedelta(days=31)).items]
    assert codes[:2] == ["risk.crisis_resources", "risk.review"]
    assert "risk.modules_paused" not in codes
