"""A group session appended to a group is checked for what it holds, and accepts and refuses exactly
as the full check of the whole group.

``Group.with_session`` checks the new session's number and date against the last session's, and
each attendance record against the member it names (a member of the group on the day of the
session), against an index of the members kept with the group; it does not read the sessions
already recorded again. For random groups and random sessions, valid and invalid, it must accept
exactly what the full construction (``attrs.evolve``) accepts, build the same group, and refuse with
the same problems (path, code, message).
"""

from __future__ import annotations

import copy
import pickle
from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ipt_core
from ipt_core import (
    Group,
    GroupAttendance,
    GroupSession,
    Member,
    MemberAttendance,
    Phase,
    PreGroupMeeting,
    Problem,
    ValidationError,
)
from ipt_core.testing import groups, sample_group

Outcome = Group | tuple[Problem, ...]


def _outcome(build: Any) -> Outcome:
    try:
        built: Group = build()
    except ValidationError as exc:
        return tuple(exc.problems)
    return built


@st.composite
def _next_sessions(draw: st.DrawFn, group: Group) -> GroupSession:
    """A session to append: mostly one that fits (the next number, a date on or after the last, the
    members of the group that day), sometimes one that does not (a number or date out of order, a
    person who is not a member, a member outside their membership)."""
    last = group.sessions[-1] if group.sessions else None
    start = last.date if last else group.start or date(2025, 1, 1)
    numbers = st.integers(1, 3) if last is None else st.integers(max(1, last.number - 2), last.number + 3)
    number = draw(numbers)
    day = start + timedelta(days=draw(st.integers(-3, 30)))
    ids = [m.id for m in group.members]
    on = [m.id for m in group.members if m.member_on(day)]
    among_members = bool(on) and draw(st.integers(0, 4)) > 0
    pool = st.sampled_from(on if among_members else [*ids, "stranger"])
    chosen = draw(st.lists(pool, unique=True, max_size=12))
    attendance = tuple(MemberAttendance(m, draw(st.sampled_from(GroupAttendance))) for m in chosen)
    return GroupSession(number, day, draw(st.sampled_from(Phase)), attendance)


@given(groups(max_members=8, max_sessions=6), st.data())
def test_an_appended_session_is_accepted_and_refused_as_by_the_full_check(
    group: Group, data: st.DataObject
) -> None:
    session = data.draw(_next_sessions(group))
    incremental = _outcome(lambda: group.with_session(session))
    full = _outcome(lambda: attrs.evolve(group, sessions=(*group.sessions, session)))
    assert incremental == full
    if isinstance(incremental, Group):
        assert ipt_core.dumps(incremental) == ipt_core.dumps(full)
        assert ipt_core.loads(ipt_core.dumps(incremental), Group) == incremental


@given(groups(max_members=6, max_sessions=0), st.data())
def test_a_group_recorded_session_by_session_agrees_at_every_step(group: Group, data: st.DataObject) -> None:
    for _ in range(data.draw(st.integers(1, 8))):
        session = data.draw(_next_sessions(group))
        incremental = _outcome(lambda: group.with_session(session))  # noqa: B023 - called at once
        full = _outcome(lambda: attrs.evolve(group, sessions=(*group.sessions, session)))  # noqa: B023
        assert incremental == full
        if isinstance(incremental, Group):
            group = incremental
    # a member added or leaving between appends is seen by the next append
    assert _outcome(lambda: Group(**{a.name: getattr(group, a.name) for a in attrs.fields(Group)})) == group


