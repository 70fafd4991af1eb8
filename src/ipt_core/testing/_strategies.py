"""Hypothesis strategies that build every domain type, producing only valid objects.

Strategies that need ids from elsewhere in a case (people, events, areas) take them as arguments;
:func:`cases` draws a whole consistent case.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any, TypeVar

import attrs
from hypothesis import assume
from hypothesis import strategies as st

from ipt_core.domain import _fields as f
from ipt_core.domain.case import Case
from ipt_core.domain.contract import Frequency, Renegotiation, TreatmentContract
from ipt_core.domain.course import (
    ExitOutcome,
    Phase,
    PhaseChange,
    TaskRecord,
    TerminationReview,
)
from ipt_core.domain.formulation import MAX_FOCAL_AREAS, Formulation
from ipt_core.domain.inventory import (
    MAX_RINGS,
    ContactFrequency,
    Expectation,
    InterpersonalInventory,
    Person,
    RelationshipCategory,
)
from ipt_core.domain.measures.instruments import INSTRUMENTS
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
    StageChange,
)
from ipt_core.domain.protocols import (
    BUILTIN_PROTOCOLS,
    AreaOption,
    PhasePlan,
    Protocol,
    SessionPlan,
    TerminationNotice,
)
from ipt_core.domain.risk import RiskGrade
from ipt_core.domain.safety import Escalation, SafetyPlan
from ipt_core.domain.screening import Screening, ScreenResult
from ipt_core.domain.sessions import (
    Answer,
    Attendance,
    CommunicationAnalysis,
    DecisionAnalysis,
    DecisionOption,
    Incident,
    InstrumentAnswers,
    Missing,
    RiskCheck,
    RiskLevel,
    RolePlay,
    SessionRecord,
    Technique,
    WorkAtHome,
)
from ipt_core.domain.timeline import EventKind, FuzzyDate, LifeEvent, Timeline

__all__ = [
    "answers",
    "cases",
    "complete_answers",
    "contracts",
    "dates",
    "formulations",
    "fuzzy_dates",
    "ids",
    "instrument_answers",
    "inventories",
    "life_events",
    "people",
    "problem_areas",
    "protocols",
    "sessions",
    "texts",
    "timelines",
]

T = TypeVar("T")

EARLIEST = date(1990, 1, 1)
LATEST = date(2040, 12, 31)

_TEXT_ALPHABET = st.characters(codec="utf-8", exclude_categories=["Cs"])


def texts(*, min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    """Any Unicode text (names and notes from every script), bounded for speed."""
    return st.text(_TEXT_ALPHABET, min_size=min_size, max_size=max_size)


def _labels() -> st.SearchStrategy[str]:
    return texts(min_size=1, max_size=30)


def _text_lists(max_size: int = 3) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(_labels(), max_size=max_size).map(tuple)


def ids() -> st.SearchStrategy[str]:
    """Ids of the form the model accepts."""
    return st.from_regex(f.ID_PATTERN, fullmatch=True).filter(lambda s: len(s) <= 64)


def _unique_ids(min_size: int, max_size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(
        st.from_regex(r"[a-z][a-z0-9]{0,7}", fullmatch=True),
        min_size=min_size,
        max_size=max_size,
        unique=True,
    )


def dates(min_value: date = EARLIEST, max_value: date = LATEST) -> st.SearchStrategy[date]:
    """Calendar dates in a plausible range."""
    return st.dates(min_value=min_value, max_value=max_value)


@st.composite
def fuzzy_dates(draw: st.DrawFn) -> FuzzyDate:
    """Dates known to the day, month or year, some of them circa."""
    day = draw(dates())
    precision = draw(st.sampled_from(("day", "month", "year")))
    circa = draw(st.booleans())
    if precision == "day":
        return FuzzyDate.of(day, circa=circa)
    if precision == "month":
        return FuzzyDate(day.year, day.month, None, circa)
    return FuzzyDate(day.year, None, None, circa)


def _maybe(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategy


def _flags() -> st.SearchStrategy[bool | None]:
    return st.sampled_from((None, True, False))


def _subset(values: Sequence[str], max_size: int = 3) -> st.SearchStrategy[tuple[str, ...]]:
    if not values:
        return st.just(())
    return st.lists(st.sampled_from(list(values)), max_size=max_size, unique=True).map(tuple)


def _one_of(values: Sequence[str]) -> st.SearchStrategy[str | None]:
    return st.none() if not values else st.none() | st.sampled_from(list(values))


@st.composite
def people(
    draw: st.DrawFn, person_id: str | None = None, *, rings: int = 3, deceased: bool | None = None
) -> Person:
    """A person of the inventory (alive or deceased as asked, else either)."""
    expectations = st.lists(st.builds(Expectation, text=_labels(), met=_flags()), max_size=2)
    return Person(
        id=person_id if person_id is not None else draw(ids()),
        alias=draw(texts(min_size=1, max_size=f.ALIAS_MAX)),
        category=draw(st.sampled_from(RelationshipCategory)),
        ring=draw(_maybe(st.integers(1, rings))),
        deceased=draw(st.booleans()) if deceased is None else deceased,
        contact_frequency=draw(_maybe(st.sampled_from(ContactFrequency))),
        shared_activities=draw(_text_lists()),
        satisfying=draw(_text_lists()),
        unsatisfying=draw(_text_lists()),
        client_expectations=tuple(draw(expectations)),
        other_expectations=tuple(draw(expectations)),
        wished_changes=draw(_text_lists()),
        supportive=draw(_flags()),
        confidant=draw(_flags()),
        in_conflict=draw(_flags()),
        knows_about_difficulties=draw(_flags()),
        changed_near_onset=draw(_flags()),
        notes=draw(texts()),
    )


@st.composite
def inventories(draw: st.DrawFn, *, max_people: int = 6) -> InterpersonalInventory:
    """An inventory with unique ids; at least one living and, often, one deceased person."""
    rings = draw(st.integers(3, MAX_RINGS))
    person_ids = draw(_unique_ids(0, max_people))
    members = [draw(people(pid, rings=rings)) for pid in person_ids]
    return InterpersonalInventory(people=tuple(members), rings=rings)


@st.composite
def life_events(draw: st.DrawFn, event_id: str, person_ids: Sequence[str] = ()) -> LifeEvent:
    """A life event that involves only the given people."""
    return LifeEvent(
        id=event_id,
        kind=draw(st.sampled_from(EventKind)),
        when=draw(fuzzy_dates()),
        people=draw(_subset(person_ids)),
        description=draw(texts()),
        anticipated=draw(st.booleans()),
        mood_effect=draw(texts(max_size=20)),
    )


@st.composite
def timelines(draw: st.DrawFn, person_ids: Sequence[str] = ()) -> Timeline:
    """A timeline whose events refer only to the given people."""
    event_ids = draw(_unique_ids(0, 5))
    return Timeline(
        events=tuple(draw(life_events(eid, person_ids)) for eid in event_ids),
        onset=draw(_maybe(fuzzy_dates())),
    )


@st.composite
def _dispute(draw: st.DrawFn, area_id: str, other: str, event_ids: Sequence[str]) -> RoleDispute:
    history_dates = sorted(draw(st.lists(dates(), max_size=3)))
    history = tuple(
        StageChange(stage=draw(st.sampled_from(DisputeStage)), on=d, note=draw(texts(max_size=10)))
        for d in history_dates
    )
    stage = history[-1].stage if history else draw(st.sampled_from(DisputeStage))
    return RoleDispute(
        id=area_id,
        other_party=other,
        stage=stage,
        stage_history=history,
        sliding_towards=draw(_maybe(st.sampled_from(DisputeStage))),
        client_expectations=draw(_text_lists()),
        other_expectations=draw(_text_lists()),
        issues=draw(_text_lists()),
        events=draw(_subset(event_ids)),
        notes=draw(texts()),
    )


@st.composite
def problem_areas(
    draw: st.DrawFn,
    area_id: str | None = None,
    *,
    living: Sequence[str] = (),
    deceased: Sequence[str] = (),
    event_ids: Sequence[str] = (),
    kinds: Iterable[AreaKind] | None = None,
) -> ProblemArea:
    """A problem area of any type (of ``kinds``, if given) whose references point only at the ids given.

    Grief needs a deceased person and a dispute a living one; without them those types are skipped.
    """
    aid = area_id if area_id is not None else draw(ids())
    wanted = frozenset(AreaKind) if kinds is None else frozenset(kinds)
    every = (*living, *deceased)
    events = _subset(event_ids)
    options: list[st.SearchStrategy[ProblemArea]] = [
        st.builds(
            RoleTransition,
            id=st.just(aid),
            old_role=_labels(),
            new_role=_labels(),
            anticipated=st.booleans(),
            losses=_text_lists(),
            gains=_text_lists(),
            skills_needed=_text_lists(),
            supports_needed=_text_lists(),
            people=_subset(every),
            events=events,
            notes=texts(),
        ),
        st.builds(
            InterpersonalDeficits,
            id=st.just(aid),
            past_patterns=_text_lists(),
            target_relationships=_subset(living),
            goals=_text_lists(),
            events=events,
            notes=texts(),
        ),
        st.builds(
            RoleInsecurity,
            id=st.just(aid),
            feared_situations=_text_lists(),
            avoided_roles=_text_lists(),
            people=_subset(every),
            events=events,
            notes=texts(),
        ),
        st.builds(
            GriefForLostHealthySelf,
            id=st.just(aid),
            losses=_text_lists(),
            acceptance_goals=_text_lists(),
            events=events,
            notes=texts(),
        ),
    ]
    if deceased:
        options.append(
            st.builds(
                Grief,
                id=st.just(aid),
                deceased=st.sampled_from(list(deceased)),
                date_of_death=_maybe(fuzzy_dates()),
                circumstances=texts(),
                events=events,
                relationship_reconstruction=_text_lists(),
                new_relationships=_text_lists(),
                notes=texts(),
            )
        )
    if living:
        options.append(st.sampled_from(list(living)).flatmap(lambda other: _dispute(aid, other, event_ids)))
    option_kinds = [
        AreaKind.ROLE_TRANSITION,
        AreaKind.INTERPERSONAL_DEFICITS,
        AreaKind.ROLE_INSECURITY,
        AreaKind.GRIEF_FOR_LOST_HEALTHY_SELF,
        *([AreaKind.GRIEF] if deceased else []),
        *([AreaKind.ROLE_DISPUTE] if living else []),
    ]
    chosen = [o for o, k in zip(options, option_kinds, strict=True) if k in wanted]
    assume(chosen)
    return draw(st.one_of(chosen))


@st.composite
def formulations(
    draw: st.DrawFn,
    *,
    living: Sequence[str] = (),
    deceased: Sequence[str] = (),
    event_ids: Sequence[str] = (),
    focus_kinds: Iterable[AreaKind] | None = None,
    max_focal: int = MAX_FOCAL_AREAS,
) -> Formulation:
    """A formulation whose areas refer only to the ids given (unique area ids, ≤ ``max_focal``
    focal, each of ``focus_kinds`` if given)."""
    area_ids = draw(_unique_ids(0, 4))
    focal_count = draw(st.integers(0, min(max_focal, len(area_ids))))
    areas = [
        draw(
            problem_areas(
                aid,
                living=living,
                deceased=deceased,
                event_ids=event_ids,
                kinds=focus_kinds if i < focal_count else None,
            )
        )
        for i, aid in enumerate(area_ids)
    ]
    presented = draw(_maybe(dates()))
    agreed = None
    if presented is not None and focal_count > 0 and draw(st.booleans()):
        agreed = presented + timedelta(days=draw(st.integers(0, 30)))
    return Formulation(
        diagnosis=draw(texts(max_size=f.LABEL_MAX)),
        severity_evidence=draw(texts()),
        focus=tuple(areas[:focal_count]),
        other_areas=tuple(areas[focal_count:]),
        linking_statement=draw(texts()),
        presented_on=presented,
        agreed_on=agreed,
    )


@st.composite
def contracts(draw: st.DrawFn, *, protocol_id: str | None = None) -> TreatmentContract:
    """A contract, agreed or not, with renegotiations in date order."""
    start = draw(dates())
    agreed_on = draw(_maybe(st.just(start) | dates(start, start + timedelta(days=60))))
    renegotiations: tuple[Renegotiation, ...] = ()
    if agreed_on is not None:
        offsets = sorted(draw(st.lists(st.integers(0, 365), max_size=2)))
        renegotiations = tuple(
            Renegotiation(
                on=agreed_on + timedelta(days=o),
                planned_sessions=draw(st.integers(1, 40)),
                reason=draw(_labels()),
                frequency=draw(_maybe(st.sampled_from(Frequency))),
            )
            for o in offsets
        )
    return TreatmentContract(
        protocol_id=protocol_id if protocol_id is not None else draw(ids()),
        start=start,
        planned_sessions=draw(st.integers(1, 40)),
        frequency=draw(st.sampled_from(Frequency)),
        session_minutes=draw(_maybe(st.integers(5, 480))),
        agreed_on=agreed_on,
        renegotiations=renegotiations,
    )


def answers(*, max_items: int = 10) -> st.SearchStrategy[tuple[Answer, ...]]:
    """Raw answers: small integers, missing markers and nulls."""
    one: st.SearchStrategy[Answer] = st.one_of(st.integers(0, 8), st.sampled_from(Missing), st.none())
    return st.lists(one, max_size=max_items).map(tuple)


@st.composite
def instrument_answers(draw: st.DrawFn, instrument: str | None = None) -> InstrumentAnswers:
    """Answers to one instrument (any id unless given).

    For an instrument the library knows, the answers fit it (count, item ranges, options), with
    some missing; for any other id they are arbitrary small integers and missing markers.
    """
    instrument_id = instrument if instrument is not None else draw(ids())
    known = INSTRUMENTS.get(instrument_id)
    if known is None:
        return InstrumentAnswers(instrument=instrument_id, answers=draw(answers()))
    count = draw(st.integers(known.required_count, len(known.items)))
    values: list[Answer] = [
        draw(st.integers(item.minimum, item.maximum) | st.sampled_from([None, *Missing]))
        for item in known.items[:count]
    ]
    options = draw(st.lists(st.sampled_from(known.options), unique=True)) if known.options else []
    return InstrumentAnswers(instrument=instrument_id, answers=tuple(values), options=tuple(options))


def complete_answers(instrument: str) -> st.SearchStrategy[tuple[int, ...]]:
    """Every item of a known instrument answered within its range."""
    items = INSTRUMENTS[instrument].items
    return st.tuples(*(st.integers(item.minimum, item.maximum) for item in items))


@st.composite
def sessions(
    draw: st.DrawFn,
    number: int,
    on: date,
    *,
    person_ids: Sequence[str] = (),
    area_ids: Sequence[str] = (),
) -> SessionRecord:
    """A session record numbered ``number`` on ``on``, referring only to the ids given."""
    instrument_ids = draw(st.lists(st.sampled_from([*INSTRUMENTS, "x-local"]), unique=True, max_size=4))
    person = _one_of(person_ids)
    options = st.lists(
        st.builds(DecisionOption, description=_labels(), pros=_text_lists(2), cons=_text_lists(2)),
        max_size=3,
    ).map(tuple)
    decisions = options.flatmap(
        lambda opts: st.builds(
            DecisionAnalysis,
            situation=texts(),
            options=st.just(opts),
            chosen=st.none() | (st.integers(0, len(opts) - 1) if opts else st.none()),
            outcome=texts(),
        )
    )
    return SessionRecord(
        number=number,
        date=on,
        attendance=draw(st.sampled_from(Attendance)),
        measures=tuple(draw(instrument_answers(i)) for i in instrument_ids),
        risk_check=draw(
            _maybe(
                st.builds(
                    RiskCheck,
                    level=st.sampled_from(RiskLevel),
                    safety_plan_reviewed=_flags(),
                    notes=texts(),
                )
            )
        ),
        techniques=tuple(draw(st.lists(st.sampled_from(Technique), unique=True, max_size=4))),
        incidents=tuple(
            draw(
                st.lists(
                    st.builds(
                        Incident,
                        person=person,
                        summary=texts(),
                        mood_link=texts(max_size=10),
                        analysis=_maybe(
                            st.builds(
                                CommunicationAnalysis,
                                client_said=texts(),
                                other_said=texts(),
                                client_intended=texts(max_size=10),
                                client_felt=texts(max_size=10),
                                effect=texts(max_size=10),
                                alternatives=_text_lists(2),
                            )
                        ),
                    ),
                    max_size=2,
                )
            )
        ),
        decisions=tuple(draw(st.lists(decisions, max_size=1))),
        role_plays=tuple(
            draw(
                st.lists(
                    st.builds(RolePlay, person=person, scenario=texts(), outcome=texts()),
                    max_size=1,
                )
            )
        ),
        work_at_home=tuple(draw(st.lists(st.builds(WorkAtHome, task=_labels(), done=_flags()), max_size=2))),
        focus_area=draw(_one_of(area_ids)),
        mood_rating=draw(_maybe(st.integers(0, 10))),
        mood_link=draw(texts(max_size=20)),
        notes=draw(texts()),
    )


@st.composite
def cases(draw: st.DrawFn, *, max_sessions: int = 6, max_people: int = 6) -> Case:
    """A whole valid case: every reference resolves and every invariant holds."""
    inventory = draw(inventories(max_people=max_people))
    living = [p.id for p in inventory.people if not p.deceased]
    deceased = [p.id for p in inventory.people if p.deceased]
    timeline = draw(timelines([p.id for p in inventory.people]))
    event_ids = [e.id for e in timeline.events]
    protocol_id = draw(st.sampled_from([*BUILTIN_PROTOCOLS, "x-local"]))
    builtin = BUILTIN_PROTOCOLS.get(protocol_id)
    formulation = draw(
        _maybe(
            formulations(
                living=living,
                deceased=deceased,
                event_ids=event_ids,
                focus_kinds=None if builtin is None else builtin.focus_kinds(),
                max_focal=MAX_FOCAL_AREAS if builtin is None else builtin.max_focal_areas,
            )
        )
    )
    area_ids = [] if formulation is None else [a.id for a in formulation.areas()]
    contract = draw(contracts(protocol_id=protocol_id))

    count = draw(st.integers(0, max_sessions))
    numbers = sorted(draw(st.lists(st.integers(0, 60), min_size=count, max_size=count, unique=True)))
    gaps = draw(st.lists(st.integers(0, 21), min_size=count, max_size=count))
    records: list[SessionRecord] = []
    day = contract.start
    for number, gap in zip(numbers, gaps, strict=True):
        day = min(day + timedelta(days=gap), LATEST)
        records.append(draw(sessions(number, day, person_ids=living, area_ids=area_ids)))

    phase_days = sorted(draw(st.lists(dates(contract.start, LATEST), max_size=4)))
    phases = tuple(
        PhaseChange(phase=draw(st.sampled_from(Phase)), on=d, reason=draw(texts(max_size=10)))
        for d in phase_days
    )
    session_numbers = [s.number for s in records]
    tasks = tuple(
        TaskRecord(
            task=draw(st.sampled_from(["psychoeducation", "sick_role", "medication_evaluation"])),
            on=draw(dates()),
            session=draw(_one_of([str(n) for n in session_numbers]).map(_to_int)),
            note=draw(texts(max_size=10)),
        )
        for _ in range(draw(st.integers(0, 3)))
    )
    termination = draw(
        _maybe(
            st.builds(
                TerminationReview,
                announced_in_session=_one_of([str(n) for n in session_numbers]).map(_to_int),
                gains=_text_lists(),
                attribution=texts(),
                feelings_about_ending=texts(),
                warning_signs=_text_lists(),
                contingency_plan=texts(),
                maintenance_offered=_flags(),
                maintenance_accepted=_flags(),
                on=st.none() | dates(),
            )
        )
    )
    return Case(
        id=draw(ids()),
        contract=contract,
        client_alias=draw(texts(max_size=f.ALIAS_MAX)),
        age_at_start=draw(_maybe(st.integers(0, 120))),
        inventory=inventory,
        timeline=timeline,
        formulation=formulation,
        sessions=tuple(records),
        phase_history=phases,
        tasks=tasks,
        termination=termination,
        outcome=draw(_maybe(st.sampled_from(ExitOutcome))),
        notes=draw(texts()),
        safety_plan=draw(_maybe(safety_plans())),
        screening=draw(_screenings(protocol_id)),
    )


def safety_plans() -> st.SearchStrategy[SafetyPlan]:
    """A safety plan (Stanley & Brown 2012) with any texts in its steps."""
    return st.builds(
        SafetyPlan,
        reviewed_on=dates(),
        warning_signs=_text_lists(),
        coping_strategies=_text_lists(),
        distractions=_text_lists(),
        people_to_ask=_text_lists(),
        professionals=_text_lists(),
        safe_environment=_text_lists(),
        reasons_for_living=_text_lists(),
    )


def escalations() -> st.SearchStrategy[tuple[Escalation, ...]]:
    """A protocol's escalation rules: at most one per risk grade."""
    grades = st.lists(st.sampled_from(RiskGrade), unique=True, max_size=len(RiskGrade))
    return grades.flatmap(
        lambda chosen: st.tuples(
            *(
                st.builds(
                    Escalation,
                    grade=st.just(grade),
                    pause_modules=st.booleans(),
                    crisis_resources_first=st.booleans(),
                    safety_plan=st.booleans(),
                    source=texts(max_size=30),
                )
                for grade in chosen
            )
        )
    )


