"""A demanding clinician's review of group IPT: a WHO group as its facilitators record it, week by
week, with members who drop out, are referred on in a crisis, come without meeting alone first, or
whose own case follows another course; and the member cases the service holds beside the group."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ipt_core
from ipt_core import (
    Case,
    Facilitator,
    Group,
    GroupAttendance,
    GroupSession,
    Member,
    MemberAttendance,
    MemberExit,
    Phase,
    PreGroupMeeting,
    SessionRecord,
    ValidationError,
)
from ipt_core.agenda import ItemKind, next_steps_group
from ipt_core.analytics import group_of_cases, outcomes_by_group
from ipt_core.boundary.group_report import group_report_data, render_group_markdown, render_group_text
from ipt_core.domain.contract import Frequency, TreatmentContract
from ipt_core.domain.sessions import Attendance, InstrumentAnswers
from ipt_core.testing import groups, sample_group, sample_group_cases

A = GroupAttendance.ATTENDED
MISSED = GroupAttendance.MISSED
MET = date(2025, 3, 3)
"""The week of the pre-group meetings."""
FIRST = date(2025, 3, 17)
"""Group session 1."""
WEEK = timedelta(days=7)
NAMES = {"m1": "Amina", "m2": "Bea", "m3": "Chidi", "m4": "Dawit", "m5": "Esi", "m6": "Fatuma"}


def _phase(number: int) -> Phase:
    return Phase.INITIAL if number == 1 else Phase.TERMINATION if number == 8 else Phase.MIDDLE


def _group(sessions: int, *, unmet: tuple[str, ...] = ()) -> Group:
    """Six members, each met alone in the first week (but those in ``unmet``), then ``sessions``
    weekly group sessions that everyone comes to."""
    members = tuple(Member(m, f"case-{m}", alias, joined=MET) for m, alias in NAMES.items())
    group = Group(
        id="village-3",
        protocol_id="group-who",
        facilitators=(Facilitator("f1", "Nadia"),),
        members=members,
        pre_group_meetings=tuple(
            PreGroupMeeting(m.id, MET + timedelta(days=i)) for i, m in enumerate(members) if m.id not in unmet
        ),
    )
    for number in range(1, sessions + 1):
        records = tuple(MemberAttendance(m, A) for m in NAMES)
        group = group.with_session(GroupSession(number, _day(number), _phase(number), records))
    return group


def _day(number: int) -> date:
    return FIRST + WEEK * (number - 1)


def _phq9(item9: int, level: int = 1) -> InstrumentAnswers:
    return InstrumentAnswers("phq9", (level,) * 8 + (item9,))


def _case(member: str, group: Group, *, item9_at: int | None = None, protocol: str = "group-who") -> Case:
    """The member's own case: the pre-group meeting as session 0, then a PHQ-9 at each group
    session they came to; item 9 answered 2 at session ``item9_at`` (no risk check after it)."""
    records = [SessionRecord(0, MET, measures=(_phq9(0, 2),))]
    for session, status in group.attendance_of(member):
        came = status is A
        item9 = 2 if session.number == item9_at else 0
        records.append(
            SessionRecord(
                session.number,
                session.date,
                attendance=Attendance.ATTENDED if came else Attendance.DID_NOT_ATTEND,
                measures=(_phq9(item9),) if came else (),
            )
        )
    planned = 8 if protocol == "group-who" else 12
    contract = TreatmentContract(
        protocol_id=protocol, start=MET, planned_sessions=planned, frequency=Frequency.WEEKLY
    )
    return Case(id=f"case-{member}", contract=contract, sessions=tuple(records))


def _cases(group: Group, **risky: int) -> dict[str, Case]:
    return {m.case_id: _case(m.id, group, item9_at=risky.get(m.id)) for m in group.members}


def _codes(agenda: ipt_core.GroupAgenda) -> dict[str, tuple[str, ...]]:
    return {item.code: item.members for item in agenda.items}


# -- a member who came without meeting alone, then dropped out ------------------------------------


def test_a_member_who_came_unmet_then_dropped_out_no_longer_blocks_the_group() -> None:
    """Chidi (m3) came to session 1 without a pre-group meeting, then dropped out two days later.
    Nobody can meet him before session 2: the gap stays on record as advice, blocking nothing."""
    group = _group(1, unmet=("m3",)).with_exit("m3", on=_day(1) + timedelta(days=2), reason="dropped_out")
    today = _day(1) + timedelta(days=3)
    report = ipt_core.evaluate_group(group, today=today)
    gaps = [f for f in report.findings if f.code == "group.no_pre_group_meeting"]
    assert [(f.path, f.blocking) for f in gaps] == [("$.members[2]", False)]
    agenda = next_steps_group(group, today=today, cases=_cases(group))
    assert "group.pre_group_meeting" not in _codes(agenda)
    assert not [i for i in agenda.items if i.blocking]


def test_a_member_who_came_unmet_and_stays_still_blocks_until_met() -> None:
    """The same gap for a member still in the group blocks the next session, as before."""
    group = _group(1, unmet=("m3",))
    agenda = next_steps_group(group, today=_day(1) + timedelta(days=3), cases=_cases(group))
    assert _codes(agenda)["group.pre_group_meeting"] == ("m3",)


# -- a crisis referral recorded by the facilitator -------------------------------------------------

MEMBER_RISK_CODES = ("group.member_risk", "group.member_risk_left", "group.member_crisis_referral")


def _referred(sessions: int) -> Group:
    """After session 3 Bea (m2) told the facilitator she had thought of ending her life; the
    facilitator referred her to the crisis service the same day and recorded her leaving for a
    crisis referral. The group goes on without her."""
    group = _group(3).with_exit("m2", on=_day(3), reason="crisis_referral")
    for number in range(4, sessions + 1):
        records = tuple(MemberAttendance(m, A) for m in NAMES if m != "m2")
        group = group.with_session(GroupSession(number, _day(number), _phase(number), records))
    return group


@pytest.mark.parametrize("given", ["none", "all", "others"])
def test_a_crisis_referral_recorded_in_the_group_leads_the_agenda(given: str) -> None:
    """Whether or not Bea's case is given, and whether or not her case holds a flag, the
    facilitator's own record of the crisis referral reaches the next session's agenda, as risk."""
    group = _referred(4)
    cases = {
        "none": None,
        "all": _cases(group),
        "others": {k: v for k, v in _cases(group).items() if k != "case-m2"},
    }
    agenda = next_steps_group(group, today=_day(4) + timedelta(days=1), cases=cases[given])
    items = [i for i in agenda.items if i.code == "group.member_crisis_referral"]
    assert len(items) == 1
    assert items[0].members == ("m2",)
    assert items[0].kind is ItemKind.RISK
    assert agenda.items.index(items[0]) == 0 or (given == "none" and agenda.items.index(items[0]) <= 1)
    assert "Bea" not in items[0].text + items[0].lay_text


def test_a_crisis_referral_is_still_handed_on_after_the_group_ends() -> None:
    group = _referred(8)
    agenda = next_steps_group(group, today=_day(8) + timedelta(days=14), cases=_cases(group))
    assert agenda.phase is Phase.COMPLETED
    assert _codes(agenda)["group.member_crisis_referral"] == ("m2",)


def test_a_crisis_referral_with_an_open_flag_is_named_once() -> None:
    """Bea's case records her PHQ-9 item 9 at session 3, with no review: she is named under her
    open flag (left the group), not twice."""
    group = _referred(4)
    agenda = next_steps_group(group, today=_day(4) + timedelta(days=1), cases=_cases(group, m2=3))
    named = [m for i in agenda.items if i.code in MEMBER_RISK_CODES for m in i.members]
    assert named == ["m2"]
    assert _codes(agenda)["group.member_risk_left"] == ("m2",)


# -- the member cases handed over as a mapping -------------------------------------------------------


def test_cases_filed_under_the_wrong_key_are_read_under_their_own_id() -> None:
    """The service's export files Bea's and Chidi's cases under each other's ids. Bea (m2)
    answered 2 to PHQ-9 item 9: it is Bea who must be seen alone, and her scores that are hers."""
    group = _group(3)
    cases = _cases(group, m2=3)
    swapped = {**cases, "case-m2": cases["case-m3"], "case-m3": cases["case-m2"]}
    today = _day(3) + timedelta(days=1)
    agenda = next_steps_group(group, today=today, cases=swapped)
    assert _codes(agenda)["group.member_risk"] == ("m2",)
    outcomes = ipt_core.group_outcomes(group, swapped, today=today)
    assert outcomes.member("m2").last == {"phq9": 10}
    assert outcomes.member("m3").last == {"phq9": 8}
    assert outcomes.missing_cases == ()


def test_a_case_filed_under_another_members_key_is_not_that_members_case() -> None:
    """Only Chidi's case is handed over, filed under Bea's id: Bea's case is missing."""
    group = _group(3)
    cases = _cases(group)
    agenda = next_steps_group(group, today=_day(3) + timedelta(days=1), cases={"case-m2": cases["case-m3"]})
    assert set(_codes(agenda)["group.member_case_missing"]) == {"m1", "m2", "m4", "m5", "m6"}
    outcomes = ipt_core.group_outcomes(group, {"case-m2": cases["case-m3"]}, today=_day(3))
    assert outcomes.member("m2").case_found is False
    assert outcomes.member("m3").case_found is True


