"""The phase engine: where a case is, what is still open, and whether it may move on.

:func:`evaluate` reports the current phase, every task of it (done, open or not applicable, each
with a reason), which open tasks block the next phase and which are advice, and the transitions
allowed now. :func:`advance` moves a case, or raises :class:`~ipt_core.errors.TransitionError`
listing each unmet blocking requirement. The rules (S3; S4; S6; S7):

* the gate into the middle phase is the client's agreement to the formulation, plus the other
  initial tasks the protocol marks blocking;
* termination is announced at least ``protocol.termination_notice.sessions`` (2-4) sessions before
  the last contracted one; a later announcement is an advisory finding, never a block;
* the last contracted sessions are for termination work: from then on the report says termination
  is due, and once every contracted session is held a blocking finding asks to end the course or
  renegotiate the contract;
* nothing dated after ``on`` (or ``today``) counts: agreements, task records, screening results,
  the termination review and sessions;
* leaving termination needs an exit outcome that matches the phase entered;
* the contract changes only through a recorded renegotiation (:meth:`Case.renegotiate`);
* a crisis referral or a drop-out is allowed from any phase that is not final.

Nothing here reads a clock: ``today`` and ``on`` are parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Final

import attrs

from ipt_core import _hints
from ipt_core.domain import _fields as f
from ipt_core.domain._days import case_of, day_of
from ipt_core.domain.case import Case
from ipt_core.domain.contract import TreatmentContract
from ipt_core.domain.course import TERMINAL_PHASES, ExitOutcome, Phase
from ipt_core.domain.inventory import RelationshipCategory
from ipt_core.domain.protocols import BUILTIN_PROTOCOLS, Protocol, TaskApplies, TaskSpec, focus_problems
from ipt_core.domain.risk import dated_just_ahead
from ipt_core.domain.screening import CriterionStatus, ScreenResult, screening_problems, screening_status
from ipt_core.domain.sessions import SessionRecord, Technique
from ipt_core.errors import Problem, TransitionError

__all__ = [
    "EXIT_PHASES",
    "SIDE_EXITS",
    "Finding",
    "PhaseReport",
    "TaskState",
    "TaskStatus",
    "Transition",
    "TransitionKind",
    "advance",
    "current_phase",
    "evaluate",
    "resolve_protocol",
    "task_statuses",
]

SIDE_EXITS: Final = (Phase.CRISIS_REFERRAL, Phase.DROPPED_OUT)
"""Allowed from any phase that is not final, with no requirement."""

EXIT_PHASES: Final[dict[Phase, ExitOutcome]] = {
    Phase.COMPLETED: ExitOutcome.COMPLETED,
    Phase.CONTINUATION: ExitOutcome.CONTINUATION_CONTRACT,
    Phase.MAINTENANCE: ExitOutcome.MAINTENANCE_CONTRACT,
    Phase.ALTERNATIVE_TREATMENT: ExitOutcome.ALTERNATIVE_TREATMENT,
}
"""The phases termination may lead to, and the exit outcome each one needs (S3 p.25)."""

_SIDE_OUTCOME: Final = {
    Phase.CRISIS_REFERRAL: ExitOutcome.CRISIS_REFERRAL,
    Phase.DROPPED_OUT: ExitOutcome.DROPPED_OUT,
}

_RANK: Final = {
    Phase.PRE_TREATMENT: 0,
    Phase.INITIAL: 1,
    Phase.MIDDLE: 2,
    Phase.CONTINUATION: 3,
    Phase.MAINTENANCE: 3,
    Phase.TERMINATION: 4,
}

FALLBACK_PROTOCOL: Final = "standard"
"""The protocol a case naming an unknown protocol is evaluated against (and told so)."""


class TaskState(StrEnum):
    """Where a task stands for a case."""

    DONE = "done"
    OPEN = "open"
    NOT_APPLICABLE = "not_applicable"


class TransitionKind(StrEnum):
    """What kind of move a transition is."""

    NEXT = "next"
    """The next phase of the protocol."""
    EXIT = "exit"
    """Out of termination: completed, continuation, maintenance or alternative treatment."""
    SIDE_EXIT = "side_exit"
    """Crisis referral or drop-out, allowed from any phase."""
    REFERRAL = "referral"
    """Out of the course to alternative treatment when an exclusion criterion of the protocol is
    present (the protocol is not indicated: refer on)."""


@attrs.frozen
class TaskStatus:
    """One task of the current phase for this case, and why it stands where it does."""

    id: str
    phase: Phase
    state: TaskState
    blocking: bool
    """Whether the task, while open, blocks the next phase (otherwise it is advice)."""
    label: str
    lay_label: str
    reason: str
    """Why the task is done, open or not applicable (library text; never quotes the case)."""
    path: str
    """Where in the case the evidence is, or would be recorded (``$.tasks.sick_role``)."""
    source: str
    on: date | None = attrs.field(default=None, repr=False)
    """The date of the evidence (sensitive: left out of the ``repr``, as the case's dates are)."""
    session: int | None = None

    @property
    def open(self) -> bool:
        """Whether the task is still to do."""
        return self.state is TaskState.OPEN


@attrs.frozen
class Transition:
    """A move from the current phase and whether it is allowed now."""

    to: Phase
    kind: TransitionKind
    unmet: tuple[Problem, ...]
    """Each blocking requirement not met (empty when the move is allowed)."""

    @property
    def allowed(self) -> bool:
        """Whether the move is allowed now."""
        return not self.unmet


@attrs.frozen
class Finding:
    """Something about the case worth showing that is not a task: a warning or an advisory note."""

    code: str
    path: str
    message: str
    blocking: bool = False


@attrs.frozen
class PhaseReport:
    """The phase of a case, its tasks, the transitions allowed now and other findings."""

    case_id: str
    protocol_id: str
    protocol_known: bool
    """False when the case names a protocol this library does not know and none was passed: the
    report then follows the standard protocol."""
    phase: Phase
    phase_label: str
    sessions_held: int
    next_session: int
    contracted_sessions: int
    tasks: tuple[TaskStatus, ...]
    transitions: tuple[Transition, ...]
    findings: tuple[Finding, ...]
    announce_by: int = 0
    """The last session in which the end of treatment is announced with the protocol's notice."""
    termination_from: int = 0
    """The first of the last contracted sessions, which are for termination work."""
    termination_due: bool = False
    """The next session is one of the termination sessions and the course is not yet in
    termination: move it there with :func:`advance`."""
    contracted_sessions_held: bool = False
    """Every contracted session is held and the course has not ended: end it or renegotiate."""

    @property
    def done(self) -> tuple[TaskStatus, ...]:
        """Tasks done."""
        return tuple(t for t in self.tasks if t.state is TaskState.DONE)

    @property
    def open(self) -> tuple[TaskStatus, ...]:
        """Tasks still open."""
        return tuple(t for t in self.tasks if t.open)

    @property
    def blocking(self) -> tuple[TaskStatus, ...]:
        """Open tasks that block the next phase."""
        return tuple(t for t in self.tasks if t.open and t.blocking)

    @property
    def advice(self) -> tuple[TaskStatus, ...]:
        """Open tasks that are advice: worth doing, not a condition of moving on."""
        return tuple(t for t in self.tasks if t.open and not t.blocking)

    @property
    def allowed(self) -> tuple[Phase, ...]:
        """The phases the case may move to now."""
        return tuple(t.to for t in self.transitions if t.allowed)

    def transition(self, to: Phase | str) -> Transition | None:
        """The transition to ``to``, if it is a move from the current phase (a name that is not a
        phase raises :class:`~ipt_core.ValidationError` at ``$.to``, never repeating it)."""
        target = f.as_member(Phase, to, "$.to")
        for transition in self.transitions:
            if transition.to is target:
                return transition
        return None


# -- protocol ----------------------------------------------------------------------------------


def _protocol_given(protocol: object) -> Protocol:
    """``protocol`` when it is a :class:`Protocol`; otherwise a ``TypeError`` saying what to pass
    (a protocol's id, say, as the contract holds it)."""
    if not isinstance(protocol, Protocol):
        raise TypeError(
            "protocol must be a Protocol, such as protocols.get('standard'), or None for the case's own"
        )
    return protocol


def resolve_protocol(case: Case, protocol: Protocol | None = None) -> tuple[Protocol, bool]:
    """The protocol to apply to ``case`` and whether it is the one the case names (or was passed)."""
    case = case_of(case)
    if protocol is not None:
        return _protocol_given(protocol), True
    known = BUILTIN_PROTOCOLS.get(case.protocol_id)
    if known is not None:
        return known, True
    return BUILTIN_PROTOCOLS[FALLBACK_PROTOCOL], False


def current_phase(case: Case, protocol: Protocol | None = None, *, today: date | None = None) -> Phase:
    """The phase of ``case`` under ``protocol``: the last recorded change; with none recorded, the
    protocol's first phase (pre-treatment where it has one). Without ``protocol``, as
    :attr:`Case.phase <ipt_core.Case.phase>`.

    With ``today``, as of that day: a change dated later has not happened yet (as in
    :func:`evaluate` and the agenda)."""
    case = case_of(case)
    if protocol is None:
        return case.phase if today is None else case.phase_on(today)
    protocol = _protocol_given(protocol)
    changes = case.phase_history if today is None else case.phase_history_until(today)
    return changes[-1].phase if changes else protocol.sequence()[0]


# -- tasks -------------------------------------------------------------------------------------


@attrs.frozen
class _Evidence:
    done: bool
    reason: str
    path: str
    on: date | None = None
    session: int | None = None


@attrs.frozen
class _Context:
    case: Case
    protocol: Protocol
    today: date
    sessions: tuple[SessionRecord, ...]
    """Sessions held on or before today."""
    in_phase: tuple[SessionRecord, ...]
    """Those held since the current phase began."""
    phase: Phase
    """The current phase under the protocol (its first phase when none is recorded)."""
    screens: tuple[CriterionStatus, ...] = ()
    """Each exclusion criterion of the protocol with its latest result by today."""

    @property
    def present(self) -> tuple[CriterionStatus, ...]:
        """Exclusion criteria screened present."""
        return tuple(c for c in self.screens if c.result is ScreenResult.PRESENT)

    @property
    def unsettled(self) -> tuple[CriterionStatus, ...]:
        """Exclusion criteria not yet screened, or screened with an unknown result."""
        return tuple(c for c in self.screens if not c.settled)


def _context(case: Case, protocol: Protocol, today: date) -> _Context:
    today = day_of(today)
    held = case.sessions_until(today)
    changes = case.phase_history_until(today)
    since = changes[-1].on if changes else None
    in_phase = held if since is None else tuple(s for s in held if s.date >= since)
    screens = screening_status(case, protocol, today=today)
    return _Context(
        case, protocol, today, held, in_phase, current_phase(case, protocol, today=today), screens
    )


def _course_sessions(case: Case, today: date) -> tuple[SessionRecord, ...]:
    """Sessions held by ``today``; once the course has ended, those held by the day it ended: a
    contact after the end (a follow-up rating, say) is not a session of the course."""
    held = case.sessions_until(today)
    changes = case.phase_history_until(today)
    if changes and changes[-1].phase in TERMINAL_PHASES:
        end = changes[-1].on
        held = tuple(s for s in held if s.date <= end)
    return held


def _by(day: date | None, today: date) -> date | None:
    """``day`` when it is on or before ``today``: a record dated later does not count yet."""
    return day if day is not None and day <= today else None


def _announced(case: Case, sessions: tuple[SessionRecord, ...], today: date) -> int | None:
    """The session the end was announced in, if that session is among ``sessions`` (held by today),
    the client attended it (an announcement in a missed session was not heard), and it was not
    held before a renegotiation that changed the number of sessions (by ``today``): that
    announcement named an end that is no longer the end, and the new one is announced again (the
    end is announced before the last *contracted* session, S6; a contract changes only by an
    explicit renegotiation, S1; S6)."""
    number = None if case.termination is None else case.termination.announced_in_session
    said = next((s for s in sessions if s.number == number and s.attended), None)
    if said is None:
        return None
    changed = _count_changed_on(case.contract, today)
    if changed is not None and said.date < changed:
        return None
    return said.number


def _count_changed_on(contract: TreatmentContract, today: date) -> date | None:
    """The day of the last renegotiation, by ``today``, that changed the number of sessions."""
    count, changed = contract.planned_sessions, None
    for change in contract.renegotiations:
        if change.on > today:
            break
        if change.planned_sessions != count:
            count, changed = change.planned_sessions, change.on
    return changed


def _review_counts(case: Case, today: date) -> bool:
    """Whether the termination review's content counts on ``today`` (undated, or dated by then)."""
    review = case.termination
    return review is not None and (review.on is None or review.on <= today)


def _first(
    sessions: tuple[SessionRecord, ...], test: Callable[[SessionRecord], bool]
) -> SessionRecord | None:
    return next((s for s in sessions if s.attended and test(s)), None)


def _from_session(
    session: SessionRecord | None, done: str, open_: str, path: str = "$.sessions"
) -> _Evidence:
    if session is None:
        return _Evidence(False, open_, path)
    return _Evidence(True, done, path, session.date, session.number)


def _uses(technique: Technique) -> Callable[[SessionRecord], bool]:
    return lambda s: technique in s.techniques


def _derive(task_id: str, ctx: _Context) -> _Evidence | None:
    """Evidence from the case itself for a task it can show; ``None``: only a TaskRecord shows it."""
    case = ctx.case
    formulation = case.formulation
    review = case.termination if _review_counts(case, ctx.today) else None
    presented_on = None if formulation is None else _by(formulation.presented_on, ctx.today)
    agreed_on = None if formulation is None else _by(formulation.agreed_on, ctx.today)
    contract_on = _by(case.contract.agreed_on, ctx.today)
    if task_id == "symptom_review":
        return _from_session(
            _first(ctx.sessions, lambda s: bool(s.measures) or Technique.SYMPTOM_REVIEW in s.techniques),
            "a rating scale was completed",
            "no rating scale completed yet",
        )
    if task_id == "inventory":
        if len(case.inventory):
            return _Evidence(True, "the inventory lists the important people", "$.inventory.people")
        return _Evidence(False, "no one is in the inventory yet", "$.inventory.people")
    if task_id == "timeline":
        if case.timeline.onset is not None:
            return _Evidence(True, "the onset of the episode is on the timeline", "$.timeline.onset")
        return _Evidence(False, "the onset of the episode is not recorded", "$.timeline.onset")
    if task_id == "problem_area_chosen":
        if case.focal_areas():
            return _Evidence(True, "a focal problem area is chosen", "$.formulation.focus")
        return _Evidence(False, "no focal problem area chosen yet", "$.formulation.focus")
    if task_id == "formulation_presented":
        if presented_on is not None:
            return _Evidence(
                True, "the formulation was presented", "$.formulation.presented_on", presented_on
            )
        return _Evidence(False, "the formulation has not been presented", "$.formulation.presented_on")
    if task_id == "formulation_agreed":
        if agreed_on is not None:
            return _Evidence(
                True, "the client agreed to the formulation", "$.formulation.agreed_on", agreed_on
            )
        return _Evidence(False, "the client has not yet agreed to the formulation", "$.formulation.agreed_on")
    if task_id == "contract_agreed":
        if contract_on is not None:
            return _Evidence(True, "the treatment contract is agreed", "$.contract.agreed_on", contract_on)
        return _Evidence(False, "the treatment contract is not agreed", "$.contract.agreed_on")
    if task_id == "termination_announced":
        path = "$.termination.announced_in_session"
        announced = _announced(case, ctx.sessions, ctx.today)
        if announced is not None:
            return _Evidence(True, "the end of treatment was announced", path, None, announced)
        deadline = _notice_deadline(case, ctx.protocol, ctx.today)
        return _Evidence(False, f"announce the end by session {deadline}", path)
    if task_id == "exclusion_screen" and ctx.screens:
        path = "$.screening"
        if ctx.unsettled:
            return _Evidence(
                False, f"{len(ctx.unsettled)} exclusion criteria not yet screened, or unknown", path
            )
        last = max((c.on for c in ctx.screens if c.on is not None), default=None)
        return _Evidence(True, "every exclusion criterion is screened", path, last)
    if task_id in ("engagement_session", "pre_group_meeting"):
        return _from_session(
            _first(ctx.sessions, lambda s: s.number == 0),
            "the pre-treatment session took place",
            "the pre-treatment session has not taken place",
        )
    if task_id == "mood_event_link":
        return _from_session(
            _first(
                ctx.in_phase,
                lambda s: bool(s.mood_link) or Technique.LINKING_MOOD_AND_EVENTS in s.techniques,
            ),
            "mood and events were linked in this phase",
            "no session of this phase has linked mood and events yet",
        )
    if task_id == "communication_analysis":
        return _from_session(
            _first(
                ctx.in_phase,
                lambda s: (
                    any(i.analysis is not None for i in s.incidents)
                    or Technique.COMMUNICATION_ANALYSIS in s.techniques
                ),
            ),
            "an incident was reconstructed",
            "no incident reconstructed in this phase yet",
        )
    if task_id == "decision_analysis":
        return _from_session(
            _first(ctx.in_phase, lambda s: bool(s.decisions) or Technique.DECISION_ANALYSIS in s.techniques),
            "options were explored",
            "no decision analysis in this phase yet",
        )
    if task_id == "role_play":
        return _from_session(
            _first(ctx.in_phase, lambda s: bool(s.role_plays) or Technique.ROLE_PLAY in s.techniques),
            "a role play was done",
            "no role play in this phase yet",
        )
    if task_id == "work_at_home":
        return _from_session(
            _first(ctx.in_phase, lambda s: bool(s.work_at_home) or Technique.WORK_AT_HOME in s.techniques),
            "a task between sessions was set",
            "no task between sessions set in this phase yet",
        )
    if task_id in ("social_rhythm_assessed", "social_rhythm_review"):
        pool = ctx.sessions if task_id == "social_rhythm_assessed" else ctx.in_phase
        return _from_session(
            _first(pool, lambda s: s.answers("srm5") is not None or s.answers("srm17") is not None),
            "a Social Rhythm Metric was recorded",
            "no Social Rhythm Metric recorded yet",
        )
    if review is not None:
        termination_fields: dict[str, tuple[bool, str]] = {
            "gains_reviewed": (bool(review.gains or review.attribution), "gains"),
            "feelings_about_ending": (bool(review.feelings_about_ending), "feelings_about_ending"),
            "warning_signs": (bool(review.warning_signs), "warning_signs"),
            "contingency_plan": (bool(review.contingency_plan), "contingency_plan"),
            "maintenance_discussed": (review.maintenance_offered is not None, "maintenance_offered"),
        }
        found = termination_fields.get(task_id)
        if found is not None and found[0]:
            return _Evidence(True, "recorded in the termination review", f"$.termination.{found[1]}")
    return None


_CASE_ONLY: Final = frozenset(
    {"problem_area_chosen", "formulation_agreed", "contract_agreed", "termination_announced"}
)
"""Gate tasks shown only by the case's own data, never by a bare task record."""


def _involves_parent(case: Case) -> bool:
    parents = {p.id for p in case.inventory.people if p.category is RelationshipCategory.PARENT}
    return any(
        target in parents
        for area in case.focal_areas()
        for _, kind, target in f.iter_refs(area)
        if kind == "person"
    )


def _status(spec: TaskSpec, ctx: _Context) -> TaskStatus:
    def make(evidence: _Evidence, state: TaskState | None = None) -> TaskStatus:
        return TaskStatus(
            id=spec.id,
            phase=spec.phase,
            state=state or (TaskState.DONE if evidence.done else TaskState.OPEN),
            blocking=spec.blocking,
            label=spec.label,
            lay_label=spec.lay_label,
            reason=evidence.reason,
            path=evidence.path,
            source=spec.source,
            on=evidence.on,
            session=evidence.session,
        )

    if spec.applies is TaskApplies.FOCUS_INVOLVES_PARENT and not _involves_parent(ctx.case):
        return make(
            _Evidence(False, "no focal problem area involves a parent", "$.formulation.focus"),
            TaskState.NOT_APPLICABLE,
        )
    derived = _derive(spec.id, ctx)
    case_only = spec.id in _CASE_ONLY or (spec.id == "exclusion_screen" and bool(ctx.screens))
    if derived is not None and (derived.done or case_only):
        return make(derived)
    record = next((t for t in ctx.case.tasks if t.task == spec.id and t.on <= ctx.today), None)
    if record is not None:
        return make(_Evidence(True, "recorded as done", f"$.tasks.{spec.id}", record.on, record.session))
    if derived is not None:
        return make(derived)
    return make(_Evidence(False, "not yet recorded", f"$.tasks.{spec.id}"))


def task_statuses(case: Case, protocol: Protocol, phase: Phase, *, today: date) -> tuple[TaskStatus, ...]:
    """The status of every task the protocol gives ``phase``, for ``case``."""
    ctx = _context(case, protocol, today)
    return tuple(_status(spec, ctx) for spec in protocol.tasks_of(phase))


# -- transitions -------------------------------------------------------------------------------


def _notice_deadline(case: Case, protocol: Protocol, today: date) -> int:
    """The last session in which the end is announced with the protocol's notice: the notice's
    number of sessions before the last contracted one, and before termination work begins (at
    least session 1)."""
    by = case.contract.sessions_on(today) - protocol.termination_notice.sessions
    return max(1, min(by, _termination_from(case, protocol, today) - 1))


def _termination_from(case: Case, protocol: Protocol, today: date) -> int:
    """The first of the last contracted sessions, which are for termination work.

    As many sessions as the notice gives (S6: announced at least 2-4
    sessions before the last one), within the protocol's plan of the termination phase (WHO Group
    IPT: session 8 alone).
    """
    length = protocol.termination_notice.sessions
    plan = protocol.phase_plan(Phase.TERMINATION)
    if plan is not None:
        if plan.max_sessions is not None:
            length = min(length, plan.max_sessions)
        length = max(length, plan.min_sessions)
    return max(1, case.contract.sessions_on(today) - length + 1)


def _last_held(sessions: tuple[SessionRecord, ...]) -> int:
    """The number of the last session held (0 before any)."""
    return sessions[-1].number if sessions else 0


def _targets(current: Phase, protocol: Protocol) -> list[tuple[Phase, TransitionKind]]:
    if current in TERMINAL_PHASES:
        return []
    found: list[tuple[Phase, TransitionKind]] = []
    if current is Phase.TERMINATION:
        found.extend((p, TransitionKind.EXIT) for p in EXIT_PHASES)
    else:
        rank = _RANK.get(current, 0)
        following = next((p for p in protocol.sequence() if _RANK[p] > rank), None)
        if following is not None:
            found.append((following, TransitionKind.NEXT))
    found.extend((p, TransitionKind.SIDE_EXIT) for p in SIDE_EXITS)
    return found


def _unmet(
    case: Case,
    protocol: Protocol,
    to: Phase,
    kind: TransitionKind,
    *,
    tasks: tuple[TaskStatus, ...],
    on: date,
    sessions: tuple[SessionRecord, ...] = (),
    screens: tuple[CriterionStatus, ...] = (),
) -> tuple[Problem, ...]:
    problems: list[Problem] = []
    if case.phase_history and on < case.phase_history[-1].on:
        problems.append(
            Problem("$.phase_history", "date_order", "a phase change cannot be dated before the last one")
        )
    if kind in (TransitionKind.SIDE_EXIT, TransitionKind.REFERRAL):
        return tuple(problems)
    # Once every contracted session is held there is no session left to give notice in (a client
    # who missed the last sessions never heard it): the end is here, and the late notice is advice.
    moot = (
        {"termination_announced"}
        if to is Phase.TERMINATION and _last_held(sessions) >= case.contract.sessions_on(on)
        else set()
    )
    problems.extend(
        Problem(f"$.tasks.{t.id}", t.id, f"{t.label}: {t.reason}")
        for t in tasks
        if t.open and t.blocking and t.id not in moot
    )
    if kind is TransitionKind.NEXT:
        problems.extend(_screening_unmet(case, protocol, tasks, screens, on))
    problems.extend(focus_problems(protocol, case.focal_areas()))
    if to is Phase.TERMINATION and kind is TransitionKind.NEXT:
        # The end must be announced before termination; a late announcement is only an advisory
        # finding (the course is never trapped short of its end).
        announced = _announced(case, sessions, on)
        task_open = any(t.id == "termination_announced" and t.open and t.blocking for t in tasks)
        if announced is None and not task_open and not moot:
            problems.append(
                Problem(
                    "$.termination.announced_in_session",
                    "termination_notice",
                    "announce the end of treatment before moving into termination",
                )
            )
    if kind is TransitionKind.EXIT:
        needed = EXIT_PHASES[to]
        if case.outcome is None:
            problems.append(
                Problem("$.outcome", "exit_outcome", "record the exit outcome before leaving termination")
            )
        elif case.outcome is not needed:
            problems.append(
                Problem(
                    "$.outcome", "exit_outcome_mismatch", f"this phase needs the exit outcome {needed.value}"
                )
            )
    return tuple(problems)


def _screening_unmet(
    case: Case,
    protocol: Protocol,
    tasks: tuple[TaskStatus, ...],
    screens: tuple[CriterionStatus, ...],
    on: date,
) -> list[Problem]:
    """What the exclusion screen asks before treatment goes on: no criterion present, none left
    unscreened or unknown (when no screening task of the phase says so already), every record naming
    one of the protocol's criteria."""
    problems = [
        Problem(
            f"{c.path}.result",
            "exclusion_present",
            "an exclusion criterion is present: the protocol is not indicated; refer on",
        )
        for c in screens
        if c.result is ScreenResult.PRESENT
    ]
    task_says = any(t.id == "exclusion_screen" and t.open and t.blocking for t in tasks)
    leaving_initial = current_phase(case, protocol) is Phase.INITIAL
    if leaving_initial and not task_says and any(not c.settled for c in screens):
        problems.append(
            Problem("$.screening", "exclusion_not_screened", "screen every exclusion criterion first")
        )
    problems.extend(screening_problems(case.screening, protocol, today=on))
    return problems


def _transitions(ctx: _Context, tasks: tuple[TaskStatus, ...], on: date) -> tuple[Transition, ...]:
    case, protocol = ctx.case, ctx.protocol
    targets = _targets(ctx.phase, protocol)
    if (ctx.present or _stalled(ctx)) and targets and ctx.phase is not Phase.TERMINATION:
        targets.append((Phase.ALTERNATIVE_TREATMENT, TransitionKind.REFERRAL))
    return tuple(
        Transition(
            to,
            kind,
            _unmet(case, protocol, to, kind, tasks=tasks, on=on, sessions=ctx.sessions, screens=ctx.screens),
        )
        for to, kind in targets
    )


# -- findings ----------------------------------------------------------------------------------


def _findings(case: Case, protocol: Protocol, known: bool, ctx: _Context) -> list[Finding]:
    found: list[Finding] = []
    if len(case.phase_history) > len(case.phase_history_until(ctx.today)):
        found.append(
            Finding(
                "phase_change_after_today",
                "$.phase_history",
                "a phase change is dated after today and is not counted yet: the report reads the "
                "phase as of today; if the date is wrong, correct it",
            )
        )
    later = len(dated_just_ahead(case.sessions, ctx.today))
    if later:
        found.append(
            Finding(
                "sessions_after_today",
                "$.sessions",
                (
                    "1 session is dated just after today and is not counted"
                    if later == 1
                    else f"{later} sessions are dated just after today and are not counted"
                )
                + ": if a date is wrong (a device's clock or time zone), correct it",
            )
        )
    if not known:
        found.append(
            Finding(
                "protocol_unknown",
                "$.contract.protocol_id",
                f"the case's protocol is not built in; evaluated against '{FALLBACK_PROTOCOL}' "
                "(pass the protocol to evaluate it exactly)",
            )
        )
    found.extend(
        Finding(p.code, p.path, p.message, blocking=True)
        for p in focus_problems(protocol, case.focal_areas())
    )
    plan = protocol.phase_plan(ctx.phase)
    if plan is not None and plan.max_sessions is not None and ctx.phase is not Phase.PRE_TREATMENT:
        held = sum(1 for s in ctx.in_phase if s.attended and s.number > 0)
        if held > plan.max_sessions:
            found.append(
                Finding(
                    "phase_longer_than_planned",
                    "$.phase_history",
                    f"the {ctx.phase.value} phase has taken more sessions than the protocol's "
                    f"{plan.max_sessions}",
                )
            )
    found.extend(_schedule_findings(ctx))
    found.extend(_screening_findings(ctx))
    found.extend(_unknown_task_findings(ctx))
    contracted = case.contract.sessions_on(ctx.today)
    if any(s.number > contracted for s in _course_sessions(case, ctx.today)):
        found.append(
            Finding(
                "sessions_beyond_contract",
                "$.contract",
                "sessions were held beyond the contracted number; renegotiate the contract on the record",
            )
        )
    plan_sessions = protocol.sessions
    if not plan_sessions.min_sessions <= contracted <= plan_sessions.max_sessions and not _new_contract(ctx):
        found.append(
            Finding(
                "contract_outside_protocol",
                "$.contract.planned_sessions",
                f"the protocol plans {plan_sessions.min_sessions}-{plan_sessions.max_sessions} sessions",
            )
        )
    ages = protocol.ages
    if (
        ages is not None
        and case.age_at_start is not None
        and not ages.min_age <= case.age_at_start <= ages.max_age
    ):
        found.append(
            Finding(
                "age_outside_protocol",
                "$.age_at_start",
                f"the protocol is for ages {ages.min_age}-{ages.max_age}",
            )
        )
    if len(case.focal_areas()) > 1:
        found.append(
            Finding(
                "more_than_one_focus",
                "$.formulation.focus",
                "IPT usually keeps to one focal problem area (S5); two are allowed where they coexist",
            )
        )
    return found


def _new_contract(ctx: _Context) -> bool:
    """Whether the course went on from termination to a continuation or maintenance contract (by
    today): a new contract (S3 p.25), whose length the protocol's acute session range does not
    judge."""
    ended_acute = False
    for change in ctx.case.phase_history_until(ctx.today):
        if change.phase is Phase.TERMINATION:
            ended_acute = True
        elif ended_acute and change.phase in (Phase.CONTINUATION, Phase.MAINTENANCE):
            return True
    return False


def _screening_findings(ctx: _Context) -> list[Finding]:
    """A present exclusion criterion (blocking: refer on), criteria still to screen before treatment
    goes on (blocking), and screening records naming no criterion of the protocol."""
    if ctx.phase in TERMINAL_PHASES:
        return []
    found = [
        Finding(
            "exclusion_present",
            f"{c.path}.result",
            "an exclusion criterion is present: the protocol is not indicated; refer on "
            "(alternative treatment)",
            blocking=True,
        )
        for c in ctx.present
    ]
    if ctx.unsettled and ctx.phase in (Phase.PRE_TREATMENT, Phase.INITIAL):
        found.append(
            Finding(
                "exclusion_not_screened",
                "$.screening",
                f"{len(ctx.unsettled)} exclusion criteria are not yet screened, or unknown: screen them "
                "before treatment goes on",
                blocking=ctx.phase is Phase.INITIAL,
            )
        )
    found.extend(
        Finding(p.code, p.path, p.message, blocking=True)
        for p in screening_problems(ctx.case.screening, ctx.protocol, today=ctx.today)
    )
    return found


def _unknown_task_findings(ctx: _Context) -> list[Finding]:
    """Task records dated by the day that name no task of the protocol (advice): a misspelt id would
    otherwise leave the task it meant open on every agenda, with nothing to say why."""
    known = tuple(task.id for task in ctx.protocol.tasks)
    return [
        Finding(
            "task_unknown",
            f"$.tasks[{i}].task",
            "this task record names no task of the protocol, so it marks nothing done; "
            + _hints.known_ids(known, record.task),
        )
        for i, record in enumerate(ctx.case.tasks)
        if record.task not in known and record.on <= ctx.today
    ]


def _termination_due(ctx: _Context) -> bool:
    """Whether the next session is a termination session and the course should move there."""
    leads_there = any(
        to is Phase.TERMINATION and kind is TransitionKind.NEXT
        for to, kind in _targets(ctx.phase, ctx.protocol)
    )
    return leads_there and _last_held(ctx.sessions) + 1 >= _termination_from(
        ctx.case, ctx.protocol, ctx.today
    )


def _all_held(ctx: _Context) -> bool:
    """Whether every contracted session is held and the course has not ended."""
    contracted = ctx.case.contract.sessions_on(ctx.today)
    return ctx.phase not in TERMINAL_PHASES and _last_held(ctx.sessions) >= contracted


def _stalled(ctx: _Context) -> bool:
    """Whether every contracted session is held while the course is in a phase that does not lead
    into termination (the formulation never agreed): then the course may be referred on to an
    alternative treatment, its one honest exit besides a renegotiation."""
    return _all_held(ctx) and not any(
        to is Phase.TERMINATION and kind is TransitionKind.NEXT
        for to, kind in _targets(ctx.phase, ctx.protocol)
    )


def _schedule_findings(ctx: _Context) -> list[Finding]:
    """The course against its contract: a late announcement (advice), termination due (advice), and
    every contracted session held (blocking: end the course or renegotiate)."""
    case, protocol = ctx.case, ctx.protocol
    found: list[Finding] = []
    notice = protocol.termination_notice
    deadline = _notice_deadline(case, protocol, ctx.today)
    announced = _announced(case, ctx.sessions, ctx.today)
    if announced is not None and announced > deadline:
        # Once the course has ended it is a record (a fidelity point for supervision, S10), not
        # advice: there is no session left to leave time in.
        ended = ctx.phase in TERMINAL_PHASES
        found.append(
            Finding(
                "termination_notice_late",
                "$.termination.announced_in_session",
                f"the end was announced in session {announced}, after session {deadline}: later than the "
                f"protocol's notice of {notice.sessions} sessions ({notice.source})"
                + ("" if ended else "; leave time to review the ending"),
            )
        )
    contracted = case.contract.sessions_on(ctx.today)
    if _all_held(ctx):
        found.append(
            Finding(
                "contracted_sessions_held",
                "$.contract",
                (
                    f"all {contracted} contracted sessions are held before the course could move into "
                    "termination: refer on (alternative treatment) or renegotiate the contract on the record"
                    if _stalled(ctx)
                    else f"all {contracted} contracted sessions are held: end the course (termination, then "
                    "an exit outcome) or renegotiate the contract on the record"
                ),
                blocking=True,
            )
        )
    elif _termination_due(ctx):
        start = _termination_from(case, protocol, ctx.today)
        found.append(
            Finding(
                "termination_due",
                "$.phase_history",
                f"sessions {start}-{contracted} are for termination work: move the course into termination",
            )
        )
    return found


# -- the engine --------------------------------------------------------------------------------


def evaluate(case: Case, protocol: Protocol | None = None, *, today: date) -> PhaseReport:
    """The phase of ``case``, its tasks (done, open, not applicable, with reasons), which open tasks
    block the next phase and which are advice, and the transitions allowed on ``today``.

    Without ``protocol`` the case's own protocol is used; a case naming a protocol this library does
    not know is evaluated against the standard protocol, and the report says so.
    """
    used, known = resolve_protocol(case, protocol)
    ctx = _context(case, used, today)
    phase = ctx.phase
    tasks = tuple(_status(spec, ctx) for spec in used.tasks_of(phase))
    plan = used.phase_plan(phase)
    return PhaseReport(
        case_id=case.id,
        protocol_id=used.id,
        protocol_known=known,
        phase=phase,
        phase_label=plan.label if plan is not None and plan.label else phase.value.replace("_", " "),
        sessions_held=sum(1 for s in ctx.sessions if s.attended),
        next_session=_last_held(ctx.sessions) + 1,
        contracted_sessions=case.contract.sessions_on(today),
        tasks=tasks,
        transitions=_transitions(ctx, tasks, today),
        findings=tuple(_findings(case, used, known, ctx)),
        announce_by=_notice_deadline(case, used, today),
        termination_from=_termination_from(case, used, today),
        termination_due=_termination_due(ctx),
        contracted_sessions_held=_all_held(ctx),
    )


def advance(
    case: Case, to: Phase | str, *, on: date, protocol: Protocol | None = None, reason: str = ""
) -> Case:
    """``case`` moved to phase ``to`` on ``on``; or :class:`TransitionError` listing each unmet
    blocking requirement.

    A crisis referral or a drop-out is always allowed (unless the course has ended) and records the
    matching exit outcome. Without ``protocol``, the case's built-in protocol is used; a case naming
    a protocol this library does not know needs it passed.
    """
    on = day_of(on, "on")
    try:
        target = Phase(to)
    except ValueError:
        allowed = tuple(phase.value for phase in Phase)
        message = _hints.closed_set("Phase", allowed, to)
        raise TransitionError([Problem("$.to", "unknown_phase", message, allowed=allowed)]) from None
    if protocol is None and case.protocol_id not in BUILTIN_PROTOCOLS:
        raise TransitionError(
            [Problem("$.contract.protocol_id", "protocol_unknown", "pass the case's protocol to advance it")]
        )
    used, _ = resolve_protocol(case, protocol)
    if case.phase_history and on < case.phase_history[-1].on:
        raise TransitionError(
            [Problem("$.phase_history", "date_order", "a phase change cannot be dated before the last one")]
        )
    ctx = _context(case, used, on)
    if ctx.phase in TERMINAL_PHASES:
        raise TransitionError([Problem("$.phase", "course_ended", "the course has ended")])
    tasks = tuple(_status(spec, ctx) for spec in used.tasks_of(ctx.phase))
    move = next((t for t in _transitions(ctx, tasks, on) if t.to is target), None)
    if move is None:
        raise TransitionError(
            [
                Problem(
                    "$.phase",
                    "transition_not_allowed",
                    "this protocol has no such step from the current phase",
                )
            ]
        )
    if move.unmet:
        raise TransitionError(move.unmet)
    moved = case._with_phase_change(target, on=on, reason=reason)
    side = _SIDE_OUTCOME.get(target)
    if move.kind is TransitionKind.REFERRAL:
        side = ExitOutcome.ALTERNATIVE_TREATMENT
    if side is not None and moved.outcome is not side:
        moved = moved._with_outcome(side)
    return moved
