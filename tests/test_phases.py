"""The phase engine: gates, tasks and transitions, by example and by property."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipt_core import (
    Case,
    ExitOutcome,
    Formulation,
    InterpersonalInventory,
    Person,
    Phase,
    PhaseChange,
    RelationshipCategory,
    RoleDispute,
    RoleInsecurity,
    SessionRecord,
    TaskRecord,
    TerminationReview,
    TransitionError,
    TreatmentContract,
    dumps,
    loads,
    protocols,
)
from ipt_core.domain.problem_areas import DisputeStage
from ipt_core.phases import TaskState, advance, evaluate
from ipt_core.testing import cases
from ipt_core.testing import protocols as protocol_strategy

START = date(2025, 1, 6)


def _week(n: int) -> date:
    return START + timedelta(weeks=n)


def _base(protocol_id: str = "standard", sessions: int = 16) -> Case:
    return Case(
        id="c1",
        contract=TreatmentContract(protocol_id=protocol_id, start=START, planned_sessions=sessions),
        inventory=InterpersonalInventory(
            people=(Person(id="p1", alias="Sam", category=RelationshipCategory.PARTNER, in_conflict=True),)
        ),
    )


def _at(case: Case, phase: Phase, on: date) -> Case:
    """The case recorded in ``phase`` from ``on`` (as a stored document would hold it)."""
    return attrs.evolve(case, phase_history=(*case.phase_history, PhaseChange(phase=phase, on=on)))


def _with_sessions(case: Case, numbers: range) -> Case:
    for n in numbers:
        case = case.with_session(SessionRecord(number=n, date=_week(n)))
    return case


def _dispute() -> RoleDispute:
    return RoleDispute(id="a1", other_party="p1", stage=DisputeStage.RENEGOTIATION)


def _ready_for_middle(case: Case) -> Case:
    case = attrs.evolve(case, contract=attrs.evolve(case.contract, agreed_on=_week(1)))
    return case.with_formulation(Formulation(focus=(_dispute(),), presented_on=_week(2), agreed_on=_week(2)))


def test_gate_into_middle_needs_agreement_to_the_formulation() -> None:
    case = _with_sessions(_base(), range(1, 3))
    case = attrs.evolve(case, contract=attrs.evolve(case.contract, agreed_on=_week(1)))
    case = case.with_formulation(Formulation(focus=(_dispute(),), presented_on=_week(2)))
    with pytest.raises(TransitionError) as info:
        advance(case, "middle", on=_week(3))
    codes = {p.code for p in info.value.unmet}
    assert "formulation_agreed" in codes
    assert {p.path for p in info.value.unmet} >= {"$.tasks.formulation_agreed"}
    report = evaluate(case, today=_week(3))
    assert "formulation_agreed" in {t.id for t in report.blocking}
    assert Phase.MIDDLE not in report.allowed
    assert {t.id for t in report.advice} >= {"psychoeducation", "sick_role"}

    agreed = _ready_for_middle(_with_sessions(_base(), range(1, 3)))
    moved = advance(agreed, "middle", on=_week(3))
    assert moved.phase is Phase.MIDDLE
    assert evaluate(agreed, today=_week(3)).transition(Phase.MIDDLE) is not None


def test_every_task_has_an_id_state_and_reason() -> None:
    report = evaluate(_base(), today=START)
    assert report.phase is Phase.INITIAL
    assert [t.id for t in report.tasks][:3] == ["symptom_review", "psychoeducation", "sick_role"]
    assert all(t.reason and t.state in TaskState for t in report.tasks)
    assert report.sessions_held == 0
    assert report.next_session == 1


def test_task_records_after_today_do_not_count() -> None:
    case = _base().with_task(TaskRecord(task="sick_role", on=_week(5)))
    status = {t.id: t.state for t in evaluate(case, today=_week(1)).tasks}
    assert status["sick_role"] is TaskState.OPEN
    status = {t.id: t.state for t in evaluate(case, today=_week(5)).tasks}
    assert status["sick_role"] is TaskState.DONE


def _in_middle(sessions: int = 16) -> Case:
    case = _ready_for_middle(_with_sessions(_base(sessions=sessions), range(1, 3)))
    return advance(case, Phase.MIDDLE, on=_week(3))


def test_termination_must_be_announced_in_time() -> None:
    case = _with_sessions(_in_middle(), range(3, 16))
    with pytest.raises(TransitionError) as info:
        advance(case, Phase.TERMINATION, on=_week(16))
    assert [p.code for p in info.value.unmet] == ["termination_announced"]

    # Announced late (session 15 of 16): an advisory finding, never a block.
    late = attrs.evolve(case, termination=TerminationReview(announced_in_session=15))
    assert advance(late, Phase.TERMINATION, on=_week(16)).phase is Phase.TERMINATION
    (finding,) = [f for f in evaluate(late, today=_week(16)).findings if f.code == "termination_notice_late"]
    assert not finding.blocking
    assert finding.path == "$.termination.announced_in_session"

    on_time = attrs.evolve(case, termination=TerminationReview(announced_in_session=14))
    assert advance(on_time, Phase.TERMINATION, on=_week(16)).phase is Phase.TERMINATION


def test_notice_is_a_protocol_setting() -> None:
    case = attrs.evolve(
        _with_sessions(_in_middle(), range(3, 14)), termination=TerminationReview(announced_in_session=13)
    )
    strict = attrs.evolve(
        protocols.get("standard"),
        id="standard-4",
        termination_notice=protocols.TerminationNotice(4, 4, "setting"),
    )
    assert advance(case, Phase.TERMINATION, on=_week(15)).phase is Phase.TERMINATION
    assert evaluate(case, today=_week(15)).announce_by == 14
    assert "termination_notice_late" not in {f.code for f in evaluate(case, today=_week(15)).findings}
    report = evaluate(case, strict, today=_week(15))
    assert report.announce_by == 12
    assert "termination_notice_late" in {f.code for f in report.findings}
    assert advance(case, Phase.TERMINATION, on=_week(15), protocol=strict).phase is Phase.TERMINATION


def _in_termination() -> Case:
    case = attrs.evolve(
        _with_sessions(_in_middle(), range(3, 15)), termination=TerminationReview(announced_in_session=12)
    )
    return advance(case, Phase.TERMINATION, on=_week(15))


def test_leaving_termination_needs_a_matching_exit_outcome() -> None:
    case = _in_termination()
    with pytest.raises(TransitionError) as info:
        advance(case, Phase.COMPLETED, on=_week(16))
    assert [p.code for p in info.value.unmet] == ["exit_outcome"]
    done = attrs.evolve(case, outcome=ExitOutcome.COMPLETED)
    with pytest.raises(TransitionError) as info:
        advance(done, Phase.MAINTENANCE, on=_week(16))
    assert [p.code for p in info.value.unmet] == ["exit_outcome_mismatch"]
    finished = advance(done, "completed", on=_week(16))
    assert finished.phase is Phase.COMPLETED
    assert evaluate(finished, today=_week(17)).transitions == ()
    with pytest.raises(TransitionError) as info:
        advance(finished, Phase.DROPPED_OUT, on=_week(17))
    assert info.value.unmet[0].code == "course_ended"


def test_stuart_requires_the_maintenance_discussion() -> None:
    case = _at(
        Case(
            id="c2",
            contract=TreatmentContract(protocol_id="stuart", start=START, planned_sessions=12),
            phase_history=(),
            outcome=ExitOutcome.COMPLETED,
        ),
        Phase.TERMINATION,
        START,
    )
    with pytest.raises(TransitionError) as info:
        advance(case, Phase.COMPLETED, on=_week(1))
    assert "maintenance_discussed" in {p.code for p in info.value.unmet}
    discussed = attrs.evolve(case, termination=TerminationReview(maintenance_offered=True))
    assert advance(discussed, Phase.COMPLETED, on=_week(1)).phase is Phase.COMPLETED


@pytest.mark.parametrize("side", [Phase.CRISIS_REFERRAL, Phase.DROPPED_OUT])
@pytest.mark.parametrize("phase", [Phase.INITIAL, Phase.MIDDLE, Phase.TERMINATION, Phase.MAINTENANCE])
def test_crisis_referral_and_drop_out_from_any_phase(side: Phase, phase: Phase) -> None:
    case = _at(_base(), phase, START)
    moved = advance(case, side, on=START)
    assert moved.phase is side
    assert moved.outcome is not None
    assert moved.outcome.value == side.value


def test_unknown_phase_and_impossible_steps() -> None:
    with pytest.raises(TransitionError) as info:
        advance(_base(), "sideways", on=START)
    assert info.value.unmet[0].code == "unknown_phase"
    with pytest.raises(TransitionError) as info:
        advance(_base(), Phase.TERMINATION, on=START)
    assert info.value.unmet[0].code == "transition_not_allowed"


def test_a_phase_change_cannot_go_back_in_time() -> None:
    case = _at(_ready_for_middle(_base()), Phase.INITIAL, _week(3))
    with pytest.raises(TransitionError) as info:
        advance(case, Phase.MIDDLE, on=_week(2))
    assert "date_order" in {p.code for p in info.value.unmet}


def test_a_move_recorded_ahead_of_time_does_not_count_before_its_day() -> None:
    """The therapist records on Monday that the middle phase starts at next week's session."""
    agreed = _with_sessions(_ready_for_middle(_base()), range(1, 4))
    case = _at(agreed, Phase.MIDDLE, _week(4))
    before = evaluate(case, today=_week(3))
    assert before.phase is Phase.INITIAL
    assert "phase_change_after_today" in {f.code for f in before.findings}
    on_the_day = evaluate(case, today=_week(4))
    assert on_the_day.phase is Phase.MIDDLE
    assert "phase_change_after_today" not in {f.code for f in on_the_day.findings}
    with pytest.raises(TransitionError) as info:
        advance(case, Phase.TERMINATION, on=_week(3))
    assert [p.code for p in info.value.unmet] == ["date_order"]


