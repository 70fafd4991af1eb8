"""Risk flags: PHQ-9 item 9 above 0 always flags, graded by value; missing means not assessed.

Source: measures-and-progress.md §1.3 and §10.3 [V] (Simon 2013; Rossom 2017; Louzon 2016).
"""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _measures_helpers import answers_for, make_case
from ipt_core.domain.risk import RiskCode, RiskFlag, RiskGrade, risk_flags
from ipt_core.domain.sessions import Missing
from ipt_core.errors import ValidationError
from ipt_core.measures import ScoringPolicy, score


@pytest.mark.parametrize(
    ("item9", "level"),
    [(1, RiskGrade.ELEVATED), (2, RiskGrade.HIGH), (3, RiskGrade.HIGH)],
)
def test_item9_flag_graded_by_value_even_with_a_low_total(item9: int, level: RiskGrade) -> None:
    result = score("phq9", [0] * 8 + [item9])
    assert result.total == item9
    assert result.band == "minimal"
    assert result.risk_flags == (RiskFlag(RiskCode.PHQ9_ITEM9, level, "phq9", "phq9_9"),)


def test_item9_zero_raises_no_flag() -> None:
    assert score("phq9", [3] * 8 + [0]).risk_flags == ()


@pytest.mark.parametrize("marker", [None, Missing.SKIPPED, Missing.DECLINED, Missing.UNKNOWN])
def test_item9_missing_means_risk_not_assessed(marker: object) -> None:
    result = score("phq9", [0] * 8 + [marker], policy=ScoringPolicy(prorate=True))
    assert [(f.code, f.level) for f in result.risk_flags] == [(RiskCode.RISK_NOT_ASSESSED, RiskGrade.UNKNOWN)]
    assert result.total is None  # never prorated over item 9


@settings(max_examples=100)
@given(
    st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=8, max_size=8),
    st.integers(1, 3),
    st.booleans(),
)
def test_item9_above_zero_always_flags(others: list[int | None], item9: int, prorate: bool) -> None:
    result = score("phq9", [*others, item9], policy=ScoringPolicy(prorate=prorate))
    assert any(f.code == RiskCode.PHQ9_ITEM9 for f in result.risk_flags)


def test_case_flags_carry_their_session() -> None:
    case = make_case(
        [
            {"phq9": answers_for("phq9", 14)},
            {"phq9": [*answers_for("phq9", 10, skip=(8,))[:8], 2], "gad7": answers_for("gad7", 9)},
            {"phq9": [1] * 8 + [Missing.DECLINED]},
            {"phq9": [0] * 8 + [1]},
        ]
    )
    flags = risk_flags(case)
    assert [(f.session, f.code, f.level) for f in flags] == [
        (2, RiskCode.PHQ9_ITEM9, RiskGrade.HIGH),
        (3, RiskCode.RISK_NOT_ASSESSED, RiskGrade.UNKNOWN),
        (4, RiskCode.PHQ9_ITEM9, RiskGrade.ELEVATED),
    ]


def test_an_unusable_record_never_hides_risk() -> None:
    # A short or out-of-range PHQ-9 record cannot be part of a case at all, so it cannot hide a
    # flag; a record whose item 9 is missing is "risk not assessed".
    for answers in ([0] * 5, [0] * 8 + [7]):
        with pytest.raises(ValidationError):
            make_case([{"phq9": answers}])
    case = make_case([{"phq9": [0] * 8 + [None]}])
    assert [(f.session, f.code) for f in risk_flags(case)] == [(1, RiskCode.RISK_NOT_ASSESSED)]


@pytest.mark.parametrize(
    ("answers", "flagged"),
    [((2, 1), True), ((3, 3), True), ((1, 1), False), ((0, 0), False), ((0, Missing.SKIPPED), True)],
)
def test_scoring_a_positive_phq2_says_risk_was_not_assessed(
    answers: tuple[int | Missing | None, ...], flagged: bool
) -> None:
    """A PHQ-2 has no suicide item: scored on its own (a screening app, ``ipt-core score``), a
    positive screen, or one a missing answer could make positive, says that risk was not assessed,
    as the same answers do in a session of a case (§1.7; Kroenke 2003 cut-off 3)."""
    expected = [(RiskCode.RISK_NOT_ASSESSED, RiskGrade.UNKNOWN, "phq2", "phq9_9")] if flagged else []
    result = score("phq2", list(answers))
    assert [(f.code, f.level, f.instrument, f.item) for f in result.risk_flags] == expected
    case = make_case([{"phq2": list(answers)}])
    assert [(f.code, f.level, f.instrument, f.item) for f in risk_flags(case)] == expected


@given(st.lists(st.one_of(st.none(), st.sampled_from(Missing), st.integers(0, 3)), min_size=2, max_size=2))
def test_scoring_a_phq2_flags_exactly_as_a_session_does(answers: list[int | Missing | None]) -> None:
    case = make_case([{"phq2": answers}])
    assert [attrs.evolve(f, session=None) for f in risk_flags(case)] == list(
        score("phq2", answers).risk_flags
    )
