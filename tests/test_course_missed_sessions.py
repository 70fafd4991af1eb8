"""A course with missed sessions still ends on time: the therapist follows the agenda, the client
misses some sessions (did not attend, or cancelled), and the course reaches ``completed`` without a
renegotiation, the end announced only in a session the client attended."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipt_core import Attendance, Case, Phase, protocols
from ipt_core.domain.problem_areas import AreaKind
from ipt_core.testing import Step, simulate_course

START = date(2025, 1, 6)
MISSED = (Attendance.DID_NOT_ATTEND, Attendance.CANCELLED_BY_CLIENT, Attendance.CANCELLED_BY_SERVICE)


def _course(protocol: protocols.Protocol, missed: dict[int, Attendance]) -> Case:
    """A course of ``protocol`` in which the client misses the sessions in ``missed``; the therapist
    does what each agenda asks, moves on when the engine says, and ends the course once every
    contracted session is held."""
    focus = next(k for k in AreaKind if k in protocol.focus_kinds())
    last = protocol.sessions.default_sessions

    def check(step: Step) -> None:
        assert f"{last + 1} of {last}" not in step.agenda.headline

    return simulate_course(protocol, start=START, case_id="missed", focus=focus, missed=missed, on_step=check)


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
