"""A therapy group: the root document of a course of group IPT (the WHO Group IPT format).

A group records who facilitates it, who its members are (each with the id of their own
:class:`~ipt_core.Case`, which is never needed to load the group), the individual pre-group
meetings, and every group session with each member's attendance. Like a case, a group never
changes: every change returns a new group, checked. A group built is checked whole; a session
recorded after the others is checked for what it holds (its number and date against the last
session's, each attendance record against its member), against an index of the members kept with
the group, so that recording a session costs the same at session 100 as at session 2.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum
from typing import Any, Final

import attrs

from ipt_core.domain import _fields as f
from ipt_core.domain._days import day_of, setting_of
from ipt_core.domain.course import Phase
from ipt_core.errors import Problem, ProblemCode, ValidationError

__all__ = [
    "Facilitator",
    "FacilitatorRole",
    "Group",
    "GroupAttendance",
    "GroupSession",
    "Member",
    "MemberAttendance",
    "MemberExit",
    "PreGroupMeeting",
]

FACILITATORS_MAX: Final = 20
MEMBERS_MAX: Final = 100
"""Bound on the members of one group (the WHO format has 6-10; the bound only stops hostile input)."""

_NUMBER: Final = operator.attrgetter("number")
_DATE: Final = operator.attrgetter("date")
_INDEX: Final = "_ipt_member_index"
"""The key of a group's members by id in its ``__dict__`` (kept beside the fields, never one)."""


class FacilitatorRole(StrEnum):
    """What a facilitator does in the group."""

    LEAD = "lead"
    CO_FACILITATOR = "co_facilitator"
    SUPERVISOR = "supervisor"
    """Supervises the facilitators (the WHO format is led by supervised non-specialists)."""


class GroupAttendance(StrEnum):
    """Whether a member came to a group session."""

    ATTENDED = "attended"
    MISSED = "missed"
    EXCUSED = "excused"
    """Absent, with notice given (never counted as attended; counted as missed for follow-up only
    where the group's rules say so, and never ending a run of missed sessions)."""


class MemberExit(StrEnum):
    """Why a member left the group before its end."""

    DROPPED_OUT = "dropped_out"
    MOVED_AWAY = "moved_away"
    REFERRED_ON = "referred_on"
    """Referred to another treatment (for example when symptoms need more than the group offers)."""
    CRISIS_REFERRAL = "crisis_referral"
    OTHER = "other"


def _group_given(value: object, name: str = "group") -> Group:
    """``value`` when it is a group; otherwise an :class:`~ipt_core.errors.ArgumentKindError` (a
    ``TypeError``) saying what to pass, naming the type given, never the value."""
    what = "an ipt_core.Group (ipt_core.loads(data, ipt_core.Group) reads one from a document)"
    return setting_of(value, Group, name, what)


@attrs.frozen(slots=False)
class Facilitator:
    """A person who leads the group, under an alias of the user's choosing."""

    id: str = f.ident()
    alias: str = f.alias(description="The facilitator's name as the service shows it; never required real.")
    role: FacilitatorRole = f.choice(FacilitatorRole, default=FacilitatorRole.LEAD)


@attrs.frozen(slots=False)
class Member:
    """A member of the group, whose own course is the case ``case_id`` (not held in the group)."""

    id: str = f.ident(description="The member's id in this group, named by meetings and attendance.")
    case_id: str = f.ident(description="The id of the member's own Case.")
    alias: str = f.alias(description="The member's name as the facilitators use it; never required real.")
    joined: date = f.day(description="The day the member joined the group.")
    left: date | None = f.day(optional=True, description="The day the member left, if before the end.")
    exit_reason: MemberExit | None = f.choice(MemberExit, optional=True)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if self.left is not None and self.left < self.joined:
            problems.append(Problem("$.left", ProblemCode.ORDER, "before the member joined"))
        if self.exit_reason is not None and self.left is None:
            problems.append(Problem("$.exit_reason", ProblemCode.INCONSISTENT, "a reason without a day left"))
        if problems:
            raise ValidationError(problems)

    def member_on(self, day: date) -> bool:
        """Whether the person was a member of the group on ``day`` (joining and leaving days included)."""
        day = day_of(day, "day")
        return self.joined <= day and (self.left is None or day <= self.left)


@attrs.frozen(slots=False)
class PreGroupMeeting:
    """An individual meeting with a member before they join the group sessions (WHO pre-group)."""

    member: str = f.ref("member")
    date: date = f.day()
    notes: str = f.text()


@attrs.frozen(slots=False)
class MemberAttendance:
    """One member's attendance at one group session."""

    member: str = f.ref("member")
    status: GroupAttendance = f.choice(GroupAttendance)


