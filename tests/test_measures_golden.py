"""Golden tests: every band boundary of every instrument, each citing its source.

Sources are the sections of ``reference/measures-and-progress.md`` (evidence tag in brackets).
Each row is (total, expected band); the totals sit on both sides of every boundary.
"""

from __future__ import annotations

import pytest

from _measures_helpers import answers_for
from ipt_core.errors import ValidationError
from ipt_core.measures import INSTRUMENTS, ScoringPolicy, get_instrument, score

# §1.2 [V] Kroenke, Spitzer & Williams 2001: 5, 10, 15, 20 = mild, moderate, moderately severe,
# severe; total 0-27 (CamCOPS MAX_SCORE_MAIN = 3 * 9).
PHQ9_GOLDEN = [
    (0, "minimal"),
    (4, "minimal"),
    (5, "mild"),
    (9, "mild"),
    (10, "moderate"),
    (14, "moderate"),
    (15, "moderately_severe"),
    (19, "moderately_severe"),
    (20, "severe"),
    (27, "severe"),
]
# §2.2 [V] Spitzer 2006 / Kroenke 2007: 5, 10, 15 = mild, moderate, severe; total 0-21.
GAD7_GOLDEN = [
    (0, "minimal"),
    (4, "minimal"),
    (5, "mild"),
    (9, "mild"),
    (10, "moderate"),
    (14, "moderate"),
    (15, "severe"),
    (21, "severe"),
]
# §1.7 PHQ-2 cut-off ≥3 (Kroenke 2003 [S]); total 0-6.
PHQ2_GOLDEN = [(0, "negative"), (2, "negative"), (3, "positive"), (6, "positive")]
# §2.4 GAD-2 cut-off ≥3 [S]; total 0-6.
GAD2_GOLDEN = [(0, "negative"), (2, "negative"), (3, "positive"), (6, "positive")]
# §3 Mundt et al. 2002 [S; exact boundaries U]: <10 subclinical, 10-20 significant, >20 worse.
WSAS_GOLDEN = [
    (0, "subclinical"),
    (9, "subclinical"),
    (10, "significant"),
    (20, "significant"),
    (21, "moderately_severe_or_worse"),
    (40, "moderately_severe_or_worse"),
]
# §4 [V] CamCOPS hamd.py: ≥23 very severe, ≥19 severe, ≥14 moderate, ≥8 mild; total 0-52.
HAMD17_GOLDEN = [
    (0, "none"),
    (7, "none"),
    (8, "mild"),
    (13, "mild"),
    (14, "moderate"),
    (18, "moderate"),
    (19, "severe"),
    (22, "severe"),
    (23, "very_severe"),
    (52, "very_severe"),
]
# §5.2 [S] UCLA-3: 3-5 not lonely, 6-9 lonely; total 3-9.
UCLA3_GOLDEN = [(3, "not_lonely"), (5, "not_lonely"), (6, "lonely"), (9, "lonely")]

GOLDEN = [
    pytest.param(instrument, total, band, id=f"{instrument}-{total}-{band}")
    for instrument, table in (
        ("phq9", PHQ9_GOLDEN),
        ("gad7", GAD7_GOLDEN),
        ("phq2", PHQ2_GOLDEN),
        ("gad2", GAD2_GOLDEN),
        ("wsas", WSAS_GOLDEN),
        ("hamd17", HAMD17_GOLDEN),
        ("ucla3", UCLA3_GOLDEN),
    )
    for total, band in table
]


@pytest.mark.parametrize(("instrument", "total", "band"), GOLDEN)
def test_band_boundaries(instrument: str, total: int, band: str) -> None:
    result = score(instrument, answers_for(instrument, total))
    assert result.total == total
    assert result.band == band
    assert result.complete
    assert not result.prorated


def test_every_banded_instrument_has_golden_rows_for_every_band() -> None:
    tables = {
        "phq9": PHQ9_GOLDEN,
        "gad7": GAD7_GOLDEN,
        "phq2": PHQ2_GOLDEN,
        "gad2": GAD2_GOLDEN,
        "wsas": WSAS_GOLDEN,
        "hamd17": HAMD17_GOLDEN,
        "ucla3": UCLA3_GOLDEN,
    }
    for instrument in INSTRUMENTS.values():
        if instrument.bands is None or instrument.id == "mspss":
            continue
        golden_bands = {band for _, band in tables[instrument.id]}
        assert golden_bands == set(instrument.bands.ids), instrument.id


