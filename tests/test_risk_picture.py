"""The risk picture: every flag from every source, kept for good, open until a risk check reviews it.

Vignettes are written as a clinician (or a self-help app) would record the sessions; the properties
hold for any valid case and any sessions appended to it. Sources: measures-and-progress.md §1.3,
§1.7, §4, §10.3; Hamilton 1960 (HAM-D item 3 anchors); Stanley & Brown 2012 (safety planning).
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ipt_core
from ipt_core import (
    Attendance,
    Case,
    InstrumentAnswers,
    Missing,
    RiskCheck,
    RiskCode,
    RiskFlag,
    RiskGrade,
    RiskLevel,
    RiskSettings,
    SafetyPlan,
    SessionRecord,
    TreatmentContract,
    ValidationError,
    next_steps,
    open_risk_flags,
    risk_flags,
)
from ipt_core.boundary import migrations
from ipt_core.boundary.report import render_markdown, render_text, report_data
from ipt_core.domain.risk import hamd_item3_flags, phq9_item9_flags
from ipt_core.progress import evaluate
from ipt_core.protocols import Escalation, Protocol
from ipt_core.testing import cases, sessions

START = date(2025, 3, 3)
SENTINEL = "Zq7SENTINELxx"
"""A text written into the case's notes; no view of the risk may ever show it."""


def phq9(item9: object, others: int = 1) -> InstrumentAnswers:
    return InstrumentAnswers("phq9", (*[others] * 8, item9))  # type: ignore[arg-type]


def hamd(item3: object) -> InstrumentAnswers:
    answers: list[object] = [1] * 17
    answers[2] = item3
    return InstrumentAnswers("hamd17", tuple(answers))  # type: ignore[arg-type]


def week(
    number: int,
    *measures: InstrumentAnswers,
    check: RiskLevel | None = None,
    attendance: Attendance = Attendance.ATTENDED,
) -> SessionRecord:
    return SessionRecord(
        number=number,
        date=START + timedelta(weeks=number - 1),
        attendance=attendance,
        measures=measures,
        risk_check=None if check is None else RiskCheck(level=check, notes=SENTINEL),
        notes=SENTINEL,
    )


def course(*records: SessionRecord, protocol: str = "standard", plan: SafetyPlan | None = None) -> Case:
    return Case(
        id="vignette",
        contract=TreatmentContract(
            protocol_id=protocol, start=START, planned_sessions=8 if "self" in protocol else 12
        ),
        sessions=records,
        notes=SENTINEL,
        safety_plan=plan,
    )


def codes(flags: tuple[RiskFlag, ...]) -> list[tuple[int | None, RiskCode, RiskGrade]]:
    return [(f.session, f.code, f.level) for f in flags]


TODAY = START + timedelta(weeks=20)


# -- vignettes -------------------------------------------------------------------------------------


def test_a_clinicians_high_risk_check_raises_a_flag_even_when_item_9_is_zero() -> None:
    # Session 2: the client answers "not at all" to item 9, but tells the therapist of a plan.
    case = course(week(1, phq9(0)), week(2, phq9(0), check=RiskLevel.HIGH))
    assert codes(risk_flags(case)) == [(2, RiskCode.CLINICIAN_RISK_CHECK, RiskGrade.HIGH)]
    assert codes(open_risk_flags(case)) == [(2, RiskCode.CLINICIAN_RISK_CHECK, RiskGrade.HIGH)]
    agenda = next_steps(case, today=TODAY)
    first = agenda.items[0]
    assert (first.kind, first.code, first.blocking) == ("risk", "risk.review", True)
    assert "session 2 (the clinician's risk check)" in first.text
    assert any(i.code == "risk.safety_plan" for i in agenda.items)  # high and no plan yet
    report = evaluate(case, today=TODAY)
    assert codes(report.open_risk_flags) == [(2, RiskCode.CLINICIAN_RISK_CHECK, RiskGrade.HIGH)]
    text = render_text(case, today=TODAY)
    assert "Risk flags: 0" not in text
    assert text.index("OPEN RISK FLAGS (1)") < text.index("Open tasks:")


