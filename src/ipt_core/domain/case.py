"""The case: the aggregate root of a course of IPT for one client, which guards its own invariants.

A case never changes: every change returns a new case (``attrs.evolve`` or the ``with_*`` methods).
A case built from its fields is checked whole; an edit by a ``with_*`` method is checked for what
it changes (``_edits``), and refused with the same problems as the whole check would find.
"""

from __future__ import annotations

import operator
from bisect import bisect_left
from collections.abc import Mapping
from datetime import date
from typing import Final

import attrs

from ipt_core.domain import _edits, _summary
from ipt_core.domain import _fields as f
from ipt_core.domain._days import day_of
from ipt_core.domain.contract import Frequency, TreatmentContract
from ipt_core.domain.course import (
    ExitOutcome,
    Phase,
    PhaseChange,
    TaskRecord,
    TerminationReview,
)
from ipt_core.domain.formulation import Formulation
from ipt_core.domain.inventory import InterpersonalInventory, Person
from ipt_core.domain.problem_areas import Grief, ProblemArea, RoleDispute
from ipt_core.domain.protocols import BUILTIN_PROTOCOLS, Protocol, builtin_focus_problems
from ipt_core.domain.risk import check_lowers_its_flag
from ipt_core.domain.safety import SafetyPlan
from ipt_core.domain.screening import Screening, screening_problems
from ipt_core.domain.sessions import RiskCheck, SessionRecord
from ipt_core.domain.timeline import FuzzyDate, LifeEvent, Timeline
from ipt_core.errors import Problem, ProblemCode, ValidationError

__all__ = ["Case"]

_NUMBER: Final = operator.attrgetter("number")
_DATE: Final = operator.attrgetter("date")
_ON: Final = operator.attrgetter("on")
_SESSION: Final = operator.attrgetter("session")
_NOT_DECEASED: Final = "grief refers to a death: this person is not recorded as deceased"
_DECEASED_PARTY: Final = "a dispute is with a living person"


