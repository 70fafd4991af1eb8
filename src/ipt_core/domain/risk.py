"""Risk flags, from every signal in a course: the library raises and keeps them; the front end owns
the wording and the service owns the crisis pathway.

Where a flag comes from (Simon 2013; Rossom 2017; Louzon 2016; Kroenke 2003; Arroll 2010; Hamilton 1960):

- PHQ-9 item 9 (thoughts of death or self-harm) above 0, in every session, graded by its value
  whatever the total; a missing or unusable item-9 answer raises "risk not assessed";
- HAM-D-17 item 3 (suicide) above 0, graded from its anchors; a missing or unusable item-3 answer
  raises "risk not assessed";
- the clinician's own risk check of ``moderate`` or ``high``;
- a positive PHQ-2 (which has no suicide item) in a session where no PHQ-9 or HAM-D asks about
  suicide: "risk not assessed".

A flag stays open until a clinician's risk check in the same or a later session reviews it; a flag a
risk check raised is reviewed only by a risk check in a later session. Nothing suppresses a flag, and
a bad or missing answer raises "risk not assessed" instead of hiding one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Final

import attrs

from ipt_core.domain._days import case_of, day_of, setting_of
from ipt_core.domain.sessions import InstrumentAnswers, Missing, RiskCheck, RiskLevel, SessionRecord
from ipt_core.errors import Problem, ProblemCode, ValidationError

if TYPE_CHECKING:
    from ipt_core.domain.case import Case

__all__ = [
    "CLOCK_SKEW",
    "DEFAULT_RISK_SETTINGS",
    "HAMD_SUICIDE_ITEM",
    "PHQ9_ITEM9",
    "RISK_CHECK",
    "RiskCode",
    "RiskFlag",
    "RiskGrade",
    "RiskSettings",
    "dated_just_ahead",
    "flag_source",
    "hamd_item3_flags",
    "open_risk_flags",
    "phq2_flags",
    "phq9_item9_flags",
    "risk_flags",
    "session_risk_flags",
]

PHQ9_ITEM9: Final = "phq9_9"
HAMD_SUICIDE_ITEM: Final = "hamd17_3"
RISK_CHECK: Final = "risk_check"
"""The ``instrument`` of a flag raised by the clinician's risk check (it has no item)."""
_PHQ9_ITEM9_INDEX: Final = 8
_PHQ9_ITEM9_MAX: Final = 3
_HAMD_ITEM3_INDEX: Final = 2
_HAMD_ITEM3_MAX: Final = 4
_PHQ2_ITEM_MAX: Final = 3
_SUICIDE_ITEM_INSTRUMENTS: Final = frozenset({"phq9", "hamd17"})
"""Instruments with an item that asks about suicide (PHQ-9 item 9, HAM-D item 3)."""


class RiskCode(StrEnum):
    """Stable codes of risk flags, one per source (a front end maps them to its own words)."""

    PHQ9_ITEM9 = "phq9_item9"
    """PHQ-9 item 9 answered above 0."""
    RISK_NOT_ASSESSED = "risk_not_assessed"
    """Risk could not be assessed: a suicide item (PHQ-9 item 9, HAM-D item 3) is missing or
    unusable, or a PHQ-2 was positive with no suicide item asked in the same session."""
    HAMD_SUICIDE = "hamd_suicide"
    """HAM-D-17 item 3 (suicide) at or above its cut-off."""
    CLINICIAN_RISK_CHECK = "clinician_risk_check"
    """The clinician's own risk check judged risk moderate or high."""


class RiskGrade(StrEnum):
    """How urgent a flag is, graded by the answer (Simon 2013; Rossom 2017; Louzon 2016)."""

    ELEVATED = "elevated"
    """Item 9 = 1, "several days": still a flag (Louzon 2016: HR 1.75 [V]); a moderate risk check."""
    HIGH = "high"
    """Item 9 = 2 or 3: substantially higher short-term risk (Simon 2013; Rossom 2017 [V]); a high
    risk check."""
    UNKNOWN = "unknown"
    """Risk could not be assessed from the answers."""


