"""A clinician's review of the built-in protocols against their sources, and of the phase engine
running each of them.

Vignettes are written as a therapist records a course; properties run every built-in protocol at
every contract length it allows.
"""

from __future__ import annotations

import re
from datetime import timedelta

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _course_vignettes import announced as _announced
from _course_vignettes import held as _held
from _course_vignettes import nicola as _nicola
from _course_vignettes import week as _week
from ipt_core import Case, ExitOutcome, Phase, TerminationReview, protocols
from ipt_core.domain.course import TERMINAL_PHASES
from ipt_core.domain.phases import TransitionKind, _targets, advance, evaluate
from ipt_core.domain.protocols import PhasePlan, Protocol
from ipt_core.errors import ProblemCode, ValidationError
from ipt_core.testing import protocols as protocol_strategy
from ipt_core.testing import simulate_course

_BUILTINS = protocols.all()


def _with_contract_of(protocol: Protocol, sessions: int) -> Protocol:
    """``protocol`` proposing ``sessions`` sessions for a new contract (a length it allows)."""
    return attrs.evolve(protocol, sessions=attrs.evolve(protocol.sessions, default_sessions=sessions))


def _in_course(protocol: Protocol) -> tuple[PhasePlan, ...]:
    return tuple(p for p in protocol.phases if p.phase is not Phase.PRE_TREATMENT)


# -- phase plans fit every course length the protocol allows ------------------------------------


@pytest.mark.parametrize("protocol", _BUILTINS, ids=lambda p: p.id)
def test_the_phase_plans_fit_every_course_length_the_protocol_allows(protocol: Protocol) -> None:
    """The shortest course holds every phase's fewest sessions, and the longest course fits in the
    phases' most sessions: a course of any allowed length can follow the plan."""
    plans = _in_course(protocol)
    assert sum(p.min_sessions for p in plans) <= protocol.sessions.min_sessions
    if all(p.max_sessions is not None for p in plans):
        assert sum(p.max_sessions or 0 for p in plans) >= protocol.sessions.max_sessions


def test_a_twenty_session_stuart_course_is_not_told_its_middle_phase_is_too_long() -> None:
    """Stuart & Robertson allow 8-20 sessions. A therapist contracts 20 with a client with a role
    dispute, holds three initial sessions, the middle sessions, and the two sessions concluding
    acute treatment: every step as the protocol says. At no point is the middle phase longer than
    the protocol plans."""
    stuart = _with_contract_of(protocols.get("stuart"), 20)
    found: set[str] = set()
    case = simulate_course(stuart, on_step=lambda step: found.update(f.code for f in step.report.findings))
    assert case.phase is Phase.COMPLETED
    assert case.sessions[-1].number == 20
    assert "phase_longer_than_planned" not in found


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_course_of_any_allowed_length_that_follows_its_protocol_ends_with_no_plan_warning(
    data: st.DataObject,
) -> None:
    protocol = data.draw(st.sampled_from(_BUILTINS), label="protocol")
    plan = protocol.sessions
    length = data.draw(st.integers(plan.min_sessions, plan.max_sessions), label="contracted sessions")
    found: set[str] = set()
    case = simulate_course(
        _with_contract_of(protocol, length),
        on_step=lambda step: found.update(f.code for f in step.report.findings),
    )
    assert case.phase is Phase.COMPLETED
    assert case.sessions[-1].number == length
    assert not found & {"phase_longer_than_planned", "contract_outside_protocol", "termination_notice_late"}


# -- every number carries a source or is marked a setting ----------------------------------------


def _named(number: int, source: str) -> bool:
    return re.search(rf"(?<![\d.]){number}(?!\d)", source) is not None


@pytest.mark.parametrize("protocol", _BUILTINS, ids=lambda p: p.id)
def test_every_number_of_the_course_length_is_named_in_its_source(protocol: Protocol) -> None:
    """A reader checking the course length finds each of its numbers (fewest, most, proposed) in the
    source text: quoted from the source, or named there as a setting."""
    plan = protocol.sessions
    unnamed = [
        name
        for name, number in (
            ("min_sessions", plan.min_sessions),
            ("max_sessions", plan.max_sessions),
            ("default_sessions", plan.default_sessions),
        )
        if not _named(number, plan.source)
    ]
    assert unnamed == [], plan.source


