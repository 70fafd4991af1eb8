"""A psychometrician's review of scoring against the published sources, and of the settings a
service may send (each refused at its path with a code, never used the wrong way)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipt_core.errors import ProblemCode, ValidationError
from ipt_core.measures import INSTRUMENTS, Band, BandTable, ScoringPolicy, get_instrument, score, score_record


def _policy(**settings: Any) -> ScoringPolicy:
    """A scoring policy from settings as a caller may send them (of any type)."""
    return ScoringPolicy(**settings)


def _refused(**settings: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as exc:
        _policy(**settings)
    return [(p.path, p.code) for p in exc.value.problems]


# --- the scoring policy's own settings -------------------------------------------------------------


@pytest.mark.parametrize("value", ["2", 2.0, True, None, [2]])
def test_max_missing_of_the_wrong_type_is_wrong_type_not_out_of_range(value: object) -> None:
    assert _refused(max_missing={"phq9": value}) == [("$.max_missing.phq9", ProblemCode.WRONG_TYPE)]


def test_max_missing_below_0_is_out_of_range() -> None:
    assert _refused(max_missing={"phq9": -1}) == [("$.max_missing.phq9", ProblemCode.OUT_OF_RANGE)]


@pytest.mark.parametrize("value", ["yes", 1, None, "false"])
def test_prorate_is_true_or_false(value: object) -> None:
    # "false" would switch proration on: a truthy text is not a choice.
    assert _refused(prorate=value) == [("$.prorate", ProblemCode.WRONG_TYPE)]


@pytest.mark.parametrize("value", ["x", {"minimal": 0}, 3, None])
def test_a_band_table_that_is_not_one_is_refused_when_the_policy_is_made(value: object) -> None:
    # Before, it was taken and scoring failed later with an AttributeError.
    assert _refused(bands={"phq9": value}) == [("$.bands.phq9", ProblemCode.WRONG_TYPE)]


@pytest.mark.parametrize("name", ["max_missing", "bands"])
@pytest.mark.parametrize("value", [None, [1], "phq9", 2])
def test_a_setting_that_is_not_a_map_is_wrong_type(name: str, value: object) -> None:
    assert _refused(**{name: value}) == [(f"$.{name}", ProblemCode.WRONG_TYPE)]


# --- rounding -------------------------------------------------------------------------------------


def test_a_mean_is_rounded_half_up_to_2_decimals() -> None:
    # MSPSS, Zimet 1988 [V]: the total is the item mean. Eight answers averaging 5.125 (41/8) give
    # 5.13, as a clinician rounds (half up), not 5.12 (binary floating point rounding half to even).
    answers = [5, 5, 5, 5, 6, 5, 5, 5, None, None, None, None]
    policy = ScoringPolicy(prorate=True, max_missing={"mspss": 4})
    assert score("mspss", answers, policy=policy).total == 5.13
    assert score("mspss", [5, 5, 5, 5, 6, 5, 5, 5, 5, 5, 5, 6]).total == 5.17  # 62/12 = 5.1666...


@given(st.lists(st.integers(1, 7), min_size=4, max_size=12))
def test_every_mean_is_rounded_half_up(present: list[int]) -> None:
    from decimal import ROUND_HALF_UP, Decimal

    answers: list[int | None] = [*present, *[None] * (12 - len(present))]
    policy = ScoringPolicy(prorate=True, max_missing={"mspss": 8})
    exact = Decimal(sum(present)) / Decimal(len(present))
    expected = float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    assert score("mspss", answers, policy=policy).total == expected


@pytest.mark.parametrize(
    ("rounding", "total"),
    [("half_up", 15), ("half_even", 15), ("down", 14), ("up", 15)],
)
def test_the_prorated_total_rounding_is_a_setting(rounding: str, total: int) -> None:
    # NHS Data Dictionary (PHQ-9) [V]: one or two missing answers "can be substituted with the average
    # score of the non-missing items"; no source says how the total is then rounded, so it is a
    # setting (default half up). Eight answers summing to 13: 13 + 13/8 = 14.625.
    answers = [2, 2, 2, 2, 2, 1, 1, None, 1]
    policy = ScoringPolicy(prorate=True, proration_rounding=rounding)
    result = score("phq9", answers, policy=policy)
    assert (result.total, result.prorated) == (total, True)


def test_half_up_and_half_even_differ_on_a_tie() -> None:
    # GAD-7, six answers summing to 9: 9 x 7 / 6 = 10.5, a tie. Half up: 11; half even: 10.
    answers = [2, 2, 2, 1, 1, 1, None]
    assert score("gad7", answers, policy=ScoringPolicy(prorate=True)).total == 11
    even = ScoringPolicy(prorate=True, proration_rounding="half_even")
    assert score("gad7", answers, policy=even).total == 10


@pytest.mark.parametrize("value", ["nearest", 0.5, None, True])
def test_an_unknown_rounding_is_refused(value: object) -> None:
    assert _refused(proration_rounding=value)[0][0] == "$.proration_rounding"


# --- the published items ---------------------------------------------------------------------------


def test_hamd17_item_ranges_follow_hamilton_1960() -> None:
    # CamCOPS hamd.py [V] (Hamilton 1960; Guy 1976): items 4-6, 12-14, 16 (3 = not assessed) and 17
    # are 0-2; the others 0-4; total 0-52.
    narrow = {4, 5, 6, 12, 13, 14, 16, 17}
    for item in get_instrument("hamd17").items:
        top = 3 if item.number == 16 else (2 if item.number in narrow else 4)
        assert (item.minimum, item.maximum) == (0, top), item.id
    assert score("hamd17", [4, 4, 4, 2, 2, 2, 4, 4, 4, 4, 4, 2, 2, 2, 4, 2, 2]).range == (0, 52)


def test_every_instrument_s_published_shape() -> None:
    # (scored items, item range, total range): Kroenke 2001; Spitzer 2006; Mundt 2002 (0-8 x 5);
    # Zimet 1988 (1-7 x 12, mean); Hughes 2004 (1-3 x 3).
    shapes = {
        "phq9": (9, (0, 3), (0, 27)),
        "phq2": (2, (0, 3), (0, 6)),
        "gad7": (7, (0, 3), (0, 21)),
        "gad2": (2, (0, 3), (0, 6)),
        "wsas": (5, (0, 8), (0, 40)),
        "mspss": (12, (1, 7), (1.0, 7.0)),
        "ucla3": (3, (1, 3), (3, 9)),
    }
    for key, (count, (low, high), total) in shapes.items():
        instrument = INSTRUMENTS[key]
        assert len(instrument.scored_items) == count, key
        assert {(i.minimum, i.maximum) for i in instrument.scored_items} == {(low, high)}, key
        lowest = [low] * count
        assert score(key, lowest).range == total, key


def test_band_tables_replace_by_a_valid_table() -> None:
    # Arroll 2010 [V]: a PHQ-2 cut-off of 2 as a service's own table.
    arroll = BandTable((Band("negative", Fraction(0)), Band("positive", Fraction(2))), source="Arroll 2010")
    policy = _policy(bands={"phq2": arroll})
    assert policy.bands == {"phq2": arroll}
    assert score("phq2", [1, 1], policy=policy).band == "positive"


# --- proration stays within the published range ---------------------------------------------------


def test_a_prorated_hamd17_never_exceeds_52() -> None:
    # HAM-D-17 items are 0-4 and 0-2 (Hamilton 1960; total 0-52, CamCOPS [V]). With every item at its
    # top and one 0-2 item missing, "mean x 17" gave 50/16 x 17 = 53.1, so 53: above the maximum.
    # Prorating by the share of the answered items' maxima gives 50 x 52/50 = 52.
    answers: list[object] = [4, 4, 4, 2, 2, None, 4, 4, 4, 4, 4, 2, 2, 2, 4, 2, 2]
    policy = ScoringPolicy(prorate=True, max_missing={"hamd17": 1})
    result = score("hamd17", answers, policy=policy)
    assert (result.total, result.prorated, result.band) == (52, True, "very_severe")


@given(st.data())
def test_every_prorated_total_lies_within_the_instrument_s_range(data: st.DataObject) -> None:
    key = data.draw(
        st.sampled_from([k for k, i in INSTRUMENTS.items() if i.scored_items and i.bands is not None])
    )
    instrument = INSTRUMENTS[key]
    items = instrument.items
    answers: list[object] = [data.draw(st.integers(i.minimum, i.maximum) | st.none()) for i in items]
    if key == "hamd17" and answers[15] == 3:
        answers[15] = 2  # 3 is "not assessed", left out of the range
    rounding = data.draw(st.sampled_from(["half_up", "half_even", "up", "down"]))
    policy = ScoringPolicy(
        prorate=True, max_missing={key: len(instrument.scored_items) - 1}, proration_rounding=rounding
    )
    try:
        result = score(key, answers, policy=policy)
    except ValidationError:
        return
    if result.total is None or result.range is None:
        return
    low, high = result.range
    assert low <= result.total <= high
    if instrument.aggregation.value == "sum" and all(
        a is not None for a in answers[: len(instrument.scored_items)]
    ):
        assert not result.prorated


# --- a service's own band table --------------------------------------------------------------------


def _table_problems(make: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as exc:
        make()
    return [(p.path, p.code) for p in exc.value.problems]


def test_a_band_table_with_no_band_is_refused_with_a_path() -> None:
    assert _table_problems(lambda: BandTable((), source="x")) == [("$.bands", ProblemCode.TOO_SHORT)]


def test_band_minima_must_strictly_increase() -> None:
    bands = (Band("a", Fraction(0)), Band("b", Fraction(5)), Band("c", Fraction(5)))
    assert _table_problems(lambda: BandTable(bands, source="x")) == [
        ("$.bands[2].minimum", ProblemCode.ORDER)
    ]


def test_band_ids_are_distinct() -> None:
    bands = (Band("mild", Fraction(0)), Band("mild", Fraction(5)))
    assert _table_problems(lambda: BandTable(bands, source="x")) == [
        ("$.bands[1].id", ProblemCode.DUPLICATE_ID)
    ]


@pytest.mark.parametrize("minimum", [2.5, "3", None, True])
def test_a_band_minimum_is_a_whole_number_or_a_fraction(minimum: object) -> None:
    # A float minimum (5.1) is not the number written (5.0999...); a text one failed only when a total
    # was banded, with a TypeError.
    assert _table_problems(lambda: Band("x", minimum)) == [("$.minimum", ProblemCode.WRONG_TYPE)]


def test_a_band_minimum_may_be_a_whole_number() -> None:
    table = BandTable((Band("negative", 0), Band("positive", 2)), source="Arroll 2010")
    assert score("phq2", [1, 1], policy=ScoringPolicy(bands={"phq2": table})).band == "positive"


@pytest.mark.parametrize("bands", [[Band("a", Fraction(0))], ("a", "b"), None])
def test_bands_are_a_tuple_of_bands(bands: object) -> None:
    problems = _table_problems(lambda: BandTable(bands, source="x"))  # type: ignore[arg-type]
    assert problems
    assert problems[0][1] == ProblemCode.WRONG_TYPE


@pytest.mark.parametrize("record", [{"instrument": "phq9", "answers": [0] * 9}, "phq9", None])
def test_score_record_says_what_to_pass(record: object) -> None:
    # Before, an AttributeError from inside; now a TypeError naming the type given (never the value),
    # as evaluate does for a case.
    with pytest.raises(TypeError, match="InstrumentAnswers") as exc:
        score_record(record)  # type: ignore[arg-type]
    assert "phq9" not in str(exc.value)
