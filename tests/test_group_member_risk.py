"""The group agenda leads with the members' own risk: a group records none, so the members' cases
are read for open risk flags (``next_steps_group(group, today=..., cases=...)``).

The vignettes are an 8-session WHO group as its facilitators and the supervising clinician would
record it; the properties hold for any group and any member cases."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from random import Random

import attrs
from hypothesis import given
from hypothesis import strategies as st

import ipt_core
from ipt_core import (
    Case,
    Group,
    GroupAttendance,
    GroupSession,
    Member,
    MemberAttendance,
    MemberExit,
    Phase,
    PreGroupMeeting,
    RiskGrade,
    RiskSettings,
    SessionRecord,
)
from ipt_core.agenda import GroupAgenda, GroupAgendaItem, ItemKind
from ipt_core.boundary.group_report import group_report_data, render_group_text
from ipt_core.cli import main
from ipt_core.domain.contract import Frequency, TreatmentContract
from ipt_core.domain.sessions import Answer, Attendance, InstrumentAnswers, Missing, RiskCheck, RiskLevel
from ipt_core.testing import groups

MET = date(2025, 3, 3)
"""The week of the pre-group meetings."""
FIRST = date(2025, 3, 17)
"""Group session 1."""
WEEK = timedelta(days=7)
ALIASES = {"m1": "Amina", "m2": "Bea", "m3": "Chidi", "m4": "Dawit", "m5": "Esi", "m6": "Fatuma"}
CLINICAL_NOTE = "said she had thought of taking the tablets"
"""A clinician's risk note: it must never reach an agenda."""
GRADES = (RiskGrade.HIGH, RiskGrade.ELEVATED, RiskGrade.UNKNOWN)
"""Known high risk first, then raised, then not assessed."""
MEMBER_RISK = (
    "group.member_risk",
    "group.member_risk_left",
    "group.member_risk_dated_later",
    "group.member_risk_dated_ahead",
)
CRISIS_REFERRAL = "group.member_crisis_referral"
"""The facilitators' own record of a member leaving on a crisis referral (risk, not blocking)."""


def _phase(number: int) -> Phase:
    return Phase.INITIAL if number == 1 else Phase.TERMINATION if number == 8 else Phase.MIDDLE


def _phq9(item9: Answer, level: int = 1) -> InstrumentAnswers:
    return InstrumentAnswers("phq9", (level,) * 8 + (item9,))


def _group(sessions: int, *, leaver_after: int | None = 2) -> Group:
    """Six members met alone in the first week, then ``sessions`` weekly group sessions; Esi (m5)
    stops coming after ``leaver_after`` sessions and leaves the group."""
    members = tuple(Member(m, f"case-{m}", alias, joined=MET) for m, alias in ALIASES.items())
    group = Group(
        id="village-2",
        protocol_id="group-who",
        facilitators=(ipt_core.Facilitator("f1", "Nadia"),),
        members=members,
        pre_group_meetings=tuple(
            PreGroupMeeting(m.id, MET + timedelta(days=i)) for i, m in enumerate(members)
        ),
    )
    for number in range(1, sessions + 1):
        here = [m for m in ALIASES if m != "m5" or leaver_after is None or number <= leaver_after]
        records = tuple(MemberAttendance(m, GroupAttendance.ATTENDED) for m in here)
        group = group.with_session(GroupSession(number, FIRST + WEEK * (number - 1), _phase(number), records))
        if leaver_after is not None and number == leaver_after:
            group = group.with_exit(
                "m5", on=FIRST + WEEK * (number - 1) + timedelta(days=3), reason="dropped_out"
            )
    return group


def _case(member: str, group: Group, marks: Mapping[int, SessionRecord] | None = None) -> Case:
    """The member's own case: the pre-group meeting as session 0 (PHQ-9, item 9 answered 0), then
    a PHQ-9 at each group session they came to, item 9 answered 0 unless ``marks`` records the
    session otherwise."""
    marks = marks or {}
    met = group.meetings_of(member)[0].date
    records = [SessionRecord(0, met, measures=(_phq9(0, 2),))]
    for session, status in group.attendance_of(member):
        came = status is GroupAttendance.ATTENDED
        records.append(
            marks.get(
                session.number,
                SessionRecord(
                    session.number,
                    session.date,
                    attendance=Attendance.ATTENDED if came else Attendance.DID_NOT_ATTEND,
                    measures=(_phq9(0),) if came else (),
                ),
            )
        )
    contract = TreatmentContract(
        protocol_id="group-who", start=met, planned_sessions=8, frequency=Frequency.WEEKLY
    )
    return Case(id=f"case-{member}", contract=contract, sessions=tuple(records))


