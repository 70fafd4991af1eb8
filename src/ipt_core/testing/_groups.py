"""A deterministic, realistic WHO Group IPT group and its members' cases (no hypothesis needed)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Final

from ipt_core.domain.case import Case
from ipt_core.domain.contract import Frequency, TreatmentContract
from ipt_core.domain.course import ExitOutcome, Phase, PhaseChange
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
from ipt_core.domain.group_rules import group_rules
from ipt_core.domain.protocols import BUILTIN_PROTOCOLS
from ipt_core.domain.sessions import Attendance, InstrumentAnswers, RiskCheck, RiskLevel, SessionRecord

__all__ = ["sample_group", "sample_group_cases"]

_MEMBER_ALIASES = ("Amara", "Bo", "Chen", "Dee", "Eli", "Fay", "Gus", "Hana", "Ines", "Jun", "Kofi", "Lin")
_START = date(2025, 3, 3)
"""The day of the first pre-group meeting."""
_WEEK = timedelta(days=7)


def sample_group(
    members: int = 8, *, seed: int = 0, dropout: bool = True, sessions: int | None = None
) -> Group:
    """A WHO Group IPT group: each member met alone before the group, then weekly group sessions
    (8 by default) with realistic attendance (most come, a few miss or send apologies); with
    ``dropout``, the third member stops coming after three sessions and leaves the group."""
    rng = random.Random(seed)
    protocol = BUILTIN_PROTOCOLS["group-who"]
    rules = group_rules(protocol)
    count = rules.planned_sessions if sessions is None else sessions
    first_session = _START + 2 * _WEEK
    people = tuple(
        Member(
            id=f"m{i + 1}",
            case_id=f"group-1-m{i + 1}",
            alias=_MEMBER_ALIASES[i % len(_MEMBER_ALIASES)] + ("" if i < len(_MEMBER_ALIASES) else str(i)),
            joined=_START + timedelta(days=i % 10),
        )
        for i in range(members)
    )
    meetings = tuple(PreGroupMeeting(member=m.id, date=m.joined) for m in people)
    leaver = people[2].id if dropout and members > 2 else None
    held: list[GroupSession] = []
    for number in range(1, count + 1):
        day = first_session + _WEEK * (number - 1)
        records = []
        for member in people:
            if member.id == leaver and number > 4:
                continue
            if member.id == leaver and number in (3, 4):
                status = GroupAttendance.MISSED
            elif rng.random() < 0.85:
                status = GroupAttendance.ATTENDED
            else:
                status = GroupAttendance.MISSED if rng.random() < 0.6 else GroupAttendance.EXCUSED
            records.append(MemberAttendance(member=member.id, status=status))
        held.append(
            GroupSession(
                number=number,
                date=day,
                phase=rules.planned_phase(number),
                attendance=tuple(records),
            )
        )
    if leaver is not None and count >= 4:
        left = first_session + _WEEK * 3 + timedelta(days=2)
        people = tuple(
            Member(m.id, m.case_id, m.alias, m.joined, left, MemberExit.DROPPED_OUT) if m.id == leaver else m
            for m in people
        )
    return Group(
        id="group-1",
        protocol_id=protocol.id,
        facilitators=(
            Facilitator("f1", "Nadia", FacilitatorRole.LEAD),
            Facilitator("f2", "Tomas", FacilitatorRole.CO_FACILITATOR),
            Facilitator("s1", "Dr Osei", FacilitatorRole.SUPERVISOR),
        ),
        members=people,
        pre_group_meetings=meetings,
        sessions=tuple(held),
    )


def _items(rng: random.Random, count: int, level: float) -> tuple[int, ...]:
    return tuple(max(0, min(3, round(level + rng.uniform(-0.7, 0.7)))) for _ in range(count))


_ITEM_9_SOMETIMES: Final = 0.05
"""How often a sample member answers PHQ-9 item 9 above 0 at a session: rarely, and each time the
supervising clinician's risk check in the same session reviews it (sample data, not a prevalence)."""
_REVIEWED: Final = RiskCheck(RiskLevel.LOW, safety_plan_reviewed=True)