ITEM9_HIGH_FROM: Final = 2
"""Simon 2013; Rossom 2017 [V]: "more than half the days" (2) or "nearly every day" (3) grade as high."""


@attrs.frozen
class RiskSettings:
    """The cut-offs that grade risk answers, each with its source; change them only with clinical
    sign-off."""

    phq9_item9_high_from: int = attrs.field(default=ITEM9_HIGH_FROM)
    """PHQ-9 item 9 at or above this is ``high`` (below it, above 0, ``elevated``). Default 2:
    Simon 2013; Rossom 2017 [V]."""
    hamd_item3_flag_from: int = attrs.field(default=1)
    """HAM-D item 3 at or above this raises a flag: 1, "feels life is not worth living", the first
    anchor above "absent" (Hamilton 1960), as any item-9 answer above 0 does (Louzon 2016). Kept
    for callers that pass it; only 1 is accepted, as no positive suicide item may go unflagged."""
    hamd_item3_high_from: int = attrs.field(default=3)
    """HAM-D item 3 at or above this is ``high``. Default 3, "suicidal ideas or gesture" (4:
    "attempts at suicide"; Hamilton 1960). A setting: no source grades the anchors by urgency."""
    phq2_positive_from: int = attrs.field(default=3)
    """A PHQ-2 total at or above this is a positive screen. Default 3: Kroenke, Spitzer & Williams
    2003 [S]; Arroll 2010 recommends 2 [V]."""

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        for name, (low, high) in _CUT_OFF_RANGES.items():
            value = getattr(self, name)
            if type(value) is not int:  # a bool is not a cut-off
                problems.append(
                    Problem(f"$.{name}", ProblemCode.WRONG_TYPE, f"a whole number from {low} to {high}")
                )
            elif not low <= value <= high:
                problems.append(Problem(f"$.{name}", ProblemCode.OUT_OF_RANGE, f"from {low} to {high}"))
        flag_from, high_from = self.hamd_item3_flag_from, self.hamd_item3_high_from
        if type(flag_from) is int and type(high_from) is int and high_from < flag_from:
            problems.append(
                Problem(
                    "$.hamd_item3_high_from",
                    ProblemCode.INCONSISTENT,
                    "hamd_item3_high_from is below hamd_item3_flag_from: at or above it",
                )
            )
        if problems:
            raise ValidationError(problems)


_CUT_OFF_RANGES: Final = {
    "phq9_item9_high_from": (1, 3),
    "hamd_item3_flag_from": (1, 1),
    "hamd_item3_high_from": (1, 4),
    "phq2_positive_from": (1, 6),
}
"""The range of each cut-off: an answer above 0 (PHQ-9 item 9 0-3, HAM-D item 3 0-4) or a PHQ-2
total above 0 (0-6). The HAM-D flag cut-off is 1 only: every rating of item 3 above "absent" raises
a flag, as every PHQ-9 item-9 answer above 0 does; no setting silences a positive suicide item."""


_RISK_SETTINGS_EXAMPLE: Final = "a RiskSettings, such as RiskSettings(phq9_item9_high_from=2)"
"""What to pass where risk settings are taken (said by the ``TypeError`` when something else is)."""

DEFAULT_RISK_SETTINGS: Final = RiskSettings()


@attrs.frozen
class RiskFlag:
    """A risk flag: what raised it and how urgent it is. It never holds text from the input."""

    code: RiskCode
    level: RiskGrade
    instrument: str
    """The instrument whose answers raised it (``phq9``, ``hamd17``, ``phq2``), or ``risk_check``."""
    item: str
    """The item that raised it, or the suicide item that was not asked (``phq9_9``); empty for a
    risk check."""
    session: int | None = None
    """The session the answers came from (set by :func:`risk_flags`)."""


