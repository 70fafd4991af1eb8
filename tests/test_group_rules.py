"""Group rules, the group agenda and group outcomes, written as facilitators would meet them."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest

import ipt_core
from ipt_core import Group, GroupAttendance, GroupSession, Member, MemberAttendance, Phase, PreGroupMeeting
from ipt_core.analytics import UNGROUPED, group_of_cases, outcomes_by_group, service_outcomes
from ipt_core.boundary.group_report import render_group_text
from ipt_core.domain.analytics import case_measures
from ipt_core.phases import GroupRules, group_rules
from ipt_core.testing import sample_cohort, sample_group, sample_group_cases

WHO = ipt_core.protocols.get("group-who")
START = date(2025, 3, 3)
FIRST = date(2025, 3, 17)


def _forming(size: int, *, met: int | None = None) -> Group:
    """A group being formed: ``size`` members joined, the first ``met`` of them met alone."""
    members = tuple(Member(f"m{i}", f"c{i}", f"Member {i}", joined=START) for i in range(size))
    meetings = tuple(
        PreGroupMeeting(m.id, START + timedelta(days=2)) for m in members[: size if met is None else met]
    )
    lead = (ipt_core.Facilitator("f", "Facilitator"),)
    return Group(
        id="g", protocol_id="group-who", facilitators=lead, members=members, pre_group_meetings=meetings
    )


def test_the_who_rules_come_from_the_protocol() -> None:
    rules = group_rules(WHO)
    assert (rules.min_members, rules.max_members) == (6, 10)
    assert rules.planned_sessions == 8
    assert rules.pre_group_meeting
    assert [rules.planned_phase(n) for n in range(1, 9)] == [Phase.INITIAL] + [Phase.MIDDLE] * 6 + [
        Phase.TERMINATION
    ]
    assert "S14" in rules.size_source
    assert rules.follow_up_source.startswith("setting")
    with pytest.raises(ValueError, match="at least 1"):
        GroupRules(planned_sessions=8, phases=(), follow_up_after_missed=0)


def test_a_group_of_five_is_below_the_who_minimum() -> None:
    report = ipt_core.evaluate_group(_forming(5), today=START + timedelta(days=5))
    finding = next(f for f in report.findings if f.code == "group.below_minimum_size")
    assert not finding.blocking
    assert finding.path == "$.members"
    assert "6" in finding.message
    assert report.phase is Phase.PRE_TREATMENT
    assert not report.blocking
    assert not any(
        f.code == "group.below_minimum_size"
        for f in ipt_core.evaluate_group(_forming(6), today=START + timedelta(days=5)).findings
    )
    eleven = ipt_core.evaluate_group(_forming(11), today=START + timedelta(days=5))
    assert "group.above_maximum_size" in [f.code for f in eleven.findings]


def test_a_member_not_yet_met_blocks_the_first_session() -> None:
    group = _forming(7, met=5)
    report = ipt_core.evaluate_group(group, today=START + timedelta(days=5))
    assert [(f.code, f.path) for f in report.blocking] == [
        ("group.no_pre_group_meeting", "$.members[5]"),
        ("group.no_pre_group_meeting", "$.members[6]"),
    ]
    agenda = ipt_core.next_steps_group(group, today=START + timedelta(days=5))
    # without the members' cases, the agenda first says their risk was not checked (not blocking)
    assert [(i.code, i.blocking) for i in agenda.items[:1]] == [("group.member_risk_not_checked", False)]
    first = agenda.items[1]
    assert first.code == "group.pre_group_meeting"
    assert first.blocking
    assert first.members == ("m5", "m6")
    # the facilitator reads the agenda: the lay words tell them whom to meet, not to meet themselves
    assert "facilitator" not in first.lay_text
    assert "member" in first.lay_text
    assert agenda.session == 1
    assert agenda.session_phase is Phase.INITIAL
    lay = agenda.render(lay=True)
    assert "life changes" in lay
    assert "loneliness/social isolation" in lay
    assert "grief" in lay


def test_a_member_who_came_without_meeting_first_is_found_afterwards() -> None:
    group = _forming(6, met=6)
    late = Member("late", "c-late", "Latecomer", joined=FIRST)
    group = group.with_member(late)
    group = group.with_session(
        GroupSession(
            1,
            FIRST,
            Phase.INITIAL,
            tuple(MemberAttendance(m.id, GroupAttendance.ATTENDED) for m in group.members),
        )
    )
    before_meeting = ipt_core.evaluate_group(group, today=FIRST + timedelta(days=1))
    assert [f.path for f in before_meeting.blocking] == ["$.members[6]"]
    agenda = ipt_core.next_steps_group(group, today=FIRST + timedelta(days=1))
    assert agenda.items[0].code == "group.member_risk_not_checked"
    assert agenda.items[1].members == ("late",)
    assert "before the next group session" in agenda.items[1].text  # their first is past
    group = group.with_meeting(PreGroupMeeting("late", FIRST + timedelta(days=1)))  # met only after
    report = ipt_core.evaluate_group(group, today=FIRST + timedelta(days=2))
    assert report.status("late").first_session == 1
    assert not report.status("late").met_before_group
    # the catch-up meeting is done: still found, no longer blocking the next session
    assert not report.blocking
    text = render_group_text(group, today=FIRST + timedelta(days=2))
    assert "Latecomer: active; attended 1, missed 0, excused 0 (100%); met alone only after" in text
    late_meeting = next(f for f in report.findings if f.code == "group.pre_group_meeting_late")
    assert late_meeting.path == "$.members[6]"
    assert not any(
        i.code == "group.pre_group_meeting"
        for i in ipt_core.next_steps_group(group, today=FIRST + timedelta(days=2)).items
    )


def test_a_finished_group_blocks_nothing_and_asks_for_no_pre_group_meeting() -> None:
    group = sample_group()
    group = attrs.evolve(
        group, pre_group_meetings=tuple(m for m in group.pre_group_meetings if m.member != "m2")
    )
    after = group.sessions[-1].date + timedelta(days=30)
    report = ipt_core.evaluate_group(group, today=after)
    assert report.phase is Phase.COMPLETED
    assert not report.blocking
    assert [f.path for f in report.findings if f.code == "group.no_pre_group_meeting"] == ["$.members[1]"]
    # nothing left to do for the group, but the members' own risk was not checked (not blocking)
    items = ipt_core.next_steps_group(group, today=after).items
    assert [(i.code, i.blocking) for i in items] == [("group.member_risk_not_checked", False)]


def test_members_enrolled_to_join_at_session_one_count_and_must_be_met_first() -> None:
    # The roster is drawn up after screening; each member "joins" on the day of group session 1.
    members = tuple(Member(f"m{i}", f"c{i}", f"Member {i}", joined=FIRST) for i in range(7))
    met = tuple(PreGroupMeeting(f"m{i}", START + timedelta(days=i)) for i in range(5))
    lead = (ipt_core.Facilitator("f", "Facilitator"),)
    group = Group(id="g", protocol_id="group-who", facilitators=lead, members=members, pre_group_meetings=met)
    before = FIRST - timedelta(days=3)
    report = ipt_core.evaluate_group(group, today=before)
    assert report.phase is Phase.PRE_TREATMENT
    assert "group.below_minimum_size" not in [f.code for f in report.findings]
    assert [(f.code, f.path) for f in report.blocking] == [
        ("group.no_pre_group_meeting", "$.members[5]"),
        ("group.no_pre_group_meeting", "$.members[6]"),
    ]
    assert report.status("m0").joining
    assert not report.status("m0").active
    agenda = ipt_core.next_steps_group(group, today=before)
    assert agenda.items[0].code == "group.member_risk_not_checked"
    assert agenda.items[1].code == "group.pre_group_meeting"
    assert agenda.items[1].members == ("m5", "m6")
    assert "group.size.below_minimum" not in [i.code for i in agenda.items]
    assert agenda.headline.endswith("7 members")
    text = render_group_text(group, today=before)
    assert "left (" not in text
    assert "Member 0: joins" in text


def _with_sessions(group: Group, marks: dict[str, str]) -> Group:
    """Group sessions from a register: one letter per session (A, M, E) for each member."""
    status = {"A": GroupAttendance.ATTENDED, "M": GroupAttendance.MISSED, "E": GroupAttendance.EXCUSED}
    count = len(next(iter(marks.values())))
    rules = group_rules(WHO)
    for n in range(1, count + 1):
        records = tuple(MemberAttendance(m, status[r[n - 1]]) for m, r in marks.items())
        group = group.with_session(
            GroupSession(n, FIRST + timedelta(days=7 * (n - 1)), rules.planned_phase(n), records)
        )
    return group


def test_members_who_missed_the_last_session_are_followed_up_in_lay_words() -> None:
    marks = {"m0": "AAA", "m1": "AAM", "m2": "AMA", "m3": "AAE", "m4": "MMM", "m5": "AAA"}
    group = _with_sessions(_forming(6), marks)
    today = FIRST + timedelta(days=15)
    report = ipt_core.evaluate_group(group, today=today)
    assert report.follow_up == ("m1", "m4")
    assert report.status("m4").missed_in_a_row == 3
    assert report.status("m3").excused == 1
    agenda = ipt_core.next_steps_group(group, today=today)
    item = next(i for i in agenda.items if i.code == "group.follow_up")
    assert item.members == ("m1", "m4")
    assert "have missed meetings" in item.lay_text
    assert agenda.session == 4
    assert agenda.session_phase is Phase.MIDDLE
    assert agenda.lay_headline == "meeting 4 of 8"
    strict = ipt_core.evaluate_group(
        group, today=today, rules=group_rules(WHO, excused_counts_as_missed=True)
    )
    assert strict.follow_up == ("m1", "m3", "m4")
    patient = ipt_core.evaluate_group(group, today=today, rules=group_rules(WHO, follow_up_after_missed=2))
    assert patient.follow_up == ("m4",)


def test_the_last_session_is_termination_and_then_the_group_is_complete() -> None:
    marks = {f"m{i}": "A" * 7 for i in range(6)}
    group = _with_sessions(_forming(6), marks)
    agenda = ipt_core.next_steps_group(group, today=FIRST + timedelta(days=45))
    assert agenda.session == 8
    assert agenda.session_phase is Phase.TERMINATION
    assert any(i.code == "group.termination.feelings" for i in agenda.items)
    done = _with_sessions(_forming(6), {m: r + "A" for m, r in marks.items()})
    final = ipt_core.next_steps_group(done, today=FIRST + timedelta(days=60))
    assert final.phase is Phase.COMPLETED
    assert [i.code for i in final.items] == ["group.member_risk_not_checked"]
    assert not ipt_core.evaluate_group(done, today=FIRST + timedelta(days=60)).findings


def test_a_member_who_missed_the_last_session_of_a_finished_group_is_not_invited_back() -> None:
    marks = {f"m{i}": "A" * 8 for i in range(5)} | {"m5": "AAAAAAAM"}
    group = _with_sessions(_forming(6), marks)
    today = FIRST + timedelta(days=60)
    report = ipt_core.evaluate_group(group, today=today)
    assert report.phase is Phase.COMPLETED
    assert report.follow_up == ("m5",)  # still contacted: they missed the ending
    finding = next(f for f in report.findings if f.code == "group.follow_up")
    assert "next" not in finding.message
    agenda = ipt_core.next_steps_group(group, today=today)
    item = next(i for i in agenda.items if i.code == "group.follow_up")
    assert item.members == ("m5",)
    assert "next" not in item.text
    assert "invite them back" not in item.lay_text
    assert "group has ended" in item.lay_text


def test_sessions_off_the_plan_are_advice() -> None:
    group = attrs.evolve(_forming(6), facilitators=()).with_session(
        GroupSession(
            1,
            FIRST,
            Phase.MIDDLE,
            tuple(MemberAttendance(f"m{i}", GroupAttendance.ATTENDED) for i in range(5)),
        )
    )
    codes = {f.code: f for f in ipt_core.evaluate_group(group, today=FIRST).findings}
    assert codes["group.phase_not_planned"].path == "$.sessions[0].phase"
    assert codes["group.attendance_not_recorded"].path == "$.sessions[0].attendance"
    assert codes["group.no_facilitator"].path == "$.facilitators"
    assert not any(f.blocking for f in codes.values())


def test_agenda_sources_mark_the_unretrieved_who_manual_as_partial() -> None:
    # Only the WHO manual's front matter was retrieved (S13 ◐): a source leaning on it says so.
    group = sample_group()
    for day in (START, FIRST, FIRST + timedelta(days=21), FIRST + timedelta(days=49)):
        for item in ipt_core.next_steps_group(group, today=day).items:
            assert "S13" not in item.source or "◐" in item.source, item.code


def test_an_unknown_protocol_is_evaluated_as_who_and_said_so() -> None:
    group = Group(id="g", protocol_id="x-local-group")
    report = ipt_core.evaluate_group(group, today=START)
    assert not report.protocol_known
    assert report.protocol_id == "group-who"
    assert "group.protocol_unknown" in [f.code for f in report.findings]
    individual = ipt_core.evaluate_group(group, ipt_core.protocols.get("standard"), today=START)
    assert "group.not_a_group_protocol" in [f.code for f in individual.findings]


# -- outcomes -----------------------------------------------------------------------------------


def test_group_outcomes_reuse_the_progress_and_analytics_numbers() -> None:
    group = sample_group()
    cases = sample_group_cases(group)
    today = group.sessions[-1].date + timedelta(days=1)
    outcomes = ipt_core.group_outcomes(group, cases, today=today)
    assert outcomes.missing_cases == ()
    by_id = {c.id: c for c in cases}
    for member in outcomes.members:
        case = by_id[member.case_id]
        measures = case_measures(case)
        assert dict(member.first) == dict(measures.first)
        assert dict(member.last) == dict(measures.last)
        progress = ipt_core.progress.evaluate(case, today=today)
        assert member.response == progress.instruments["phq9"].response
        assert member.remission == progress.instruments["phq9"].remission
    assert outcomes.service == service_outcomes(cases, by=()).total
    paired = [m for m in outcomes.members if m.finished_treatment and m.phq9_change is not None]
    assert outcomes.with_paired_scores == len(paired)
    improved = sum(1 for m in paired if m.reliably_improved)
    assert outcomes.reliable_improvement_rate == pytest.approx(improved / len(paired))
    assert outcomes.dropout_rate == pytest.approx(1 / len(group.members))
    dropout = outcomes.member("m3")
    assert dropout.dropped_out
    assert dropout.attendance_rate == pytest.approx(1 / 4)


def test_a_member_with_phq9_only_is_judged_on_the_phq9_with_the_talking_therapies_thresholds() -> None:
    group = sample_group()
    only_phq9 = [
        attrs.evolve(
            case,
            sessions=tuple(
                attrs.evolve(s, measures=tuple(m for m in s.measures if m.instrument == "phq9"))
                for s in case.sessions
            ),
        )
        for case in sample_group_cases(group)
    ]
    today = group.sessions[-1].date + timedelta(days=1)
    outcomes = ipt_core.group_outcomes(group, only_phq9, today=today)
    for member in outcomes.members:
        assert member.talking_therapies is None
        if member.phq9_change is None or not member.finished_treatment:
            continue
        first, last = member.first["phq9"], member.last["phq9"]
        assert member.caseness_at_start == (first >= 10)
        assert member.recovered == (first >= 10 and last < 10)
        assert member.reliably_improved == (first - last >= 6)
        assert member.reliably_deteriorated == (last - first >= 6)


def test_missing_member_cases_are_named() -> None:
    group = sample_group()
    cases = sample_group_cases(group)[2:]
    outcomes = ipt_core.group_outcomes(group, cases, today=date(2026, 1, 1))
    assert outcomes.missing_cases == ("group-1-m1", "group-1-m2")
    missing = outcomes.member("m1")
    assert not missing.case_found
    assert missing.recovered is None
    assert missing.attended > 0  # attendance comes from the group itself


def test_the_cohort_table_breaks_down_by_group() -> None:
    cohort = list(sample_cohort(30, seed=3))
    group_a = {c.id: "a" for c in cohort[:10]}
    group_b = {c.id: "b" for c in cohort[10:18]}
    tables = outcomes_by_group(cohort, {**group_a, **group_b}, by=("protocol",))
    assert list(tables) == ["a", "b", UNGROUPED]
    assert tables["a"].total.cases == 10
    assert tables[UNGROUPED].total.cases == 12
    whole = service_outcomes(cohort, by=("protocol",)).total
    for name in ("cases", "recovered", "reliably_improved", "finished_treatment", "phq9_change_sum"):
        assert sum(getattr(t.total, name) for t in tables.values()) == getattr(whole, name)
    assert tables["a"].total == service_outcomes(cohort[:10], by=()).total


def test_groups_map_their_members_cases() -> None:
    group = sample_group()
    assert group_of_cases([group]) == {m.case_id: "group-1" for m in group.members}
    tables = outcomes_by_group(sample_group_cases(group), [group])
    assert list(tables) == ["group-1"]
    twin = Group(id="other", protocol_id="group-who", members=group.members[:1])
    with pytest.raises(ValueError, match="two of the groups"):
        group_of_cases([group, twin])


def test_a_group_named_like_the_ungrouped_key_is_refused_not_merged() -> None:
    group = attrs.evolve(sample_group(), id=UNGROUPED)
    others = list(sample_cohort(3, seed=1))
    with pytest.raises(ValueError, match="cases in no group"):
        outcomes_by_group([*sample_group_cases(group), *others], [group])


def test_mid_group_no_member_has_finished_treatment_yet_and_after_the_last_session_they_have() -> None:
    # NHS Talking Therapies counts outcomes of ended courses: after session 4 of 8 a member who came
    # to every session is still in treatment, however good the scores look.
    group = sample_group()
    cases = sample_group_cases(group)
    midway = group.sessions[3].date + timedelta(days=1)
    during = ipt_core.group_outcomes(group, cases, today=midway)
    staying = [m for m in during.members if m.member_id != "m3"]
    assert not any(m.finished_treatment for m in staying)
    assert not any(m.recovered for m in staying)
    after = ipt_core.group_outcomes(group, cases, today=group.sessions[-1].date + timedelta(days=1))
    assert all(m.finished_treatment for m in after.members if m.attended >= 2)


@pytest.mark.parametrize("given_as", ["group-who", 8])
def test_a_group_protocol_passed_as_its_id_is_refused_with_a_clear_type_error(given_as: object) -> None:
    from ipt_core.domain.group_agenda import next_steps_group
    from ipt_core.domain.group_rules import evaluate_group

    group = sample_group()
    on = group.sessions[-1].date if group.sessions else group.start
    for call in (
        lambda: evaluate_group(group, given_as, today=on),  # type: ignore[arg-type]
        lambda: next_steps_group(group, given_as, today=on),  # type: ignore[arg-type]
    ):
        with pytest.raises(TypeError, match=r"protocol must be a Protocol"):
            call()