def _day(group: Group, number: int) -> date:
    return next(s.date for s in group.sessions if s.number == number)


def _vignette(sessions: int) -> tuple[Group, dict[str, Case]]:
    """The group after ``sessions`` sessions and the cases the service holds:

    - Bea (m2) answered 2 ("more than half the days") to PHQ-9 item 9 at session 3; no risk check
      followed;
    - Dawit (m4): the supervising clinician judged his risk high at session 4 and reviewed it at
      session 5 (low, safety plan reviewed);
    - Esi (m5) answered 1 ("several days") to item 9 at session 2, her last, then left the group;
    - Fatuma's (m6) case was not passed in (kept by another clinic).
    """
    group = _group(sessions)
    marks: dict[str, dict[int, SessionRecord]] = {
        "m2": {3: SessionRecord(3, _day(group, 3), measures=(_phq9(2, 2),))} if sessions >= 3 else {},
        "m4": {},
        "m5": {2: SessionRecord(2, _day(group, 2), measures=(_phq9(1, 2),))},
    }
    if sessions >= 4:
        check = RiskCheck(RiskLevel.HIGH, notes=CLINICAL_NOTE)
        marks["m4"][4] = SessionRecord(4, _day(group, 4), measures=(_phq9(0, 2),), risk_check=check)
    if sessions >= 5:
        review = RiskCheck(RiskLevel.LOW, safety_plan_reviewed=True, notes=CLINICAL_NOTE)
        marks["m4"][5] = SessionRecord(5, _day(group, 5), measures=(_phq9(0),), risk_check=review)
    cases = {f"case-{m}": _case(m, group, marks.get(m)) for m in ("m1", "m2", "m3", "m4", "m5")}
    return group, cases


def _by_code(agenda: GroupAgenda, code: str) -> list[GroupAgendaItem]:
    return [i for i in agenda.items if i.code == code]


def _texts(agenda: GroupAgenda) -> str:
    return "\n".join(f"{i.text}\n{i.lay_text}\n{i.source}" for i in agenda.items) + agenda.render()


# == Vignettes ==================================================================================


def test_a_member_whose_item_9_was_not_followed_up_is_seen_alone_before_the_next_session() -> None:
    group, cases = _vignette(3)
    agenda = ipt_core.next_steps_group(group, today=_day(group, 3) + timedelta(days=2), cases=cases)
    first = agenda.items[0]
    assert (first.code, first.kind, first.blocking) == ("group.member_risk", ItemKind.RISK, True)
    assert first.members == ("m2",)
    assert first.grade is RiskGrade.HIGH
    assert "graded high" in first.text
    assert "individually before the next group session" in first.text
    assert "review their safety" in first.text
    assert "on their own" in first.lay_text
    assert "supervisor" in first.lay_text  # a lay facilitator is not left alone with a high flag
    # Esi left after session 2 with her item-9 answer of 1 unreviewed: she is followed up, not dropped
    left = agenda.items[1]
    assert (left.code, left.members, left.grade, left.blocking) == (
        "group.member_risk_left",
        ("m5",),
        RiskGrade.ELEVATED,
        True,
    )
    assert "left the group" in left.text
    assert "graded elevated" in left.text
    assert "contact each of them" in left.lay_text
    # Fatuma's case was not given: said, not blocking, and never counted as "no risk"
    missing = _by_code(agenda, "group.member_case_missing")
    assert [(i.members, i.blocking) for i in missing] == [(("m6",), False)]
    assert "could not be checked" in missing[0].text
    # the risk items come first, before the group's own work
    codes = [i.code for i in agenda.items]
    assert codes[:3] == ["group.member_risk", "group.member_risk_left", "group.member_case_missing"]
    assert "group.middle.review" in codes
    assert "group.member_risk_not_checked" not in codes