def test_a_moderate_check_is_elevated_and_none_or_low_raise_nothing() -> None:
    case = course(
        week(1, check=RiskLevel.NONE), week(2, check=RiskLevel.LOW), week(3, check=RiskLevel.MODERATE)
    )
    assert codes(risk_flags(case)) == [(3, RiskCode.CLINICIAN_RISK_CHECK, RiskGrade.ELEVATED)]


@pytest.mark.parametrize(
    ("item3", "expected"),
    [
        (0, []),  # absent
        (1, [(RiskCode.HAMD_SUICIDE, RiskGrade.ELEVATED)]),  # feels life is not worth living
        (2, [(RiskCode.HAMD_SUICIDE, RiskGrade.ELEVATED)]),  # wishes he were dead
        (3, [(RiskCode.HAMD_SUICIDE, RiskGrade.HIGH)]),  # suicidal ideas or gesture
        (4, [(RiskCode.HAMD_SUICIDE, RiskGrade.HIGH)]),  # attempts at suicide
        (None, [(RiskCode.RISK_NOT_ASSESSED, RiskGrade.UNKNOWN)]),
        (Missing.DECLINED, [(RiskCode.RISK_NOT_ASSESSED, RiskGrade.UNKNOWN)]),
    ],
)
def test_hamd_item_3_is_graded_from_its_anchors(
    item3: object, expected: list[tuple[RiskCode, RiskGrade]]
) -> None:
    case = course(week(1, hamd(item3)))
    assert [(f.code, f.level) for f in risk_flags(case)] == expected
    assert all(f.instrument == "hamd17" and f.item == "hamd17_3" for f in risk_flags(case))


def test_scoring_a_hamd_rating_raises_its_item_3_flag_too() -> None:
    answers: list[object] = [0] * 17
    answers[2] = 4
    result = ipt_core.measures.score("hamd17", answers)
    assert [(f.code, f.level) for f in result.risk_flags] == [(RiskCode.HAMD_SUICIDE, RiskGrade.HIGH)]
    assert ipt_core.measures.score("hamd17", [0] * 17).risk_flags == ()


def test_hamd_item_3_at_4_an_attempt_leads_the_agenda() -> None:
    case = course(week(1, hamd(4)))
    first = next_steps(case, today=TODAY).items[0]
    assert first.code == "risk.review"
    assert "session 1 (HAM-D item 3 (suicide))" in first.text


def test_item_9_at_3_with_no_check_then_a_missed_appointment_stays_on_the_agenda() -> None:
    case = course(
        week(1, phq9(3)),
        week(2, attendance=Attendance.DID_NOT_ATTEND),
    )
    assert codes(open_risk_flags(case)) == [(1, RiskCode.PHQ9_ITEM9, RiskGrade.HIGH)]
    first = next_steps(case, today=TODAY).items[0]
    assert (first.kind, first.blocking) == ("risk", True)
    assert "session 1 (PHQ-9 item 9)" in first.text
    assert "3" not in first.text.replace("session 1", "")  # the sessions and sources, never the answer


def test_item_9_in_a_session_dated_tomorrow_is_not_hidden_by_a_device_clock() -> None:
    # The app stored the client's local date; the server asks as of its own (UTC) day, one earlier.
    case = course(week(1), week(2, phq9(3)))
    day_before = case.sessions[1].date - timedelta(days=1)
    agenda = next_steps(case, today=day_before)
    assert open_risk_flags(case, today=day_before) == ()  # as of that day the session is not held
    first = agenda.items[0]
    assert (first.kind, first.code, first.blocking) == ("risk", "risk.dated_later", True)
    assert "session 2 (PHQ-9 item 9)" in first.text
    assert "sessions_after_today" in {f.code for f in agenda.report.findings}
    # Once the day comes, the flag is an open flag like any other.
    assert [i.code for i in next_steps(case, today=case.sessions[1].date).items][:1] == ["risk.review"]


