"""An adversarial review of the risk picture, path by path: one case with risk, followed through
every way out of the library (the FHIR export, the edits of a case) to check that no path drops,
hides or mis-grades a flag.

Vignettes are written as a clinician would record the sessions. Sources: measures-and-progress.md
§1.3 (PHQ-9 item 9 graded by its value; Simon 2013; Rossom 2017), Hamilton 1960 (HAM-D item 3),
Stanley & Brown 2012 (safety planning).
"""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

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
    dumps,
    next_steps,
    open_risk_flags,
    risk_flags,
)
from ipt_core.agenda import next_steps_group
from ipt_core.boundary import fhir
from ipt_core.boundary.report import render_text
from ipt_core.cli import main
from ipt_core.risk import RiskSettings
from test_group_member_risk import _vignette

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
    assert "(high)" in ours[0]["code"]["text"]


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


# -- an edit never erases the clinician's own judgement of risk -----------------------------------


def _judged_high() -> Case:
    """Week 2: the PHQ-9 has item 9 at 0, but the clinician, hearing of a plan, judges risk high."""
    case = _course(0, 0)
    return case.with_risk_check(2, RiskCheck(RiskLevel.HIGH, safety_plan_reviewed=False))


def test_a_call_back_recorded_on_the_same_session_cannot_erase_a_high_risk_check() -> None:
    """The clinician calls Nicola back two days after week 2, finds her safer, and records the call
    on the week-2 record, as a call back about a week's answers is. That would replace the high
    judgement: the flag would vanish from the record, reviewed by nobody. It is refused at the
    check's path; a review of a check is a risk check in a later session."""
    case = _judged_high()
    assert [(f.code, f.level.value) for f in open_risk_flags(case)] == [
        (RiskCode.CLINICIAN_RISK_CHECK, "high")
    ]
    for lower in (RiskCheck(RiskLevel.LOW), RiskCheck(RiskLevel.MODERATE), None):
        with pytest.raises(ValidationError) as raised:
            case.with_risk_check(2, lower)
        assert [(p.path, p.code) for p in raised.value.problems] == [
            ("$.sessions[1].risk_check", "not_allowed")
        ]
    # The flag still stands; a check in a later session reviews it, and the history keeps it.
    later = case.with_session(SessionRecord(number=3, date=START + timedelta(weeks=2)))
    later = later.with_risk_check(3, RiskCheck(RiskLevel.LOW))
    assert open_risk_flags(later) == ()
    assert [f.level.value for f in risk_flags(later)] == ["high"]


def test_a_check_recorded_in_error_is_corrected_only_when_the_clinician_says_so() -> None:
    case = _judged_high()
    corrected = case.with_risk_check(2, RiskCheck(RiskLevel.LOW), correcting=True)
    assert risk_flags(corrected) == ()
    assert case.with_risk_check(2, None, correcting=True).sessions[1].risk_check is None
    # Raising the level, or the same level with the plan now reviewed, needs no correction.
    higher = _course(0, 0).with_risk_check(2, RiskCheck(RiskLevel.MODERATE))
    assert [f.level.value for f in risk_flags(higher.with_risk_check(2, RiskCheck(RiskLevel.HIGH)))] == [
        "high"
    ]
    ticked = case.with_risk_check(2, RiskCheck(RiskLevel.HIGH, safety_plan_reviewed=True))
    assert [f.level.value for f in risk_flags(ticked)] == ["high"]


_LEVELS = [RiskLevel.NONE, RiskLevel.LOW, RiskLevel.MODERATE, RiskLevel.HIGH]


@settings(max_examples=60, deadline=None)
@given(
    before=st.sampled_from(_LEVELS),
    after=st.none() | st.sampled_from(_LEVELS),
    item9s=st.lists(st.integers(0, 3), min_size=1, max_size=4),
)
def test_no_edit_of_a_risk_check_lowers_the_flags_it_raised(
    before: RiskLevel, after: RiskLevel | None, item9s: list[int]
) -> None:
    """Whatever the answers, an edit of the last session's check without ``correcting`` either is
    refused or keeps every flag the old check raised, graded at least as high."""
    case = _course(*item9s)
    last = len(item9s)
    case = case.with_risk_check(last, RiskCheck(before))
    raised = [f for f in risk_flags(case) if f.code is RiskCode.CLINICIAN_RISK_CHECK]
    rank = {"elevated": 1, "high": 2}
    try:
        edited = case.with_risk_check(last, None if after is None else RiskCheck(after))
    except ValidationError:
        assert raised  # only a check that raised a flag is guarded
        return
    kept = [f for f in risk_flags(edited) if f.code is RiskCode.CLINICIAN_RISK_CHECK]
    assert len(kept) >= len(raised)
    for old, new in zip(raised, kept, strict=False):
        assert rank[new.level.value] >= rank[old.level.value]