def test_unknown_protocol_evaluated_against_standard_and_needs_passing_to_advance() -> None:
    case = _base("clinic-x")
    report = evaluate(case, today=START)
    assert not report.protocol_known
    assert report.protocol_id == "standard"
    assert "protocol_unknown" in {f.code for f in report.findings}
    with pytest.raises(TransitionError) as info:
        advance(case, Phase.CRISIS_REFERRAL, on=START)
    assert info.value.unmet[0].code == "protocol_unknown"
    mine = attrs.evolve(protocols.get("standard"), id="clinic-x")
    assert advance(case, Phase.CRISIS_REFERRAL, on=START, protocol=mine).phase is Phase.CRISIS_REFERRAL


def test_user_protocol_focus_is_checked_when_passed() -> None:
    case = _ready_for_middle(_base("clinic-x"))
    case = case.with_formulation(
        Formulation(focus=(RoleInsecurity(id="a9"),), presented_on=_week(2), agreed_on=_week(2))
    )
    mine = attrs.evolve(protocols.get("standard"), id="clinic-x")
    report = evaluate(case, mine, today=_week(3))
    assert "not_allowed_by_protocol" in {f.code for f in report.findings if f.blocking}
    with pytest.raises(TransitionError) as info:
        advance(case, Phase.MIDDLE, on=_week(3), protocol=mine)
    assert "not_allowed_by_protocol" in {p.code for p in info.value.unmet}
    assert advance(case, Phase.DROPPED_OUT, on=_week(3), protocol=mine).phase is Phase.DROPPED_OUT


