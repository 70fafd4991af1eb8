"""Progress: reliable change, NHS Talking Therapies outcomes, response, remission, early
non-improvement and the exit outcome suggested at termination.

Every threshold is a setting whose default is a published one (NHS Talking Therapies; Jacobson &
Truax 1991; Coley et al.; CMS159; Reynolds 2010; Kudlow 2014; Markowitz, S3), cited where it is
defined and listed in the docs' bibliography.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import attrs

from ipt_core.domain._days import case_of, day_of, setting_of
from ipt_core.domain._fields import SESSIONS_MAX
from ipt_core.domain._maps import reduce_record
from ipt_core.domain.course import TERMINAL_PHASES, ExitOutcome, Phase
from ipt_core.domain.measures.instruments import INSTRUMENTS, Aggregation, Instrument
from ipt_core.domain.measures.scoring import Score, ScoringPolicy, Total, _record_total, _top, score_record
from ipt_core.domain.risk import RiskFlag, RiskSettings, _still_open, session_risk_flags
from ipt_core.domain.sessions import Attendance, SessionRecord
from ipt_core.errors import Problem, ProblemCode, ValidationError

if TYPE_CHECKING:
    from ipt_core.domain.case import Case

__all__ = [
    "RCI_CRITERION",
    "ClinicalSignificanceCutoffs",
    "ExitSuggestion",
    "FocalAreaRating",
    "InstrumentProgress",
    "ProgressPolicy",
    "ProgressReport",
    "RatingPoint",
    "ReliableChange",
    "TalkingTherapiesOutcome",
    "TalkingTherapiesSettings",
    "clinical_significance_cutoffs",
    "course_ended",
    "evaluate",
    "reliable_change",
    "talking_therapies_outcome",
]

RCI_CRITERION: Final = 1.96
"""Change is reliable when |RCI| > 1.96 (p < .05; Jacobson & Truax 1991 [V])."""
CUTOFF_SDS: Final = 2.0
"""Criteria a and b lie 2 SD from the mean (Jacobson & Truax 1991 [V]; the clinsig R package). The
JT-RCI gist uses 1.96 for a: pass ``sds=1.96`` to follow it."""


def _frozen(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


def _frozen_map(value: object) -> object:
    """A read-only copy of a map; anything else is kept as it is, for the policy to refuse."""
    return MappingProxyType(dict(value)) if isinstance(value, Mapping) else value


def _number(value: object, path: str, problems: list[Problem]) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):  # type: ignore[arg-type]
        problems.append(Problem(path, ProblemCode.WRONG_TYPE, "a finite number"))
        return 0.0
    return float(value)  # type: ignore[arg-type]


# --- Jacobson & Truax -----------------------------------------------------------------------------


@attrs.frozen
class ReliableChange:
    """The reliable change index of one pair of scores (Jacobson & Truax 1991)."""

    change: float
    """post - pre."""
    s_diff: float
    """The standard error of the difference: sqrt(2) x SD x sqrt(1 - reliability)."""
    rci: float
    """(post - pre) / S_diff."""
    reliable: bool
    """|RCI| > the criterion (1.96)."""
    threshold: float
    """criterion x S_diff: a raw change larger than this (not equal to it) is reliable."""


def reliable_change(
    pre: float,
    post: float,
    *,
    sd: float,
    reliability: float,
    criterion: float = RCI_CRITERION,
) -> ReliableChange:
    """The reliable change index from ``pre`` to ``post`` (Jacobson & Truax 1991 [V],
    J Consult Clin Psychol 59:12): SE = SD x sqrt(1 - r), S_diff = sqrt(2 SE²),
    RCI = change / S_diff.

    ``sd`` is the pre-treatment or norm SD (> 0); ``reliability`` is r_xx, from 0 up to (not
    including) 1.
    """
    problems: list[Problem] = []
    x_pre = _number(pre, "$.pre", problems)
    x_post = _number(post, "$.post", problems)
    s = _number(sd, "$.sd", problems)
    r = _number(reliability, "$.reliability", problems)
    z = _number(criterion, "$.criterion", problems)
    if not problems:
        if s <= 0:
            problems.append(Problem("$.sd", ProblemCode.OUT_OF_RANGE, "greater than 0"))
        if not 0 <= r < 1:
            problems.append(Problem("$.reliability", ProblemCode.OUT_OF_RANGE, "0 <= r < 1"))
        if z <= 0:
            problems.append(Problem("$.criterion", ProblemCode.OUT_OF_RANGE, "greater than 0"))
    if problems:
        raise ValidationError(problems)
    se = s * math.sqrt(1 - r)
    s_diff = math.sqrt(2 * se * se)
    if not 0 < s_diff < math.inf:  # an SD so small (or large) that S_diff is 0 (or infinite)
        raise ValidationError.single(
            "$.sd", ProblemCode.OUT_OF_RANGE, "an SD whose S_diff is a finite number above 0"
        )
    change = x_post - x_pre
    rci = change / s_diff
    threshold = z * s_diff
    if not all(math.isfinite(v) for v in (change, rci, threshold)):
        raise ValidationError.single(
            "$", ProblemCode.OUT_OF_RANGE, "numbers small enough to subtract and divide"
        )
    return ReliableChange(change=change, s_diff=s_diff, rci=rci, reliable=abs(rci) > z, threshold=threshold)


@attrs.frozen
class ClinicalSignificanceCutoffs:
    """Jacobson & Truax cut-offs for a measure where lower is better (Jacobson & Truax 1991 [V])."""

    a: float
    """More than ``sds`` SD beyond the dysfunctional mean, toward health: M_dys - 2 SD_dys."""
    b: float
    """Within ``sds`` SD of the functional mean: M_func + 2 SD_func."""
    c: float
    """The weighted midpoint (SD_dys M_func + SD_func M_dys) / (SD_dys + SD_func); preferred when
    the distributions overlap."""


def clinical_significance_cutoffs(
    *,
    dysfunctional_mean: float,
    dysfunctional_sd: float,
    functional_mean: float,
    functional_sd: float,
    sds: float = CUTOFF_SDS,
) -> ClinicalSignificanceCutoffs:
    """The clinical-significance cut-offs a, b and c (Jacobson & Truax 1991) for a measure where a
    lower score is better (so the functional mean is at or below the dysfunctional one)."""
    problems: list[Problem] = []
    m_dys = _number(dysfunctional_mean, "$.dysfunctional_mean", problems)
    s_dys = _number(dysfunctional_sd, "$.dysfunctional_sd", problems)
    m_fun = _number(functional_mean, "$.functional_mean", problems)
    s_fun = _number(functional_sd, "$.functional_sd", problems)
    k = _number(sds, "$.sds", problems)
    if not problems:
        for path, value in (
            ("$.dysfunctional_sd", s_dys),
            ("$.functional_sd", s_fun),
            ("$.sds", k),
        ):
            if value <= 0:
                problems.append(Problem(path, ProblemCode.OUT_OF_RANGE, "greater than 0"))
        if m_fun > m_dys:  # the cut-offs are for a measure where lower is better
            problems.append(
                Problem("$.functional_mean", ProblemCode.INCONSISTENT, "at or below the dysfunctional mean")
            )
    if problems:
        raise ValidationError(problems)
    cutoffs = ClinicalSignificanceCutoffs(
        a=m_dys - k * s_dys,
        b=m_fun + k * s_fun,
        c=_midpoint(m_dys, s_dys, m_fun, s_fun),
    )
    if not all(math.isfinite(v) for v in (cutoffs.a, cutoffs.b, cutoffs.c)):
        raise ValidationError.single("$", ProblemCode.OUT_OF_RANGE, "means and SDs small enough to add")
    return cutoffs


def _midpoint(m_dys: float, s_dys: float, m_fun: float, s_fun: float) -> float:
    """Jacobson & Truax's c, (SD_dys M_func + SD_func M_dys) / (SD_dys + SD_func); where those
    products overflow, the same mean weighted by SD_dys / (SD_dys + SD_func), a weight below 1."""
    c = (s_dys * m_fun + s_fun * m_dys) / (s_dys + s_fun)
    if math.isfinite(c):
        return c
    w_dys = 1 / (1 + s_fun / s_dys)
    return w_dys * m_fun + (1 - w_dys) * m_dys


# --- NHS Talking Therapies ------------------------------------------------------------------------


_TT_LIMITS: Final = {
    "phq9_caseness": (1, 27),
    "gad7_caseness": (1, 21),
    "phq9_reliable_change": (1, 27),
    "gad7_reliable_change": (1, 21),
    "min_attended_sessions": (1, SESSIONS_MAX),
    "treatment_from_session": (0, SESSIONS_MAX),
}
"""The range of each Talking Therapies threshold: a total within its measure's range (PHQ-9 0-27,
GAD-7 0-21) and above 0, or a whole number of sessions."""


@attrs.frozen
class TalkingTherapiesSettings:
    """NHS Talking Therapies thresholds."""

    phq9_caseness: int = 10
    """A case on the PHQ-9 at ≥10 (NHS Talking Therapies manual as quoted by PORT-R and cbtwatch [S])."""
    gad7_caseness: int = 8
    """A case on the GAD-7 at ≥8, not the moderate band's 10 (NHS Talking Therapies [S])."""
    phq9_reliable_change: int = 6
    """A change of 6 or more on the PHQ-9 is reliable (NHS Talking Therapies [V])."""
    gad7_reliable_change: int = 4
    """A change of 4 or more on the GAD-7 is reliable (NHS Talking Therapies [V])."""
    min_attended_sessions: int = 2
    """Finished a course of treatment [V] = a referral that has *ended* having had at least
    two attended *treatment* contacts (NHS England / NHS Digital, Fingertips glossary "Finished
    course of treatment"; NHSE-TT SQL ``TreatmentCareContact_Count >= 2``)."""
    deterioration_requires_no_improvement: bool = False
    """Whether reliable deterioration also needs the other measure not to have reliably
    improved. Off by default, as NHS England counts it: either measure rising by its reliable-change
    value (PORT-R ``iapt_deterioration``; cbtwatch quoting the manual's reliable-change values);
    the stricter reading is not in any published definition retrieved [U]."""
    treatment_from_session: int = 1
    """Only *treatment* appointments count towards a finished course (NHS Talking Therapies [V]);
    sessions numbered below this one (session 0: an assessment, the IPT-B engagement session, the WHO
    pre-group meeting) are not treatment contacts."""
    requires_ended: bool = True
    """A course is finished only once the referral has *ended* (NHS Talking Therapies [V]; for a
    case: a final phase or a recorded exit outcome). Off counts courses still under way, for interim
    monitoring."""

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        for name, (low, high) in _TT_LIMITS.items():
            value = getattr(self, name)
            if type(value) is not int:
                problems.append(Problem(f"$.{name}", ProblemCode.WRONG_TYPE, "a whole number"))
            elif not low <= value <= high:
                problems.append(Problem(f"$.{name}", ProblemCode.OUT_OF_RANGE, f"from {low} to {high}"))
        for name in ("deterioration_requires_no_improvement", "requires_ended"):
            if type(getattr(self, name)) is not bool:
                problems.append(Problem(f"$.{name}", ProblemCode.WRONG_TYPE, "true or false"))
        if problems:
            raise ValidationError(problems)

    def finished(self, *, treatment_sessions: int, ended: bool) -> bool:
        """Whether a course with ``treatment_sessions`` attended treatment sessions, ``ended`` or
        not, has finished a course of treatment by these settings."""
        return (ended or not self.requires_ended) and treatment_sessions >= self.min_attended_sessions