# -- `ipt-core validate` shows the open flags graded as the service grades them ----------------------


def test_validate_grades_open_flags_with_the_services_cut_offs(tmp_path: Path) -> None:
    """`ipt-core report` takes the service's cut-offs; `validate`, which lists the open flags of a
    valid case first, graded them with the defaults only, so the same flag read `elevated` there
    and `high` in the report."""
    path = tmp_path / "nicola.json"
    path.write_bytes(dumps(_course(0, 1)))
    out = io.StringIO()
    assert main(["validate", str(path), "--phq9-item9-high-from", "1"], out=out, err=io.StringIO()) == 0
    assert "(high)" in out.getvalue()
    assert "(elevated)" not in out.getvalue()
    out = io.StringIO()
    code = main(["validate", "--json", str(path), "--phq9-item9-high-from", "1"], out=out, err=io.StringIO())
    assert code == 0
    assert [f["level"] for f in json.loads(out.getvalue())[0]["open_risk_flags"]] == ["high"]
    # Without options, the published defaults; cut-offs out of range are a usage error, as in `report`.
    out = io.StringIO()
    assert main(["validate", str(path)], out=out, err=io.StringIO()) == 0
    assert "(elevated)" in out.getvalue()
    err = io.StringIO()
    assert main(["validate", str(path), "--phq9-item9-high-from", "4"], out=io.StringIO(), err=err) == 2
    assert "--phq9-item9-high-from" in err.getvalue()


# -- a mistyped date does not hide a flag ----------------------------------------------------------


def test_item_9_in_a_session_dated_a_year_ahead_by_a_typo_still_leads_the_agenda() -> None:
    """Week 2 is typed with next year's date. Nicola answered item 9 "nearly every day". As of the
    real day after week 2 the session is not held (it is dated next year), so no flag is open; but
    the answer was recorded, and the agenda must not start with the formulation as if nothing had
    been said. Sessions dated just ahead (a device clock) were shown; a session further ahead was
    silently left out of the agenda and the report."""
    case = _course(0)
    case = case.with_session(
        SessionRecord(number=2, date=START + timedelta(days=365 + 7), measures=(_phq9(3),))
    )
    today = START + timedelta(days=8)
    assert open_risk_flags(case, today=today) == ()  # not held as of today
    agenda = next_steps(case, today=today)
    first = agenda.items[0]
    assert (first.kind, first.code, first.blocking) == ("risk", "risk.dated_ahead", True)
    assert len(first.text) < 110
    assert "session 2," in first.text
    assert "3" not in first.text.replace("session 2", "")  # sessions, never the answer
    assert first.text in render_text(case, today=today)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    item9s=st.lists(st.integers(0, 3), min_size=1, max_size=5),
    today_offset=st.integers(-30, 60),
)
def test_every_recorded_flag_reaches_the_agenda_whatever_today_is(
    item9s: list[int], today_offset: int
) -> None:
    """Each flag raised in any session, held by ``today`` or dated after it, is named by a risk item
    of the agenda as of ``today``."""
    case = _course(*item9s)
    today = START + timedelta(days=today_offset)
    items = [i for i in next_steps(case, today=today).items if i.kind == "risk"]
    risk_text = " ".join(i.text for i in items)
    for flag in risk_flags(case):
        if flag in open_risk_flags(case, today=today):
            assert f"session {flag.session} (PHQ-9 item 9)" in risk_text
        elif case.sessions[flag.session - 1].date > today:  # type: ignore[operator]
            assert {"risk.dated_later", "risk.dated_ahead"} & {i.code for i in items}
    assert all(i.blocking for i in items if i.code.startswith("risk.dated_"))


def test_a_members_risk_dated_a_year_ahead_is_named_on_the_group_agenda() -> None:
    """Carlos (m3) answered item 9 "more than half the days" in his own case, but the session was
    typed with next year's date. The group agenda named members with risk dated just ahead only."""
    group, cases = _vignette(6)
    today = group.sessions[-1].date + timedelta(days=1)
    carlos = cases["case-m3"]
    typo = SessionRecord(
        number=carlos.sessions[-1].number + 1, date=today + timedelta(days=365), measures=(_phq9(2),)
    )
    cases = {**cases, "case-m3": carlos.with_session(typo)}
    agenda = next_steps_group(group, today=today, cases=cases)
    ahead = [i for i in agenda.items if i.code == "group.member_risk_dated_ahead"]
    assert [(i.members, i.blocking, i.kind) for i in ahead] == [(("m3",), True, "risk")]
    without = next_steps_group(group, today=today, cases={**cases, "case-m3": carlos})
    assert not [i for i in without.items if i.code == "group.member_risk_dated_ahead"]
