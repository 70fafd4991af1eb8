"""A WHO Group IPT group from screening to its last session, with a report at the end.

Seven people are screened with the PHQ-9 and each meets a facilitator alone before the group
(the pre-group meeting). The group then meets 8 times: session 1 initial, 2-7 middle, 8
termination. Most members come most weeks; some miss a week or send apologies, and the
facilitators follow them up. Chen stops coming after session 3 and leaves the group. At session 4
Eli answers 1 ("several days") to PHQ-9 item 9: the next agenda, which reads the members' cases,
leads with seeing him alone, and the supervising clinician's risk check closes the flag. Each member's
own course is a case under the ``group-who`` protocol, holding their PHQ-9 scores; the group
document holds the meetings and the attendance. The group report at the end combines the two.
Run: ``python examples/group_who.py``.
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs

import ipt_core
from ipt_core import (
    Case,
    ExitOutcome,
    Facilitator,
    FacilitatorRole,
    Group,
    GroupAttendance,
    GroupSession,
    InstrumentAnswers,
    Member,
    MemberAttendance,
    MemberExit,
    Phase,
    PhaseChange,
    PreGroupMeeting,
    RiskCheck,
    RiskLevel,
    SessionRecord,
    TreatmentContract,
    protocols,
)
from ipt_core.boundary.group_report import render_group_text

PROTOCOL = protocols.get("group-who")
FIRST_SESSION = date(2025, 3, 17)
WEEK = timedelta(days=7)

# Each member: alias, and PHQ-9 totals at screening and at each group session they attend.
MEMBERS = {
    "amara": ("Amara", [17, 16, 15, 13, 12, 10, 9, 8, 7]),
    "bo": ("Bo", [14, 14, 13, 13, 11, 10, 10, 8, 8]),
    "chen": ("Chen", [19, 18, 18, 19]),
    "dee": ("Dee", [12, 12, 11, 9, 8, 7, 6, 5, 4]),
    "eli": ("Eli", [21, 20, 19, 18, 17, 17, 15, 14, 13]),
    "fay": ("Fay", [15, 13, 12, 10, 9, 8, 6, 5, 4]),
    "gus": ("Gus", [11, 11, 12, 10, 10, 9, 9, 8, 8]),
}

# Attendance at group sessions 1-8 ("A" attended, "M" missed, "E" excused, "-" no longer a member).
ATTENDANCE = {
    "amara": "AAAAAAAA",
    "bo": "AAMAAEAA",
    "chen": "AAAMM---",
    "dee": "AAAAAAAA",
    "eli": "AEAAMAAA",
    "fay": "AAAAAAAA",
    "gus": "MAAAAAEA",
}
STATUS = {"A": GroupAttendance.ATTENDED, "M": GroupAttendance.MISSED, "E": GroupAttendance.EXCUSED}
CHEN_LEFT = FIRST_SESSION + 4 * WEEK + timedelta(days=1)
ELI_ITEM9 = 4
"""The group session at which Eli answers 1 to PHQ-9 item 9."""


def phq9(total: int, item9: int = 0) -> InstrumentAnswers:
    """PHQ-9 answers adding up to ``total``, with ``item9`` (thoughts of self-harm) as given."""
    items = [0] * 8 + [item9]
    for i in range(total - item9):
        items[i % 8] += 1
    return InstrumentAnswers("phq9", tuple(items))


def see_members_at_risk(agenda: ipt_core.GroupAgenda, cases: dict[str, Case]) -> None:
    """Before the session: the supervising clinician sees alone each member the agenda names for
    their risk, and records the risk check on the member's last session (the one it reviews)."""
    for item in agenda.items:
        if item.code != "group.member_risk":
            continue
        for member_id in item.members:
            case = cases[member_id]
            cases[member_id] = case.with_risk_check(case.sessions[-1].number, RiskCheck(RiskLevel.LOW))
            print(
                f"[{member_id}] seen alone before the session ({item.grade} risk flag): risk check recorded"
            )


def screen_and_meet() -> tuple[Group, dict[str, Case]]:
    """Screening with the PHQ-9 and a pre-group meeting with each member, the week before the group."""
    group = Group(
        id="who-group-1",
        protocol_id=PROTOCOL.id,
        facilitators=(
            Facilitator("nadia", "Nadia", FacilitatorRole.LEAD),
            Facilitator("tomas", "Tomas", FacilitatorRole.CO_FACILITATOR),
        ),
    )
    cases: dict[str, Case] = {}
    for i, (member_id, (alias, scores)) in enumerate(MEMBERS.items()):
        met = FIRST_SESSION - timedelta(days=10 - i)
        screening = ipt_core.measures.score("phq9", list(phq9(scores[0]).answers))
        print(
            f"[{member_id}] screened: PHQ-9 {screening.total} ({screening.band}); pre-group meeting on {met}"
        )
        group = group.with_member(Member(member_id, f"case-{member_id}", alias, joined=met))
        group = group.with_meeting(PreGroupMeeting(member_id, met))
        case = Case(
            id=f"case-{member_id}",
            contract=TreatmentContract(protocol_id=PROTOCOL.id, start=met, planned_sessions=8),
            client_alias=alias,
        )
        # No phase recorded: a member of WHO Group IPT starts in the pre-treatment phase.
        cases[member_id] = case.with_session(SessionRecord(number=0, date=met, measures=(phq9(scores[0]),)))
    return group, cases


