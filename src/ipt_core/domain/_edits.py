"""Edits of a checked case, checked for what they change.

A case is checked whole when it is built. An edit (a session recorded after the others, a person
added, the formulation replaced, ...) can break only the invariants that read what it changed, so
each edit here checks only those, against a summary of the rest of the case (:class:`Index`: the
ids known by kind, the problem areas the sessions name), made once for a case and carried, updated,
to the edited case. An edit costs the same on a long course as on a short one.

An edit that passes these checks is the case the full construction would build from the same
fields. One that does not is built by the full construction (``attrs.evolve``), which raises
:class:`~ipt_core.errors.ValidationError` with every problem, its path and code, as it always has;
``tests/test_case_edits.py`` checks that the two accept exactly the same edits.
"""

from __future__ import annotations

import operator
from bisect import bisect_left
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import attrs

from ipt_core.domain import _fields as f
from ipt_core.domain.contract import TreatmentContract
from ipt_core.domain.course import ExitOutcome, PhaseChange, TaskRecord, TerminationReview
from ipt_core.domain.formulation import Formulation
from ipt_core.domain.inventory import InterpersonalInventory
from ipt_core.domain.measures.instruments import (
    FITS,
    INSTRUMENTS,
    answer_problems,
    expected_answers,
    misfit_message,
    near_instrument,
)
from ipt_core.domain.protocols import BUILTIN_PROTOCOLS, builtin_focus_problems
from ipt_core.domain.safety import SafetyPlan
from ipt_core.domain.screening import screening_problems
from ipt_core.domain.sessions import SessionRecord
from ipt_core.domain.timeline import LifeEvent, Timeline
from ipt_core.errors import Problem, ProblemCode, ValidationError

if TYPE_CHECKING:
    from ipt_core.domain.case import Case

__all__ = ["Index", "measure_problems", "session_fits"]

INDEX: Final = "_ipt_edit_index"
"""The key of a case's :class:`Index` in its ``__dict__`` (kept beside the fields, never one)."""
_NUMBER: Final = operator.attrgetter("number")
_FITS: Final = dict(FITS)


class Index(NamedTuple):
    """What an edit of a case is checked against, so that it need not read the whole case again."""

    known: dict[str, frozenset[str]]
    """The ids a reference may name, by kind: ``person``, ``event`` and ``area``."""
    session_areas: frozenset[str]
    """The problem areas the sessions name (each must stay in the formulation)."""


def index_of(case: Case) -> Index:
    """The case's :class:`Index`, made on first need and kept with the case (which never changes)."""
    found: Index | None = case.__dict__.get(INDEX)
    if found is None:
        known = {
            "person": case.inventory.ids(),
            "event": case.timeline.ids(),
            "area": frozenset(map(f.ID_OF, case.areas())),
        }
        named = {s.focus_area for s in case.sessions}
        named.discard(None)
        found = Index(known, frozenset(named))  # type: ignore[arg-type]
        case.__dict__[INDEX] = found
    return found


def session_fits(session: SessionRecord) -> bool:
    """Whether every answer record of ``session`` plainly fits its instrument (the quick test of
    the case's measures check: the number of answers, all integers in the shared item range, the
    options; a record in doubt, or an instrument's id misspelt, answers no)."""
    for record in session.measures:
        fit = _FITS.get(record.instrument)
        if fit is None:
            if near_instrument(record.instrument) is not None:
                return False
            continue
        answers = record.answers
        if not (
            fit[0] <= len(answers) <= fit[1]
            and fit[2].issuperset(answers)
            and (not record.options or fit[3].issuperset(record.options))
        ):
            return False
    return True


def measure_problems(number: int, session: SessionRecord) -> list[Problem]:
    """Every answer record of ``session`` (the case's ``number``-th, from 0) that does not fit its
    instrument, or names a known instrument misspelt: a problem for each, with its path."""
    problems: list[Problem] = []
    for j, record in enumerate(session.measures):
        fit = _FITS.get(record.instrument)
        if fit is None:
            known = near_instrument(record.instrument)
            if known is not None:  # a known instrument misspelt: its answers would be lost
                problems.append(
                    Problem(
                        f"$.sessions[{number}].measures[{j}].instrument",
                        ProblemCode.NOT_ALLOWED,
                        f"write this instrument's id as `{known}` (ids are lower case, without "
                        "spaces or hyphens), so that its answers are scored and read for risk",
                        allowed=(known,),
                    )
                )
            continue  # an instrument this library does not know is recorded as it is
        required, most, values, options = fit
        answers = record.answers
        if (
            required <= len(answers) <= most
            and values.issuperset(answers)  # all integers in the shared range: the usual case
            and (not record.options or options.issuperset(record.options))
        ):
            continue
        instrument = INSTRUMENTS[record.instrument]
        expected = expected_answers(instrument)
        problems.extend(
            Problem(
                f"$.sessions[{number}].measures[{j}].{where}",
                code,
                misfit_message(instrument, where),
                expected=expected,
            )
            for where, code in answer_problems(instrument, answers, record.options)
        )
    return problems


