"""A clinician's review of the risk flags read from measures (Simon 2013; Rossom 2017; Louzon 2016;
Hamilton 1960): every positive suicide item is flagged, a missing or declined one is "risk not
assessed", and a service's own cut-offs grade the flags alike wherever they are read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _measures_helpers import make_case
from ipt_core.domain.risk import (
    RiskCode,
    RiskGrade,
    RiskSettings,
    hamd_item3_flags,
    open_risk_flags,
    phq2_flags,
    phq9_item9_flags,
    risk_flags,
    session_risk_flags,
)
from ipt_core.domain.sessions import Missing
from ipt_core.errors import ProblemCode, ValidationError
from ipt_core.measures import ScoringPolicy, score


def _settings(**given: Any) -> RiskSettings:
    return RiskSettings(**given)


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("phq9_item9_high_from", 0, ProblemCode.OUT_OF_RANGE),
        ("phq9_item9_high_from", 4, ProblemCode.OUT_OF_RANGE),
        ("phq9_item9_high_from", "2", ProblemCode.WRONG_TYPE),
        ("phq9_item9_high_from", True, ProblemCode.WRONG_TYPE),
        ("hamd_item3_flag_from", 5, ProblemCode.OUT_OF_RANGE),
        ("hamd_item3_flag_from", 2, ProblemCode.OUT_OF_RANGE),
        ("hamd_item3_high_from", 2.0, ProblemCode.WRONG_TYPE),
        ("phq2_positive_from", 7, ProblemCode.OUT_OF_RANGE),
        ("phq2_positive_from", None, ProblemCode.WRONG_TYPE),
    ],
)
def test_a_risk_cut_off_out_of_range_is_a_validation_error_with_its_path(
    name: str, value: object, code: str
) -> None:
    # Every other setting of the library is refused with a path and a code; the risk cut-offs raised
    # a bare ValueError. ValidationError is a ValueError, so callers catching that still do.
    with pytest.raises(ValidationError) as exc:
        _settings(**{name: value})
    assert (exc.value.problems[0].path, exc.value.problems[0].code) == (f"$.{name}", code)


@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 4))
def test_a_positive_hamd_item_3_is_always_flagged(item3: int, high_from: int, cut_off: int) -> None:
    # Hamilton 1960: 1 "feels life is not worth living" ... 4 "attempts at suicide"; as any positive
    # PHQ-9 item 9 (Louzon 2016 [V]), every rating above "absent" raises a flag, whatever the
    # service's grading; no setting can silence it (a flag cut-off above 1 is refused).
    settings = RiskSettings(hamd_item3_high_from=high_from)
    flags = score("hamd17", [0, 0, item3] + [0] * 14, risk_settings=settings).risk_flags
    level = RiskGrade.HIGH if item3 >= high_from else RiskGrade.ELEVATED
    assert [(f.code, f.level) for f in flags] == [(RiskCode.HAMD_SUICIDE, level)]
    if cut_off > 1:
        with pytest.raises(ValidationError):
            RiskSettings(hamd_item3_flag_from=cut_off)


def test_score_grades_item_9_by_the_service_s_cut_off() -> None:
    # A service that treats any item-9 answer as high risk (RiskSettings(phq9_item9_high_from=1))
    # sees the same grade from score() as from the case's flags.
    service = RiskSettings(phq9_item9_high_from=1)
    answers = [0] * 8 + [1]
    result = score("phq9", answers, risk_settings=service)
    assert [(f.code, f.level) for f in result.risk_flags] == [(RiskCode.PHQ9_ITEM9, RiskGrade.HIGH)]
    case_flags = risk_flags(make_case([{"phq9": answers}]), settings=service)
    assert [(f.code, f.level) for f in case_flags] == [(RiskCode.PHQ9_ITEM9, RiskGrade.HIGH)]
    # The default is unchanged: "several days" is elevated.
    assert score("phq9", answers).risk_flags[0].level is RiskGrade.ELEVATED


def test_score_reads_hamd_item_3_and_phq2_by_the_service_s_cut_offs() -> None:
    strict = RiskSettings(hamd_item3_high_from=2, phq2_positive_from=2)
    hamd = [0, 0, 2] + [0] * 14
    assert score("hamd17", hamd, risk_settings=strict).risk_flags[0].level is RiskGrade.HIGH
    assert score("hamd17", hamd).risk_flags[0].level is RiskGrade.ELEVATED
    # Arroll 2010 [V]: a PHQ-2 of 2 is positive at the cut-off of 2, with no suicide item asked.
    assert score("phq2", [1, 1]).risk_flags == ()
    flagged = score("phq2", [1, 1], risk_settings=strict).risk_flags
    assert [f.code for f in flagged] == [RiskCode.RISK_NOT_ASSESSED]


def test_score_refuses_risk_settings_that_are_not_risk_settings() -> None:
    with pytest.raises(ValidationError) as exc:
        score("phq9", [0] * 9, risk_settings={"phq9_item9_high_from": 1})  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in exc.value.problems] == [("$.risk_settings", ProblemCode.WRONG_TYPE)]


@given(
    st.lists(st.integers(0, 3) | st.sampled_from([None, *Missing]), min_size=9, max_size=9),
    st.integers(1, 3),
    st.booleans(),
)
def test_a_positive_or_unanswered_item_9_is_never_silent(
    answers: list[object], high_from: int, prorate: bool
) -> None:
    """Whatever the other answers, proration or cut-off: item 9 above 0 raises its flag, graded by
    the cut-off; item 9 missing, skipped, declined or unknown raises "risk not assessed"."""
    settings = RiskSettings(phq9_item9_high_from=high_from)
    result = score("phq9", answers, policy=ScoringPolicy(prorate=prorate), risk_settings=settings)
    item9 = answers[8]
    codes = [(f.code, f.level) for f in result.risk_flags]
    if type(item9) is int and item9 > 0:
        level = RiskGrade.HIGH if item9 >= high_from else RiskGrade.ELEVATED
        assert codes == [(RiskCode.PHQ9_ITEM9, level)]
    elif type(item9) is int:
        assert codes == []
    else:
        assert codes == [(RiskCode.RISK_NOT_ASSESSED, RiskGrade.UNKNOWN)]
        assert result.total is None  # never prorated over item 9


@pytest.mark.parametrize("settings", ["x", {"phq9_item9_high_from": 1}, 2])
def test_every_risk_function_refuses_settings_that_are_not_risk_settings(settings: Any) -> None:
    # Before, an AttributeError from inside; a service's misconfiguration is told at $.settings.
    case = make_case([{"phq9": [0] * 8 + [2]}])
    calls: list[Callable[[], object]] = [
        lambda: risk_flags(case, settings=settings),
        lambda: open_risk_flags(case, settings=settings),
        lambda: session_risk_flags(case.sessions[0], settings=settings),
        lambda: phq9_item9_flags(2, settings=settings),
        lambda: hamd_item3_flags(2, settings=settings),
        lambda: phq2_flags([2, 2], settings=settings),
    ]
    for call in calls:
        with pytest.raises(ValidationError) as exc:
            call()
        assert [(p.path, p.code) for p in exc.value.problems] == [("$.settings", ProblemCode.WRONG_TYPE)]


def test_risk_settings_none_means_the_published_defaults() -> None:
    case = make_case([{"phq9": [0] * 8 + [1]}])
    assert risk_flags(case, settings=None) == risk_flags(case)
    assert phq9_item9_flags(1, settings=None) == phq9_item9_flags(1)