def test_a_session_on_the_last_day_a_date_can_hold_is_still_shown_the_day_before() -> None:
    # A device clock gone wrong dates a session 31 Dec 9999, a day the model accepts: the agenda as
    # of the day before shows its flag, as for any session dated just ahead.
    case = course(week(1), week(2, phq9(3)))
    case = attrs.evolve(case, sessions=(case.sessions[0], attrs.evolve(case.sessions[1], date=date.max)))
    first = next_steps(case, today=date.max - timedelta(days=1)).items[0]
    assert (first.code, first.blocking) == ("risk.dated_later", True)
    assert "session 2 (PHQ-9 item 9)" in first.text
    assert ipt_core.risk.dated_just_ahead(case.sessions, date.max - timedelta(days=2)) == (case.sessions[1],)
    assert ipt_core.risk.dated_just_ahead(case.sessions, date.max - timedelta(days=3)) == ()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.dates(min_value=date(2019, 1, 1), max_value=date(2035, 12, 31)))
def test_no_recorded_flag_is_ever_missing_from_the_agenda_whatever_today_is(case: Case, day: date) -> None:
    agenda = next_steps(case, today=day)
    risk_text = " ".join(i.text for i in agenda.items if i.kind == "risk")
    for flag in open_risk_flags(case, today=day):
        assert f"session {flag.session} (" in risk_text
    for session in case.sessions:
        just_ahead = day < session.date <= day + ipt_core.risk.CLOCK_SKEW
        if just_ahead and ipt_core.risk.session_risk_flags(session):
            assert f"session {session.number} (" in risk_text
        elif session.date > day + ipt_core.risk.CLOCK_SKEW:  # as of the day: not there yet
            assert f"session {session.number} (" not in risk_text  # not an open flag
            if ipt_core.risk.session_risk_flags(session):  # but its risk is not hidden (a wrong date)
                assert "risk.dated_ahead" in {i.code for i in agenda.items}


def test_a_high_check_one_session_earlier_survives_a_missed_appointment() -> None:
    case = course(week(1, check=RiskLevel.HIGH), week(2, attendance=Attendance.DID_NOT_ATTEND))
    assert codes(open_risk_flags(case)) == [(1, RiskCode.CLINICIAN_RISK_CHECK, RiskGrade.HIGH)]
    assert next_steps(case, today=TODAY).items[0].code == "risk.review"


def test_a_later_risk_check_reviews_the_flags_and_a_calm_session_closes_nothing() -> None:
    raised = course(week(1, phq9(2)), week(2, phq9(0)))
    assert codes(open_risk_flags(raised)) == [(1, RiskCode.PHQ9_ITEM9, RiskGrade.HIGH)]
    reviewed = raised.with_session(week(3, phq9(0), check=RiskLevel.LOW))
    assert open_risk_flags(reviewed) == ()
    assert codes(risk_flags(reviewed)) == [(1, RiskCode.PHQ9_ITEM9, RiskGrade.HIGH)]  # kept for good
    assert not any(i.kind == "risk" for i in next_steps(reviewed, today=TODAY).items)


def test_as_of_a_day_a_review_recorded_later_does_not_count_yet() -> None:
    case = course(week(1, phq9(2)), week(2, check=RiskLevel.NONE))
    before_review = week(2).date - timedelta(days=1)
    assert codes(open_risk_flags(case, today=before_review)) == [(1, RiskCode.PHQ9_ITEM9, RiskGrade.HIGH)]
    assert codes(evaluate(case, today=before_review).open_risk_flags) == [
        (1, RiskCode.PHQ9_ITEM9, RiskGrade.HIGH)
    ]
    assert next_steps(case, today=before_review).items[0].code == "risk.review"
    assert evaluate(case, today=TODAY).open_risk_flags == ()


def test_a_check_in_the_same_session_reviews_the_answers_but_not_itself() -> None:
    case = course(week(1, phq9(3), check=RiskLevel.HIGH))
    assert codes(risk_flags(case)) == [
        (1, RiskCode.PHQ9_ITEM9, RiskGrade.HIGH),
        (1, RiskCode.CLINICIAN_RISK_CHECK, RiskGrade.HIGH),
    ]
    assert codes(open_risk_flags(case)) == [(1, RiskCode.CLINICIAN_RISK_CHECK, RiskGrade.HIGH)]


