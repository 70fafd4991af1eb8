"""A service's own risk cut-offs reach every report, not only the agenda.

The service has signed off PHQ-9 item 9 answered "several days" (1) as high risk
(``RiskSettings(phq9_item9_high_from=1)``). The agenda took the setting; the case report, the
group report and the ``report`` command graded the same answer with the default cut-offs only.
"""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ipt_core
from ipt_core import (
    Case,
    InstrumentAnswers,
    SessionRecord,
    TreatmentContract,
)
from ipt_core.agenda import next_steps, next_steps_group
from ipt_core.boundary.group_report import group_report_data, render_group_text
from ipt_core.boundary.report import render_markdown, render_text, report_data
from ipt_core.cli import main
from ipt_core.risk import RiskSettings
from test_group_member_risk import _vignette

START = date(2025, 1, 6)
SERVICE = RiskSettings(phq9_item9_high_from=1)
"""The service's cut-offs: any item-9 answer above 0 is high risk."""


def _nicola(item9: int) -> Case:
    """Nicola's standard course: PHQ-9 at sessions 1 and 2, item 9 answered ``item9`` at session 2,
    no risk check since."""
    case = Case(
        id="nicola",
        contract=TreatmentContract(protocol_id="standard", start=START, planned_sessions=16, agreed_on=START),
    )
    for n, nine in ((1, 0), (2, item9)):
        phq9 = InstrumentAnswers("phq9", (2, 2, 1, 2, 1, 1, 1, 0, nine))
        case = case.with_session(
            SessionRecord(number=n, date=START + timedelta(weeks=n - 1), measures=(phq9,))
        )
    return case


TODAY = START + timedelta(weeks=2)


def test_the_case_report_grades_risk_with_the_services_cut_offs() -> None:
    case = _nicola(1)
    default = report_data(case, today=TODAY)
    assert [f["level"] for f in default["open_risk_flags"]] == ["elevated"]

    ours = report_data(case, today=TODAY, risk_settings=SERVICE)
    assert [f["level"] for f in ours["open_risk_flags"]] == ["high"]
    assert [f["level"] for f in ours["risk_flags"]] == ["high"]
    # The next session in the report is the agenda under the same cut-offs: a high flag asks for a
    # safety plan.
    agenda = next_steps(case, today=TODAY, risk_settings=SERVICE)
    assert ours["next_session_items"] == [i.text for i in agenda.items]
    assert any("safety plan" in text for text in ours["next_session_items"])
    assert "(high)" in render_text(case, today=TODAY, risk_settings=SERVICE)
    assert "(high)" in render_markdown(case, today=TODAY, risk_settings=SERVICE)
    assert "(high)" not in render_text(case, today=TODAY)


def test_the_group_report_grades_members_risk_with_the_services_cut_offs() -> None:
    """Esi (m5) answered item 9 "several days" at session 2, her last, then left the group."""
    group, cases = _vignette(6)
    today = group.sessions[-1].date + timedelta(days=1)
    default = group_report_data(group, today=today, cases=cases)
    ours = group_report_data(group, today=today, cases=cases, risk_settings=SERVICE)
    left = [i for i in default["agenda_items"] if i["code"] == "group.member_risk_left"]
    assert [(i["members"], i["grade"]) for i in left] == [(["m5"], "elevated")]
    left = [i for i in ours["agenda_items"] if i["code"] == "group.member_risk_left"]
    assert [(i["members"], i["grade"]) for i in left] == [(["m5"], "high")]
    agenda = next_steps_group(group, today=today, cases=cases, risk_settings=SERVICE)
    assert [i["code"] for i in ours["agenda_items"]] == [i.code for i in agenda.items]
    assert "high" in render_group_text(group, today=today, cases=cases, risk_settings=SERVICE)


def test_the_report_command_takes_the_services_cut_offs(tmp_path: Path) -> None:
    path = tmp_path / "nicola.json"
    path.write_bytes(ipt_core.dumps(_nicola(1)))
    out, err = io.StringIO(), io.StringIO()
    args = ["report", str(path), "--format", "json", "--today", TODAY.isoformat()]
    assert main([*args, "--phq9-item9-high-from", "1"], out=out, err=err) == 0
    assert [f["level"] for f in json.loads(out.getvalue())["open_risk_flags"]] == ["high"]
    out = io.StringIO()
    assert main(args, out=out, err=err) == 0
    assert [f["level"] for f in json.loads(out.getvalue())["open_risk_flags"]] == ["elevated"]

    # A cut-off out of range is a usage error that names the option, not a traceback.
    err = io.StringIO()
    assert main([*args, "--phq9-item9-high-from", "4"], out=io.StringIO(), err=err) == 2
    assert "--phq9-item9-high-from" in err.getvalue()
    err = io.StringIO()
    bad = ["--hamd-item3-flag-from", "3", "--hamd-item3-high-from", "2"]
    assert main([*args, *bad], out=io.StringIO(), err=err) == 2
    assert "hamd" in err.getvalue()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=3), st.integers(min_value=1, max_value=3))
def test_the_report_and_the_agenda_grade_the_same_answer_alike(item9: int, high_from: int) -> None:
    case = _nicola(item9)
    risk = RiskSettings(phq9_item9_high_from=high_from)
    data = report_data(case, today=TODAY, risk_settings=risk)
    agenda = next_steps(case, today=TODAY, risk_settings=risk)
    assert data["next_session_items"] == [i.text for i in agenda.items]
    expected = [] if item9 == 0 else ["high" if item9 >= high_from else "elevated"]
    assert [f["level"] for f in data["open_risk_flags"]] == expected