# -- small groups, and a leaving recorded wrongly ---------------------------------------------------


@pytest.mark.parametrize(("count", "said"), [(0, "0 members"), (1, "1 member"), (2, "2 members")])
def test_the_headline_counts_members_in_words(count: int, said: str) -> None:
    group = Group(
        id="g",
        protocol_id="group-who",
        members=tuple(Member(f"m{i}", f"c{i}", f"N{i}", joined=MET) for i in range(count)),
    )
    for today in (MET, _day(9)):
        headline = next_steps_group(group, today=today).headline
        assert headline.endswith(f", {said}")
    first = render_group_text(group, today=MET).splitlines()[0]
    assert first.endswith(f", {said.replace(' ', ' active ')}")
    small = [i.text for i in next_steps_group(group, today=MET).items if i.code == "group.size.below_minimum"]
    assert small == [f"the group has {said}, fewer than the 6 the protocol plans"]


def test_a_leaving_day_before_joining_is_refused_at_the_members_place() -> None:
    """The facilitator records Esi's leaving with last year's date by mistake."""
    group = _group(0)
    with pytest.raises(ValidationError) as caught:
        group.with_exit("m5", on=MET - timedelta(days=365), reason="moved_away")
    assert [(p.path, p.code) for p in caught.value.problems] == [("$.members[4].left", "order")]
    with pytest.raises(ValidationError) as caught:
        group.with_exit("m5", on=datetime(2025, 3, 20, 9, 30), reason="moved_away")
    assert [(p.path, p.code) for p in caught.value.problems] == [("$.members[4].left", "wrong_type")]


