"""A date known only to the year is not "around the onset".

IPT chooses the area most closely tied in time to the onset (S1; S5). A date the client can give
only as a year may fall anywhere in it: the tie places it at the middle of its year, as it places
any approximate date that does not overlap the onset, and says it is in the same year as the onset
rather than "around the onset", which a firmly dated event nearer the onset outranks.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ipt_core import (
    Case,
    EventKind,
    FuzzyDate,
    InterpersonalInventory,
    LifeEvent,
    Person,
    RelationshipCategory,
    Timeline,
    TreatmentContract,
    suggest_problem_areas,
)
from ipt_core.domain.problem_areas import AreaKind
from ipt_core.domain.timeline import OnsetWindow


def _case(events: tuple[LifeEvent, ...], onset: FuzzyDate) -> Case:
    people = (Person(id="sam", alias="Sam", category=RelationshipCategory.PARTNER, supportive=True),)
    return Case(
        id="nicola",
        contract=TreatmentContract(protocol_id="standard", start=date(2025, 4, 7), planned_sessions=16),
        inventory=InterpersonalInventory(people=people),
        timeline=Timeline(events=events, onset=onset),
    )


def test_a_job_loss_known_only_to_the_year_does_not_outrank_a_dispute_dated_near_the_onset() -> None:
    """Nicola's low mood began in November 2024. The arguments with Sam began on 15 September;
    she lost a previous job "some time in 2024", she cannot say when. The dispute is the area tied
    most closely to the onset; the job loss counts, but is not "around the onset"."""
    dispute = LifeEvent(
        id="arguments", kind=EventKind.DISPUTE_START, when=FuzzyDate(2024, 9, 15), people=("sam",)
    )
    job = LifeEvent(id="job", kind=EventKind.JOB_LOSS, when=FuzzyDate(2024))
    found = suggest_problem_areas(_case((job, dispute), FuzzyDate(2024, 11)))
    assert [s.kind for s in found] == [AreaKind.ROLE_DISPUTE, AreaKind.ROLE_TRANSITION]
    (transition,) = [s for s in found if s.kind is AreaKind.ROLE_TRANSITION]
    assert transition.reason == "a job loss in the same year as the onset"
    assert found[0].reason == "the start of a dispute 2 months before onset"


def test_an_onset_known_only_to_the_year_is_not_around_every_event_of_that_year() -> None:
    """The onset is recorded as "2024" only: a death in March 2024 is in the same year as the onset,
    not around it."""
    death = LifeEvent(id="death", kind=EventKind.DEATH, when=FuzzyDate(2024, 3, 2), people=())
    (grief,) = [
        s for s in suggest_problem_areas(_case((death,), FuzzyDate(2024))) if s.kind is AreaKind.GRIEF
    ]
    assert grief.reason == "a death in the same year as the onset"


def test_a_month_is_still_around_an_onset_in_that_month() -> None:
    dispute = LifeEvent(id="d", kind=EventKind.DISPUTE_START, when=FuzzyDate(2024, 12), people=("sam",))
    (found, *_) = suggest_problem_areas(_case((dispute,), FuzzyDate(2024, 12, 10)))
    assert found.reason == "the start of a dispute around the onset"


_DAY = date(2024, 6, 30)


@st.composite
def _fuzzy(draw: st.DrawFn) -> FuzzyDate:
    day = _DAY + timedelta(days=draw(st.integers(-800, 800)))
    precision = draw(st.sampled_from(("day", "month", "year")))
    if precision == "day":
        return FuzzyDate.of(day)
    return FuzzyDate(day.year, day.month if precision == "month" else None)


@given(_fuzzy(), st.booleans(), st.integers(-40, 40))
def test_moving_the_onset_by_a_day_moves_the_tie_by_about_a_day(
    when: FuzzyDate, at_end: bool, offset: int
) -> None:
    """The tie has no cliff at the edge of an approximate date: an onset one day later moves an
    event's distance by at most a month (the span within which two dates count as the same days),
    never by half a year as an onset crossing into the next year did."""
    window = OnsetWindow()
    onset = (when.latest if at_end else when.earliest) + timedelta(days=offset)
    today_tie = window.tie(when, FuzzyDate.of(onset))
    next_tie = window.tie(when, FuzzyDate.of(onset + timedelta(days=1)))
    assert abs(next_tie.days - today_tie.days) <= 31
