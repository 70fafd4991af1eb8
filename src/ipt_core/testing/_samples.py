"""A deterministic, realistic case for docs, examples and benchmarks (no hypothesis needed)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

import attrs

from ipt_core.domain.case import Case
from ipt_core.domain.contract import Frequency, TreatmentContract
from ipt_core.domain.course import ExitOutcome, Phase, PhaseChange, TaskRecord
from ipt_core.domain.formulation import Formulation
from ipt_core.domain.inventory import (
    ContactFrequency,
    Expectation,
    InterpersonalInventory,
    Person,
    RelationshipCategory,
)
from ipt_core.domain.problem_areas import (
    DisputeStage,
    Grief,
    InterpersonalDeficits,
    RoleDispute,
    RoleTransition,
    StageChange,
)
from ipt_core.domain.sessions import (
    Attendance,
    CommunicationAnalysis,
    Incident,
    InstrumentAnswers,
    RiskCheck,
    RiskLevel,
    SessionRecord,
    Technique,
)
from ipt_core.domain.timeline import EventKind, FuzzyDate, LifeEvent, Timeline

__all__ = ["sample_case", "sample_cohort"]

_ALIASES = (
    "Sam",
    "Alex",
    "Jo",
    "Mum",
    "Dad",
    "Robin",
    "Kit",
    "Lee",
    "Ash",
    "Max",
    "Nat",
    "Pat",
    "Ray",
    "Sky",
    "Val",
    "Wren",
    "Bo",
    "Cam",
    "Dee",
    "Eli",
)
_CATEGORIES = (
    RelationshipCategory.PARTNER,
    RelationshipCategory.PARENT,
    RelationshipCategory.PARENT,
    RelationshipCategory.SIBLING,
    RelationshipCategory.FRIEND,
    RelationshipCategory.FRIEND,
    RelationshipCategory.COLLEAGUE,
    RelationshipCategory.SUPERVISOR,
    RelationshipCategory.OTHER_FAMILY,
    RelationshipCategory.ACQUAINTANCE,
    RelationshipCategory.CHILD,
    RelationshipCategory.OTHER,
)
_START = date(2025, 1, 6)


def _person(rng: random.Random, index: int) -> Person:
    category = _CATEGORIES[index % len(_CATEGORIES)]
    alias = _ALIASES[index % len(_ALIASES)] + ("" if index < len(_ALIASES) else str(index))
    return Person(
        id=f"p{index + 1}",
        alias=alias,
        category=category,
        ring=1 if index == 0 else rng.randint(1, 3),
        contact_frequency=rng.choice(list(ContactFrequency)[:5]),
        shared_activities=("meals together", "walks") if index % 2 == 0 else ("messages",),
        satisfying=("feels understood",) if rng.random() < 0.6 else (),
        unsatisfying=("arguments about money",) if index == 0 else (),
        client_expectations=(Expectation("to be listened to", met=rng.random() < 0.5),),
        other_expectations=(Expectation("more time together", met=None),) if index == 0 else (),
        wished_changes=("talk more openly",) if index < 3 else (),
        supportive=rng.random() < 0.6,
        confidant=rng.random() < 0.3,
        in_conflict=index == 0 or rng.random() < 0.1,
        knows_about_difficulties=rng.random() < 0.5,
        changed_near_onset=index == 0,
        notes="",
    )


def _answers(rng: random.Random, items: int, level: float) -> tuple[int, ...]:
    """Item answers 0-3 whose mean follows ``level`` (0 = none, 3 = nearly every day)."""
    return tuple(max(0, min(3, round(level + rng.uniform(-0.8, 0.8)))) for _ in range(items))


def sample_case(sessions: int = 16, people: int = 12, seed: int = 0) -> Case:
    """A realistic case: a role dispute with a partner, an anticipated job loss, ``sessions``
    weekly sessions with full PHQ-9 and GAD-7 answers that improve over treatment.

    The same arguments always give the same case.
    """
    if not 0 <= sessions <= 1000 or not 1 <= people <= 200:
        raise ValueError("sessions must be 0-1000 and people 1-200")
    rng = random.Random(seed)
    inventory = InterpersonalInventory(people=tuple(_person(rng, i) for i in range(people)))
    colleague = next((p.id for p in inventory.people if p.category is RelationshipCategory.COLLEAGUE), None)
    timeline = Timeline(
        events=(
            LifeEvent(
                id="e1",
                kind=EventKind.DISPUTE_START,
                when=FuzzyDate(2024, 9, None),
                people=("p1",),
                description="arguments at home became frequent",
            ),
            LifeEvent(
                id="e2",
                kind=EventKind.JOB_LOSS,
                when=FuzzyDate(2025, 4, None, circa=True),
                people=() if colleague is None else (colleague,),
                description="possible redundancy in a restructure",
                anticipated=True,
            ),
        ),
        onset=FuzzyDate(2024, 10, None),
    )
    dispute = RoleDispute(
        id="a1",
        other_party="p1",
        stage=DisputeStage.RENEGOTIATION,
        stage_history=(StageChange(DisputeStage.RENEGOTIATION, _START + timedelta(days=14)),),
        sliding_towards=DisputeStage.IMPASSE,
        client_expectations=("support through the job worries",),
        other_expectations=("closeness", "to be told what is wrong"),
        issues=("distance", "irritability"),
        events=("e1",),
    )
    transition = RoleTransition(
        id="a2",
        old_role="employed",
        new_role="possibly unemployed",
        anticipated=True,
        losses=("income", "status"),
        events=("e2",),
    )
    formulation = Formulation(
        diagnosis="major depressive episode",
        severity_evidence="PHQ-9 in the moderately severe band at assessment",
        focus=(dispute,),
        other_areas=(transition,),
        linking_statement="low mood began as arguments grew and the job became uncertain",
        presented_on=_START + timedelta(days=14),
        agreed_on=_START + timedelta(days=14) if sessions >= 3 else None,
    )
    planned = max(sessions, 16)
    records: list[SessionRecord] = []
    for i in range(sessions):
        number = i + 1
        progress = i / max(1, planned - 1)
        phq_level = 2.2 - 1.9 * progress
        gad_level = 1.9 - 1.5 * progress
        phase_work = number > 3
        records.append(
            SessionRecord(
                number=number,
                date=_START + timedelta(weeks=i),
                attendance=Attendance.ATTENDED if rng.random() > 0.05 else Attendance.DID_NOT_ATTEND,
                measures=(
                    InstrumentAnswers("phq9", _answers(rng, 9, phq_level)),
                    InstrumentAnswers("gad7", _answers(rng, 7, gad_level)),
                ),
                risk_check=RiskCheck(level=RiskLevel.LOW if i < 3 else RiskLevel.NONE),
                techniques=(
                    (Technique.LINKING_MOOD_AND_EVENTS, Technique.COMMUNICATION_ANALYSIS)
                    if phase_work
                    else (Technique.SYMPTOM_REVIEW, Technique.INTERPERSONAL_INVENTORY)
                ),
                incidents=(
                    Incident(
                        person="p1",
                        summary="an argument about the evening",
                        analysis=CommunicationAnalysis(client_said="nothing", effect="distance"),
                    ),
                )
                if phase_work
                else (),
                focus_area="a1" if phase_work else None,
                mood_rating=min(10, 3 + round(6 * progress)),
                mood_link="mood lower after arguments" if phase_work else "",
            )
        )
    phases = [PhaseChange(Phase.INITIAL, _START)]
    if sessions >= 4:
        phases.append(PhaseChange(Phase.MIDDLE, _START + timedelta(weeks=3)))
    if sessions >= planned - 2 and sessions >= 6:
        phases.append(PhaseChange(Phase.TERMINATION, _START + timedelta(weeks=planned - 3)))
    tasks = tuple(
        TaskRecord(task, _START + timedelta(weeks=min(1, sessions - 1)), session=min(2, sessions))
        for task in ("psychoeducation", "sick_role", "medication_evaluation")
        if sessions >= 2
    )
    return Case(
        id=f"sample-{seed}",
        contract=TreatmentContract(
            protocol_id="standard",
            start=_START,
            planned_sessions=planned,
            frequency=Frequency.WEEKLY,
            session_minutes=50,
            agreed_on=_START + timedelta(weeks=2) if sessions >= 3 else None,
        ),
        client_alias="N.",
        age_at_start=34,
        inventory=inventory,
        timeline=timeline,
        formulation=formulation,
        sessions=tuple(records),
        phase_history=tuple(phases),
        tasks=tasks,
    )


_COHORT_PROTOCOLS = ("standard", "brief", "telephone", "internet-guided")


def sample_cohort(count: int, seed: int = 0) -> Iterator[Case]:
    """``count`` varied, deterministic cases for analytics and benchmarks, generated lazily.

    Protocols, focal areas (dispute, transition, deficits, grief), lengths and drop-outs vary with
    the position in the cohort; the same arguments always give the same cases.
    """
    for i in range(count):
        rng = random.Random(seed * 1_000_003 + i)
        sessions = rng.choice((0, 1, 2, 4, 8, 12, 16, 16))
        case = sample_case(sessions=sessions, people=3, seed=seed * 1_000_003 + i)
        case = attrs.evolve(
            case,
            id=f"cohort-{seed}-{i}",
            contract=attrs.evolve(case.contract, protocol_id=_COHORT_PROTOCOLS[i % 4]),
        )
        formulation = case.formulation
        if formulation is not None:
            dispute, transition = formulation.focus[0], formulation.other_areas[0]
            variant = rng.randrange(4)
            inventory = case.inventory
            if variant == 1:
                formulation = attrs.evolve(formulation, focus=(transition,), other_areas=(dispute,))
            elif variant == 2:
                deficits = InterpersonalDeficits(id="a3", past_patterns=("few close ties",))
                formulation = attrs.evolve(formulation, focus=(deficits,))
            elif variant == 3:
                inventory = inventory.with_person(attrs.evolve(inventory.person("p2"), deceased=True))
                formulation = attrs.evolve(formulation, focus=(Grief(id="a3", deceased="p2"),))
            focal = formulation.focus[0].id
            case = attrs.evolve(
                case,
                inventory=inventory,
                formulation=formulation,
                sessions=tuple(
                    s if s.focus_area is None else attrs.evolve(s, focus_area=focal) for s in case.sessions
                ),
            )
        if sessions and rng.random() < 0.12:
            case = attrs.evolve(
                case,
                phase_history=(
                    *case.phase_history,
                    PhaseChange(Phase.DROPPED_OUT, case.sessions[-1].date),
                ),
                outcome=ExitOutcome.DROPPED_OUT,
            )
        yield case