def test_parent_session_applies_only_when_the_focus_involves_a_parent() -> None:
    case = _at(
        Case(
            id="teen",
            contract=TreatmentContract(protocol_id="adolescent", start=START, planned_sessions=12),
            age_at_start=15,
            inventory=InterpersonalInventory(
                people=(Person(id="mum", alias="Mum", category=RelationshipCategory.PARENT),)
            ),
        ),
        Phase.MIDDLE,
        START,
    )
    status = {t.id: t.state for t in evaluate(case, today=START).tasks}
    assert status["parent_session_middle"] is TaskState.NOT_APPLICABLE
    with_parent = case.with_formulation(
        Formulation(focus=(RoleDispute(id="a1", other_party="mum", stage=DisputeStage.IMPASSE),))
    )
    status = {t.id: t.state for t in evaluate(with_parent, today=START).tasks}
    assert status["parent_session_middle"] is TaskState.OPEN
    older = attrs.evolve(case, age_at_start=30)
    assert "age_outside_protocol" in {f.code for f in evaluate(older, today=START).findings}


def test_group_who_goes_from_pre_group_to_initial() -> None:
    case = Case(
        id="g1",
        contract=TreatmentContract(protocol_id="group-who", start=START, planned_sessions=8),
    )
    assert case.phase is Phase.PRE_TREATMENT  # no phase recorded: the protocol's first phase
    report = evaluate(case, today=START)
    assert [t.id for t in report.tasks] == ["pre_group_meeting"]
    assert report.allowed[0] is Phase.INITIAL


