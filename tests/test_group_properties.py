"""Properties over generated groups: round trips, the two load paths, redaction, and the size,
pre-group and attendance findings of ``evaluate_group``."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ipt_core
from ipt_core import Group, GroupAttendance, GroupSession, MemberAttendance, Phase, ValidationError
from ipt_core.analytics import UNGROUPED, outcomes_by_group, service_outcomes
from ipt_core.boundary import _detailed, codec
from ipt_core.boundary.group_report import render_group_markdown, render_group_text
from ipt_core.boundary.redaction import PLACEHOLDER
from ipt_core.boundary.schema import model_for
from ipt_core.domain.risk import open_risk_flags
from ipt_core.testing import groups, sample_case, sample_cohort, sample_group, sample_group_cases

KEY = b"a group key of 32 bytes, say....."
WHO_MIN, WHO_MAX = 6, 10


@given(groups())
def test_groups_round_trip_identically(group: Group) -> None:
    raw = ipt_core.dumps(group)
    loaded = ipt_core.loads(raw, Group)
    assert loaded == group
    assert ipt_core.dumps(loaded) == raw
    assert ipt_core.loads(raw.decode(), Group) == group


GROUP_SCHEMA = jsonschema.Draft202012Validator(
    ipt_core.json_schema(Group), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


@given(groups())
def test_every_dumped_group_matches_the_json_schema_and_the_pydantic_model(group: Group) -> None:
    raw = ipt_core.dumps(group)
    GROUP_SCHEMA.validate(json.loads(raw))
    model_for(Group).model_validate_json(raw)


@given(groups())
def test_the_fast_and_detailed_paths_build_the_same_group(group: Group) -> None:
    text = ipt_core.dumps(group).decode()
    fast = codec._load_fast(text, Group, codec.DEFAULT_LIMITS)
    body = codec._envelope(codec._parse(text, codec.DEFAULT_LIMITS), "group")
    slow = _detailed.CONVERTER.structure(body, Group)
    assert fast == slow == group


@given(groups(min_members=1))
def test_redacted_groups_are_valid_and_keep_their_structure(group: Group) -> None:
    redacted = ipt_core.redact(group, key=KEY)
    assert ipt_core.loads(ipt_core.dumps(redacted), Group) == redacted
    # Ids become keyed opaque ids, the same in every reference (a member's case id too, so it
    # still names the member's redacted case); dates move by whole years, keeping every interval.
    assert [m.id for m in redacted.members] == [ipt_core.opaque_id(m.id, key=KEY) for m in group.members]
    assert [m.case_id for m in redacted.members] == [
        ipt_core.opaque_id(m.case_id, key=KEY) for m in group.members
    ]
    assert [[(a.member, a.status) for a in s.attendance] for s in redacted.sessions] == [
        [(ipt_core.opaque_id(a.member, key=KEY), a.status) for a in s.attendance] for s in group.sessions
    ]
    for before, after in zip(group.members, redacted.members, strict=True):
        assert after.alias == ipt_core.pseudonym(before.alias, key=KEY)
        if group.start is not None and redacted.start is not None:
            assert after.joined - redacted.start == before.joined - group.start
    for before_f, after_f in zip(group.facilitators, redacted.facilitators, strict=True):
        assert after_f.alias == ipt_core.pseudonym(before_f.alias, key=KEY)
        assert after_f.role is before_f.role
    assert redacted.notes == ""
    assert all(s.notes == "" for s in redacted.sessions)
    assert all(m.notes == "" for m in redacted.pre_group_meetings)
    raw = ipt_core.dumps(redacted).decode()
    assert PLACEHOLDER not in raw  # no required free text in a group


def _today(group: Group, offset: int) -> date:
    start = group.start or date(2020, 1, 1)
    return start + timedelta(days=offset)


@given(groups(protocol_id="group-who", max_members=14), st.integers(-10, 400))
def test_size_findings_follow_the_who_limits(group: Group, offset: int) -> None:
    today = _today(group, offset)
    report = ipt_core.evaluate_group(group, today=today)
    codes = [f.code for f in report.findings]
    active = sum(1 for m in group.members if m.member_on(today))
    enrolled = sum(1 for m in group.members if m.member_on(today) or today < m.joined)
    assert ("group.below_minimum_size" in codes) == (enrolled < WHO_MIN)
    assert ("group.above_maximum_size" in codes) == (enrolled > WHO_MAX)
    assert len(report.active_members) == active
    assert len(report.enrolled_members) == enrolled
    size = [f for f in report.findings if f.code.startswith("group.") and f.code.endswith("_size")]
    assert all(not f.blocking and f.path == "$.members" for f in size)


def _last_recorded(group: Group, member_id: str, today: date) -> GroupAttendance | None:
    """The member's last attendance recorded, leaving out excused absences (by default neither a
    miss nor a visit)."""
    member = group.member(member_id)
    statuses = [
        s.status_of(member_id) for s in group.sessions if s.date <= today and member.member_on(s.date)
    ]
    recorded = [s for s in statuses if s is not None and s is not GroupAttendance.EXCUSED]
    return recorded[-1] if recorded else None  # an apology neither ends nor adds to a run of misses


@given(groups(protocol_id="group-who"), st.integers(-10, 400))
def test_members_who_missed_the_last_session_are_followed_up(group: Group, offset: int) -> None:
    today = _today(group, offset)
    report = ipt_core.evaluate_group(group, today=today)
    expected = [
        m.id
        for m in group.members
        if m.member_on(today) and _last_recorded(group, m.id, today) is GroupAttendance.MISSED
    ]
    assert list(report.follow_up) == expected
    paths = {f.path for f in report.findings if f.code == "group.follow_up"}
    assert paths == {f"$.members[{i}]" for i, m in enumerate(group.members) if m.id in expected}
    agenda = ipt_core.next_steps_group(group, today=today)
    follow = [i for i in agenda.items if i.code == "group.follow_up"]
    assert (follow[0].members if follow else ()) == tuple(expected)


@given(groups(protocol_id="group-who"), st.integers(-10, 400))
def test_a_member_without_a_pre_group_meeting_is_blocking(group: Group, offset: int) -> None:
    today = _today(group, offset)
    report = ipt_core.evaluate_group(group, today=today)
    held = [s for s in group.sessions if s.date <= today]
    ended = bool(held) and held[-1].number >= 8  # the WHO plan: 8 group sessions
    unmet: list[str] = []
    late: list[str] = []
    blocked: list[str] = []
    for i, member in enumerate(group.members):
        first = next(
            (
                s
                for s in group.sessions
                if s.date <= today
                and member.member_on(s.date)
                and s.status_of(member.id) is GroupAttendance.ATTENDED
            ),
            None,
        )
        meetings = group.meetings_of(member.id)
        met_alone = any(m.date <= today for m in meetings)
        met = any(m.date < first.date for m in meetings) if first else met_alone
        enrolled = member.member_on(today) or today < member.joined
        if (enrolled or first is not None) and not met:
            (late if met_alone else unmet).append(f"$.members[{i}]")
            # nobody met alone yet, a session is still to come, and the member is still in the group
            # (one who came unmet and has left is advice: nobody can meet them before it)
            if not met_alone and not ended and enrolled:
                blocked.append(f"$.members[{i}]")
    found = [f for f in report.findings if f.code == "group.no_pre_group_meeting"]
    assert [f.path for f in found] == unmet
    assert [f.path for f in report.findings if f.code == "group.pre_group_meeting_late"] == late
    assert [f.path for f in report.blocking] == blocked
    agenda = ipt_core.next_steps_group(group, today=today)
    assert any(i.blocking for i in agenda.items) == bool(blocked)
    item = next((i for i in agenda.items if i.code == "group.pre_group_meeting"), None)
    assert (item.members if item else ()) == tuple(group.members[int(p[10:-1])].id for p in blocked)


@given(groups(), st.integers(-10, 400))
def test_attendance_counts_add_up(group: Group, offset: int) -> None:
    today = _today(group, offset)
    report = ipt_core.evaluate_group(group, today=today)
    assert [s.member_id for s in report.members] == [m.id for m in group.members]
    for status in report.members:
        counted = status.attended + status.missed + status.excused
        assert counted <= status.sessions_while_member
        rate = status.attendance_rate
        assert rate is None or 0 <= rate <= 1
        assert status.follow_up <= status.active
    assert report.sessions_held == len(group.sessions_until(today))


@given(groups(min_members=1, max_sessions=4), st.data())
def test_an_attendance_record_for_someone_else_is_refused(group: Group, data: st.DataObject) -> None:
    stranger = data.draw(st.from_regex(r"zz[a-z0-9]{0,5}", fullmatch=True))
    day = group.sessions[-1].date if group.sessions else date(2030, 1, 1)
    session = GroupSession(
        group.next_session_number(),
        day,
        Phase.MIDDLE,
        (MemberAttendance(stranger, GroupAttendance.ATTENDED),),
    )
    with pytest.raises(ValidationError) as caught:
        group.with_session(session)
    index = len(group.sessions)
    assert [(p.path, p.code) for p in caught.value.problems] == [
        (f"$.sessions[{index}].attendance[0].member", "dangling_reference")
    ]


@given(groups(min_members=1, max_sessions=4), st.data())
def test_attending_outside_membership_is_refused(group: Group, data: st.DataObject) -> None:
    member = data.draw(st.sampled_from(group.members))
    before = member.joined - timedelta(days=data.draw(st.integers(1, 30)))
    moved: dict[str, Any] = {"sessions": ()}
    emptied = attrs.evolve(group, **moved)
    with pytest.raises(ValidationError) as caught:
        emptied.with_session(
            GroupSession(1, before, Phase.INITIAL, (MemberAttendance(member.id, GroupAttendance.EXCUSED),))
        )
    assert [(p.path, p.code) for p in caught.value.problems] == [
        ("$.sessions[0].attendance[0].member", "inconsistent")
    ]


_CASE = sample_case(sessions=5, people=2)


@given(groups(max_members=6, max_sessions=6), st.data())
def test_group_outcomes_over_generated_groups(group: Group, data: st.DataObject) -> None:
    given_ids = data.draw(
        st.lists(st.sampled_from(group.case_ids()), unique=True) if group.members else st.just([])
    )
    cases = [attrs.evolve(_CASE, id=case_id) for case_id in given_ids]
    today = _today(group, data.draw(st.integers(0, 400)))
    outcomes = ipt_core.group_outcomes(group, cases, today=today)
    report = ipt_core.evaluate_group(group, today=today)
    assert outcomes.missing_cases == tuple(c for c in group.case_ids() if c not in given_ids)
    for outcome, status in zip(outcomes.members, report.members, strict=True):
        assert (outcome.attended, outcome.sessions_while_member) == (
            status.attended,
            status.sessions_while_member,
        )
        assert outcome.case_found == (outcome.case_id in given_ids)
        assert outcome.case_found or outcome.recovered is None
    for rate in (
        outcomes.recovery_rate,
        outcomes.reliable_improvement_rate,
        outcomes.response_rate,
        outcomes.dropout_rate,
        outcomes.attendance_rate,
    ):
        assert rate is None or 0 <= rate <= 1
    assert outcomes.service.cases == len(cases)


@given(st.lists(st.sampled_from(["a", "b", "c", None]), min_size=1, max_size=12))
def test_the_breakdown_by_group_adds_up_to_the_whole(keys: list[str | None]) -> None:
    cohort = list(sample_cohort(len(keys), seed=len(keys)))
    mapping = {case.id: key for case, key in zip(cohort, keys, strict=True) if key is not None}
    tables = outcomes_by_group(cohort, mapping, by=())
    whole = service_outcomes(cohort, by=()).total
    assert sum(t.total.cases for t in tables.values()) == whole.cases
    for name in ("recovered", "reliably_improved", "dropped_out", "gad7_change_sum"):
        assert sum(getattr(t.total, name) for t in tables.values()) == getattr(whole, name)
    assert set(tables) == {key or UNGROUPED for key in keys}


@given(st.integers(0, 12), st.integers(0, 10), st.booleans(), st.integers(0, 2**32 - 1))
def test_sample_group_cases_gives_a_loadable_case_for_every_sample_group(
    members: int, sessions: int, dropout: bool, seed: int
) -> None:
    group = sample_group(members, seed=seed, dropout=dropout, sessions=sessions)
    cases = sample_group_cases(group, seed=seed)
    assert [c.id for c in cases] == list(group.case_ids())
    for case in cases:
        assert ipt_core.loads(ipt_core.dumps(case)) == case
        # sample members are not all at risk: any item 9 above 0 is reviewed in its own session
        assert open_risk_flags(case) == ()


@given(
    st.text(st.sampled_from("`~\n\r\u2028\u0085\t #:<>a"), min_size=1, max_size=40),
    st.booleans(),
)
def test_an_alias_cannot_break_the_lines_or_the_fence_of_the_group_report(alias: str, cases: bool) -> None:
    plain = sample_group()
    members = (attrs.evolve(plain.members[0], alias=alias), *plain.members[1:])
    hostile = attrs.evolve(plain, members=members)
    today = plain.sessions[-1].date
    given_cases = sample_group_cases(plain) if cases else None
    text = render_group_text(hostile, today=today, cases=given_cases)
    assert len(text.splitlines()) == len(
        render_group_text(plain, today=today, cases=given_cases).splitlines()
    )
    assert not {"\r", "\u2028", "\u0085"} & set(text)
    markdown = render_group_markdown(hostile, today=today, cases=given_cases).splitlines()
    fence = markdown[2].removesuffix("text")
    assert set(fence) == {"`"}
    assert len(fence) >= 3
    inside = markdown[3:-1]
    assert markdown[-1] == fence
    assert not any(line.lstrip(" ").startswith(fence) for line in inside)