def test_a_high_risk_check_is_open_until_the_clinician_reviews_it_at_the_next_session() -> None:
    group, cases = _vignette(4)
    agenda = ipt_core.next_steps_group(group, today=_day(group, 4) + timedelta(days=1), cases=cases)
    high = next(i for i in agenda.items if i.code == "group.member_risk" and i.grade is RiskGrade.HIGH)
    assert high.members == ("m2", "m4")  # the group's member order
    group, cases = _vignette(5)
    agenda = ipt_core.next_steps_group(group, today=_day(group, 5) + timedelta(days=1), cases=cases)
    current = _by_code(agenda, "group.member_risk")
    assert [(i.members, i.grade) for i in current] == [(("m2",), RiskGrade.HIGH)]  # Dawit's is closed
    assert "m4" not in {m for i in agenda.items for m in i.members}


def test_items_name_members_by_id_never_by_alias_nor_with_clinical_text() -> None:
    group, cases = _vignette(5)
    for day in (_day(group, 4) + timedelta(days=1), _day(group, 5), group.sessions[-1].date + WEEK):
        agenda = ipt_core.next_steps_group(group, today=day, cases=cases)
        words = _texts(agenda)
        assert not [alias for alias in ALIASES.values() if alias in words]
        assert CLINICAL_NOTE not in words
        assert "tablets" not in words


def test_without_the_cases_the_agenda_says_once_that_member_risk_was_not_checked() -> None:
    group, cases = _vignette(3)
    today = _day(group, 3) + timedelta(days=2)
    bare = ipt_core.next_steps_group(group, today=today)
    assert ipt_core.next_steps_group(group, None, today=today) == bare  # the old call, unchanged
    flagged = [i for i in bare.items if i.code.startswith("group.member_")]
    assert [(i.code, i.kind, i.blocking, i.members) for i in flagged] == [
        ("group.member_risk_not_checked", ItemKind.REMINDER, False, ())
    ]
    assert bare.items[0] is flagged[0]
    given = ipt_core.next_steps_group(group, today=today, cases=cases)
    # the rest of the agenda does not change with the cases
    assert [i for i in given.items if not i.code.startswith("group.member_")] == list(bare.items[1:])
    # a group with no members has no member risk to check
    empty = Group(id="empty", protocol_id="group-who")
    assert not [i for i in ipt_core.next_steps_group(empty, today=today).items if "member_risk" in i.code]


def test_a_finished_group_still_hands_on_its_members_open_flags() -> None:
    group, cases = _vignette(8)
    after = group.sessions[-1].date + timedelta(days=10)
    agenda = ipt_core.next_steps_group(group, today=after, cases=cases)
    assert agenda.phase is Phase.COMPLETED
    assert [(i.code, i.members, i.blocking) for i in agenda.items] == [
        ("group.member_risk", ("m2",), True),
        ("group.member_risk_left", ("m5",), True),
        ("group.member_case_missing", ("m6",), False),
    ]
    assert "the group has ended" in agenda.items[0].text
    assert "next group session" not in agenda.items[0].text


def test_an_unanswered_item_9_is_risk_not_assessed_and_comes_after_known_risk() -> None:
    group = _group(3, leaver_after=None)
    skipped = {3: SessionRecord(3, _day(group, 3), measures=(_phq9(Missing.SKIPPED),))}
    bea = {3: SessionRecord(3, _day(group, 3), measures=(_phq9(1),))}
    chidi = {3: SessionRecord(3, _day(group, 3), measures=(_phq9(3),))}
    cases = {f"case-{m}": _case(m, group, {"m1": skipped, "m2": bea, "m3": chidi}.get(m)) for m in ALIASES}
    agenda = ipt_core.next_steps_group(group, today=_day(group, 3) + timedelta(days=1), cases=cases)
    risk = [(i.members, i.grade) for i in agenda.items if i.code == "group.member_risk"]
    assert risk == [(("m3",), RiskGrade.HIGH), (("m2",), RiskGrade.ELEVATED), (("m1",), RiskGrade.UNKNOWN)]
    unknown = agenda.items[2]
    assert "risk not assessed" in unknown.text
    assert "supervisor" not in unknown.lay_text  # only a high flag asks for the supervisor at once
    # the service's own cut-offs: item 9 high only from 3
    strict = RiskSettings(phq9_item9_high_from=3)
    graded = ipt_core.next_steps_group(
        group, today=_day(group, 3) + timedelta(days=1), cases=cases, risk_settings=strict
    )
    assert [(i.members, i.grade) for i in graded.items if i.code == "group.member_risk"] == risk
    bea_two = {3: SessionRecord(3, _day(group, 3), measures=(_phq9(2),))}
    cases["case-m2"] = _case("m2", group, bea_two)
    graded = ipt_core.next_steps_group(
        group, today=_day(group, 3) + timedelta(days=1), cases=cases, risk_settings=strict
    )
    assert ("m2",) in [i.members for i in graded.items if i.grade is RiskGrade.ELEVATED]