_DEFAULT_TT_SETTINGS: Final = TalkingTherapiesSettings()


@attrs.frozen
class TalkingTherapiesOutcome:
    """The NHS Talking Therapies outcome of a course, from its first and last scores.

    Outcomes other than ``caseness_at_start`` and ``finished_treatment`` are computed only for a
    finished course of treatment; otherwise they are all ``False``.
    """

    caseness_at_start: bool
    finished_treatment: bool
    recovered: bool
    """A case at the start, below both caseness thresholds at the end (RCPsych; PORT-R) [V]."""
    reliably_improved: bool
    """A reliable fall on at least one measure and a reliable rise on neither [S]."""
    reliably_deteriorated: bool
    """A reliable rise on either measure [S]."""
    reliably_recovered: bool
    """Reliably improved and recovered (NHSE-TT SQL) [V]."""
    no_reliable_change: bool
    """Neither reliably improved nor reliably deteriorated (NHSE-TT ``NoChange_Flag``) [V]."""


_TT_RANGES: Final = {"phq9": 27, "gad7": 21}


def _tt_totals(values: object, name: str, problems: list[Problem]) -> dict[str, int]:
    found: dict[str, int] = {}
    if not isinstance(values, Mapping):
        problems.append(Problem(f"$.{name}", ProblemCode.WRONG_TYPE, "a map of phq9 and gad7"))
        return found
    for key in values:
        if key not in _TT_RANGES:
            problems.append(Problem(f"$.{name}", ProblemCode.UNKNOWN_KEY, "only phq9 and gad7"))
    for key, top in _TT_RANGES.items():
        path = f"$.{name}.{key}"
        if key not in values:
            problems.append(Problem(path, ProblemCode.MISSING, "a total is required"))
            continue
        value = values[key]
        if type(value) is not int:
            problems.append(Problem(path, ProblemCode.WRONG_TYPE, "an integer total"))
        elif not 0 <= value <= top:
            problems.append(Problem(path, ProblemCode.OUT_OF_RANGE, f"from 0 to {top}"))
        else:
            found[key] = value
    return found