def _derive(case: Case, index: Index | None, **changes: Any) -> Case:
    """A case with the fields of ``case``, ``changes`` made, and ``index`` (checks done by the caller)."""
    state = dict(zip(_CASE_FIELDS, _get_fields(case), strict=True))
    state.update(changes)
    if index is not None:
        state[INDEX] = index
    new: Case = object.__new__(_CASE)
    object.__setattr__(new, "__dict__", state)
    return new


def _carried(case: Case) -> Index | None:
    found: Index | None = case.__dict__.get(INDEX)
    return found


_CASE: type[Any] = object
_CASE_FIELDS: tuple[str, ...] = ()
_get_fields: Any = None


def bind(cls: type[Case]) -> None:
    """Learn the case class and its fields (called once, where the class is defined)."""
    global _CASE, _CASE_FIELDS, _get_fields  # noqa: PLW0603 - set once at import, read-only after
    _CASE = cls
    _CASE_FIELDS = tuple(field.name for field in attrs.fields(cls))
    _get_fields = operator.attrgetter(*_CASE_FIELDS)


# -- the edits ------------------------------------------------------------------------------------
# Each ``try_*`` gives the edited case when its checks pass, and ``None`` when in doubt; the public
# form then runs the full construction, which raises with every problem (or builds the case).


def with_session(case: Case, session: SessionRecord) -> Case:
    """``case`` with ``session`` recorded after the others."""
    edited = try_session(case, session)
    return attrs.evolve(case, sessions=(*case.sessions, session)) if edited is None else edited


def try_session(case: Case, session: SessionRecord) -> Case | None:
    """A session can break only what it holds: its number and date against the last session's,
    its references (to people and problem areas), its answers against their instruments."""
    sessions = case.sessions
    if type(case) is not _CASE or type(session) is not SessionRecord or len(sessions) >= f.SESSIONS_MAX:
        return None
    if sessions:
        last = sessions[-1]
        if session.number <= last.number or session.date < last.date:
            return None
    index = index_of(case)
    if not f.resolves(session, index.known) or not (
        session_fits(session) or not measure_problems(len(sessions), session)
    ):
        return None
    area = session.focus_area
    if area is not None and area not in index.session_areas:
        index = index._replace(session_areas=index.session_areas | {area})
    return _derive(case, index, sessions=(*sessions, session))


def with_task(case: Case, task: TaskRecord) -> Case:
    """``case`` with ``task`` recorded."""
    edited = try_task(case, task)
    return attrs.evolve(case, tasks=(*case.tasks, task)) if edited is None else edited


def try_task(case: Case, task: TaskRecord) -> Case | None:
    """A task can break only its reference to a session: the case must hold a session so numbered."""
    tasks, sessions = case.tasks, case.sessions
    if type(case) is not _CASE or type(task) is not TaskRecord or len(tasks) >= f.SESSIONS_MAX:
        return None
    number = task.session
    if number is not None:
        at = bisect_left(sessions, number, key=_NUMBER)  # numbers increase (an invariant)
        if at == len(sessions) or sessions[at].number != number:
            return None
    return _derive(case, _carried(case), tasks=(*tasks, task))


def with_phase_change(case: Case, change: PhaseChange) -> Case:
    """``case`` with ``change`` recorded after the other phase changes."""
    edited = try_phase_change(case, change)
    return attrs.evolve(case, phase_history=(*case.phase_history, change)) if edited is None else edited


def try_phase_change(case: Case, change: PhaseChange) -> Case | None:
    """A phase change can break only the order of the history: dated no earlier than the last."""
    history = case.phase_history
    if (
        type(case) is not _CASE
        or type(change) is not PhaseChange
        or len(history) >= f.SESSIONS_MAX
        or (history and change.on < history[-1].on)
    ):
        return None
    return _derive(case, _carried(case), phase_history=(*history, change))


def with_inventory(case: Case, inventory: InterpersonalInventory) -> Case:
    """``case`` with ``inventory`` in place of its own."""
    edited = try_inventory(case, inventory)
    return attrs.evolve(case, inventory=inventory) if edited is None else edited


def try_inventory(case: Case, inventory: InterpersonalInventory) -> Case | None:
    """An inventory naming at least the same people keeps every reference to a person; a grief or
    dispute focus must still agree with whether its person has died."""
    if type(case) is not _CASE or type(inventory) is not InterpersonalInventory:
        return None
    index = index_of(case)
    people = inventory.ids()
    if not people.issuperset(index.known["person"]):
        return None
    edited = _derive(case, index._replace(known={**index.known, "person": people}), inventory=inventory)
    return None if edited._check_areas() else edited


def with_event(case: Case, event: LifeEvent) -> Case:
    """``case`` with ``event`` added to its timeline."""
    try:
        timeline = attrs.evolve(case.timeline, events=(*case.timeline.events, event))  # its own checks
    except ValidationError as error:
        raise error.under("$.timeline") from None
    edited = try_event(case, event, timeline)
    return attrs.evolve(case, timeline=timeline) if edited is None else edited


