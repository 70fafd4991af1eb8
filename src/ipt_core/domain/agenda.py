"""What the next session should cover.

:func:`next_steps` turns a case into an :class:`Agenda` of structured items a front end renders,
for a clinician or for someone using a self-help app. Which problem areas the case's evidence points
to is :mod:`ipt_core.domain.suggestions`. The goals and strategies
of each area, and of each stage of a dispute, are data (:data:`AREA_GUIDES`, :data:`STAGE_GUIDES`),
each with its source tag (resolved in the docs' bibliography).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Final

import attrs

from ipt_core.domain._days import day_of, setting_of
from ipt_core.domain.case import Case
from ipt_core.domain.course import TERMINAL_PHASES, ExitOutcome, Phase
from ipt_core.domain.phases import (
    PhaseReport,
    TaskStatus,
    TransitionKind,
    _announced,
    _course_sessions,
    evaluate,
    resolve_protocol,
    task_statuses,
)
from ipt_core.domain.problem_areas import AreaKind, DisputeStage, ProblemArea, RoleDispute
from ipt_core.domain.protocols import Protocol
from ipt_core.domain.risk import (
    _RISK_SETTINGS_EXAMPLE,
    CLOCK_SKEW,
    DEFAULT_RISK_SETTINGS,
    RiskFlag,
    RiskGrade,
    RiskSettings,
    dated_just_ahead,
    flag_source,
    open_risk_flags,
    session_risk_flags,
)
from ipt_core.domain.screening import ScreenResult, screening_status

__all__ = [
    "AREA_GUIDES",
    "STAGE_GUIDES",
    "Agenda",
    "AgendaItem",
    "AreaGuide",
    "FocusSummary",
    "ItemKind",
    "Strategy",
    "next_steps",
]


# == Strategies as data ==========================================================================


@attrs.frozen
class Strategy:
    """A goal or a strategy of IPT work, in clinical and lay words, with its source."""

    id: str
    text: str
    lay_text: str
    source: str
    stages: tuple[DisputeStage, ...] = ()
    """For a role dispute, the stages it applies at; empty: every stage."""


@attrs.frozen
class AreaGuide:
    """The goals and strategies of one problem area (or one stage of a dispute)."""

    goals: tuple[Strategy, ...]
    strategies: tuple[Strategy, ...]


def _s(sid: str, text: str, lay: str, source: str, *stages: DisputeStage) -> Strategy:
    return Strategy(sid, text, lay, source, stages)


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
                    "explore_avoided_feelings",
                    "explore the feelings about the loss that have been avoided",
                    "let yourself feel what you have been holding back",
                    "S44 ◐; S46 ◐",
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
                    DisputeStage.RENEGOTIATION,
                    DisputeStage.IMPASSE,
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
                    "relate_symptoms_to_change",
                    "relate the onset of symptoms to the change",
                    "see how your mood changed with the change in your life",
                    "S3 p.24; S44 ◐",
                ),
                _s(
                    "old_and_new_roles",
                    "review the good and bad of the old and the new roles",
                    "weigh up the old and the new",
                    "S44 ◐; S46 ◐",
                ),
                _s(
                    "feelings_about_change",
                    "explore the feelings about what is lost and about the change",
                    "talk about what you miss and how the change feels",
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
                    "therapeutic_relationship",
                    "use the therapeutic relationship as a model and a source of information",
                    "notice what happens between us as practice for other relationships",
                    "S46 ◐",
                ),
                _s(
                    "practise_skills",
                    "role-play and practise social skills",
                    "practise reaching out",
                    "S46 ◐; S44",
                ),
                _s(
                    "strengthen_relationships",
                    "strengthen current relationships and build new ones",
                    "build on the connections you have and make new ones",
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
"""The goals and strategies of each problem area, each with its source tag (S1; S3; S5; S44; ...)."""

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
            strategies=(
                _s(
                    "analyse_communication",
                    "analyse how the dispute is argued (communication analysis) and try other ways to say it",
                    "look at how the two of you talk about it, and try saying it differently",
                    "S5; S44; S43/S6, S42 (communication analysis)",
                ),
                _s(
                    "options_and_resources",
                    "explore the options and resources for resolving it",
                    "think through the ways it could be settled",
                    "S44",
                ),
            ),
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
            strategies=(
                _s(
                    "bring_into_open",
                    "bring the stalled dispute into the open so that negotiation can restart",
                    "raise the disagreement again instead of letting it smoulder",
                    "S44",
                ),
                _s(
                    "what_blocks_resolution",
                    "explore what blocks resolution",
                    "look at what keeps the two of you stuck",
                    "S44",
                ),
                _s(
                    "consider_dissolution",
                    "weigh whether to end the relationship (decision analysis)",
                    "think through whether this relationship can go on, and what you want",
                    "S44; S43/S6, S16 (decision analysis)",
                ),
            ),
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
            strategies=(
                _s(
                    "review_relationship",
                    "review the relationship, good and bad, as in grief",
                    "remember the relationship as it was, the good and the hard",
                    "S44; S44 ◐ (grief); S45 ◐",
                ),
                _s(
                    "feelings_about_ending",
                    "acknowledge the losses and the feelings about the ending",
                    "let yourself feel what the ending means to you",
                    "S44",
                ),
                _s(
                    "build_new_supports",
                    "build new supports and relationships, as in a role transition",
                    "find people and activities that help you move on",
                    "S44; S3 p.24",
                ),
            ),
        ),
    }
)
"""The aim and the strategies of each stage of a role dispute: renegotiate at
renegotiation, reopen or weigh ending at impasse, end and mourn at dissolution (S5 stage names; S44)."""


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
        contracted session is held, ``all 16 contracted sessions held, ...`` (never "17 of 16"); once
        the course has ended, ``ended after session 16 of 16, completed``."""
        if self.phase in TERMINAL_PHASES:
            count = f"ended after session {max(0, self.session - 1)} of {self.contracted_sessions}"
        elif self.report.contracted_sessions_held:
            count = f"all {self.contracted_sessions} contracted sessions held"
        else:
            count = f"session {self.session} of {self.contracted_sessions}"
        parts = [count, f"{self.phase_label}"]
        if self.report.termination_due and not self.report.contracted_sessions_held:
            # Once the contract is spent the question is to end or renegotiate, and no termination
            # task is listed for a session the contract does not have.
            parts.append("termination work due")
        if self.focus:
            parts.append("focus: " + ", ".join(_focus_text(f.label, f.stage) for f in self.focus))
        return ", ".join(parts)

    @property
    def lay_headline(self) -> str:
        """The headline in lay words (``week 4 of 8, focus: a life change``)."""
        if self.phase in TERMINAL_PHASES:
            parts = [f"ended after week {max(0, self.session - 1)} of {self.contracted_sessions}"]
        elif self.report.contracted_sessions_held:
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