def test_a_positive_phq2_alone_says_risk_was_not_assessed() -> None:
    positive = course(week(1, InstrumentAnswers("phq2", (2, 2))))
    assert [(f.code, f.instrument, f.item) for f in risk_flags(positive)] == [
        (RiskCode.RISK_NOT_ASSESSED, "phq2", "phq9_9")
    ]
    first = next_steps(positive, today=TODAY).items[0]
    assert "a positive PHQ-2 with no suicide item asked" in first.text
    negative = course(week(1, InstrumentAnswers("phq2", (1, 1))))
    assert risk_flags(negative) == ()
    followed_up = course(week(1, InstrumentAnswers("phq2", (2, 2)), phq9(0)))
    assert risk_flags(followed_up) == ()
    rated = course(week(1, InstrumentAnswers("phq2", (3, 3)), hamd(0)))
    assert risk_flags(rated) == ()
    # Arroll 2010's cut-off of 2 is a setting away.
    borderline = course(week(1, InstrumentAnswers("phq2", (1, 1))))
    assert risk_flags(borderline, settings=RiskSettings(phq2_positive_from=2)) != ()


def test_a_phq2_with_a_missing_answer_may_be_positive_so_it_flags() -> None:
    case = course(week(1, InstrumentAnswers("phq2", (0, Missing.SKIPPED))))
    assert codes(risk_flags(case)) == [(1, RiskCode.RISK_NOT_ASSESSED, RiskGrade.UNKNOWN)]


def test_settings_move_the_cut_offs_and_refuse_nonsense() -> None:
    case = course(week(1, hamd(2), phq9(1)))
    strict = RiskSettings(phq9_item9_high_from=1, hamd_item3_high_from=2)
    assert {f.level for f in risk_flags(case, settings=strict)} == {RiskGrade.HIGH}
    with pytest.raises(ValueError, match="hamd_item3_high_from"):
        RiskSettings(hamd_item3_flag_from=3, hamd_item3_high_from=2)
    with pytest.raises(ValueError, match="phq9_item9_high_from"):
        RiskSettings(phq9_item9_high_from=0)


# -- the safety plan --------------------------------------------------------------------------------


def plan(on: date) -> SafetyPlan:
    return SafetyPlan(
        reviewed_on=on,
        warning_signs=(SENTINEL,),
        coping_strategies=("a walk",),
        people_to_ask=("Sam",),
        professionals=("the crisis line",),
        reasons_for_living=("my daughter",),
    )


def test_the_agenda_asks_for_a_plan_then_for_its_review_when_older_than_the_flag() -> None:
    records = (week(1, phq9(0)), week(2, phq9(3)))

    def codes_of(case: Case) -> list[str]:
        return [i.code for i in next_steps(case, today=TODAY).items if i.kind == "risk"]

    assert "risk.safety_plan" in codes_of(course(*records))
    assert "risk.safety_plan_review" in codes_of(course(*records, plan=plan(START)))
    fresh = course(*records, plan=plan(records[1].date))
    assert codes_of(fresh) == ["risk.review"]
    elevated_only = course(week(1, phq9(1)))
    assert codes_of(elevated_only) == ["risk.review"]  # a plan is asked for a high flag


def test_a_safety_plan_dated_after_today_is_not_there_yet() -> None:
    """The item-9 answer of 3 came in session 2; the plan is typed in ahead, dated for the next
    appointment. As of the day after session 2 no plan has been made: the agenda asks for one."""
    records = (week(1, phq9(0)), week(2, phq9(3)))
    today = records[1].date + timedelta(days=1)
    ahead = course(*records, plan=plan(records[1].date + timedelta(weeks=1)))

    def codes_of(case: Case, day: date) -> list[str]:
        return [i.code for i in next_steps(case, today=day).items if i.kind == "risk"]

    assert "risk.safety_plan" in codes_of(ahead, today)
    # Once that day comes, the plan counts, and it is not older than the flag.
    assert codes_of(ahead, records[1].date + timedelta(weeks=1)) == ["risk.review"]


