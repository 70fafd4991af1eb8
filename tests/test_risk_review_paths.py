"""An adversarial review of the risk picture, path by path: one case with risk, followed through
every way out of the library (the FHIR export, the edits of a case) to check that no path drops,
hides or mis-grades a flag.

Vignettes are written as a clinician would record the sessions. Sources: measures-and-progress.md
§1.3 (PHQ-9 item 9 graded by its value; Simon 2013; Rossom 2017), Hamilton 1960 (HAM-D item 3),
Stanley & Brown 2012 (safety planning).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipt_core import (
    Case,
    InstrumentAnswers,
    RiskCheck,
    RiskCode,
    RiskLevel,
    SessionRecord,
    TreatmentContract,
    ValidationError,
    open_risk_flags,
    risk_flags,
)
from ipt_core.boundary import fhir
from ipt_core.risk import RiskSettings

START = date(2025, 1, 6)
SERVICE = RiskSettings(phq9_item9_high_from=1)
"""A service that has signed off any item-9 answer above 0 as high risk."""


def _phq9(item9: int) -> InstrumentAnswers:
    return InstrumentAnswers("phq9", (2, 2, 1, 2, 1, 1, 1, 0, item9))


def _course(*item9s: int) -> Case:
    case = Case(
        id="nicola",
        contract=TreatmentContract(protocol_id="standard", start=START, planned_sessions=16, agreed_on=START),
    )
    for n, nine in enumerate(item9s, start=1):
        case = case.with_session(
            SessionRecord(number=n, date=START + timedelta(weeks=n - 1), measures=(_phq9(nine),))
        )
    return case


def _grades(resources: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [
        (r["status"], r["extension"][0]["valueCode"])  # type: ignore[index]
        for r in resources
    ]


# -- the FHIR export grades as the service does ------------------------------------------------


def test_fhir_flags_grade_with_the_services_cut_offs() -> None:
    """Nicola answered item 9 "several days" (1) at session 2. The service grades that as high:
    the agenda and the report say high, so the FHIR Flag sent to the record must say high too."""
    case = _course(0, 1)
    assert _grades(fhir.case_risk_flags(case, subject="Patient/1")) == [("active", "elevated")]
    ours = fhir.case_risk_flags(case, subject="Patient/1", risk_settings=SERVICE)
    assert _grades(ours) == [("active", "high")]
    assert "(high)" in ours[0]["code"]["text"]  # type: ignore[index]


def test_fhir_export_refuses_what_is_not_risk_settings() -> None:
    with pytest.raises(TypeError):
        fhir.case_risk_flags(_course(1), subject="Patient/1", risk_settings={"phq9_item9_high_from": 1})  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    item9s=st.lists(st.integers(0, 3), min_size=1, max_size=6),
    high_from=st.integers(1, 3),
    checked=st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_fhir_flags_are_the_flags_under_any_cut_offs(
    item9s: list[int], high_from: int, checked: list[bool]
) -> None:
    """Every flag, graded under the service's cut-offs, is one FHIR Flag, active exactly while open."""
    service = RiskSettings(phq9_item9_high_from=high_from)
    case = _course(*item9s)
    for n, tick in zip(range(1, len(item9s) + 1), checked, strict=False):
        if tick:
            case = case.with_risk_check(n, RiskCheck(RiskLevel.LOW))
    still_open = open_risk_flags(case, settings=service)
    every = risk_flags(case, settings=service)
    exported = fhir.case_risk_flags(case, subject="Patient/1", risk_settings=service)
    expected = [("active", f.level.value) for f in still_open] + [
        ("inactive", f.level.value) for f in every if f not in still_open
    ]
    assert _grades(exported) == expected
    assert len(exported) == len(every)
