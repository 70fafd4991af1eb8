"""A known instrument spelt another way (``PHQ9``, ``phq-9``) is refused, never taken for an
unknown instrument whose answers are not scored nor read for risk."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ipt_core
from ipt_core import InstrumentAnswers, SessionRecord, ValidationError
from ipt_core.domain.measures.instruments import INSTRUMENTS, near_instrument
from ipt_core.testing import sample_case

PATH = "$.sessions[0].measures[0].instrument"


def _case_with(instrument: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(ipt_core.dumps(sample_case(sessions=1)))
    document["sessions"][0]["measures"] = [{"instrument": instrument, "answers": [1, 1, 1, 1, 1, 1, 1, 1, 3]}]
    return document


@pytest.mark.parametrize("spelling", ["PHQ9", "PHQ-9", "phq-9", "Phq9", "phq_9"])
def test_a_phq9_written_another_way_is_refused_with_the_id_to_write(spelling: str) -> None:
    # A self-help app sends "PHQ-9": read as unknown, item 9 = 3 would raise no flag at all.
    with pytest.raises(ValidationError) as caught:
        ipt_core.loads(json.dumps(_case_with(spelling)))
    (problem,) = caught.value.problems
    assert (problem.path, problem.code) == (PATH, "not_allowed")
    assert "`phq9`" in problem.message
    assert problem.allowed == ("phq9",)


def test_built_in_python_the_same_record_is_refused() -> None:
    case = sample_case(sessions=0)
    session = SessionRecord(
        number=1, date=date(2025, 1, 6), measures=(InstrumentAnswers("GAD-7", (1, 1, 1, 1, 1, 1, 1)),)
    )
    with pytest.raises(ValidationError) as caught:
        case.with_session(session)
    assert [p.path for p in caught.value.problems] == [PATH]


def test_an_instrument_the_library_does_not_know_is_still_recorded_as_it_is() -> None:
    case = ipt_core.loads(json.dumps(_case_with("clinic_wellbeing_scale")))
    assert case.sessions[0].measures[0].instrument == "clinic_wellbeing_scale"
    assert near_instrument("clinic_wellbeing_scale") is None


_SEPARATORS = st.sampled_from(["", "-", "_", " ", "."])


@given(st.sampled_from(sorted(INSTRUMENTS)), st.data())
def test_every_other_spelling_of_a_known_id_names_it(known: str, data: st.DataObject) -> None:
    letters = "".join(c for c in known if c.isalpha())
    digits = known[len(letters) :]
    spelling = (
        "".join(c.upper() if data.draw(st.booleans()) else c for c in letters)
        + (data.draw(_SEPARATORS) if digits else "")
        + digits
    )
    assert near_instrument(spelling) == (None if spelling == known else known)