def test_a_plan_reviewed_at_the_risk_check_is_not_asked_for_again() -> None:
    """Session 3: the clinician judges risk high and goes through the safety plan with the client,
    ticking "safety plan reviewed" on the risk check. The flag stays open until a later check, but
    the plan is not older than it: the agenda does not ask for the review again. A new high answer
    in a later session does."""
    checked = SessionRecord(
        number=3,
        date=START + timedelta(weeks=2),
        risk_check=RiskCheck(level=RiskLevel.HIGH, safety_plan_reviewed=True),
    )
    case = course(week(1, phq9(0)), week(2, phq9(0)), checked, plan=plan(START))

    def codes_of(case: Case) -> list[str]:
        return [i.code for i in next_steps(case, today=TODAY).items if i.kind == "risk"]

    assert codes_of(case) == ["risk.review"]
    assert "risk.safety_plan_review" in codes_of(case.with_session(week(4, phq9(3))))
    unticked = attrs.evolve(checked, risk_check=RiskCheck(level=RiskLevel.HIGH))
    assert "risk.safety_plan_review" in codes_of(attrs.evolve(case, sessions=(*case.sessions[:2], unticked)))


def test_every_text_of_the_safety_plan_is_hidden_and_redacted() -> None:
    case = course(week(1, phq9(3)), plan=plan(START))
    assert SENTINEL not in repr(case.safety_plan)
    assert "Sam" not in repr(case)
    redacted = ipt_core.redact(case, key=b"a safety-plan test key")
    assert redacted.safety_plan is not None
    texts = attrs.asdict(redacted.safety_plan)
    assert all(value == () for name, value in texts.items() if name != "reviewed_on")
    assert SENTINEL.encode() not in ipt_core.dumps(redacted)
    assert ipt_core.loads(ipt_core.dumps(case)) == case


def test_a_case_without_a_plan_writes_no_plan_key() -> None:
    case = course(week(1, phq9(0)))
    assert b"safety_plan" not in ipt_core.dumps(case)
    assert b'"safety_plan":{"reviewed_on"' in ipt_core.dumps(course(plan=plan(START)))


# -- escalation as protocol data --------------------------------------------------------------------


def self_guided_weeks(*records: SessionRecord) -> Case:
    return course(*records, protocol="self-guided-8-week")


def test_self_guided_a_high_flag_pauses_the_modules_and_shows_crisis_resources_first() -> None:
    quiet = self_guided_weeks(week(1, phq9(0)), week(2, phq9(0)))
    assert any(i.kind == "module" for i in next_steps(quiet, today=TODAY).items)

    flagged = self_guided_weeks(week(1, phq9(0)), week(2, phq9(2)))
    items = next_steps(flagged, today=TODAY).items
    assert [i.code for i in items[:2]] == ["risk.crisis_resources", "risk.review"]
    assert "risk.modules_paused" in [i.code for i in items]
    assert not any(i.kind == "module" for i in items)

    # A later week with no review closes nothing: still paused.
    later = flagged.with_session(week(3, phq9(0)))
    assert not any(i.kind == "module" for i in next_steps(later, today=TODAY).items)

    # A review recorded (a clinician's risk check) reopens the programme.
    reviewed = later.with_session(week(4, phq9(0), check=RiskLevel.LOW))
    assert open_risk_flags(reviewed) == ()
    after = next_steps(reviewed, today=TODAY).items
    assert any(i.kind == "module" for i in after)
    assert not any(i.kind == "risk" for i in after)


def test_self_guided_an_elevated_flag_shows_crisis_resources_but_keeps_the_modules() -> None:
    case = self_guided_weeks(week(1, phq9(1)))
    items = next_steps(case, today=TODAY).items
    assert items[0].code == "risk.crisis_resources"
    assert any(i.kind == "module" for i in items)


