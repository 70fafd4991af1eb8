"""An edit that breaks a rule reports the problem where the case's document holds it.

``with_person``, ``with_event`` and ``renegotiate`` check the part they change (the inventory, the
timeline, the contract) on its own; the paths of its problems are placed under that part's place
in the case, so they are the paths loading the edited document would give."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ipt_core
from ipt_core import Case, ValidationError
from ipt_core.domain.inventory import Person, RelationshipCategory
from ipt_core.domain.timeline import EventKind, FuzzyDate, LifeEvent
from ipt_core.testing import sample_case


def _problems(build: Callable[[], Any]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as raised:
        build()
    return [(p.path, p.code) for p in raised.value.problems]


def _document_problems(case: Case, change: Callable[[dict[str, Any]], None]) -> list[tuple[str, str]]:
    """The problems of ``case``'s document edited by ``change``, as ``loads`` finds them."""
    document = json.loads(ipt_core.dumps(case))
    change(document)
    return _problems(lambda: ipt_core.loads(json.dumps(document)))


def test_a_friend_placed_beyond_the_circle_is_reported_in_the_inventory() -> None:
    # The therapist adds a friend to ring 4 of the standard three-ring closeness circle.
    case = sample_case()
    friend = Person(id="p-friend", alias="Kim", category=RelationshipCategory.FRIEND, ring=4)
    found = _problems(lambda: case.with_person(friend))
    at = len(case.inventory.people)
    assert found == [(f"$.inventory.people[{at}].ring", "out_of_range")]


def test_an_event_recorded_twice_is_reported_in_the_timeline() -> None:
    case = sample_case()
    first = case.timeline.events[0]
    again = attrs.evolve(first, description="recorded again by mistake")
    found = _problems(lambda: case.with_event(again))
    assert found == _document_problems(
        case, lambda d: d["timeline"]["events"].append(d["timeline"]["events"][0])
    )
    assert found[0][0].startswith("$.timeline.events[")


def test_a_renegotiation_to_no_sessions_is_reported_in_the_contract() -> None:
    case = sample_case()
    at = len(case.contract.renegotiations)
    found = _problems(
        lambda: case.renegotiate(on=date(2025, 3, 3), planned_sessions=0, reason="client asked")
    )
    assert found == [(f"$.contract.renegotiations[{at}].planned_sessions", "out_of_range")]


def test_a_frequency_that_is_not_one_is_refused_with_the_allowed_ones_and_without_the_value() -> None:
    contract = sample_case().contract
    with pytest.raises(ValidationError) as raised:
        contract.renegotiate(on=date(2025, 3, 3), planned_sessions=12, reason="x", frequency="dialy")
    (problem,) = raised.value.problems
    assert (problem.path, problem.code) == ("$.renegotiations[0].frequency", "not_allowed")
    assert "weekly" in problem.message
    assert "dialy" not in str(raised.value)


@given(st.integers(0, 5))
def test_the_inventory_problem_is_where_the_document_holds_it(seed: int) -> None:
    case = sample_case(seed=seed)
    ring = case.inventory.rings + 1  # one ring beyond the circle
    placed = Person(id="p-new", alias="New", category=RelationshipCategory.OTHER, ring=1)
    document_case = case.with_person(placed)
    found = _problems(lambda: case.with_person(attrs.evolve(placed, ring=ring)))

    def beyond(document: dict[str, Any]) -> None:
        document["inventory"]["people"][-1]["ring"] = ring

    assert found == _document_problems(document_case, beyond)


@given(st.integers(0, 5), st.integers(-3, 0) | st.integers(1001, 5000))
def test_the_renegotiation_problem_is_where_the_document_holds_it(seed: int, sessions: int) -> None:
    case = sample_case(seed=seed)
    day = case.contract.start + timedelta(days=28)
    agreed = case.renegotiate(on=day, planned_sessions=12, reason="client asked")
    found = _problems(lambda: case.renegotiate(on=day, planned_sessions=sessions, reason="client asked"))

    def beyond(document: dict[str, Any]) -> None:
        document["contract"]["renegotiations"][-1]["planned_sessions"] = sessions

    assert found == _document_problems(agreed, beyond)


def test_a_life_event_dated_loosely_still_adds() -> None:
    case = sample_case()
    event = LifeEvent(id="e-new", kind=EventKind.OTHER, when=FuzzyDate.parse("2024"))
    assert case.with_event(event).timeline.events[-1] == event