def test_risk_recorded_on_a_device_dated_tomorrow_is_not_hidden_by_the_clock() -> None:
    group = _group(2, leaver_after=None)
    today = _day(group, 2)
    ahead = SessionRecord(3, today + timedelta(days=1), measures=(_phq9(3),))
    cases = {f"case-{m}": _case(m, group) for m in ALIASES}
    cases["case-m3"] = attrs.evolve(cases["case-m3"], sessions=(*cases["case-m3"].sessions, ahead))
    agenda = ipt_core.next_steps_group(group, today=today, cases=cases)
    assert [(i.code, i.members, i.blocking) for i in agenda.items[:1]] == [
        ("group.member_risk_dated_later", ("m3",), True)
    ]
    assert not _by_code(agenda, "group.member_risk")  # not held yet as of today


def test_cases_of_non_members_are_ignored_and_an_iterable_of_cases_is_read_as_a_mapping() -> None:
    group, cases = _vignette(3)
    stranger = attrs.evolve(cases["case-m2"], id="case-somebody-else")
    today = _day(group, 3) + timedelta(days=2)
    agenda = ipt_core.next_steps_group(group, today=today, cases={**cases, stranger.id: stranger})
    assert agenda == ipt_core.next_steps_group(group, today=today, cases=cases)
    assert agenda == ipt_core.next_steps_group(group, today=today, cases=list(cases.values()))


def test_the_group_report_with_member_cases_leads_the_next_session_with_their_risk() -> None:
    group, cases = _vignette(3)
    today = _day(group, 3) + timedelta(days=2)
    text = render_group_text(group, today=today, cases=list(cases.values()))
    lines = text.splitlines()
    start = lines.index("Next session:")
    assert "graded high" in lines[start + 2]
    assert "cases not given: case-m6" in text  # the outcomes are still computed from the same cases
    bare = render_group_text(group, today=today).splitlines()
    assert "not checked" in bare[bare.index("Next session:") + 2]


def test_the_report_names_the_members_each_item_concerns_by_their_alias() -> None:
    # The facilitator reads the report, not the item ids: Bea is the member to see alone.
    group, cases = _vignette(3)
    today = _day(group, 3) + timedelta(days=2)
    lines = render_group_text(group, today=today, cases=list(cases.values())).splitlines()
    start = lines.index("Next session:")
    bea = group.member("m2").alias
    assert lines[start + 2].endswith(f"({bea})")
    agenda = ipt_core.next_steps_group(group, today=today, cases=cases)
    assert agenda.render().splitlines()[1].endswith("(m2)")  # without names, by id
    assert bea not in agenda.render()


def test_the_command_reads_the_member_case_files_for_risk(tmp_path: Path) -> None:
    group, cases = _vignette(3)
    (tmp_path / "group.json").write_bytes(ipt_core.dumps(group))
    argv = ["report", str(tmp_path / "group.json"), "--today", str(_day(group, 3) + timedelta(days=2))]
    for case in cases.values():
        (tmp_path / f"{case.id}.json").write_bytes(ipt_core.dumps(case))
        argv += ["--case", str(tmp_path / f"{case.id}.json")]
    out, err = io.StringIO(), io.StringIO()
    assert main(argv, out=out, err=err) == 0, err.getvalue()
    text = out.getvalue()
    after = text.split("Next session:\n", 1)[1].splitlines()
    assert "an open risk flag graded high in these members' own cases" in after[1]
    assert "these members left the group with an open risk flag graded elevated" in after[2]
    assert "risk could not be checked for these members" in after[3]
    assert CLINICAL_NOTE not in text