def test_phq9_nearly_every_day_weighs_3_not_4() -> None:
    # §1.1 [V]: 3 = "Nearly every day" (the published error weighted it 4); maximum 27.
    assert score("phq9", [3] * 9).total == 27
    with pytest.raises(ValidationError, match="out_of_range"):
        score("phq9", [4] + [0] * 8)


# §5.1 [V] MSPSS: item means; subscales SO 1, 2, 5, 10; Family 3, 4, 8, 11; Friends 6, 7, 9, 12.
# Bands [U]: 1-2.9 low, 3-5 moderate, 5.1-7 high (a mean between 5 and 5.1 is banded moderate).
@pytest.mark.parametrize(
    ("item_sum", "mean", "band"),
    [
        (12, 1.0, "low"),
        (35, 2.92, "low"),
        (36, 3.0, "moderate"),
        (60, 5.0, "moderate"),
        (61, 5.08, "moderate"),
        (62, 5.17, "high"),
        (84, 7.0, "high"),
    ],
    ids=str,
)
def test_mspss_bands_on_the_mean(item_sum: int, mean: float, band: str) -> None:
    answers = answers_for("mspss", item_sum)
    result = score("mspss", answers)
    assert result.total == mean
    assert result.band == band


def test_mspss_subscales_follow_zimet_1988_items() -> None:
    # §5.1 [V]: significant other 1, 2, 5, 10; family 3, 4, 8, 11; friends 6, 7, 9, 12.
    answers = [7, 7, 1, 1, 7, 4, 4, 1, 4, 7, 1, 4]
    result = score("mspss", answers)
    assert result.subscales == {"significant_other": 7.0, "family": 1.0, "friends": 4.0}
    assert result.total == 4.0


def test_wsas_retired_drops_item_1_and_max_is_32() -> None:
    # §3 [V]: CamCOPS MAX_IF_RETIRED = 8 * (5 - 1).
    result = score("wsas", [None, 8, 8, 8, 8], options=["retired"])
    assert result.total == 32
    assert result.complete
    assert result.range == (0, 32)
    assert score("wsas", [8] * 5).range == (0, 40)
    # Without the option, a missing item 1 leaves the WSAS unscored.
    assert score("wsas", [None, 8, 8, 8, 8]).total is None


def test_hamd_item_16_not_assessed_is_not_scored() -> None:
    # §4 [V]: item 16 value 3 ("not assessed") is not scored (Guy 1976, via CamCOPS).
    answers = answers_for("hamd17", 10)
    answers[15] = 3
    result = score("hamd17", answers)
    assert result.total == 10
    assert result.not_assessed == ("hamd17_16",)
    answers[15] = 2
    assert score("hamd17", answers, options=["item16_b"]).total == 12


def test_hamd_item_ranges_make_52() -> None:
    # §4 [V]: 17 scored items, total 0-52, mixed ranges 0-4 and 0-2.
    hamd = get_instrument("hamd17")
    assert len(hamd.items) == 17
    assert score("hamd17", answers_for("hamd17", 52)).range == (0, 52)
    assert {i.maximum for i in hamd.items if i.id != "hamd17_16"} == {2, 4}
    assert hamd.clinician_rated


def test_phq9_difficulty_item_is_not_scored() -> None:
    # §1.4 [V]: item 10 is not added to the total.
    assert score("phq9", [*answers_for("phq9", 12), 3]).total == 12


def test_srm5_is_recorded_not_scored() -> None:
    # §5.3: the SRM scoring rule is [U]: times are recorded (minutes after midnight), no total.
    result = score("srm5", [7 * 60, 8 * 60, 9 * 60, 19 * 60, 23 * 60])
    assert result.total is None
    assert result.band is None
    assert result.complete
    assert result.answers["srm5_5"] == 23 * 60


def test_ipos_one_rating_per_focal_area() -> None:
    # §5.4 [V]: a 5-point scale per focal problem area (Markowitz et al. 2006).
    one = score("ipos", [4])
    assert one.total is None
    assert one.complete
    assert one.answers == {"ipos_1": 4, "ipos_2": None}
    assert score("ipos", [4, 5]).answers == {"ipos_1": 4, "ipos_2": 5}