def talking_therapies_outcome(
    first: Mapping[str, int],
    last: Mapping[str, int],
    *,
    attended_sessions: int,
    settings: TalkingTherapiesSettings | None = None,
    ended: bool = True,
) -> TalkingTherapiesOutcome:
    """The NHS Talking Therapies outcome from the ``first`` and ``last`` PHQ-9 and GAD-7 totals
    (each a map ``{"phq9": ..., "gad7": ...}``) of a course with ``attended_sessions`` attended
    *treatment* sessions (assessment and engagement sessions not counted). ``ended`` says whether
    the course has ended: one still under way has not finished treatment."""
    s = _DEFAULT_TT_SETTINGS if settings is None else settings
    problems: list[Problem] = []
    start = _tt_totals(first, "first", problems)
    end = _tt_totals(last, "last", problems)
    if type(attended_sessions) is not int or attended_sessions < 0:
        problems.append(Problem("$.attended_sessions", ProblemCode.OUT_OF_RANGE, "0 or more"))
    if not isinstance(s, TalkingTherapiesSettings):
        problems.append(Problem("$.settings", ProblemCode.WRONG_TYPE, "a TalkingTherapiesSettings, or None"))
    if type(ended) is not bool:  # "no" is a truthy text: it would finish a course under way
        problems.append(Problem("$.ended", ProblemCode.WRONG_TYPE, "true or false"))
    if problems:
        raise ValidationError(problems)
    return _tt_outcome(start, end, attended_sessions, s, ended)