# == Properties ===================================================================================


@st.composite
def _member_case(draw: st.DrawFn, member: Member, group: Group) -> Case:
    """A member's case around the group's dates: PHQ-9s with any item-9 answer (or none), risk
    checks of any level, some dated after the day the agenda is drawn up."""
    start = min((member.joined, *(s.date for s in group.sessions[:1])))
    records: list[SessionRecord] = []
    day = start - timedelta(days=draw(st.integers(0, 14)))
    for number in range(draw(st.integers(1, 6))):
        day += timedelta(days=draw(st.integers(0, 14)))
        item9 = draw(st.sampled_from([0, 0, 1, 2, 3, Missing.SKIPPED, None]))
        measures = (_phq9(item9),) if draw(st.booleans()) else ()
        checked = draw(st.integers(0, 2)) == 0
        check = RiskCheck(draw(st.sampled_from(RiskLevel)), notes=CLINICAL_NOTE) if checked else None
        records.append(SessionRecord(number, day, measures=measures, risk_check=check))
    contract = TreatmentContract(
        protocol_id="group-who", start=start - timedelta(days=14), planned_sessions=8
    )
    return Case(id=member.case_id, contract=contract, sessions=tuple(records), notes=CLINICAL_NOTE)


@st.composite
def _group_and_cases(draw: st.DrawFn) -> tuple[Group, dict[str, Case], date]:
    group = draw(groups(min_members=1, max_members=8, max_sessions=9, protocol_id="group-who"))
    # aliases that cannot occur in the library's words by chance; more members leave early (after
    # the last session they were recorded at, so the group stays valid)
    members = []
    for i, member in enumerate(group.members):
        leaver = member
        if member.left is None and draw(st.integers(0, 2)) == 0:
            seen = [s.date for s in group.sessions if s.status_of(member.id) is not None]
            left = max((member.joined, *seen)) + timedelta(days=draw(st.integers(0, 20)))
            leaver = attrs.evolve(member, left=left, exit_reason=MemberExit.DROPPED_OUT)
        members.append(attrs.evolve(leaver, alias=f"Qx{i}Alias"))
    group = attrs.evolve(group, members=tuple(members))
    cases = {m.case_id: draw(_member_case(m, group)) for m in group.members if draw(st.integers(0, 5))}
    # the day: around the group's last session, after a member left, or just before a session a
    # case records (which is then dated just after it)
    last = group.sessions[-1].date if group.sessions else group.members[0].joined
    days = [last + timedelta(days=draw(st.integers(-30, 60)))]
    days += [m.left + timedelta(days=draw(st.integers(1, 30))) for m in group.members if m.left is not None]
    days += [
        s.date - timedelta(days=draw(st.integers(1, 2))) for c in cases.values() for s in c.sessions[-1:]
    ]
    return group, cases, draw(st.sampled_from(days))


def _grade(case: Case, today: date) -> RiskGrade | None:
    levels = {f.level for f in ipt_core.open_risk_flags(case, today=today)}
    return next((g for g in GRADES if g in levels), None)


def _named(agenda: GroupAgenda, code: str) -> dict[str, RiskGrade | None]:
    found: dict[str, RiskGrade | None] = {}
    for item in _by_code(agenda, code):
        assert not set(item.members) & set(found), "a member is named once"
        found.update(dict.fromkeys(item.members, item.grade))
    return found


@given(_group_and_cases())
def test_the_members_named_are_exactly_those_whose_case_has_open_flags(
    drawn: tuple[Group, dict[str, Case], date],
) -> None:
    group, cases, today = drawn
    agenda = ipt_core.next_steps_group(group, today=today, cases=cases)
    staying: dict[str, RiskGrade | None] = {}
    gone: dict[str, RiskGrade | None] = {}
    for member in group.members:
        case = cases.get(member.case_id)
        grade = None if case is None else _grade(case, today)
        if grade is not None:
            left = member.left is not None and member.left < today
            (gone if left else staying)[member.id] = grade
    assert _named(agenda, "group.member_risk") == staying
    assert _named(agenda, "group.member_risk_left") == gone
    order = [m.id for m in group.members]
    for item in agenda.items:
        assert list(item.members) == sorted(item.members, key=order.index)  # the group's member order
    ranks = [GRADES.index(i.grade) for i in _by_code(agenda, "group.member_risk") if i.grade]
    assert ranks == sorted(ranks)  # high, then elevated, then not assessed
    missing = [m.id for m in group.members if m.case_id not in cases]
    assert [m for i in _by_code(agenda, "group.member_case_missing") for m in i.members] == missing
    assert not _by_code(agenda, "group.member_risk_not_checked")


