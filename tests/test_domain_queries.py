"""The queries a front end asks of the inventory and the timeline, and the fuzzy date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given

from ipt_core import (
    EventKind,
    FuzzyDate,
    InterpersonalInventory,
    LifeEvent,
    Person,
    ProblemCode,
    RelationshipCategory,
    Timeline,
    ValidationError,
)
from ipt_core.testing import fuzzy_dates, inventories, sample_case

PARTNER = RelationshipCategory.PARTNER
FRIEND = RelationshipCategory.FRIEND


def _inventory() -> InterpersonalInventory:
    return InterpersonalInventory(
        people=(
            Person(id="a", alias="A", category=PARTNER, ring=1, supportive=True, in_conflict=True),
            Person(id="b", alias="B", category=FRIEND, ring=2, confidant=True, supportive=True),
            Person(
                id="c",
                alias="C",
                category=RelationshipCategory.PARENT,
                deceased=True,
                ring=1,
                supportive=True,
            ),
            Person(id="d", alias="D", category=FRIEND),
        )
    )


def test_the_closeness_circle_ring_by_ring() -> None:
    circle = _inventory().circle()
    assert list(circle) == [1, 2, 3]
    assert [p.id for p in circle[1]] == ["a", "c"]
    assert [p.id for p in circle[2]] == ["b"]
    assert circle[3] == ()
    assert [p.id for p in _inventory().unplaced()] == ["d"]


def test_supporters_confidants_and_conflicts_are_living_people() -> None:
    inventory = _inventory()
    assert [p.id for p in inventory.supporters()] == ["a", "b"]
    assert [p.id for p in inventory.confidants()] == ["b"]
    assert [p.id for p in inventory.in_conflict()] == ["a"]
    assert [p.id for p in inventory.deceased()] == ["c"]


def test_network_summary_counts() -> None:
    summary = _inventory().summary()
    assert summary.people == 4
    assert summary.by_category["friend"] == 2
    assert summary.by_ring == {1: 2, 2: 1, 3: 0}
    assert summary.unplaced == 1
    assert (summary.supportive, summary.confidants, summary.in_conflict) == (2, 1, 1)
    assert not summary.isolated


@given(inventories())
def test_summary_agrees_with_the_queries(inventory: InterpersonalInventory) -> None:
    summary = inventory.summary()
    assert summary.people == len(inventory.people)
    assert sum(summary.by_category.values()) == summary.people
    assert sum(summary.by_ring.values()) + summary.unplaced == summary.people
    assert sum(len(ring) for ring in inventory.circle().values()) == summary.people - summary.unplaced
    assert summary.supportive == len(inventory.supporters())


def test_person_lookup_and_replacement() -> None:
    inventory = _inventory()
    assert inventory.person("b").alias == "B"
    with pytest.raises(KeyError):
        inventory.person("zz")
    renamed = inventory.with_person(Person(id="b", alias="Bee", category=FRIEND))
    assert [p.alias for p in renamed.people] == ["A", "Bee", "C", "D"]
    assert len(inventory.with_person(Person(id="e", alias="E", category=FRIEND))) == 5


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2024-03-15", date(2024, 3, 15), date(2024, 3, 15)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("~2023", date(2023, 1, 1), date(2023, 12, 31)),
    ],
)
def test_fuzzy_dates_span_what_is_known(text: str, earliest: date, latest: date) -> None:
    when = FuzzyDate.parse(text)
    assert (when.earliest, when.latest) == (earliest, latest)
    assert str(when) == text


@pytest.mark.parametrize("text", ["2024-13", "2023-02-29", "24", "2024-1", "2024-01-01T00", " 2024"])
def test_malformed_fuzzy_dates_are_refused(text: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        FuzzyDate.parse(text)
    assert excinfo.value.codes <= {ProblemCode.PATTERN, ProblemCode.INVALID_VALUE}


@given(fuzzy_dates())
def test_fuzzy_dates_round_trip_through_their_text(when: FuzzyDate) -> None:
    assert FuzzyDate.parse(str(when)) == when
    assert when.earliest <= when.latest


def test_events_near_onset_include_approximate_and_anticipated_ones() -> None:
    timeline = Timeline(
        events=(
            LifeEvent(id="old", kind=EventKind.MOVE, when=FuzzyDate(2020)),
            LifeEvent(id="job", kind=EventKind.JOB_CHANGE, when=FuzzyDate(2024, 11)),
            LifeEvent(id="fear", kind=EventKind.JOB_LOSS, when=FuzzyDate(2025, 2), anticipated=True),
            LifeEvent(id="death", kind=EventKind.DEATH, when=FuzzyDate(2024, 6, 30)),
        ),
        onset=FuzzyDate(2024, 12),
    )
    assert [e.id for e in timeline.near_onset()] == ["death", "job"]
    assert [e.id for e in timeline.near_onset(timedelta(days=30))] == ["job"]
    assert [e.id for e in timeline.near_onset(after=timedelta(days=90))] == ["death", "job", "fear"]
    assert Timeline().near_onset() == ()
    assert EventKind.JOB_LOSS.category.value == "life_change"


def test_sample_case_is_deterministic_and_complete() -> None:
    first = sample_case()
    assert first == sample_case()
    assert first != sample_case(seed=1)
    assert len(first.sessions) == 16
    assert len(first.inventory.people) == 12
    for record in first.sessions:
        assert [len(m.answers) for m in record.measures] == [9, 7]
        assert all(isinstance(a, int) for m in record.measures for a in m.answers)
    with pytest.raises(ValueError, match="sessions"):
        sample_case(sessions=-1)
