"""Group outcomes: each member's first and last scores and outcome, attendance, and the group's rates.

A group holds only the ids of its members' cases; the functions here take the cases as an argument
(a mapping by case id, or any iterable of cases) and say which members' cases were not given. The
scores and outcomes come from the progress code (:func:`ipt_core.progress.evaluate`,
:func:`~ipt_core.progress.talking_therapies_outcome`) and the cohort table from the analytics code
(:class:`~ipt_core.analytics.OutcomeAccumulator`), so a group's numbers are the ones a case report
and the service table give. Attendance is the group's own record, counted as the group report
(:func:`~ipt_core.phases.evaluate_group`) counts it.

Group IPT reviews symptoms at every session (S48; the ``group-who`` protocol schedules the PHQ-9
each time), and members often have no GAD-7. Without a GAD-7 the NHS Talking Therapies outcome
cannot be computed, so each member's recovery and reliable change are then judged on the PHQ-9
alone, with the same thresholds (caseness 10, reliable change 6: NHS Talking
Therapies).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from itertools import pairwise
from typing import Final

import attrs

from ipt_core.domain._days import case_of, day_of
from ipt_core.domain._fields import no_such_id
from ipt_core.domain.analytics import GROUPINGS, OutcomeAccumulator, OutcomeRow, OutcomeTable
from ipt_core.domain.case import Case
from ipt_core.domain.group import Group, Member, MemberExit, _group_given
from ipt_core.domain.group_rules import MemberStatus, evaluate_group
from ipt_core.domain.measures.scoring import ScoringPolicy
from ipt_core.domain.progress import (
    ProgressPolicy,
    TalkingTherapiesOutcome,
    TalkingTherapiesSettings,
    _attended_pairs,
    _within_course,
    course_ended,
    talking_therapies_outcome,
)
from ipt_core.domain.progress import evaluate as evaluate_progress
from ipt_core.domain.protocols import Protocol
from ipt_core.domain.sessions import Attendance
from ipt_core.errors import Problem, ProblemCode, ValidationError

__all__ = [
    "UNGROUPED",
    "GroupOutcomes",
    "MemberOutcome",
    "group_of_cases",
    "group_outcomes",
    "outcomes_by_group",
]

UNGROUPED: Final = "ungrouped"
"""The group key of cases that belong to no group given to :func:`outcomes_by_group`."""


@attrs.frozen
class MemberOutcome:
    """One member's attendance and outcome (``None`` where the case or the scores are missing)."""

    member_id: str
    case_id: str
    case_found: bool
    attended: int
    sessions_while_member: int
    exit_reason: MemberExit | None
    first: Mapping[str, int]
    """The first scored PHQ-9 and GAD-7 totals of the member's case."""
    last: Mapping[str, int]
    """The last scored totals (the same session as ``first`` when only one was scored)."""
    finished_treatment: bool
    """The member's course has ended (the group held its planned sessions, the member left, or the
    member's case ended) with at least ``min_attended_sessions`` group sessions attended (NHS
    Talking Therapies: 2 treatment sessions in an ended course; pre-group meetings not counted)."""
    caseness_at_start: bool | None
    recovered: bool | None
    reliably_improved: bool | None
    reliably_deteriorated: bool | None
    response: bool | None
    """A PHQ-9 fall of at least the policy's response fall (50%)."""
    remission: bool | None
    """The last PHQ-9 at or below the policy's remission maximum (4)."""
    talking_therapies: TalkingTherapiesOutcome | None
    """The NHS Talking Therapies outcome, when both the PHQ-9 and the GAD-7 were paired."""

    @property
    def attendance_rate(self) -> float | None:
        """Group sessions attended / held while a member (``None`` before any was held)."""
        return None if self.sessions_while_member == 0 else self.attended / self.sessions_while_member

    @property
    def phq9_change(self) -> int | None:
        """Last minus first PHQ-9 total (negative is improvement)."""
        if "phq9" in self.first and "phq9" in self.last:
            return self.last["phq9"] - self.first["phq9"]
        return None

    @property
    def dropped_out(self) -> bool:
        """Whether the member left the group having dropped out."""
        return self.exit_reason is MemberExit.DROPPED_OUT


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