@given(_group_and_cases())
def test_member_risk_is_blocking_and_comes_first(drawn: tuple[Group, dict[str, Case], date]) -> None:
    group, cases, today = drawn
    agenda = ipt_core.next_steps_group(group, today=today, cases=cases)
    codes = [i.code for i in agenda.items]
    risky = [i for i in agenda.items if i.code in (*MEMBER_RISK, CRISIS_REFERRAL)]
    assert all(i.kind is ItemKind.RISK and i.members for i in risky)
    assert all(i.blocking for i in risky if i.code in MEMBER_RISK)
    assert codes[: len(risky)] == [i.code for i in risky]
    missing = _by_code(agenda, "group.member_case_missing")
    assert codes[len(risky) : len(risky) + len(missing)] == [i.code for i in missing]
    assert not any(i.blocking for i in missing)
    # without the member risk, the agenda is the one the group alone gives
    bare = ipt_core.next_steps_group(group, today=today)
    assert [i.code for i in bare.items if i.code.startswith("group.member_")][-1] == (
        "group.member_risk_not_checked"
    )
    # (the members whose symptoms persist at the end are named from their cases too)
    from_cases = ("group.member_", "group.termination.symptoms_persist")
    rest = [i for i in agenda.items if not i.code.startswith(from_cases)]
    assert rest == [i for i in bare.items if not i.code.startswith(from_cases)]


@given(_group_and_cases())
def test_no_alias_nor_clinical_text_appears_in_any_item(drawn: tuple[Group, dict[str, Case], date]) -> None:
    group, cases, today = drawn
    for given_cases in (cases, None):
        words = _texts(ipt_core.next_steps_group(group, today=today, cases=given_cases))
        assert "Alias" not in words
        assert CLINICAL_NOTE not in words


@given(groups(max_members=8, max_sessions=6), st.integers(-10, 400))
def test_without_cases_member_risk_is_said_not_checked_once(group: Group, offset: int) -> None:
    today = (group.start or date(2030, 1, 1)) + timedelta(days=offset)
    agenda = ipt_core.next_steps_group(group, today=today)
    said = [i for i in agenda.items if i.code == "group.member_risk_not_checked"]
    assert len(said) == (1 if group.members else 0)
    assert not any(i.code in MEMBER_RISK or i.code == "group.member_case_missing" for i in agenda.items)
    # the facilitators' own record of a crisis referral needs no case: it comes first
    referred = tuple(m.id for m in group.members if m.exit_reason is MemberExit.CRISIS_REFERRAL)
    crisis = [i for i in agenda.items if i.code == CRISIS_REFERRAL]
    assert [i.members for i in crisis] == ([referred] if referred else [])
    if said:
        assert list(agenda.items[: len(crisis) + 1]) == [*crisis, said[0]]
        assert not said[0].blocking


@given(_group_and_cases(), st.booleans())
def test_the_rendered_agenda_names_every_member_of_every_item(
    drawn: tuple[Group, dict[str, Case], date], lay: bool
) -> None:
    group, cases, today = drawn
    agenda = ipt_core.next_steps_group(group, today=today, cases=cases)
    names = {m.id: f"<{m.id}>" for m in group.members}
    by_id, by_name = (
        agenda.render(lay=lay).splitlines()[1:],
        agenda.render(lay=lay, names=names).splitlines()[1:],
    )
    assert len(by_id) == len(by_name) == len(agenda.items)
    for item, plain, named in zip(agenda.items, by_id, by_name, strict=True):
        said = item.lay_text if lay else item.text
        assert plain == f"- {said} ({', '.join(item.members)})" if item.members else plain == f"- {said}"
        assert all(f"<{m}>" in named for m in item.members)


# == Attacks ======================================================================================


