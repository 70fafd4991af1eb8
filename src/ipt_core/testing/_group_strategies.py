"""Hypothesis strategies for groups: every group drawn is valid (references resolve, sessions in
order, attendance only while a member)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from ipt_core.domain import _fields as f
from ipt_core.domain.course import Phase
from ipt_core.domain.group import (
    Facilitator,
    FacilitatorRole,
    Group,
    GroupAttendance,
    GroupSession,
    Member,
    MemberAttendance,
    MemberExit,
    PreGroupMeeting,
)
from ipt_core.domain.protocols import BUILTIN_PROTOCOLS
from ipt_core.testing._strategies import dates, ids, texts

__all__ = ["groups"]

_EARLIEST = date(2000, 1, 1)
_LATEST = date(2035, 12, 31)


def _aliases() -> st.SearchStrategy[str]:
    return texts(min_size=1, max_size=f.ALIAS_MAX)


def _unique(min_size: int, max_size: int, prefix: str) -> st.SearchStrategy[list[str]]:
    return st.lists(
        st.from_regex(rf"{prefix}[a-z0-9]{{0,6}}", fullmatch=True),
        min_size=min_size,
        max_size=max_size,
        unique=True,
    )


@st.composite
def groups(
    draw: st.DrawFn,
    *,
    min_members: int = 0,
    max_members: int = 12,
    max_sessions: int = 10,
    protocol_id: str | None = None,
) -> Group:
    """A whole valid group: members (some leaving early), pre-group meetings, ordered sessions and
    attendance recorded only for members of the group on the day of each session."""
    start = draw(dates(_EARLIEST, _LATEST - timedelta(days=400)))
    member_ids = draw(_unique(min_members, max_members, "m"))
    case_ids = draw(_unique(len(member_ids), len(member_ids), "c"))
    members: list[Member] = []
    for member_id, case_id in zip(member_ids, case_ids, strict=True):
        joined = start + timedelta(days=draw(st.integers(0, 60)))
        leaves = draw(st.booleans()) and draw(st.booleans())
        left = joined + timedelta(days=draw(st.integers(0, 120))) if leaves else None
        reason = draw(st.none() | st.sampled_from(MemberExit)) if left is not None else None
        members.append(Member(member_id, case_id, draw(_aliases()), joined, left, reason))
    meetings = [
        PreGroupMeeting(
            member=m.id, date=m.joined + timedelta(days=draw(st.integers(-7, 14))), notes=draw(texts())
        )
        for m in members
        for _ in range(draw(st.integers(0, 2)))
    ]
    count = draw(st.integers(0, max_sessions))
    numbers = sorted(draw(st.lists(st.integers(1, 40), min_size=count, max_size=count, unique=True)))
    day = start + timedelta(days=draw(st.integers(0, 30)))
    sessions: list[GroupSession] = []
    for number in numbers:
        day += timedelta(days=draw(st.integers(0, 14)))
        present = [m for m in members if m.member_on(day)]
        recorded = draw(st.lists(st.sampled_from(present), unique_by=lambda m: m.id)) if present else []
        attendance = tuple(
            MemberAttendance(m.id, draw(st.sampled_from(GroupAttendance)))
            for m in sorted(recorded, key=lambda m: member_ids.index(m.id))
        )
        sessions.append(
            GroupSession(
                number, day, draw(st.sampled_from(Phase)), attendance, notes=draw(texts(max_size=10))
            )
        )
    facilitator_ids = draw(_unique(0, 3, "f"))
    return Group(
        id=draw(ids()),
        protocol_id=protocol_id
        or draw(st.sampled_from(["group-who", "group-who", *BUILTIN_PROTOCOLS, "x-local"])),
        facilitators=tuple(
            Facilitator(i, draw(_aliases()), draw(st.sampled_from(FacilitatorRole))) for i in facilitator_ids
        ),
        members=tuple(members),
        pre_group_meetings=tuple(meetings),
        sessions=tuple(sessions),
        notes=draw(texts()),
    )
