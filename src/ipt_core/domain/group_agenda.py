"""What the next group session should cover: ``next_steps_group(group, *, today, cases=...)``.

Written for the facilitators of the WHO format, who are trained non-specialists: each item has a
short text and the same in lay words, and names (by id) the members it concerns, so a front end
can show their aliases. The structure (a pre-group meeting, session 1 initial, 2-7 middle, 8
termination) is the protocol's (S14; S15, ◐ S13); the lay names of the problem areas are the WHO's
("grief", "disputes", "life changes", "loneliness/social isolation", S12). The session-by-session
content of the WHO manual was not retrieved (S13 ◐), so the items follow the phase tasks IPT
shares across formats (S1; S3; S14).

A member's risk lives in their own case; the group records only a member leaving on a crisis
referral. Given the members' cases, the agenda leads with the members whose case has open risk flags
(see :mod:`ipt_core.domain.risk`); without them, it says that member risk was not checked. A crisis
referral recorded in the group is on the agenda either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Final

import attrs

from ipt_core.domain._days import case_of, day_of
from ipt_core.domain.agenda import AgendaItem, ItemKind
from ipt_core.domain.case import Case
from ipt_core.domain.course import TERMINAL_PHASES, Phase
from ipt_core.domain.group import Group, Member, MemberExit, _group_given
from ipt_core.domain.group_rules import (
    GroupReport,
    GroupRules,
    evaluate_group,
    pre_group_meeting_blocks,
    resolve_group_protocol,
)
from ipt_core.domain.measures.instruments import INSTRUMENTS
from ipt_core.domain.progress import evaluate as evaluate_progress
from ipt_core.domain.protocols import Protocol
from ipt_core.domain.risk import (
    CLOCK_SKEW,
    DEFAULT_RISK_SETTINGS,
    RiskGrade,
    RiskSettings,
    dated_just_ahead,
    open_risk_flags,
    session_risk_flags,
)

__all__ = ["GroupAgenda", "GroupAgendaItem", "next_steps_group"]


@attrs.frozen
class GroupAgendaItem(AgendaItem):
    """One thing the next group session (or the time before it) should cover: an agenda item
    (codes such as ``group.follow_up``; ``blocking``: needed before the next group session) with
    the members it concerns."""

    members: tuple[str, ...] = ()
    """The ids of the members the item concerns (empty: the whole group)."""
    grade: RiskGrade | None = None
    """For a member-risk item (``group.member_risk``, ``group.member_risk_left``): the grade of the
    members' open risk flags (each member's highest), so a front end can word it; otherwise none."""


@attrs.frozen
class GroupAgenda:
    """What the next group session should cover, with the report it was built from."""

    group_id: str
    protocol_id: str
    session: int
    planned_sessions: int
    phase: Phase
    """Where the group stands: pre-treatment before its first session, completed after its last."""
    phase_label: str
    session_phase: Phase
    """The phase the next session belongs to (the protocol's plan; completed when none is left)."""
    items: tuple[GroupAgendaItem, ...]
    report: GroupReport

    @property
    def follow_up(self) -> tuple[str, ...]:
        """The ids of the members to contact before the session."""
        return self.report.follow_up

    @property
    def headline(self) -> str:
        """``group session 3 of 8, middle phase (sessions 2-7), 7 members``."""
        count = len(self.report.enrolled_members)
        members = f"{count} member{'' if count == 1 else 's'}"
        if self.phase is Phase.COMPLETED:
            return f"the group has held its {self.planned_sessions} sessions, {members}"
        if self.phase is Phase.PRE_TREATMENT:
            return (
                f"before the group starts ({self.phase_label}), then group session 1 of "
                f"{self.planned_sessions}, {members}"
            )
        return f"group session {self.session} of {self.planned_sessions}, {self.phase_label}, {members}"

    @property
    def lay_headline(self) -> str:
        """``meeting 3 of 8``, or ``before the group starts``."""
        if self.phase is Phase.PRE_TREATMENT:
            return f"before the group starts (then meeting 1 of {self.planned_sessions})"
        if self.phase is Phase.COMPLETED:
            return "the group has finished"
        return f"meeting {self.session} of {self.planned_sessions}"

    def render(self, *, lay: bool = False, names: Mapping[str, str] | None = None) -> str:
        """The agenda as text: the headline, then one item a line. An item about some members ends
        with them in brackets, by the names in ``names`` (member id to the name the facilitators
        use, such as ``{m.id: m.alias for m in group.members}``), else by id; a name's line breaks
        and other unprintable characters are shown as escapes, so a name cannot add a line."""
        head = self.lay_headline if lay else self.headline
        known = names or {}
        lines = []
        for item in self.items:
            text = item.lay_text if lay else item.text
            if item.members:
                text += f" ({', '.join(_one_line(known.get(m, m)) for m in item.members)})"
            lines.append(f"- {text}")
        return "\n".join([head, *lines])


_JOINERS: Final = frozenset("\u200c\u200d")
"""The zero-width non-joiner and joiner: parts of names written in Indic scripts (Nepali's eyelash
ra) and of emoji sequences, which neither break a line nor reorder one."""


def _one_line(text: str) -> str:
    """``text`` on one line: line breaks, direction overrides and other unprintable characters shown
    as escapes (but the joiners of :data:`_JOINERS`), so a name can neither add nor forge a line."""
    return "".join(
        c if c.isprintable() or c == " " or c in _JOINERS else c.encode("unicode_escape").decode("ascii")
        for c in text
    )


_STRUCTURE = "S14; S15 ◐ S13 (pre-group, session 1 initial, 2-7 middle, 8 termination)"
_AREAS = "S12 WHO lay labels of the problem areas"


def _item(kind: ItemKind, code: str, text: str, lay: str, source: str, **more: object) -> GroupAgendaItem:
    return GroupAgendaItem(kind, code, text, lay, source=source, **more)  # type: ignore[arg-type]


def _phase_items(phase: Phase, rules: GroupRules, session: int) -> list[GroupAgendaItem]:
    left = rules.planned_sessions - session
    if phase is Phase.INITIAL:
        return [
            _item(
                ItemKind.GOAL,
                "group.initial.welcome",
                "welcome the members; explain the purpose of the group, its rules and its length",
                f"say hello, agree how the group works, and that it meets {rules.planned_sessions} times",
                _STRUCTURE,
            ),
            _item(
                ItemKind.TASK,
                "group.initial.symptoms",
                "review each member's symptoms of depression and explain them as an illness that can improve",
                "each person shares how they have been feeling; depression is common and can get better",
                "S2; S42 (psychoeducation, every format)",
            ),
            _item(
                ItemKind.TASK,
                "group.initial.problem_areas",
                "each member names the problem area they will work on, linked to when the low mood began",
                "each person says which problem they will work on: grief, disputes, life changes, "
                "or loneliness/social isolation",
                _AREAS,
            ),
        ]
    if phase is Phase.MIDDLE:
        items = [
            _item(
                ItemKind.REVIEW,
                "group.middle.review",
                "review each member's mood and what happened in the week, linking the two",
                "each person shares how their mood was this week and what happened",
                "S48 (symptoms and the week's events at every group session)",
            ),
            _item(
                ItemKind.STRATEGY,
                "group.middle.practice",
                "work on each member's problem area; rehearse difficult conversations in role play",
                "work on each person's problem together; practise what to say to someone",
                "S2; S42 (middle-phase techniques)",
            ),
            _item(
                ItemKind.STRATEGY,
                "group.middle.support",
                "help members find allies and supports, in the group and outside it",
                "think about who can help you, in the group and at home",
                "S12 (WHO: members identify allies and supports)",
            ),
            _item(
                ItemKind.TASK,
                "group.middle.task",
                "agree a small task for the week with each member and review last week's",
                "choose one small thing to try this week",
                "S14 (homework in WHO-group implementations)",
            ),
        ]
        if 0 < left <= rules.notice_sessions:
            items.append(
                _item(
                    ItemKind.REMINDER,
                    "group.middle.ending_soon",
                    f"remind the group that {left} session{' remains' if left == 1 else 's remain'} "
                    "after this one",
                    f"remind everyone the group ends in {left} more meeting{'' if left == 1 else 's'}",
                    rules.notice_source,
                )
            )
        return items
    if phase is Phase.TERMINATION:
        return [
            _item(
                ItemKind.TASK,
                "group.termination.review",
                "review each member's progress and what helped them feel better",
                "each person looks back at what has changed and what helped",
                "S14 (evaluate symptoms at termination)",
            ),
            _item(
                ItemKind.TASK,
                "group.termination.feelings",
                "talk about feelings about the group ending",
                "talk about how it feels that the group is ending",
                "S6 (termination); S14",
            ),
            _item(
                ItemKind.TASK,
                "group.termination.plan",
                "plan for warning signs and future problems; refer on members whose symptoms persist",
                "plan what to do if low mood comes back, and who to ask for help",
                "S14; S15 (relapse signs and plans)",
            ),
        ]
    return []


def _instrument_name(instrument: str) -> str:
    known = INSTRUMENTS.get(instrument)
    return instrument if known is None else known.name


def _measure_items(protocol: Protocol, session: int) -> list[GroupAgendaItem]:
    due = [
        m
        for m in protocol.measures
        if session >= m.first_session and (session - m.first_session) % m.every_sessions == 0
    ]
    return [
        _item(
            ItemKind.MEASURE,
            f"measure.{m.instrument}",
            f"each member completes the {_instrument_name(m.instrument)}",
            "answer a short questionnaire about your mood",
            m.source,
        )
        for m in due
    ]


# == Member risk ================================================================================

_GRADE_ORDER: Final = (RiskGrade.HIGH, RiskGrade.ELEVATED, RiskGrade.UNKNOWN)
"""The order member-risk items come in, and the grade a member is listed under (the first of their
open flags' grades here): a known high risk first, then a raised one, then risk not assessed."""

_RISK_SOURCE: Final = (
    "the open risk flags of each member's own case, as its own agenda reads them (PHQ-9 item 9, "
    "HAM-D item 3, PHQ-2, the clinician's risk check); the service owns the crisis pathway"
)
_CASES_SOURCE: Final = "the group records no risk: it lives in each member's own case"
_REFERRAL_SOURCE: Final = (
    "the facilitators' own record of a member leaving on a crisis referral; "
    "the service owns the crisis pathway"
)

_FLAG_WORDS: Final = {
    RiskGrade.HIGH: "an open risk flag graded high",
    RiskGrade.ELEVATED: "an open risk flag graded elevated",
    RiskGrade.UNKNOWN: "risk not assessed (a question about self-harm not asked or not answered)",
}
"""The grade in words, as a facilitator's text says it."""

_SUPERVISOR: Final = {
    RiskGrade.HIGH: "; tell your supervisor today",
    RiskGrade.ELEVATED: "",
    RiskGrade.UNKNOWN: "",
}
"""What the lay text adds for a grade: the WHO format's facilitators are supervised non-specialists."""


def _cases_by_id(cases: Mapping[str, Case] | Iterable[Case]) -> Mapping[str, tuple[Case, ...]]:
    """The cases given under each case id: every copy of an iterable's case, so that a second copy
    (an older export, say) cannot hide the open flags of another. A mapping's cases are read under
    their own ids, not its keys: a case filed under another member's id is never read as theirs."""
    found: dict[str, tuple[Case, ...]] = {}
    for given in cases.values() if isinstance(cases, Mapping) else cases:
        case = case_of(given, "each of cases")
        found[case.id] = (*found.get(case.id, ()), case)
    return found


def _left_before(member: Member, today: date) -> bool:
    """Whether the member left the group before ``today`` (a member is one still on the day they left)."""
    return member.left is not None and member.left < today


def _highest(grades: Iterable[RiskGrade]) -> RiskGrade | None:
    present = set(grades)
    return next((grade for grade in _GRADE_ORDER if grade in present), None)


def _member_risk_item(
    grade: RiskGrade, members: tuple[str, ...], *, left: bool, ended: bool
) -> GroupAgendaItem:
    flag = _FLAG_WORDS[grade]
    tell = _SUPERVISOR[grade]
    if left:
        code = "group.member_risk_left"
        text = (
            f"these members left the group with {flag} in their own case: contact each of them, review "
            "their safety individually and make sure someone follows them up"
        )
        lay = f"these people left the group: contact each of them and check they are safe{tell}"
    elif ended:
        code = "group.member_risk"
        text = (
            f"{flag} in these members' own cases: the group has ended; see each of them individually "
            "and review their safety"
        )
        lay = f"the group has ended: meet each of these members on their own and check they are safe{tell}"
    else:
        code = "group.member_risk"
        text = (
            f"{flag} in these members' own cases: see each of them individually before the next group "
            "session and review their safety"
        )
        lay = (
            "meet each of these members on their own before the next group meeting and check they "
            f"are safe{tell}"
        )
    return _item(ItemKind.RISK, code, text, lay, _RISK_SOURCE, blocking=True, members=members, grade=grade)


def _crisis_referral_items(
    group: Group, *, named: Iterable[str], in_cases: Iterable[str] = ()
) -> list[GroupAgendaItem]:
    """The item for members with a crisis referral recorded: by the facilitators, leaving the group
    (``MemberExit.CRISIS_REFERRAL``), or in their own case (``in_cases``, its phase), but those
    already named by a member-risk item. The group's own record is shown whatever the members'
    cases hold, for as long as the group is read."""
    skip = frozenset(named)
    cased = frozenset(in_cases)
    referred = tuple(
        m.id
        for m in group.members
        if (m.exit_reason is MemberExit.CRISIS_REFERRAL or m.id in cased) and m.id not in skip
    )
    if not referred:
        return []
    return [
        _item(
            ItemKind.RISK,
            "group.member_crisis_referral",
            "a crisis referral is recorded for these members (leaving the group, or in their own case): "
            "check with the service they were referred to that it has taken them on, and that the group "
            "and their own case both record it",
            "these people were sent for urgent help: ask your supervisor to check they are being "
            "looked after before they come back to the group",
            _REFERRAL_SOURCE,
            members=referred,
        )
    ]


def _case_record_items(
    protocol_differs: Iterable[str], ended_in_case: Iterable[str]
) -> list[GroupAgendaItem]:
    """Reminders where a member's own case and the group disagree: the case follows another
    protocol than the group's, or records that treatment ended while the group still lists them."""
    items: list[GroupAgendaItem] = []
    differs, ended = tuple(protocol_differs), tuple(ended_in_case)
    if differs:
        items.append(
            _item(
                ItemKind.REMINDER,
                "group.member_case_protocol",
                "these members' own cases follow another protocol than the group's: check the case, "
                "whose length and ending that protocol counts",
                "the records of these members are set up for another kind of therapy: ask your supervisor",
                _CASES_SOURCE,
                members=differs,
            )
        )
    if ended:
        items.append(
            _item(
                ItemKind.REMINDER,
                "group.member_case_ended",
                "these members' own cases record that their treatment has ended, yet the group lists them "
                "as members: record their leaving in the group, or check the case",
                "the records say these members have stopped: check with your supervisor before the next "
                "meeting",
                _CASES_SOURCE,
                members=ended,
            )
        )
    return items


def _risk_dated_far_ahead(copies: Iterable[Case], today: date, settings: RiskSettings) -> bool:
    """Whether a session of these cases dated after ``today`` by more than any clock difference (a
    mistyped year, say) records risk: not held as of ``today``, but never hidden."""
    return any(
        session_risk_flags(s, settings=settings)
        for case in copies
        for s in case.sessions
        if s.date > today and s.date - today > CLOCK_SKEW
    )


def _member_risk_items(
    group: Group,
    by_id: Mapping[str, tuple[Case, ...]] | None,
    *,
    today: date,
    ended: bool,
    settings: RiskSettings,
) -> list[GroupAgendaItem]:
    """The items that lead the agenda about the members' own risk: blocking items for members whose
    case has open risk flags (by grade, highest first; those still in the group, then those who
    left), for a crisis referral recorded in the group or a member's case, for risk recorded in
    sessions dated after ``today`` (just after, or further by a mistyped date), then, not
    blocking, the members whose case was not given,
    whose case follows another protocol, or whose case records that treatment ended while the group
    lists them; without ``cases``, the group's crisis referrals and one item saying risk was not
    checked."""
    if not group.members:
        return []
    if by_id is None:
        return [
            *_crisis_referral_items(group, named=()),
            _item(
                ItemKind.REMINDER,
                "group.member_risk_not_checked",
                "risk in the members' own cases was not checked for this agenda: their cases were not given",
                "the members' own records were not checked for safety: ask your supervisor",
                _CASES_SOURCE,
            ),
        ]
    staying: dict[RiskGrade, list[str]] = {}
    gone: dict[RiskGrade, list[str]] = {}
    later: list[str] = []
    far: list[str] = []
    missing: list[str] = []
    referred: list[str] = []
    differs: list[str] = []
    stopped: list[str] = []
    for member in group.members:
        copies = by_id.get(member.case_id, ())
        if not copies:
            missing.append(member.id)
            continue
        phases = {case.phase_on(today) for case in copies}
        if Phase.CRISIS_REFERRAL in phases:
            referred.append(member.id)
        elif not ended and not _left_before(member, today) and phases & TERMINAL_PHASES:
            stopped.append(member.id)
        if any(case.contract.protocol_id != group.protocol_id for case in copies):
            differs.append(member.id)
        grade = _highest(
            flag.level for case in copies for flag in open_risk_flags(case, today=today, settings=settings)
        )
        if grade is not None:
            (gone if _left_before(member, today) else staying).setdefault(grade, []).append(member.id)
        ahead = (s for case in copies for s in dated_just_ahead(case.sessions, today))
        if any(session_risk_flags(s, settings=settings) for s in ahead):
            later.append(member.id)
        if _risk_dated_far_ahead(copies, today, settings):
            far.append(member.id)
    items = [
        _member_risk_item(grade, tuple(found[grade]), left=left, ended=ended)
        for left, found in ((False, staying), (True, gone))
        for grade in _GRADE_ORDER
        if grade in found
    ]
    named = [m for item in items for m in item.members]
    items.extend(_crisis_referral_items(group, named=named, in_cases=referred))
    if later:
        items.append(
            _item(
                ItemKind.RISK,
                "group.member_risk_dated_later",
                "risk is recorded in these members' own cases in sessions dated just after today: "
                "check the dates (a device's clock or time zone) and review their safety individually",
                "check in with each of these members on their own about their safety",
                "the library keeps every flag; the service owns the crisis pathway",
                blocking=True,
                members=tuple(later),
            )
        )
    if far:
        items.append(
            _item(
                ItemKind.RISK,
                "group.member_risk_dated_ahead",
                "risk is recorded in these members' own cases in sessions dated after today (a "
                "session cannot be held in the future): correct the dates and review their safety "
                "individually",
                "check in with each of these members on their own about their safety",
                "the library keeps every flag; the service owns the crisis pathway",
                blocking=True,
                members=tuple(far),
            )
        )
    if missing:
        items.append(
            _item(
                ItemKind.REMINDER,
                "group.member_case_missing",
                "risk could not be checked for these members: their own case was not given",
                "the records of these members were not available: ask your supervisor whether they are safe",
                _CASES_SOURCE,
                members=tuple(missing),
            )
        )
    items.extend(_case_record_items(differs, stopped))
    return items


def _persisting_items(
    group: Group, by_id: Mapping[str, tuple[Case, ...]], rules: GroupRules, *, today: date
) -> list[GroupAgendaItem]:
    """At the last session (and once the group has ended), the members still in it whose latest
    PHQ-9 in their own case (the highest of its copies) is at or above the rules' cut-off."""
    persisting: list[str] = []
    for member in group.members:
        if _left_before(member, today):
            continue
        latest = [
            found.latest.total
            for case in by_id.get(member.case_id, ())
            if (found := evaluate_progress(case, today=today).instruments.get("phq9")) is not None
            and found.latest is not None
            and found.latest.total is not None
        ]
        if latest and max(latest) >= rules.persisting_phq9:
            persisting.append(member.id)
    if not persisting:
        return []
    return [
        _item(
            ItemKind.TASK,
            "group.termination.symptoms_persist",
            f"these members' latest PHQ-9 is still {rules.persisting_phq9} or more: review their symptoms "
            "and consider referring them on or consulting your supervisor",
            "these members still feel low: talk with your supervisor about more help for them",
            rules.persisting_source,
            members=tuple(persisting),
        )
    ]


def next_steps_group(
    group: Group,
    protocol: Protocol | None = None,
    *,
    today: date,
    rules: GroupRules | None = None,
    cases: Mapping[str, Case] | Iterable[Case] | None = None,
    risk_settings: RiskSettings = DEFAULT_RISK_SETTINGS,
) -> GroupAgenda:
    """What the next group session of ``group`` should cover, as of ``today``.

    ``cases`` are the members' own cases (a mapping by case id, ``Member.case_id``, or any
    iterable of cases; each is read under its own id, never a mapping's key; others than the
    members' are ignored); ``risk_settings`` grade their risk
    answers. Items come in the order a facilitator takes them: the members' risk first (members
    whose case has open risk flags, blocking, or, without ``cases``, that risk was not checked),
    then what must happen before the session (pre-group meetings, blocking), members to follow
    up, the group's size, then the session's content for its phase and the measures due.
    """
    group, today = _group_given(group), day_of(today)
    used, _ = resolve_group_protocol(group, protocol)
    report = evaluate_group(group, used if protocol is not None else None, today=today, rules=rules)
    rules = report.rules
    session = report.next_session
    phase = report.phase
    ended = phase is Phase.COMPLETED
    by_id = None if cases is None else _cases_by_id(cases)
    items = _member_risk_items(group, by_id, today=today, ended=ended, settings=risk_settings)
    unmet = tuple(s.member_id for s in report.members if pre_group_meeting_blocks(s, rules, ended=ended))
    if unmet:
        items.append(
            _item(
                ItemKind.TASK,
                "group.pre_group_meeting",
                "meet each of these members alone before the next group session",
                "meet each of these members on their own before the next group meeting",
                rules.pre_group_source,
                blocking=True,
                members=unmet,
            )
        )
    if report.follow_up and phase is Phase.COMPLETED:
        items.append(
            _item(
                ItemKind.REMINDER,
                "group.follow_up",
                "follow up with the members who missed group sessions since they last came: "
                "the group has ended",
                "contact the members who have missed meetings: check how they are; the group has ended",
                rules.follow_up_source,
                members=report.follow_up,
            )
        )
    elif report.follow_up:
        items.append(
            _item(
                ItemKind.REMINDER,
                "group.follow_up",
                "follow up with the members who missed group sessions since they last came, "
                "before the next one",
                "contact the members who have missed meetings: check how they are and invite them back",
                rules.follow_up_source,
                members=report.follow_up,
            )
        )
    active = len(report.enrolled_members)
    if phase is not Phase.COMPLETED and rules.min_members is not None and active < rules.min_members:
        items.append(
            _item(
                ItemKind.REMINDER,
                "group.size.below_minimum",
                f"the group has {active} member{'' if active == 1 else 's'}, fewer than the "
                f"{rules.min_members} the protocol plans",
                "the group is small: consider inviting more members before it starts"
                if phase is Phase.PRE_TREATMENT
                else "the group is smaller than planned",
                rules.size_source,
            )
        )
    if phase is Phase.PRE_TREATMENT:
        items.append(
            _item(
                ItemKind.GOAL,
                "group.pre_group.purpose",
                "in each pre-group meeting: assess symptoms, explain the group, identify the problem area",
                "meet each person, listen to their story, and explain how the group works",
                rules.pre_group_source,
            )
        )
        first = rules.planned_phase(1)
        items.extend(_phase_items(first, rules, 1))
        items.extend(_measure_items(used, 1))
    elif phase is not Phase.COMPLETED:
        items.extend(_phase_items(phase, rules, session))
        if by_id is not None and rules.planned_phase(session) is Phase.TERMINATION:
            items.extend(_persisting_items(group, by_id, rules, today=today))  # beside the plan to refer on
        items.extend(_measure_items(used, session))
    if by_id is not None and ended:
        items.extend(_persisting_items(group, by_id, rules, today=today))
    return GroupAgenda(
        group_id=group.id,
        protocol_id=used.id,
        session=session,
        planned_sessions=rules.planned_sessions,
        phase=phase,
        phase_label=report.phase_label,
        session_phase=Phase.COMPLETED if phase is Phase.COMPLETED else rules.planned_phase(session),
        items=tuple(items),
        report=report,
    )
