"""A course with missed sessions still ends on time: the therapist follows the agenda, the client
misses some sessions (did not attend, or cancelled), and the course reaches ``completed`` without a
renegotiation, the end announced only in a session the client attended."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipt_core import (
    Attendance,
    Case,
    ExitOutcome,
    Phase,
    SessionRecord,
    TerminationReview,
    TransitionError,
    TreatmentContract,
    protocols,
)
from ipt_core.agenda import next_steps
from ipt_core.domain.problem_areas import AreaKind
from ipt_core.phases import advance, evaluate
from ipt_core.testing._courses import _gap, _hold_session, _maybe_advance, _story

START = date(2025, 1, 6)
MISSED = (Attendance.DID_NOT_ATTEND, Attendance.CANCELLED_BY_CLIENT, Attendance.CANCELLED_BY_SERVICE)


def _course(protocol: protocols.Protocol, missed: dict[int, Attendance]) -> Case:
    """A course of ``protocol`` in which the client misses the sessions in ``missed``; the therapist
    does what each agenda asks, moves on when the engine says, and ends the course once every
    contracted session is held."""
    focus = next(k for k in AreaKind if k in protocol.focus_kinds())
    people, events = _story(focus)
    case = Case(
        id="missed",
        contract=TreatmentContract(
            protocol_id=protocol.id,
            start=START,
            planned_sessions=protocol.sessions.default_sessions,
            frequency=protocol.sessions.frequency,
        ),
        age_at_start=max(16, protocol.ages.min_age) if protocol.ages else 34,
    )
    last = protocol.sessions.default_sessions
    initial = protocol.phase_plan(Phase.INITIAL)
    initial_end = min(initial.max_sessions if initial and initial.max_sessions else 3, last - 2)
    numbers = ([0] if protocol.sequence()[0] is Phase.PRE_TREATMENT else []) + list(range(1, last + 1))
    for i, number in enumerate(numbers):
        day = START + _gap(protocol) * i
        agenda = next_steps(case, today=day, protocol=protocol)
        assert f"{last + 1} of {last}" not in agenda.headline
        if number in missed:
            case = case.with_session(SessionRecord(number=number, date=day, attendance=missed[number]))
        else:
            announce = any(it.code == "reminder.announce_termination" and it.blocking for it in agenda.items)
            case = _hold_session(
                case,
                protocol,
                number=number,
                day=day,
                focus=focus,
                people=people,
                events=events,
                initial_end=initial_end,
                announce=announce,
            )
        after = day + timedelta(days=1)
        # When the session the end was due in was missed, it is announced at the next one attended.
        with contextlib.suppress(TransitionError):
            case = _maybe_advance(case, protocol, number=number, on=after, initial_end=initial_end)
        report = evaluate(case, protocol, today=after)
        if report.contracted_sessions_held and report.phase in (Phase.MIDDLE, Phase.MAINTENANCE):
            case = advance(case, Phase.TERMINATION, on=after, protocol=protocol)
            report = evaluate(case, protocol, today=after)
        if report.contracted_sessions_held and report.phase is Phase.TERMINATION:
            # Whatever termination work the missed sessions left undone is recorded now.
            review = case.termination or TerminationReview()
            case = attrs.evolve(
                case,
                termination=attrs.evolve(review, maintenance_offered=True, maintenance_accepted=False),
                outcome=ExitOutcome.COMPLETED,
            )
            case = advance(case, Phase.COMPLETED, on=after, protocol=protocol)
    return case


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(protocols.BUILTIN_PROTOCOLS)), st.data())
def test_a_course_with_missed_sessions_still_reaches_completed(protocol_id: str, data: st.DataObject) -> None:
    protocol = protocols.BUILTIN_PROTOCOLS[protocol_id]
    last = protocol.sessions.default_sessions
    numbers = data.draw(st.sets(st.integers(min_value=4, max_value=last), max_size=last // 2))
    missed = {n: data.draw(st.sampled_from(MISSED)) for n in sorted(numbers)}
    case = _course(protocol, missed)
    assert case.phase is Phase.COMPLETED
    assert case.contract.renegotiations == ()
    announced = None if case.termination is None else case.termination.announced_in_session
    assert announced not in missed