# -- properties ---------------------------------------------------------------------------------

_PHASES = st.sampled_from(Phase)
_DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2041, 12, 31))


def _attempt(
    case: Case, to: Phase | str, on: date, protocol: protocols.Protocol | None = None
) -> Case | TransitionError:
    try:
        return advance(case, to, on=on, protocol=protocol)
    except TransitionError as exc:
        return exc


def _check(case: Case) -> None:
    attrs.evolve(case)  # the invariants are checked whenever a case is built
    assert loads(dumps(case)) == case


@settings(max_examples=80, deadline=None)
@given(cases(), st.lists(st.tuples(_PHASES | st.sampled_from([p.value for p in Phase]), _DAYS), max_size=5))
def test_any_sequence_of_advances_keeps_invariants_or_names_what_is_unmet(
    case: Case, steps: list[tuple[Phase | str, date]]
) -> None:
    for to, on in steps:
        result = _attempt(case, to, on)
        if isinstance(result, TransitionError):
            assert result.unmet
            assert all(p.code and p.path.startswith("$") for p in result.unmet)
        else:
            case = result
            assert case.phase is Phase(to)
            _check(case)


@settings(max_examples=60, deadline=None)
@given(cases(), protocol_strategy(), st.lists(st.tuples(_PHASES, _DAYS), max_size=4))
def test_advance_under_user_protocols(
    case: Case, protocol: protocols.Protocol, steps: list[tuple[Phase, date]]
) -> None:
    for to, on in steps:
        result = _attempt(case, to, on, protocol)
        if isinstance(result, TransitionError):
            assert result.unmet
        else:
            case = result
            _check(case)


@settings(max_examples=80, deadline=None)
@given(cases(), _DAYS)
def test_evaluate_never_raises_and_agrees_with_advance(case: Case, today: date) -> None:
    report = evaluate(case, today=today)
    by_today = [c.phase for c in case.phase_history if c.on <= today]
    expected = (
        by_today[-1]
        if by_today
        else protocols.BUILTIN_PROTOCOLS.get(
            case.protocol_id, protocols.BUILTIN_PROTOCOLS["standard"]
        ).sequence()[0]
    )
    assert report.phase is expected
    assert all(t.phase is expected for t in report.tasks)
    later = len(by_today) < len(case.phase_history)
    assert ("phase_change_after_today" in {f.code for f in report.findings}) is later
    for transition in report.transitions:
        if case.protocol_id not in protocols.BUILTIN_PROTOCOLS:
            break
        if transition.allowed:
            assert advance(case, transition.to, on=today).phase is transition.to
        else:
            with pytest.raises(TransitionError):
                advance(case, transition.to, on=today)


