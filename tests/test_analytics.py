"""The service outcome table: streaming, mergeable, and equal on Dask and in process."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ipt_core
from ipt_core.analytics import ALL, OutcomeAccumulator, OutcomeRow, service_outcomes
from ipt_core.measures import ScoringPolicy
from ipt_core.progress import TalkingTherapiesSettings
from ipt_core.testing import cases, sample_case, sample_cohort

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _with_scores(
    case: ipt_core.Case, phq9: list[tuple[int, ...]], gad7: list[tuple[int, ...]]
) -> ipt_core.Case:
    sessions = tuple(
        ipt_core.SessionRecord(
            number=i + 1,
            date=case.contract.start + timedelta(weeks=i),
            measures=(ipt_core.InstrumentAnswers("phq9", p), ipt_core.InstrumentAnswers("gad7", g)),
        )
        for i, (p, g) in enumerate(zip(phq9, gad7, strict=True))
    )
    # An ended course (its exit outcome recorded): only ended courses can finish treatment.
    return attrs.evolve(
        case,
        sessions=sessions,
        phase_history=(),
        tasks=(),
        termination=None,
        outcome=ipt_core.ExitOutcome.COMPLETED,
    )


def test_golden_outcomes_of_two_courses() -> None:
    # PHQ-9 18 -> 4 and GAD-7 12 -> 3: a case at the start (PHQ-9 >= 10), below both caseness
    # thresholds at the end (< 10, < 8) and a reliable fall (>= 6, >= 4): reliably recovered
    # (measures-and-progress.md §6.2-6.3).
    base = sample_case(sessions=0, people=2)
    recovered = _with_scores(
        base, [(2,) * 9, (1, 1, 1, 1, 0, 0, 0, 0, 0)], [(2, 2, 2, 2, 2, 2, 0), (1, 1, 1, 0, 0, 0, 0)]
    )
    # PHQ-9 9 -> 9, GAD-7 5 -> 10: not a case at the start; a reliable rise on the GAD-7.
    worse = _with_scores(
        attrs.evolve(base, id="worse"),
        [(1,) * 9, (1,) * 9],
        [(1, 1, 1, 1, 1, 0, 0), (2, 2, 2, 1, 1, 1, 1)],
    )
    # One attended session only: not finished.
    short = _with_scores(attrs.evolve(base, id="short"), [(3,) * 9], [(3,) * 7])
    table = service_outcomes([recovered, worse, short], by=())
    row = table.total
    assert (row.cases, row.finished_treatment, row.with_paired_scores) == (3, 2, 2)
    assert (row.caseness_at_start, row.recovered, row.reliably_recovered) == (1, 1, 1)
    assert (row.reliably_improved, row.reliably_deteriorated, row.no_reliable_change) == (1, 1, 0)
    assert row.recovery_rate == 1.0
    assert row.reliable_improvement_rate == 0.5
    assert row.mean_phq9_change == (4 - 18 + 0) / 2
    assert table.rows == (attrs.evolve(row, protocol=ALL, area=ALL),)


@settings(max_examples=30)
@given(st.lists(cases(max_sessions=4), max_size=8), st.data())
def test_merging_partitions_equals_one_pass(items: list[ipt_core.Case], data: st.DataObject) -> None:
    cut = data.draw(st.integers(0, len(items)))
    left = OutcomeAccumulator().add_all(items[:cut])
    right = OutcomeAccumulator().add_all(items[cut:])
    whole = service_outcomes(items)
    assert left.merge(right).table() == whole
    assert right.merge(left).table() == whole
    assert whole.total.cases == len(items)
    assert sum(r.cases for r in whole.rows) == len(items)


def test_counts_are_consistent_and_grouped() -> None:
    table = service_outcomes(sample_cohort(300))
    protocols = {r.protocol for r in table.rows}
    assert protocols == {"standard", "brief", "telephone", "internet-guided"}
    for row in (*table.rows, table.total):
        assert row.recovered <= row.caseness_at_start <= row.with_paired_scores
        assert row.with_paired_scores <= row.finished_treatment <= row.cases
        assert row.reliably_recovered <= min(row.recovered, row.reliably_improved)
        assert (
            row.reliably_improved + row.reliably_deteriorated + row.no_reliable_change
            >= row.with_paired_scores
        )
        assert row.dropped_out <= row.cases
    by_protocol = service_outcomes(sample_cohort(300), by=["protocol"])
    assert {r.area for r in by_protocol.rows} == {ALL}
    assert by_protocol.total == table.total


def test_rates_are_none_without_a_denominator() -> None:
    row = OutcomeRow("standard", "grief")
    assert row.recovery_rate is None
    assert row.as_dict()["dropout_rate"] is None


def test_bad_groupings_are_refused() -> None:
    with pytest.raises(ValueError, match="group by"):
        OutcomeAccumulator(by=["therapist"])
    with pytest.raises(ValueError, match="same way"):
        OutcomeAccumulator().merge(OutcomeAccumulator(by=["area"]))


def test_partitions_counted_by_different_rules_do_not_merge() -> None:
    # One worker counts with the service's interim setting (courses under way count as finished),
    # another with the defaults: their tallies answer different questions, and a merged table
    # would be neither's.
    interim = OutcomeAccumulator(settings=TalkingTherapiesSettings(requires_ended=False))
    with pytest.raises(ValueError, match="same settings"):
        interim.merge(OutcomeAccumulator())
    with pytest.raises(ValueError, match="same settings"):
        OutcomeAccumulator().merge(OutcomeAccumulator(policy=ScoringPolicy(prorate=True)))
    # The default scoring policy, named or not, is one policy.
    merged = OutcomeAccumulator(policy=ScoringPolicy()).merge(OutcomeAccumulator())
    assert merged.table() == OutcomeAccumulator().table()


def test_the_dask_example_equals_the_in_process_table(tmp_path: Path) -> None:
    folder = tmp_path / "cohort"
    result = subprocess.run(
        [
            sys.executable,
            str(EXAMPLES / "analytics_dask.py"),
            str(folder),
            "--cases",
            "120",
            "--workers",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "120 cases; Dask (2 workers) equals in-process: True" in result.stdout
    assert len(list(folder.glob("*.json"))) == 120


def test_the_table_depends_on_the_cases_alone() -> None:
    assert service_outcomes(sample_cohort(50)) == service_outcomes(sample_cohort(50))


@pytest.mark.parametrize("wrong", [None, '{"kind": "case", "id": "Zq7-secret"}', {"kind": "case"}, b"{}"])
def test_something_other_than_a_case_is_a_type_error_naming_its_type(wrong: object) -> None:
    """A stream of documents not yet read (text, bytes, parsed dicts) or a gap in it (None) is a
    caller's mistake: the error says to pass cases and names the type given, never the value."""
    cohort = [*sample_cohort(3), wrong]
    with pytest.raises(TypeError, match=r"ipt_core\.Case") as caught:
        service_outcomes(cohort)  # type: ignore[arg-type]
    assert type(wrong).__name__ in str(caught.value)
    assert "Zq7" not in str(caught.value)
    with pytest.raises(TypeError, match=r"ipt_core\.Case"):
        OutcomeAccumulator().add(wrong)  # type: ignore[arg-type]