def _tt_outcome(
    start: Mapping[str, int],
    end: Mapping[str, int],
    attended_sessions: int,
    s: TalkingTherapiesSettings,
    ended: bool,
) -> TalkingTherapiesOutcome:
    """:func:`talking_therapies_outcome` of totals already checked (scored from a case's answers)."""

    def case_at(totals: Mapping[str, int]) -> bool:
        return totals["phq9"] >= s.phq9_caseness or totals["gad7"] >= s.gad7_caseness

    caseness = case_at(start)
    finished = s.finished(treatment_sessions=attended_sessions, ended=ended)
    rc = {"phq9": s.phq9_reliable_change, "gad7": s.gad7_reliable_change}
    fell = {k: start[k] - end[k] >= rc[k] for k in rc}
    rose = {k: end[k] - start[k] >= rc[k] for k in rc}
    improved = any(fell.values()) and not any(rose.values())
    if s.deterioration_requires_no_improvement:
        deteriorated = any(rose.values()) and not any(fell.values())
    else:
        deteriorated = any(rose.values())
    recovered = caseness and not case_at(end)
    if not finished:
        return TalkingTherapiesOutcome(
            caseness_at_start=caseness,
            finished_treatment=False,
            recovered=False,
            reliably_improved=False,
            reliably_deteriorated=False,
            reliably_recovered=False,
            no_reliable_change=False,
        )
    return TalkingTherapiesOutcome(
        caseness_at_start=caseness,
        finished_treatment=True,
        recovered=recovered,
        reliably_improved=improved,
        reliably_deteriorated=deteriorated,
        reliably_recovered=improved and recovered,
        no_reliable_change=not improved and not deteriorated,
    )


def course_ended(case: Case, *, today: date | None = None) -> bool:
    """Whether the course of ``case`` has ended: it is in a final phase, or its exit outcome is
    recorded (NHS Talking Therapies counts outcomes of referrals that have ended).

    With ``today``, as of that day: a course whose move into a final phase is dated later had not
    ended yet (the exit outcome itself is undated and counts only when no such move is recorded)."""
    if today is not None:
        today = day_of(today)
        final = [c.on for c in case.phase_history if c.phase in TERMINAL_PHASES]
        if final:
            return min(final) <= today
    return case.phase in TERMINAL_PHASES or case.outcome is not None


def _within_course(case: Case, sessions: Sequence[SessionRecord]) -> list[SessionRecord]:
    """``sessions`` held by the day the course ended (its move into a final phase), all of them
    while it has not: a contact after the end (a follow-up rating) is not part of the course of
    treatment, whose first and last scores NHS Talking Therapies pairs (between referral and end)."""
    final = [c.on for c in case.phase_history if c.phase in TERMINAL_PHASES]
    if not final:
        return list(sessions)
    end = min(final)
    return [s for s in sessions if s.date <= end]


# --- the progress of a case -----------------------------------------------------------------------