_SOURCES: Final = {
    (RiskCode.PHQ9_ITEM9, "phq9"): "PHQ-9 item 9",
    (RiskCode.HAMD_SUICIDE, "hamd17"): "HAM-D item 3 (suicide)",
    (RiskCode.CLINICIAN_RISK_CHECK, RISK_CHECK): "the clinician's risk check",
    (RiskCode.RISK_NOT_ASSESSED, "phq9"): "PHQ-9 item 9 not answered",
    (RiskCode.RISK_NOT_ASSESSED, "hamd17"): "HAM-D item 3 not rated",
    (RiskCode.RISK_NOT_ASSESSED, "phq2"): "a positive PHQ-2 with no suicide item asked",
}


def flag_source(flag: RiskFlag) -> str:
    """Where a flag came from, in words (never the answer itself): ``PHQ-9 item 9``, ..."""
    return _SOURCES.get((flag.code, flag.instrument), f"{flag.instrument} {flag.item}".strip())


def _settings_of(settings: object) -> RiskSettings:
    """``settings`` when they are :class:`RiskSettings`, the published defaults for ``None``; anything
    else is a service's misconfiguration, refused at ``$.settings``."""
    if settings is None:
        return DEFAULT_RISK_SETTINGS
    return setting_of(settings, RiskSettings, "settings", _RISK_SETTINGS_EXAMPLE)


def _usable(answer: object, most: int) -> bool:
    return type(answer) is int and 0 <= answer <= most


def phq9_item9_flags(
    answer: object, *, instrument: str = "phq9", settings: RiskSettings | None = DEFAULT_RISK_SETTINGS
) -> tuple[RiskFlag, ...]:
    """The flags one PHQ-9 item-9 answer raises. Anything that is not a usable 0-3 answer (missing,
    out of range, not an integer) raises "risk not assessed": a bad answer never hides risk."""
    settings = _settings_of(settings)
    return _phq9_item9(answer, instrument, settings, None)


def _phq9_item9(
    answer: object, instrument: str, settings: RiskSettings, session: int | None
) -> tuple[RiskFlag, ...]:
    if _usable(answer, _PHQ9_ITEM9_MAX):
        if answer == 0:
            return ()
        high = answer >= settings.phq9_item9_high_from  # type: ignore[operator]
        level = RiskGrade.HIGH if high else RiskGrade.ELEVATED
        return (RiskFlag(RiskCode.PHQ9_ITEM9, level, instrument, PHQ9_ITEM9, session),)
    return (RiskFlag(RiskCode.RISK_NOT_ASSESSED, RiskGrade.UNKNOWN, instrument, PHQ9_ITEM9, session),)


def hamd_item3_flags(
    answer: object, *, settings: RiskSettings | None = DEFAULT_RISK_SETTINGS
) -> tuple[RiskFlag, ...]:
    """The flags one HAM-D item-3 (suicide) rating raises, graded from its anchors (Hamilton 1960:
    0 absent; 1 feels life is not worth living; 2 wishes he were dead or any thoughts of possible
    death to self; 3 suicidal ideas or gesture; 4 attempts at suicide). A missing or unusable rating
    raises "risk not assessed"."""
    settings = _settings_of(settings)
    return _hamd_item3(answer, settings, None)


def _hamd_item3(answer: object, settings: RiskSettings, session: int | None) -> tuple[RiskFlag, ...]:
    if _usable(answer, _HAMD_ITEM3_MAX):
        if answer < settings.hamd_item3_flag_from:  # type: ignore[operator]
            return ()
        high = answer >= settings.hamd_item3_high_from  # type: ignore[operator]
        level = RiskGrade.HIGH if high else RiskGrade.ELEVATED
        return (RiskFlag(RiskCode.HAMD_SUICIDE, level, "hamd17", HAMD_SUICIDE_ITEM, session),)
    return (RiskFlag(RiskCode.RISK_NOT_ASSESSED, RiskGrade.UNKNOWN, "hamd17", HAMD_SUICIDE_ITEM, session),)


