"""NHS Talking Therapies outcomes, one golden case per outcome (measures-and-progress.md §6).

Thresholds: caseness PHQ-9 ≥10, GAD-7 ≥8 (§6.2 [S]); reliable change PHQ-9 ≥6, GAD-7 ≥4 (§6.3 [V]);
finished treatment = at least 2 attended sessions (§6.3 [V]).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipt_core.errors import ProblemCode, ValidationError
from ipt_core.progress import (
    TalkingTherapiesOutcome,
    TalkingTherapiesSettings,
    talking_therapies_outcome,
)


def tt(p1: int, g1: int, p2: int, g2: int, attended: int = 6) -> TalkingTherapiesOutcome:
    return talking_therapies_outcome(
        {"phq9": p1, "gad7": g1}, {"phq9": p2, "gad7": g2}, attended_sessions=attended
    )


def test_reliable_recovery() -> None:
    # §6.3 [V] NHSE-TT SQL: reliable recovery = reliable improvement AND recovery.
    out = tt(16, 12, 5, 3)
    assert out.caseness_at_start
    assert out.finished_treatment
    assert out.recovered
    assert out.reliably_improved
    assert out.reliably_recovered
    assert not out.reliably_deteriorated
    assert not out.no_reliable_change


def test_recovered_without_reliable_improvement() -> None:
    # §6.3 [V] RCPsych: a case at the start and not at the end (both below threshold);
    # PHQ-9 10 -> 9 (fall 1 < 6), GAD-7 8 -> 7 (fall 1 < 4).
    out = tt(10, 8, 9, 7)
    assert out.recovered
    assert not out.reliably_improved
    assert not out.reliably_recovered
    assert out.no_reliable_change


def test_still_a_case_on_one_measure_is_not_recovery() -> None:
    # §6.3 [V] PORT-R: recovery needs below cut-off on BOTH measures at the end.
    out = tt(20, 12, 8, 8)  # GAD-7 still 8 (≥ 8)
    assert not out.recovered
    assert out.reliably_improved  # PHQ-9 fell 12, GAD-7 rose by 0


def test_gad7_caseness_is_8_not_the_moderate_band() -> None:
    # §2.2 / §6.2: GAD-7 caseness 8, distinct from the moderate band's 10.
    assert tt(4, 8, 4, 3).caseness_at_start
    assert not tt(9, 7, 4, 3).caseness_at_start
    assert tt(10, 0, 0, 0).caseness_at_start


def test_reliable_improvement_needs_no_reliable_rise() -> None:
    # §6.3 [S] PORT-R: improved on at least one measure and did not reliably deteriorate.
    out = tt(18, 5, 10, 9)  # PHQ-9 fell 8 (reliable), GAD-7 rose 4 (reliable)
    assert not out.reliably_improved
    assert out.reliably_deteriorated
    assert not out.no_reliable_change


def test_reliable_deterioration() -> None:
    # §6.3 [S] PORT-R: either measure rises by its reliable-change value (PHQ-9 +6).
    out = tt(8, 5, 14, 5)
    assert out.reliably_deteriorated
    assert not out.reliably_improved
    assert not out.caseness_at_start


def test_thresholds_are_inclusive_at_the_reliable_change_value() -> None:
    # §6.3 [V] PORT-R: `<= -6` (PHQ-9) and `<= -4` (GAD-7) are reliable.
    assert tt(15, 3, 9, 3).reliably_improved
    assert not tt(15, 3, 10, 3).reliably_improved
    assert tt(3, 12, 3, 8).reliably_improved
    assert not tt(3, 12, 3, 9).reliably_improved


def test_no_reliable_change() -> None:
    # §6.3 [V] NHSE-TT NoChange_Flag: neither reliable improvement nor deterioration.
    out = tt(15, 10, 12, 8)
    assert out.no_reliable_change
    assert not out.recovered


def test_not_finished_with_fewer_than_two_sessions() -> None:
    # §6.3 [V] Fingertips glossary; NHSE-TT TreatmentCareContact_Count >= 2.
    out = tt(16, 12, 5, 3, attended=1)
    assert out.caseness_at_start
    assert not out.finished_treatment
    assert not out.recovered
    assert not out.reliably_improved
    assert not out.reliably_recovered
    assert not out.no_reliable_change
    assert tt(16, 12, 5, 3, attended=2).finished_treatment


def test_settings_change_the_thresholds() -> None:
    # §11.4: some literature uses a GAD-7 reliable change of 5; §6.3 [U] deterioration variant.
    five = TalkingTherapiesSettings(gad7_reliable_change=5)
    assert not talking_therapies_outcome(
        {"phq9": 3, "gad7": 12}, {"phq9": 3, "gad7": 8}, attended_sessions=3, settings=five
    ).reliably_improved
    strict = TalkingTherapiesSettings(deterioration_requires_no_improvement=True)
    out = talking_therapies_outcome(
        {"phq9": 18, "gad7": 5}, {"phq9": 10, "gad7": 9}, attended_sessions=3, settings=strict
    )
    assert not out.reliably_deteriorated


def test_bad_input() -> None:
    with pytest.raises(ValidationError) as exc:
        talking_therapies_outcome(
            {"phq9": 28, "gad7": True},
            {"phq9": 3},
            attended_sessions=-1,
        )
    assert {(p.path, p.code) for p in exc.value.problems} == {
        ("$.first.phq9", ProblemCode.OUT_OF_RANGE),
        ("$.first.gad7", ProblemCode.WRONG_TYPE),
        ("$.last.gad7", ProblemCode.MISSING),
        ("$.attended_sessions", ProblemCode.OUT_OF_RANGE),
    }


phq = st.integers(0, 27)
gad = st.integers(0, 21)


@settings(max_examples=100)
@given(phq, gad, phq, gad, st.integers(0, 20))
def test_outcomes_are_consistent(p1: int, g1: int, p2: int, g2: int, n: int) -> None:
    out = tt(p1, g1, p2, g2, n)
    assert out.reliably_recovered == (out.reliably_improved and out.recovered)
    assert not (out.reliably_improved and out.reliably_deteriorated)
    if out.finished_treatment:
        assert out.no_reliable_change == (not out.reliably_improved and not out.reliably_deteriorated)
    if out.recovered:
        assert out.caseness_at_start


def test_a_reliable_change_of_zero_is_refused_not_read_as_deterioration_of_every_unchanged_client() -> None:
    # A service types its thresholds in by hand and leaves the PHQ-9 reliable change at 0: a client
    # whose scores did not move (PHQ-9 12 -> 12) would be counted as reliably deteriorated.
    with pytest.raises(ValidationError) as exc:
        TalkingTherapiesSettings(phq9_reliable_change=0)
    problems = [(p.path, p.code) for p in exc.value.problems]
    assert problems == [("$.phq9_reliable_change", ProblemCode.OUT_OF_RANGE)]


_LIMITS = {
    "phq9_caseness": (1, 27),
    "gad7_caseness": (1, 21),
    "phq9_reliable_change": (1, 27),
    "gad7_reliable_change": (1, 21),
    "min_attended_sessions": (1, 1000),
    "treatment_from_session": (0, 1000),
}


@settings(max_examples=200)
@given(
    st.sampled_from(sorted(_LIMITS)),
    st.integers(-50, 1100) | st.booleans() | st.floats(allow_nan=True) | st.text(max_size=3) | st.none(),
)
def test_every_threshold_is_a_whole_number_in_its_range(name: str, value: object) -> None:
    """A threshold in range is kept; anything else is refused at its path, never used."""
    low, high = _LIMITS[name]
    setting: dict[str, Any] = {name: value}
    if type(value) is int and low <= value <= high:
        assert getattr(TalkingTherapiesSettings(**setting), name) == value
        return
    with pytest.raises(ValidationError) as exc:
        TalkingTherapiesSettings(**setting)
    assert [p.path for p in exc.value.problems] == [f"$.{name}"]


@pytest.mark.parametrize("name", ["deterioration_requires_no_improvement", "requires_ended"])
def test_the_switches_are_true_or_false(name: str) -> None:
    setting: dict[str, Any] = {name: "no"}
    with pytest.raises(ValidationError) as exc:
        TalkingTherapiesSettings(**setting)
    assert [(p.path, p.code) for p in exc.value.problems] == [(f"$.{name}", ProblemCode.WRONG_TYPE)]