# -- a group that follows a local protocol -------------------------------------------------------------


def _uganda() -> ipt_core.Protocol:
    """A service's own 16-session group protocol (as the Uganda trial ran group IPT: a 4-session
    initial phase), passed where the group is evaluated."""
    from ipt_core.domain.protocols import BUILTIN_PROTOCOLS, PhasePlan, SessionPlan

    who = BUILTIN_PROTOCOLS["group-who"]
    return attrs.evolve(
        who,
        id="group-uganda",
        sessions=SessionPlan(16, 16, 16, Frequency.WEEKLY, 1, None, "S48 (16 group sessions)"),
        phases=(
            PhasePlan(Phase.PRE_TREATMENT, 1, 1, "pre-group meeting"),
            PhasePlan(Phase.INITIAL, 4, 4, "initial phase (sessions 1-4)"),
            PhasePlan(Phase.MIDDLE, 11, 11, "middle phase (sessions 5-15)"),
            PhasePlan(Phase.TERMINATION, 1, 1, "termination (session 16)"),
        ),
    )


def test_outcomes_of_a_group_on_a_local_protocol_follow_that_protocol() -> None:
    """Halfway through a 16-session group no member has finished treatment: the group's own
    protocol, passed in, says how many sessions it plans (the WHO's 8 would end it here)."""
    protocol = _uganda()
    group = attrs.evolve(_group(8), protocol_id=protocol.id)
    cases = _cases(group)
    today = _day(8) + timedelta(days=1)
    outcomes = ipt_core.group_outcomes(group, cases, today=today, protocol=protocol)
    assert not any(m.finished_treatment for m in outcomes.members)
    data = group_report_data(group, today=today, cases=cases, protocol=protocol)
    assert data["protocol"] == "group-uganda"
    assert data["sessions_planned"] == 16
    assert data["phase"] == "middle"
    assert not any(m["finished_treatment"] for m in data["outcomes"]["members"])
    assert "of 16 sessions held" in render_group_text(group, today=today, cases=cases, protocol=protocol)
    assert "of 16 sessions held" in render_group_markdown(group, today=today, protocol=protocol)


