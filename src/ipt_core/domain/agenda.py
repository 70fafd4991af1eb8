"""What the next session should cover, and which problem areas the case's evidence points to.

:func:`next_steps` turns a case into an :class:`Agenda` of structured items a front end renders,
for a clinician or for someone using a self-help app. :func:`suggest_problem_areas` reads the
timeline and the inventory and suggests areas with the evidence for each. The goals and strategies
of each area, and of each stage of a dispute, are data (:data:`AREA_GUIDES`, :data:`STAGE_GUIDES`),
each with its source in ipt-clinical-model.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Final

import attrs

from ipt_core.domain.case import Case
from ipt_core.domain.course import TERMINAL_PHASES, Phase
from ipt_core.domain.phases import (
    PhaseReport,
    TaskStatus,
    evaluate,
    resolve_protocol,
    task_statuses,
)
from ipt_core.domain.problem_areas import AreaKind, DisputeStage, ProblemArea, RoleDispute
from ipt_core.domain.protocols import Protocol
from ipt_core.domain.screening import ScreenResult, screening_status
from ipt_core.domain.sessions import RiskLevel
from ipt_core.domain.timeline import DEFAULT_ONSET_WINDOW, EventCategory, EventKind

__all__ = [
    "AREA_GUIDES",
    "STAGE_GUIDES",
    "Agenda",
    "AgendaItem",
    "AreaGuide",
    "AreaSuggestion",
    "Evidence",
    "FocusSummary",
    "ItemKind",
    "Strategy",
    "next_steps",
    "suggest_problem_areas",
]


# == Strategies as data ==========================================================================


@attrs.frozen
class Strategy:
    """A goal or a strategy of IPT work, in clinical and lay words, with its source."""

    id: str
    text: str
    lay_text: str
    source: str


@attrs.frozen
class AreaGuide:
    """The goals and strategies of one problem area (or one stage of a dispute)."""

    goals: tuple[Strategy, ...]
    strategies: tuple[Strategy, ...]


def _s(sid: str, text: str, lay: str, source: str) -> Strategy:
    return Strategy(sid, text, lay, source)


AREA_GUIDES: Final[Mapping[AreaKind, AreaGuide]] = MappingProxyType(
    {
        AreaKind.GRIEF: AreaGuide(
            goals=(
                _s(
                    "facilitate_mourning", "facilitate mourning", "allow yourself to grieve", "S5 (grief ch.)"
                ),
                _s(
                    "reestablish_interests",
                    "re-establish interests and relationships",
                    "find people and activities that matter again",
                    "S5 (grief ch.)",
                ),
            ),
            strategies=(
                _s(
                    "relate_onset_to_death",
                    "relate the onset of symptoms to the death",
                    "see how your mood changed after the loss",
                    "S44 ◐; S3 p.24",
                ),
                _s(
                    "reconstruct_relationship",
                    "reconstruct the relationship with the deceased, good and bad",
                    "remember the person as they were, the good and the hard",
                    "S44 ◐; S45 ◐",
                ),
                _s(
                    "events_around_death",
                    "review the events before, during and after the death",
                    "talk through what happened around the death",
                    "S44 ◐",
                ),
                _s(
                    "regain_direction",
                    "regain a direction: new supports, new purpose",
                    "look ahead",
                    "S3 p.24",
                ),
            ),
        ),
        AreaKind.ROLE_DISPUTE: AreaGuide(
            goals=(
                _s("identify_dispute", "identify the dispute", "name the disagreement", "S5; S44"),
                _s("choose_plan", "choose a plan of action", "decide what you want to do", "S5; S44"),
                _s(
                    "modify_expectations",
                    "modify communication or expectations to resolve it",
                    "change how you talk about it, or what you expect",
                    "S5; S44",
                ),
            ),
            strategies=(
                _s(
                    "expectations_each_side",
                    "clarify each side's expectations and where they differ",
                    "say what each of you expects",
                    "S44",
                ),
                _s(
                    "parallels",
                    "look for parallels in other relationships",
                    "notice if this happens with other people too",
                    "S44",
                ),
            ),
        ),
        AreaKind.ROLE_TRANSITION: AreaGuide(
            goals=(
                _s(
                    "mourn_old_role",
                    "mourn and accept the loss of the old role",
                    "let go of what has ended",
                    "S44",
                ),
                _s(
                    "new_role_positive",
                    "see the new role more positively and master it",
                    "find what the new situation offers",
                    "S44; S3 p.24",
                ),
            ),
            strategies=(
                _s(
                    "old_and_new_roles",
                    "review the good and bad of the old and the new roles",
                    "weigh up the old and the new",
                    "S44 ◐; S46 ◐",
                ),
                _s(
                    "skills_and_supports",
                    "develop the skills and supports the new role needs",
                    "find the help and skills you need now",
                    "S44 ◐",
                ),
            ),
        ),
        AreaKind.INTERPERSONAL_DEFICITS: AreaGuide(
            goals=(
                _s("reduce_isolation", "reduce social isolation", "feel less alone", "S45 ◐; S46 ◐"),
                _s("new_relationships", "encourage new relationships", "make or renew connections", "S45 ◐"),
            ),
            strategies=(
                _s(
                    "past_relationships",
                    "review past relationships and repeating patterns",
                    "look at patterns in past relationships",
                    "S46 ◐",
                ),
                _s(
                    "practise_skills",
                    "role-play and practise social skills",
                    "practise reaching out",
                    "S46 ◐; S44",
                ),
            ),
        ),
        AreaKind.ROLE_INSECURITY: AreaGuide(
            goals=(
                _s(
                    "release_latent_abilities",
                    "recognise abilities held back by social anxiety",
                    "notice what you can do when anxiety does not hold you back",
                    "S27",
                ),
            ),
            strategies=(
                _s(
                    "social_risk_taking",
                    "encourage social risk-taking in feared roles",
                    "try a small step in a situation you avoid",
                    "S27; S4 ch.6",
                ),
            ),
        ),
        AreaKind.GRIEF_FOR_LOST_HEALTHY_SELF: AreaGuide(
            goals=(
                _s(
                    "mourn_healthy_self",
                    "mourn the self before the illness",
                    "grieve for how life was before the illness",
                    "S24; S25",
                ),
            ),
            strategies=(
                _s(
                    "realistic_goals",
                    "set realistic goals that respect the illness",
                    "set goals that fit your life now",
                    "S24 ◐",
                ),
            ),
        ),
    }
)
"""The goals and strategies of each problem area (ipt-clinical-model.md §4.3-§4.6)."""

STAGE_GUIDES: Final[Mapping[DisputeStage, AreaGuide]] = MappingProxyType(
    {
        DisputeStage.RENEGOTIATION: AreaGuide(
            goals=(
                _s(
                    "structure_negotiation",
                    "calm and structure the negotiation; improve communication to reach resolution",
                    "talk it through more calmly and clearly",
                    "S5; S44",
                ),
            ),
            strategies=(),
        ),
        DisputeStage.IMPASSE: AreaGuide(
            goals=(
                _s(
                    "reopen_negotiation",
                    "bring the dispute into the open and restart negotiation, or consider dissolution",
                    "get the conversation going again, or think about whether to end it",
                    "S44",
                ),
            ),
            strategies=(),
        ),
        DisputeStage.DISSOLUTION: AreaGuide(
            goals=(
                _s(
                    "end_and_mourn",
                    "help end the relationship and mourn it, as in grief or a transition",
                    "come to terms with the end and move on",
                    "S44",
                ),
            ),
            strategies=(),
        ),
    }
)
"""The aim of each stage of a role dispute (ipt-clinical-model.md §4.4)."""


# == The agenda ==================================================================================


class ItemKind(StrEnum):
    """What an agenda item is."""

    RISK = "risk"
    REVIEW = "review"
    TASK = "task"
    GOAL = "goal"
    STRATEGY = "strategy"
    TECHNIQUE = "technique"
    MEASURE = "measure"
    REMINDER = "reminder"
    MODULE = "module"


@attrs.frozen
class AgendaItem:
    """One thing the next session should cover."""

    kind: ItemKind
    code: str
    """A stable id a front end can map (``task.formulation_agreed``, ``strategy.role_dispute...``)."""
    text: str
    lay_text: str
    blocking: bool = False
    """Needed before the case can move to the next phase."""
    source: str = ""


@attrs.frozen
class FocusSummary:
    """A focal problem area as the agenda names it."""

    area_id: str
    kind: AreaKind
    label: str
    lay_label: str
    stage: DisputeStage | None = None


@attrs.frozen
class Agenda:
    """What the next session should cover, with the phase report it was built from."""

    case_id: str
    protocol_id: str
    session: int
    contracted_sessions: int
    phase: Phase
    phase_label: str
    focus: tuple[FocusSummary, ...]
    items: tuple[AgendaItem, ...]
    report: PhaseReport

    @property
    def headline(self) -> str:
        """``session 9 of 16, middle phase, focus: role dispute (renegotiation)``; once every
        contracted session is held, ``all 16 contracted sessions held, ...`` (never "17 of 16")."""
        if self.report.contracted_sessions_held:
            count = f"all {self.contracted_sessions} contracted sessions held"
        else:
            count = f"session {self.session} of {self.contracted_sessions}"
        parts = [count, f"{self.phase_label}"]
        if self.report.termination_due:
            parts.append("termination work due")
        if self.focus:
            parts.append("focus: " + ", ".join(_focus_text(f.label, f.stage) for f in self.focus))
        return ", ".join(parts)

    @property
    def lay_headline(self) -> str:
        """The headline in lay words (``week 4 of 8, focus: a life change``)."""
        if self.report.contracted_sessions_held:
            parts = [f"all {self.contracted_sessions} weeks done"]
        else:
            parts = [f"week {self.session} of {self.contracted_sessions}"]
        if self.focus:
            parts.append("focus: " + ", ".join(f.lay_label for f in self.focus))
        return ", ".join(parts)

    def render(self, *, lay: bool = False) -> str:
        """The agenda as one line of text: the headline, then each item."""
        head = self.lay_headline if lay else self.headline
        texts = [i.lay_text if lay else i.text for i in self.items]
        return f"{head}: " + "; ".join(texts) if texts else head


def _focus_text(label: str, stage: DisputeStage | None) -> str:
    return label if stage is None else f"{label} ({stage.value})"


def _focus(case: Case, protocol: Protocol) -> tuple[FocusSummary, ...]:
    found: list[FocusSummary] = []
    for area in case.focal_areas():
        option = protocol.area_option(area.KIND)
        label = option.label if option is not None else area.KIND.value.replace("_", " ")
        lay = option.lay_label if option is not None else label
        stage = area.stage if isinstance(area, RoleDispute) else None
        found.append(FocusSummary(area.id, area.KIND, label, lay, stage))
    return tuple(found)


def _guide_items(area: ProblemArea) -> list[AgendaItem]:
    items: list[AgendaItem] = []
    kind = area.KIND.value
    if isinstance(area, RoleDispute):
        for goal in STAGE_GUIDES[area.stage].goals:
            items.append(
                AgendaItem(
                    ItemKind.GOAL,
                    f"stage.{area.stage.value}.{goal.id}",
                    goal.text,
                    goal.lay_text,
                    False,
                    goal.source,
                )
            )
    guide = AREA_GUIDES[area.KIND]
    for goal in guide.goals[:1] if isinstance(area, RoleDispute) else guide.goals:
        items.append(
            AgendaItem(ItemKind.GOAL, f"goal.{kind}.{goal.id}", goal.text, goal.lay_text, False, goal.source)
        )
    items.extend(
        AgendaItem(ItemKind.STRATEGY, f"strategy.{kind}.{s.id}", s.text, s.lay_text, False, s.source)
        for s in guide.strategies
    )
    return items


def _measure_items(case: Case, protocol: Protocol, session: int) -> list[AgendaItem]:
    items: list[AgendaItem] = []
    for schedule in protocol.measures:
        offset = session - schedule.first_session
        if offset >= 0 and offset % schedule.every_sessions == 0:
            who = "self-completed " if schedule.self_completed or not protocol.therapist else ""
            name = _INSTRUMENT_NAMES.get(schedule.instrument, schedule.instrument.upper())
            items.append(
                AgendaItem(
                    ItemKind.MEASURE,
                    f"measure.{schedule.instrument}",
                    f"{who}{name} this session",
                    f"fill in the {name} questionnaire",
                    False,
                    schedule.source,
                )
            )
    return items


_INSTRUMENT_NAMES: Final = {"phq9": "PHQ-9", "gad7": "GAD-7", "srm5": "SRM-5", "wsas": "WSAS"}


def _task_items(report: PhaseReport) -> list[AgendaItem]:
    # The termination announcement has its own reminder, with the session it is due by.
    ordered = sorted(
        (t for t in report.open if t.id != "termination_announced"), key=lambda t: not t.blocking
    )
    return [
        AgendaItem(ItemKind.TASK, f"task.{t.id}", t.label, t.lay_label, t.blocking, t.source) for t in ordered
    ]


def _screening_items(case: Case, protocol: Protocol, phase: Phase, today: date) -> list[AgendaItem]:
    """A present exclusion criterion first (refer on), then the criteria still to screen before
    treatment goes on; labels are the protocol's, never the case's words."""
    status = screening_status(case, protocol, today=today)
    items = [
        AgendaItem(
            ItemKind.REMINDER,
            f"screening.present.{c.criterion}",
            f"exclusion criterion present ({c.label}): this protocol is not indicated; refer on "
            "(alternative treatment)",
            "talk about other help that fits you better",
            True,
            c.source,
        )
        for c in status
        if c.result is ScreenResult.PRESENT
    ]
    pending = [c for c in status if not c.settled]
    if pending and phase in (Phase.PRE_TREATMENT, Phase.INITIAL):
        items.append(
            AgendaItem(
                ItemKind.TASK,
                "screening.pending",
                "screen for the exclusion criteria: " + ", ".join(c.label for c in pending),
                "check that this programme is right for you",
                True,
                pending[0].source,
            )
        )
    return items


def _ending_items(
    case: Case, protocol: Protocol, report: PhaseReport, today: date
) -> tuple[list[AgendaItem], list[AgendaItem]]:
    """The course against its contract: items that replace the phase's work once termination is
    due (the termination tasks), and reminders to move into termination or to end the course."""
    work: list[AgendaItem] = []
    reminders: list[AgendaItem] = []
    source = protocol.termination_notice.source
    if report.contracted_sessions_held:
        reminders.append(
            AgendaItem(
                ItemKind.REMINDER,
                "reminder.contracted_sessions_held",
                f"all {report.contracted_sessions} contracted sessions are held: end the course or "
                "renegotiate the contract",
                "this was the last planned session: decide together what happens next",
                True,
                source,
            )
        )
    elif report.termination_due:
        # The phase's own work gives way to termination work on schedule: its blocking tasks stay
        # (they gate the move), its advice is left for the termination tasks.
        keep: list[TaskStatus] = [t for t in report.blocking if t.id != "termination_announced"]
        ending = task_statuses(case, protocol, Phase.TERMINATION, today=today)
        work.extend(
            AgendaItem(ItemKind.TASK, f"task.{t.id}", t.label, t.lay_label, t.blocking, t.source)
            for t in (*keep, *(t for t in ending if t.open))
        )
        reminders.append(
            AgendaItem(
                ItemKind.REMINDER,
                "reminder.termination_due",
                f"sessions {report.termination_from}-{report.contracted_sessions} are for termination "
                "work: move the course into termination",
                "the last sessions are about finishing well",
                False,
                source,
            )
        )
    return work, reminders


def next_steps(case: Case, *, today: date, protocol: Protocol | None = None) -> Agenda:
    """What the next session of ``case`` should cover, as of ``today``.

    Items come in the order a session would take them: risk first, then the review of mood and
    events, open tasks (blocking ones first), the focal area's goals and strategies, measures due,
    and reminders such as the session by which termination must be announced.
    """
    used, _ = resolve_protocol(case, protocol)
    report = evaluate(case, used if protocol is not None else None, today=today)
    held = case.sessions_until(today)
    phase = report.phase
    session = held[-1].number + 1 if held else (0 if phase is Phase.PRE_TREATMENT else 1)
    contracted = report.contracted_sessions
    items: list[AgendaItem] = []
    ending_work, ending_reminders = _ending_items(case, used, report, today)

    last = held[-1] if held else None
    if (
        last is not None
        and last.risk_check is not None
        and last.risk_check.level
        in (
            RiskLevel.MODERATE,
            RiskLevel.HIGH,
        )
    ):
        items.append(
            AgendaItem(
                ItemKind.RISK,
                "risk.review",
                "risk was raised last session: review risk and the safety plan first",
                "check in about your safety first",
                True,
                "S36 (safety planning); the service owns the crisis pathway",
            )
        )

    screening = _screening_items(case, used, phase, today)
    if phase in TERMINAL_PHASES:
        return Agenda(
            case.id, used.id, session, contracted, phase, report.phase_label, (), tuple(items), report
        )

    if phase in (Phase.MIDDLE, Phase.MAINTENANCE, Phase.CONTINUATION, Phase.TERMINATION) and held:
        items.append(
            AgendaItem(
                ItemKind.REVIEW,
                "review.interval_history",
                "review mood and events since the last session",
                "look back at your mood and what happened this week",
                False,
                "S2; S42; S4 ch.6",
            )
        )
    if used.mood_tracking.used:
        items.append(
            AgendaItem(
                ItemKind.REVIEW,
                "review.mood_tracking",
                "review the mood ratings tracked since the last session",
                "look at your mood tracker",
                False,
                used.mood_tracking.source,
            )
        )

    for module in used.modules:
        if module.week == session:
            items.append(
                AgendaItem(
                    ItemKind.MODULE, f"module.{module.week}", module.title, module.title, False, used.source
                )
            )

    items.extend(screening)
    tasks = ending_work if report.termination_due else _task_items(report)
    if any(i.code == "screening.pending" for i in screening):
        tasks = [i for i in tasks if i.code != "task.exclusion_screen"]  # named in full above
    items.extend(tasks)

    if phase in (Phase.MIDDLE, Phase.MAINTENANCE, Phase.CONTINUATION) and not report.termination_due:
        for area in case.focal_areas():
            items.extend(_guide_items(area))
        if not any(i.code == "task.communication_analysis" for i in items) and phase is Phase.MIDDLE:
            items.append(
                AgendaItem(
                    ItemKind.TECHNIQUE,
                    "technique.communication_analysis",
                    "reconstruct a recent incident (communication analysis)",
                    "look closely at a recent conversation that mattered",
                    False,
                    "S4 ch.6; S42",
                )
            )

    items.extend(_measure_items(case, used, session))

    deadline = report.announce_by
    said = None if case.termination is None else case.termination.announced_in_session
    announced = said is not None and any(s.number == said for s in held)
    if phase in (Phase.INITIAL, Phase.MIDDLE, Phase.MAINTENANCE) and not announced:
        due_now = session >= deadline
        now = "announce the end of treatment this session"
        if session > deadline:
            now += " (later than the protocol's notice: leave time to review the ending)"
        items.append(
            AgendaItem(
                ItemKind.REMINDER,
                "reminder.announce_termination",
                now if due_now else f"termination to be announced by session {deadline}",
                "plan for the last sessions" if due_now else f"the programme ends after session {contracted}",
                due_now,
                used.termination_notice.source,
            )
        )
    if phase is Phase.INITIAL:
        plan = used.phase_plan(Phase.INITIAL)
        if plan is not None and plan.max_sessions is not None and session >= plan.max_sessions:
            items.append(
                AgendaItem(
                    ItemKind.REMINDER,
                    "reminder.initial_phase_ends",
                    f"the initial phase should end by session {plan.max_sessions}: present the formulation "
                    "and seek agreement",
                    "time to choose your focus",
                    False,
                    plan.source,
                )
            )
    items.extend(ending_reminders)
    if phase is Phase.TERMINATION and case.outcome is None:
        items.append(
            AgendaItem(
                ItemKind.REMINDER,
                "reminder.exit_outcome",
                "record the exit outcome: completed, continuation, maintenance or alternative treatment",
                "decide together what happens after the last session",
                True,
                "S3 p.25",
            )
        )
    return Agenda(
        case.id,
        used.id,
        session,
        contracted,
        phase,
        report.phase_label,
        _focus(case, used),
        tuple(items),
        report,
    )


# == Suggested problem areas =====================================================================


@attrs.frozen
class Evidence:
    """One piece of evidence for a problem area, pointing into the case (never quoting it)."""

    code: str
    path: str
    text: str


@attrs.frozen
class AreaSuggestion:
    """A problem area the case's evidence points to, with the evidence and the protocol's labels."""

    kind: AreaKind
    label: str
    lay_label: str
    evidence: tuple[Evidence, ...]


def suggest_problem_areas(case: Case, protocol: Protocol | None = None) -> list[AreaSuggestion]:
    """Problem areas the timeline and the inventory point to, with the evidence for each.

    A death near onset points to grief, a dispute or a non-reciprocal relationship to a role
    dispute, a life change near onset to a role transition; the residual area (deficits, or role
    insecurity in IPT for social anxiety) only when none of these applies (S5 ch.8; S27). Only
    areas the protocol allows as a focus are suggested; the strongest evidence comes first.
    """
    used, _ = resolve_protocol(case, protocol)
    allowed = used.focus_kinds()
    index = {e.id: i for i, e in enumerate(case.timeline.events)}
    people = {p.id: i for i, p in enumerate(case.inventory.people)}
    found: dict[AreaKind, list[Evidence]] = {k: [] for k in AreaKind}

    for event in case.timeline.near_onset(DEFAULT_ONSET_WINDOW):
        path = f"$.timeline.events[{index[event.id]}]"
        if event.category is EventCategory.DEATH:
            found[AreaKind.GRIEF].append(Evidence("death_near_onset", path, "a death near the onset"))
        elif event.category is EventCategory.DISPUTE:
            found[AreaKind.ROLE_DISPUTE].append(
                Evidence("dispute_near_onset", path, "a dispute began near the onset")
            )
        elif event.category is EventCategory.LIFE_CHANGE:
            text = (
                "an anticipated life change near the onset"
                if event.anticipated
                else "a life change near the onset"
            )
            found[AreaKind.ROLE_TRANSITION].append(Evidence("life_change_near_onset", path, text))
            if event.kind is EventKind.ILLNESS:
                found[AreaKind.GRIEF_FOR_LOST_HEALTHY_SELF].append(
                    Evidence("illness_near_onset", path, "an illness near the onset")
                )

    for person in case.inventory.people:
        path = f"$.inventory.people[{people[person.id]}]"
        if person.deceased and person.changed_near_onset:
            found[AreaKind.GRIEF].append(
                Evidence("loss_near_onset", path, "an important person died around the onset")
            )
        if person.deceased:
            continue
        unmet = [e for e in (*person.client_expectations, *person.other_expectations) if e.met is False]
        if person.in_conflict and unmet:
            found[AreaKind.ROLE_DISPUTE].append(
                Evidence("non_reciprocal_expectations", path, "a conflict with expectations that are not met")
            )
        elif person.in_conflict:
            found[AreaKind.ROLE_DISPUTE].append(Evidence("in_conflict", path, "a relationship in conflict"))
        elif unmet and person.changed_near_onset:
            found[AreaKind.ROLE_DISPUTE].append(
                Evidence(
                    "expectations_changed",
                    path,
                    "unmet expectations in a relationship that changed near onset",
                )
            )

    main = (AreaKind.GRIEF, AreaKind.ROLE_DISPUTE, AreaKind.ROLE_TRANSITION)
    if not any(found[k] for k in main if k in allowed):
        summary = case.inventory.summary()
        residual: list[Evidence] = []
        if case.timeline.onset is not None:
            residual.append(
                Evidence(
                    "no_event_near_onset", "$.timeline", "no death, dispute or life change near the onset"
                )
            )
        if summary.isolated:
            residual.append(
                Evidence("isolated", "$.inventory", "no supportive person or confidant in the inventory")
            )
        for kind in (AreaKind.INTERPERSONAL_DEFICITS, AreaKind.ROLE_INSECURITY):
            if residual and kind in allowed:
                found[kind].extend(residual)

    suggestions = [
        AreaSuggestion(
            kind,
            option.label,
            option.lay_label,
            tuple(evidence),
        )
        for kind, evidence in found.items()
        if evidence and kind in allowed and (option := used.area_option(kind)) is not None
    ]
    return sorted(suggestions, key=lambda s: -len(s.evidence))
