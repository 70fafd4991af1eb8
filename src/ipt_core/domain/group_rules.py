"""Group rules from the protocol, and where a group stands: ``evaluate_group(group, *, today)``.

The rules are read from the group's protocol (``group-who`` by default): the group size
(``Protocol.group``, 6-10 members "in line with the WHO manual", S14; S15), the individual
pre-group meeting before a member's first group session (the protocol's pre-treatment phase, S14;
S15, ◐ S13), and the number and phases of the group sessions (session 1 initial, 2-7 middle, 8
termination, S14; S15, ◐ S13). What a member who misses sessions needs is not
given by any retrieved source, so it is a setting (:class:`GroupRules`): by default a member who
missed the last group session is followed up before the next one.

Nothing here reads a clock: ``today`` is a parameter.
"""

from __future__ import annotations

from datetime import date
from typing import Final

import attrs

from ipt_core.domain._days import day_of
from ipt_core.domain._fields import no_such_id
from ipt_core.domain.course import Phase
from ipt_core.domain.group import (
    FacilitatorRole,
    Group,
    GroupAttendance,
    GroupSession,
    Member,
    _group_given,
)
from ipt_core.domain.phases import Finding, _protocol_given
from ipt_core.domain.protocols import BUILTIN_PROTOCOLS, Protocol

__all__ = ["GroupReport", "GroupRules", "MemberStatus", "evaluate_group", "group_rules"]

FALLBACK_GROUP_PROTOCOL: Final = "group-who"
"""The protocol a group naming an unknown protocol is evaluated against (and told so)."""

FOLLOW_UP_SOURCE: Final = (
    "setting (not verified): the WHO manual's advice on missed sessions was not retrieved (S13 ◐)"
)


