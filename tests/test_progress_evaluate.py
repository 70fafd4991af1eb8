"""evaluate(case, today=...): trajectories, response, remission, early non-improvement, reliable
deterioration and the exit suggestion at termination (measures-and-progress.md §4, §8, §10;
ipt-clinical-model.md §7.1)."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _measures_helpers import answers_for, make_case
from ipt_core.domain.course import ExitOutcome, Phase, PhaseChange, TerminationReview
from ipt_core.domain.risk import RiskCode
from ipt_core.errors import ProblemCode, ValidationError
from ipt_core.progress import ProgressPolicy, evaluate

FAR = date(2030, 1, 1)


def course(phq9: list[int], gad7: list[int] | None = None):  # type: ignore[no-untyped-def]
    sessions = []
    for i, total in enumerate(phq9):
        measures = {"phq9": answers_for("phq9", total, skip=(8,))}
        if gad7 is not None:
            measures["gad7"] = answers_for("gad7", gad7[i])
        sessions.append(measures)
    return make_case(sessions)


def test_trajectory_change_and_response() -> None:
    report = evaluate(course([18, 16, 12, 9, 8]), today=FAR)
    phq9 = report.instruments["phq9"]
    assert [p.total for p in phq9.points] == [18, 16, 12, 9, 8]
    assert phq9.points[0].band == "moderately_severe"
    assert phq9.change == -10
    assert phq9.fall == pytest.approx(10 / 18)
    assert phq9.response  # §8 [V]: ≥50% fall
    assert not phq9.remission  # §8 [V]: < 5
    assert phq9.early_nonimprovement is False  # fall 50% by session 4


def test_response_boundary_is_50_percent() -> None:
    assert evaluate(course([20, 10]), today=FAR).instruments["phq9"].response
    assert not evaluate(course([20, 11]), today=FAR).instruments["phq9"].response


def test_phq9_remission_below_5() -> None:
    # §8 [V]: remission is PHQ-9 < 5 (Coley; CMS159).
    assert evaluate(course([15, 4]), today=FAR).instruments["phq9"].remission
    assert not evaluate(course([15, 5]), today=FAR).instruments["phq9"].remission


def test_hamd_remission_at_most_7_optionally_sustained() -> None:
    # §4 [V]: HRSD-17 ≤ 7; Reynolds 2010: three consecutive ratings ≤ 7.
    ratings = [{"hamd17": answers_for("hamd17", t)} for t in (22, 9, 7, 6)]
    case = make_case(ratings)
    assert evaluate(case, today=FAR).instruments["hamd17"].remission
    sustained = ProgressPolicy(remission_sustained=3)
    assert not evaluate(case, today=FAR, policy=sustained).instruments["hamd17"].remission
    more = make_case([*ratings, {"hamd17": answers_for("hamd17", 5)}])
    assert evaluate(more, today=FAR, policy=sustained).instruments["hamd17"].remission


def test_early_nonimprovement_by_session_4() -> None:
    # §10.2 [V] Kudlow 2014: < 20% fall at 2-4 weeks; configurable session.
    slow = evaluate(course([20, 19, 18, 17, 12]), today=FAR).instruments["phq9"]
    assert slow.early_nonimprovement  # 15% by session 4
    fast = evaluate(course([20, 19, 18, 16]), today=FAR).instruments["phq9"]
    assert fast.early_nonimprovement is False  # exactly 20%
    early = evaluate(course([20, 19, 18]), today=FAR).instruments["phq9"]
    assert early.early_nonimprovement is None  # session 4 not reached
    at3 = ProgressPolicy(early_session=3)
    assert evaluate(course([20, 19, 18]), today=FAR, policy=at3).instruments["phq9"].early_nonimprovement


def test_reliable_deterioration_at_any_point() -> None:
    # §6.3 [V] / §10.2: any reliable rise (PHQ-9 ≥ 6) at any session.
    report = evaluate(course([10, 16, 9, 8]), today=FAR)
    assert report.instruments["phq9"].reliable_deterioration_sessions == (2,)
    assert report.reliably_deteriorated
    assert not evaluate(course([10, 15, 9]), today=FAR).reliably_deteriorated


def test_today_leaves_out_later_sessions() -> None:
    case = course([18, 12, 6])
    report = evaluate(case, today=case.sessions[1].date)
    assert [p.session for p in report.instruments["phq9"].points] == [1, 2]
    assert report.as_of == case.sessions[1].date
    assert report.attended_sessions == 2


def test_talking_therapies_outcome_in_the_report() -> None:
    ongoing = course([16, 12, 5], [12, 9, 3])
    report = evaluate(ongoing, today=FAR)
    assert report.talking_therapies is not None
    assert not report.ended
    assert not report.talking_therapies.finished_treatment  # a course under way has not finished
    ended = attrs.evolve(ongoing, outcome=ExitOutcome.COMPLETED)
    report = evaluate(ended, today=FAR)
    assert report.talking_therapies is not None
    assert report.talking_therapies.reliably_recovered
    assert evaluate(course([16, 5]), today=FAR).talking_therapies is None


def test_risk_flags_and_missing_answers_in_the_report() -> None:
    case = make_case([{"phq9": [1] * 8 + [2]}, {"phq9": [1] * 8 + [None]}])
    report = evaluate(case, today=FAR)
    assert [(f.session, f.code) for f in report.risk_flags] == [
        (1, RiskCode.PHQ9_ITEM9),
        (2, RiskCode.RISK_NOT_ASSESSED),
    ]
    points = report.instruments["phq9"].points
    assert points[1].total is None  # never prorated over item 9
    assert not points[1].complete


def test_invalid_answers_in_a_case_have_their_path() -> None:
    # The case itself refuses answers that do not fit a known instrument, so evaluate never meets one.
    with pytest.raises(ValidationError) as exc:
        make_case([{"phq9": [0] * 9}, {"gad7": [0] * 6 + [9]}])
    assert [(p.path, p.code) for p in exc.value.problems] == [
        ("$.sessions[1].measures[0].answers[6]", ProblemCode.OUT_OF_RANGE)
    ]


def test_unknown_instruments_are_left_aside() -> None:
    case = make_case([{"phq9": [0] * 9, "pcl5": [1, 2, 3]}])
    assert evaluate(case, today=FAR).unscored_instruments == ("pcl5",)


def test_ipos_ratings_by_position() -> None:
    case = make_case([{"phq9": [0] * 9}, {"ipos": [4]}])
    report = evaluate(case, today=FAR)
    assert [(r.area, r.rating, r.session) for r in report.focal_areas] == [(None, 4, 2)]


def _terminating(phq9: list[int], *, maintenance: bool | None = None):  # type: ignore[no-untyped-def]
    case = course(phq9)
    case = attrs.evolve(case, phase_history=(PhaseChange(phase=Phase.TERMINATION, on=date(2024, 3, 1)),))
    if maintenance is not None:
        case = attrs.evolve(case, termination=TerminationReview(maintenance_accepted=maintenance))
    return case


@pytest.mark.parametrize(
    ("phq9", "maintenance", "outcome", "reasons"),
    [
        # ipt-clinical-model.md §7.1 [V] (Weissman S3 p.25):
        ([18, 10, 4], None, ExitOutcome.COMPLETED, ("remission",)),  # remitted
        (
            [18, 10, 4],
            True,
            ExitOutcome.MAINTENANCE_CONTRACT,
            ("remission", "maintenance_accepted"),
        ),
        ([18, 12, 9], None, ExitOutcome.CONTINUATION_CONTRACT, ("response_without_remission",)),
        (
            [20, 16, 13],
            None,
            ExitOutcome.CONTINUATION_CONTRACT,
            ("reliable_improvement_without_remission",),
        ),
        ([18, 17, 16], None, ExitOutcome.ALTERNATIVE_TREATMENT, ("no_significant_improvement",)),
        (
            [10, 17, 16],
            None,
            ExitOutcome.ALTERNATIVE_TREATMENT,
            ("no_significant_improvement", "reliable_deterioration"),
        ),
    ],
)
def test_exit_suggestion_at_termination(
    phq9: list[int], maintenance: bool | None, outcome: ExitOutcome, reasons: tuple[str, ...]
) -> None:
    report = evaluate(_terminating(phq9, maintenance=maintenance), today=FAR)
    assert report.exit_suggestion is not None
    assert report.exit_suggestion.outcome is outcome
    assert report.exit_suggestion.reasons == reasons
    assert report.exit_suggestion.instrument == "phq9"


def test_no_exit_suggestion_before_termination_or_without_measures() -> None:
    assert evaluate(course([18, 4]), today=FAR).exit_suggestion is None
    lone = evaluate(_terminating([18]), today=FAR).exit_suggestion
    assert lone is not None
    assert lone.outcome is None
    assert lone.reasons == ("no_outcome_measure",)


def test_termination_planned_for_a_later_day_does_not_suggest_an_exit_yet() -> None:
    # The therapist records on 20 Feb that the termination phase starts at the session of 1 Mar.
    case = _terminating([18, 10, 4])
    before = evaluate(case, today=date(2024, 2, 20))
    assert case.phase is Phase.TERMINATION
    assert case.phase_on(date(2024, 2, 20)) is not Phase.TERMINATION
    assert before.exit_suggestion is None
    on_the_day = evaluate(case, today=date(2024, 3, 1))
    assert on_the_day.exit_suggestion is not None
    assert on_the_day.exit_suggestion.outcome is ExitOutcome.COMPLETED


@given(st.dates(min_value=date(2023, 12, 1), max_value=date(2024, 6, 1)))
def test_exit_suggestion_follows_the_phase_on_the_day(today: date) -> None:
    case = _terminating([18, 12, 9])
    report = evaluate(case, today=today)
    assert (report.exit_suggestion is not None) == (case.phase_on(today) is Phase.TERMINATION)
    assert (case.phase_on(today) is Phase.TERMINATION) == (today >= date(2024, 3, 1))


def test_maintenance_accepted_at_a_later_review_does_not_count_before_that_day() -> None:
    # A remitted client in her termination phase (from 1 Mar); on 15 Mar the therapist records the
    # termination review, in which she accepts maintenance. Read as of 8 Mar, nothing was decided.
    case = attrs.evolve(
        _terminating([18, 10, 4]),
        termination=TerminationReview(maintenance_accepted=True, on=date(2024, 3, 15)),
    )
    before = evaluate(case, today=date(2024, 3, 8)).exit_suggestion
    assert before is not None
    assert (before.outcome, before.reasons) == (ExitOutcome.COMPLETED, ("remission",))
    on_the_day = evaluate(case, today=date(2024, 3, 15)).exit_suggestion
    assert on_the_day is not None
    assert on_the_day.outcome is ExitOutcome.MAINTENANCE_CONTRACT


@given(
    st.dates(min_value=date(2024, 3, 1), max_value=date(2024, 6, 1)),
    st.dates(date(2024, 1, 1), date(2024, 6, 1)),
)
def test_the_exit_suggestion_reads_the_review_as_of_the_day(today: date, reviewed: date) -> None:
    case = attrs.evolve(
        _terminating([18, 10, 4]), termination=TerminationReview(maintenance_accepted=True, on=reviewed)
    )
    suggestion = evaluate(case, today=today).exit_suggestion
    assert suggestion is not None
    maintenance = ExitOutcome.MAINTENANCE_CONTRACT if reviewed <= today else ExitOutcome.COMPLETED
    assert suggestion.outcome is maintenance


def test_a_reliable_change_below_one_is_refused_not_flagged_at_every_session() -> None:
    # A service writes the PHQ-9 reliable change as the fall it looks for, -6: every rating would be a
    # reliable deterioration. A misspelt instrument would leave the PHQ-9 with no value at all.
    with pytest.raises(ValidationError) as exc:
        ProgressPolicy(reliable_change={"phq9": -6, "gad7": 4})
    problems = [(p.path, p.code) for p in exc.value.problems]
    assert problems == [("$.reliable_change.phq9", ProblemCode.OUT_OF_RANGE)]
    misspelt: dict[str, Any] = {"reliable_change": {"PHQ-9": 6, "gad7": 4}, "remission_max": {"hamd17": "7"}}
    with pytest.raises(ValidationError) as exc:
        ProgressPolicy(**misspelt)
    assert [(p.path, p.code) for p in exc.value.problems] == [
        ("$.remission_max.hamd17", ProblemCode.WRONG_TYPE),
        ("$.reliable_change", ProblemCode.UNKNOWN_KEY),
    ]


@given(
    st.sampled_from(["remission_max", "reliable_change"]),
    st.sampled_from(["phq9", "gad7", "hamd17"]),
    st.integers(-5, 30) | st.booleans() | st.floats(allow_nan=True) | st.text(max_size=2) | st.none(),
)
def test_every_threshold_of_a_policy_is_a_number_in_range(name: str, instrument: str, value: object) -> None:
    """A remission maximum is 0 or more, a reliable change above 0, each at most the measure's
    highest total (PHQ-9 27, GAD-7 21, HAM-D-17 52); anything else is refused at its path, never used."""
    low_ok = 0 if name == "remission_max" else 1
    high_ok = {"phq9": 27, "gad7": 21, "hamd17": 52}[instrument]
    setting: dict[str, Any] = {name: {instrument: value}}
    if type(value) is int and low_ok <= value <= high_ok:
        assert getattr(ProgressPolicy(**setting), name) == {instrument: value}
        return
    with pytest.raises(ValidationError) as exc:
        ProgressPolicy(**setting)
    assert [p.path for p in exc.value.problems] == [f"$.{name}.{instrument}"]


def test_a_low_score_at_intake_alone_is_not_remission() -> None:
    # Remission is judged at follow-up (Coley et al.; CMS159): one PHQ-9 of 3 at assessment says
    # nothing yet about remitting.
    assert evaluate(course([3]), today=FAR).instruments["phq9"].remission is None
    assert evaluate(course([12, 3]), today=FAR).instruments["phq9"].remission is True
    assert evaluate(course([12, 3, 12]), today=FAR).instruments["phq9"].remission is False
    # A baseline below CMS159's index score (a PHQ-9 above 9) is not judged at all.
    assert evaluate(course([3, 12]), today=FAR).instruments["phq9"].remission is None


@given(st.lists(st.integers(0, 24), min_size=1, max_size=6), st.integers(1, 3))  # item 9 kept at 0
def test_remission_needs_follow_up_ratings_at_or_below_the_maximum(totals: list[int], sustained: int) -> None:
    policy = ProgressPolicy(remission_sustained=sustained)
    got = evaluate(course(totals), today=FAR, policy=policy).instruments["phq9"].remission
    follow = totals[1:]
    if not follow or totals[0] < 10:  # judged from an index score only (CMS159; Coley et al.)
        assert got is None
    else:
        assert got == (len(follow) >= sustained and all(t <= 4 for t in follow[-sustained:]))


@pytest.mark.parametrize("name", ["response_fall", "early_fall", "remission_sustained", "early_session"])
@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("half", ProblemCode.WRONG_TYPE),
        (True, ProblemCode.WRONG_TYPE),
        (None, ProblemCode.WRONG_TYPE),
        (0, ProblemCode.OUT_OF_RANGE),
        (-2, ProblemCode.OUT_OF_RANGE),
    ],
)
def test_a_number_setting_of_the_wrong_type_is_told_apart_from_one_out_of_range(
    name: str, value: object, code: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        ProgressPolicy(**{name: value})  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in exc.value.problems] == [(f"$.{name}", code)]