def test_builtin_protocols_carry_sourced_escalation_and_users_set_their_own() -> None:
    for protocol in ipt_core.protocols.all():
        assert {e.grade for e in protocol.escalation} == set(RiskGrade)
        assert all(e.source for e in protocol.escalation)
        high = protocol.escalation_for(RiskGrade.HIGH)
        assert high is not None
        assert high.safety_plan
        assert high.pause_modules is (not protocol.therapist)
    standard = ipt_core.protocols.get("standard")
    own = attrs.evolve(
        standard, id="my-clinic", escalation=(Escalation(RiskGrade.ELEVATED, crisis_resources_first=True),)
    )
    assert ipt_core.loads(ipt_core.dumps(own), Protocol) == own
    case = course(week(1, phq9(1)))
    assert next_steps(case, today=TODAY, protocol=own).items[0].code == "risk.crisis_resources"
    assert next_steps(case, today=TODAY).items[0].code == "risk.review"


def test_a_users_self_guided_programme_without_rules_pauses_on_a_high_flag() -> None:
    """An app's own programme, stored before protocols said anything about escalation (no
    ``escalation`` key), has no therapist and weekly modules. An item-9 answer of 3 must still show
    crisis resources first and pause the modules until a review: with no rules of its own, a
    protocol takes the default for its delivery, as the built-in ones do."""
    doc = json.loads(ipt_core.dumps(ipt_core.protocols.get("self-guided-8-week")))
    doc["id"] = "our-app-programme"
    del doc["escalation"]
    ours = ipt_core.loads(json.dumps(doc), Protocol)
    assert ours.escalation == ()
    case = course(week(1, phq9(0)), week(2, phq9(3)), protocol="self-guided-8-week")
    items = next_steps(case, today=TODAY, protocol=ours).items
    assert items[0].code == "risk.crisis_resources"
    assert "risk.modules_paused" in [i.code for i in items]
    assert not any(i.kind == "module" for i in items)
    # A therapist-led protocol without rules keeps the therapist default; explicit rules still rule.
    standard = json.loads(ipt_core.dumps(ipt_core.protocols.get("standard")))
    standard["id"] = "our-clinic"
    del standard["escalation"]
    clinic = ipt_core.loads(json.dumps(standard), Protocol)
    assert [i.code for i in next_steps(case, today=TODAY, protocol=clinic).items if i.kind == "risk"] == [
        "risk.review",
        "risk.safety_plan",
    ]
    quiet = attrs.evolve(ours, escalation=(Escalation(RiskGrade.HIGH, safety_plan=True),))
    assert any(i.kind == "module" for i in next_steps(case, today=TODAY, protocol=quiet).items)


def test_a_protocol_with_two_rules_for_one_grade_is_refused_with_a_path() -> None:
    doc = json.loads(ipt_core.dumps(ipt_core.protocols.get("standard")))
    doc["escalation"] = [{"grade": "high"}, {"grade": "high"}]
    with pytest.raises(ValidationError) as info:
        ipt_core.loads(json.dumps(doc), Protocol)
    assert "$.escalation[1].grade" in {p.path for p in info.value.problems}


def test_the_protocol_schema_covers_escalation() -> None:
    schema = ipt_core.json_schema(Protocol)
    assert "escalation" in schema["properties"]
    assert "Escalation" in schema["$defs"]
    assert set(schema["$defs"]["RiskGrade"]["enum"]) == {g.value for g in RiskGrade}
    case_schema = ipt_core.json_schema(Case)
    assert "safety_plan" in case_schema["properties"]
    assert case_schema["$defs"]["SafetyPlan"]["properties"]["warning_signs"]["x-ipt-sensitive"] is True


# -- everywhere the risk is shown -------------------------------------------------------------------


def test_every_report_format_shows_open_flags_first_with_sources() -> None:
    case = course(week(1, phq9(3)), week(2, hamd(1), check=RiskLevel.MODERATE))
    data = report_data(case, today=TODAY)
    assert list(data)[:2] == ["case", "open_risk_flags"]
    assert [(f["session"], f["source"]) for f in data["open_risk_flags"]] == [
        (2, "the clinician's risk check")
    ]
    assert len(data["risk_flags"]) == 3
    markdown = render_markdown(case, today=TODAY)
    assert markdown.index("## Open risk flags") < markdown.index("## Open tasks")
    assert "session 2: the clinician's risk check" in markdown
    for text in (json.dumps(data), markdown, render_text(case, today=TODAY)):
        assert SENTINEL not in text