# -- a self-guided programme's modules, and IPT-A's parent contacts, agree with the phases -------


def _guided_with_week(week: int, phase: Phase, tasks: tuple[str, ...]) -> dict[str, object]:
    """The self-guided programme as a service would write its own, with week ``week`` replaced."""
    guided = protocols.get("self-guided-8-week")
    modules = tuple(
        attrs.evolve(m, phase=phase, tasks=tasks) if m.week == week else m for m in guided.modules
    )
    return {**attrs.asdict(guided, recurse=False), "modules": modules}


def test_a_middle_phase_module_cannot_hold_the_agreement_to_the_formulation() -> None:
    """A service writes its own 8-week programme and puts "confirm the focus you will work on" into
    week 5, a middle-phase module. The agreement gates the middle phase: a client could never reach
    week 5 without it, so the programme is refused, with the path of the misplaced task."""
    document = _guided_with_week(5, Phase.MIDDLE, ("communication_analysis", "formulation_agreed"))
    with pytest.raises(ValidationError) as raised:
        Protocol(**document)  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in raised.value.problems] == [
        ("$.modules[4].tasks[1]", ProblemCode.INCONSISTENT)
    ]


def test_modules_go_through_the_phases_in_course_order() -> None:
    """Week 7 of a service's programme is labelled as an initial-phase module, after the middle
    weeks: the course never goes back to the initial phase, so the programme is refused."""
    document = _guided_with_week(7, Phase.INITIAL, ("symptom_review",))
    with pytest.raises(ValidationError) as raised:
        Protocol(**document)  # type: ignore[arg-type]
    assert ("$.modules", ProblemCode.ORDER) in [(p.path, p.code) for p in raised.value.problems]


def test_a_parent_contact_is_recorded_by_a_task_of_its_own_phase() -> None:
    """An IPT-A variant says parents join in the termination phase, but names the first session's
    parent task to record it: the contact could never be recorded where it is planned."""
    adolescent = protocols.get("adolescent")
    contacts = (
        *adolescent.parent_contacts[:2],
        attrs.evolve(adolescent.parent_contacts[2], task="parent_session_initial"),
    )
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(adolescent, parent_contacts=contacts)
    assert [(p.path, p.code) for p in raised.value.problems] == [
        ("$.parent_contacts[2].task", ProblemCode.INCONSISTENT)
    ]


@pytest.mark.parametrize("protocol", _BUILTINS, ids=lambda p: p.id)
def test_every_builtin_module_and_parent_contact_sits_in_the_phase_of_its_tasks(protocol: Protocol) -> None:
    for module in protocol.modules:
        assert {protocol.task(t).phase for t in module.tasks} <= {module.phase}
    for contact in protocol.parent_contacts:
        assert protocol.task(contact.task).phase is contact.phase


# -- no state traps a course ----------------------------------------------------------------------


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_BUILTINS), st.sampled_from([Phase.CRISIS_REFERRAL, Phase.DROPPED_OUT]))
def test_at_every_step_of_every_protocol_the_course_can_end_on_the_day_of_its_last_phase_change(
    protocol: Protocol, side_exit: Phase
) -> None:
    """Whatever the phase, a crisis referral or a drop-out can be recorded on the very day the course
    last changed phase (a client who enters the middle phase and is admitted that evening)."""
    steps: list[Case] = []
    simulate_course(protocol, on_step=lambda step: steps.append(step.case))
    for case in steps:
        if case.phase in TERMINAL_PHASES:
            continue
        on = case.phase_history[-1].on if case.phase_history else case.contract.start
        ended = advance(case, side_exit, on=on, protocol=protocol, reason="admitted")
        assert ended.phase is side_exit
        assert ended.outcome is not None


