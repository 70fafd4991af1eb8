"""Cohort analytics: the service outcome table of NHS Talking Therapies, grouped by protocol and area.

The table is built by a streaming accumulator in constant memory (one tally per group), and two
accumulators merge associatively and commutatively, so the same table can be computed over
partitions on any distributed engine (map: add each partition's cases; reduce: merge) and equal the
in-process result exactly (integer counts and sums; rates are derived at the end).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from ipt_core.domain._days import case_of
from ipt_core.domain.case import Case
from ipt_core.domain.course import ExitOutcome, Phase
from ipt_core.domain.measures.scoring import DEFAULT_POLICY, ScoringPolicy, _record_total, score_record
from ipt_core.domain.progress import (
    TalkingTherapiesSettings,
    _tt_outcome,
    _within_course,
    course_ended,
)
from ipt_core.domain.sessions import Attendance, SessionRecord

__all__ = [
    "ALL",
    "GROUPINGS",
    "OutcomeAccumulator",
    "OutcomeRow",
    "OutcomeTable",
    "case_measures",
    "service_outcomes",
]

ALL: Final = "*"
"""The group key of a dimension that is not grouped on (and of the whole service)."""
UNFORMULATED: Final = "unformulated"
"""The area key of a case with no focal problem area yet."""
GROUPINGS: Final = ("protocol", "area")
"""The dimensions a table may be grouped by."""
_COUNTS: Final = (
    "cases",
    "with_paired_scores",
    "finished_treatment",
    "caseness_at_start",
    "recovered",
    "reliably_improved",
    "reliably_deteriorated",
    "reliably_recovered",
    "no_reliable_change",
    "dropped_out",
    "phq9_change_sum",
    "gad7_change_sum",
)
_AT: Final = {name: index for index, name in enumerate(_COUNTS)}


@attrs.frozen
class OutcomeRow:
    """The outcome counts of one group, and the rates derived from them.

    Following NHS Talking Therapies, the outcome counts are over cases that finished treatment (an
    ended course with at least two attended treatment sessions, session 0 not counted) with a first
    and a last PHQ-9 and GAD-7 score; recovery rates are
    over those that were a case at the start.
    """

    protocol: str
    area: str
    cases: int = 0
    with_paired_scores: int = 0
    """Finished cases with a first and a last score on both the PHQ-9 and the GAD-7."""
    finished_treatment: int = 0
    caseness_at_start: int = 0
    """Finished, paired cases at caseness at the start (the recovery rates' denominator)."""
    recovered: int = 0
    reliably_improved: int = 0
    reliably_deteriorated: int = 0
    reliably_recovered: int = 0
    no_reliable_change: int = 0
    dropped_out: int = 0
    phq9_change_sum: int = 0
    """Sum over paired cases of last minus first PHQ-9 total."""
    gad7_change_sum: int = 0

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return None if whole == 0 else part / whole

    @property
    def recovery_rate(self) -> float | None:
        """Recovered / (finished, paired and at caseness at the start)."""
        return self._rate(self.recovered, self.caseness_at_start)

    @property
    def reliable_recovery_rate(self) -> float | None:
        """Reliably recovered / (finished, paired and at caseness at the start)."""
        return self._rate(self.reliably_recovered, self.caseness_at_start)

    @property
    def reliable_improvement_rate(self) -> float | None:
        """Reliably improved / finished with paired scores."""
        return self._rate(self.reliably_improved, self.with_paired_scores)

    @property
    def deterioration_rate(self) -> float | None:
        """Reliably deteriorated / finished with paired scores."""
        return self._rate(self.reliably_deteriorated, self.with_paired_scores)

    @property
    def finished_rate(self) -> float | None:
        """Finished treatment / all cases."""
        return self._rate(self.finished_treatment, self.cases)

    @property
    def dropout_rate(self) -> float | None:
        """Dropped out / all cases."""
        return self._rate(self.dropped_out, self.cases)

    @property
    def mean_phq9_change(self) -> float | None:
        """Mean change (last − first) of the PHQ-9 over paired cases; negative is improvement."""
        return self._rate(self.phq9_change_sum, self.with_paired_scores)

    @property
    def mean_gad7_change(self) -> float | None:
        """Mean change (last − first) of the GAD-7 over paired cases; negative is improvement."""
        return self._rate(self.gad7_change_sum, self.with_paired_scores)

    def as_dict(self) -> dict[str, object]:
        """Counts and rates, ready for a CSV writer or a JSON response."""
        data: dict[str, object] = attrs.asdict(self)
        for name, member in vars(OutcomeRow).items():
            if isinstance(member, property):  # the rates and means, in definition order
                data[name] = getattr(self, name)
        return data


@attrs.frozen
class OutcomeTable:
    """The service outcome table: one row per group (sorted), and the whole service."""

    by: tuple[str, ...]
    rows: tuple[OutcomeRow, ...]
    total: OutcomeRow

    def row(self, protocol: str = ALL, area: str = ALL) -> OutcomeRow | None:
        """The row of a group, if any case fell in it."""
        for row in self.rows:
            if row.protocol == protocol and row.area == area:
                return row
        return None


@attrs.frozen
class CaseMeasures:
    """What the outcome table needs of one case: its first and last totals and attendance."""

    first: Mapping[str, int]
    last: Mapping[str, int]
    attended_sessions: int
    treatment_sessions: int = 0
    """Attended sessions numbered from ``treatment_from_session`` on (session 0 is not treatment)."""
    ended: bool = False
    """Whether the course has ended (a final phase or an exit outcome)."""


def case_measures(
    case: Case, *, policy: ScoringPolicy | None = None, treatment_from_session: int = 1
) -> CaseMeasures:
    """The first and last scorable PHQ-9 and GAD-7 totals of ``case``, its attended sessions, its
    attended treatment sessions (numbered from ``treatment_from_session``) and whether it ended."""
    attended = [s for s in _within_course(case, case.sessions) if s.attendance is Attendance.ATTENDED]
    first = _first_totals(attended, policy)
    last = _first_totals(attended[::-1], policy)
    return CaseMeasures(
        first=first,
        last=last,
        attended_sessions=len(attended),
        treatment_sessions=sum(1 for s in attended if s.number >= treatment_from_session),
        ended=course_ended(case),
    )


_PAIRED: Final = ("phq9", "gad7")
"""The measures whose first and last totals the outcome table pairs."""


def _first_totals(sessions: Iterable[SessionRecord], policy: ScoringPolicy | None) -> dict[str, int]:
    """The first integer total of each paired measure in ``sessions``, in the order given."""
    found: dict[str, int] = {}
    for session in sessions:
        for record in session.measures:
            name = record.instrument
            if name in _PAIRED and name not in found:
                fast = _record_total(record, policy)  # complete integer answers: the fast path
                total = score_record(record, policy=policy).total if fast is None else fast[0]
                if isinstance(total, int):
                    found[name] = total
        if len(found) == len(_PAIRED):
            break
    return {name: found[name] for name in _PAIRED if name in found}


class OutcomeAccumulator:
    """Streams cases into per-group integer tallies; merge two to combine partitions."""

    __slots__ = ("_by", "_policy", "_settings", "_tallies")

    def __init__(
        self,
        *,
        by: Iterable[str] = GROUPINGS,
        settings: TalkingTherapiesSettings | None = None,
        policy: ScoringPolicy | None = None,
    ) -> None:
        self._by = tuple(by)
        unknown = [d for d in self._by if d not in GROUPINGS]
        if unknown or len(set(self._by)) != len(self._by):
            raise ValueError(f"group by any of {GROUPINGS}, each once")
        self._settings = settings or TalkingTherapiesSettings()
        self._policy = policy
        self._tallies: dict[tuple[str, str], list[int]] = {}

    def _key(self, case: Case) -> tuple[str, str]:
        protocol = case.protocol_id if "protocol" in self._by else ALL
        if "area" in self._by:
            focus = case.focal_areas()
            area = focus[0].KIND.value if focus else UNFORMULATED
        else:
            area = ALL
        return protocol, area

    def add(self, case: Case) -> None:
        """Count one case."""
        if type(case) is not Case:  # a caller's mistake (a document not yet read)? said plainly
            case = case_of(case)
        tally = self._tallies.setdefault(self._key(case), [0] * len(_COUNTS))
        tally[_AT["cases"]] += 1
        if case.outcome is ExitOutcome.DROPPED_OUT or case.phase is Phase.DROPPED_OUT:
            tally[_AT["dropped_out"]] += 1
        settings = self._settings
        attended = [s for s in _within_course(case, case.sessions) if s.attendance is Attendance.ATTENDED]
        # Session numbers increase through a case: the treatment sessions are those after the
        # attended sessions numbered before the first treatment session.
        before, first_treatment = 0, settings.treatment_from_session
        while before < len(attended) and attended[before].number < first_treatment:
            before += 1
        treatment = len(attended) - before
        ended = course_ended(case)
        finished = settings.finished(treatment_sessions=treatment, ended=ended)
        tally[_AT["finished_treatment"]] += finished
        if not finished:
            return  # the outcome counts are over finished courses: no score is needed
        first = _first_totals(attended, self._policy)
        last = _first_totals(reversed(attended), self._policy)
        if len(first) < len(_PAIRED) or len(last) < len(_PAIRED):
            return
        # Totals scored from a case's answers, which fit their instrument: in range, no check needed.
        outcome = _tt_outcome(first, last, treatment, settings, ended)
        tally[_AT["with_paired_scores"]] += 1
        for index, counted in (
            (_AT["caseness_at_start"], outcome.caseness_at_start),
            (_AT["recovered"], outcome.recovered),
            (_AT["reliably_improved"], outcome.reliably_improved),
            (_AT["reliably_deteriorated"], outcome.reliably_deteriorated),
            (_AT["reliably_recovered"], outcome.reliably_recovered),
            (_AT["no_reliable_change"], outcome.no_reliable_change),
        ):
            tally[index] += counted
        tally[_AT["phq9_change_sum"]] += last["phq9"] - first["phq9"]
        tally[_AT["gad7_change_sum"]] += last["gad7"] - first["gad7"]

    def add_all(self, cases: Iterable[Case]) -> OutcomeAccumulator:
        """Count every case (streaming: the iterable is read once, never held)."""
        for case in cases:
            self.add(case)
        return self

    def merge(self, other: OutcomeAccumulator) -> OutcomeAccumulator:
        """A new accumulator holding both tallies (neither input changes)."""
        if other._by != self._by:
            raise ValueError("only accumulators grouped the same way can merge")
        if other._settings != self._settings or (other._policy or DEFAULT_POLICY) != (
            self._policy or DEFAULT_POLICY
        ):
            raise ValueError("only accumulators counting by the same settings and scoring policy can merge")
        merged = OutcomeAccumulator(by=self._by, settings=self._settings, policy=self._policy)
        for source in (self._tallies, other._tallies):
            for key, tally in source.items():
                into = merged._tallies.setdefault(key, [0] * len(_COUNTS))
                for i, value in enumerate(tally):
                    into[i] += value
        return merged

    def table(self) -> OutcomeTable:
        """The outcome table of everything counted so far."""
        rows = tuple(
            OutcomeRow(protocol, area, *tally) for (protocol, area), tally in sorted(self._tallies.items())
        )
        total = [sum(t[i] for t in self._tallies.values()) for i in range(len(_COUNTS))]
        return OutcomeTable(by=self._by, rows=rows, total=OutcomeRow(ALL, ALL, *total))

    def __getstate__(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)


def service_outcomes(
    cases: Iterable[Case],
    *,
    by: Iterable[str] = GROUPINGS,
    settings: TalkingTherapiesSettings | None = None,
    policy: ScoringPolicy | None = None,
) -> OutcomeTable:
    """The service outcome table of ``cases``, grouped ``by`` protocol and/or focal area.

    Streams the iterable once in constant memory (a generator over files is fine).
    """
    return OutcomeAccumulator(by=by, settings=settings, policy=policy).add_all(cases).table()