def _stage_on(area: ProblemArea, today: date) -> DisputeStage | None:
    """A dispute's stage as of ``today``: the last assessment dated by then (none yet when every
    assessment is dated later), or its recorded stage when no assessment is dated."""
    if not isinstance(area, RoleDispute):
        return None
    if not area.stage_history:
        return area.stage
    held = [change.stage for change in area.stage_history if change.on <= today]
    return held[-1] if held else None


def _focus(case: Case, protocol: Protocol, today: date) -> tuple[FocusSummary, ...]:
    found: list[FocusSummary] = []
    for area in case.focal_areas():
        option = protocol.area_option(area.KIND)
        label = option.label if option is not None else area.KIND.value.replace("_", " ")
        lay = option.lay_label if option is not None else label
        stage = _stage_on(area, today)
        found.append(FocusSummary(area.id, area.KIND, label, lay, stage))
    return tuple(found)


def _guide_items(area: ProblemArea, today: date) -> list[AgendaItem]:
    items: list[AgendaItem] = []
    kind = area.KIND.value
    stage = _stage_on(area, today)
    if stage is not None:
        for goal in STAGE_GUIDES[stage].goals:
            items.append(
                AgendaItem(
                    ItemKind.GOAL,
                    f"stage.{stage.value}.{goal.id}",
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
    if stage is not None:
        items.extend(
            AgendaItem(ItemKind.STRATEGY, f"stage.{stage.value}.{s.id}", s.text, s.lay_text, False, s.source)
            for s in STAGE_GUIDES[stage].strategies
        )
    items.extend(
        AgendaItem(ItemKind.STRATEGY, f"strategy.{kind}.{s.id}", s.text, s.lay_text, False, s.source)
        for s in guide.strategies
        if not s.stages or stage is None or stage in s.stages
    )
    return items


def _module_items(protocol: Protocol, report: PhaseReport, session: int) -> list[AgendaItem]:
    """The week's module, after any earlier module of the current phase whose work is still open
    (a week missed, or paused for risk): a pause resumes where it stopped, and the open tasks are
    done through their module. A module of a phase the course has left, or with no tasks, is
    shown in its own week only."""
    open_tasks = {t.id for t in report.open}
    items: list[AgendaItem] = []
    for module in protocol.modules:
        owed = (
            module.week < session and module.phase is report.phase and not open_tasks.isdisjoint(module.tasks)
        )
        if module.week == session or owed:
            text = module.title if module.week == session else f"{module.title} (from week {module.week})"
            items.append(
                AgendaItem(ItemKind.MODULE, f"module.{module.week}", text, text, False, protocol.source)
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
        # Blocking first, as every phase's tasks are listed (a protocol may make a termination task
        # block the exit: Stuart's maintenance decision).
        due = sorted((*keep, *(t for t in ending if t.open)), key=lambda t: not t.blocking)
        work.extend(
            AgendaItem(ItemKind.TASK, f"task.{t.id}", t.label, t.lay_label, t.blocking, t.source) for t in due
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


def next_steps(
    case: Case,
    *,
    today: date,
    protocol: Protocol | None = None,
    risk_settings: RiskSettings = DEFAULT_RISK_SETTINGS,
) -> Agenda:
    """What the next session of ``case`` should cover, as of ``today``; ``risk_settings`` are the
    cut-offs that grade risk answers (a service's own, signed off clinically).

    Items come in the order a session would take them: risk first, then the review of mood and
    events, open tasks (blocking ones first), the focal area's goals and strategies, measures due,
    and reminders such as the session by which termination must be announced.
    """
    today = day_of(today)
    risk_settings = setting_of(risk_settings, RiskSettings, "risk_settings", _RISK_SETTINGS_EXAMPLE)
    used, _ = resolve_protocol(case, protocol)
    report = evaluate(case, used if protocol is not None else None, today=today)
    held = case.sessions_until(today)
    phase = report.phase
    session = held[-1].number + 1 if held else (0 if phase is Phase.PRE_TREATMENT else 1)
    contracted = report.contracted_sessions
    items: list[AgendaItem] = []
    ending_work, ending_reminders = _ending_items(case, used, report, today)

    risk_items, paused = _risk_items(case, used, today, risk_settings)
    items.extend(risk_items)

    screening = _screening_items(case, used, phase, today)
    if phase in TERMINAL_PHASES:
        # The course ended after its last session by the day it ended (a later follow-up contact
        # is not one of its sessions).
        course = _course_sessions(case, today)
        ended_after = course[-1].number if course else 0
        # The risk stands after the end; a programme that has ended has no modules left to pause.
        kept = tuple(i for i in items if i.code != "risk.modules_paused")
        return Agenda(
            case.id, used.id, ended_after + 1, contracted, phase, report.phase_label, (), kept, report
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
    if used.mood_tracking.used and held:  # nothing tracked "since the last session" before the first
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

    if not paused:
        items.extend(_module_items(used, report, session))

    items.extend(screening)
    tasks = ending_work if report.termination_due else _task_items(report)
    if any(i.code == "screening.pending" for i in screening):
        tasks = [i for i in tasks if i.code != "task.exclusion_screen"]  # named in full above
    items.extend(tasks)

    if phase in (Phase.MIDDLE, Phase.MAINTENANCE, Phase.CONTINUATION) and not report.termination_due:
        for area in case.focal_areas():
            items.extend(_guide_items(area, today))
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

    if not report.contracted_sessions_held:
        # A session past a spent contract is not contracted: no measure is due for it until a
        # renegotiation adds sessions (S1; S6), and the schedule then goes on.
        items.extend(_measure_items(case, used, session))

    deadline = report.announce_by
    announced = _announced(case, held, today) is not None
    # Once every contracted session is held there is no session left to announce the end in (the
    # engine no longer asks for it): the reminder to end the course or renegotiate stands alone.
    no_session_left = report.contracted_sessions_held
    ahead_of_termination = (Phase.INITIAL, Phase.MIDDLE, Phase.CONTINUATION, Phase.MAINTENANCE)
    if phase in ahead_of_termination and not announced and not no_session_left:
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
            # The agreement is the gate (S4 ch.5): once given, what is left is to move on.
            agreed = any(t.id == "formulation_agreed" for t in report.done)
            following = next((t.to for t in report.transitions if t.kind is TransitionKind.NEXT), None)
            if agreed and following is not None:
                text = f"the formulation is agreed, move the course into the {following.value} phase"
                lay = "time to start working on your focus"
            else:
                text, lay = "present the formulation and seek agreement", "time to choose your focus"
            items.append(
                AgendaItem(
                    ItemKind.REMINDER,
                    "reminder.initial_phase_ends",
                    f"the initial phase should end by session {plan.max_sessions}: {text}",
                    lay,
                    False,
                    plan.source,
                )
            )
    items.extend(ending_reminders)
    if phase is Phase.TERMINATION and case.outcome is ExitOutcome.ALTERNATIVE_TREATMENT:
        items.append(
            AgendaItem(
                ItemKind.REMINDER,
                "reminder.treatment_failed_not_client",
                "ending for an alternative treatment: review the partial gains, say that the treatment "
                "failed, not the client, and offer an effective alternative (another psychotherapy, "
                "medication)",
                "this treatment did not help enough, and that is not your fault: we will find other help",
                False,
                "S3 p.25; S51",
            )
        )
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
        _focus(case, used, today),
        tuple(items),
        report,
    )


# == Risk on the agenda ==========================================================================


def _flag_list(flags: tuple[RiskFlag, ...]) -> str:
    """``session 3 (PHQ-9 item 9), session 4 (the clinician's risk check)``: sessions and sources,
    never the answers."""
    named: dict[tuple[int | None, str], None] = {}
    for flag in flags:
        named[flag.session, flag_source(flag)] = None
    return ", ".join(f"session {number} ({source})" for number, source in named)


def _plan_reviewed_on(case: Case, reviewed_on: date, today: date) -> date:
    """When the safety plan was last reviewed: its own date, or a later risk check (held by
    ``today``) that records the plan as reviewed."""
    ticked = [
        s.date
        for s in case.sessions_until(today)
        if s.risk_check is not None and s.risk_check.safety_plan_reviewed is True
    ]
    return max((reviewed_on, *ticked))


def _flags_dated_later(case: Case, today: date, settings: RiskSettings) -> list[AgendaItem]:
    """A blocking item when sessions dated just after ``today`` (by a device's clock or time zone,
    :data:`~ipt_core.domain.risk.CLOCK_SKEW`) record risk: the agenda is as of ``today`` and leaves
    them out, but a clock must not hide a flag."""
    later = tuple(
        flag
        for s in dated_just_ahead(case.sessions, today)
        for flag in session_risk_flags(s, settings=settings)
    )
    items = _flags_dated_ahead(case, today, settings)
    if not later:
        return items
    return [
        AgendaItem(
            ItemKind.RISK,
            "risk.dated_later",
            f"risk is recorded in sessions dated just after today: {_flag_list(later)}; check the "
            "dates (a device's clock or time zone) and review the risk",
            "check in about your safety first",
            True,
            "the library keeps every flag; the service owns the crisis pathway",
        ),
        *items,
    ]


def _numbers(numbers: list[int]) -> str:
    """``session 4``, ``sessions 7-16`` or ``sessions 2, 5-7``: increasing session numbers, runs
    written as ranges so that the line stays short."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    words = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)
    return f"session {words}" if len(numbers) == 1 else f"sessions {words}"


def _flags_dated_ahead(case: Case, today: date, settings: RiskSettings) -> list[AgendaItem]:
    """A blocking item when sessions dated after ``today`` by more than any clock difference (a
    mistyped year, say) record risk: such a session is not held as of ``today``, but a date typed
    wrong must not hide a flag from the agenda."""
    ahead = [
        s.number
        for s in case.sessions
        if s.date > today and s.date - today > CLOCK_SKEW and session_risk_flags(s, settings=settings)
    ]
    if not ahead:
        return []
    return [
        AgendaItem(
            ItemKind.RISK,
            "risk.dated_ahead",
            f"risk is recorded in {_numbers(ahead)}, dated after today: if a date is wrong, correct "
            "it; review the risk",
            "check in about your safety first",
            True,
            "the library keeps every flag; the service owns the crisis pathway",
        )
    ]


def _risk_items(
    case: Case, protocol: Protocol, today: date, settings: RiskSettings = DEFAULT_RISK_SETTINGS
) -> tuple[list[AgendaItem], bool]:
    """The risk items that lead the agenda while any flag is open, and whether the protocol pauses
    its weekly modules until a review (its :class:`~ipt_core.domain.safety.Escalation` data)."""
    later = _flags_dated_later(case, today, settings)
    flags = open_risk_flags(case, today=today, settings=settings)
    if not flags:
        return later, False
    grades = {flag.level for flag in flags}
    rules = [rule for grade in grades if (rule := protocol.escalation_for(grade)) is not None]
    items: list[AgendaItem] = []
    crisis = [rule for rule in rules if rule.crisis_resources_first]
    if crisis:
        items.append(
            AgendaItem(
                ItemKind.RISK,
                "risk.crisis_resources",
                "show the service's crisis resources first",
                "if you feel unsafe, help is available now: see the crisis contacts",
                True,
                "; ".join(sorted({rule.source for rule in crisis})),
            )
        )
    items.append(
        AgendaItem(
            ItemKind.RISK,
            "risk.review",
            f"open risk flags: {_flag_list(flags)}: review risk and the safety plan first",
            "check in about your safety first",
            True,
            "Stanley & Brown 2012 (safety planning); the service owns the crisis pathway",
        )
    )
    wants_plan = RiskGrade.HIGH in grades or any(rule.safety_plan for rule in rules)
    if wants_plan:
        days = {s.number: s.date for s in case.sessions}
        planned = [rule.grade for rule in rules if rule.safety_plan]
        asking = [f for f in flags if f.level is RiskGrade.HIGH or f.level in planned]
        newest = max((days[f.session] for f in asking if f.session in days), default=None)
        plan = case.safety_plan
        if plan is not None and plan.reviewed_on > today:
            plan = None  # a plan dated after today is not there yet
        if plan is None:
            items.append(
                AgendaItem(
                    ItemKind.RISK,
                    "risk.safety_plan",
                    "make a safety plan with the client (warning signs, coping, contacts, a safe "
                    "environment, reasons for living)",
                    "make a safety plan",
                    True,
                    "Stanley & Brown 2012 (Safety Planning Intervention)",
                )
            )
        elif newest is not None and _plan_reviewed_on(case, plan.reviewed_on, today) < newest:
            items.append(
                AgendaItem(
                    ItemKind.RISK,
                    "risk.safety_plan_review",
                    "review the safety plan: it is older than the open risk flag",
                    "look at your safety plan again",
                    True,
                    "Stanley & Brown 2012 (Safety Planning Intervention)",
                )
            )
    paused = any(rule.pause_modules for rule in rules) and bool(protocol.modules)
    if paused:
        items.append(
            AgendaItem(
                ItemKind.RISK,
                "risk.modules_paused",
                "the weekly modules are paused until a clinician reviews the open risk flags",
                "the programme is paused until someone checks in with you about your safety",
                True,
                "; ".join(sorted({rule.source for rule in rules if rule.pause_modules})),
            )
        )
    items.extend(later)
    return items, paused