def show_report(group: Group, day: date) -> None:
    report = ipt_core.evaluate_group(group, today=day)
    follow = ", ".join(group.member(m).alias for m in report.follow_up) or "nobody"
    blocking = ", ".join(f.code for f in report.blocking) or "none"
    print(
        f"report: {report.phase_label}; {len(report.active_members)} members; "
        f"follow up: {follow}; blocking: {blocking}"
    )


def _follow_group(case: Case, phase: Phase, day: date) -> Case:
    """The member's case in the group's phase from ``day``: the group document holds the schedule,
    so the change is recorded as the group's, not moved through an individual course's gates."""
    change = PhaseChange(phase=phase, on=day, reason="the group's schedule")
    return attrs.evolve(case, phase_history=(*case.phase_history, change))


def run_group(group: Group, cases: dict[str, Case]) -> tuple[Group, dict[str, Case]]:
    """The 8 group sessions, each prepared from the agenda and recorded afterwards."""
    for number in range(1, PROTOCOL.sessions.default_sessions + 1):
        day = FIRST_SESSION + WEEK * (number - 1)
        agenda = ipt_core.next_steps_group(group, today=day - timedelta(days=1), cases=cases.values())
        print(f"-- group session {number} on {day}")
        names = {m.id: m.alias for m in group.members}
        print("agenda: " + agenda.render(lay=True, names=names).replace("\n", "\n        "))
        see_members_at_risk(agenda, cases)
        attendance = []
        for member_id, marks in ATTENDANCE.items():
            if marks[number - 1] == "-":
                continue
            status = STATUS[marks[number - 1]]
            attendance.append(MemberAttendance(member_id, status))
            case = cases[member_id]
            came = status is GroupAttendance.ATTENDED
            if came:
                scores = MEMBERS[member_id][1]
                attended = sum(1 for s in case.sessions if s.number > 0 and s.attended)
                item9 = 1 if (member_id, number) == ("eli", ELI_ITEM9) else 0
                total = scores[min(attended + 1, len(scores) - 1)]
                measures: tuple[InstrumentAnswers, ...] = (phq9(total, item9),)
            else:
                measures = ()
            record = SessionRecord(
                number=number,
                date=day,
                attendance=ipt_core.Attendance.ATTENDED if came else ipt_core.Attendance.DID_NOT_ATTEND,
                measures=measures,
            )
            if number == 1 or agenda.session_phase is not cases[member_id].phase:
                case = _follow_group(case, agenda.session_phase, day)
            cases[member_id] = case.with_session(record)
        group = group.with_session(GroupSession(number, day, agenda.session_phase, tuple(attendance)))
        if day < CHEN_LEFT <= day + WEEK:
            print("[chen] did not answer the follow-up calls and has left the group")
            group = group.with_exit("chen", on=CHEN_LEFT, reason=MemberExit.DROPPED_OUT)
            dropped = _follow_group(cases["chen"], Phase.DROPPED_OUT, CHEN_LEFT)
            cases["chen"] = dropped.with_outcome(ExitOutcome.DROPPED_OUT)
        show_report(group, day + timedelta(days=2))
    end = FIRST_SESSION + WEEK * 8
    for member_id, case in cases.items():
        if case.phase is not Phase.DROPPED_OUT:
            cases[member_id] = _follow_group(case, Phase.COMPLETED, end).with_outcome(ExitOutcome.COMPLETED)
    return group, cases


def main() -> None:
    size = PROTOCOL.group
    if size is None:
        raise SystemExit("the protocol is not a group protocol")
    print(f"{PROTOCOL.name}: {size.min_members}-{size.max_members} members ({size.source})")
    group, cases = screen_and_meet()
    show_report(group, FIRST_SESSION - timedelta(days=1))
    group, cases = run_group(group, cases)
    if ipt_core.loads(ipt_core.dumps(group), Group) != group:
        raise SystemExit("the group did not load back identical")
    for member_id, case in cases.items():
        print(f"[{member_id}] finished: {case.phase.value} after {len(case.attended_sessions())} meetings")
    print()
    print(render_group_text(group, today=FIRST_SESSION + WEEK * 8, cases=cases.values()), end="")


if __name__ == "__main__":
    main()