def _screenings(protocol_id: str) -> st.SearchStrategy[tuple[Screening, ...]]:
    """Screens for the exclusion criteria of the protocol (any ids under a protocol not built in)."""
    builtin = BUILTIN_PROTOCOLS.get(protocol_id)
    if builtin is None:
        criteria: st.SearchStrategy[str] = ids()
    elif builtin.exclusion_criteria:
        criteria = st.sampled_from([c.id for c in builtin.exclusion_criteria])
    else:
        return st.just(())
    record = st.builds(Screening, criterion=criteria, result=st.sampled_from(ScreenResult), on=dates())
    return st.lists(record, max_size=4).map(tuple)


@st.composite
def protocols(draw: st.DrawFn) -> Protocol:
    """A valid user-defined protocol: a built-in one with its numbers, phases and areas redrawn."""
    base = draw(st.sampled_from(list(BUILTIN_PROTOCOLS.values())))
    low = draw(st.integers(3, 30))
    high = draw(st.integers(low, 40))
    pre = draw(st.integers(0, 2))
    plans = [
        PhasePlan(Phase.INITIAL, 1, draw(st.integers(1, high)), draw(_labels()), draw(texts())),
        PhasePlan(Phase.MIDDLE, draw(st.integers(0, 1)), None),
        PhasePlan(Phase.TERMINATION, 1, draw(st.none() | st.integers(1, high))),
    ]
    if pre:
        plans.insert(0, PhasePlan(Phase.PRE_TREATMENT, draw(st.integers(0, pre)), pre))
    planned = {p.phase for p in plans}
    kinds = draw(st.lists(st.sampled_from(AreaKind), min_size=1, max_size=len(AreaKind), unique=True))
    areas = tuple(
        AreaOption(kind, draw(_labels()), draw(_labels()), i == 0 or draw(st.booleans()), draw(texts()))
        for i, kind in enumerate(kinds)
    )
    notice = draw(st.integers(2, min(4, high - 1)))
    return attrs.evolve(
        base,
        id=draw(ids()),
        name=draw(_labels()),
        sessions=SessionPlan(low, high, draw(st.integers(low, high)), draw(st.sampled_from(Frequency)), pre),
        phases=tuple(plans),
        areas=areas,
        max_focal_areas=draw(st.integers(1, 2)),
        tasks=tuple(t for t in base.tasks if t.phase in planned),
        termination_notice=TerminationNotice(notice, draw(st.integers(notice, 4))),
        parent_contacts=(),
        modules=(),
        escalation=draw(escalations()),
    )


def _to_int(value: str | None) -> int | None:
    return None if value is None else int(value)


def any_value() -> st.SearchStrategy[Any]:
    """Arbitrary JSON values, for feeding the codec things it must refuse."""
    return st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts(),
        lambda children: (
            st.lists(children, max_size=4) | st.dictionaries(texts(max_size=10), children, max_size=4)
        ),
        max_leaves=20,
    )