# -- what the members' own cases say about the group -------------------------------------------------


def test_a_member_whose_own_case_follows_another_protocol_is_named() -> None:
    """Dawit (m4) came to the group from individual IPT, and his case still names the standard
    protocol: his course's length and ending would be counted by it. The facilitator is told."""
    group = _group(2)
    cases = _cases(group)
    cases["case-m4"] = _case("m4", group, protocol="standard")
    agenda = next_steps_group(group, today=_day(2) + timedelta(days=1), cases=cases)
    item = next(i for i in agenda.items if i.code == "group.member_case_protocol")
    assert item.members == ("m4",)
    assert not item.blocking
    assert "standard" not in item.text  # ids only; the front end shows the case


def test_a_crisis_referral_recorded_in_a_members_case_reaches_the_group() -> None:
    """The supervising clinician saw Fatuma (m6) alone after session 2 and referred her to the
    crisis service, recording it in her case; the group, not told, still lists her. The next
    session's agenda names her under the crisis referral."""
    group = _group(2)
    cases = _cases(group)
    cases["case-m6"] = cases["case-m6"].with_phase(Phase.CRISIS_REFERRAL, on=_day(2) + timedelta(days=1))
    agenda = next_steps_group(group, today=_day(2) + timedelta(days=2), cases=cases)
    assert _codes(agenda)["group.member_crisis_referral"] == ("m6",)
    assert agenda.items[0].code == "group.member_crisis_referral"


def test_a_member_whose_own_case_has_ended_is_named_while_the_group_lists_them() -> None:
    """Esi's (m5) case records that she dropped out; the group still lists her as a member."""
    group = _group(2)
    cases = _cases(group)
    cases["case-m5"] = cases["case-m5"].with_phase(Phase.DROPPED_OUT, on=_day(2) + timedelta(days=1))
    agenda = next_steps_group(group, today=_day(2) + timedelta(days=2), cases=cases)
    assert _codes(agenda)["group.member_case_ended"] == ("m5",)
    # once the group records her leaving, there is nothing to reconcile
    left = group.with_exit("m5", on=_day(2) + timedelta(days=1), reason="dropped_out")
    agenda = next_steps_group(left, today=_day(2) + timedelta(days=2), cases=cases)
    assert "group.member_case_ended" not in _codes(agenda)


@given(groups(max_members=8, max_sessions=6), st.integers(-10, 400), st.booleans())
def test_no_crisis_referral_recorded_by_the_facilitators_is_ever_dropped(
    group: Group, offset: int, with_cases: bool
) -> None:
    today = (group.start or date(2030, 1, 1)) + timedelta(days=offset)
    start = group.start or date(2030, 1, 1)
    contract = TreatmentContract(protocol_id="group-who", start=start, planned_sessions=8)
    cases = [Case(id=m.case_id, contract=contract) for m in group.members] if with_cases else None
    agenda = next_steps_group(group, today=today, cases=cases)
    named = {m for i in agenda.items if i.kind is ItemKind.RISK for m in i.members}
    assert {m.id for m in group.members if m.exit_reason is MemberExit.CRISIS_REFERRAL} <= named