@settings(max_examples=40, deadline=None)
@given(cases(), protocol_strategy(), _DAYS)
def test_evaluate_never_raises_under_user_protocols(
    case: Case, protocol: protocols.Protocol, today: date
) -> None:
    report = evaluate(case, protocol, today=today)
    assert report.protocol_id == protocol.id


def test_a_client_who_never_agrees_to_the_formulation_can_be_referred_on_once_the_contract_is_spent() -> None:
    """Twelve weekly sessions of standard IPT; the client comes to every one but never accepts an
    interpersonal formulation. With every contracted session held the report asks to end the course;
    the honest exit is a referral to another treatment, not a crisis referral or a drop-out."""
    case = _with_sessions(_base(sessions=12), range(1, 13))
    case = attrs.evolve(case, contract=attrs.evolve(case.contract, agreed_on=_week(1)))
    report = evaluate(case, today=_week(13))
    assert report.phase is Phase.INITIAL
    assert report.contracted_sessions_held
    referral = report.transition(Phase.ALTERNATIVE_TREATMENT)
    assert referral is not None
    assert referral.allowed
    (held,) = [f for f in report.findings if f.code == "contracted_sessions_held"]
    assert "alternative treatment" in held.message
    ended = advance(case, Phase.ALTERNATIVE_TREATMENT, on=_week(13), reason="IPT not taken up; refer for CBT")
    assert ended.phase is Phase.ALTERNATIVE_TREATMENT
    assert ended.outcome is ExitOutcome.ALTERNATIVE_TREATMENT
    # Not before the contract is spent: then the course goes on (or is renegotiated).
    early = evaluate(_with_sessions(_base(sessions=12), range(1, 6)), today=_week(6))
    assert early.transition(Phase.ALTERNATIVE_TREATMENT) is None


@pytest.mark.parametrize("protocol_id", list(protocols.BUILTIN_PROTOCOLS))
def test_a_spent_contract_always_leaves_an_exit_other_than_a_crisis_or_a_drop_out(protocol_id: str) -> None:
    """Every built-in protocol, stalled in its first phase with every contracted session held: some
    transition other than the side exits is allowed without further work."""
    protocol = protocols.get(protocol_id)
    first = 0 if protocol.sequence()[0] is Phase.PRE_TREATMENT else 1
    count = protocol.sessions.default_sessions
    case = _with_sessions(_base(protocol_id, sessions=count), range(first, count + 1))
    if first == 0:
        case = _at(case, Phase.INITIAL, _week(1))
    report = evaluate(case, protocol, today=_week(count + 1))
    assert report.phase is Phase.INITIAL
    assert report.contracted_sessions_held
    honest = [
        t for t in report.transitions if t.allowed and t.to not in (Phase.CRISIS_REFERRAL, Phase.DROPPED_OUT)
    ]
    assert honest, [(t.to.value, [u.code for u in t.unmet]) for t in report.transitions]


@pytest.mark.parametrize("given_as", ["standard", "adolescent", 3, {"id": "standard"}])
def test_a_protocol_passed_as_its_id_is_refused_with_a_clear_type_error(given_as: object) -> None:
    """A therapist's script passes the protocol by its id, as it reads in the contract: every entry
    point that takes a protocol says what to pass instead of failing on a missing attribute."""
    from ipt_core import suggest_problem_areas
    from ipt_core.agenda import next_steps
    from ipt_core.phases import current_phase

    case = _ready_for_middle(_with_sessions(_base(), range(1, 3)))
    calls = (
        lambda: evaluate(case, given_as, today=_week(3)),  # type: ignore[arg-type]
        lambda: advance(case, "middle", on=_week(3), protocol=given_as),  # type: ignore[arg-type]
        lambda: next_steps(case, today=_week(3), protocol=given_as),  # type: ignore[arg-type]
        lambda: current_phase(case, given_as),  # type: ignore[arg-type]
        lambda: suggest_problem_areas(case, given_as),  # type: ignore[arg-type]
    )
    for call in calls:
        with pytest.raises(TypeError, match=r"protocol must be a Protocol, such as protocols\.get"):
            call()