@attrs.frozen
class ProgressPolicy:
    """Progress rules, each with a published default; every number is a setting."""

    __reduce__ = reduce_record

    scoring: ScoringPolicy = attrs.field(factory=ScoringPolicy)
    response_fall: float = 0.5
    """Response is a fall of at least 50% from baseline (Coley et al.; escitalopram trials, PMC2446493
    [V])."""
    response_instruments: tuple[str, ...] = ("phq9", "gad7", "hamd17")
    remission_max: Mapping[str, int] = attrs.field(
        factory=lambda: {"phq9": 4, "hamd17": 7}, converter=_frozen_map
    )
    """PHQ-9 remission < 5, i.e. at most 4 (Coley et al.; CMS159 [V]); HRSD-17 ≤ 7 (Reynolds 2010 [V])."""
    remission_sustained: int = 1
    """Consecutive ratings at or below the remission maximum needed (Reynolds 2010 [V] uses 3
    consecutive weekly HRSD-17 ratings; the default, 1, is the latest rating alone)."""
    early_session: int = 4
    """Early non-improvement is judged by session 4, as Kudlow 2014 judges it at 2-4 weeks
    (configurable 2-6)."""
    early_fall: float = 0.2
    """Less than a 20% fall (Kudlow 2014 [V]; pharmacotherapy evidence, extrapolated)."""
    early_instruments: tuple[str, ...] = ("phq9", "gad7", "hamd17")
    reliable_change: Mapping[str, int] = attrs.field(
        factory=lambda: {"phq9": 6, "gad7": 4}, converter=_frozen_map
    )
    """Reliable change on the PHQ-9 (6) and GAD-7 (4), for deterioration at any point (NHS Talking
    Therapies [V])."""
    primary_instruments: tuple[str, ...] = ("phq9", "hamd17")
    """The measures the exit suggestion looks at, first one with data first."""
    talking_therapies: TalkingTherapiesSettings = attrs.field(factory=TalkingTherapiesSettings)
    risk: RiskSettings = attrs.field(factory=RiskSettings)
    """The cut-offs that grade risk answers (:class:`~ipt_core.domain.risk.RiskSettings`)."""
    index_min: Mapping[str, int] = attrs.field(factory=lambda: {"phq9": 10}, converter=_frozen_map)
    """Response and remission are judged only from a baseline at or above this index score, and are
    ``None`` below it. PHQ-9 10: CMS159's index event is a PHQ-9 "greater than nine", and Coley et
    al. judge response and remission in episodes with a baseline PHQ-9 of 10 or more [V]. No index
    is published for the other measures; ``{}`` judges every baseline."""
    early_falls: Mapping[str, float] = attrs.field(factory=dict, converter=_frozen_map)
    """Per instrument, the early fall used instead of ``early_fall``. Sources disagree (Kudlow 2014
    [V]: < 20% at 2-4 weeks; Gilaberte 2013 [V]: < 30% on the HAM-D-17 at week 4), so none is set
    by default: ``{"hamd17": 0.3}`` follows Gilaberte."""

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        for name in ("response_fall", "early_fall"):
            value = getattr(self, name)
            if type(value) not in (int, float):  # a bool is not a fraction
                problems.append(Problem(f"$.{name}", ProblemCode.WRONG_TYPE, "a number above 0, up to 1"))
            elif not 0 < value <= 1:
                problems.append(Problem(f"$.{name}", ProblemCode.OUT_OF_RANGE, "above 0, up to 1"))
        for name in ("remission_sustained", "early_session"):
            value = getattr(self, name)
            if type(value) is not int:
                problems.append(Problem(f"$.{name}", ProblemCode.WRONG_TYPE, "a whole number, 1 or more"))
            elif value < 1:
                problems.append(Problem(f"$.{name}", ProblemCode.OUT_OF_RANGE, "1 or more"))
        problems += _threshold_problems(self)
        problems += _policy_kind_problems(self)
        if problems:
            raise ValidationError(problems)


def _highest(instrument: Instrument) -> int:
    """The highest total of a summed instrument, without options (PHQ-9 27, HAM-D-17 52)."""
    return sum(_top(item) for item in instrument.scored_items)


_FALLING: Final = tuple(
    key
    for key, instrument in INSTRUMENTS.items()
    if instrument.aggregation is Aggregation.SUM and not instrument.higher_is_better
)
"""The instruments whose total falls as the client improves: the only ones a rule of a fall reads
(MSPSS rises with support, Zimet 1988; SRM-5 and IPOS have no total)."""
_NOT_A_FALL: Final = "an instrument whose total falls as the client improves"

_THRESHOLDS: Final = (
    ("remission_max", 0, "a whole number"),
    ("reliable_change", 1, "a whole number"),
    ("index_min", 0, "a whole number"),
    ("early_falls", None, "a number above 0, up to 1"),
)
"""Each per-instrument setting of a policy: its name, its least whole value (``None``: a fraction
above 0, up to 1) and what it expects."""


def _threshold_problems(policy: ProgressPolicy) -> list[Problem]:
    """Each per-instrument threshold is a map of known instruments whose total falls as the client
    improves (a misspelt id would leave its instrument without a value; a reversed one would be read
    backwards), each value a whole number within the total's range or, for an early fall, a fraction."""
    problems: list[Problem] = []
    for name, least, expected in _THRESHOLDS:
        values = getattr(policy, name)
        if not isinstance(values, Mapping):
            problems.append(Problem(f"$.{name}", ProblemCode.WRONG_TYPE, "a map of instrument ids to values"))
            continue
        for key, value in values.items():
            path = f"$.{name}.{key}"
            if key not in INSTRUMENTS:
                problems.append(Problem(f"$.{name}", ProblemCode.UNKNOWN_KEY, "not an instrument id"))
            elif key not in _FALLING:
                problems.append(Problem(path, ProblemCode.NOT_ALLOWED, _NOT_A_FALL, allowed=_FALLING))
            elif least is None:
                if type(value) not in (int, float):  # a bool is not a fraction
                    problems.append(Problem(path, ProblemCode.WRONG_TYPE, expected))
                elif not 0 < value <= 1:
                    problems.append(Problem(path, ProblemCode.OUT_OF_RANGE, "above 0, up to 1"))
            elif type(value) is not int:
                problems.append(Problem(path, ProblemCode.WRONG_TYPE, expected))
            elif not least <= value <= _highest(INSTRUMENTS[key]):
                top = _highest(INSTRUMENTS[key])
                problems.append(Problem(path, ProblemCode.OUT_OF_RANGE, f"from {least} to {top}"))
    return problems


