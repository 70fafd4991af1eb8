"""Inputs at the edges of the model: extreme dates, look-alike digits, trailing newlines, buffers."""

from __future__ import annotations

import json
from array import array
from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ipt_core
from ipt_core import FuzzyDate, ProblemCode, ValidationError
from ipt_core.testing import sample_case


@pytest.mark.parametrize("onset", [FuzzyDate(1), FuzzyDate(9999, 12, 31)])
def test_queries_near_the_ends_of_the_calendar_do_not_overflow(onset: FuzzyDate) -> None:
    case = sample_case(sessions=3, people=2, seed=1)
    case = attrs.evolve(case, timeline=attrs.evolve(case.timeline, onset=onset))
    case = ipt_core.loads(ipt_core.dumps(case))
    assert isinstance(ipt_core.suggest_problem_areas(case), list)
    assert case.timeline.near_onset(timedelta(days=400), after=timedelta(days=400)) is not None


def test_a_contract_at_the_start_of_the_calendar_is_valid() -> None:
    contract = ipt_core.TreatmentContract(
        protocol_id="standard", start=date(1, 1, 1), planned_sessions=12, agreed_on=date(1, 1, 2)
    )
    assert ipt_core.loads(ipt_core.dumps(contract), ipt_core.TreatmentContract) == contract


@pytest.mark.parametrize("text", ["٢٠٢٤-10", "2024-10\n", "~２０２４", "2024\n", "\n2024"])
def test_fuzzy_dates_take_ascii_digits_and_nothing_else(text: str) -> None:
    document = json.loads(ipt_core.dumps(sample_case(sessions=1, people=1)))
    document["timeline"]["onset"] = text
    with pytest.raises(ValidationError) as excinfo:
        ipt_core.loads(json.dumps(document, ensure_ascii=False))
    assert excinfo.value.problems[0].path == "$.timeline.onset"
    assert excinfo.value.problems[0].code == ProblemCode.PATTERN


@pytest.mark.parametrize("text", ["2025-01-06\n", "٢٠٢٥-01-06", "2025-01-06 "])
def test_calendar_dates_take_one_form_only(text: str) -> None:
    document = json.loads(ipt_core.dumps(sample_case(sessions=1, people=1)))
    document["contract"]["start"] = text
    with pytest.raises(ValidationError) as excinfo:
        ipt_core.loads(json.dumps(document, ensure_ascii=False))
    assert excinfo.value.problems[0].code == ProblemCode.PATTERN


@pytest.mark.parametrize("bad", ["case-1\n", "case 1", "-case", "ca\u0301se"])
def test_ids_are_matched_whole(bad: str) -> None:
    document = json.loads(ipt_core.dumps(sample_case(sessions=1, people=1)))
    document["id"] = bad
    with pytest.raises(ValidationError) as excinfo:
        ipt_core.loads(json.dumps(document))
    assert excinfo.value.problems[0] == ipt_core.Problem(
        "$.id", ProblemCode.PATTERN, excinfo.value.problems[0].message
    )
    with pytest.raises(ValidationError):
        ipt_core.Person(id=bad, alias="A", category=ipt_core.RelationshipCategory.PARTNER)


@given(st.sampled_from(["b", "d", "i", "q"]))
def test_the_size_limit_counts_bytes_of_any_buffer(fmt: str) -> None:
    data = ipt_core.dumps(sample_case(sessions=2, people=2))
    data += b" " * (-len(data) % 8)
    view = memoryview(array(fmt, data))
    assert ipt_core.loads(view) == sample_case(sessions=2, people=2)
    with pytest.raises(ValidationError) as excinfo:
        ipt_core.loads(view, limits=ipt_core.Limits(max_bytes=len(data) - 1))
    assert excinfo.value.codes == {ProblemCode.TOO_LARGE}