def phq2_flags(
    answers: Sequence[object], *, settings: RiskSettings | None = DEFAULT_RISK_SETTINGS
) -> tuple[RiskFlag, ...]:
    """The flag the two answers of a PHQ-2 raise on their own: it has no suicide item, so a positive
    screen (or one a missing or unusable answer could make positive) raises "risk not assessed".
    A session that also asks a suicide item (PHQ-9, HAM-D) does not raise it (see
    :func:`session_risk_flags`)."""
    settings = _settings_of(settings)
    padded = (*answers[:2], *[Missing.UNKNOWN] * max(0, 2 - len(answers)))
    total = sum(a if _usable(a, _PHQ2_ITEM_MAX) else _PHQ2_ITEM_MAX for a in padded)  # type: ignore[misc]
    if total >= settings.phq2_positive_from:
        return (RiskFlag(RiskCode.RISK_NOT_ASSESSED, RiskGrade.UNKNOWN, "phq2", PHQ9_ITEM9),)
    return ()


def _answer_at(record: InstrumentAnswers, index: int) -> object:
    answers = record.answers
    return answers[index] if len(answers) > index else Missing.UNKNOWN


def _phq2_may_be_positive(record: InstrumentAnswers, settings: RiskSettings) -> bool:
    """Whether the PHQ-2 is positive, or could be: a missing or unusable answer counts as its
    maximum, so that it never hides a positive screen."""
    return bool(phq2_flags(record.answers, settings=settings))


def session_risk_flags(
    session: SessionRecord, *, settings: RiskSettings | None = DEFAULT_RISK_SETTINGS
) -> tuple[RiskFlag, ...]:
    """Every flag one session raises, each with the session's number: answers first, in the order
    recorded, then the clinician's risk check."""
    if type(session) is not SessionRecord:  # a caller's mistake
        setting_of(session, SessionRecord, "session", "a SessionRecord, such as case.sessions[-1]")
    settings = _settings_of(settings)
    number = session.number
    found: list[RiskFlag] = []
    asked = False
    screens = False
    for record in session.measures:
        instrument = record.instrument
        if instrument == "phq9":
            asked = True
            found.extend(_phq9_item9(_answer_at(record, _PHQ9_ITEM9_INDEX), "phq9", settings, number))
        elif instrument == "hamd17":
            asked = True
            found.extend(_hamd_item3(_answer_at(record, _HAMD_ITEM3_INDEX), settings, number))
        elif instrument == "phq2" and _phq2_may_be_positive(record, settings):
            screens = True
    if screens and not asked:
        found.append(RiskFlag(RiskCode.RISK_NOT_ASSESSED, RiskGrade.UNKNOWN, "phq2", PHQ9_ITEM9, number))
    check = session.risk_check
    if check is not None and check.level in _CHECK_GRADES:
        found.append(
            RiskFlag(RiskCode.CLINICIAN_RISK_CHECK, _CHECK_GRADES[check.level], RISK_CHECK, "", number)
        )
    return tuple(found)


_CHECK_GRADES: Final = {RiskLevel.MODERATE: RiskGrade.ELEVATED, RiskLevel.HIGH: RiskGrade.HIGH}
"""A risk check raises a flag whose grade follows its level: moderate is elevated, high is high."""

_CHECK_RANK: Final = {RiskLevel.MODERATE: 1, RiskLevel.HIGH: 2}
"""How far a risk check's level raises a flag (none and low raise none)."""