def _policy_kind_problems(policy: ProgressPolicy) -> list[Problem]:
    """The lists of instrument ids hold known ids (a misspelt one would turn its check off without
    a word) and the nested settings are settings (else ``evaluate`` fails on them later)."""
    problems: list[Problem] = []
    known = tuple(INSTRUMENTS)
    for name in ("response_instruments", "early_instruments", "primary_instruments"):
        ids = getattr(policy, name)
        if type(ids) is not tuple:
            problems.append(Problem(f"$.{name}", ProblemCode.WRONG_TYPE, "a tuple of instrument ids"))
            continue
        problems += [
            Problem(f"$.{name}[{i}]", ProblemCode.NOT_ALLOWED, "not an instrument id", allowed=known)
            for i, given in enumerate(ids)
            if type(given) is not str or given not in INSTRUMENTS
        ]
        problems += [
            Problem(f"$.{name}[{i}]", ProblemCode.NOT_ALLOWED, _NOT_A_FALL, allowed=_FALLING)
            for i, given in enumerate(ids)
            if type(given) is str and given in INSTRUMENTS and given not in _FALLING
        ]
    for name, kind in (
        ("scoring", ScoringPolicy),
        ("talking_therapies", TalkingTherapiesSettings),
        ("risk", RiskSettings),
    ):
        if not isinstance(getattr(policy, name), kind):
            problems.append(Problem(f"$.{name}", ProblemCode.WRONG_TYPE, f"a {kind.__name__}"))
    return problems


_DEFAULT_PROGRESS_POLICY: Final = ProgressPolicy()
"""The policy :func:`evaluate` follows when given none (frozen: shared, never changed)."""


@attrs.frozen
class RatingPoint:
    """One administration of an instrument in the course."""

    session: int
    on: date = attrs.field(repr=False)
    """The session's date (sensitive: left out of the ``repr``, as the case's dates are)."""
    total: Total | None
    band: str | None
    complete: bool
    prorated: bool


@attrs.frozen
class InstrumentProgress:
    """The trajectory of one instrument and what it shows."""

    instrument: str
    points: tuple[RatingPoint, ...]
    """Every administration, oldest first (unscorable ones with ``total`` None)."""
    baseline: RatingPoint | None
    """The first scored administration."""
    latest: RatingPoint | None
    """The last scored administration."""
    change: Total | None
    """latest - baseline (negative is a fall)."""
    fall: float | None
    """(baseline - latest) / baseline; ``None`` without two totals or with a baseline of 0."""
    response: bool | None
    """A fall of at least ``response_fall`` (``None`` where not judged: no follow-up rating, or a
    baseline below the instrument's index score, ``index_min``)."""
    remission: bool | None
    """The last ``remission_sustained`` ratings after the baseline all at or below the remission
    maximum; ``None`` before a follow-up rating (a baseline alone shows no remission) or from a
    baseline below the instrument's index score (``index_min``: PHQ-9 10, CMS159)."""
    early_nonimprovement: bool | None
    """A fall below ``early_fall`` by ``early_session`` (``None`` until that session is reached)."""
    reliable_deterioration_sessions: tuple[int, ...]
    """Sessions whose total rose from baseline by at least the reliable-change value."""


@attrs.frozen
class FocalAreaRating:
    """The latest IPOS rating (1-5) of one focal problem area."""

    area: str | None
    """The focal area's id (``None`` if the formulation has fewer focal areas than ratings)."""
    rating: int
    session: int


@attrs.frozen
class ExitSuggestion:
    """The exit outcome the measures suggest at termination, and why (Markowitz, S3 p. 25 [V]:
    remitted, completed; remitted at high relapse risk, maintenance; still symptomatic
    but clearly better, continuation; not significantly improved, alternative treatment)."""

    outcome: ExitOutcome | None
    reasons: tuple[str, ...]
    """Stable reason codes: ``remission``, ``maintenance_accepted``, ``response_without_remission``,
    ``reliable_improvement_without_remission``, ``no_significant_improvement``,
    ``reliable_deterioration``, ``no_outcome_measure``, ``baseline_below_index`` (the primary
    measure's baseline is below its index score: no suggestion)."""
    instrument: str | None


@attrs.frozen
class ProgressReport:
    """What the measures of a case show on ``as_of``."""

    __reduce__ = reduce_record

    case_id: str
    as_of: date
    instruments: Mapping[str, InstrumentProgress] = attrs.field(converter=_frozen)
    risk_flags: tuple[RiskFlag, ...]
    attended_sessions: int
    talking_therapies: TalkingTherapiesOutcome | None
    """Present when the PHQ-9 and GAD-7 both have totals in attended sessions (the first and the
    last of each are paired; answers sent in for a missed session are not)."""
    focal_areas: tuple[FocalAreaRating, ...]
    exit_suggestion: ExitSuggestion | None
    """Present when the case is in its termination phase on the day of the report."""
    unscored_instruments: tuple[str, ...]
    """Instrument ids found in the sessions that the library does not know (left aside)."""
    open_risk_flags: tuple[RiskFlag, ...] = ()
    """The risk flags no clinician's risk check has reviewed yet (shown first by every view)."""
    treatment_sessions: int = 0
    """Attended treatment sessions: session 0 (assessment, engagement, pre-group) not counted."""
    ended: bool = False
    """Whether the course had ended by ``as_of`` (a final phase, or an exit outcome recorded)."""

    @property
    def reliably_deteriorated(self) -> bool:
        """Whether any instrument reliably deteriorated at any point."""
        return any(p.reliable_deterioration_sessions for p in self.instruments.values())


