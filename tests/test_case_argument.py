"""An entry point given something else where a case belongs says what to pass: a ``TypeError``
naming the type given (never its value, which may be a document's text), not an
``AttributeError`` from inside the library."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest

import ipt_core
from ipt_core import agenda, phases, progress, risk
from ipt_core.boundary import redaction, report
from ipt_core.domain.suggestions import assess_problem_areas, suggest_problem_areas
from ipt_core.testing import sample_case

TODAY = date(2025, 6, 1)
KEY = bytes(range(32))
CLINICAL_TEXT = "Nicola's case: low mood since the move"

ENTRY_POINTS: dict[str, Callable[[object], object]] = {
    "next_steps": lambda given: agenda.next_steps(given, today=TODAY),  # type: ignore[arg-type]
    "phases.evaluate": lambda given: phases.evaluate(given, today=TODAY),  # type: ignore[arg-type]
    "progress.evaluate": lambda given: progress.evaluate(given, today=TODAY),  # type: ignore[arg-type]
    "risk_flags": risk.risk_flags,  # type: ignore[dict-item]
    "open_risk_flags": lambda given: risk.open_risk_flags(given, today=TODAY),  # type: ignore[arg-type]
    "suggest_problem_areas": suggest_problem_areas,  # type: ignore[dict-item]
    "assess_problem_areas": assess_problem_areas,  # type: ignore[dict-item]
    "report_data": lambda given: report.report_data(given, today=TODAY),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
@pytest.mark.parametrize(
    "given",
    [
        None,
        CLINICAL_TEXT,
        json.loads(ipt_core.dumps(sample_case(sessions=2))),
        ipt_core.dumps(sample_case(sessions=2)),
    ],
    ids=["none", "text", "document-as-dict", "document-as-bytes"],
)
def test_something_other_than_a_case_is_a_type_error_saying_what_to_pass(name: str, given: object) -> None:
    with pytest.raises(TypeError, match=r"must be an ipt_core\.Case \(ipt_core\.loads reads one") as caught:
        ENTRY_POINTS[name](given)
    assert CLINICAL_TEXT not in str(caught.value)
    assert type(given).__name__ in str(caught.value)


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_a_case_is_still_answered(name: str) -> None:
    ENTRY_POINTS[name](sample_case(sessions=4))


@pytest.mark.parametrize("function", [redaction.pseudonym, redaction.opaque_id])
@pytest.mark.parametrize("given", [None, 3, b"Nicola"])
def test_a_pseudonym_of_something_other_than_text_is_a_type_error(
    function: Callable[..., str], given: object
) -> None:
    with pytest.raises(TypeError, match="must be a str"):
        function(given, key=KEY)
    assert function("Nicola", key=KEY) != function("Sam", key=KEY)