@attrs.frozen
class GroupOutcomes:
    """A group's outcomes: each member's, the counts and rates over them, and the service row.

    Rates follow NHS Talking Therapies: outcomes over members who finished treatment with paired
    scores, recovery over those at caseness at the start.
    """

    group_id: str
    as_of: date
    members: tuple[MemberOutcome, ...]
    missing_cases: tuple[str, ...]
    """Case ids of members whose case was not given (their outcome fields are ``None``)."""
    service: OutcomeRow
    """The NHS Talking Therapies row of the members' cases (PHQ-9 and GAD-7 both needed)."""

    def _count(self, name: str) -> int:
        return sum(1 for m in self._paired() if getattr(m, name))

    def _paired(self) -> tuple[MemberOutcome, ...]:
        return tuple(m for m in self.members if m.finished_treatment and m.phq9_change is not None)

    @property
    def with_paired_scores(self) -> int:
        """Members who finished treatment with a first and a last PHQ-9."""
        return len(self._paired())

    @property
    def caseness_at_start(self) -> int:
        """Finished, paired members at caseness at the start (the recovery rate's denominator)."""
        return self._count("caseness_at_start")

    @property
    def recovery_rate(self) -> float | None:
        """Recovered / finished, paired members at caseness at the start."""
        return _rate(self._count("recovered"), self.caseness_at_start)

    @property
    def reliable_improvement_rate(self) -> float | None:
        """Reliably improved / finished, paired members."""
        return _rate(self._count("reliably_improved"), self.with_paired_scores)

    @property
    def deterioration_rate(self) -> float | None:
        """Reliably deteriorated / finished, paired members."""
        return _rate(self._count("reliably_deteriorated"), self.with_paired_scores)

    @property
    def response_rate(self) -> float | None:
        """Responded (PHQ-9 fall of 50% or more) / finished, paired members judged for response:
        those whose first PHQ-9 reached the policy's index score (10: CMS159)."""
        return _rate(self._count("response"), self._judged("response"))

    @property
    def remission_rate(self) -> float | None:
        """In remission at the last PHQ-9 / finished, paired members judged for remission (a first
        PHQ-9 at the index score or above)."""
        return _rate(self._count("remission"), self._judged("remission"))

    def _judged(self, name: str) -> int:
        return sum(1 for m in self._paired() if getattr(m, name) is not None)

    @property
    def dropout_rate(self) -> float | None:
        """Members who dropped out / all members."""
        return _rate(sum(1 for m in self.members if m.dropped_out), len(self.members))

    @property
    def attendance_rate(self) -> float | None:
        """Group sessions attended / held while a member, over all members."""
        return _rate(
            sum(m.attended for m in self.members), sum(m.sessions_while_member for m in self.members)
        )

    def member(self, member_id: str) -> MemberOutcome:
        """The outcome of one member (:class:`~ipt_core.UnknownIdError`, a ``KeyError``, if there is none)."""
        for outcome in self.members:
            if outcome.member_id == member_id:
                return outcome
        raise no_such_id("member", tuple(o.member_id for o in self.members), member_id)


def _by_id(cases: Mapping[str, Case] | Iterable[Case], members: Iterable[str] = ()) -> Mapping[str, Case]:
    """The cases by id. Two different copies of one member's case (an older export beside this
    week's, say) are refused: their scores pair differently and neither is the one to choose (the
    group agenda reads every copy, so that an old copy cannot hide an open flag). The same copy
    given twice is one case; copies of cases not in ``members`` are ignored, as those cases are.
    A mapping's cases are read under their own ids, not its keys (``i`` counts them in its order)."""
    wanted = frozenset(members)
    found: dict[str, Case] = {}
    first: dict[str, int] = {}
    problems: list[Problem] = []
    for i, given in enumerate(cases.values() if isinstance(cases, Mapping) else cases):
        case = case_of(given, "each of cases")
        seen = found.setdefault(case.id, case)
        first.setdefault(case.id, i)
        if seen is not case and seen != case and case.id in wanted:
            problems.append(
                Problem(
                    f"$.cases[{i}].id",
                    ProblemCode.DUPLICATE_ID,
                    f"another copy of the case at $.cases[{first[case.id]}], with different records: "
                    "give one copy of each member's case",
                )
            )
    if problems:
        raise ValidationError(problems)
    return found


def _member_outcome(
    member: Member,
    status: MemberStatus,
    case: Case | None,
    today: date,
    policy: ProgressPolicy,
    *,
    group_ended: bool,
) -> MemberOutcome:
    attended, held = status.attended, status.sessions_while_member
    settings = policy.talking_therapies
    left = member.left is not None and member.left <= today
    ended = group_ended or left or (case is not None and course_ended(case, today=today))
    finished = settings.finished(treatment_sessions=attended, ended=ended)
    empty = MemberOutcome(
        member.id, member.case_id, case is not None, attended, held, member.exit_reason,
        {}, {}, finished, None, None, None, None, None, None, None,
    )  # fmt: skip
    if case is None:
        return empty
    progress = evaluate_progress(case, today=today, policy=policy)
    came = {
        s.number
        for s in _within_course(case, case.sessions_until(today))
        if s.attendance is Attendance.ATTENDED
    }
    points = {name: found.points for name, found in progress.instruments.items()}
    first, last = _attended_pairs(points, came)  # as the service table and the member's report pair them
    phq9 = progress.instruments.get("phq9")
    if "phq9" not in first or phq9 is None:
        return attrs.evolve(empty, first=first, last=last)
    tt: TalkingTherapiesOutcome | None = None
    if "gad7" in first:
        tt = talking_therapies_outcome(
            first, last, attended_sessions=attended, settings=settings, ended=ended
        )
        caseness, recovered = tt.caseness_at_start, tt.recovered
        improved, deteriorated = tt.reliably_improved, tt.reliably_deteriorated
    else:  # the PHQ-9 alone, with the Talking Therapies thresholds of that measure
        caseness = first["phq9"] >= settings.phq9_caseness
        recovered = caseness and last["phq9"] < settings.phq9_caseness
        improved = first["phq9"] - last["phq9"] >= settings.phq9_reliable_change
        deteriorated = last["phq9"] - first["phq9"] >= settings.phq9_reliable_change
    return attrs.evolve(
        empty,
        first=first,
        last=last,
        caseness_at_start=caseness,
        recovered=recovered and finished,
        reliably_improved=improved and finished,
        reliably_deteriorated=deteriorated and finished,
        response=phq9.response,
        remission=phq9.remission,
        talking_therapies=tt,
    )