def _instrument_progress(
    instrument: str, points: list[RatingPoint], policy: ProgressPolicy, reached: int
) -> InstrumentProgress:
    scored = [(p, p.total) for p in points if p.total is not None]
    change: Total | None = None
    fall: float | None = None
    response: bool | None = None
    remission: bool | None = None
    early: bool | None = None
    deteriorated: tuple[int, ...] = ()
    if scored:
        first = scored[0][1]
        change = scored[-1][1] - first
        if INSTRUMENTS[instrument].aggregation is Aggregation.MEAN:
            change = round(change, 2)
        index = policy.index_min.get(instrument)
        judged = index is None or first >= index  # from an index score only (CMS159; Coley et al.)
        if first > 0 and len(scored) > 1:
            fall = (first - scored[-1][1]) / first
            if instrument in policy.response_instruments and judged:
                response = fall >= policy.response_fall
        top = policy.remission_max.get(instrument)
        if top is not None and len(scored) > 1 and judged:  # judged at follow-up, as response is (CMS159)
            last = scored[1:][-policy.remission_sustained :]
            remission = len(last) == policy.remission_sustained and all(t <= top for _, t in last)
        if instrument in policy.early_instruments and reached >= policy.early_session:
            by = [t for p, t in scored if p.session <= policy.early_session]
            if len(by) > 1 and first > 0:
                early = (first - by[-1]) / first < policy.early_falls.get(instrument, policy.early_fall)
        rc = policy.reliable_change.get(instrument)
        if rc is not None:
            deteriorated = tuple(p.session for p, t in scored[1:] if t - first >= rc)
    return InstrumentProgress(
        instrument=instrument,
        points=tuple(points),
        baseline=scored[0][0] if scored else None,
        latest=scored[-1][0] if scored else None,
        change=change,
        fall=fall,
        response=response,
        remission=remission,
        early_nonimprovement=early,
        reliable_deterioration_sessions=deteriorated,
    )


def _from_index(track: InstrumentProgress, policy: ProgressPolicy) -> bool:
    """Whether the baseline of ``track`` reached its instrument's index score (or it has none)."""
    index = policy.index_min.get(track.instrument)
    baseline = track.baseline.total if track.baseline is not None else None
    return index is None or (baseline is not None and baseline >= index)


def _suggest_exit(
    case: Case, progress: Mapping[str, InstrumentProgress], policy: ProgressPolicy, today: date
) -> ExitSuggestion:
    # The primary measures rated at baseline and at follow-up, first one first; of those, the first
    # whose baseline reached its index score (CMS159): one that never showed the episode cannot
    # suggest an exit, but the next measure may (a HAM-D rating of a client whose PHQ-9 began low).
    followed = [
        progress[i]
        for i in policy.primary_instruments
        if i in progress and progress[i].latest is not None and progress[i].latest is not progress[i].baseline
    ]
    if not followed:
        return ExitSuggestion(None, ("no_outcome_measure",), None)
    chosen = next((p for p in followed if _from_index(p, policy)), None)
    if chosen is None:
        return ExitSuggestion(None, ("baseline_below_index",), followed[0].instrument)
    worse = ("reliable_deterioration",) if chosen.reliable_deterioration_sessions else ()
    if chosen.remission:
        review = case.termination  # its content counts from the day it was recorded
        if review is not None and review.maintenance_accepted and (review.on is None or review.on <= today):
            return ExitSuggestion(
                ExitOutcome.MAINTENANCE_CONTRACT,
                ("remission", "maintenance_accepted"),
                chosen.instrument,
            )
        return ExitSuggestion(ExitOutcome.COMPLETED, ("remission",), chosen.instrument)
    if chosen.response:
        return ExitSuggestion(
            ExitOutcome.CONTINUATION_CONTRACT,
            ("response_without_remission", *worse),
            chosen.instrument,
        )
    rc = policy.reliable_change.get(chosen.instrument)
    if rc is not None and chosen.change is not None and -chosen.change >= rc:
        return ExitSuggestion(
            ExitOutcome.CONTINUATION_CONTRACT,
            ("reliable_improvement_without_remission", *worse),
            chosen.instrument,
        )
    return ExitSuggestion(
        ExitOutcome.ALTERNATIVE_TREATMENT,
        ("no_significant_improvement", *worse),
        chosen.instrument,
    )