@pytest.mark.parametrize("protocol", _BUILTINS, ids=lambda p: p.id)
def test_every_phase_a_protocol_plans_leads_to_its_end(protocol: Protocol) -> None:
    """From every phase a protocol plans, its next steps lead to termination and from there to an
    exit: no planned phase is a dead end."""
    for phase in protocol.sequence():
        seen = {phase}
        current = phase
        while current is not Phase.TERMINATION:
            following = [to for to, kind in _targets(current, protocol) if kind is TransitionKind.NEXT]
            assert following, current
            current = following[0]
            assert current not in seen
            seen.add(current)
        exits = {to for to, kind in _targets(current, protocol) if kind is TransitionKind.EXIT}
        assert Phase.COMPLETED in exits
        assert Phase.ALTERNATIVE_TREATMENT in exits


# -- a pre-treatment session needs its phase, and the phase its session ---------------------------


def test_an_engagement_session_with_no_pre_treatment_phase_is_refused() -> None:
    """A service adapts IPT-B: one engagement session before session 1, but it drops the
    pre-treatment phase from the plan. The engagement session would count as initial-phase work and
    its task could never be done in its phase, so the protocol is refused."""
    brief = protocols.get("brief")
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(
            brief,
            phases=brief.phases[1:],
            tasks=tuple(t for t in brief.tasks if t.phase is not Phase.PRE_TREATMENT),
        )
    assert [(p.path, p.code) for p in raised.value.problems] == [
        ("$.sessions.pre_treatment_sessions", ProblemCode.INCONSISTENT)
    ]


def test_a_pre_treatment_phase_with_no_pre_treatment_session_is_refused() -> None:
    """The converse: a pre-group phase planned, but no session before session 1 to hold it in."""
    group = protocols.get("group-who")
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(
            group,
            sessions=attrs.evolve(group.sessions, pre_treatment_sessions=0),
            phases=(attrs.evolve(group.phases[0], min_sessions=0), *group.phases[1:]),
        )
    assert [(p.path, p.code) for p in raised.value.problems] == [
        ("$.sessions.pre_treatment_sessions", ProblemCode.INCONSISTENT)
    ]


@settings(max_examples=50, deadline=None)
@given(protocol_strategy())
def test_a_protocol_plans_a_pre_treatment_phase_exactly_when_it_has_pre_treatment_sessions(
    protocol: Protocol,
) -> None:
    planned = protocol.phase_plan(Phase.PRE_TREATMENT) is not None
    assert planned == (protocol.sessions.pre_treatment_sessions > 0)


# -- a contract renegotiated shorter ----------------------------------------------------------------


def test_a_course_shortened_to_twelve_sessions_ends_on_the_new_contract() -> None:
    """Session 10: Nicola has been offered a job abroad and leaves in three weeks. She and the
    therapist shorten the contract from 16 to 12 sessions and, in the same session, name session 12
    as the last. Sessions 11 and 12 are for termination work; the course moves there, reviews the
    ending and completes, with no advice that the contract is outside the protocol (12-16) and no
    late notice (two sessions, S6)."""
    case = _held(_nicola(), range(3, 11))
    case = case.renegotiate(on=_week(10), planned_sessions=12, reason="moving abroad for work")
    case = _announced(case, 10)
    report = evaluate(case, today=_week(10) + timedelta(days=1))
    assert (report.contracted_sessions, report.termination_from, report.announce_by) == (12, 11, 10)
    assert report.termination_due
    case = advance(case, Phase.TERMINATION, on=_week(10) + timedelta(days=1), reason="two sessions left")
    case = _held(case, range(11, 13))
    review = attrs.evolve(
        case.termination or TerminationReview(),
        gains=("talks with Sam without shouting",),
        feelings_about_ending="sad to stop, ready to go",
        warning_signs=("avoiding calls",),
        contingency_plan="contact the service abroad",
        maintenance_offered=False,
        on=_week(12),
    )
    case = attrs.evolve(case, termination=review).with_outcome(ExitOutcome.COMPLETED)
    day = _week(12) + timedelta(days=1)
    codes = {f.code for f in evaluate(case, today=day).findings}
    assert not codes & {"contract_outside_protocol", "termination_notice_late", "phase_longer_than_planned"}
    assert advance(case, Phase.COMPLETED, on=day).phase is Phase.COMPLETED