@attrs.frozen(slots=False)
class GroupSession:
    """One group session: its number, date, phase, who came, and notes about the group as a whole."""

    number: int = f.integer(ge=1, le=f.SESSIONS_MAX)
    date: date = f.day()
    phase: Phase = f.choice(Phase, description="The phase the session belongs to.")
    attendance: tuple[MemberAttendance, ...] = f.items(
        MemberAttendance, max_items=MEMBERS_MAX, unique_by="member"
    )
    notes: str = f.text(description="Notes about the group as a whole (not about one member).")

    def status_of(self, member_id: str) -> GroupAttendance | None:
        """The member's attendance at this session, if recorded."""
        for record in self.attendance:
            if record.member == member_id:
                return record.status
        return None

    def attended(self) -> tuple[str, ...]:
        """The ids of the members who came."""
        return tuple(r.member for r in self.attendance if r.status is GroupAttendance.ATTENDED)


@attrs.frozen(slots=False)
class Group:
    """A group course of IPT: facilitators, members, pre-group meetings and group sessions.

    Invariants checked whenever a group is built: facilitator and member ids are unique, and no
    two members share a case; every meeting and attendance record names a member; session numbers
    strictly increase (two sessions never share a number) and their dates never go backwards; a
    member's attendance is recorded only for sessions held while they were a member.
    """

    id: str = f.ident(description="The group's id, chosen by the host application.")
    protocol_id: str = f.ident(description="The protocol the group follows, e.g. group-who.")
    facilitators: tuple[Facilitator, ...] = f.items(Facilitator, max_items=FACILITATORS_MAX, unique_by="id")
    members: tuple[Member, ...] = f.items(Member, max_items=MEMBERS_MAX, unique_by="id")
    pre_group_meetings: tuple[PreGroupMeeting, ...] = f.items(PreGroupMeeting, max_items=f.SESSIONS_MAX)
    sessions: tuple[GroupSession, ...] = f.items(GroupSession, max_items=f.SESSIONS_MAX)
    notes: str = f.text()

    def __attrs_post_init__(self) -> None:
        problems = self._group_problems()
        if problems:
            raise ValidationError(problems)

    def __getstate__(self) -> dict[str, object]:
        """The fields alone, for pickle and copy: the index of the members an append keeps beside
        them is made again on need."""
        state = dict(self.__dict__)
        state.pop(_INDEX, None)
        return state

    # -- invariants -------------------------------------------------------------------------------

    def _group_problems(self) -> list[Problem]:
        problems = f.duplicates([m.case_id for m in self.members], "$.members[{}].case_id")
        known = {"member": self.member_ids()}
        if not f.resolves(self, known):
            problems.extend(
                Problem(path, ProblemCode.DANGLING_REFERENCE, "no member with this id")
                for path, kind, target in f.iter_refs(self)
                if kind == "member" and target not in known["member"]
            )
        problems.extend(self._order_problems())
        problems.extend(self._membership_problems())
        return problems

    def _order_problems(self) -> list[Problem]:
        sessions = self.sessions
        numbers = list(map(_NUMBER, sessions))
        days = list(map(_DATE, sessions))
        if all(map(operator.lt, numbers, numbers[1:])) and days == sorted(days):
            return []
        problems: list[Problem] = []
        seen: set[int] = set()
        for i, session in enumerate(sessions):
            if session.number in seen:
                problems.append(
                    Problem(
                        f"$.sessions[{i}].number", ProblemCode.DUPLICATE_ID, "two sessions with one number"
                    )
                )
            elif i and session.number < sessions[i - 1].number:
                problems.append(
                    Problem(f"$.sessions[{i}].number", ProblemCode.ORDER, "numbers must increase")
                )
            if i and session.date < sessions[i - 1].date:
                problems.append(Problem(f"$.sessions[{i}].date", ProblemCode.ORDER, "dates go backwards"))
            seen.add(session.number)
        return problems

    def _membership_problems(self) -> list[Problem]:
        members = {m.id: m for m in self.members}
        problems: list[Problem] = []
        for i, session in enumerate(self.sessions):
            for j, record in enumerate(session.attendance):
                member = members.get(record.member)
                if member is not None and not member.member_on(session.date):
                    problems.append(
                        Problem(
                            f"$.sessions[{i}].attendance[{j}].member",
                            ProblemCode.INCONSISTENT,
                            "not a member of the group on the day of this session",
                        )
                    )
        return problems

    # -- queries ----------------------------------------------------------------------------------

    def member_ids(self) -> frozenset[str]:
        """The ids of every member, past and present."""
        return frozenset(map(f.ID_OF, self.members))

    def member(self, member_id: str) -> Member:
        """The member with this id (:class:`~ipt_core.UnknownIdError`, a ``KeyError``, if there is none)."""
        for member in self.members:
            if member.id == member_id:
                return member
        raise f.no_such_id("member", tuple(m.id for m in self.members), member_id)

    def members_on(self, day: date) -> tuple[Member, ...]:
        """The members of the group on ``day``."""
        day = day_of(day, "day")
        return tuple(m for m in self.members if m.member_on(day))

    def case_ids(self) -> tuple[str, ...]:
        """The ids of the members' cases, in member order."""
        return tuple(m.case_id for m in self.members)

    def missing_cases(self, cases: Mapping[str, Any] | Iterable[Any]) -> tuple[str, ...]:
        """The case ids of members for whom ``cases`` (a mapping by case id, or cases) holds no case."""
        keys = cases.keys() if isinstance(cases, Mapping) else (getattr(c, "id", None) for c in cases)
        have = set(keys)
        return tuple(c for c in self.case_ids() if c not in have)

    def sessions_until(self, day: date) -> tuple[GroupSession, ...]:
        """Group sessions held on or before ``day``."""
        day = day_of(day, "day")
        return tuple(s for s in self.sessions if s.date <= day)

    def meetings_of(self, member_id: str) -> tuple[PreGroupMeeting, ...]:
        """The member's pre-group meetings, in the order recorded."""
        return tuple(m for m in self.pre_group_meetings if m.member == member_id)

    def attendance_of(self, member_id: str) -> tuple[tuple[GroupSession, GroupAttendance], ...]:
        """Each session with a recorded attendance of the member, and that attendance."""
        found: list[tuple[GroupSession, GroupAttendance]] = []
        for session in self.sessions:
            status = session.status_of(member_id)
            if status is not None:
                found.append((session, status))
        return tuple(found)

    def first_attended(self, member_id: str) -> GroupSession | None:
        """The first group session the member came to, if any."""
        for session, status in self.attendance_of(member_id):
            if status is GroupAttendance.ATTENDED:
                return session
        return None

    @property
    def start(self) -> date | None:
        """The earliest date the group records (a meeting, a join or a session), if any."""
        days = [m.joined for m in self.members]
        days += [m.date for m in self.pre_group_meetings]
        days += [s.date for s in self.sessions[:1]]
        return min(days, default=None)

    def next_session_number(self) -> int:
        """The number the next group session will have."""
        return self.sessions[-1].number + 1 if self.sessions else 1

    # -- changes (each returns a new, checked group) ----------------------------------------------

    def with_member(self, member: Member) -> Group:
        """The group with ``member`` added (or, with an id already used, replaced)."""
        if type(member) is not Member or member.id not in self.member_ids():  # the group checks the type
            return attrs.evolve(self, members=(*self.members, member))
        return attrs.evolve(self, members=tuple(member if m.id == member.id else m for m in self.members))

    def with_meeting(self, meeting: PreGroupMeeting) -> Group:
        """The group with a pre-group meeting recorded (checked for the member it names)."""
        meetings = self.pre_group_meetings
        if (
            type(self) is Group
            and type(meeting) is PreGroupMeeting
            and len(meetings) < f.SESSIONS_MAX
            and meeting.member in self._members_by_id()
        ):
            return self._derived(pre_group_meetings=(*meetings, meeting))
        return attrs.evolve(self, pre_group_meetings=(*meetings, meeting))

    def with_session(self, session: GroupSession) -> Group:
        """The group with ``session`` recorded after the others (checked for what the session holds:
        its number and date against the last session's, each attendance record against its member;
        a session that breaks a rule is refused as the full check of the group refuses it)."""
        appended = self._appended(session)
        return attrs.evolve(self, sessions=(*self.sessions, session)) if appended is None else appended

    def _appended(self, session: GroupSession) -> Group | None:
        """The group with ``session`` appended when it plainly keeps every invariant, else ``None``
        (the full construction then builds the group, or raises with every problem). The sessions
        already recorded keep theirs: their order is checked against the last, and membership and
        references for the new session's records alone."""
        sessions = self.sessions
        if type(self) is not Group or type(session) is not GroupSession or len(sessions) >= f.SESSIONS_MAX:
            return None
        if sessions and (session.number <= sessions[-1].number or session.date < sessions[-1].date):
            return None
        members = self._members_by_id()
        day = session.date
        for record in session.attendance:
            member = members.get(record.member)
            if member is None or not member.member_on(day):
                return None
        return self._derived(sessions=(*sessions, session))

    def _members_by_id(self) -> dict[str, Member]:
        """The members by id, made on first need and kept with the group (which never changes)."""
        members: dict[str, Member] | None = self.__dict__.get(_INDEX)
        if members is None:
            members = self.__dict__[_INDEX] = {m.id: m for m in self.members}
        return members

    def _derived(self, **changes: object) -> Group:
        """The group with ``changes`` to fields other than its members, checked by the caller, and
        the index of the members shared (the members are the same; the index is never changed)."""
        state = dict(self.__dict__)
        state.update(changes)
        state[_INDEX] = self._members_by_id()
        new: Group = object.__new__(Group)
        object.__setattr__(new, "__dict__", state)
        return new

    def with_exit(self, member_id: str, *, on: date, reason: MemberExit | str) -> Group:
        """The group after the member left on ``on`` for ``reason``."""
        found = self.member(member_id)
        place = f"$.members[{self.members.index(found)}]"
        exit_reason = f.as_member(MemberExit, reason, f"{place}.exit_reason")
        try:
            member = attrs.evolve(found, left=on, exit_reason=exit_reason)
        except ValidationError as error:
            raise error.under(place) from None
        return self.with_member(member)
