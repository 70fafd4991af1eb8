"""A clinician's review of the progress rules against their published sources.

Each test names the source of its expected value (reference/measures-and-progress.md sections and
the docs' bibliography). Vignettes are written as a therapist would record the case.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _measures_helpers import answers_for, make_case
from ipt_core.domain.course import ExitOutcome, Phase, PhaseChange
from ipt_core.errors import ProblemCode, ValidationError
from ipt_core.measures import get_instrument
from ipt_core.progress import (
    ProgressPolicy,
    clinical_significance_cutoffs,
    evaluate,
    reliable_change,
    talking_therapies_outcome,
)

FAR = date(2030, 1, 1)


def _policy(**settings: Any) -> ProgressPolicy:
    """A policy from settings as a caller may send them (of any type)."""
    return ProgressPolicy(**settings)


def phq9_course(totals: list[int]):  # type: ignore[no-untyped-def]
    return make_case([{"phq9": answers_for("phq9", t, skip=(8,))} for t in totals])


# --- response and remission are judged from an index score (CMS159; Coley et al.) -------------


def test_a_mild_baseline_that_stays_mild_is_not_remission() -> None:
    # CMS159 [V]: the measure's index event is "the first instance of elevated PHQ-9 ... greater
    # than nine"; Coley et al. [V] judge response and remission in episodes with a baseline PHQ-9
    # of 10 or more. A client who starts at 7 (mild) and is at 4 later has not "remitted" from a
    # depressive episode the PHQ-9 never showed: neither remission nor response is judged.
    phq9 = evaluate(phq9_course([7, 6, 4]), today=FAR).instruments["phq9"]
    assert phq9.remission is None
    assert phq9.response is None
    assert phq9.fall == pytest.approx(3 / 7)  # the change itself is still reported


def test_an_index_score_of_10_is_judged() -> None:
    # CMS159: "greater than nine"; Coley: "baseline PHQ-9 >= 10" [V]: 10 is the first index score.
    phq9 = evaluate(phq9_course([10, 4]), today=FAR).instruments["phq9"]
    assert phq9.remission is True
    assert phq9.response is True
    below = evaluate(phq9_course([9, 4]), today=FAR).instruments["phq9"]
    assert (below.remission, below.response) == (None, None)


def test_the_index_minimum_is_a_setting() -> None:
    # A service that judges remission for every baseline, as the library did before, says so.
    policy = ProgressPolicy(index_min={})
    phq9 = evaluate(phq9_course([7, 4]), today=FAR, policy=policy).instruments["phq9"]
    assert phq9.remission is True
    with pytest.raises(ValidationError) as exc:
        ProgressPolicy(index_min={"phq9": 28})
    assert [(p.path, p.code) for p in exc.value.problems] == [("$.index_min.phq9", ProblemCode.OUT_OF_RANGE)]


@given(st.lists(st.integers(0, 24), min_size=2, max_size=6))  # item 9 kept at 0
def test_remission_and_response_are_judged_only_from_an_index_baseline(totals: list[int]) -> None:
    phq9 = evaluate(phq9_course(totals), today=FAR).instruments["phq9"]
    if totals[0] < 10:
        assert (phq9.remission, phq9.response) == (None, None)
    else:
        assert phq9.remission == (totals[-1] <= 4)
        assert phq9.response == ((totals[0] - totals[-1]) / totals[0] >= 0.5)


def test_exit_suggestion_for_a_baseline_below_the_index_suggests_nothing() -> None:
    # Not remission, but not "no significant improvement" either: the PHQ-9 never showed the
    # episode, so the measures cannot suggest an exit (the clinician decides).
    case = attrs.evolve(
        phq9_course([8, 6, 3]),
        phase_history=(PhaseChange(phase=Phase.TERMINATION, on=date(2024, 1, 15)),),
    )
    suggestion = evaluate(case, today=FAR).exit_suggestion
    assert suggestion is not None
    assert suggestion.outcome is None
    assert suggestion.reasons == ("baseline_below_index",)
    assert suggestion.instrument == "phq9"
    # A remitted client from an index score still completes.
    remitted = attrs.evolve(case, sessions=phq9_course([14, 8, 3]).sessions)
    done = evaluate(remitted, today=FAR).exit_suggestion
    assert done is not None
    assert done.outcome is ExitOutcome.COMPLETED


# --- the direction of a measure ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["response_instruments", "early_instruments", "primary_instruments"])
@pytest.mark.parametrize("instrument", ["mspss", "srm5", "ipos"])
def test_rules_of_a_fall_refuse_measures_where_higher_is_better_or_with_no_total(
    name: str, instrument: str
) -> None:
    # Zimet 1988 [V]: a higher MSPSS mean is more perceived support, so a 50% "fall" is a loss, not
    # a response. SRM-5 and IPOS have no total. Each is refused rather than read the wrong way.
    with pytest.raises(ValidationError) as exc:
        _policy(**{name: ("phq9", instrument)})
    assert [(p.path, p.code) for p in exc.value.problems] == [(f"$.{name}[1]", ProblemCode.NOT_ALLOWED)]


@pytest.mark.parametrize("name", ["remission_max", "reliable_change", "index_min", "early_falls"])
@pytest.mark.parametrize("instrument", ["mspss", "srm5", "ipos"])
def test_thresholds_refuse_measures_where_higher_is_better_or_with_no_total(
    name: str, instrument: str
) -> None:
    value: object = 0.3 if name == "early_falls" else 3
    with pytest.raises(ValidationError) as exc:
        _policy(**{name: {instrument: value}})
    assert [(p.path, p.code) for p in exc.value.problems] == [
        (f"$.{name}.{instrument}", ProblemCode.NOT_ALLOWED)
    ]


def test_mspss_is_marked_higher_is_better() -> None:
    # Zimet 1988 [V]: higher = more perceived support. Every other total: higher = worse.
    assert get_instrument("mspss").higher_is_better
    for other in ("phq9", "phq2", "gad7", "gad2", "wsas", "hamd17", "ucla3"):
        assert not get_instrument(other).higher_is_better, other


# --- thresholds within the measure's range ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "instrument", "value"),
    [
        ("remission_max", "phq9", 28),  # PHQ-9 0-27
        ("remission_max", "hamd17", 53),  # HAM-D-17 0-52
        ("reliable_change", "gad7", 22),  # GAD-7 0-21
        ("reliable_change", "phq9", 28),
    ],
)
def test_a_threshold_beyond_the_measure_s_range_is_refused(name: str, instrument: str, value: int) -> None:
    # A remission maximum of 28 on the PHQ-9 (0-27) would call every rating remission; a reliable
    # change of 22 on the GAD-7 (0-21) could never be met: both are mistakes, refused at their path.
    with pytest.raises(ValidationError) as exc:
        _policy(**{name: {instrument: value}})
    assert [(p.path, p.code) for p in exc.value.problems] == [
        (f"$.{name}.{instrument}", ProblemCode.OUT_OF_RANGE)
    ]


@pytest.mark.parametrize("name", ["remission_max", "reliable_change", "index_min", "early_falls", "scoring"])
@pytest.mark.parametrize("value", [None, 4, "phq9", [("phq9", 4)]])
def test_a_setting_that_is_not_a_map_is_wrong_type(name: str, value: object) -> None:
    with pytest.raises(ValidationError) as exc:
        _policy(**{name: value})
    assert [(p.path, p.code) for p in exc.value.problems] == [(f"$.{name}", ProblemCode.WRONG_TYPE)]


# --- early non-improvement: one threshold per instrument (Kudlow 2014; Gilaberte 2013) -----------


def test_early_fall_can_differ_by_instrument() -> None:
    # Kudlow 2014 [V]: < 20% at 2-4 weeks; Gilaberte 2013 [V]: < 30% on the HAM-D-17 at week 4.
    # A 25% HAM-D fall by session 4 is early improvement by the first and not by the second.
    ratings = [{"hamd17": answers_for("hamd17", t)} for t in (20, 19, 17, 15)]
    case = make_case(ratings)
    assert evaluate(case, today=FAR).instruments["hamd17"].early_nonimprovement is False
    gilaberte = ProgressPolicy(early_falls={"hamd17": 0.3})
    assert evaluate(case, today=FAR, policy=gilaberte).instruments["hamd17"].early_nonimprovement is True
    # The PHQ-9 keeps the default of 20%.
    phq9 = evaluate(phq9_course([20, 19, 18, 15]), today=FAR, policy=gilaberte).instruments["phq9"]
    assert phq9.early_nonimprovement is False


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (0, ProblemCode.OUT_OF_RANGE),
        (1.5, ProblemCode.OUT_OF_RANGE),
        ("30%", ProblemCode.WRONG_TYPE),
        (True, ProblemCode.WRONG_TYPE),
    ],
)
def test_an_early_fall_is_a_fraction_above_0_up_to_1(value: object, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        ProgressPolicy(early_falls={"hamd17": value})
    assert [(p.path, p.code) for p in exc.value.problems] == [("$.early_falls.hamd17", code)]


def test_policy_settings_round_through_attrs_evolve() -> None:
    policy = ProgressPolicy(early_falls={"hamd17": 0.3}, index_min={"phq9": 10, "hamd17": 14})
    again: Any = attrs.evolve(policy)
    assert again == policy


# --- the functions' own inputs ---------------------------------------------------------------------


@pytest.mark.parametrize("ended", ["no", "false", 1, None])
def test_talking_therapies_ended_is_true_or_false(ended: object) -> None:
    # "no" read as true counted a course still under way as a finished course of treatment.
    with pytest.raises(ValidationError) as exc:
        talking_therapies_outcome(
            {"phq9": 16, "gad7": 12},
            {"phq9": 5, "gad7": 3},
            attended_sessions=6,
            ended=ended,  # type: ignore[arg-type]
        )
    assert [(p.path, p.code) for p in exc.value.problems] == [("$.ended", ProblemCode.WRONG_TYPE)]


def test_talking_therapies_settings_must_be_settings() -> None:
    with pytest.raises(ValidationError) as exc:
        talking_therapies_outcome(
            {"phq9": 16, "gad7": 12},
            {"phq9": 5, "gad7": 3},
            attended_sessions=6,
            settings={"phq9_caseness": 10},  # type: ignore[arg-type]
        )
    assert [(p.path, p.code) for p in exc.value.problems] == [("$.settings", ProblemCode.WRONG_TYPE)]


def test_reliable_change_with_an_sd_too_small_to_divide_by_is_refused() -> None:
    # A subnormal SD makes S_diff 0: a ZeroDivisionError before; now refused at $.sd.
    with pytest.raises(ValidationError) as exc:
        reliable_change(10, 4, sd=1e-320, reliability=0.5)
    assert [(p.path, p.code) for p in exc.value.problems] == [("$.sd", ProblemCode.OUT_OF_RANGE)]


@given(
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=0, exclude_min=True, allow_infinity=False),
    st.floats(min_value=0, max_value=1, exclude_max=True),
)
def test_reliable_change_is_finite_or_refused(pre: float, post: float, sd: float, r: float) -> None:
    """Any finite input gives finite numbers, or a ValidationError: never inf, nan or a crash."""
    try:
        rc = reliable_change(pre, post, sd=sd, reliability=r)
    except ValidationError:
        return
    assert all(math.isfinite(v) for v in (rc.change, rc.s_diff, rc.rci, rc.threshold))


@given(
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=0, exclude_min=True, allow_infinity=False),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=0, exclude_min=True, allow_infinity=False),
)
def test_clinical_significance_cutoffs_are_finite_or_refused(
    m_dys: float, s_dys: float, m_fun: float, s_fun: float
) -> None:
    try:
        cut = clinical_significance_cutoffs(
            dysfunctional_mean=m_dys, dysfunctional_sd=s_dys, functional_mean=m_fun, functional_sd=s_fun
        )
    except ValidationError:
        return
    assert all(math.isfinite(v) for v in (cut.a, cut.b, cut.c))


@pytest.mark.parametrize("policy", ["x", {}, ProgressPolicy])
def test_evaluate_refuses_a_policy_that_is_not_one(policy: object) -> None:
    # As measures.score does for its policy: before, an AttributeError from deep inside.
    with pytest.raises(ValidationError) as exc:
        evaluate(phq9_course([15, 6]), today=FAR, policy=policy)  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in exc.value.problems] == [("$.policy", ProblemCode.WRONG_TYPE)]


def test_cut_offs_refuse_a_functional_mean_above_the_dysfunctional_one() -> None:
    # Jacobson & Truax's a, b and c are for a measure where lower is better: the functional (norm)
    # population scores below the dysfunctional one. Means given the other way round (a PHQ-9
    # norm of 15 and a clinical mean of 3) gave a "recovered" cut-off above the clinical mean.
    with pytest.raises(ValidationError) as exc:
        clinical_significance_cutoffs(
            dysfunctional_mean=3, dysfunctional_sd=3, functional_mean=15, functional_sd=5
        )
    assert [(p.path, p.code) for p in exc.value.problems] == [("$.functional_mean", ProblemCode.INCONSISTENT)]


def test_exit_suggestion_reads_the_hamd_when_the_phq9_began_below_its_index() -> None:
    # Mr D's self-report PHQ-9 began at 8 (below CMS159's index), but his psychiatrist rated him 20 on
    # the HAM-D-17 (severe): the HAM-D, the next primary measure, shows the episode and its remission
    # (<= 7, Reynolds 2010 [V]), so the suggestion is read from it, not withheld.
    sessions = [
        {"phq9": answers_for("phq9", p, skip=(8,)), "hamd17": answers_for("hamd17", h, skip=(2,))}
        for p, h in ((8, 20), (6, 12), (3, 6))
    ]
    case = attrs.evolve(
        make_case(sessions), phase_history=(PhaseChange(phase=Phase.TERMINATION, on=date(2024, 1, 15)),)
    )
    suggestion = evaluate(case, today=FAR).exit_suggestion
    assert suggestion is not None
    assert (suggestion.outcome, suggestion.reasons, suggestion.instrument) == (
        ExitOutcome.COMPLETED,
        ("remission",),
        "hamd17",
    )
