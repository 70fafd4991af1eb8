"""The published schema refuses what JSON Schema can express of what ``loads`` refuses."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest
from hypothesis import given

import ipt_core
from ipt_core import FuzzyDate, ValidationError
from ipt_core.boundary.schema import FUZZY_DATE_SCHEMA_PATTERN
from ipt_core.testing import sample_case
from ipt_core.testing._strategies import fuzzy_dates

_PATTERN = re.compile(FUZZY_DATE_SCHEMA_PATTERN)


def _parses(text: str) -> bool:
    try:
        FuzzyDate.parse(text)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("year", [1, 4, 100, 400, 1900, 2000, 2023, 2024, 9999])
def test_the_pattern_agrees_with_loads_but_for_leap_days(year: int) -> None:
    for month in range(14):
        assert bool(_PATTERN.match(f"{year:04d}-{month:02d}")) == _parses(f"{year:04d}-{month:02d}")
        for day in range(33):
            text = f"~{year:04d}-{month:02d}-{day:02d}"
            if (month, day) == (2, 29):  # which years are leap years is left to loads
                assert _PATTERN.match(text)
                continue
            assert bool(_PATTERN.match(text)) == _parses(text), text


def test_year_zero_is_refused_by_both() -> None:
    for text in ("0000", "0000-01", "~0000-01-01"):
        assert not _PATTERN.match(text)
        assert not _parses(text)


@given(fuzzy_dates())
def test_every_approximate_date_written_matches_the_pattern(when: FuzzyDate) -> None:
    assert _PATTERN.match(str(when))


def _schema_refuses(document: dict[str, Any]) -> bool:
    try:
        jsonschema.validate(document, ipt_core.json_schema(ipt_core.Case))
    except jsonschema.ValidationError:
        return True
    return False


@pytest.mark.parametrize("when", ["2024-13", "2024-02-30", "0000", "2024-04-31"])
def test_schema_and_loads_both_refuse_impossible_approximate_dates(when: str) -> None:
    document = json.loads(ipt_core.dumps(sample_case(sessions=2)))
    document["timeline"]["events"][0]["when"] = when
    assert _schema_refuses(document)
    with pytest.raises(ValidationError):
        ipt_core.loads(json.dumps(document))


def test_schema_and_loads_both_refuse_a_technique_listed_twice() -> None:
    document = json.loads(ipt_core.dumps(sample_case(sessions=2)))
    session = document["sessions"][1]
    session["techniques"] = ["clarification", "clarification"]
    assert _schema_refuses(document)
    with pytest.raises(ValidationError):
        ipt_core.loads(json.dumps(document))
    session["techniques"] = ["clarification"]
    assert not _schema_refuses(document)


@pytest.mark.parametrize("day", ["0000-01-06", "2025-02-30", "2025-13-01", "2025-06-31"])
def test_schema_and_loads_both_refuse_impossible_calendar_dates(day: str) -> None:
    document = json.loads(ipt_core.dumps(sample_case(sessions=2)))
    document["sessions"][0]["date"] = day
    assert _schema_refuses(document)
    with pytest.raises(ValidationError):
        ipt_core.loads(json.dumps(document))
