"""Jacobson & Truax 1991 reliable change and clinical significance (measures-and-progress.md §7)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipt_core.errors import ProblemCode, ValidationError
from ipt_core.progress import clinical_significance_cutoffs, reliable_change


def test_jacobson_truax_formula() -> None:
    # §7 [V]: SE = SD sqrt(1 - r); S_diff = sqrt(2 SE²); RCI = (post - pre) / S_diff.
    # PHQ-9 with SD 5.5 and r .84 (§7: "r = .84 gives RC ≈ 6.1", consistent with IAPT's 6).
    result = reliable_change(20, 13, sd=5.5, reliability=0.84)
    s_diff = math.sqrt(2) * 5.5 * 0.4
    assert result.s_diff == pytest.approx(s_diff)
    assert result.rci == pytest.approx(-7 / s_diff)
    assert result.reliable
    assert result.threshold == pytest.approx(6.1, abs=0.01)


def test_change_below_the_threshold_is_not_reliable() -> None:
    # 6 points with RC ≈ 6.098: |RCI| = 1.928 < 1.96.
    result = reliable_change(20, 14, sd=5.5, reliability=0.84)
    assert result.rci == pytest.approx(-1.9284, abs=1e-4)
    assert not result.reliable


def test_gad7_example_from_the_reference() -> None:
    # §7: GAD-7 with SD ≈ 5 and r = .92 gives RC ≈ 3.9 (≈ IAPT's 4).
    assert reliable_change(0, 4, sd=5, reliability=0.92).threshold == pytest.approx(3.92, abs=0.01)


def test_cutoffs_a_b_c() -> None:
    # §7 [V] clinsig: a = M_dys - 2 SD_dys; b = M_func + 2 SD_func;
    # c = (SD_dys M_func + SD_func M_dys) / (SD_dys + SD_func).
    cut = clinical_significance_cutoffs(
        dysfunctional_mean=18, dysfunctional_sd=5, functional_mean=4, functional_sd=3
    )
    assert cut.a == 8
    assert cut.b == 10
    assert cut.c == pytest.approx((5 * 4 + 3 * 18) / 8)
    # The JT-RCI gist's variant of criterion a uses 1.96 SD.
    gist = clinical_significance_cutoffs(
        dysfunctional_mean=18, dysfunctional_sd=5, functional_mean=4, functional_sd=3, sds=1.96
    )
    assert gist.a == pytest.approx(8.2)


@pytest.mark.parametrize(
    ("kwargs", "path", "code"),
    [
        ({"sd": 0, "reliability": 0.8}, "$.sd", ProblemCode.OUT_OF_RANGE),
        ({"sd": 5, "reliability": 1.0}, "$.reliability", ProblemCode.OUT_OF_RANGE),
        ({"sd": 5, "reliability": -0.1}, "$.reliability", ProblemCode.OUT_OF_RANGE),
        ({"sd": True, "reliability": 0.8}, "$.sd", ProblemCode.WRONG_TYPE),
        ({"sd": math.nan, "reliability": 0.8}, "$.sd", ProblemCode.WRONG_TYPE),
    ],
)
def test_bad_parameters(kwargs: dict[str, float], path: str, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        reliable_change(10, 5, **kwargs)
    assert [(p.path, p.code) for p in exc.value.problems] == [(path, code)]


scores = st.integers(0, 100) | st.floats(0, 100, allow_nan=False)


@settings(max_examples=100)
@given(scores, scores, st.floats(0.1, 20), st.floats(0, 0.99))
def test_reliable_change_is_antisymmetric(pre: float, post: float, sd: float, r: float) -> None:
    forward = reliable_change(pre, post, sd=sd, reliability=r)
    backward = reliable_change(post, pre, sd=sd, reliability=r)
    assert forward.rci == -backward.rci
    assert forward.reliable == backward.reliable
    assert reliable_change(pre, pre, sd=sd, reliability=r).rci == 0