def group_outcomes(
    group: Group,
    cases: Mapping[str, Case] | Iterable[Case],
    *,
    today: date,
    policy: ProgressPolicy | None = None,
    protocol: Protocol | None = None,
) -> GroupOutcomes:
    """The outcomes of ``group`` as of ``today``, from its members' ``cases``.

    ``cases`` is a mapping by case id or any iterable of cases (each read under its own id, never
    a mapping's key; others than the members' are ignored). Members whose case is missing are
    listed in ``missing_cases`` and counted in the attendance and drop-out rates only. Two
    different copies of a member's case raise :class:`~ipt_core.errors.ValidationError`
    (``duplicate_id`` at ``$.cases[i].id``, ``i`` the second copy's place in ``cases``).
    ``protocol`` is the group's protocol when it is not one this library knows (a service's own),
    as for :func:`~ipt_core.phases.evaluate_group`: it says how many group sessions the group
    plans, and so when its members' treatment ends.
    """
    group, today = _group_given(group), day_of(today)
    policy = ProgressPolicy() if policy is None else policy
    by_id = _by_id(cases, group.case_ids())
    report = evaluate_group(group, protocol, today=today)  # attendance, as the group report counts it
    group_ended = report.next_session > report.planned_sessions  # its planned sessions all held
    members = tuple(
        _member_outcome(m, status, by_id.get(m.case_id), today, policy, group_ended=group_ended)
        for m, status in zip(group.members, report.members, strict=True)
    )
    found = [by_id[m.case_id] for m in group.members if m.case_id in by_id]
    accumulator = OutcomeAccumulator(by=(), settings=policy.talking_therapies, policy=policy.scoring)
    return GroupOutcomes(
        group_id=group.id,
        as_of=today,
        members=members,
        missing_cases=group.missing_cases(by_id),
        service=accumulator.add_all(found).table().total,
    )


def group_of_cases(groups: Iterable[Group]) -> dict[str, str]:
    """The map of case id to group id of every member of ``groups``.

    A member who moved from one group to another (left the first before joining the next) is
    counted in the group they moved to last. Raises ``ValueError`` when one case is a member of two
    groups given on the same day (the breakdown would count it twice), or when a group's id is
    :data:`UNGROUPED` (its cases would be merged with the cases in no group).
    """
    memberships: dict[str, list[tuple[Member, str]]] = {}
    for given in groups:
        group = _group_given(given, "each of groups")
        if group.id == UNGROUPED:
            raise ValueError("a group's id is the key of the cases in no group")
        for member in group.members:
            memberships.setdefault(member.case_id, []).append((member, group.id))
    found: dict[str, str] = {}
    for case_id, places in memberships.items():
        places.sort(key=lambda place: place[0].joined)
        for (before, left_group), (after, next_group) in pairwise(places):
            if left_group != next_group and (before.left is None or before.left >= after.joined):
                raise ValueError("a case is a member of two of the groups given")
        found[case_id] = places[-1][1]
    return found


def outcomes_by_group(
    cases: Iterable[Case],
    groups: Mapping[str, str] | Iterable[Group],
    *,
    by: Iterable[str] = GROUPINGS,
    settings: TalkingTherapiesSettings | None = None,
    policy: ScoringPolicy | None = None,
) -> dict[str, OutcomeTable]:
    """The service outcome table of ``cases`` for each group (keyed by group id).

    ``groups`` is a map of case id to group id, or the groups themselves. Cases in no group are
    counted under :data:`UNGROUPED`. Streams ``cases`` once; memory grows with the number of groups.
    """
    group_of = groups if isinstance(groups, Mapping) else group_of_cases(groups)
    dimensions = tuple(by)
    tallies: dict[str, OutcomeAccumulator] = {}
    for case in cases:
        key = group_of.get(case.id, UNGROUPED)
        accumulator = tallies.get(key)
        if accumulator is None:
            accumulator = tallies[key] = OutcomeAccumulator(by=dimensions, settings=settings, policy=policy)
        accumulator.add(case)
    return {key: tallies[key].table() for key in sorted(tallies)}
