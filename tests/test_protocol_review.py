"""A clinician's review of the built-in protocols against their sources, and of the phase engine
running each of them.

Vignettes are written as a therapist records a course; properties run every built-in protocol at
every contract length it allows.
"""

from __future__ import annotations

import re

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipt_core import Phase, protocols
from ipt_core.domain.protocols import PhasePlan, Protocol
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