def _phq9(rng: random.Random, level: float) -> tuple[InstrumentAnswers, RiskCheck | None]:
    """A PHQ-9 around ``level`` whose item 9 is 0 but rarely, and the risk check that reviews it."""
    items = _items(rng, 8, level)
    thoughts = 1 if rng.random() < _ITEM_9_SOMETIMES else 0
    return InstrumentAnswers("phq9", (*items, thoughts)), (_REVIEWED if thoughts else None)


def sample_group_cases(group: Group, *, seed: int = 0) -> tuple[Case, ...]:
    """A case for each member of ``group``: the pre-group meeting as session 0 (PHQ-9 and GAD-7),
    then one session record per group session the member was recorded at, with a PHQ-9 each time
    they came and a GAD-7 at the last; each member improves by their own amount. PHQ-9 item 9 is
    rarely above 0, and then a risk check in the same session reviews it, so no flag is left open
    (vignettes of risk build their own records). ``group`` is a
    :func:`sample_group` (every member met alone before the group sessions), of any size or length."""
    rng = random.Random(seed)
    cases: list[Case] = []
    for member in group.members:
        start_level = rng.uniform(1.2, 2.2)
        improvement = rng.uniform(-0.1, 0.75)
        meeting = next(m for m in group.pre_group_meetings if m.member == member.id)
        phq9, reviewed = _phq9(rng, start_level)
        records = [
            SessionRecord(
                number=0,
                date=meeting.date,
                measures=(phq9, InstrumentAnswers("gad7", _items(rng, 7, start_level - 0.2))),
                risk_check=reviewed,
            )
        ]
        mine = group.attendance_of(member.id)
        for k, (session, status) in enumerate(mine):
            level = start_level * (1 - improvement * session.number / group.sessions[-1].number)
            came = status is GroupAttendance.ATTENDED
            last = k == len(mine) - 1
            measures: tuple[InstrumentAnswers, ...] = ()
            check: RiskCheck | None = None
            if came:
                phq9, check = _phq9(rng, level)
                measures = (phq9,)
            if came and last:
                measures = (*measures, InstrumentAnswers("gad7", _items(rng, 7, level - 0.2)))
            records.append(
                SessionRecord(
                    number=session.number,
                    date=session.date,
                    attendance=Attendance.ATTENDED if came else Attendance.DID_NOT_ATTEND,
                    measures=measures,
                    risk_check=check,
                )
            )
        phases = [PhaseChange(Phase.PRE_TREATMENT, meeting.date)]
        phases += [
            PhaseChange(s.phase, s.date)
            for i, s in enumerate(group.sessions)
            if member.member_on(s.date) and (i == 0 or s.phase is not group.sessions[i - 1].phase)
        ]
        dropped = member.exit_reason is MemberExit.DROPPED_OUT and member.left is not None
        ended = bool(group.sessions) and (
            group.sessions[-1].number >= group_rules(BUILTIN_PROTOCOLS["group-who"]).planned_sessions
        )
        outcome: ExitOutcome | None = None
        if dropped and member.left is not None:
            phases.append(PhaseChange(Phase.DROPPED_OUT, member.left))
            outcome = ExitOutcome.DROPPED_OUT
        elif ended:
            phases.append(PhaseChange(Phase.COMPLETED, group.sessions[-1].date + timedelta(days=1)))
            outcome = ExitOutcome.COMPLETED
        cases.append(
            Case(
                id=member.case_id,
                contract=TreatmentContract(
                    protocol_id=group.protocol_id,
                    start=meeting.date,
                    planned_sessions=8,
                    frequency=Frequency.WEEKLY,
                ),
                sessions=tuple(records),
                phase_history=tuple(phases),
                outcome=outcome,
            )
        )
    return tuple(cases)