def test_a_second_copy_of_a_members_case_cannot_hide_her_open_flag() -> None:
    # A service hands over its records as a list, and an older export of Bea's case (before her
    # item-9 answer) comes after the current one: her risk must still lead the agenda and the report.
    group, cases = _vignette(3)
    today = _day(group, 3) + timedelta(days=2)
    older = _case("m2", group)
    assert older.id == cases["case-m2"].id
    for handed in ([*cases.values(), older], [older, *cases.values()]):
        agenda = ipt_core.next_steps_group(group, today=today, cases=handed)
        high = [i.members for i in agenda.items if i.code == "group.member_risk"]
        assert high == [("m2",)]
        assert agenda.items[0].grade is RiskGrade.HIGH
        lines = render_group_text(group, today=today, cases=handed).splitlines()
        assert "graded high" in lines[lines.index("Next session:") + 2]


def test_a_name_with_a_line_break_cannot_add_a_line_to_the_rendered_agenda() -> None:
    group, cases = _vignette(3)
    agenda = ipt_core.next_steps_group(group, today=_day(group, 3) + timedelta(days=2), cases=cases)
    forged = {**ALIASES, "m2": "Bea)\n- all members are safe (Amina"}
    for lay in (False, True):
        plain = agenda.render(lay=lay, names=ALIASES).splitlines()
        lines = agenda.render(lay=lay, names=forged).splitlines()
        assert len(lines) == len(plain)
        assert not [line for line in lines[1:] if not line.startswith("- ")]
        assert "- all members are safe" not in lines
        assert "Bea)\\n- all members are safe (Amina" in lines[1]


def test_the_json_report_carries_each_item_with_its_code_members_and_grade() -> None:
    # A front end reading `ipt-core report group.json --format json` shows the members' risk from
    # codes, member ids and grades, without parsing the rendered text (which carries the aliases).
    group, cases = _vignette(3)
    today = _day(group, 3) + timedelta(days=2)
    data = group_report_data(group, today=today, cases=cases)
    agenda = ipt_core.next_steps_group(group, today=today, cases=cases)
    items = data["agenda_items"]
    assert [i["code"] for i in items] == [i.code for i in agenda.items]
    assert items[0] == {
        "code": "group.member_risk",
        "kind": "risk",
        "blocking": True,
        "members": ["m2"],
        "grade": "high",
        "text": agenda.items[0].text,
        "lay_text": agenda.items[0].lay_text,
    }
    assert (items[1]["code"], items[1]["members"], items[1]["grade"]) == (
        "group.member_risk_left",
        ["m5"],
        "elevated",
    )
    assert items[2]["grade"] is None
    assert json.loads(json.dumps(data)) == data
    words = json.dumps(items)
    assert not [alias for alias in ALIASES.values() if alias in words]
    assert CLINICAL_NOTE not in json.dumps(data)


@given(_group_and_cases(), st.booleans(), st.data())
def test_no_name_adds_a_line_to_the_rendered_agenda(
    drawn: tuple[Group, dict[str, Case], date], lay: bool, data: st.DataObject
) -> None:
    group, cases, today = drawn
    agenda = ipt_core.next_steps_group(group, today=today, cases=cases)
    names = {m.id: data.draw(st.text(min_size=1, max_size=20)) for m in group.members}
    lines = agenda.render(lay=lay, names=names).splitlines()
    assert len(lines) == 1 + len(agenda.items)
    assert all(line.startswith("- ") for line in lines[1:])


@given(_group_and_cases(), st.randoms(use_true_random=False))
def test_the_keys_a_mapping_files_the_cases_under_change_nothing(
    drawn: tuple[Group, dict[str, Case], date], rng: Random
) -> None:
    """Each case is read under its own id: the same cases filed under shuffled keys, or given as a
    list, give the same agenda and the same outcomes."""
    group, cases, today = drawn
    keys = list(cases)
    rng.shuffle(keys)
    shuffled = dict(zip(keys, cases.values(), strict=True))
    agenda = ipt_core.next_steps_group(group, today=today, cases=cases)
    assert ipt_core.next_steps_group(group, today=today, cases=shuffled) == agenda
    assert ipt_core.next_steps_group(group, today=today, cases=list(cases.values())) == agenda
    outcomes = ipt_core.group_outcomes(group, cases, today=today)
    assert ipt_core.group_outcomes(group, shuffled, today=today) == outcomes
