"""A simulated course: a client who does what each session's agenda asks, from the first session of
a protocol to its last. Used by the examples and by the tests (no hypothesis needed)."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any, Final

import attrs

from ipt_core.domain.agenda import Agenda, next_steps
from ipt_core.domain.case import Case
from ipt_core.domain.contract import Frequency, TreatmentContract
from ipt_core.domain.course import ExitOutcome, Phase, TaskRecord, TerminationReview
from ipt_core.domain.formulation import Formulation
from ipt_core.domain.inventory import Expectation, InterpersonalInventory, Person, RelationshipCategory
from ipt_core.domain.measures.instruments import INSTRUMENTS
from ipt_core.domain.phases import PhaseReport, advance, evaluate
from ipt_core.domain.problem_areas import (
    AreaKind,
    DisputeStage,
    Grief,
    GriefForLostHealthySelf,
    InterpersonalDeficits,
    ProblemArea,
    RoleDispute,
    RoleInsecurity,
    RoleTransition,
)
from ipt_core.domain.protocols import Protocol
from ipt_core.domain.risk import HAMD_SUICIDE_ITEM, PHQ9_ITEM9
from ipt_core.domain.screening import Screening, ScreenResult
from ipt_core.domain.sessions import (
    Attendance,
    CommunicationAnalysis,
    DecisionAnalysis,
    DecisionOption,
    Incident,
    InstrumentAnswers,
    RolePlay,
    SessionRecord,
    Technique,
    WorkAtHome,
)
from ipt_core.domain.suggestions import suggest_problem_areas
from ipt_core.domain.timeline import EventKind, FuzzyDate, LifeEvent, Timeline
from ipt_core.errors import TransitionError

__all__ = ["Step", "simulate_course"]

_GAP = {
    Frequency.TWICE_WEEKLY: timedelta(days=3),
    Frequency.WEEKLY: timedelta(weeks=1),
    Frequency.FORTNIGHTLY: timedelta(weeks=2),
    Frequency.MONTHLY: timedelta(days=28),
}


@attrs.frozen
class Step:
    """One session of a simulated course: the agenda before it, the report after it."""

    session: int
    agenda: Agenda
    report: PhaseReport
    case: Case


def _fitting_answers(instrument: str, level: int) -> tuple[int, ...]:
    """An answer near ``level`` for each required item of a known instrument, within its range."""
    known = INSTRUMENTS.get(instrument)
    if known is None:
        return tuple(level for _ in range(5))
    return tuple(
        0 if item.id in _SUICIDE_ITEMS else min(item.maximum, max(item.minimum, level))
        for item in known.items[: known.required_count]
    )


_SUICIDE_ITEMS: Final = frozenset({PHQ9_ITEM9, HAMD_SUICIDE_ITEM})
"""The simulated client reports no thoughts of death or self-harm: a simulated course raises no
risk flag unless a test records one."""


def _story(kind: AreaKind) -> tuple[tuple[Person, ...], tuple[LifeEvent, ...]]:
    """The people and events of a client whose difficulties point to ``kind``."""
    friend = Person(id="friend", alias="Robin", category=RelationshipCategory.FRIEND, supportive=True)
    if kind is AreaKind.GRIEF:
        return (
            Person(
                id="dad",
                alias="Dad",
                category=RelationshipCategory.PARENT,
                deceased=True,
                changed_near_onset=True,
            ),
            friend,
        ), (LifeEvent(id="e1", kind=EventKind.DEATH, when=FuzzyDate(2024, 9), people=("dad",)),)
    if kind in (AreaKind.ROLE_TRANSITION, AreaKind.GRIEF_FOR_LOST_HEALTHY_SELF):
        event_kind = EventKind.ILLNESS if kind is AreaKind.GRIEF_FOR_LOST_HEALTHY_SELF else EventKind.JOB_LOSS
        return (friend,), (LifeEvent(id="e1", kind=event_kind, when=FuzzyDate(2024, 9)),)
    if kind in (AreaKind.INTERPERSONAL_DEFICITS, AreaKind.ROLE_INSECURITY):
        return (Person(id="colleague", alias="Lee", category=RelationshipCategory.COLLEAGUE),), ()
    partner = Person(
        id="partner",
        alias="Sam",
        category=RelationshipCategory.PARTNER,
        ring=1,
        in_conflict=True,
        client_expectations=(Expectation("support with job worries", met=False),),
        changed_near_onset=True,
    )
    return (partner, friend), (
        LifeEvent(id="e1", kind=EventKind.DISPUTE_START, when=FuzzyDate(2024, 9), people=("partner",)),
    )


def _area(kind: AreaKind, case: Case, on: date) -> ProblemArea:
    if kind is AreaKind.GRIEF:
        return Grief(id="focus", deceased="dad", events=("e1",))
    if kind is AreaKind.ROLE_DISPUTE:
        return RoleDispute(
            id="focus", other_party="partner", stage=DisputeStage.RENEGOTIATION, events=("e1",)
        )
    if kind is AreaKind.ROLE_TRANSITION:
        return RoleTransition(id="focus", old_role="employed", new_role="looking for work", events=("e1",))
    if kind is AreaKind.ROLE_INSECURITY:
        return RoleInsecurity(id="focus", feared_situations=("speaking up at work",))
    if kind is AreaKind.GRIEF_FOR_LOST_HEALTHY_SELF:
        return GriefForLostHealthySelf(id="focus", losses=("energy",), events=("e1",))
    return InterpersonalDeficits(id="focus", goals=("one new friendship",))


def _gap(protocol: Protocol) -> timedelta:
    return _GAP[protocol.sessions.frequency]


def _end_when_all_held(case: Case, protocol: Protocol, on: date) -> Case:
    """Once every contracted session is held: into termination, then ``completed``, recording the
    termination work the missed sessions left undone."""
    report = evaluate(case, protocol, today=on)
    if report.contracted_sessions_held and report.phase in (Phase.MIDDLE, Phase.MAINTENANCE):
        case = advance(case, Phase.TERMINATION, on=on, protocol=protocol)
        report = evaluate(case, protocol, today=on)
    if report.contracted_sessions_held and report.phase is Phase.TERMINATION:
        review = case.termination or TerminationReview()
        case = attrs.evolve(
            case,
            termination=attrs.evolve(review, maintenance_offered=True, maintenance_accepted=False),
            outcome=ExitOutcome.COMPLETED,
        )
        case = advance(case, Phase.COMPLETED, on=on, protocol=protocol)
    return case


def simulate_course(
    protocol: Protocol,
    *,
    start: date = date(2025, 1, 6),
    case_id: str = "sim",
    focus: AreaKind = AreaKind.ROLE_DISPUTE,
    on_step: Callable[[Step], None] | None = None,
    missed: Mapping[int, Attendance] | None = None,
) -> Case:
    """A course of ``protocol`` from its first session to its last, the client doing each session
    what the agenda asks: the end is announced when the agenda says so, the course moves into
    termination when the engine reports it due, and ends ``completed`` once every contracted
    session is held, with no renegotiation. ``focus`` picks the client's story (the protocol's
    first allowed area when it does not allow ``focus``).

    ``missed`` maps session numbers to the attendance of sessions the client missed (did not
    attend, cancelled): the therapist does in the next session attended what a missed one left
    undone, and once every contracted session is held moves the course on and ends it."""
    allowed = protocol.focus_kinds()
    if focus not in allowed:
        focus = next(k for k in AreaKind if k in allowed)
    people, events = _story(focus)
    first_phase = protocol.sequence()[0]
    case = Case(
        id=case_id,
        contract=TreatmentContract(
            protocol_id=protocol.id,
            start=start,
            planned_sessions=protocol.sessions.default_sessions,
            frequency=protocol.sessions.frequency,
        ),
        age_at_start=max(16, protocol.ages.min_age) if protocol.ages else 34,
        phase_history=(),
    )
    gap = _gap(protocol)
    last = protocol.sessions.default_sessions
    initial = protocol.phase_plan(Phase.INITIAL)
    initial_end = min(initial.max_sessions if initial and initial.max_sessions else 3, last - 2)
    numbers = ([0] if first_phase is Phase.PRE_TREATMENT else []) + list(range(1, last + 1))

    for i, number in enumerate(numbers):
        day = start + gap * i
        agenda = next_steps(case, today=day, protocol=protocol)
        if missed and number in missed:
            case = case.with_session(SessionRecord(number=number, date=day, attendance=missed[number]))
        else:
            announce = any(i.code == "reminder.announce_termination" and i.blocking for i in agenda.items)
            case = _hold_session(
                case,
                protocol,
                number=number,
                day=day,
                focus=focus,
                people=people,
                events=events,
                initial_end=initial_end,
                announce=announce,
            )
        after = day + timedelta(days=1)
        if missed:
            # A step a missed session left undone (the announcement, say) is done at the next one.
            with contextlib.suppress(TransitionError):
                case = _maybe_advance(case, protocol, number=number, on=after, initial_end=initial_end)
            case = _end_when_all_held(case, protocol, after)
        else:
            case = _maybe_advance(case, protocol, number=number, on=after, initial_end=initial_end)
        report = evaluate(case, protocol, today=after)
        if on_step is not None:
            on_step(Step(number, agenda, report, case))
    return case


def _hold_session(
    case: Case,
    protocol: Protocol,
    *,
    number: int,
    day: date,
    focus: AreaKind,
    people: tuple[Person, ...],
    events: tuple[LifeEvent, ...],
    initial_end: int,
    announce: bool,
) -> Case:
    phase = evaluate(case, protocol, today=day).phase
    score = max(0, 18 - number)
    measures = tuple(
        InstrumentAnswers(
            instrument=m.instrument,
            answers=_fitting_answers(m.instrument, score // 6),
        )
        for m in protocol.measures
        if number >= m.first_session and (number - m.first_session) % m.every_sessions == 0
    )
    session = SessionRecord(number=number, date=day, measures=measures, mood_rating=min(10, 3 + number // 2))
    if phase in (Phase.MIDDLE, Phase.MAINTENANCE):
        person = "partner" if focus is AreaKind.ROLE_DISPUTE else None
        session = attrs.evolve(
            session,
            mood_link="mood lifted after a calmer talk",
            techniques=(Technique.LINKING_MOOD_AND_EVENTS, Technique.COMMUNICATION_ANALYSIS),
            incidents=(
                Incident(
                    person=person,
                    summary="an argument about the week",
                    mood_link="felt low afterwards",
                    analysis=CommunicationAnalysis(
                        client_said="nothing", alternatives=("say I was worried",)
                    ),
                ),
            ),
            decisions=(DecisionAnalysis(options=(DecisionOption("talk tonight"),), chosen=0),),
            role_plays=(RolePlay(person=person, scenario="naming the fear"),),
            work_at_home=(WorkAtHome(task="one honest conversation"),) if protocol.homework.used else (),
            focus_area="focus" if case.focal_areas() else None,
        )
    case = case.with_session(session)
    report = evaluate(case, protocol, today=day)
    open_tasks = [t for t in report.open if t.id != "termination_announced"]
    if phase is Phase.INITIAL:
        remaining = max(1, initial_end - number + 1)
        open_tasks = open_tasks[: math.ceil(len(open_tasks) / remaining)]
    for task in open_tasks:
        case = _do(case, protocol, task.id, number=number, day=day, focus=focus, people=people, events=events)
    announced = case.termination is not None and case.termination.announced_in_session is not None
    if announce and not announced and phase is not Phase.TERMINATION:
        review = case.termination or TerminationReview()
        case = attrs.evolve(case, termination=attrs.evolve(review, announced_in_session=number))
    return case


def _do(
    case: Case,
    protocol: Protocol,
    task_id: str,
    *,
    number: int,
    day: date,
    focus: AreaKind,
    people: tuple[Person, ...],
    events: tuple[LifeEvent, ...],
) -> Case:
    formulation = case.formulation or Formulation(diagnosis="depressive episode")
    review = case.termination or TerminationReview()
    if task_id == "exclusion_screen" and protocol.exclusion_criteria:
        screened = tuple(Screening(c.id, ScreenResult.ABSENT, day) for c in protocol.exclusion_criteria)
        return attrs.evolve(case, screening=(*case.screening, *screened))
    if task_id == "inventory":
        return attrs.evolve(case, inventory=InterpersonalInventory(people=people))
    if task_id == "timeline":
        return attrs.evolve(case, timeline=Timeline(events=events, onset=FuzzyDate(2024, 10)))
    if task_id == "problem_area_chosen":
        if not case.inventory.people:
            case = attrs.evolve(case, inventory=InterpersonalInventory(people=people))
        if not case.timeline.events and events:
            case = attrs.evolve(case, timeline=Timeline(events=events, onset=FuzzyDate(2024, 10)))
        # The client's own story decides the focus; the suggestion is read as a front end would.
        suggest_problem_areas(case, protocol)
        return case.with_formulation(attrs.evolve(formulation, focus=(_area(focus, case, day),)))
    if task_id == "formulation_presented":
        return case.with_formulation(attrs.evolve(formulation, presented_on=day))
    if task_id == "formulation_agreed":
        if not formulation.focus:
            case = _do(
                case,
                protocol,
                "problem_area_chosen",
                number=number,
                day=day,
                focus=focus,
                people=people,
                events=events,
            )
            formulation = case.formulation or formulation
        presented = formulation.presented_on or day
        return case.with_formulation(attrs.evolve(formulation, presented_on=presented, agreed_on=day))
    if task_id == "contract_agreed":
        return attrs.evolve(case, contract=attrs.evolve(case.contract, agreed_on=day))
    termination_fields: dict[str, dict[str, Any]] = {
        "gains_reviewed": {"gains": ("talks openly with partner",), "attribution": "I spoke up"},
        "feelings_about_ending": {"feelings_about_ending": "sad and proud"},
        "warning_signs": {"warning_signs": ("withdrawing",)},
        "warning_signs_reviewed": {"warning_signs": ("withdrawing",)},
        "contingency_plan": {"contingency_plan": "call the service, talk to a friend"},
        "maintenance_discussed": {"maintenance_offered": True, "maintenance_accepted": False},
    }
    if task_id in termination_fields:
        changes = termination_fields[task_id]
        case = attrs.evolve(case, termination=attrs.evolve(review, **changes))
        if task_id != "warning_signs_reviewed":
            return case
    if task_id in ("social_rhythm_assessed", "social_rhythm_review"):
        last = case.sessions[-1]
        if last.answers("srm5") is None:
            srm = InstrumentAnswers(instrument="srm5", answers=(420, 480, 540, 1140, 1380))
            case = attrs.evolve(
                case, sessions=(*case.sessions[:-1], attrs.evolve(last, measures=(*last.measures, srm)))
            )
        return case
    if task_id in ("engagement_session", "pre_group_meeting") and any(s.number == 0 for s in case.sessions):
        return case
    return case.with_task(TaskRecord(task=task_id, on=day, session=number))


def _maybe_advance(case: Case, protocol: Protocol, *, number: int, on: date, initial_end: int) -> Case:
    """Every move the engine says is due after session ``number``, each through the gates."""
    for _ in range(len(protocol.sequence()) + 1):
        report = evaluate(case, protocol, today=on)
        phase = report.phase
        target: Phase | None = None
        if phase is Phase.PRE_TREATMENT:
            target = Phase.INITIAL
        elif phase is Phase.INITIAL and number >= initial_end:
            target = protocol.sequence()[protocol.sequence().index(Phase.INITIAL) + 1]
        elif phase in (Phase.MIDDLE, Phase.MAINTENANCE) and report.termination_due:
            target = Phase.TERMINATION
        elif phase is Phase.TERMINATION and report.contracted_sessions_held:
            case = attrs.evolve(case, outcome=ExitOutcome.COMPLETED)
            target = Phase.COMPLETED
        if target is None:
            return case
        case = advance(case, target, on=on, protocol=protocol, reason="the protocol's plan")
    return case