def test_a_calm_case_reports_no_open_flags() -> None:
    case = course(week(1, phq9(0)), week(2, phq9(0)))
    assert "Open risk flags: none" in render_text(case, today=TODAY)
    assert "No flag is open." in render_markdown(case, today=TODAY)


def test_fhir_flags_validate_against_r4b() -> None:
    r4b_flag = pytest.importorskip("fhir.resources.R4B.flag")
    case = course(week(1, phq9(3)), week(2, check=RiskLevel.HIGH))
    resources = ipt_core.fhir.case_risk_flags(case, subject="Patient/p1")
    assert [r["status"] for r in resources] == ["active", "inactive"]
    assert [r["code"]["coding"][0]["code"] for r in resources] == ["clinician_risk_check", "phq9_item9"]
    for resource in resources:
        r4b_flag.Flag.model_validate(resource)
        assert SENTINEL not in json.dumps(resource)
    assert resources[1]["period"] == {"start": "2025-03-03"}


def test_cli_validate_and_report_show_open_flags(tmp_path: object) -> None:
    import io
    from pathlib import Path

    from ipt_core.cli import main

    folder = Path(str(tmp_path))
    flagged = folder / "flagged.json"
    flagged.write_bytes(ipt_core.dumps(course(week(1, phq9(2)))))
    calm = folder / "calm.json"
    calm.write_bytes(ipt_core.dumps(course(week(1, phq9(0)))))
    out, err = io.StringIO(), io.StringIO()
    assert main(["validate", "--quiet", str(calm), str(flagged)], out=out, err=err) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == f"{flagged}: valid; OPEN RISK FLAGS first:"
    assert "session 1: PHQ-9 item 9" in lines[1]
    assert str(calm) not in out.getvalue()
    out = io.StringIO()
    main(["validate", "--json", str(flagged)], out=out, err=err)
    assert json.loads(out.getvalue())[0]["open_risk_flags"][0]["code"] == "phq9_item9"
    out = io.StringIO()
    main(["report", str(flagged), "--today", TODAY.isoformat()], out=out, err=err)
    assert out.getvalue().splitlines()[1].startswith("OPEN RISK FLAGS (1)")


# -- properties -------------------------------------------------------------------------------------


def _expected_open(case: Case) -> list[RiskFlag]:
    """The definition, written plainly: open until a risk check in the same or a later session
    (a later one for a flag the check itself raised)."""
    found = []
    for flag in risk_flags(case):
        assert flag.session is not None
        own = flag.code is RiskCode.CLINICIAN_RISK_CHECK
        reviewed = any(
            s.risk_check is not None and (s.number > flag.session or (s.number == flag.session and not own))
            for s in case.sessions
        )
        if not reviewed:
            found.append(flag)
    return found


@st.composite
def extended(draw: st.DrawFn) -> tuple[Case, Case]:
    case = draw(cases(max_sessions=4, max_people=2))
    number = case.next_session_number()
    day = case.sessions[-1].date if case.sessions else case.contract.start
    longer = case
    for _ in range(draw(st.integers(1, 4))):
        number += draw(st.integers(0, 2))
        day += timedelta(days=draw(st.integers(0, 14)))
        longer = longer.with_session(draw(sessions(number, day)))
        number += 1
    return case, longer


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(extended())
def test_a_flag_is_kept_forever_and_open_until_a_risk_check_reviews_it(pair: tuple[Case, Case]) -> None:
    case, longer = pair
    before, after = risk_flags(case), risk_flags(longer)
    assert after[: len(before)] == before
    assert list(open_risk_flags(case)) == _expected_open(case)
    assert list(open_risk_flags(longer)) == _expected_open(longer)
    # An open flag of the shorter course is closed in the longer one only by a risk check after it.
    for flag in open_risk_flags(case):
        if flag not in open_risk_flags(longer):
            assert any(s.risk_check is not None and s.number >= (flag.session or 0) for s in longer.sessions)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(cases(max_sessions=5, max_people=2))
