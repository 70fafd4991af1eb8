"""The timeline: life events around the current episode, and its onset.

IPT links the onset of the episode to what was happening in the client's relationships. Clients often
remember only a month or a year, so every date here may be approximate.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Final

import attrs

from ipt_core.domain import _fields as f
from ipt_core.domain._days import day_of
from ipt_core.errors import Problem, ProblemCode, ValidationError

__all__ = [
    "DEFAULT_ONSET_WINDOW",
    "DatePrecision",
    "EventCategory",
    "EventKind",
    "FuzzyDate",
    "LifeEvent",
    "OnsetTie",
    "OnsetWindow",
    "Timeline",
]

FUZZY_DATE_PATTERN: Final = r"^~?[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
"""The wire form of a :class:`FuzzyDate`: ``2024-03-15``, ``2024-03`` or ``2024``; ``~`` for circa."""
_FUZZY_RE: Final = re.compile(r"(~?)([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
"""Matched whole (``fullmatch``) and ASCII digits only, as JSON Schema validators read the pattern."""

DEFAULT_ONSET_WINDOW: Final = timedelta(days=183)
"""How far before onset an event counts as "near onset" by default: about six months. No IPT source
fixes this number (S1 and S42 say only "most associated with onset" and "proximal to
onset"), so every query takes it as a parameter. Six months is the period over which
life-events research rates events before a depressive onset: Frank E et al. (1996) "Effects of
positive and negative life events on time to depression onset", Psychological Medicine 26(3):613-626
(Life Events and Difficulties Schedule, events in the 6 months before onset, their effect decaying
over time). Not an IPT source, so it is a setting (:class:`OnsetWindow`)."""
DEFAULT_ONSET_LIMIT: Final = timedelta(days=365)
"""How far from onset an event still counts at all, for less and less weight beyond
:data:`DEFAULT_ONSET_WINDOW`: a year. Not verified in any source; a documented default and a setting
(:class:`OnsetWindow`)."""
DAYS_PER_MONTH: Final = 30.4375
"""The mean length of a month in the Gregorian calendar (365.25 / 12), to speak of months from onset."""


def _shift(day: date, by: timedelta) -> date:
    """``day + by``, held at the first or last representable day instead of overflowing."""
    try:
        return day + by
    except OverflowError:
        return date.min if by < timedelta(0) else date.max


def _days_in_month(year: int, month: int) -> int:
    """The number of days of ``month`` (1-12) of ``year``, as ``calendar.monthrange`` gives it."""
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


class DatePrecision(StrEnum):
    """How much of a date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@attrs.frozen(order=False, slots=False)
class FuzzyDate:
    """A date known to the day, the month or the year, possibly only roughly (``circa``)."""

    year: int = attrs.field()
    month: int | None = None
    day: int | None = None
    circa: bool = False

    def __attrs_post_init__(self) -> None:
        if type(self.year) is not int or not 1 <= self.year <= 9999:
            raise ValidationError.single("$", ProblemCode.INVALID_VALUE, "a year from 1 to 9999")
        if self.month is None and self.day is not None:
            raise ValidationError.single("$", ProblemCode.INVALID_VALUE, "a day needs a month")
        if self.month is not None and (type(self.month) is not int or not 1 <= self.month <= 12):
            raise ValidationError.single("$", ProblemCode.INVALID_VALUE, "a month from 1 to 12")
        if self.day is not None and self.month is not None:
            last = _days_in_month(self.year, self.month)
            if type(self.day) is not int or not 1 <= self.day <= last:
                raise ValidationError.single("$", ProblemCode.INVALID_VALUE, "no such day")
        if type(self.circa) is not bool:
            raise ValidationError.single("$", ProblemCode.WRONG_TYPE, "circa is true or false")

    @classmethod
    def of(cls, when: date, *, circa: bool = False) -> FuzzyDate:
        """An exact date (a ``datetime`` is a ``TypeError``: which day it falls on depends on a time
        zone; pass its ``.date()``)."""
        when = day_of(when, "when")
        return cls(when.year, when.month, when.day, circa)

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        """Read the wire form (``2024-03-15``, ``2024-03``, ``2024``, each optionally ``~``-led)."""
        match = _FUZZY_RE.fullmatch(text) if type(text) is str else None
        if match is None:
            raise ValidationError.single("$", ProblemCode.PATTERN, "YYYY, YYYY-MM or YYYY-MM-DD")
        circa, year, month, day = match.groups()
        return cls(
            int(year),
            None if month is None else int(month),
            None if day is None else int(day),
            circa == "~",
        )

    @property
    def precision(self) -> DatePrecision:
        """Whether the day, only the month, or only the year is known."""
        if self.day is not None:
            return DatePrecision.DAY
        return DatePrecision.YEAR if self.month is None else DatePrecision.MONTH

    @property
    def earliest(self) -> date:
        """The first day this date could be."""
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> date:
        """The last day this date could be."""
        if self.day is not None:
            return self.earliest
        month = self.month or 12
        return date(self.year, month, _days_in_month(self.year, month))

    def overlaps(self, other: FuzzyDate) -> bool:
        """Whether the two dates may fall on the same days."""
        return self.latest >= other.earliest and self.earliest <= other.latest

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return ("~" if self.circa else "") + text


def fuzzy_date(*, optional: bool = False, description: str = "") -> Any:
    """A field holding a :class:`FuzzyDate` (a date identifier, so sensitive)."""
    spec = f.Spec("fuzzy_date", sensitive=True, pattern=FUZZY_DATE_PATTERN, description=description)

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if not isinstance(value, FuzzyDate):
            raise ValidationError.single(
                f"$.{attribute.name}",
                ProblemCode.WRONG_TYPE,
                "expected a FuzzyDate (FuzzyDate.parse reads `2024-09`, FuzzyDate.of takes a date)",
            )

    return attrs.field(
        default=None if optional else attrs.NOTHING,
        validator=validate,
        repr=False,
        metadata={f.META: spec},
    )


class EventCategory(StrEnum):
    """The broad kind of an event, as IPT's problem areas read it."""

    DEATH = "death"
    DISPUTE = "dispute"
    LIFE_CHANGE = "life_change"
    OTHER = "other"


class EventKind(StrEnum):
    """What happened."""

    DEATH = "death"
    DISPUTE_START = "dispute_start"
    JOB_CHANGE = "job_change"
    JOB_LOSS = "job_loss"
    MOVE = "move"
    BIRTH = "birth"
    ILLNESS = "illness"
    RETIREMENT = "retirement"
    SEPARATION = "separation"
    MIGRATION = "migration"
    RELATIONSHIP_START = "relationship_start"
    EDUCATION = "education"
    OTHER_LIFE_CHANGE = "other_life_change"
    OTHER = "other"

    @property
    def category(self) -> EventCategory:
        """Death, the start of a dispute, a life change, or other."""
        if self is EventKind.DEATH:
            return EventCategory.DEATH
        if self is EventKind.DISPUTE_START:
            return EventCategory.DISPUTE
        if self is EventKind.OTHER:
            return EventCategory.OTHER
        return EventCategory.LIFE_CHANGE


@attrs.frozen(slots=False)
class LifeEvent:
    """Something that happened (or, if ``anticipated``, is expected to happen) in the client's life."""

    id: str = f.ident()
    """The event's id in the case."""
    kind: EventKind = f.choice(EventKind)
    """What happened."""
    when: FuzzyDate = fuzzy_date()
    """When, exactly or approximately."""
    people: tuple[str, ...] = f.refs("person", description="People the event involves.")
    description: str = f.text()
    """What happened, in the therapist's words."""
    anticipated: bool = f.flag(
        default=False, description="Expected or feared, not yet happened (e.g. a job loss)."
    )
    mood_effect: str = f.text(description="How the client's mood changed around it.")

    @property
    def category(self) -> EventCategory:
        """The event's broad kind."""
        return self.kind.category


@attrs.frozen(slots=False)
class Timeline:
    """Life events and the onset of the current episode."""

    events: tuple[LifeEvent, ...] = f.items(LifeEvent)
    onset: FuzzyDate | None = fuzzy_date(optional=True, description="Onset of the current episode.")

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = f.duplicates([e.id for e in self.events], "$.events[{}].id")
        if problems:
            raise ValidationError(problems)

    def event(self, event_id: str) -> LifeEvent:
        """The event with this id (:class:`~ipt_core.UnknownIdError`, a ``KeyError``, if there is none)."""
        for event in self.events:
            if event.id == event_id:
                return event
        raise f.no_such_id("event", tuple(e.id for e in self.events), event_id)

    def ids(self) -> frozenset[str]:
        """The ids of all events."""
        return frozenset(map(f.ID_OF, self.events))

    def chronological(self) -> tuple[LifeEvent, ...]:
        """The events by their earliest possible date (stable for ties)."""
        return tuple(sorted(self.events, key=lambda e: e.when.earliest))

    def near_onset(
        self, within: timedelta = DEFAULT_ONSET_WINDOW, *, after: timedelta = timedelta(0)
    ) -> tuple[LifeEvent, ...]:
        """Events that may fall within ``within`` before onset (or ``after`` it), in time order.

        An approximate date counts when any day it could be falls in the window. Anticipated
        events count too: a feared loss can precipitate an episode. Without a recorded onset,
        nothing is near it. This is a yes-or-no window; :meth:`OnsetWindow.tie` grades how close.
        """
        if self.onset is None:
            return ()
        start = _shift(self.onset.earliest, -within)
        end = _shift(self.onset.latest, after)
        return tuple(e for e in self.chronological() if e.when.latest >= start and e.when.earliest <= end)


# == How closely an event is tied to the onset ===================================================


@attrs.frozen
class OnsetTie:
    """How an event's date stands to the onset: how many days and months away, and how much it weighs."""

    days: int
    """Signed: negative before onset, positive after it, 0 when the two may fall on the same days."""
    months: int
    """``days`` in whole months (rounded), signed the same way."""
    weight: float
    """From 0 (too far from onset to count) to 1 (within the window)."""
    within: bool
    """Within the full-weight window."""


@attrs.frozen
class OnsetWindow:
    """When an event is "near onset": a graded setting, not a cliff.

    An event within ``before`` ahead of the onset (or within ``after`` it, for an event expected or
    happening after onset: anticipated events count by when they are expected) weighs 1. Beyond, the
    weight falls linearly to 0 at ``before_limit`` (``after_limit``): evidence just outside the window
    still counts, for less. Defaults: :data:`DEFAULT_ONSET_WINDOW` and :data:`DEFAULT_ONSET_LIMIT`;
    ``undated`` weighs evidence that cannot be placed in time (no onset recorded, or a current state
    such as a conflict with no date), below anything within the window. Only the six-month window has a
    source; the limit and ``undated`` are documented defaults, settings to change.
    """

    before: timedelta = DEFAULT_ONSET_WINDOW
    before_limit: timedelta = DEFAULT_ONSET_LIMIT
    after: timedelta = DEFAULT_ONSET_WINDOW
    after_limit: timedelta = DEFAULT_ONSET_LIMIT
    undated: float = 0.5

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        for name, window, limit in (
            ("before", self.before, self.before_limit),
            ("after", self.after, self.after_limit),
        ):
            if not isinstance(window, timedelta) or window < timedelta(0):
                problems.append(Problem(f"$.{name}", ProblemCode.OUT_OF_RANGE, "a duration of at least 0"))
            elif not isinstance(limit, timedelta) or limit < window:
                problems.append(
                    Problem(f"$.{name}_limit", ProblemCode.OUT_OF_RANGE, "at least the full-weight window")
                )
        undated = self.undated
        if type(undated) not in (int, float) or not 0 <= undated <= 1:
            problems.append(Problem("$.undated", ProblemCode.OUT_OF_RANGE, "a weight from 0 to 1"))
        if problems:
            raise ValidationError(problems)

    def tie(self, when: FuzzyDate, onset: FuzzyDate) -> OnsetTie:
        """How closely an event dated ``when`` is tied to ``onset``.

        Two dates that may fall on the same days, each known at least to the month, are 0 days
        apart; otherwise an approximate date is placed at the middle of the days it could be
        (``2024-03`` is mid-March, so "eight months before" reads as a clinician counts it). A date
        known only to the year is placed at the middle of its year even when the other falls in it:
        it could be anywhere in that year, and being "around the onset" would rank it above a
        firmly dated event nearer the onset (the area most closely tied to onset is the focus, S1).
        """
        if when.overlaps(onset) and not (_year_only(when) or _year_only(onset)):
            days = 0
        else:
            apart = _middle(when) - _middle(onset)
            days = apart // 2 if apart >= 0 else -(-apart // 2)
        window, limit = (self.after, self.after_limit) if days > 0 else (self.before, self.before_limit)
        gap = timedelta(days=abs(days))
        if gap <= window:
            weight = 1.0
        elif gap >= limit:
            weight = 0.0
        else:
            weight = round(1 - (gap - window) / (limit - window), 3)
        sign = -1 if days < 0 else 1
        return OnsetTie(days, sign * round(abs(days) / DAYS_PER_MONTH), weight, gap <= window)


def _year_only(when: FuzzyDate) -> bool:
    return when.precision is DatePrecision.YEAR


def _middle(when: FuzzyDate) -> int:
    """Twice the middle day of the days ``when`` could be, as an ordinal (whole, so exact)."""
    return when.earliest.toordinal() + when.latest.toordinal()