def test_the_end_is_announced_as_far_ahead_as_the_groups_protocol_says() -> None:
    """A 16-session group whose protocol asks for 4 sessions' notice of the end reminds the group
    from session 12; the WHO group (2 sessions' notice) from session 6."""
    from ipt_core.domain.protocols import TerminationNotice

    protocol = attrs.evolve(_uganda(), termination_notice=TerminationNotice(4, 4, "a service's setting"))
    sixteen = attrs.evolve(_group(0), protocol_id=protocol.id)
    for number in range(1, 12):
        records = tuple(MemberAttendance(m, A) for m in NAMES)
        sixteen = sixteen.with_session(GroupSession(number, _day(number), Phase.MIDDLE, records))
    agenda = next_steps_group(sixteen, protocol, today=_day(11) + timedelta(days=1))
    assert agenda.session == 12
    reminder = [i.text for i in agenda.items if i.code == "group.middle.ending_soon"]
    assert reminder == ["remind the group that 4 sessions remain after this one"]
    who = next_steps_group(_group(4), today=_day(4) + timedelta(days=1))
    assert "group.middle.ending_soon" not in _codes(who)
    who = next_steps_group(_group(5), today=_day(5) + timedelta(days=1))
    assert "group.middle.ending_soon" in _codes(who)


def test_before_the_group_starts_the_headline_does_not_call_the_pre_group_meetings_session_1() -> None:
    """Before session 1 the facilitators hold the members' individual meetings: the headline says
    the group has not started, and which session comes first."""
    headline = next_steps_group(_group(0), today=MET).headline
    assert headline == "before the group starts (pre-group meeting), then group session 1 of 8, 6 members"
    assert next_steps_group(_group(1), today=_day(1) + timedelta(days=1)).headline.startswith(
        "group session 2 of 8, middle phase"
    )


def test_the_group_report_says_why_a_member_left_in_words() -> None:
    group = _group(2).with_exit("m2", on=_day(2) + timedelta(days=1), reason="crisis_referral")
    text = render_group_text(group, today=_day(2) + timedelta(days=2))
    assert "Bea: left (crisis referral)" in text
    assert "crisis_referral" not in text.split("Findings:")[0]


def test_an_apology_after_unexplained_absences_does_not_wipe_them_out() -> None:
    """Dawit (m4) missed sessions 2 and 3 without a word, then phoned to excuse himself from
    session 4: he has not been seen for three weeks, and is followed up before session 5."""
    group = _group(1)
    marks = {2: MISSED, 3: MISSED, 4: GroupAttendance.EXCUSED}
    for number, mark in marks.items():
        records = tuple(MemberAttendance(m, mark if m == "m4" else A) for m in NAMES)
        group = group.with_session(GroupSession(number, _day(number), Phase.MIDDLE, records))
    report = ipt_core.evaluate_group(group, today=_day(4) + timedelta(days=1))
    assert report.status("m4").missed_in_a_row == 2
    assert report.follow_up == ("m4",)
    # an apology after coming is no absence to follow up
    assert report.status("m1").missed_in_a_row == 0
    # his last absence was excused: the words do not say he missed the last session
    finding = next(f for f in report.findings if f.code == "group.follow_up")
    assert finding.message.startswith("missed 2 group sessions since they last came")
    agenda = next_steps_group(group, today=_day(4) + timedelta(days=1))
    item = next(i for i in agenda.items if i.code == "group.follow_up")
    assert "last" not in item.text.replace("last came", "")
    assert "last" not in item.lay_text.replace("last came", "")


# -- termination: who still has symptoms ----------------------------------------------------------


def _scored(group: Group, member: str, level: int) -> Case:
    """The member's case with every PHQ-9 after the pre-group meeting at ``level`` on each item but 9."""
    case = _case(member, group)
    sessions = tuple(
        attrs.evolve(s, measures=(_phq9(0, level),)) if s.number >= 1 and s.measures else s
        for s in case.sessions
    )
    return attrs.evolve(case, sessions=sessions)