@attrs.frozen(slots=False)
class Case:
    """One client's course of IPT: inventory, timeline, formulation, contract, sessions and ending.

    Invariants checked whenever a case is built: ids are unique; every reference to a person, an
    event or a problem area resolves; session numbers strictly increase and their dates never go
    backwards; phase changes are in date order; a grief focus refers to a deceased person and a
    dispute to a living one; at most two focal areas; when the contract names a built-in protocol,
    every focal area is one that protocol allows and every screening record names one of its
    exclusion criteria.
    """

    id: str = f.ident(description="The case's id, chosen by the host application.")
    contract: TreatmentContract = f.value(TreatmentContract)
    client_alias: str = f.text(max_length=f.ALIAS_MAX, description="Optional; never a real name.")
    age_at_start: int | None = f.integer(ge=0, le=120, optional=True)
    """The client's age in years when treatment started."""
    inventory: InterpersonalInventory = f.value(
        InterpersonalInventory, default=attrs.Factory(InterpersonalInventory)
    )
    timeline: Timeline = f.value(Timeline, default=attrs.Factory(Timeline))
    formulation: Formulation | None = f.value(Formulation, optional=True)
    sessions: tuple[SessionRecord, ...] = f.items(SessionRecord, max_items=f.SESSIONS_MAX)
    phase_history: tuple[PhaseChange, ...] = f.items(
        PhaseChange, max_items=f.SESSIONS_MAX, description="Phase changes, oldest first."
    )
    tasks: tuple[TaskRecord, ...] = f.items(TaskRecord, max_items=f.SESSIONS_MAX)
    termination: TerminationReview | None = f.value(TerminationReview, optional=True)
    outcome: ExitOutcome | None = f.choice(ExitOutcome, optional=True)
    """How the course ended (set when it ends)."""
    notes: str = f.text()
    safety_plan: SafetyPlan | None = f.value(
        SafetyPlan,
        optional=True,
        omit_default=True,
        description="The client's safety plan (Stanley & Brown 2012), if one was made.",
    )
    screening: tuple[Screening, ...] = f.items(
        Screening,
        max_items=f.SESSIONS_MAX,
        omit_default=True,
        description="Screens for the protocol's exclusion criteria, oldest first.",
    )

    def __attrs_post_init__(self) -> None:
        problems = self._invariant_problems()
        if problems:
            raise ValidationError(problems)

    # -- short forms ------------------------------------------------------------------------------

    def __repr__(self) -> str:
        """A short form: id, protocol, phase and counts (the whole case is long, and partly sensitive)."""
        return _summary.case_repr(self)

    def summary(self) -> str:
        """The case in a few lines of words: contract, people, focus, sessions, latest scores, course.

        It holds no field marked sensitive (no alias, clinical text or date), so it may be logged.
        """
        return _summary.case_summary(self)

    def __getstate__(self) -> dict[str, object]:
        """The fields alone, for pickle and copy: the summary an edit keeps beside them is made
        again on need (a pickle may be read by another version of the library)."""
        state = dict(self.__dict__)
        state.pop(_edits.INDEX, None)
        return state

    # -- invariants -------------------------------------------------------------------------------

    def _invariant_problems(
        self, refs: Mapping[str, list[str]] | None = None, *, measures_fit: bool = False
    ) -> list[Problem]:
        """Every broken invariant of the case.

        A builder that has already gathered every reference below the case, by target kind, passes
        them as ``refs`` (checked against the known ids without a walk), and passes
        ``measures_fit`` when it has checked every answer record against its instrument.
        """
        problems = self._check_references(refs)
        problems.extend(self._check_areas())
        problems.extend(self._check_order())
        if not measures_fit:
            problems.extend(self._check_measures())
        problems.extend(builtin_focus_problems(self.contract.protocol_id, self.focal_areas()))
        if self.screening:
            known = BUILTIN_PROTOCOLS.get(self.contract.protocol_id)
            if known is not None:
                problems.extend(screening_problems(self.screening, known))
        return problems

    def _check_references(self, refs: Mapping[str, list[str]] | None = None) -> list[Problem]:
        areas = self.areas()
        area_ids = frozenset(map(f.ID_OF, areas))
        problems = (
            []
            if len(area_ids) == len(areas)
            else f.unique([(self._area_path(i), a.id) for i, a in enumerate(areas)])
        )
        if refs is None:
            resolved = f.resolves(self, self._known_ids(area_ids))
        else:  # the known ids of a kind are gathered only when something refers to that kind
            people, events, named_areas = refs.get("person"), refs.get("event"), refs.get("area")
            resolved = (
                (not people or self.inventory.ids().issuperset(people))
                and (not events or self.timeline.ids().issuperset(events))
                and (not named_areas or area_ids.issuperset(named_areas))
            )
        if not resolved:
            known = self._known_ids(area_ids)
            for path, kind, target in f.iter_refs(self):
                ids = known.get(kind)
                if ids is not None and target not in ids:
                    problems.append(Problem(path, ProblemCode.DANGLING_REFERENCE, f"no {kind} with this id"))
        announced = None if self.termination is None else self.termination.announced_in_session
        if announced is None and not self.tasks:
            return problems
        numbers = set(map(_NUMBER, self.sessions))
        if announced is not None and announced not in numbers:
            problems.append(
                Problem(
                    "$.termination.announced_in_session",
                    ProblemCode.DANGLING_REFERENCE,
                    "no session with this number",
                )
            )
        numbers.add(None)  # a task tied to no session
        if not numbers.issuperset(map(_SESSION, self.tasks)):
            problems.extend(
                Problem(f"$.tasks[{i}].session", ProblemCode.DANGLING_REFERENCE, "no such session")
                for i, t in enumerate(self.tasks)
                if t.session not in numbers
            )
        return problems

    def _known_ids(self, area_ids: frozenset[str]) -> dict[str, frozenset[str]]:
        """The ids a reference may name, by the kind of record it refers to."""
        return {"person": self.inventory.ids(), "event": self.timeline.ids(), "area": area_ids}

    def _area_path(self, index: int) -> str:
        focal = 0 if self.formulation is None else len(self.formulation.focus)
        if index < focal:
            return f"$.formulation.focus[{index}].id"
        return f"$.formulation.other_areas[{index - focal}].id"

    def _check_areas(self) -> list[Problem]:
        problems: list[Problem] = []
        people: dict[str, Person] | None = None  # by id, made when an area names someone
        for i, area in enumerate(self.areas()):
            if isinstance(area, Grief):
                named, dead, field, message = area.deceased, False, "deceased", _NOT_DECEASED
            elif isinstance(area, RoleDispute):
                named, dead, field, message = area.other_party, True, "other_party", _DECEASED_PARTY
            else:
                continue
            if people is None:
                everyone = self.inventory.people
                people = dict(zip(map(f.ID_OF, everyone), everyone, strict=True))
            person = people.get(named)
            if person is not None and bool(person.deceased) is dead:
                path = self._area_path(i).removesuffix(".id")
                problems.append(Problem(f"{path}.{field}", ProblemCode.INCONSISTENT, message))
        return problems

    def _check_order(self) -> list[Problem]:
        sessions, changes = self.sessions, self.phase_history
        if len(sessions) < 2 and len(changes) < 2:
            return []
        numbers = list(map(_NUMBER, sessions))
        days = list(map(_DATE, sessions))
        on = list(map(_ON, changes))
        if (
            all(map(operator.lt, numbers, numbers[1:]))
            and all(map(operator.le, days, days[1:]))
            and all(map(operator.le, on, on[1:]))
        ):
            return []  # in order: the usual case, checked without building problems
        problems: list[Problem] = []
        for i in range(1, len(self.sessions)):
            before, after = self.sessions[i - 1], self.sessions[i]
            if after.number <= before.number:
                problems.append(
                    Problem(f"$.sessions[{i}].number", ProblemCode.ORDER, "numbers must increase")
                )
            if after.date < before.date:
                problems.append(Problem(f"$.sessions[{i}].date", ProblemCode.ORDER, "dates go backwards"))
        for i in range(1, len(self.phase_history)):
            if self.phase_history[i].on < self.phase_history[i - 1].on:
                problems.append(Problem(f"$.phase_history[{i}].on", ProblemCode.ORDER, "dates go backwards"))
        return problems

    def _check_measures(self) -> list[Problem]:
        """Answers to a known instrument fit it: the number of answers, item ranges, options.

        The quick pass below only asks whether every record fits; the problems and their paths
        are found by :meth:`_measure_problems` when one does not.
        """
        fits = _edits.session_fits
        for session in self.sessions:
            if not fits(session):
                return self._measure_problems()
        return []

    def _measure_problems(self) -> list[Problem]:
        problems: list[Problem] = []
        for i, session in enumerate(self.sessions):
            problems.extend(_edits.measure_problems(i, session))
        return problems

    # -- queries ----------------------------------------------------------------------------------

    @property
    def protocol_id(self) -> str:
        """The protocol the case follows (from its contract)."""
        return self.contract.protocol_id

    @property
    def phase(self) -> Phase:
        """The current phase: the last recorded change; with none recorded, the first phase of the
        case's built-in protocol (pre-treatment where the protocol has one: the IPT-B engagement
        session, the WHO pre-group meeting), or initial under a protocol this library does not know
        (pass that protocol to :func:`ipt_core.phases.current_phase`)."""
        if self.phase_history:
            return self.phase_history[-1].phase
        return self._first_phase()

    def _first_phase(self) -> Phase:
        """The phase before any recorded change, under the case's built-in protocol."""
        known = BUILTIN_PROTOCOLS.get(self.contract.protocol_id)
        return Phase.INITIAL if known is None else known.sequence()[0]

    def focal_areas(self) -> tuple[ProblemArea, ...]:
        """The focal problem area(s) of the formulation (empty before one is chosen)."""
        return () if self.formulation is None else self.formulation.focus

    def areas(self) -> tuple[ProblemArea, ...]:
        """Every problem area of the formulation, focal ones first."""
        return () if self.formulation is None else self.formulation.areas()

    def area(self, area_id: str) -> ProblemArea:
        """The problem area with this id (:class:`~ipt_core.UnknownIdError`, a ``KeyError``, if there
        is none)."""
        for area in self.areas():
            if area.id == area_id:
                return area
        raise f.no_such_id("problem area", tuple(a.id for a in self.areas()), area_id)

    @property
    def last_session(self) -> SessionRecord | None:
        """The latest session recorded, if any."""
        return self.sessions[-1] if self.sessions else None

    def attended_sessions(self) -> tuple[SessionRecord, ...]:
        """Sessions the client attended."""
        return tuple(s for s in self.sessions if s.attended)

    def next_session_number(self) -> int:
        """The number the next session will have."""
        return self.sessions[-1].number + 1 if self.sessions else 1

    def sessions_until(self, day: date) -> tuple[SessionRecord, ...]:
        """Sessions held on or before ``day``."""
        day = day_of(day, "day")
        return tuple(s for s in self.sessions if s.date <= day)

    def phase_history_until(self, day: date) -> tuple[PhaseChange, ...]:
        """Phase changes recorded on or before ``day``: one dated later has not happened yet."""
        day = day_of(day, "day")
        return tuple(c for c in self.phase_history if c.on <= day)

    def phase_on(self, day: date) -> Phase:
        """The phase on ``day``: as :attr:`phase`, leaving out changes dated after ``day``."""
        changes = self.phase_history_until(day)
        return changes[-1].phase if changes else self._first_phase()

    def has_task(self, task_id: str) -> bool:
        """Whether a task with this id is recorded as done."""
        return any(t.task == task_id for t in self.tasks)

    # -- changes (each returns a new, checked case) -----------------------------------------------

    def with_session(self, session: SessionRecord) -> Case:
        """The case with ``session`` recorded after the others (checked for what the session holds:
        its number and date against the last session's, its references, its answers)."""
        return _edits.with_session(self, session)

    def with_person(self, person: Person) -> Case:
        """The case with ``person`` added to (or replaced in) the inventory."""
        try:
            inventory = self.inventory.with_person(person)
        except ValidationError as error:
            raise error.under("$.inventory") from None
        return _edits.with_inventory(self, inventory)

    def with_event(self, event: LifeEvent) -> Case:
        """The case with ``event`` added to the timeline."""
        return _edits.with_event(self, event)

    def with_formulation(self, formulation: Formulation) -> Case:
        """The case with its formulation set or replaced."""
        return _edits.with_formulation(self, formulation)

    def with_task(self, task: TaskRecord) -> Case:
        """The case with a task recorded as done."""
        return _edits.with_task(self, task)

    def with_phase(
        self, phase: Phase | str, *, on: date, reason: str = "", protocol: Protocol | None = None
    ) -> Case:
        """The case moved to ``phase`` on ``on``, checked: the same as
        :func:`ipt_core.phases.advance`, which raises :class:`~ipt_core.errors.TransitionError`
        listing each unmet blocking requirement."""
        from ipt_core.domain.phases import advance  # noqa: PLC0415 (phases imports this module)

        return advance(self, phase, on=on, reason=reason, protocol=protocol)

    def _with_phase_change(self, phase: Phase, *, on: date, reason: str = "") -> Case:
        """The case with a phase change recorded, unchecked (the phase engine's own step)."""
        return _edits.with_phase_change(self, PhaseChange(phase=phase, on=on, reason=reason))

    def _with_outcome(self, outcome: ExitOutcome | None) -> Case:
        """The case with how the course ended set (the phase engine's own step)."""
        return _edits.with_outcome(self, outcome)

    def renegotiate(
        self, *, on: date, planned_sessions: int, reason: str, frequency: Frequency | str | None = None
    ) -> Case:
        """The case after an explicit, recorded renegotiation of the number of sessions (and, with
        ``frequency``, of how often they take place: monthly maintenance, say)."""
        try:
            contract = self.contract.renegotiate(
                on=on, planned_sessions=planned_sessions, reason=reason, frequency=frequency
            )
        except ValidationError as error:
            raise error.under("$.contract") from None
        return _edits.with_contract(self, contract)

    # -- the course's record: agreements, onset, ending (each returns a new, checked case) ---------

    def agree_contract(self, *, on: date) -> Case:
        """The case with the client's agreement to the treatment contract recorded on ``on``.

        Refused (``order`` at ``$.contract.agreed_on``) when ``on`` is long before treatment starts;
        ``on`` is a ``datetime.date`` (a ``datetime`` is a ``TypeError``: its day depends on a time
        zone)."""
        on = day_of(on, "on")
        try:
            contract = attrs.evolve(self.contract, agreed_on=on)
        except ValidationError as error:
            raise error.under("$.contract") from None
        return _edits.with_contract(self, contract)

    def agree_formulation(self, *, on: date, presented_on: date | None = None) -> Case:
        """The case with the client's agreement to the formulation recorded on ``on``: the gate
        into the middle phase.

        ``presented_on`` records when the therapist presented it, where that is not yet recorded
        (or to correct it). Refused with ``missing`` at ``$.formulation`` when there is no
        formulation, at ``$.formulation.presented_on`` when it was never presented; with ``order`` at
        ``$.formulation.agreed_on`` when agreed before it was presented, and ``inconsistent`` at
        ``$.formulation.focus`` when it has no focal area."""
        on = day_of(on, "on")
        presented = None if presented_on is None else day_of(presented_on, "presented_on")
        formulation = self.formulation
        if formulation is None:
            raise ValidationError.single(
                "$.formulation",
                ProblemCode.MISSING,
                "no formulation to agree to: record one with with_formulation first",
            )
        presented = presented or formulation.presented_on
        if presented is None:
            raise ValidationError.single(
                "$.formulation.presented_on",
                ProblemCode.MISSING,
                "never presented to the client: pass presented_on, the day it was presented",
            )
        try:
            agreed = attrs.evolve(formulation, presented_on=presented, agreed_on=on)
        except ValidationError as error:
            raise error.under("$.formulation") from None
        return _edits.with_formulation(self, agreed)

    def with_onset(self, onset: FuzzyDate | date | None) -> Case:
        """The case with the onset of the current episode set (a :class:`~ipt_core.FuzzyDate`, or
        a ``datetime.date`` when the day is known) or cleared (``None``).

        A ``datetime`` is a ``TypeError``; anything else not a date is ``wrong_type`` at
        ``$.timeline.onset``."""
        if isinstance(onset, date):
            onset = FuzzyDate.of(day_of(onset, "onset"))
        try:
            timeline = attrs.evolve(self.timeline, onset=onset)
        except ValidationError as error:
            raise error.under("$.timeline") from None
        return _edits.with_onset(self, timeline)

    def with_termination(self, review: TerminationReview | None) -> Case:
        """The case with its termination review set or replaced (``None`` clears it): the gains,
        feelings about ending, warning signs, contingency plan and the maintenance decision.

        Refused with ``dangling_reference`` at ``$.termination.announced_in_session`` when the end
        was announced in a session the case does not hold."""
        return _edits.with_termination(self, review)

    def with_outcome(self, outcome: ExitOutcome | str | None) -> Case:
        """The case with how the course ended set (an :class:`~ipt_core.ExitOutcome` or its text)
        or cleared (``None``).

        Moving the course to an exit phase with :meth:`with_phase` sets it with the phase; this
        records or corrects it alone. Anything else is ``not_allowed`` at ``$.outcome``."""
        member = None if outcome is None else f.as_member(ExitOutcome, outcome, "$.outcome")
        return _edits.with_outcome(self, member)

    def with_safety_plan(self, plan: SafetyPlan | None) -> Case:
        """The case with the client's safety plan (Stanley & Brown 2012) set, replaced after a
        review, or cleared (``None``)."""
        return _edits.with_safety_plan(self, plan)

    def with_risk_check(self, session: int, check: RiskCheck | None, *, correcting: bool = False) -> Case:
        """The case with ``check`` recorded on the session numbered ``session``: a clinician's risk
        check made after the session (a call back, say) is recorded on the session whose answers it
        reviews, and closes the flags they raised (``None`` removes a check recorded in error).

        A check of ``moderate`` or ``high`` raised a flag of its own, which only a risk check in a
        later session reviews: replacing it by a lower one (or removing it) would erase the flag
        from the record, so it is ``not_allowed`` at ``$.sessions[i].risk_check`` unless
        ``correcting`` says the check was recorded in error.

        ``session`` is a session number (a ``TypeError`` otherwise); a number the case does not hold
        is ``dangling_reference`` at ``$.sessions``, a check of the wrong kind ``wrong_type`` at
        ``$.sessions[i].risk_check``."""
        if type(session) is not int:
            raise TypeError(
                f"session must be a session number, such as case.sessions[-1].number, "
                f"not {type(session).__name__}"
            )
        sessions = self.sessions
        at = bisect_left(sessions, session, key=_NUMBER)  # numbers increase (an invariant)
        if at == len(sessions) or sessions[at].number != session:
            raise ValidationError.single(
                "$.sessions", ProblemCode.DANGLING_REFERENCE, "no session with this number"
            )
        try:
            revised = attrs.evolve(sessions[at], risk_check=check)
        except ValidationError as error:
            raise error.under(f"$.sessions[{at}]") from None
        if not correcting and check_lowers_its_flag(sessions[at].risk_check, check):
            raise ValidationError.single(
                f"$.sessions[{at}].risk_check",
                ProblemCode.NOT_ALLOWED,
                "this check raised a risk flag, which a risk check in a later session reviews; "
                "pass correcting=True only to correct a check recorded in error",
            )
        return _edits.with_session_revised(self, at, revised)


_edits.bind(Case)
