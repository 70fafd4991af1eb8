"""Protocols (formats of IPT) as data: session counts, phases, problem areas, tasks and gates.

A protocol says how long a course is, how its phases are split, which problem areas may be the focus
(with clinical and lay labels), which tasks each phase holds and which of them block the next phase,
and when measures are taken. Every clinical number carries the tag of its source (``S11`` is Swartz
et al. 2014, ...; the tags are resolved in the docs' bibliography); a number no source verifies is a
*setting*, marked as such, with the library's default.

Users can define their own protocols: a :class:`Protocol` is a root document like a case, validated
on construction and by the codec. The built-in ones are in :data:`BUILTIN_PROTOCOLS`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

import attrs

from ipt_core import _hints
from ipt_core.domain import _fields as f
from ipt_core.domain.contract import Frequency
from ipt_core.domain.course import Phase
from ipt_core.domain.problem_areas import AreaKind, ProblemArea
from ipt_core.domain.risk import RiskGrade
from ipt_core.domain.safety import SELF_GUIDED_ESCALATION, Escalation, builtin_escalation
from ipt_core.errors import Problem, ProblemCode, UnknownIdError, ValidationError

__all__ = [
    "ACUTE_PHASES",
    "BUILTIN_PROTOCOLS",
    "AgeRange",
    "AreaOption",
    "Delivery",
    "Escalation",
    "ExclusionCriterion",
    "Feature",
    "GroupSize",
    "MeasureSchedule",
    "Module",
    "ParentContact",
    "PhasePlan",
    "Protocol",
    "SessionPlan",
    "TaskApplies",
    "TaskSpec",
    "TerminationNotice",
    "all_protocols",
    "builtin_focus_problems",
    "focus_problems",
    "get",
]

ACUTE_PHASES: Final = (
    Phase.PRE_TREATMENT,
    Phase.INITIAL,
    Phase.MIDDLE,
    Phase.MAINTENANCE,
    Phase.TERMINATION,
)
"""The phases a protocol may plan, in the order a course goes through them."""

_PLANNABLE = frozenset(ACUTE_PHASES)

_SRC = f.LABEL_MAX


def _src(description: str = "The source tag(s) of the number, e.g. 'S11 Swartz 2014'.") -> Any:
    return f.text(max_length=_SRC, sensitive=False, description=description)


def _name(description: str = "") -> Any:
    return f.label(sensitive=False, description=description)


def _words(description: str = "") -> Any:
    return f.text(max_length=f.LABEL_MAX, sensitive=False, description=description)


class Delivery(StrEnum):
    """How the protocol is delivered."""

    INDIVIDUAL = "individual"
    GROUP = "group"
    TELEPHONE = "telephone"
    INTERNET = "internet"
    BLENDED = "blended"
    SELF_GUIDED = "self_guided"


class TaskApplies(StrEnum):
    """When a task applies to a case (otherwise it is *not applicable*)."""

    ALWAYS = "always"
    FOCUS_INVOLVES_PARENT = "focus_involves_parent"
    """Only when a focal problem area involves a parent (IPT-A's middle-phase parent session)."""


@attrs.frozen(slots=False)
class SessionPlan:
    """The course length: the range of sessions the protocol allows and the usual number."""

    min_sessions: int = f.integer(ge=1, le=f.SESSIONS_MAX)
    """The fewest sessions of a course."""
    max_sessions: int = f.integer(ge=1, le=f.SESSIONS_MAX)
    """The most sessions of a course."""
    default_sessions: int = f.integer(ge=1, le=f.SESSIONS_MAX)
    """The number proposed for a new contract."""
    frequency: Frequency = f.choice(Frequency, default=Frequency.WEEKLY)
    """How often sessions take place."""
    pre_treatment_sessions: int = f.integer(
        ge=0, le=10, default=0, description="Sessions before session 1 (engagement, pre-group), numbered 0."
    )
    session_minutes: int | None = f.integer(ge=5, le=480, optional=True)
    """The usual length of a session in minutes."""
    source: str = _src()

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if self.min_sessions > self.max_sessions:
            problems.append(Problem("$.min_sessions", ProblemCode.INCONSISTENT, "more than max_sessions"))
        if not self.min_sessions <= self.default_sessions <= self.max_sessions:
            problems.append(
                Problem("$.default_sessions", ProblemCode.OUT_OF_RANGE, "between min and max sessions")
            )
        if problems:
            raise ValidationError(problems)


@attrs.frozen(slots=False)
class PhasePlan:
    """How many sessions a phase takes; ``max_sessions`` ``None`` means "the rest of the course"."""

    phase: Phase = f.choice(Phase)
    """The phase planned."""
    min_sessions: int = f.integer(ge=0, le=f.SESSIONS_MAX, default=0)
    """The fewest sessions it takes."""
    max_sessions: int | None = f.integer(ge=0, le=f.SESSIONS_MAX, optional=True)
    """The most sessions it takes (null: no limit)."""
    label: str = _words("The phase's name in this protocol, e.g. 'conclusion of acute treatment'.")
    source: str = _src()

    def __attrs_post_init__(self) -> None:
        if self.max_sessions is not None and self.max_sessions < self.min_sessions:
            raise ValidationError.single("$.max_sessions", ProblemCode.INCONSISTENT, "less than min_sessions")


@attrs.frozen(slots=False)
class AreaOption:
    """A problem area the protocol knows, with its clinical and lay labels.

    ``focus`` is false for an area the protocol names but never makes the focus (Stuart's
    interpersonal sensitivity, a modifier of the other areas).
    """

    kind: AreaKind = f.choice(AreaKind)
    """The problem area."""
    label: str = _name("The clinical label.")
    lay_label: str = _name("The label shown to clients (WHO wording in the group protocol).")
    focus: bool = f.flag(default=True, description="Whether it may be chosen as a focal area.")
    source: str = _src()


@attrs.frozen(slots=False)
class TaskSpec:
    """A task of a phase: done, open or not applicable for a case; ``blocking`` tasks gate the next
    phase, the others are advice."""

    id: str = f.ident(description="A stable task id, e.g. formulation_agreed.")
    phase: Phase = f.choice(Phase)
    """The phase the task belongs to."""
    label: str = _name("What the clinician does.")
    lay_label: str = _name("What the client does, in plain words.")
    blocking: bool = f.flag(default=False)
    """Whether it must be done before the next phase."""
    applies: TaskApplies = f.choice(TaskApplies, default=TaskApplies.ALWAYS)
    """When the task applies (always, or only for some cases)."""
    source: str = _src()


@attrs.frozen(slots=False)
class TerminationNotice:
    """How many sessions before the last contracted one the end must be announced."""

    sessions: int = f.integer(ge=2, le=4, default=2)
    """At least this many sessions' notice of the end."""
    ideal_sessions: int = f.integer(ge=2, le=4, default=4)
    """The notice the protocol recommends."""
    source: str = _src()

    def __attrs_post_init__(self) -> None:
        if self.ideal_sessions < self.sessions:
            raise ValidationError.single("$.ideal_sessions", ProblemCode.INCONSISTENT, "less than sessions")


@attrs.frozen(slots=False)
class MeasureSchedule:
    """A measure taken from session ``first_session`` on, every ``every_sessions`` sessions."""

    instrument: str = f.ident(description="The instrument's id, e.g. phq9, gad7, srm5.")
    every_sessions: int = f.integer(ge=1, le=f.SESSIONS_MAX, default=1)
    """Given every this many sessions."""
    first_session: int = f.integer(ge=0, le=f.SESSIONS_MAX, default=1)
    """The session it is first given in (0: the pre-treatment session)."""
    self_completed: bool = f.flag(default=False)
    """Completed by the client (not rated by the therapist)."""
    source: str = _src()


@attrs.frozen(slots=False)
class Feature:
    """A yes/no feature of a protocol (homework, mood tracking, ...), with its source."""

    used: bool = f.flag(default=False)
    """Whether the protocol uses it."""
    label: str = _words("What the feature is called in this protocol.")
    source: str = _src()


@attrs.frozen(slots=False)
class GroupSize:
    """The number of members a group has."""

    min_members: int = f.integer(ge=2, le=100)
    """The fewest members of a group."""
    max_members: int = f.integer(ge=2, le=100)
    """The most members of a group."""
    source: str = _src()

    def __attrs_post_init__(self) -> None:
        if self.max_members < self.min_members:
            raise ValidationError.single("$.max_members", ProblemCode.INCONSISTENT, "less than min_members")


@attrs.frozen(slots=False)
class AgeRange:
    """The ages a protocol is meant for, inclusive."""

    min_age: int = f.integer(ge=0, le=120)
    """The youngest age the protocol is for, in years."""
    max_age: int = f.integer(ge=0, le=120)
    """The oldest age the protocol is for, in years."""
    source: str = _src()

    def __attrs_post_init__(self) -> None:
        if self.max_age < self.min_age:
            raise ValidationError.single("$.max_age", ProblemCode.INCONSISTENT, "less than min_age")


@attrs.frozen(slots=False)
class ParentContact:
    """A point at which parents or carers join a session (IPT-A)."""

    phase: Phase = f.choice(Phase)
    """The phase the contact with a parent takes place in."""
    task: str = f.ident(description="The task that records it.")
    condition: str = _words("When it applies, if not always.")
    source: str = _src()


@attrs.frozen(slots=False)
class ExclusionCriterion:
    """A reason the protocol is not indicated (an enrolment screen, not a diagnosis)."""

    id: str = f.ident()
    """A stable id for the criterion."""
    label: str = _name()
    """The criterion in words."""
    source: str = _src()


@attrs.frozen(slots=False)
class Module:
    """A weekly module of a self-guided programme."""

    week: int = f.integer(ge=1, le=f.SESSIONS_MAX)
    """The week of the programme."""
    phase: Phase = f.choice(Phase)
    """The phase the module belongs to."""
    title: str = _name()
    """The module's title."""
    tasks: tuple[str, ...] = f.refs("task", description="The tasks the module covers.")


@attrs.frozen(kw_only=True, slots=False)
class Protocol:
    """A format of IPT, as data: its sessions, phases, areas, tasks, gates and measures."""

    id: str = f.ident(description="The protocol's id, named by a contract's protocol_id.")
    name: str = _name()
    """The protocol's name as clinicians know it."""
    description: str = f.text(sensitive=False)
    """What the format is and who it is for."""
    delivery: Delivery = f.choice(Delivery, default=Delivery.INDIVIDUAL)
    """Individual, group, telephone, internet-guided, ..."""
    therapist: bool = f.flag(default=True, description="False for a self-guided programme.")
    sessions: SessionPlan = f.value(SessionPlan)
    phases: tuple[PhasePlan, ...] = f.items(PhasePlan, max_items=len(ACUTE_PHASES), min_items=2)
    """The phases planned, in course order: at least an initial and a termination phase."""
    areas: tuple[AreaOption, ...] = f.items(AreaOption, max_items=len(AreaKind), min_items=1)
    """The problem areas the protocol recognises: at least one that may be the focus."""
    max_focal_areas: int = f.integer(ge=1, le=2, default=2)
    """How many focal problem areas a case may have at once."""
    tasks: tuple[TaskSpec, ...] = f.items(TaskSpec)
    termination_notice: TerminationNotice = f.value(
        TerminationNotice, default=attrs.Factory(TerminationNotice)
    )
    measures: tuple[MeasureSchedule, ...] = f.items(MeasureSchedule, max_items=20)
    homework: Feature = f.value(Feature, default=attrs.Factory(Feature))
    mood_tracking: Feature = f.value(Feature, default=attrs.Factory(Feature))
    social_rhythm_metric: Feature = f.value(Feature, default=attrs.Factory(Feature))
    self_chosen_focus: Feature = f.value(Feature, default=attrs.Factory(Feature))
    group: GroupSize | None = f.value(GroupSize, optional=True)
    ages: AgeRange | None = f.value(AgeRange, optional=True)
    parent_contacts: tuple[ParentContact, ...] = f.items(ParentContact, max_items=20)
    exclusion_criteria: tuple[ExclusionCriterion, ...] = f.items(ExclusionCriterion, max_items=50)
    modules: tuple[Module, ...] = f.items(Module)
    source: str = _src("The sources of the protocol as a whole.")
    escalation: tuple[Escalation, ...] = f.items(
        Escalation,
        max_items=len(RiskGrade),
        description="What an open risk flag of each grade means for the course, until it is reviewed.",
    )

    def __repr__(self) -> str:
        """A short form: id, delivery, sessions and counts (the whole protocol is long)."""
        plan = self.sessions
        return (
            f"Protocol(id={self.id!r}, delivery={self.delivery.value!r}, "
            f"sessions='{plan.min_sessions} to {plan.max_sessions}', phases={len(self.phases)}, "
            f"areas={len(self.areas)}, tasks={len(self.tasks)})"
        )

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        problems.extend(
            f.unique([(f"$.escalation[{i}].grade", e.grade.value) for i, e in enumerate(self.escalation)])
        )
        problems.extend(
            f.unique([(f"$.phases[{i}].phase", p.phase.value) for i, p in enumerate(self.phases)])
        )
        problems.extend(f.unique([(f"$.areas[{i}].kind", a.kind.value) for i, a in enumerate(self.areas)]))
        problems.extend(f.unique([(f"$.tasks[{i}].id", t.id) for i, t in enumerate(self.tasks)]))
        problems.extend(self._check_phases())
        problems.extend(self._check_module_and_contact_phases())
        planned = {p.phase for p in self.phases}
        for i, task in enumerate(self.tasks):
            if task.phase not in planned:
                problems.append(
                    Problem(
                        f"$.tasks[{i}].phase", ProblemCode.INCONSISTENT, "a phase the protocol does not plan"
                    )
                )
        task_ids = {t.id for t in self.tasks}
        for i, module in enumerate(self.modules):
            problems.extend(
                Problem(f"$.modules[{i}].tasks[{j}]", ProblemCode.DANGLING_REFERENCE, "no task with this id")
                for j, task_id in enumerate(module.tasks)
                if task_id not in task_ids
            )
            if module.week > self.sessions.max_sessions:
                problems.append(
                    Problem(f"$.modules[{i}].week", ProblemCode.OUT_OF_RANGE, "after the end of the course")
                )
        for i, contact in enumerate(self.parent_contacts):
            if contact.task not in task_ids:
                problems.append(
                    Problem(
                        f"$.parent_contacts[{i}].task", ProblemCode.DANGLING_REFERENCE, "no task with this id"
                    )
                )
        if not any(a.focus for a in self.areas):
            problems.append(
                Problem("$.areas", ProblemCode.TOO_SHORT, "at least one area that may be the focus")
            )
        if self.termination_notice.sessions >= self.sessions.max_sessions:
            problems.append(
                Problem(
                    "$.termination_notice.sessions",
                    ProblemCode.INCONSISTENT,
                    "the notice is as long as the course",
                )
            )
        if problems:
            raise ValidationError(problems)

    def _check_phases(self) -> list[Problem]:
        problems: list[Problem] = []
        course = self.sessions.max_sessions
        order = [ACUTE_PHASES.index(p.phase) for p in self.phases if p.phase in _PLANNABLE]
        for i, plan in enumerate(self.phases):
            if plan.phase not in _PLANNABLE:
                problems.append(
                    Problem(f"$.phases[{i}].phase", ProblemCode.NOT_ALLOWED, "not a phase a protocol plans")
                )
            elif plan.phase is Phase.PRE_TREATMENT:
                if plan.min_sessions > self.sessions.pre_treatment_sessions:
                    problems.append(
                        Problem(
                            f"$.phases[{i}].min_sessions",
                            ProblemCode.INCONSISTENT,
                            "more than the pre-treatment sessions",
                        )
                    )
            elif plan.max_sessions is not None and plan.max_sessions > course:
                problems.append(
                    Problem(f"$.phases[{i}].max_sessions", ProblemCode.INCONSISTENT, "longer than the course")
                )
            elif plan.min_sessions > course:
                problems.append(
                    Problem(f"$.phases[{i}].min_sessions", ProblemCode.INCONSISTENT, "longer than the course")
                )
        in_course = sum(p.min_sessions for p in self.phases if p.phase is not Phase.PRE_TREATMENT)
        if in_course > course:
            problems.append(
                Problem("$.phases", ProblemCode.INCONSISTENT, "the phases are longer than the course")
            )
        if order != sorted(order):
            problems.append(Problem("$.phases", ProblemCode.ORDER, "phases out of course order"))
        pre_planned = any(p.phase is Phase.PRE_TREATMENT for p in self.phases)
        if pre_planned != (self.sessions.pre_treatment_sessions > 0):
            problems.append(
                Problem(
                    "$.sessions.pre_treatment_sessions",
                    ProblemCode.INCONSISTENT,
                    "pre-treatment sessions go with a pre-treatment phase, and only with one",
                )
            )
        for needed in (Phase.INITIAL, Phase.TERMINATION):
            if needed not in {p.phase for p in self.phases}:
                problems.append(Problem("$.phases", ProblemCode.MISSING, f"no {needed.value} phase"))
        return problems

    def _check_module_and_contact_phases(self) -> list[Problem]:
        """A module holds tasks of its own phase, the modules go through the phases in course
        order, and a parent contact is recorded by a task of the phase it is planned in."""
        problems: list[Problem] = []
        phase_of = {t.id: t.phase for t in self.tasks}
        for i, module in enumerate(self.modules):
            problems.extend(
                Problem(f"$.modules[{i}].tasks[{j}]", ProblemCode.INCONSISTENT, "a task of another phase")
                for j, task_id in enumerate(module.tasks)
                if task_id in phase_of and phase_of[task_id] is not module.phase
            )
        by_week = sorted(self.modules, key=lambda m: m.week)
        ranks = [ACUTE_PHASES.index(m.phase) for m in by_week if m.phase in _PLANNABLE]
        if ranks != sorted(ranks):
            problems.append(Problem("$.modules", ProblemCode.ORDER, "modules out of course order"))
        problems.extend(
            Problem(f"$.parent_contacts[{i}].task", ProblemCode.INCONSISTENT, "a task of another phase")
            for i, contact in enumerate(self.parent_contacts)
            if contact.task in phase_of and phase_of[contact.task] is not contact.phase
        )
        return problems

    # -- queries ----------------------------------------------------------------------------------

    def sequence(self) -> tuple[Phase, ...]:
        """The phases a course goes through, in order (pre-treatment first, if planned)."""
        return tuple(p.phase for p in self.phases)

    def phase_plan(self, phase: Phase) -> PhasePlan | None:
        """The plan of ``phase``, if the protocol has one."""
        for plan in self.phases:
            if plan.phase is phase:
                return plan
        return None

    def tasks_of(self, phase: Phase) -> tuple[TaskSpec, ...]:
        """The tasks of ``phase``, in protocol order."""
        return tuple(t for t in self.tasks if t.phase is phase)

    def task(self, task_id: str) -> TaskSpec:
        """The task with this id (``KeyError`` if there is none)."""
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(task_id)

    def escalation_for(self, grade: RiskGrade) -> Escalation | None:
        """What an open flag of ``grade`` means for a course of this protocol, if it says. A protocol
        with no rules at all (one written before protocols said anything about escalation) takes
        the default for its delivery (:func:`~ipt_core.domain.safety.builtin_escalation`)."""
        for rule in self.escalation or builtin_escalation(self.therapist):
            if rule.grade is grade:
                return rule
        return None

    def area_option(self, kind: AreaKind) -> AreaOption | None:
        """How the protocol names ``kind``, if it knows it."""
        for option in self.areas:
            if option.kind is kind:
                return option
        return None

    def focus_kinds(self) -> frozenset[AreaKind]:
        """The problem areas that may be the focus."""
        return frozenset(a.kind for a in self.areas if a.focus)

    def allows_focus(self, kind: AreaKind) -> bool:
        """Whether ``kind`` may be a focal problem area."""
        option = self.area_option(kind)
        return option is not None and option.focus


def focus_problems(protocol: Protocol, focus: Iterable[ProblemArea]) -> list[Problem]:
    """Problems for every focal area the protocol does not allow (paths into a case)."""
    chosen = tuple(focus)
    problems = [
        Problem(
            f"$.formulation.focus[{i}]",
            ProblemCode.NOT_ALLOWED_BY_PROTOCOL,
            "the case's protocol does not allow this problem area as a focus",
        )
        for i, area in enumerate(chosen)
        if not protocol.allows_focus(area.KIND)
    ]
    if len(chosen) > protocol.max_focal_areas:
        problems.append(
            Problem(
                "$.formulation.focus",
                ProblemCode.NOT_ALLOWED_BY_PROTOCOL,
                "more focal areas than the protocol allows",
            )
        )
    return problems


def builtin_focus_problems(protocol_id: str, focus: Iterable[ProblemArea]) -> list[Problem]:
    """As :func:`focus_problems` when ``protocol_id`` names a built-in protocol; otherwise none
    (a user-defined protocol is checked when it is passed to the phase engine)."""
    protocol = BUILTIN_PROTOCOLS.get(protocol_id)
    return [] if protocol is None else focus_problems(protocol, focus)


def get(protocol_id: str) -> Protocol:
    """The built-in protocol with this id.

    Raises :class:`~ipt_core.errors.UnknownIdError` (a ``KeyError``) if there is none; its message
    lists the built-in ids.
    """
    found = BUILTIN_PROTOCOLS.get(protocol_id) if type(protocol_id) is str else None
    if found is None:
        known = tuple(BUILTIN_PROTOCOLS)
        raise UnknownIdError(_hints.unknown_id("built-in protocol", known, protocol_id), known)
    return found


def all_protocols() -> tuple[Protocol, ...]:
    """Every built-in protocol, in a stable order."""
    return tuple(BUILTIN_PROTOCOLS.values())


# == The built-in protocols ======================================================================
# Tags are resolved in docs/bibliography.md. "setting" marks a number no retrieved source
# verifies: it is the library's default and users may define a protocol that changes it.

_WEISSMAN_AREAS: Final = (
    AreaOption(
        AreaKind.GRIEF, "grief (complicated bereavement)", "grief after a death", True, "S1 ISIPT; S5"
    ),
    AreaOption(
        AreaKind.ROLE_DISPUTE, "role dispute", "conflict with someone important", True, "S1 ISIPT; S5"
    ),
    AreaOption(AreaKind.ROLE_TRANSITION, "role transition", "a life change", True, "S1 ISIPT"),
    AreaOption(
        AreaKind.INTERPERSONAL_DEFICITS,
        "interpersonal deficits",
        "loneliness and social isolation",
        True,
        "S1 ISIPT; S5 ch. 8 (residual area); S53",
    ),
)

_WHO_AREAS: Final = (
    AreaOption(
        AreaKind.GRIEF, "grief", "grief following the death of someone significant", True, "S12 WHO mhpss"
    ),
    AreaOption(AreaKind.ROLE_DISPUTE, "role dispute", "disputes (open or hidden)", True, "S12 WHO mhpss"),
    AreaOption(
        AreaKind.ROLE_TRANSITION,
        "role transition",
        "life changes that impact personal relationships and social roles",
        True,
        "S12 WHO mhpss",
    ),
    AreaOption(
        AreaKind.INTERPERSONAL_DEFICITS,
        "interpersonal deficits",
        "loneliness/social isolation",
        True,
        "S12 WHO mhpss",
    ),
)


def _t(
    task_id: str,
    phase: Phase,
    label: str,
    lay: str,
    source: str,
    *,
    blocking: bool = False,
    applies: TaskApplies = TaskApplies.ALWAYS,
) -> TaskSpec:
    return TaskSpec(task_id, phase, label, lay, blocking, applies, source)


_I, _M, _T = Phase.INITIAL, Phase.MIDDLE, Phase.TERMINATION


def _initial_tasks(
    *, sick_role: str = "assign the sick role", self_guided: bool = False
) -> tuple[TaskSpec, ...]:
    """The initial-phase tasks (S1; S2; S3; S7; S41; S42).

    Blocking: the client's agreement to the formulation (S4 ch. 5) and the time-limited contract
    (S1, S6); the rest are the phase's goals, advice rather than preconditions (S3, S4, S7 ◐)."""
    tasks = [
        _t(
            "symptom_review",
            _I,
            "review symptoms and name the diagnosis with a rating scale",
            "check how you have been feeling with a short questionnaire",
            "S2; S41; S42",
        ),
        _t(
            "psychoeducation",
            _I,
            "psychoeducation: a common, treatable illness, not the client's fault",
            "learn how low mood and relationships affect each other",
            "S41; S42",
        ),
        _t("sick_role", _I, sick_role, "allow yourself to recover, step by step", "S2; S45; S16 (IPT-A)"),
    ]
    if not self_guided:
        tasks.append(
            _t(
                "medication_evaluation",
                _I,
                "evaluate the need for medication",
                "talk about whether medication could help",
                "S42; S3 p.22",
            )
        )
    tasks += [
        _t(
            "inventory",
            _I,
            "interpersonal inventory of important relationships",
            "map the important people in your life",
            "S1; S2; S41; S42",
        ),
        _t(
            "timeline",
            _I,
            "timeline: link the onset of the episode to life events",
            "note when things got worse and what was happening",
            "S2; S42; S19",
        ),
        _t(
            "problem_area_chosen",
            _I,
            "choose the focal problem area",
            "choose what you want to work on",
            "S1; S5",
            blocking=True,
        ),
        _t(
            "formulation_presented",
            _I,
            "present the interpersonal formulation",
            "put together how your mood and your situation are linked",
            "S3 p.21; S43",
        ),
        _t(
            "formulation_agreed",
            _I,
            "obtain the client's agreement to the formulation",
            "confirm the focus you will work on",
            "S4 ch.5; S42",
            blocking=True,
        ),
        _t(
            "contract_agreed",
            _I,
            "agree the treatment contract with a fixed number of sessions",
            "agree how many sessions (or weeks) there will be",
            "S1; S3 p.22; S6; S8",
            blocking=True,
        ),
    ]
    return tuple(tasks)


def _middle_tasks(*, homework: bool = False, srm: bool = False) -> tuple[TaskSpec, ...]:
    tasks = [
        _t(
            "mood_event_link",
            _M,
            "link mood and interpersonal events since the last session",
            "notice how what happened this week affected your mood",
            "S2; S42; S4 ch.6",
        ),
        _t(
            "communication_analysis",
            _M,
            "reconstruct a recent interpersonal incident (communication analysis)",
            "look closely at a recent conversation that mattered",
            "S4 ch.6; S42; S16",
        ),
        _t(
            "decision_analysis",
            _M,
            "explore options (decision analysis)",
            "weigh up your options",
            "S16; S42",
        ),
        _t("role_play", _M, "rehearse with a role play", "practise what you want to say", "S16; S42"),
        _t(
            "termination_announced",
            _M,
            "announce the end of treatment ahead of the last session",
            "plan for the last sessions",
            "S6",
            blocking=True,
        ),
    ]
    if homework:
        tasks.insert(
            4,
            _t(
                "work_at_home",
                _M,
                "set and review work-at-home tasks",
                "try something between sessions",
                "S16 (IPT-A); S14 (WHO group)",
            ),
        )
    if srm:
        tasks.insert(
            0,
            _t(
                "social_rhythm_review",
                _M,
                "review the Social Rhythm Metric and regularise daily rhythms",
                "look at your daily routine log",
                "S24",
            ),
        )
    return tuple(tasks)


def _termination_tasks(*, maintenance_blocking: bool = False) -> tuple[TaskSpec, ...]:
    return (
        _t(
            "gains_reviewed",
            _T,
            'review gains: "why are you feeling better?"',
            "look back at what has changed and what you did",
            "S3 p.25; S51",
        ),
        _t(
            "feelings_about_ending",
            _T,
            "acknowledge feelings about ending",
            "talk about how it feels to finish",
            "S51; S45",
        ),
        _t(
            "warning_signs",
            _T,
            "identify warning signs of relapse",
            "name the early signs that things are slipping",
            "S3 p.25; S14",
        ),
        _t(
            "contingency_plan",
            _T,
            "plan for future problems",
            "plan what you will do if difficulties come back",
            "S3 p.25; S7; S15",
        ),
        _t(
            "maintenance_discussed",
            _T,
            "decide on continuation or maintenance treatment",
            "decide whether you want follow-up sessions",
            "S3 p.25; S8 ch.20 (Stuart: obligatory)",
            blocking=maintenance_blocking,
        ),
    )


def _phases(
    *plans: tuple[Phase, int, int | None, str, str],
) -> tuple[PhasePlan, ...]:
    return tuple(PhasePlan(phase, lo, hi, label, source) for phase, lo, hi, label, source in plans)


_PHQ9_EVERY_SESSION = MeasureSchedule(
    "phq9", 1, 1, False, "S41 (repeated regularly; every session is a setting)"
)
_NOTICE = TerminationNotice(2, 4, "S6 (at least 2-4 sessions before the end)")
_NO_HOMEWORK = Feature(False, "no formal homework", "S42; S4 ch.5")


def _standard() -> Protocol:
    return Protocol(
        id="standard",
        name="Standard individual IPT",
        description="Weissman/Markowitz individual IPT for depression: weekly sessions, three phases.",
        sessions=SessionPlan(
            12, 16, 16, Frequency.WEEKLY, 0, 50, "S1; S3 p.21; S6; S41 (12-16 weekly, 45-50 min)"
        ),
        phases=_phases(
            (_I, 1, 3, "initial phase", "S41 (no more than three sessions)"),
            (_M, 1, None, "middle phase", "S3; S41"),
            (_T, 1, 3, "termination", "S3 p.25; S43 ◐ (final few sessions, about 3)"),
        ),
        areas=_WEISSMAN_AREAS,
        tasks=(*_initial_tasks(), *_middle_tasks(), *_termination_tasks()),
        termination_notice=_NOTICE,
        measures=(_PHQ9_EVERY_SESSION,),
        homework=_NO_HOMEWORK,
        source="S1 ISIPT; S3 Markowitz; S6 Weissman 2000; S41 Markowitz 2006",
    )


def _stuart() -> Protocol:
    return Protocol(
        id="stuart",
        name="IPT (Stuart & Robertson)",
        description=(
            "Four segments: assessment/initial, middle, conclusion of acute treatment, maintenance "
            "by contract. Interpersonal sensitivity is a modifier of the other areas, not a focus."
        ),
        sessions=SessionPlan(
            8, 20, 12, Frequency.WEEKLY, 0, None, "S7; S53 ◐ (8-20; default 12 is a setting)"
        ),
        phases=_phases(
            (_I, 1, 3, "assessment / initial sessions", "S7 (sessions 1-3)"),
            (_M, 1, None, "middle sessions", "S7 (sessions 4-12 of 12; the rest of a longer course)"),
            (_T, 1, 2, "conclusion of acute treatment", "S7 (1-2 sessions)"),
        ),
        areas=(
            AreaOption(AreaKind.GRIEF, "grief and loss", "grief and loss", True, "S8; S9; S44"),
            AreaOption(AreaKind.ROLE_DISPUTE, "interpersonal disputes", "conflict with someone", True, "S8"),
            AreaOption(AreaKind.ROLE_TRANSITION, "role transitions", "a life change", True, "S7"),
            AreaOption(
                AreaKind.INTERPERSONAL_DEFICITS,
                "interpersonal sensitivity (a modifier, not a focus)",
                "how you tend to relate to others",
                False,
                "S8 ch.19; S7 (three problem areas)",
            ),
        ),
        max_focal_areas=2,
        tasks=(
            _t(
                "suitability_assessed",
                _I,
                "assess whether IPT is indicated",
                "check that this kind of help suits you",
                "S7 (suitability first)",
                blocking=True,
            ),
            *_initial_tasks(),
            *_middle_tasks(),
            *_termination_tasks(maintenance_blocking=True),
        ),
        termination_notice=_NOTICE,
        measures=(
            MeasureSchedule("phq9", 4, 1, False, "S9 (PHQ-9 every 4 sessions)"),
            MeasureSchedule("gad7", 4, 1, False, "S9 (GAD-7 every 4 sessions)"),
        ),
        homework=Feature(
            False, "portfolio homework technique (not verified)", "not in the S7, S8 or S9 excerpts ✖"
        ),
        source="S7 Stuart & Robertson 2012; S8; S9",
    )


def _brief() -> Protocol:
    return Protocol(
        id="brief",
        name="Brief IPT (IPT-B)",
        description="Eight sessions after an engagement session; a manageable, strength-based focus.",
        sessions=SessionPlan(
            8, 8, 8, Frequency.WEEKLY, 1, None, "S11 Swartz 2014 (8 + 1 engagement session)"
        ),
        phases=_phases(
            (Phase.PRE_TREATMENT, 1, 1, "engagement session", "S11 Swartz 2014 (MI-based)"),
            (_I, 1, 2, "initial phase", "S11 Swartz 2014 (limited to 2 sessions)"),
            (_M, 1, None, "middle phase", "S11"),
            (_T, 1, 2, "termination", "setting: 1-2 sessions (not verified for IPT-B; S7 uses 1-2)"),
        ),
        areas=_WEISSMAN_AREAS,
        tasks=(
            _t(
                "engagement_session",
                Phase.PRE_TREATMENT,
                "explore ambivalence and barriers to care",
                "a first conversation about what could help",
                "S11 Swartz 2014",
            ),
            *_initial_tasks(),
            *_middle_tasks(),
            *_termination_tasks(),
        ),
        termination_notice=_NOTICE,
        measures=(_PHQ9_EVERY_SESSION,),
        homework=_NO_HOMEWORK,
        source="S11 Swartz, Grote & Graham 2014",
    )


def _group_who() -> Protocol:
    return Protocol(
        id="group-who",
        name="WHO Group Interpersonal Therapy",
        description=(
            "WHO generic field-trial version 1.0 (2016): a pre-group meeting, then session 1 initial, "
            "sessions 2-7 middle, session 8 termination; 6-10 members, led by trained non-specialists."
        ),
        delivery=Delivery.GROUP,
        sessions=SessionPlan(
            8, 8, 8, Frequency.WEEKLY, 1, None, "S13; S14; S15 (8 group sessions + pre-group)"
        ),
        phases=_phases(
            (Phase.PRE_TREATMENT, 1, 1, "pre-group meeting", "S14; S15 ◐ S13"),
            (_I, 1, 1, "initial phase (session 1)", "S14; S15"),
            (_M, 6, 6, "middle phase (sessions 2-7)", "S14; S15"),
            (_T, 1, 1, "termination (session 8)", "S14; S15"),
        ),
        areas=_WHO_AREAS,
        tasks=(
            _t(
                "pre_group_meeting",
                Phase.PRE_TREATMENT,
                "individual pre-group meeting: assess, explain the group, identify the problem area",
                "meet the facilitator before the group starts",
                "S14; S15 (◐ as a gate)",
            ),
            *_initial_tasks(),
            *_middle_tasks(homework=True),
            *_termination_tasks(),
        ),
        termination_notice=_NOTICE,
        measures=(MeasureSchedule("phq9", 1, 1, False, "S48 (symptoms reviewed every session)"),),
        homework=Feature(True, "homework", "S14 (WHO-group implementation)"),
        group=GroupSize(6, 10, "S14; S15 (6-10 members, in line with the WHO manual)"),
        source="S12; S13 WHO/MSD/MER/16.4; S14; S15",
    )


def _adolescent() -> Protocol:
    return Protocol(
        id="adolescent",
        name="IPT for depressed adolescents (IPT-A)",
        description=(
            "Mufson's IPT-A: 12 weekly sessions for ages 12-18 with mild to moderate depression; a "
            "limited sick role, work-at-home tasks and parent sessions."
        ),
        sessions=SessionPlan(12, 12, 12, Frequency.WEEKLY, 0, 50, "S16 (12 weeks, 35-50 min)"),
        phases=_phases(
            (_I, 1, 4, "initial phase", "setting: sessions 1-4 (IPT-A split not verified, S16 ✖)"),
            (_M, 1, None, "middle phase", "setting: sessions 5-8 (IPT-A split not verified, S16 ✖)"),
            (_T, 1, 4, "termination", "setting: sessions 9-12 (IPT-A split not verified, S16 ✖)"),
        ),
        areas=_WEISSMAN_AREAS,
        tasks=(
            _t(
                "exclusion_screen",
                _I,
                "screen for the exclusion criteria",
                "check that this programme is right for you",
                "S16 (CEBC; NREPP)",
                blocking=True,
            ),
            *_initial_tasks(sick_role="assign the limited sick role"),
            _t(
                "parent_session_initial",
                _I,
                "meet the parents or carers (session 1)",
                "a parent or carer joins the first session",
                "S16",
            ),
            *_middle_tasks(homework=True),
            _t(
                "parent_session_middle",
                _M,
                "parent-adolescent session on the problem area",
                "a session together with your parent",
                "S16 (when the problem area involves a parent)",
                applies=TaskApplies.FOCUS_INVOLVES_PARENT,
            ),
            *_termination_tasks(),
            _t(
                "parent_session_final",
                _T,
                "meet the parents or carers at the end",
                "a parent or carer joins near the end",
                "S16",
            ),
        ),
        termination_notice=_NOTICE,
        measures=(_PHQ9_EVERY_SESSION,),
        homework=Feature(True, "work-at-home assignments", "S16"),
        ages=AgeRange(12, 18, "S16"),
        parent_contacts=(
            ParentContact(_I, "parent_session_initial", "", "S16"),
            ParentContact(_M, "parent_session_middle", "when the problem area involves a parent", "S16"),
            ParentContact(_T, "parent_session_final", "", "S16"),
        ),
        exclusion_criteria=tuple(
            ExclusionCriterion(cid, label, "S16 (CEBC; NREPP)")
            for cid, label in (
                ("acute_suicidality", "acutely suicidal"),
                ("homicidality", "homicidal"),
                ("psychosis", "psychotic"),
                ("bipolar", "bipolar disorder"),
                ("intellectual_disability", "intellectual disability"),
                ("active_substance_abuse", "actively abusing substances"),
            )
        ),
        source="S16 Mufson (CEBC, NREPP, Penn State)",
    )


def _maintenance() -> Protocol:
    return Protocol(
        id="maintenance",
        name="Maintenance IPT (IPT-M)",
        description="Monthly sessions after acute and continuation treatment, for remitted clients at risk.",
        sessions=SessionPlan(
            12,
            36,
            24,
            Frequency.MONTHLY,
            0,
            None,
            "S20 (monthly, 2 years: 24); S21 (monthly, 3 years: 36); setting: at least 12",
        ),
        phases=_phases(
            (_I, 1, 1, "review of the acute formulation", "setting: one session (not verified)"),
            (Phase.MAINTENANCE, 1, None, "maintenance sessions", "S20; S21"),
            (_T, 1, 2, "ending", "setting: 1-2 sessions (not verified)"),
        ),
        areas=_WEISSMAN_AREAS,
        tasks=(
            _t(
                "problem_area_chosen",
                _I,
                "confirm the focal problem area",
                "confirm what you keep working on",
                "S20 (interpersonally focused sessions)",
                blocking=True,
            ),
            _t(
                "formulation_agreed",
                _I,
                "obtain the client's agreement to the maintenance focus",
                "confirm the focus",
                "S4 ch.5",
                blocking=True,
            ),
            _t(
                "contract_agreed",
                _I,
                "agree the maintenance contract",
                "agree how often and how long",
                "S1; S6",
                blocking=True,
            ),
            _t(
                "warning_signs_reviewed",
                Phase.MAINTENANCE,
                "review early warning signs",
                "check for early signs of relapse",
                "S24 ◐; S14",
            ),
            _t(
                "termination_announced",
                Phase.MAINTENANCE,
                "announce the end of maintenance ahead of the last session",
                "plan for the last sessions",
                "S6",
                blocking=True,
            ),
            *_termination_tasks(),
        ),
        termination_notice=_NOTICE,
        measures=(MeasureSchedule("phq9", 1, 1, False, "S41 (every session is a setting)"),),
        homework=_NO_HOMEWORK,
        source="S20 Frank 2007; S21 Frank 1990/1991",
    )


def _ipsrt() -> Protocol:
    areas = (
        *_WEISSMAN_AREAS,
        AreaOption(
            AreaKind.GRIEF_FOR_LOST_HEALTHY_SELF,
            "grief for the lost healthy self",
            "coming to terms with the illness",
            True,
            "S24; S25",
        ),
    )
    return Protocol(
        id="ipsrt",
        name="Interpersonal and Social Rhythm Therapy (IPSRT)",
        description=(
            "For bipolar disorder, with medication: the Social Rhythm Metric and a fifth problem area, "
            "grief for the lost healthy self."
        ),
        sessions=SessionPlan(
            12,
            40,
            16,
            Frequency.WEEKLY,
            0,
            None,
            "S24 (initial 3-5 + intermediate 10-12 in trials); setting: 12-40, default 16",
        ),
        phases=_phases(
            (_I, 1, 5, "initial phase", "S24 (3-5 sessions)"),
            (_M, 1, None, "intermediate phase", "S24 (typically 10-12 sessions in trials)"),
            (_T, 1, 4, "final phase (tapering)", "S24; setting: up to 4 sessions"),
        ),
        areas=areas,
        tasks=(
            *_initial_tasks(),
            _t(
                "social_rhythm_assessed",
                _I,
                "assess the regularity of daily routines (Social Rhythm Metric)",
                "start a daily routine log",
                "S24; S23",
            ),
            *_middle_tasks(srm=True),
            *_termination_tasks(),
        ),
        termination_notice=_NOTICE,
        measures=(
            MeasureSchedule("srm5", 1, 1, True, "S24 (weekly SRM review); S23 (SRM-5)"),
            _PHQ9_EVERY_SESSION,
        ),
        social_rhythm_metric=Feature(True, "Social Rhythm Metric (SRM-5)", "S23; S24"),
        homework=Feature(True, "daily Social Rhythm Metric log", "S24"),
        source="S24 Frank; S23 Monk; S25",
    )


def _ptsd() -> Protocol:
    return Protocol(
        id="ptsd",
        name="IPT for PTSD (Markowitz)",
        description="Non-exposure IPT for PTSD: 14 weekly sessions; affect attunement, relationships.",
        sessions=SessionPlan(
            14, 14, 14, Frequency.WEEKLY, 0, None, "S26 Markowitz 2015 (14 weekly sessions)"
        ),
        phases=_phases(
            (_I, 1, 3, "initial phase", "S4 ch.5; S41 (no more than three sessions)"),
            (_M, 1, None, "middle phase", "S4 ch.6"),
            (_T, 1, 3, "termination", "S3 p.25"),
        ),
        areas=_WEISSMAN_AREAS,
        tasks=(*_initial_tasks(), *_middle_tasks(), *_termination_tasks()),
        termination_notice=_NOTICE,
        measures=(_PHQ9_EVERY_SESSION,),
        homework=Feature(False, "no homework", "S4 ch.5 (absence of homework)"),
        source="S26 Markowitz et al. 2015; S4",
    )


def _social_anxiety() -> Protocol:
    return Protocol(
        id="social-anxiety",
        name="IPT for social anxiety disorder (Lipsitz)",
        description="Role insecurity replaces interpersonal deficits; transition and dispute may combine.",
        sessions=SessionPlan(14, 16, 14, Frequency.WEEKLY, 0, None, "S27 (14 weeks; 16-week framing)"),
        phases=_phases(
            (_I, 1, 3, "initial phase", "S27 (1-3 of 16, lay source)"),
            (_M, 1, None, "middle phase", "S27 (4-14 of 16, lay source)"),
            (_T, 1, 2, "termination", "S27 (15-16 of 16, lay source)"),
        ),
        areas=(
            *_WEISSMAN_AREAS[:3],
            AreaOption(
                AreaKind.ROLE_INSECURITY,
                "role insecurity",
                "feeling unsure of yourself with other people",
                True,
                "S27 Lipsitz",
            ),
        ),
        tasks=(*_initial_tasks(), *_middle_tasks(), *_termination_tasks()),
        termination_notice=_NOTICE,
        measures=(_PHQ9_EVERY_SESSION,),
        homework=_NO_HOMEWORK,
        source="S27 Lipsitz et al. 1999",
    )


def _telephone() -> Protocol:
    return Protocol(
        id="telephone",
        name="Telephone IPT (IPT-T)",
        description="Standard IPT delivered by telephone: 12 weekly calls in the Miller & Weissman pilot.",
        delivery=Delivery.TELEPHONE,
        sessions=SessionPlan(12, 16, 12, Frequency.WEEKLY, 0, None, "S29 (12 weeks); S1 (up to 16)"),
        phases=_phases(
            (_I, 1, 3, "initial phase", "S41"),
            (_M, 1, None, "middle phase", "S41"),
            (_T, 1, 3, "termination", "S3 p.25"),
        ),
        areas=_WEISSMAN_AREAS,
        tasks=(*_initial_tasks(), *_middle_tasks(), *_termination_tasks()),
        termination_notice=_NOTICE,
        measures=(_PHQ9_EVERY_SESSION,),
        homework=_NO_HOMEWORK,
        source="S29 Miller & Weissman 2002; Miniati 2021",
    )


def _internet_guided() -> Protocol:
    return Protocol(
        id="internet-guided",
        name="Internet IPT with therapist guidance",
        description="Weekly online modules with weekly written guidance from a therapist, for 10 weeks.",
        delivery=Delivery.INTERNET,
        sessions=SessionPlan(10, 10, 10, Frequency.WEEKLY, 0, None, "S31 (10 weeks, weekly guidance)"),
        phases=_phases(
            (_I, 1, 3, "getting started", "setting: 3 modules (not verified)"),
            (_M, 1, None, "working on the focus", "setting (not verified)"),
            (_T, 1, 2, "finishing", "setting: 2 modules (not verified)"),
        ),
        areas=_WEISSMAN_AREAS,
        tasks=(*_initial_tasks(), *_middle_tasks(), *_termination_tasks()),
        termination_notice=_NOTICE,
        measures=(MeasureSchedule("phq9", 1, 1, True, "S31 (weekly measures); PHQ-9 is a setting"),),
        mood_tracking=Feature(True, "weekly self-report", "S31"),
        homework=Feature(True, "online exercises", "S31; S30"),
        source="S31 (J Affect Disord 2025); S30 Donker 2013",
    )


def _blended() -> Protocol:
    return Protocol(
        id="blended",
        name="Blended IPT",
        description="Online sessions alternating with in-person or video sessions (Dutch feasibility pilot).",
        delivery=Delivery.BLENDED,
        sessions=SessionPlan(
            12,
            16,
            14,
            Frequency.WEEKLY,
            0,
            None,
            "S32 (6 online + 6-10 in person: 12-16); setting: default 14",
        ),
        phases=_phases(
            (_I, 1, 3, "initial phase", "S41"),
            (_M, 1, None, "middle phase", "S32"),
            (_T, 1, 3, "termination", "S3 p.25"),
        ),
        areas=_WEISSMAN_AREAS,
        tasks=(*_initial_tasks(), *_middle_tasks(), *_termination_tasks()),
        termination_notice=_NOTICE,
        measures=(_PHQ9_EVERY_SESSION,),
        homework=Feature(True, "online sessions between visits", "S32"),
        source="S32 (Am J Psychother, blended IPT pilot)",
    )


def _self_guided() -> Protocol:
    weeks = (
        (1, _I, "Understanding low mood", ("symptom_review", "psychoeducation", "sick_role")),
        (2, _I, "Your people and your story", ("inventory", "timeline")),
        (
            3,
            _I,
            "Choosing your focus",
            ("problem_area_chosen", "formulation_presented", "formulation_agreed"),
        ),
        (4, _M, "Noticing mood and events", ("mood_event_link",)),
        (5, _M, "Looking closely at a conversation", ("communication_analysis",)),
        (6, _M, "Options and trying things out", ("decision_analysis", "termination_announced")),
        (7, _T, "Looking back", ("gains_reviewed", "feelings_about_ending")),
        (8, _T, "Looking ahead", ("warning_signs", "contingency_plan", "maintenance_discussed")),
    )
    return Protocol(
        id="self-guided-8-week",
        name="Self-guided 8-week IPT programme",
        description=(
            "A digital programme without a therapist: weekly modules, a self-completed inventory, a "
            "self-chosen focus and mood tracking. Its structure is a setting: no retrieved source "
            "verifies an 8-week IPT app course (S34 ✖)."
        ),
        delivery=Delivery.SELF_GUIDED,
        therapist=False,
        sessions=SessionPlan(
            8, 8, 8, Frequency.WEEKLY, 0, None, "setting: the library's default 8-week course (S34 ✖)"
        ),
        phases=_phases(
            (_I, 1, 3, "getting started (weeks 1-3)", "setting (not verified)"),
            (_M, 1, None, "working on your focus (weeks 4-6)", "setting (not verified)"),
            (_T, 1, 2, "finishing (weeks 7-8)", "setting (not verified)"),
        ),
        areas=_WHO_AREAS,
        max_focal_areas=1,
        tasks=(
            *_initial_tasks(sick_role="accept the sick role (self-guided)", self_guided=True),
            *_middle_tasks(homework=True),
            *_termination_tasks(),
        ),
        termination_notice=_NOTICE,
        measures=(MeasureSchedule("phq9", 1, 1, True, "setting: weekly self-report (S30 self-guided IPT)"),),
        homework=Feature(True, "weekly exercises", "setting (not verified)"),
        mood_tracking=Feature(True, "mood tracking", "S34"),
        self_chosen_focus=Feature(True, "self-chosen focus", "setting: the library's default"),
        modules=tuple(Module(week, phase, title, tasks) for week, phase, title, tasks in weeks),
        source="the library's default (a setting); S30 Donker 2013; S34 ✖ (8-week IPT course not verified)",
        escalation=SELF_GUIDED_ESCALATION,
    )


_BUILDERS: Final[Mapping[str, Callable[[], Protocol]]] = MappingProxyType(
    {
        "standard": _standard,
        "stuart": _stuart,
        "brief": _brief,
        "group-who": _group_who,
        "adolescent": _adolescent,
        "maintenance": _maintenance,
        "ipsrt": _ipsrt,
        "ptsd": _ptsd,
        "social-anxiety": _social_anxiety,
        "telephone": _telephone,
        "internet-guided": _internet_guided,
        "blended": _blended,
        "self-guided-8-week": _self_guided,
    }
)
"""The builder of each built-in protocol, by the protocol's id, in a stable order."""


@functools.cache
def _builtin(protocol_id: str) -> Protocol:
    """The built-in protocol ``protocol_id``, built once on first use (it is immutable)."""
    protocol = _BUILDERS[protocol_id]()
    # A built-in protocol that sets no escalation takes the sourced default for its delivery.
    if protocol.escalation:
        return protocol
    return attrs.evolve(protocol, escalation=builtin_escalation(protocol.therapist))


class _BuiltinProtocols(Mapping[str, Protocol]):
    """An immutable mapping of the built-in protocols by id; each is built when first looked up, so
    that importing the library does not build the thirteen protocols a program seldom all needs."""

    __slots__ = ()

    def __getitem__(self, protocol_id: str) -> Protocol:
        if protocol_id not in _BUILDERS:
            raise KeyError(protocol_id)
        return _builtin(protocol_id)

    def get(self, protocol_id: str, default: Any = None) -> Any:  # the hot path of a case's check
        return _builtin(protocol_id) if protocol_id in _BUILDERS else default

    def __contains__(self, protocol_id: object) -> bool:
        return protocol_id in _BUILDERS

    def __iter__(self) -> Iterator[str]:
        return iter(_BUILDERS)

    def __len__(self) -> int:
        return len(_BUILDERS)

    def __repr__(self) -> str:
        return f"BUILTIN_PROTOCOLS({', '.join(_BUILDERS)})"


BUILTIN_PROTOCOLS: Final[Mapping[str, Protocol]] = _BuiltinProtocols()
"""The built-in protocols by id: an immutable mapping; each protocol is built on first use."""