def try_event(case: Case, event: LifeEvent, timeline: Timeline) -> Case | None:
    """``timeline`` is the case's with ``event`` added: the event's references must resolve."""
    if type(case) is not _CASE or type(timeline) is not Timeline or type(event) is not LifeEvent:
        return None
    index = index_of(case)
    if not f.resolves(event, index.known):
        return None
    known = {**index.known, "event": index.known["event"] | {event.id}}
    return _derive(case, index._replace(known=known), timeline=timeline)


def with_formulation(case: Case, formulation: Formulation | None) -> Case:
    """``case`` with ``formulation`` in place of its own."""
    edited = try_formulation(case, formulation)
    return attrs.evolve(case, formulation=formulation) if edited is None else edited


def try_formulation(case: Case, formulation: Formulation | None) -> Case | None:
    """The areas' ids must be unique and include every area a session names; the formulation's
    references must resolve; a grief or dispute must agree with the inventory; the focus must be
    one the case's built-in protocol allows."""
    if type(case) is not _CASE or (formulation is not None and type(formulation) is not Formulation):
        return None
    index = index_of(case)
    areas = () if formulation is None else formulation.areas()
    ids = frozenset(map(f.ID_OF, areas))
    if (
        len(ids) != len(areas)
        or not ids.issuperset(index.session_areas)
        or (formulation is not None and not f.resolves(formulation, index.known))
    ):
        return None
    edited = _derive(case, index._replace(known={**index.known, "area": ids}), formulation=formulation)
    if edited._check_areas() or builtin_focus_problems(case.contract.protocol_id, edited.focal_areas()):
        return None
    return edited


def with_contract(case: Case, contract: TreatmentContract) -> Case:
    """``case`` with ``contract`` in place of its own."""
    edited = try_contract(case, contract)
    return attrs.evolve(case, contract=contract) if edited is None else edited


def try_contract(case: Case, contract: TreatmentContract) -> Case | None:
    """Only a change of protocol can break anything: the focus and the screening records."""
    if type(case) is not _CASE or type(contract) is not TreatmentContract:
        return None
    protocol_id = contract.protocol_id
    if protocol_id != case.contract.protocol_id:
        known = BUILTIN_PROTOCOLS.get(protocol_id)
        if builtin_focus_problems(protocol_id, case.focal_areas()) or (
            known is not None and case.screening and screening_problems(case.screening, known)
        ):
            return None
    return _derive(case, _carried(case), contract=contract)


def with_outcome(case: Case, outcome: ExitOutcome | None) -> Case:
    """``case`` with how the course ended set."""
    edited = try_outcome(case, outcome)
    return attrs.evolve(case, outcome=outcome) if edited is None else edited


def try_outcome(case: Case, outcome: ExitOutcome | None) -> Case | None:
    """No invariant reads the outcome: only its type is checked."""
    if type(case) is not _CASE or (outcome is not None and type(outcome) is not ExitOutcome):
        return None
    return _derive(case, _carried(case), outcome=outcome)


# -- edits of the course's record: the termination review, the safety plan, the onset ---------------


def with_termination(case: Case, review: TerminationReview | None) -> Case:
    """``case`` with ``review`` as its termination review."""
    edited = try_termination(case, review)
    return attrs.evolve(case, termination=review) if edited is None else edited


def try_termination(case: Case, review: TerminationReview | None) -> Case | None:
    """A review can break only its reference to the session in which the end was announced."""
    if type(case) is not _CASE or (review is not None and type(review) is not TerminationReview):
        return None
    number = None if review is None else review.announced_in_session
    if number is not None:
        sessions = case.sessions
        at = bisect_left(sessions, number, key=_NUMBER)  # numbers increase (an invariant)
        if at == len(sessions) or sessions[at].number != number:
            return None
    return _derive(case, _carried(case), termination=review)


def with_safety_plan(case: Case, plan: SafetyPlan | None) -> Case:
    """``case`` with ``plan`` as its safety plan (no invariant reads it: only its type is checked)."""
    if type(case) is not _CASE or (plan is not None and type(plan) is not SafetyPlan):
        return attrs.evolve(case, safety_plan=plan)
    return _derive(case, _carried(case), safety_plan=plan)


def with_onset(case: Case, timeline: Timeline) -> Case:
    """``case`` with ``timeline``, its own with only the onset changed (no invariant of the case
    reads the onset, and the events, which references name, are the same)."""
    same_events = type(timeline) is Timeline and timeline.events is case.timeline.events
    if type(case) is not _CASE or not same_events:
        return attrs.evolve(case, timeline=timeline)
    return _derive(case, _carried(case), timeline=timeline)


def with_session_revised(case: Case, at: int, session: SessionRecord) -> Case:
    """``case`` with its ``at``-th session replaced by ``session``, the same but for its risk check
    (which no invariant reads: the number, date, references and answers are unchanged)."""
    old = case.sessions[at]
    sessions = (*case.sessions[:at], session, *case.sessions[at + 1 :])
    if (
        type(case) is not _CASE
        or type(session) is not SessionRecord
        or attrs.evolve(session, risk_check=old.risk_check) != old
    ):
        return attrs.evolve(case, sessions=sessions)
    return _derive(case, _carried(case), sessions=sessions)