_PAIRED: Final = ("phq9", "gad7")
"""The measures whose first and last totals the Talking Therapies outcome pairs."""


def _attended_pairs(
    points: Mapping[str, Sequence[RatingPoint]], attended: Collection[int]
) -> tuple[dict[str, int], dict[str, int]]:
    """The first and last PHQ-9 and GAD-7 totals scored in the ``attended`` sessions, for each of
    the two that has one (NHS Talking Therapies pairs the scores of attended contacts, as the
    service table does)."""
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for name in _PAIRED:
        totals = [int(p.total) for p in points.get(name, ()) if p.total is not None and p.session in attended]
        if totals:
            first[name], last[name] = totals[0], totals[-1]
    return first, last


def _paired_totals(
    points: Mapping[str, list[RatingPoint]], attended: frozenset[int]
) -> tuple[dict[str, int], dict[str, int]] | None:
    """:func:`_attended_pairs`, or ``None`` without both measures."""
    first, last = _attended_pairs(points, attended)
    return (first, last) if len(first) == len(_PAIRED) else None


def evaluate(case: Case, *, today: date, policy: ProgressPolicy | None = None) -> ProgressReport:
    """The progress of ``case`` as of ``today`` (sessions after it are left out).

    Raises :class:`~ipt_core.errors.ValidationError` (with the path of the answers in the case)
    when recorded answers to a known instrument cannot be scored.
    """
    case, today = case_of(case), day_of(today)
    policy = (
        _DEFAULT_PROGRESS_POLICY
        if policy is None
        else setting_of(policy, ProgressPolicy, "policy", "a ProgressPolicy, or None for the defaults")
    )
    points: dict[str, list[RatingPoint]] = {}
    unknown: dict[str, None] = {}
    ipos: tuple[int, Score] | None = None
    problems: list[Problem] = []
    sessions = [(i, s) for i, s in enumerate(case.sessions) if s.date <= today]
    scoring = policy.scoring
    for index, session in sessions:
        for m_index, record in enumerate(session.measures):
            name = record.instrument
            instrument = INSTRUMENTS.get(name)
            if instrument is None:
                unknown[name] = None
                continue
            found = _record_total(record, scoring) if instrument.aggregation is not Aggregation.NONE else None
            if found is not None:  # complete integer answers: the fast path
                point = RatingPoint(session.number, session.date, found[0], found[1], True, False)
                points.setdefault(name, []).append(point)
                continue
            try:
                result = score_record(record, policy=scoring)
            except ValidationError as error:
                prefix = f"$.sessions[{index}].measures[{m_index}]"
                problems.extend(p.under(prefix) for p in error.problems)
                continue
            if name == "ipos":
                ipos = (session.number, result)
            elif instrument.aggregation is not Aggregation.NONE:
                point = RatingPoint(
                    session=session.number,
                    on=session.date,
                    total=result.total,
                    band=result.band,
                    complete=result.complete,
                    prorated=result.prorated,
                )
                points.setdefault(name, []).append(point)
    if problems:
        raise ValidationError(problems)
    reached = max((s.number for _, s in sessions), default=0)
    progress = {name: _instrument_progress(name, found, policy, reached) for name, found in points.items()}
    tt_settings = policy.talking_therapies
    course = _within_course(case, [s for _, s in sessions])
    went = [s.number for s in course if s.attendance is Attendance.ATTENDED]
    attended = len(went)
    treatment = sum(1 for number in went if number >= tt_settings.treatment_from_session)
    ended = course_ended(case, today=today)

    tt: TalkingTherapiesOutcome | None = None
    paired = _paired_totals(points, frozenset(went))
    if paired is not None:  # totals scored from the case's answers: in range, no need to check them
        tt = _tt_outcome(paired[0], paired[1], treatment, tt_settings, ended)

    focal: tuple[FocalAreaRating, ...] = ()
    if ipos is not None:
        number, result = ipos
        areas = [a.id for a in case.focal_areas()]
        focal = tuple(
            FocalAreaRating(area=areas[i] if i < len(areas) else None, rating=value, session=number)
            for i, value in enumerate(v for v in result.answers.values())
            if value is not None
        )

    # Session numbers strictly increase and dates never go back, so the sessions held by today are
    # the first ones; each one's flags are found once, for the flags and for those still open.
    by_session = [session_risk_flags(s, settings=policy.risk) for _, s in sessions]
    in_termination = case.phase_on(today) is Phase.TERMINATION
    flags = tuple(f for found in by_session for f in found)
    return ProgressReport(
        case_id=case.id,
        as_of=today,
        instruments=progress,
        risk_flags=flags,
        attended_sessions=attended,
        talking_therapies=tt,
        focal_areas=focal,
        exit_suggestion=_suggest_exit(case, progress, policy, today) if in_termination else None,
        unscored_instruments=tuple(unknown),
        open_risk_flags=_still_open([s for _, s in sessions], by_session),
        treatment_sessions=treatment,
        ended=ended,
    )