def test_the_last_session_names_the_members_whose_symptoms_persist() -> None:
    """Before session 8, Chidi's (m3) PHQ-9 is still 16 and Amina's (m1) 8: the facilitators,
    supervised non-specialists, are told whom to consider referring on (S14), by id; nobody else."""
    group = _group(7)
    cases = _cases(group)
    cases["case-m3"] = _scored(group, "m3", 2)  # 8 items at 2: 16
    today = _day(7) + timedelta(days=1)
    agenda = next_steps_group(group, today=today, cases=cases)
    assert agenda.session_phase is Phase.TERMINATION
    item = next(i for i in agenda.items if i.code == "group.termination.symptoms_persist")
    assert item.members == ("m3",)
    codes = [i.code for i in agenda.items]
    assert codes.index(item.code) == codes.index("group.termination.plan") + 1  # beside the plan
    assert not item.blocking
    assert "S14" in item.source
    # mid-group nobody is named, and without the cases nothing is said
    assert "group.termination.symptoms_persist" not in _codes(
        next_steps_group(_group(3), today=_day(3), cases=cases)
    )
    assert "group.termination.symptoms_persist" not in _codes(next_steps_group(group, today=today))
    # after the last session the group has ended: still said, for the hand-over
    ended = _group(8)
    cases = {**_cases(ended), "case-m3": _scored(ended, "m3", 2)}
    after = next_steps_group(ended, today=_day(8) + timedelta(days=2), cases=cases)
    assert _codes(after)["group.termination.symptoms_persist"] == ("m3",)


# -- a member who moves from one group to another ----------------------------------------------------


def test_a_member_who_moved_to_another_group_is_counted_in_the_group_she_moved_to() -> None:
    """Amina (m1) could not come in the mornings: after session 2 she left the morning group and
    joined the evening group with the same case. The service's breakdown by group counts her case
    once, under the evening group; a case in two groups at once is still refused."""
    morning = _group(2).with_exit("m1", on=_day(2) + timedelta(days=1), reason="other")
    evening = Group(
        id="evening-1",
        protocol_id="group-who",
        members=(Member("e1", "case-m1", "Amina", joined=_day(2) + timedelta(days=2)),),
    )
    assert group_of_cases([morning, evening])["case-m1"] == "evening-1"
    assert group_of_cases([evening, morning])["case-m1"] == "evening-1"
    tables = outcomes_by_group(_cases(morning).values(), [morning, evening])
    assert tables["evening-1"].total.cases == 1
    assert tables["village-3"].total.cases == 5
    # still a member of both on one day: refused
    overlapping = attrs.evolve(evening, members=(attrs.evolve(evening.members[0], joined=_day(2)),))
    with pytest.raises(ValueError, match="two of the groups"):
        group_of_cases([morning, overlapping])


# -- the wrong thing passed ---------------------------------------------------------------------------


def test_a_members_case_passed_as_its_parsed_document_is_a_type_error_naming_the_type() -> None:
    """A front end passes the members' case documents as parsed JSON, not as cases: a TypeError
    saying what to pass, naming the type, never a value from the document."""
    group = _group(2)
    parsed: Any = [json_of(case) for case in _cases(group).values()]
    named: Any = {"case-m1": "the case of Amina"}
    calls = (
        lambda: next_steps_group(group, today=_day(2), cases=parsed),
        lambda: ipt_core.group_outcomes(group, parsed, today=_day(2)),
        lambda: group_report_data(group, today=_day(2), cases=parsed),
        lambda: next_steps_group(group, today=_day(2), cases=named),
    )
    for call in calls:
        with pytest.raises(TypeError, match=r"ipt_core\.Case") as caught:
            call()
        assert "Amina" not in str(caught.value)
        assert "case-m1" not in str(caught.value)
    for group_given in (ipt_core.dumps(group), None):
        for entry in (ipt_core.evaluate_group, next_steps_group):
            with pytest.raises(TypeError, match=r"ipt_core\.Group"):
                entry(group_given, today=_day(2))  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"ipt_core\.Group"):
            ipt_core.group_outcomes(group_given, [], today=_day(2))  # type: ignore[arg-type]


def json_of(case: Case) -> dict[str, object]:
    import json

    parsed: dict[str, object] = json.loads(ipt_core.dumps(case))
    return parsed