@pytest.mark.parametrize(
    ("instrument", "codes"),
    [
        # §1.1 [V]: HL7-PHR phq9, MII-PRO; item 9 is 44260-8 (not 44258-2).
        (
            "phq9",
            [
                "44250-9",
                "44255-8",
                "44259-0",
                "44254-1",
                "44251-7",
                "44258-2",
                "44252-5",
                "44253-3",
                "44260-8",
            ],
        ),
        # §2.1 [V]: HL7-PHR GAD-7 linkIds; they do not run in sequence.
        ("gad7", ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]),
    ],
)
def test_item_loinc_codes(instrument: str, codes: list[str]) -> None:
    assert [i.loinc for i in get_instrument(instrument).scored_items] == codes


@pytest.mark.parametrize(
    ("instrument", "panel", "total"),
    [
        ("phq9", "44249-1", "44261-6"),  # §9.1 [V]
        ("phq2", "55757-9", "55758-7"),  # §1.7 [V]/[S]: 55757-9 is the panel, not the total
        ("gad7", "69737-5", "70274-6"),  # §2.1 [V]
    ],
)
def test_panel_and_total_loinc(instrument: str, panel: str, total: str) -> None:
    found = get_instrument(instrument)
    assert (found.panel_loinc, found.total_loinc) == (panel, total)


def test_every_instrument_has_an_attribution_and_a_source() -> None:
    assert set(INSTRUMENTS) == {
        "phq9",
        "phq2",
        "gad7",
        "gad2",
        "wsas",
        "hamd17",
        "mspss",
        "ucla3",
        "srm5",
        "ipos",
    }
    for instrument in INSTRUMENTS.values():
        assert instrument.attribution
        assert instrument.source
        assert len({i.id for i in instrument.items}) == len(instrument.items)
        if instrument.bands is not None:
            assert instrument.bands.source
    assert "No permission required" in get_instrument("phq9").attribution  # §1.6 [V]


# §1.5: proration, only under an explicit policy; default up to 2 missing, never item 9.
PRORATE = ScoringPolicy(prorate=True)


def test_no_proration_by_default() -> None:
    result = score("phq9", [1, None, 1, 1, 1, 1, 1, 1, 0])
    assert result.total is None
    assert result.band is None
    assert not result.complete
    assert result.missing == ("phq9_2",)


def test_proration_up_to_two_missing_items() -> None:
    # 7 answered, sum 11: 11 / 7 * 9 = 14.14 -> 14.
    result = score("phq9", [2, None, 2, 2, None, 2, 2, 1, 0], policy=PRORATE)
    assert result.total == 14
    assert result.prorated
    assert not result.complete
    assert result.band == "moderate"
    # Three missing: no total.
    assert score("phq9", [2, None, None, 2, None, 2, 2, 1, 0], policy=PRORATE).total is None


def test_proration_rounds_half_up() -> None:
    # 8 answered, sum 12: 12 / 8 * 9 = 13.5 -> 14.
    result = score("phq9", [2, 2, 2, 2, 2, 1, 1, None, 0], policy=PRORATE)
    assert result.total == 14


def test_never_prorate_phq9_item_9() -> None:
    result = score("phq9", [1, 1, 1, 1, 1, 1, 1, 1, None], policy=PRORATE)
    assert result.total is None
    assert [f.code for f in result.risk_flags] == ["risk_not_assessed"]


def test_policy_can_change_the_limit_and_the_band_table() -> None:
    from fractions import Fraction

    from ipt_core.measures import Band, BandTable

    strict = ScoringPolicy(prorate=True, max_missing={"phq9": 0})
    assert score("phq9", [1, None, 1, 1, 1, 1, 1, 1, 0], policy=strict).total is None
    # §1.7 [V] Arroll 2010: PHQ-2 ≥2 for better case finding.
    arroll = ScoringPolicy(
        bands={
            "phq2": BandTable(
                (Band("negative", Fraction(0)), Band("positive", Fraction(2))),
                source="Arroll et al. 2010, Ann Fam Med 8:348",
            )
        }
    )
    assert score("phq2", [1, 1], policy=arroll).band == "positive"
    assert score("phq2", [1, 1]).band == "negative"


def test_gad7_prorates_one_missing_item_by_default() -> None:
    # §2.3 design advice: prorate if ≤1 of 7 missing.
    assert score("gad7", [1, 1, 1, 1, 1, 1, None], policy=PRORATE).total == 7
    assert score("gad7", [1, 1, 1, 1, 1, None, None], policy=PRORATE).total is None
