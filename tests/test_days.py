"""``today`` (or ``on``, ``day``) is a calendar date: a ``datetime`` or a text is refused at the
entry point with a ``TypeError`` that says what to pass, never a comparison error from inside.

A front end that passes ``datetime.now()`` gets told to pass its ``.date()``: which day a moment
falls on depends on a time zone only the service knows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ipt_core
from ipt_core import phases, progress
from ipt_core.boundary.report import render_text
from ipt_core.domain.course import Phase
from ipt_core.testing import sample_case, sample_group, sample_group_cases

CASE = sample_case()
GROUP = sample_group()
MEMBER_CASES = sample_group_cases(GROUP)
STANDARD = ipt_core.protocols.get("standard")

ENTRY_POINTS: dict[str, Callable[[Any], object]] = {
    "progress.evaluate": lambda day: progress.evaluate(CASE, today=day),
    "progress.course_ended": lambda day: progress.course_ended(CASE, today=day),
    "phases.evaluate": lambda day: phases.evaluate(CASE, today=day),
    "phases.current_phase": lambda day: phases.current_phase(CASE, today=day),
    "phases.task_statuses": lambda day: phases.task_statuses(CASE, STANDARD, Phase.MIDDLE, today=day),
    "phases.advance": lambda day: phases.advance(CASE, Phase.DROPPED_OUT, on=day),
    "next_steps": lambda day: ipt_core.next_steps(CASE, today=day),
    "risk_flags": lambda day: ipt_core.risk_flags(CASE, today=day),
    "open_risk_flags": lambda day: ipt_core.open_risk_flags(CASE, today=day),
    "screening_status": lambda day: ipt_core.screening_status(CASE, STANDARD, today=day),
    "Case.sessions_until": CASE.sessions_until,
    "Case.phase_on": CASE.phase_on,
    "report.render_text": lambda day: render_text(CASE, today=day),
    "next_steps_group": lambda day: ipt_core.next_steps_group(GROUP, today=day, cases=MEMBER_CASES),
    "phases.evaluate_group": lambda day: phases.evaluate_group(GROUP, today=day),
    "group_outcomes": lambda day: ipt_core.group_outcomes(GROUP, MEMBER_CASES, today=day),
    "Group.members_on": GROUP.members_on,
    "Group.sessions_until": GROUP.sessions_until,
    "Member.member_on": GROUP.members[0].member_on,
}


def _outcome(name: str, day: object) -> object:
    """What the entry point gives for ``day``, or the error it raises (a move into a phase dated
    before the last change is refused, whatever the day's type)."""
    try:
        return ENTRY_POINTS[name](day)
    except ipt_core.TransitionError as error:
        return ("refused", str(error))


class _Day(date):
    """A subclass of date, as some date libraries return: a calendar day, accepted."""


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_a_datetime_is_refused_with_what_to_pass_instead(name: str) -> None:
    # An app passes the moment of the request rather than the day.
    with pytest.raises(TypeError, match=r"not a datetime: pass (today|on|day)\.date\(\)"):
        ENTRY_POINTS[name](datetime(2025, 3, 3, 9, 30, tzinfo=UTC))


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_a_date_written_as_text_is_refused_naming_the_type_to_pass(name: str) -> None:
    with pytest.raises(TypeError, match=r"must be a datetime\.date"):
        ENTRY_POINTS[name]("2025-03-03")


@given(st.sampled_from(sorted(ENTRY_POINTS)), st.dates(date(2024, 1, 1), date(2026, 12, 31)))
def test_a_date_subclass_is_the_same_day(name: str, day: date) -> None:
    same = _Day(day.year, day.month, day.day)
    assert _outcome(name, same) == _outcome(name, day)


@given(st.sampled_from(sorted(ENTRY_POINTS)), st.datetimes(datetime(2024, 1, 1), datetime(2026, 12, 31)))
def test_any_datetime_is_refused_and_its_date_accepted(name: str, moment: datetime) -> None:
    with pytest.raises(TypeError, match=r"\.date\(\)"):
        ENTRY_POINTS[name](moment)
    _outcome(name, moment.date())  # the day itself is taken