def test_the_report_says_who_did_not_finish_and_shows_the_gad7_it_judged_recovery_on() -> None:
    """Chen dropped out after one session: 'recovered: no' would read as a failed treatment; the
    report says he did not finish. Bo's PHQ-9 fell below caseness but her GAD-7 did not: the report
    shows both, so 'recovered: no' can be understood."""
    group = sample_group(8)
    cases = sample_group_cases(group)
    today = group.sessions[-1].date + timedelta(days=3)
    outcomes = ipt_core.group_outcomes(group, cases, today=today)
    lines = render_group_text(group, today=today, cases=cases).splitlines()
    for member in group.members:
        outcome = outcomes.member(member.id)
        line = next(line for line in lines if line.startswith(f"  {member.alias}: PHQ-9"))
        if not outcome.finished_treatment:
            assert line.endswith("did not finish treatment")
        else:
            assert line.endswith(f"recovered: {'yes' if outcome.recovered else 'no'}")
        if "gad7" in outcome.first:
            assert f"GAD-7 {outcome.first['gad7']} -> {outcome.last['gad7']}" in line
    assert any("GAD-7" in line for line in lines)
    assert any(line.endswith("did not finish treatment") for line in lines)


def test_a_group_with_only_its_supervisor_recorded_has_no_one_leading_it() -> None:
    """The WHO format is led by trained facilitators under supervision: a group whose only
    recorded facilitator is the supervising clinician has no one recorded to lead its sessions."""
    supervised = attrs.evolve(
        _group(1), facilitators=(Facilitator("s1", "Dr K", ipt_core.FacilitatorRole.SUPERVISOR),)
    )
    report = ipt_core.evaluate_group(supervised, today=_day(1) + timedelta(days=1))
    found = [f for f in report.findings if f.code == "group.no_facilitator"]
    assert [(f.path, f.blocking) for f in found] == [("$.facilitators", False)]
    assert "supervisor" in found[0].message
    led = ipt_core.evaluate_group(_group(1), today=_day(1) + timedelta(days=1))
    assert "group.no_facilitator" not in {f.code for f in led.findings}


def test_a_name_written_with_a_zero_width_joiner_is_shown_as_written() -> None:
    """A Nepali facilitator writes a member's name with the eyelash ra (र, virama, zero-width
    joiner), and another member's with an emoji sequence: both are shown as written in the agenda and
    the report. A line break or a direction override is still shown as an escape."""
    group = _group(1, unmet=("m1", "m2", "m3"))
    names = {"m1": "गर्\u200dया", "m2": "Joy \U0001f469\u200d\U0001f33e", "m3": "Eve\u202e\nall safe"}
    group = attrs.evolve(
        group, members=tuple(attrs.evolve(m, alias=names.get(m.id, m.alias)) for m in group.members)
    )
    agenda = next_steps_group(group, today=_day(1) + timedelta(days=1))
    rendered = agenda.render(names=names)
    text = render_group_text(group, today=_day(1) + timedelta(days=1))
    for shown in (rendered, text):
        assert names["m1"] in shown
        assert names["m2"] in shown
        assert "\u202e" not in shown
        assert "Eve\\u202e\\nall safe" in shown


def test_the_report_counts_the_members_enrolled_to_join_beside_the_active_ones() -> None:
    """Six members are enrolled to join on the day of session 1; the week before, the report's
    first line says so, instead of a bare '0 active members' above a list of six."""
    group = _group(0)
    group = attrs.evolve(group, members=tuple(attrs.evolve(m, joined=FIRST) for m in group.members))
    first = render_group_text(group, today=MET).splitlines()[0]
    assert first.endswith(", 0 active members, 6 joining later")
    data = group_report_data(group, today=MET)
    assert (data["active_members"], data["joining_members"]) == (0, 6)
    assert render_group_text(_group(1), today=_day(1)).splitlines()[0].endswith(", 6 active members")


def test_two_members_with_one_name_are_told_apart_or_flagged() -> None:
    """Two women called Grace join the group. An agenda item 'meet Grace alone' would not say
    which: the report finds the shared name (advice, at the second member's alias, never the name)."""
    group = _group(1)
    members = list(group.members)
    members[1] = attrs.evolve(members[1], alias="Grace")
    members[4] = attrs.evolve(members[4], alias="Grace")
    group = attrs.evolve(group, members=tuple(members))
    report = ipt_core.evaluate_group(group, today=_day(1) + timedelta(days=1))
    found = [f for f in report.findings if f.code == "group.shared_alias"]
    assert [(f.path, f.blocking) for f in found] == [("$.members[4].alias", False)]
    assert "Grace" not in found[0].message
    assert not [
        f
        for f in ipt_core.evaluate_group(_group(1), today=_day(1)).findings
        if f.code == "group.shared_alias"
    ]