def check_lowers_its_flag(old: RiskCheck | None, new: RiskCheck | None) -> bool:
    """Whether replacing the risk check ``old`` of a session by ``new`` (``None``: removing it) would
    lower or take away the flag ``old`` raised. Such a flag is reviewed by a risk check in a later
    session, never by overwriting the check that raised it (see :meth:`ipt_core.Case.with_risk_check`)."""
    before = 0 if old is None else _CHECK_RANK.get(old.level, 0)
    after = 0 if new is None or type(new) is not RiskCheck else _CHECK_RANK.get(new.level, 0)
    return after < before


CLOCK_SKEW: Final = timedelta(days=2)
"""How far a device's date can run ahead of the service's: local dates span UTC-12 to UTC+14, 26
hours apart, so a session recorded on a device can be dated up to two days after the service's
``today``. Sessions dated that little ahead are shown as a warning, never silently left out."""


def dated_just_ahead(sessions: Iterable[SessionRecord], today: date) -> tuple[SessionRecord, ...]:
    """The sessions dated after ``today`` by no more than :data:`CLOCK_SKEW`: not held yet as of
    ``today``, but possibly held already where the device recording them is."""
    today = day_of(today)
    return tuple(s for s in sessions if today < s.date and s.date - today <= CLOCK_SKEW)  # no date past 9999


def _held(sessions: Iterable[SessionRecord], today: date | None) -> list[SessionRecord]:
    if today is None:
        return list(sessions)
    today = day_of(today)
    return [s for s in sessions if s.date <= today]


def risk_flags(
    case: Case, *, today: date | None = None, settings: RiskSettings | None = DEFAULT_RISK_SETTINGS
) -> tuple[RiskFlag, ...]:
    """Every risk flag raised in ``case`` (in the sessions held by ``today``, when given), each with
    its session number, in session order. Lenient by design: an unusable answer raises "risk not
    assessed" rather than an error, so that no record can hide a flag."""
    settings = _settings_of(settings)
    found: list[RiskFlag] = []
    for session in _held(case_of(case).sessions, today):
        found.extend(session_risk_flags(session, settings=settings))
    return tuple(found)


def _open_of(
    sessions: Iterable[SessionRecord], *, settings: RiskSettings | None = DEFAULT_RISK_SETTINGS
) -> tuple[RiskFlag, ...]:
    """The flags raised in ``sessions`` that no risk check has reviewed yet (see
    :func:`open_risk_flags`)."""
    settings = _settings_of(settings)
    held = list(sessions)
    return _still_open(held, [session_risk_flags(s, settings=settings) for s in held])


def _still_open(
    sessions: Sequence[SessionRecord], flags: Sequence[Sequence[RiskFlag]]
) -> tuple[RiskFlag, ...]:
    """Of ``flags[i]``, the flags raised in ``sessions[i]``, those no risk check in ``sessions``
    has reviewed yet (the rule of :func:`open_risk_flags`)."""
    checked = [s.number for s in sessions if s.risk_check is not None]
    last_check = max(checked, default=-1)
    found: list[RiskFlag] = []
    for session, raised in zip(sessions, flags, strict=True):
        if last_check > session.number:
            continue  # reviewed, whatever raised it
        for flag in raised:
            raised_by_check = flag.code is RiskCode.CLINICIAN_RISK_CHECK
            reviewed = last_check == session.number and not raised_by_check
            if not reviewed:
                found.append(flag)
    return tuple(found)


def open_risk_flags(
    case: Case, *, today: date | None = None, settings: RiskSettings | None = DEFAULT_RISK_SETTINGS
) -> tuple[RiskFlag, ...]:
    """The flags of ``case`` still open: not yet reviewed by a clinician's risk check.

    A flag raised by answers in session k is reviewed by a risk check recorded in session k or
    later; a flag raised by a risk check, only by a risk check in a later session. A later session
    without a risk check closes nothing, and a self-guided course, with no clinician, keeps its
    flags open until a review is recorded. With ``today``, only sessions held by then count.
    """
    settings = _settings_of(settings)
    return _open_of(_held(case_of(case).sessions, today), settings=settings)