def test_round_trips_redaction_and_upgrade_keep_the_flags(case: Case) -> None:
    flags, still_open = risk_flags(case), open_risk_flags(case)
    data = ipt_core.dumps(case)
    again = ipt_core.loads(data)
    assert (risk_flags(again), open_risk_flags(again)) == (flags, still_open)
    redacted = ipt_core.redact(case, key=b"a secret key of 32 bytes........")
    assert (risk_flags(redacted), open_risk_flags(redacted)) == (flags, still_open)
    body = json.loads(data)
    upgraded = ipt_core.loads(json.dumps(migrations.upgrade("case", body["schema_version"], body)))
    assert (risk_flags(upgraded), open_risk_flags(upgraded)) == (flags, still_open)


BAD_ANSWERS = st.one_of(
    st.none(),
    st.sampled_from(Missing),
    st.integers().filter(lambda n: not 0 <= n <= 4),
    st.text(max_size=3),
    st.floats(allow_nan=True),
    st.booleans(),
)


@given(BAD_ANSWERS)
def test_a_bad_or_missing_answer_never_hides_a_flag(answer: object) -> None:
    for flags in (phq9_item9_flags(answer), hamd_item3_flags(answer)):
        assert [(f.code, f.level) for f in flags] == [(RiskCode.RISK_NOT_ASSESSED, RiskGrade.UNKNOWN)]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(max_sessions=4, max_people=1), st.data())
def test_blanking_a_suicide_item_never_removes_a_flag(case: Case, data: st.DataObject) -> None:
    """Replacing a PHQ-9 item-9 or HAM-D item-3 answer by a missing one turns its flag (if any)
    into "risk not assessed": the session still raises at least as many flags."""
    targets = [
        (i, j, 8 if r.instrument == "phq9" else 2)
        for i, s in enumerate(case.sessions)
        for j, r in enumerate(s.measures)
        if r.instrument in ("phq9", "hamd17") and len(r.answers) > (8 if r.instrument == "phq9" else 2)
    ]
    if not targets:
        return
    i, j, index = data.draw(st.sampled_from(targets))
    marker = data.draw(st.sampled_from([None, *Missing]))
    session = case.sessions[i]
    record = session.measures[j]
    answers = (*record.answers[:index], marker, *record.answers[index + 1 :])
    measures = (*session.measures[:j], attrs.evolve(record, answers=answers), *session.measures[j + 1 :])
    blanked = attrs.evolve(
        case, sessions=(*case.sessions[:i], attrs.evolve(session, measures=measures), *case.sessions[i + 1 :])
    )
    before = [f for f in risk_flags(case) if f.session == session.number]
    after = [f for f in risk_flags(blanked) if f.session == session.number]
    assert len(after) >= len(before)
    assert any(f.code is RiskCode.RISK_NOT_ASSESSED and f.instrument == record.instrument for f in after)


def test_a_services_own_cut_offs_reach_the_agenda_and_the_progress_report() -> None:
    # A service that takes Arroll 2010's PHQ-2 cut-off of 2: a total of 2 with no PHQ-9 is positive.
    case = course(week(1, InstrumentAnswers("phq2", (1, 1))))
    assert all(i.kind != "risk" for i in next_steps(case, today=TODAY).items)
    arroll = ipt_core.RiskSettings(phq2_positive_from=2)
    first = next_steps(case, today=TODAY, risk_settings=arroll).items[0]
    assert (first.kind, first.blocking) == ("risk", True)
    assert "a positive PHQ-2" in first.text
    policy = ipt_core.progress.ProgressPolicy(risk=arroll)
    assert codes(evaluate(case, today=TODAY, policy=policy).open_risk_flags) == [
        (1, RiskCode.RISK_NOT_ASSESSED, RiskGrade.UNKNOWN)
    ]
    assert evaluate(case, today=TODAY).open_risk_flags == ()