def _positive(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if type(value) is not int or value < 1:
        raise ValueError(f"GroupRules.{attribute.name} is a whole number of at least 1")


@attrs.frozen
class GroupRules:
    """The rules a group is held to, read from its protocol; the unverified ones are settings."""

    planned_sessions: int
    """The number of group sessions (``protocol.sessions.default_sessions``; WHO: 8, S12; S14; S15, ◐ S13)."""
    phases: tuple[tuple[Phase, int | None], ...]
    """The phases of the group sessions in order, with their length (``None``: the rest)."""
    phase_labels: tuple[tuple[Phase, str], ...] = ()
    min_members: int | None = None
    """The smallest group the protocol plans (WHO: 6, S14; S15); ``None`` when it sets none."""
    max_members: int | None = None
    size_source: str = ""
    pre_group_meeting: bool = True
    """Whether each member meets a facilitator alone before their first group session."""
    pre_group_source: str = ""
    follow_up_after_missed: int = attrs.field(default=1, validator=_positive)
    """Consecutive missed group sessions after which a member is followed up (setting)."""
    excused_counts_as_missed: bool = False
    """Whether an excused absence counts towards follow-up (setting; off: notice was given)."""
    follow_up_source: str = FOLLOW_UP_SOURCE
    notice_sessions: int = attrs.field(default=2, validator=_positive)
    """How many group sessions ahead the end is announced (``protocol.termination_notice``; S6: at
    least 2): the group is reminded at each of the sessions before the last that many ahead."""
    notice_source: str = "S6 (the end announced at least 2 sessions ahead)"
    persisting_phq9: int = attrs.field(default=10, validator=_positive)
    """The latest PHQ-9 at or above which a member's symptoms persist at the end of the group, and
    referral or consultation is considered (S14); the default is NHS Talking Therapies' caseness."""
    persisting_source: str = (
        "S14 (at termination, refer on or consult where symptoms persist); setting: PHQ-9 of 10 or more, "
        "the NHS Talking Therapies caseness"
    )

    def planned_phase(self, number: int) -> Phase:
        """The phase the protocol plans for group session ``number`` (1 is the first)."""
        ending = next((length for phase, length in self.phases if phase is Phase.TERMINATION), None)
        if ending is not None and number > self.planned_sessions - ending:
            return Phase.TERMINATION
        reached = 0
        for phase, length in self.phases:
            if phase is Phase.TERMINATION:
                break
            if length is None:
                return phase
            reached += length
            if number <= reached:
                return phase
        return Phase.TERMINATION if ending is not None else Phase.MIDDLE

    def label(self, phase: Phase) -> str:
        """The protocol's name for ``phase`` (its value when the protocol names none)."""
        return dict(self.phase_labels).get(phase) or phase.value.replace("_", " ")


def group_rules(
    protocol: Protocol, *, follow_up_after_missed: int = 1, excused_counts_as_missed: bool = False
) -> GroupRules:
    """The group rules of ``protocol``, with the settings no source verifies."""
    plans = [p for p in protocol.phases if p.phase is not Phase.PRE_TREATMENT]
    pre = protocol.phase_plan(Phase.PRE_TREATMENT)
    size = protocol.group
    return GroupRules(
        planned_sessions=protocol.sessions.default_sessions,
        phases=tuple(
            (p.phase, p.max_sessions or p.min_sessions or 1)
            if p.phase is Phase.TERMINATION
            else (p.phase, p.max_sessions)
            for p in plans
        ),
        phase_labels=tuple((p.phase, p.label) for p in protocol.phases if p.label),
        min_members=None if size is None else size.min_members,
        max_members=None if size is None else size.max_members,
        size_source="" if size is None else size.source,
        pre_group_meeting=pre is not None,
        pre_group_source="" if pre is None else pre.source,
        follow_up_after_missed=follow_up_after_missed,
        excused_counts_as_missed=excused_counts_as_missed,
        notice_sessions=protocol.termination_notice.sessions,
        notice_source=protocol.termination_notice.source,
    )


@attrs.frozen
class MemberStatus:
    """Where one member stands in the group on the day of the report."""

    member_id: str
    case_id: str
    active: bool
    """A member on the day of the report (joined, not left)."""
    met_before_group: bool
    """A pre-group meeting is recorded before the member's first group session (or, before that
    session is held, at all)."""
    first_session: int | None
    """The number of the first group session the member came to."""
    attended: int
    missed: int
    excused: int
    sessions_while_member: int
    """Group sessions held while the person was a member (the attendance rate's denominator)."""
    missed_in_a_row: int
    """Group sessions missed in a row up to the last one held (since the member last came: an
    excused absence not counted as missed neither adds to the run nor ends it)."""
    follow_up: bool
    """Whether the facilitators should contact the member before the next session."""
    joining: bool = False
    """Enrolled, joining the group after the day of the report (counted in its size, met first)."""
    met_alone: bool = False
    """An individual meeting is recorded on or before the day of the report (even one held only
    after the member's first group session)."""

    @property
    def enrolled(self) -> bool:
        """A member on the day of the report, or joining later."""
        return self.active or self.joining

    @property
    def attendance_rate(self) -> float | None:
        """Sessions attended / sessions held while a member (``None`` before any was held)."""
        return None if self.sessions_while_member == 0 else self.attended / self.sessions_while_member


@attrs.frozen
class GroupReport:
    """Where a group stands: its phase, its sessions, each member, and findings (advice or blocking)."""

    group_id: str
    protocol_id: str
    protocol_known: bool
    phase: Phase
    phase_label: str
    sessions_held: int
    next_session: int
    planned_sessions: int
    members: tuple[MemberStatus, ...]
    findings: tuple[Finding, ...]
    rules: GroupRules

    @property
    def active_members(self) -> tuple[str, ...]:
        """The ids of the members on the day of the report."""
        return tuple(m.member_id for m in self.members if m.active)

    @property
    def enrolled_members(self) -> tuple[str, ...]:
        """The ids of the members on the day of the report or joining later (the group's size)."""
        return tuple(m.member_id for m in self.members if m.enrolled)

    @property
    def follow_up(self) -> tuple[str, ...]:
        """The ids of the members to follow up before the next session."""
        return tuple(m.member_id for m in self.members if m.follow_up)

    @property
    def blocking(self) -> tuple[Finding, ...]:
        """Findings that must be dealt with before the next group session."""
        return tuple(f for f in self.findings if f.blocking)

    @property
    def advice(self) -> tuple[Finding, ...]:
        """Findings that are advice."""
        return tuple(f for f in self.findings if not f.blocking)

    def status(self, member_id: str) -> MemberStatus:
        """The status of one member (:class:`~ipt_core.UnknownIdError`, a ``KeyError``, if there is none)."""
        for member in self.members:
            if member.member_id == member_id:
                return member
        raise no_such_id("member", tuple(m.member_id for m in self.members), member_id)


def resolve_group_protocol(group: Group, protocol: Protocol | None = None) -> tuple[Protocol, bool]:
    """The protocol to apply to ``group`` and whether it is the one the group names (or was passed)."""
    if protocol is not None:
        return _protocol_given(protocol), True
    known = BUILTIN_PROTOCOLS.get(group.protocol_id)
    if known is not None:
        return known, True
    return BUILTIN_PROTOCOLS[FALLBACK_GROUP_PROTOCOL], False


def _member_status(  # noqa: PLR0917 - one member and what the report computed once
    member: Member,
    group: Group,
    held: tuple[GroupSession, ...],
    registers: list[dict[str, GroupAttendance]],
    rules: GroupRules,
    today: date,
) -> MemberStatus:
    counts = dict.fromkeys(GroupAttendance, 0)
    first: GroupSession | None = None
    in_a_row = 0
    while_member = 0
    missing = {GroupAttendance.MISSED}
    if rules.excused_counts_as_missed:
        missing.add(GroupAttendance.EXCUSED)
    for session, register in zip(held, registers, strict=True):
        if not member.member_on(session.date):
            continue
        while_member += 1
        status = register.get(member.id)
        if status is None:
            continue
        counts[status] += 1
        if status is GroupAttendance.ATTENDED and first is None:
            first = session
        if status in missing:
            in_a_row += 1
        elif status is GroupAttendance.ATTENDED:
            in_a_row = 0  # an apology not counted as missed neither adds to the run nor ends it
    meetings = group.meetings_of(member.id)
    if first is None:
        met = any(m.date <= today for m in meetings)
    else:
        met = any(m.date < first.date for m in meetings)
    active = member.member_on(today)
    return MemberStatus(
        member_id=member.id,
        case_id=member.case_id,
        active=active,
        met_before_group=met,
        first_session=None if first is None else first.number,
        attended=counts[GroupAttendance.ATTENDED],
        missed=counts[GroupAttendance.MISSED],
        excused=counts[GroupAttendance.EXCUSED],
        sessions_while_member=while_member,
        missed_in_a_row=in_a_row,
        follow_up=active and in_a_row >= rules.follow_up_after_missed,
        joining=today < member.joined,
        met_alone=any(m.date <= today for m in meetings),
    )


def pre_group_meeting_blocks(status: MemberStatus, rules: GroupRules, *, ended: bool) -> bool:
    """Whether the member must meet a facilitator alone before the next group session: still a
    member or joining later, with no individual meeting recorded yet, while sessions remain (a
    member who came without one and has since left is advice: nobody can meet them before it)."""
    return rules.pre_group_meeting and status.enrolled and not status.met_alone and not ended


def _pre_group_finding(index: int, status: MemberStatus, rules: GroupRules, *, ended: bool) -> Finding:
    if status.met_alone:  # a catch-up meeting after the member's first group session
        return Finding(
            "group.pre_group_meeting_late",
            f"$.members[{index}]",
            "the member met a facilitator alone only after their first group session "
            f"({rules.pre_group_source})",
        )
    return Finding(
        "group.no_pre_group_meeting",
        f"$.members[{index}]",
        f"no individual pre-group meeting before the member's first group session ({rules.pre_group_source})",
        blocking=pre_group_meeting_blocks(status, rules, ended=ended),
    )


def _findings(  # noqa: PLR0917 - the report's parts, computed once by the caller
    group: Group,
    protocol: Protocol,
    known: bool,
    rules: GroupRules,
    statuses: tuple[MemberStatus, ...],
    held: tuple[GroupSession, ...],
) -> list[Finding]:
    found: list[Finding] = []
    if not known:
        found.append(
            Finding(
                "group.protocol_unknown",
                "$.protocol_id",
                f"the group names a protocol this library does not know: evaluated as {protocol.id}",
            )
        )
    if protocol.group is None:
        found.append(
            Finding("group.not_a_group_protocol", "$.protocol_id", "the protocol sets no group size")
        )
    if not group.facilitators:
        found.append(Finding("group.no_facilitator", "$.facilitators", "no facilitator is recorded"))
    elif all(f.role is FacilitatorRole.SUPERVISOR for f in group.facilitators):
        found.append(
            Finding(
                "group.no_facilitator",
                "$.facilitators",
                "only a supervisor is recorded: no facilitator is recorded to lead the group sessions",
            )
        )
    found.extend(_shared_alias_findings(group))
    active = sum(1 for s in statuses if s.enrolled)
    if rules.min_members is not None and active < rules.min_members:
        found.append(
            Finding(
                "group.below_minimum_size",
                "$.members",
                f"fewer members than the protocol's minimum of {rules.min_members} ({rules.size_source})",
            )
        )
    if rules.max_members is not None and active > rules.max_members:
        found.append(
            Finding(
                "group.above_maximum_size",
                "$.members",
                f"more members than the protocol's maximum of {rules.max_members} ({rules.size_source})",
            )
        )
    ended = bool(held) and held[-1].number >= rules.planned_sessions
    then = "the group has ended: contact them" if ended else "contact before the next one"
    for i, status in enumerate(statuses):
        needs_meeting = status.enrolled or status.first_session is not None
        if rules.pre_group_meeting and needs_meeting and not status.met_before_group:
            found.append(_pre_group_finding(i, status, rules, ended=ended))
        if status.follow_up:
            found.append(
                Finding(
                    "group.follow_up",
                    f"$.members[{i}]",
                    f"missed {_sessions(status.missed_in_a_row)} since they last came: {then}",
                )
            )
    for i, session in enumerate(held):  # sessions are in date order: those held come first
        recorded = {r.member for r in session.attendance}
        if any(m.member_on(session.date) and m.id not in recorded for m in group.members):
            found.append(
                Finding(
                    "group.attendance_not_recorded",
                    f"$.sessions[{i}].attendance",
                    "a member's attendance is not recorded",
                )
            )
        if session.number > rules.planned_sessions:
            found.append(
                Finding(
                    "group.beyond_planned_sessions",
                    f"$.sessions[{i}].number",
                    f"the protocol plans {rules.planned_sessions} group sessions",
                )
            )
        elif session.phase is not (planned := rules.planned_phase(session.number)):
            found.append(
                Finding(
                    "group.phase_not_planned",
                    f"$.sessions[{i}].phase",
                    f"the protocol plans this session in its {planned.value} phase",
                )
            )
    return found


def _shared_alias_findings(group: Group) -> list[Finding]:
    """Advice for each member whose name (ignoring case and surrounding spaces) an earlier member
    has: the agenda and the report name members by alias, so the two could not be told apart."""
    first: dict[str, int] = {}
    found: list[Finding] = []
    for i, member in enumerate(group.members):
        key = member.alias.strip().casefold()
        j = first.setdefault(key, i)
        if j != i:
            found.append(
                Finding(
                    "group.shared_alias",
                    f"$.members[{i}].alias",
                    f"the same name as the member at $.members[{j}]: the agenda and the report cannot tell "
                    "them apart; give one a name that does",
                )
            )
    return found


def evaluate_group(
    group: Group, protocol: Protocol | None = None, *, today: date, rules: GroupRules | None = None
) -> GroupReport:
    """Where ``group`` stands on ``today``: its phase, each member's attendance, and findings.

    A group smaller or larger than the protocol allows, a member to follow up, or sessions off the
    protocol's plan are advice; a member with no pre-group meeting before their first group
    session is blocking. ``rules`` defaults to :func:`group_rules` of the protocol.
    """
    group, today = _group_given(group), day_of(today)
    used, known = resolve_group_protocol(group, protocol)
    rules = group_rules(used) if rules is None else rules
    held = group.sessions_until(today)
    registers = [{r.member: r.status for r in s.attendance} for s in held]
    statuses = tuple(_member_status(m, group, held, registers, rules, today) for m in group.members)
    if not held:
        phase = Phase.PRE_TREATMENT if rules.pre_group_meeting else Phase.INITIAL
    elif held[-1].number >= rules.planned_sessions:
        phase = Phase.COMPLETED
    else:
        phase = rules.planned_phase(held[-1].number + 1)
    return GroupReport(
        group_id=group.id,
        protocol_id=used.id,
        protocol_known=known,
        phase=phase,
        phase_label=rules.label(phase),
        sessions_held=len(held),
        next_session=held[-1].number + 1 if held else 1,
        planned_sessions=rules.planned_sessions,
        members=statuses,
        findings=tuple(_findings(group, used, known, rules, statuses, held)),
        rules=rules,
    )


def _sessions(count: int) -> str:
    """``1 group session``, ``2 group sessions``."""
    return f"{count} group session{'' if count == 1 else 's'}"