def test_an_append_does_not_check_the_sessions_already_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole-group check runs when the group is built (once), never for a session that fits."""
    group = sample_group(8, sessions=7)
    whole = sample_group(8, sessions=8)
    calls: list[int] = []
    full_check = Group._group_problems

    def counted(self: Group) -> list[Problem]:
        calls.append(len(self.sessions))
        return full_check(self)

    monkeypatch.setattr(Group, "_group_problems", counted)
    appended = group.with_session(whole.sessions[-1])
    assert calls == []
    assert appended == whole
    assert attrs.evolve(group, sessions=whole.sessions) == whole
    assert calls == [8]  # the full construction checks the whole group


def test_a_member_who_left_between_two_sessions_cannot_be_recorded_at_the_second() -> None:
    """Bo (m2) left after session 2; the facilitator ticks her as present at session 3 out of habit."""
    group = sample_group(6, sessions=2, dropout=False)
    group = group.with_exit("m2", on=group.sessions[-1].date + timedelta(days=1), reason="moved_away")
    records = tuple(MemberAttendance(m.id, GroupAttendance.ATTENDED) for m in group.members)
    session = GroupSession(3, group.sessions[-1].date + timedelta(days=7), Phase.MIDDLE, records)
    with pytest.raises(ValidationError) as caught:
        group.with_session(session)
    assert [(p.path, p.code) for p in caught.value.problems] == [
        ("$.sessions[2].attendance[1].member", "inconsistent")
    ]


def test_a_member_added_after_the_first_appends_is_known_to_the_next() -> None:
    group = sample_group(6, sessions=2, dropout=False)
    day = group.sessions[-1].date + timedelta(days=3)
    group = group.with_member(Member("m7", "case-m7", "Kofi", joined=day))
    session = GroupSession(
        3, day + timedelta(days=4), Phase.MIDDLE, (MemberAttendance("m7", GroupAttendance.ATTENDED),)
    )
    assert group.with_session(session).sessions[-1] == session


def test_a_pickled_or_copied_group_carries_its_fields_and_no_index() -> None:
    group = sample_group(8, sessions=7)
    appended = group.with_session(sample_group(8, sessions=8).sessions[-1])
    pickled = pickle.loads(pickle.dumps(appended))  # noqa: S301 - our own bytes
    for again in (pickled, copy.deepcopy(appended), copy.copy(appended)):
        assert again == appended
        assert set(again.__dict__) == {a.name for a in attrs.fields(Group)}


def test_something_other_than_a_group_session_is_refused_as_before() -> None:
    group = sample_group(6, sessions=2)
    with pytest.raises(ValidationError) as caught:
        group.with_session("session 3")  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == ["$.sessions[2]"]


@given(groups(max_members=8, max_sessions=4), st.data())
def test_an_appended_pre_group_meeting_agrees_with_the_full_check(group: Group, data: st.DataObject) -> None:
    ids = [m.id for m in group.members]
    member = data.draw(st.sampled_from([*ids, "stranger"]))
    day = (group.start or date(2025, 1, 1)) + timedelta(days=data.draw(st.integers(-10, 60)))
    meeting = PreGroupMeeting(member, day)
    incremental = _outcome(lambda: group.with_meeting(meeting))
    full = _outcome(lambda: attrs.evolve(group, pre_group_meetings=(*group.pre_group_meetings, meeting)))
    assert incremental == full


def test_recording_pre_group_meetings_does_not_check_the_sessions_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    group = sample_group(10, sessions=8)
    calls: list[int] = []
    full_check = Group._group_problems

    def counted(self: Group) -> list[Problem]:
        calls.append(len(self.sessions))
        return full_check(self)

    monkeypatch.setattr(Group, "_group_problems", counted)
    met = group.with_meeting(PreGroupMeeting("m4", group.sessions[2].date))
    assert calls == []
    assert met.pre_group_meetings[-1] == PreGroupMeeting("m4", group.sessions[2].date)
    with pytest.raises(ValidationError) as caught:
        group.with_meeting(PreGroupMeeting("nobody", group.sessions[2].date))
    assert [(p.path, p.code) for p in caught.value.problems] == [
        (f"$.pre_group_meetings[{len(group.pre_group_meetings)}].member", "dangling_reference")
    ]
